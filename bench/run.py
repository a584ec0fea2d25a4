"""Times whole builds of a synthetic site: cold, warm, one article changed, one template changed.

    python bench/run.py [--n 1000 10000] [--out bench/out] [--jobs J] [--repeat R]

For each N the site is generated once by bench/corpus.py into OUT/n<N>/site (reused
when it is already there for the same N, seed and generator) and built into
OUT/n<N>/public. Every build is its own `python build.py` process, so nothing (imports,
Jinja caches, memory) is shared between them; only `.loa-cache/` and the output folder
carry over, as they would for an editor. See bench/README.md for what each figure means.
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/corpus.py)

BUILD = ROOT / "build.py"
TODAY = "2026-11-29"
MARKER = ".bench-corpus.json"
SENTENCE = "Câu này do bench/run.py thêm vào để đo thời gian dựng lại sau khi sửa một bài."
TEMPLATE = "article.html"
TEMPLATE_COMMENT = "{# bench #}\n"
BUILT = re.compile(r"Đã dựng ([\d.]+) trang")  # cli.built in i18n/vi.yaml; 1.215 = 1215
SAMPLE_SECONDS = 0.05
BUSY = 0.9  # a one-process build using less of a CPU than this was kept waiting
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

try:
    import psutil  # optional: only for the process tree's memory
except ImportError:  # pragma: no cover - depends on the machine
    psutil = None


# --------------------------------------------------------------------------- the machine

def machine() -> str:
    try:
        cpus = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        cpus = str(len(os.sched_getaffinity(0)))
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load average unknown"
    return (f"nproc {cpus}; CPU {model}{memory}; Python {platform.python_version()} "
            f"({sys.executable}); {platform.system()} {platform.release()}; {load}\n"
            f"Loa {revision()}")


def revision() -> str:
    """The commit measured, and whether loa/ or templates/ differ from it."""
    def git(*words: str) -> str:
        try:
            return subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("log", "-1", "--format=%h %ci")
    if not commit:
        return "(not a git checkout)"
    dirty = git("status", "--porcelain", "--", "loa", "templates", "build.py", "i18n")
    return f"commit {commit}" + (" + uncommitted changes in loa/templates/i18n" if dirty else "")


def code_fingerprint() -> str:
    """A hash of what a build runs (build.py, loa/, templates/, i18n/): commits that touch
    only other files (tests, bench/) do not change it."""
    digest = hashlib.sha256()
    files = [BUILD] + sorted(p for folder in ("loa", "templates", "i18n")
                             for p in (ROOT / folder).rglob("*")
                             if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        try:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


# --------------------------------------------------------------------------- memory of a process tree
# Finding a tree's members means reading every process's parent (psutil does the same),
# a few ms on a busy machine: done once a second. Their RSS is read every 50 ms, which
# costs well under 1 % of a CPU, so the sampler hardly competes with the build it measures.

def _family_proc(root: int) -> list[int]:
    """`root` and its descendants, from the parent of every process in /proc."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as file:
                stat = file.read()
        except OSError:
            continue
        parent = int(stat[stat.rfind(b")") + 2:].split(None, 2)[1])  # the name may hold ')'
        children.setdefault(parent, []).append(int(name))
    family, todo = [], [root]
    while todo:
        pid = todo.pop()
        family.append(pid)
        todo += children.get(pid, [])
    return family


def _rss_proc(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as file:
            return int(file.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


def _pss(pid: int) -> int | None:
    """Proportional set size: a page shared by k processes counts 1/k in each, so the
    sum over a tree is the memory the tree really uses (forked workers share most of
    the parent's). Linux only; reading it walks the page tables, so it is sampled
    once a second, not every 50 ms."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as file:
            for line in file:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _family_psutil(root: int) -> list[int]:
    try:
        return [root] + [c.pid for c in psutil.Process(root).children(recursive=True)]
    except psutil.Error:
        return [root]


def _rss_psutil(pid: int) -> int | None:
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return None


class TreeSampler(threading.Thread):
    """Every 50 ms, the summed RSS of a process and its descendants; keeps the maximum.

    The members are looked up again every second, so workers a build starts are counted
    from at most a second after they start."""

    RESCAN_SECONDS = 1.0

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.pss_peak = 0
        self.processes = 0
        self.done = threading.Event()
        self.family = _family_psutil if psutil is not None else _family_proc
        self.rss = _rss_psutil if psutil is not None else _rss_proc

    def run(self) -> None:
        members: list[int] = []
        looked = float("-inf")
        while not self.done.is_set():
            now = time.monotonic()
            if now - looked >= self.RESCAN_SECONDS:
                members, looked = self.family(self.pid), now
                self.pss_peak = max(self.pss_peak, sum(filter(None, map(_pss, members))))
            sizes = [size for size in map(self.rss, members) if size]
            self.peak = max(self.peak, sum(sizes))
            self.processes = max(self.processes, len(sizes))
            self.done.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self.done.set()
        self.join()


# --------------------------------------------------------------------------- one build

@dataclasses.dataclass
class Run:
    step: str
    wall: float          # seconds, from spawning the process to reaping it
    cpu: float           # user + system seconds of the process and its reaped children
    sys: float           # of which system (kernel) seconds
    pages: int           # from the build's "Đã dựng N trang" line
    maxrss: int          # bytes: the largest single process (wait4's ru_maxrss)
    tree_peak: int       # bytes: the largest sum of RSS over the process tree, sampled
    tree_pss: int        # bytes: the largest sum of PSS over the tree (sampled each second)
    processes: int       # the most processes seen at once in the tree
    stdout: str

    @property
    def peak(self) -> int:
        return max(self.maxrss, self.tree_peak)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


def build(step: str, site: Path, out: Path, extra: list[str]) -> Run:
    command = [sys.executable, str(BUILD), "--source", str(site), "--out", str(out),
               "--today", TODAY, *extra]
    env = dict(os.environ, NO_COLOR="1", LC_ALL=os.environ.get("LC_ALL", "C.UTF-8"),
               PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=stdout, stderr=stderr)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            sampler.stop()
            raise
        wall = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        stdout.seek(0)
        stderr.seek(0)
        said, complained = stdout.read().decode("utf-8", "replace"), stderr.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"bench: step '{step}' failed (exit {process.returncode}): "
                         f"{' '.join(command)}\n{said}{complained[-4000:]}")
    found = BUILT.search(said)
    if not found:
        raise SystemExit(f"bench: step '{step}': no 'Đã dựng N trang' line in the output:\n{said}")
    return Run(step=step, wall=wall, cpu=usage.ru_utime + usage.ru_stime, sys=usage.ru_stime,
               pages=int(found.group(1).replace(".", "")), maxrss=usage.ru_maxrss * 1024,
               tree_peak=sampler.peak, tree_pss=sampler.pss_peak, processes=sampler.processes,
               stdout=said)


# --------------------------------------------------------------------------- the corpus

def _generator_hash() -> str:
    return hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest()


def ensure_corpus(n: int, site: Path) -> float | None:
    """Generates the site unless it is already there for this N; seconds spent, or None."""
    wanted = {"n": n, "seed": corpus.SEED, "corpus_py_sha256": _generator_hash()}
    try:
        if json.loads((site / MARKER).read_text()) == wanted:
            return None
    except (OSError, ValueError):
        pass
    started = time.perf_counter()
    (site / MARKER).unlink(missing_ok=True)
    corpus.generate(n, site, force=True)
    (site / MARKER).write_text(json.dumps(wanted) + "\n")
    return time.perf_counter() - started


def chosen_article(site: Path) -> Path:
    """One article in the middle of the site, the same one every run."""
    articles = sorted(p for p in (site / "content").glob("*/*.md") if p.name != "_index.md")
    return articles[len(articles) // 2]


def tidy(site: Path) -> None:
    """Undo what an interrupted earlier run may have left: the sentence, the template copy."""
    article = chosen_article(site)
    text = article.read_bytes()
    added = f"\n{SENTENCE}\n".encode()
    while text.endswith(added):
        text = text[:-len(added)]
        article.write_bytes(text)
    copy = site / "templates" / TEMPLATE
    if copy.exists() and copy.read_text(encoding="utf-8").endswith(TEMPLATE_COMMENT):
        copy.unlink()
        try:
            copy.parent.rmdir()
        except OSError:
            pass  # the folder holds something else: leave it


# --------------------------------------------------------------------------- sizes

def sizes(out: Path, pages: int) -> dict[str, float]:
    """Median gzip size of the HTML pages; output bytes per page, with and without .gz/.br."""
    compressed, total, plain = [], 0, 0
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if not path.name.endswith((".gz", ".br")):
            plain += size
        if path.suffix == ".html":
            packed = path.with_name(path.name + ".gz")
            compressed.append(packed.stat().st_size if packed.exists()
                              else len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)))
    return {"html_files": len(compressed),
            "median_gzip_html": statistics.median(compressed) if compressed else 0,
            "bytes_per_page": total / pages if pages else 0,
            "plain_bytes_per_page": plain / pages if pages else 0,
            "output_bytes": total}


# --------------------------------------------------------------------------- one N

def bench(n: int, base: Path, extra: list[str], repeat: int = 1) -> None:
    site, out = base / f"n{n}" / "site", base / f"n{n}" / "public"
    site.parent.mkdir(parents=True, exist_ok=True)
    spent = ensure_corpus(n, site)
    print(f"\nN = {n} articles: site {site} "
          + (f"(generated in {spent:.1f} s)" if spent is not None else "(reused)"), flush=True)
    tidy(site)
    article = chosen_article(site)
    original = article.read_bytes()
    templates = site / "templates"
    made_folder = not templates.exists()
    copy = templates / TEMPLATE
    if copy.exists():
        raise SystemExit(f"bench: {copy} exists and is not ours; refusing to overwrite it")
    measured_revision, measured_code = revision(), code_fingerprint()

    def cold() -> None:
        shutil.rmtree(site / ".loa-cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)

    def change_article() -> None:  # one more sentence each time: every build sees a change
        with article.open("ab") as file:
            file.write(f"\n{SENTENCE}\n".encode())

    def change_template() -> None:  # the copy, then one more comment each time
        if not copy.exists():
            templates.mkdir(exist_ok=True)
            shutil.copyfile(ROOT / "templates" / TEMPLATE, copy)
            if not copy.read_bytes().endswith(b"\n"):
                with copy.open("a", encoding="utf-8") as file:
                    file.write("\n")
        with copy.open("a", encoding="utf-8") as file:
            file.write(TEMPLATE_COMMENT)

    steps = (("cold", cold), ("warm, nothing changed", None),
             ("one article changed", change_article), ("one template changed", change_template))
    results: list[tuple[Run, list[float]]] = []
    try:
        for step, prepare in steps:
            runs = []
            for _ in range(repeat):
                if prepare:
                    prepare()
                runs.append(build(step, site, out, extra))
                _progress(runs[-1])
            if step == "cold":
                measured = sizes(out, runs[-1].pages)
            walls = sorted(r.wall for r in runs)
            middle = sorted(runs, key=lambda r: r.wall)[(len(runs) - 1) // 2]
            results.append((middle, walls))
    finally:
        article.write_bytes(original)
        copy.unlink(missing_ok=True)
        if made_folder:
            try:
                templates.rmdir()
            except OSError:
                pass
    table(n, results, measured)
    if code_fingerprint() != measured_code:
        print(f"note: Loa's code changed while this N was measured ({measured_revision} -> "
              f"{revision()}); the steps did not all run the same code", flush=True)


def _progress(run: Run) -> None:
    print(f"  … {run.step}: {run.wall:.2f} s", file=sys.stderr, flush=True)


def table(n: int, results: list[tuple[Run, list[float]]], measured: dict[str, float]) -> None:
    """One row per step; with --repeat, the run of median wall time and the range of walls."""
    repeated = len(results[0][1]) > 1
    header = (f"{'step':<22} {'wall s':>8} {'CPU s':>8} {'sys s':>6} {'CPU/wall':>8} "
              f"{'pages':>7} {'pages/s':>8} {'peak MB':>8} {'PSS MB':>7} {'procs':>5}"
              + (f" {'wall min-max':>14}" if repeated else ""))
    print(header)
    print("-" * len(header))
    for run, walls in results:
        print(f"{run.step:<22} {run.wall:>8.2f} {run.cpu:>8.2f} {run.sys:>6.2f} "
              f"{run.cpu / run.wall:>8.2f} {run.pages:>7} {run.pages_per_second:>8.0f} "
              f"{run.peak / 2**20:>8.0f} "
              + (f"{run.tree_pss / 2**20:>7.0f}" if run.wall >= 2 else f"{'-':>7}")
              + f" {run.processes:>5}"
              + (f" {walls[0]:>6.2f}-{walls[-1]:<7.2f}" if repeated else "")
              + (" *" if run.processes <= 1 and run.cpu / run.wall < BUSY else ""))
    if any(r.processes <= 1 and r.cpu / r.wall < BUSY for r, _ in results):
        print(f"* CPU/wall under {BUSY}: the build waited for a CPU or the disk (other work on "
              f"the machine?); its wall time is not representative, CPU s is closer")
    try:
        print("load average now " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    except OSError:
        pass
    first = results[0][0]
    print(f"pages (HTML files): {first.pages} ({measured['html_files']:.0f}); "
          f"median page {measured['median_gzip_html']:.0f} bytes of gzip HTML; "
          f"output {measured['output_bytes'] / 2**20:.1f} MiB = "
          f"{measured['bytes_per_page']:.0f} bytes/page "
          f"({measured['plain_bytes_per_page']:.0f} without the .gz/.br copies)", flush=True)


# --------------------------------------------------------------------------- main

def size_arguments(parser: argparse.ArgumentParser) -> None:
    """--n and --out, as every benchmark script of bench/ takes them."""
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000],
                        help="numbers of articles (default: 1000 10000)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="folder for the sites and their builds (default: bench/out)")


def check_sizes(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if any(n < 1 for n in args.n):
        parser.error("--n must be at least 1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size_arguments(parser)
    parser.add_argument("--jobs", type=int, help="passed to build.py as --jobs J")
    parser.add_argument("--repeat", type=int, default=1,
                        help="builds per step; the table shows the median (default 1)")
    args = parser.parse_args(argv)
    check_sizes(parser, args)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    extra: list[str] = []
    print(machine())
    if args.jobs is not None:
        extra = ["--jobs", str(args.jobs)]
    print(f"each step: python build.py --source SITE --out OUT --today {TODAY} {' '.join(extra)}"
          .rstrip())
    for n in args.n:
        bench(n, args.out.resolve(), extra, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
