"""What the scripts of bench/ share: the corpus (made, reused, tidied), the machine and
the code measured, timing one process, and the --n/--out options."""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py)

BUILD = ROOT / "build.py"
TODAY = "2026-11-29"  # every build runs as if on this day: corpus.py dates nothing later
MARKER = ".bench-corpus.json"
# What bench/run.py changes in a corpus, so that anything it leaves can be undone.
SENTENCE = "Câu này do bench/run.py thêm vào để đo thời gian dựng lại sau khi sửa một bài."
TEMPLATE_COMMENT = "{# bench #}\n"
EDITED_TEMPLATES = ("article.html", "leaflet.html")


# --------------------------------------------------------------------------- the machine

def machine() -> str:
    """The date, the machine, its load and the Loa commit: the first lines of every report."""
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
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (f"measured {now}\n"
            f"nproc {cpus}; CPU {model}{memory}; Python {platform.python_version()} "
            f"({sys.executable}); {platform.system()} {platform.release()}; {load_average()}\n"
            f"Loa {revision()}")


def load_average() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def revision() -> str:
    """The commit measured, and whether loa/ or templates/ differ from it."""
    def git(*words: str) -> str:
        try:
            return subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10, check=False).stdout.strip()
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


# --------------------------------------------------------------------------- one process

@dataclasses.dataclass
class Finished:
    command: list[str]
    returncode: int
    wall: float     # seconds, from spawning the process to reaping it
    cpu: float      # user + system seconds of the process and of the children it waited for
    sys: float      # of which system (kernel) seconds
    maxrss: int     # bytes: wait4's ru_maxrss, the largest single process of the tree
    stdout: str
    stderr: str
    watched: Any    # what `watch` gave while the process ran (a memory sampler), or None

    def failure(self, what: str) -> str:
        """A message for SystemExit: the command and the end of what it said."""
        said = (self.stdout + self.stderr)[-4000:]
        return f"{what} failed (exit {self.returncode}): {' '.join(self.command)}\n{said}"


def child_environment() -> dict[str, str]:
    """Plain UTF-8 output without colours, whatever the caller's terminal."""
    return dict(os.environ, NO_COLOR="1", LC_ALL=os.environ.get("LC_ALL", "C.UTF-8"),
                PYTHONIOENCODING="utf-8")


def run_timed(command: list[str], cwd: Path = ROOT,
              watch: Callable[[int], AbstractContextManager[Any]] | None = None) -> Finished:
    """Runs `command` to its end, timed with os.wait4 (CPU and memory of the process and of
    the children it reaped). `watch(pid)` is entered while it runs (a sampler of the tree)."""
    watch = watch or (lambda pid: contextlib.nullcontext())
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=child_environment(),
                                   stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
        try:
            with watch(process.pid) as watched:
                _, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - started
        except BaseException:
            process.kill()
            process.wait()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        stdout.seek(0)
        stderr.seek(0)
        return Finished(command, process.returncode, wall, usage.ru_utime + usage.ru_stime,
                        usage.ru_stime, usage.ru_maxrss * 1024,
                        stdout.read().decode("utf-8", "replace"),
                        stderr.read().decode("utf-8", "replace"), watched)


def exit_cleanly_on_sigterm() -> None:
    """A `kill PID` then unwinds like Ctrl-C: `finally` blocks give the corpus its bytes
    back and stop the servers started. (Python's default for SIGTERM runs none of them.)"""
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))


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
    """Undo what an interrupted bench/run.py may have left: the sentences, the template copies."""
    article = chosen_article(site)
    text = article.read_bytes()
    added = f"\n{SENTENCE}\n".encode()
    while text.endswith(added):
        text = text[:-len(added)]
        article.write_bytes(text)
    templates = site / "templates"
    removed = False
    for name in EDITED_TEMPLATES:
        copy = templates / name
        if copy.exists() and copy.read_text(encoding="utf-8").endswith(TEMPLATE_COMMENT):
            copy.unlink()
            removed = True
    if removed:
        try:
            templates.rmdir()
        except OSError:
            pass  # it holds the site's own templates: leave it


# --------------------------------------------------------------------------- options

def size_arguments(parser: argparse.ArgumentParser) -> None:
    """--n and --out, as every benchmark script of bench/ takes them."""
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000],
                        help="numbers of articles (default: 1000 10000)")
    parser.add_argument("--out", type=Path, default=HERE / "out",
                        help="folder for the sites and their builds (default: bench/out)")


def check_sizes(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if any(n < 1 for n in args.n):
        parser.error("--n must be at least 1")
