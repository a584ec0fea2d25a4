"""How long `build.py serve` takes from an editor's save to the changed page (issue 7).

    python bench/serve.py [--n 1000] [--saves 5] [--out bench/out]

Starts `python build.py serve` on a copy of the corpus of bench/run.py (OUT/n<N>/site,
copied to OUT/n<N>/serve-site so the corpus itself is never edited), waits for the
first build, then saves one article again and again, each time appending a new
sentence, and polls the article's page over HTTP every 20 ms until the sentence is
there. Each figure is the time from the save (the file written) to the first response
that carries it: the watcher's debounce (serve.POLL + serve.QUIET), the rebuild and
the swap. The browser's reload comes after that, over the live-reload socket.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (bench/run.py: the corpus, made or reused, and the machine)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(url: str, needle: str, limit: float) -> float:
    """Seconds until the page at `url` holds `needle` (polled every 20 ms)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if needle in _fetch(url):
            return time.perf_counter() - started
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {needle!r} within {limit} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default: 1000)")
    parser.add_argument("--saves", type=int, default=5, help="saves measured (default: 5)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    print(run.machine())
    corpus = args.out / f"n{args.n}" / "site"
    run.ensure_corpus(args.n, corpus)
    site = args.out / f"n{args.n}" / "serve-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus, site, ignore=shutil.ignore_patterns(".loa-cache"))
    article = run.chosen_article(site)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{article.parent.name}/{article.stem}/"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site), "--port",
         str(port), "--today", "2026-11-29"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = _wait_for(url, "<h1", 600)
        print(f"N = {args.n}: first build served after {first:.1f} s; {url}")
        figures = []
        for save in range(1, args.saves + 1):
            time.sleep(1.0)  # a pause between saves, as an editor makes
            sentence = f"Câu thêm lần thứ {save} để đo thời gian."
            with article.open("a", encoding="utf-8") as file:
                file.write(f"\n{sentence}\n")
            figures.append(_wait_for(url, sentence, 600))
            print(f"  save {save}: page changed after {figures[-1]:.2f} s")
        print(f"median {statistics.median(figures):.2f} s, min {min(figures):.2f} s, "
              f"max {max(figures):.2f} s over {len(figures)} saves")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
