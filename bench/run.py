"""Times whole builds of a synthetic site and prints issue 13's targets.

    python bench/run.py [--n 1000 10000] [--out bench/out] [--jobs J] [--repeat R]
                        [--no-hugo] [--no-serve]

For each N the site is generated once by bench/corpus.py into OUT/n<N>/site (reused
when it is already there for the same N, seed and generator) and built into
OUT/n<N>/public: cold, cold with one worker, warm, after one article changed, after
article.html changed and after leaflet.html changed. Every build is its own
`python build.py` process, so nothing (imports, Jinja caches, memory) is shared between
them; only `.loa-cache/` and the output folder carry over, as they would for an editor.

In the same run, on the same site: Python-Markdown's own CPU on the same bodies
(bench/markdown_floor.py, its own process), Hugo's cold build (bench/hugo.py; skipped
with --no-hugo or when `hugo` is missing) and `serve` from a save to the changed page
(bench/serve.py; skipped with --no-serve). Last, one table of issue 13's targets
(bench/targets.py). See bench/README.md for what each figure means.
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import re
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402  (bench/common.py: the corpus, the machine, timing a process)
import hugo  # noqa: E402  (bench/hugo.py: the Hugo copy of the corpus, and its build)
import serve  # noqa: E402  (bench/serve.py: a save timed through `build.py serve`)
import targets  # noqa: E402  (bench/targets.py: issue 13's targets)

FLOOR = HERE / "markdown_floor.py"
# cli.built in i18n/vi.yaml: "Đã dựng 1.215 trang (2.480 tệp; làm mới 12) …", 1.215 = 1215
BUILT = re.compile(r"Đã dựng ([\d.]+) trang(?: \([\d.]+ tệp; làm mới ([\d.]+)\))?")
MADE = "làm mới: "  # cli.made: one line a file made again, with --explain
SCRIPT = "loa.txt"  # loa/spoken.py's FILE: beside each article's index.html
LEAFLET = "to-roi"  # loa/urls.py's LEAFLET: an article's leaflet is <article>/to-roi/
SAMPLE_SECONDS = 0.05
BUSY = 0.9  # a one-process build using less of a CPU than this was kept waiting
PSS_MIN_WALL = 2.0  # PSS is sampled once a second: a shorter build may show none of it
SERVE_SAVES = 3
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

try:
    import psutil  # optional: only for the process tree's memory
except ImportError:  # pragma: no cover - depends on the machine
    psutil = None


# ----------------------------------------------------------------- memory of a process tree
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


    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exception: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- one build

@dataclasses.dataclass
class Run:
    step: str
    wall: float          # seconds, from spawning the process to reaping it
    cpu: float           # user + system seconds of the process and its reaped children
    sys: float           # of which system (kernel) seconds
    pages: int           # from the build's "Đã dựng N trang" line
    made: int | None     # files made again, from the same line ("làm mới K"), if it says
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

    @property
    def pss(self) -> int | None:
        return self.tree_pss if self.wall >= PSS_MIN_WALL else None


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def build(step: str, site: Path, out: Path, extra: list[str]) -> Run:
    command = [sys.executable, str(common.BUILD), "build", "--source", str(site),
               "--out", str(out), "--today", common.TODAY, *extra]
    finished = common.run_timed(command, watch=TreeSampler)
    if finished.returncode != 0:
        raise SystemExit(finished.failure(f"bench: step '{step}'"))
    found = BUILT.search(finished.stdout)
    if not found:
        raise SystemExit(f"bench: step '{step}': no 'Đã dựng N trang' line in the output:\n"
                         f"{finished.stdout}")
    sampler = finished.watched
    return Run(step=step, wall=finished.wall, cpu=finished.cpu, sys=finished.sys,
               pages=_number(found.group(1)),
               made=_number(found.group(2)) if found.group(2) else None,
               maxrss=finished.maxrss, tree_peak=sampler.peak, tree_pss=sampler.pss_peak,
               processes=sampler.processes, stdout=finished.stdout)


# --------------------------------------------------------------------------- the steps

class CorpusEdits:
    """What the steps change in the corpus: one article, and site copies of Loa's templates
    (a site's templates/ overrides Loa's; Loa's own are never touched). Used as a context
    manager: the corpus gets its bytes back however the block ends."""

    def __init__(self, site: Path) -> None:
        common.tidy(site)
        self.article = common.chosen_article(site)
        self.original = self.article.read_bytes()
        self.templates = site / "templates"
        self.made_folder = not self.templates.exists()
        for name in common.EDITED_TEMPLATES:
            if (self.templates / name).exists():
                raise SystemExit(f"bench: {self.templates / name} exists and is not ours; "
                                 f"refusing to overwrite it")

    def change_article(self) -> None:
        """One more sentence each time: every build sees a change."""
        with self.article.open("ab") as file:
            file.write(f"\n{common.SENTENCE}\n".encode())

    def change_template(self, name: str) -> None:
        """The site's copy of Loa's template, then one more comment each time."""
        copy = self.templates / name
        if not copy.exists():
            self.templates.mkdir(exist_ok=True)
            shutil.copyfile(common.ROOT / "templates" / name, copy)
            if not copy.read_bytes().endswith(b"\n"):
                with copy.open("a", encoding="utf-8") as file:
                    file.write("\n")
        with copy.open("a", encoding="utf-8") as file:
            file.write(common.TEMPLATE_COMMENT)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exception: object) -> None:
        self.article.write_bytes(self.original)
        for name in common.EDITED_TEMPLATES:
            (self.templates / name).unlink(missing_ok=True)
        if self.made_folder:
            try:
                self.templates.rmdir()
            except OSError:
                pass


@dataclasses.dataclass(frozen=True)
class Step:
    name: str
    prepare: Callable[[], None] | None
    jobs: int | None  # --jobs J for build.py; None: its default
    explain: bool = False  # --explain: name every file made again

    def arguments(self) -> list[str]:
        return ((["--jobs", str(self.jobs)] if self.jobs is not None else [])
                + (["--explain"] if self.explain else []))


COLD, COLD_ONE_JOB, ARTICLE = "cold", "cold, --jobs 1", "one article changed"
ARTICLE_TEMPLATE, LEAFLET_TEMPLATE = "article.html changed", "leaflet.html changed"


def steps(site: Path, out: Path, edits: CorpusEdits, jobs: int | None) -> list[Step]:
    """Cold (with the run's --jobs, then with one worker unless that is the same), warm,
    one article changed, then each template changed: each step changes only its own
    thing, the earlier changes staying as they are."""
    def cold() -> None:
        shutil.rmtree(site / ".loa-cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)

    found = [Step(COLD, cold, jobs)]
    if jobs != 1:
        found.append(Step(COLD_ONE_JOB, cold, 1))
    return found + [
        Step("warm, nothing changed", None, jobs),
        Step(ARTICLE, edits.change_article, jobs),
        Step(ARTICLE_TEMPLATE, lambda: edits.change_template("article.html"), jobs, True),
        Step(LEAFLET_TEMPLATE, lambda: edits.change_template("leaflet.html"), jobs, True),
    ]


def by_median_wall(runs: list) -> tuple:
    """The run of median wall time (the lower middle of an even count), and every wall."""
    walls = sorted(r.wall for r in runs)
    return sorted(runs, key=lambda r: r.wall)[(len(runs) - 1) // 2], walls


def loa_steps(site: Path, out: Path, jobs: int | None,
              repeat: int) -> tuple[dict[str, tuple[Run, list[float]]], dict[str, float]]:
    """Every step, `repeat` times each: the run of median wall time per step, and the sizes
    of the cold build's output."""
    results: dict[str, tuple[Run, list[float]]] = {}
    with CorpusEdits(site) as edits:
        for step in steps(site, out, edits, jobs):
            runs = []
            for _ in range(repeat):
                if step.prepare:
                    step.prepare()
                runs.append(build(step.name, site, out, step.arguments()))
                print(f"  … {step.name}: {runs[-1].wall:.2f} s", file=sys.stderr, flush=True)
            if step.name == COLD:
                measured = sizes(out, runs[-1].pages)
            results[step.name] = by_median_wall(runs)
    return results, measured


# ----------------------------------------------------------- what a template change made

def made_paths(said: str) -> list[str]:
    """The output paths an --explain build names, one `làm mới: PATH` line each."""
    return [line[len(MADE):].strip() for line in said.splitlines() if line.startswith(MADE)]


def article_pages(out: Path) -> set[str]:
    """Output paths of the pages drawn with article.html: the index.html beside each
    loudspeaker script. (Stand-alone pages and translations use it too, without a script;
    the corpus has neither, which `template_renders` checks by counting.)"""
    return {(script.parent / "index.html").relative_to(out).as_posix()
            for script in out.rglob(SCRIPT)}


def leaflet_pages(out: Path, articles: set[str]) -> set[str]:
    """Output paths of the leaflets (leaflet.html): <article>/to-roi/index.html."""
    found = set()
    for page in articles:
        leaflet = page.removesuffix("index.html") + f"{LEAFLET}/index.html"
        if (out / leaflet).exists():
            found.add(leaflet)
    return found


def renders(template: str, run: Run, users: set[str]) -> targets.TemplateRenders:
    """What `run` made again, told apart by whether the template draws it. A build that
    says it made K files but names fewer counts the unnamed ones as not using it."""
    paths = made_paths(run.stdout)
    made = run.made if run.made is not None else len(paths)
    return targets.TemplateRenders(template, len(users), made, sum(p in users for p in paths))


def template_renders(n: int, out: Path,
                     results: dict[str, tuple[Run, list[float]]]) -> list[targets.TemplateRenders]:
    articles = article_pages(out)
    if len(articles) != n:
        print(f"note: {len(articles)} article pages (index.html beside {SCRIPT}) in the output "
              f"for {n} articles: the pages counted as drawn with article.html may be wrong")
    return [renders("article.html", results[ARTICLE_TEMPLATE][0], articles),
            renders("leaflet.html", results[LEAFLET_TEMPLATE][0], leaflet_pages(out, articles))]


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


# --------------------------------------------------------------------------- the others, same site

def markdown_cpu(site: Path, repeat: int) -> tuple[float, int]:
    """Python-Markdown's own CPU seconds on the site's bodies (median of `repeat` runs of
    bench/markdown_floor.py, each its own process), and the number of bodies."""
    figures = []
    for _ in range(repeat):
        finished = common.run_timed([sys.executable, str(FLOOR), str(site)])
        if finished.returncode != 0:
            raise SystemExit(finished.failure("bench: Python-Markdown alone"))
        figures.append(json.loads(finished.stdout))
    return statistics.median(f["cpu"] for f in figures), figures[0]["bodies"]


def hugo_cold(n: int, base: Path, executable: str, repeat: int) -> hugo.Run:
    """Hugo's cold build of its copy of the corpus (made again each run: the conversion is
    cheap and follows any change to corpus.py or hugo.py); the run of median wall time."""
    site, folder = base / f"n{n}" / "site", base / f"n{n}"
    print(f"Hugo: {hugo.converted(site, folder / 'hugo-site')}", flush=True)
    runs = [hugo.hugo_cold(executable, folder / "hugo-site", folder / "hugo-public")
            for _ in range(repeat)]
    return by_median_wall(runs)[0]


def serve_median(n: int, base: Path) -> tuple[float | None, str]:
    """The median of SERVE_SAVES saves through `build.py serve`, or None and why not."""
    try:
        timings = serve.measure(n, base, SERVE_SAVES)
    except serve.ServeError as error:
        print(f"serve: could not be measured: {error}", flush=True)
        return None, "failed (see above)"
    print(f"serve: {timings.summary()}", flush=True)
    return timings.median, ""


# --------------------------------------------------------------------------- one N

@dataclasses.dataclass(frozen=True)
class Options:
    jobs: int | None
    repeat: int
    hugo: str | None  # the hugo executable; None: Hugo not measured
    hugo_missing: str  # why not
    serve: bool


def bench(n: int, base: Path, options: Options) -> targets.Figures:
    site, out = base / f"n{n}" / "site", base / f"n{n}" / "public"
    site.parent.mkdir(parents=True, exist_ok=True)
    spent = common.ensure_corpus(n, site)
    print(f"\nN = {n} articles: site {site} "
          + (f"(generated in {spent:.1f} s)" if spent is not None else "(reused)"), flush=True)
    measured_revision, measured_code = common.revision(), common.code_fingerprint()
    results, measured = loa_steps(site, out, options.jobs, options.repeat)
    table(results, measured)
    rendered = template_renders(n, out, results)
    for made in rendered:
        print(f"template changed, {made.summary()}")
    others, total = sum(t.others for t in rendered), sum(t.made for t in rendered)
    print(f"renders only routes that use it: {'yes' if others == 0 else 'no'} "
          f"(made {total}, of which {others} not using it)", flush=True)
    cold = results[COLD][0]
    figures = targets.Figures(
        n=n, jobs=f"--jobs {options.jobs}" if options.jobs is not None else "",
        cold_wall=cold.wall, cold_cpu_one_job=results.get(COLD_ONE_JOB, results[COLD])[0].cpu,
        cold_pss=cold.pss, article_wall=results[ARTICLE][0].wall, templates=rendered)
    others_measured(n, base, options, figures)
    if common.code_fingerprint() != measured_code:
        print(f"note: Loa's code changed while this N was measured ({measured_revision} -> "
              f"{common.revision()}); the steps did not all run the same code", flush=True)
    return figures


def others_measured(n: int, base: Path, options: Options, figures: targets.Figures) -> None:
    """Python-Markdown, Hugo and serve on the same site, into `figures`."""
    site = base / f"n{n}" / "site"
    figures.markdown_cpu, bodies = markdown_cpu(site, options.repeat)
    print(f"Python-Markdown alone: {bodies} bodies, {figures.markdown_cpu:.2f} s CPU "
          f"({figures.markdown_cpu / bodies * 1000:.2f} ms a body); the cold build with one "
          f"worker took {figures.cold_cpu_one_job / figures.markdown_cpu:.1f}× that CPU",
          flush=True)
    if options.hugo is None:
        figures.missing["hugo"] = options.hugo_missing
    else:
        figures.hugo_wall = hugo_report(hugo_cold(n, base, options.hugo, options.repeat),
                                        figures.cold_wall)
    if not options.serve:
        figures.missing["serve"] = "--no-serve"
    else:
        figures.serve_median, why = serve_median(n, base)
        if why:
            figures.missing["serve"] = why


def hugo_report(run: hugo.Run, loa_wall: float) -> float:
    """Says what Hugo's cold build cost; its wall seconds."""
    redirects = f" ({run.redirects} of them redirects)" if run.redirects else ""
    print(f"Hugo cold: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, "
          f"{run.maxrss / 2**20:.0f} MiB largest process, {run.pages} pages{redirects}; "
          f"Loa's cold wall is {loa_wall / run.wall:.1f}× Hugo's", flush=True)
    return run.wall


def table(results: dict[str, tuple[Run, list[float]]], measured: dict[str, float]) -> None:
    """One row per step; with --repeat, the run of median wall time and the range of walls."""
    repeated = len(next(iter(results.values()))[1]) > 1
    header = (f"{'step':<22} {'wall s':>8} {'CPU s':>8} {'sys s':>6} {'CPU/wall':>8} "
              f"{'pages':>7} {'made':>6} {'pages/s':>8} {'peak MB':>8} {'PSS MB':>7} {'procs':>5}"
              + (f" {'wall min-max':>14}" if repeated else ""))
    print(header)
    print("-" * len(header))
    for run, walls in results.values():
        pss = f"{run.pss / 2**20:>7.0f}" if run.pss is not None else f"{'-':>7}"
        made = f"{run.made:>6}" if run.made is not None else f"{'-':>6}"
        print(f"{run.step:<22} {run.wall:>8.2f} {run.cpu:>8.2f} {run.sys:>6.2f} "
              f"{run.cpu / run.wall:>8.2f} {run.pages:>7} {made} {run.pages_per_second:>8.0f} "
              f"{run.peak / 2**20:>8.0f} {pss} {run.processes:>5}"
              + (f" {walls[0]:>6.2f}-{walls[-1]:<7.2f}" if repeated else "")
              + (" *" if run.processes <= 1 and run.cpu / run.wall < BUSY else ""))
    if any(r.processes <= 1 and r.cpu / r.wall < BUSY for r, _ in results.values()):
        print(f"* CPU/wall under {BUSY}: the build waited for a CPU or the disk (other work on "
              f"the machine?); its wall time is not representative, CPU s is closer")
    print(f"{common.load_average()} now")
    first = results[COLD][0]
    print(f"pages (HTML files): {first.pages} ({measured['html_files']:.0f}); "
          f"median page {measured['median_gzip_html']:.0f} bytes of gzip HTML; "
          f"output {measured['output_bytes'] / 2**20:.1f} MiB = "
          f"{measured['bytes_per_page']:.0f} bytes/page "
          f"({measured['plain_bytes_per_page']:.0f} without the .gz/.br copies)", flush=True)


# --------------------------------------------------------------------------- main

def hugo_found(wanted: bool) -> tuple[str | None, str]:
    """The hugo executable, or None and why Hugo is not measured (said once, at the top)."""
    if not wanted:
        print("Hugo: not measured (--no-hugo)")
        return None, "--no-hugo"
    found = hugo.find_hugo()
    if found is None:
        print(f"Hugo: `hugo` is not on PATH, so the Hugo ratio cannot be measured.\n"
              f"{hugo.INSTALL}")
        return None, "hugo not on PATH"
    print(f"{found[1]}; each Hugo build: {found[0]} --quiet -s SITE -d OUT "
          f"(bench/hugo/hugo.toml: related articles on)")
    return found[0], ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.size_arguments(parser)
    parser.add_argument("--jobs", type=int, help="passed to build.py as --jobs J "
                        "(the step 'cold, --jobs 1' always uses one)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="builds per step; the table shows the median (default 1)")
    parser.add_argument("--no-hugo", action="store_true", help="do not build with Hugo")
    parser.add_argument("--no-serve", action="store_true", help="do not time build.py serve")
    args = parser.parse_args(argv)
    common.check_sizes(parser, args)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    common.exit_cleanly_on_sigterm()
    print(common.machine())
    jobs = f" --jobs {args.jobs}" if args.jobs is not None else ""
    print(f"each step: python build.py build --source SITE --out OUT --today {common.TODAY}{jobs}")
    executable, missing = hugo_found(not args.no_hugo)
    options = Options(args.jobs, args.repeat, executable, missing, not args.no_serve)
    base = args.out.resolve()
    figures = {n: bench(n, base, options) for n in args.n}
    print(f"\nTargets of issue 13 ({common.revision()}; {common.load_average()} now)\n")
    print(targets.table(targets.rows(figures)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
