"""--jobs: worker processes change how fast a site is built, never what is built."""
from pathlib import Path

from helpers import bench_corpus, build, run_cli
from loa import parallel

N = 240  # articles: with sections, tags and places, well over parallel.MIN_PARALLEL pages


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_workers_build_byte_for_byte_what_one_process_builds(tmp_path):
    site = tmp_path / "site"
    bench_corpus().generate(N, site)
    assert parallel.workers_for(N, 2) == 2  # the Markdown stage alone is worth two workers
    one, two = tmp_path / "one", tmp_path / "two"
    assert build(site, one, "--jobs", "1").code == 0
    (site / ".loa-cache").rename(tmp_path / "cache-of-one")  # the second build starts cold
    result = build(site, two, "--jobs", "2")
    assert result.code == 0, result.err
    first, second = _tree(one), _tree(two)
    assert len(first) > 3 * N
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_jobs_must_be_a_positive_number(tmp_path):
    for bad in ("0", "-2", "many"):
        result = run_cli("build", "--source", tmp_path, "--jobs", bad)
        assert result.code == 2 and "--jobs" in result.err
