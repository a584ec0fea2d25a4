"""A build of exactly the inputs of the last one, into the folder it left untouched,
has nothing to do: it says so without running the pipeline. Any change to what a build
reads (a file's size or time, the options) or to the output folder makes it build."""
import os
import re

import pytest

from helpers import ROOT, build, copy_site
from loa import pipeline


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = pipeline.build

    def build_counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build", build_counted)
    return calls


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for name in ("content", "data", "static"):
        copy_site(ROOT / name, site / name)
    (site / "site_config.yaml").write_bytes((ROOT / "site_config.yaml").read_bytes())
    return site


def test_nothing_changed_means_nothing_done(site, tmp_path, counted):
    out = tmp_path / "out"
    first = build(site, out)
    assert first.code == 0 and counted == [1]
    before = {p: os.stat(p) for p in out.rglob("*")}
    again = build(site, out)
    assert again.code == 0 and counted == [1]  # the pipeline did not run
    # the same report: pages, files and weights (only the time differs), and nothing made
    assert again.out.split(" trong ")[0] == re.sub(r"làm mới \d+", "làm mới 0",
                                                  first.out.split(" trong ")[0])
    assert again.out.splitlines()[1:] == first.out.splitlines()[1:]
    assert again.err == first.err  # the warnings again
    assert {p: (s.st_ino, s.st_mtime_ns) for p, s in before.items()} == {
        p: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in out.rglob("*")}


@pytest.mark.parametrize("change", ["touch an article", "another day", "edit the output",
                                    "add to the output", "delete from the output"])
def test_any_change_makes_it_build(site, tmp_path, counted, change):
    out = tmp_path / "out"
    assert build(site, out).code == 0
    reference = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    extra = []
    if change == "touch an article":
        article = next((site / "content" / "guides").glob("*.md"))
        stat = os.stat(article)
        os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    elif change == "another day":
        extra = ["--today", "2026-11-30"]
    elif change == "edit the output":
        (out / "index.html").write_bytes(b"edited")
    elif change == "add to the output":
        (out / "stray.html").write_bytes(b"stray")
    else:
        (out / "robots.txt").unlink()
    result = build(site, out, *extra)
    assert result.code == 0 and counted == [1, 1]
    if not extra:  # the same inputs: the folder is back to what they make
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
                if p.is_file()} == reference


def test_a_new_loa_makes_every_page_again_even_with_the_same_version_number(tmp_path,
                                                                           monkeypatch):
    # A fix (a figure written the wrong way) must reach pages already published, also when
    # Loa's code changed without a new version number (a git pull)
    from helpers import SITES
    from loa import cache
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "out"
    made = lambda run: int(re.search(r"làm mới (\d+)", run.out).group(1))  # noqa: E731
    first = build(site, out)
    assert first.code == 0 and made(first) > 20
    assert made(build(site, out)) == 0
    monkeypatch.setattr(cache, "_VERSION", cache._VERSION + b" changed")
    again = build(site, out)
    assert again.code == 0 and made(again) == made(first)
