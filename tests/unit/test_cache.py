"""The cache: one SQLite file, shared by forked workers; tables updated row by row."""
from loa import parallel
from loa.cache import FILE, Cache, key


def test_entries_are_written_together_and_live_in_one_file(tmp_path):
    cache = Cache(tmp_path)
    cache.put(key("a"), b"1")
    assert cache.get(key("a")) == b"1"  # (this process sees what it has not written yet)
    assert Cache(tmp_path).get(key("a")) is None
    cache.flush()
    assert Cache(tmp_path).get(key("a")) == b"1"
    assert Cache(tmp_path).get(key("b")) is None
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(FILE + "-")) \
        == [FILE]


def test_forked_workers_write_and_the_parent_reads(tmp_path):
    cache = Cache(tmp_path)
    cache.put("before", b"0")  # the parent's connection exists before the fork
    cache.flush()

    def work(i):
        cache.put(f"k{i}", str(i).encode())
        return cache.get("before")

    assert list(parallel.run(work, parallel.MIN_PARALLEL, 2, cache.flush)) == \
        [b"0"] * parallel.MIN_PARALLEL
    assert [cache.get(f"k{i}") for i in range(parallel.MIN_PARALLEL)] == [
        str(i).encode() for i in range(parallel.MIN_PARALLEL)]


def test_memo_computes_once(tmp_path):
    calls = []
    cache = Cache(tmp_path)
    for _ in range(3):
        assert cache.memo(("kind", "x"), lambda: calls.append(1) or b"made") == b"made"
    assert calls == [1]


def test_tables_change_by_row(tmp_path):
    for cache in (Cache(tmp_path), Cache(None)):
        cache.update_table("t", {"a": b"1", "b": b"2"}, [])
        cache.update_table("t", {"b": b"3", "c": b"4"}, ["a"])
        cache.update_table("other", {"a": b"x"}, [])
        assert cache.table("t") == {"b": b"3", "c": b"4"}


def test_check_reads_the_sites_cache_and_writes_its_own(tmp_path):
    site, scratch = tmp_path / "site", tmp_path / "scratch"
    writer = Cache(site)
    writer.put("a", b"1")
    writer.flush()
    reader = Cache(scratch, also=site)
    assert reader.get("a") == b"1"
    reader.put("b", b"2")
    reader.flush()
    assert Cache(site).get("b") is None and Cache(scratch).get("b") == b"2"


def test_a_cache_that_cannot_be_opened_only_costs_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_bytes(b"not a folder")
    cache = Cache(blocked)
    cache.put("a", b"1")
    cache.flush()
    assert Cache(blocked).get("a") is None and cache.table("t") == {}
