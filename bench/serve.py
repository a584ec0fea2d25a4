"""How long `build.py serve` takes from an editor's save to the changed page (issue 7).

    python bench/serve.py [--n 1000] [--saves 5] [--out bench/out]

Starts `python build.py serve` on a copy of the corpus of bench/run.py (OUT/n<N>/site,
copied to OUT/n<N>/serve-site so the corpus itself is never edited), waits for the
first build, then saves one article again and again, each time appending a new
sentence, and polls the article's page over HTTP every 20 ms until the sentence is
there. Each figure is the time from the save (the file written) to the first response
that carries it: noticing the change, the rebuild and the swap, whatever way `serve`
does them. The browser's reload comes after that, over the live-reload socket.

bench/run.py calls `measure` for each N it builds. The server runs in a process group of
its own, stopped (with any worker it started) however the measurement ends: done, failed,
Ctrl-C or `kill`.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402  (bench/common.py: the corpus, made or reused, and the machine)

POLL_SECONDS = 0.02
PAUSE_SECONDS = 1.0  # between saves, as an editor makes them
SAVE_LIMIT = 600.0  # seconds a save may take to show before the measurement fails
STOP_SECONDS = 10.0  # a server still running this long after SIGTERM gets SIGKILL


class ServeError(Exception):
    """The server did not start, died, or never showed a save."""


@dataclasses.dataclass
class Timings:
    url: str
    first: float  # seconds from starting `serve` to the article's page first served
    saves: list[float]  # seconds from each save to the first response that carries it

    @property
    def median(self) -> float:
        return statistics.median(self.saves)

    def summary(self) -> str:
        return (f"median {self.median:.2f} s, min {min(self.saves):.2f} s, "
                f"max {max(self.saves):.2f} s over {len(self.saves)} saves")


# --------------------------------------------------------------------------- the server

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass  # the whole group has already gone


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's group; SIGKILL to what is left of it after STOP_SECONDS
    (a worker the server started may outlive it)."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    _signal_group(process, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def served(site: Path, port: int) -> Iterator[tuple[subprocess.Popen, IO[bytes]]]:
    """`build.py serve` on `site`, its output in a temporary file; stopped on leaving."""
    command = [sys.executable, str(common.BUILD), "serve", "--source", str(site),
               "--port", str(port), "--today", common.TODAY]
    with tempfile.TemporaryFile() as log:
        # A session of its own: the group can be stopped whole, and a Ctrl-C in the
        # terminal reaches only this script, which then stops the group itself.
        process = subprocess.Popen(command, cwd=common.ROOT, env=common.child_environment(),
                                   stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield process, log
        finally:
            _stop(process)


def _said(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-4000:]


# --------------------------------------------------------------------------- polling

def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(url: str, needle: str, limit: float, alive: Callable[[], bool]) -> float:
    """Seconds until the page at `url` holds `needle`, polled every POLL_SECONDS."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if needle in _fetch(url):
            return time.perf_counter() - started
        if not alive():
            raise ServeError(f"the server stopped before {url} showed {needle!r}")
        time.sleep(POLL_SECONDS)
    raise ServeError(f"{url} did not show {needle!r} within {limit:.0f} s")


def _first_build_limit(n: int) -> float:
    """Seconds the first (cold) build may take: generous, it is not what is measured."""
    return max(600.0, 0.06 * n)


# --------------------------------------------------------------------------- measuring

def fresh_copy(n: int, base: Path) -> Path:
    """OUT/n<N>/serve-site: the corpus as generated, without its cache."""
    corpus_site = base / f"n{n}" / "site"
    corpus_site.parent.mkdir(parents=True, exist_ok=True)
    common.ensure_corpus(n, corpus_site)
    common.tidy(corpus_site)  # what an interrupted bench/run.py may have left
    site = base / f"n{n}" / "serve-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus_site, site, ignore=shutil.ignore_patterns(".loa-cache"))
    return site


def measure(n: int, base: Path, saves: int, say: Callable[[str], None] = print) -> Timings:
    """Serves a fresh copy of the corpus of N articles and times `saves` saves of one
    article; raises ServeError if the server fails or a save never shows."""
    site = fresh_copy(n, base)
    article = common.chosen_article(site)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{article.parent.name}/{article.stem}/"
    with served(site, port) as (server, log):
        def alive() -> bool:
            return server.poll() is None
        try:
            first = _wait_for(url, "<h1", _first_build_limit(n), alive)
            say(f"  serve, N = {n}: first build served after {first:.1f} s; {url}")
            figures = []
            for save in range(1, saves + 1):
                time.sleep(PAUSE_SECONDS)
                sentence = f"Câu thêm lần thứ {save} để đo thời gian."
                with article.open("a", encoding="utf-8") as file:
                    file.write(f"\n{sentence}\n")
                figures.append(_wait_for(url, sentence, SAVE_LIMIT, alive))
                say(f"  save {save}: page changed after {figures[-1]:.2f} s")
        except ServeError as error:
            raise ServeError(f"{error}; the server said:\n{_said(log)}") from None
    return Timings(url, first, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default: 1000)")
    parser.add_argument("--saves", type=int, default=5, help="saves measured (default: 5)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    if args.n < 1 or args.saves < 1:
        parser.error("--n and --saves must be at least 1")
    common.exit_cleanly_on_sigterm()
    print(common.machine())
    try:
        timings = measure(args.n, args.out.resolve(), args.saves)
    except ServeError as error:
        raise SystemExit(f"bench/serve.py: {error}")
    print(timings.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
