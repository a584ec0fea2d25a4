import gzip
import os
import signal
import time

import brotli
import pytest

from loa.cache import Cache
from loa.models import OutputFile
from loa.output import OutputBusy, Publisher, check_target, up_to_date, write

PAGE = "Xin chào bà con. ".encode() * 200  # text that pays to compress


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def beside(out):
    return sorted(p.name for p in out.parent.iterdir())


def test_write_replaces_the_folder_with_exactly_the_outputs(tmp_path):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"1"), OutputFile("a/b/index.html", b"2")], out)
    assert files(out) == {"index.html": b"1", "a/b/index.html": b"2"}
    write([OutputFile("index.html", b"3")], out)
    assert files(out) == {"index.html": b"3"}  # stale pages do not survive a rebuild
    assert not (out / "a").exists()  # nor the folders they leave empty
    assert beside(out) == ["public"]  # no stage, journal or lock left


def test_output_folder_is_readable_by_a_web_server(tmp_path):
    old = os.umask(0o022)
    try:
        write([OutputFile("index.html", b"x")], tmp_path / "public")
        write([OutputFile("index.html", b"y"), OutputFile("a/b.html", b"z")],
              tmp_path / "public")
    finally:
        os.umask(old)
    for path in ("", "index.html", "a", "a/b.html"):
        assert (tmp_path / "public" / path).stat().st_mode & 0o444 == 0o444, path
    for folder in ("", "a"):
        assert (tmp_path / "public" / folder).stat().st_mode & 0o755 == 0o755, folder


@pytest.mark.parametrize("bad", ["../evil.html", "/etc/evil", "a/../../evil", "a\\..\\evil"])
def test_a_path_outside_the_folder_leaves_the_old_site_intact(tmp_path, bad):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"old")], out)
    with pytest.raises(ValueError):
        write([OutputFile("index.html", b"new"), OutputFile(bad, b"x")], out)
    assert files(out) == {"index.html": b"old"}
    assert not (tmp_path / "evil.html").exists()
    assert beside(out) == ["public"]


def test_refuses_targets_that_would_destroy_files(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    assert check_target(site, site)[0].key == "out_overlaps_site"
    assert check_target(site / "content" / "out", site)[0].key == "out_overlaps_site"
    assert check_target(tmp_path, site)[0].key == "out_overlaps_site"
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.docx").write_bytes(b"x")
    assert check_target(documents, site)[0].key == "out_not_a_site"
    (tmp_path / "file").write_bytes(b"x")
    assert check_target(tmp_path / "file", site)[0].key == "out_not_folder"
    assert check_target(site / "public", site) == []
    assert check_target(tmp_path / "new" / "public", site) == []


def publish(out, pages, precompress=True, cache=None):
    """Publish `pages` (path -> bytes) as the whole site."""
    with Publisher(out, cache or Cache(None), precompress) as publisher:
        publisher.commit([publisher.put(path, data) for path, data in pages.items()])


def test_copies_are_for_text_of_at_least_1024_bytes_and_only_when_smaller(tmp_path):
    out = tmp_path / "public"
    small = b"<p>x</p>" * 127  # 1,016 bytes: fits one packet anyway
    publish(out, {"index.html": PAGE, "b.svg": b"<svg/>", "c.jpg": b"\xff\xd8" * 800,
                  "small.html": small, "noise.txt": os.urandom(2000)})  # noise: no gain
    assert sorted(files(out)) == ["b.svg", "c.jpg", "index.html", "index.html.br",
                                  "index.html.gz", "noise.txt", "small.html"]
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == PAGE
    assert brotli.decompress((out / "index.html.br").read_bytes()) == PAGE


def test_a_file_with_the_same_bytes_is_the_same_file_after_a_rebuild(tmp_path):
    out = tmp_path / "public"
    for cache in (Cache(None), Cache(tmp_path / "cache")):  # compared, or by the manifest
        publish(out, {"index.html": PAGE, "a/index.html": b"old"}, cache=cache)
        before = {name: os.stat(out / name) for name in ("index.html", "index.html.gz",
                                                          "a/index.html")}
        time.sleep(0.01)
        publish(out, {"index.html": PAGE, "a/index.html": b"new"}, cache=cache)
        for name in ("index.html", "index.html.gz"):
            after = os.stat(out / name)
            assert (after.st_ino, after.st_mtime_ns) == (before[name].st_ino,
                                                         before[name].st_mtime_ns)
        assert os.stat(out / "a/index.html").st_ino != before["a/index.html"].st_ino
        assert files(out)["a/index.html"] == b"new"


def test_a_changed_file_loses_the_copies_that_no_longer_pay(tmp_path):
    out = tmp_path / "public"
    publish(out, {"index.html": PAGE, "data.json": PAGE})
    publish(out, {"index.html": b"<p>short</p>", "data.json": PAGE + b" "})
    assert sorted(files(out)) == ["data.json", "data.json.br", "data.json.gz", "index.html"]
    assert gzip.decompress((out / "data.json.gz").read_bytes()) == PAGE + b" "


def test_without_precompression_the_copies_go(tmp_path):
    out = tmp_path / "public"
    publish(out, {"index.html": PAGE})
    publish(out, {"index.html": PAGE}, precompress=False)
    assert sorted(files(out)) == ["index.html"]
    publish(out, {"index.html": PAGE})
    assert sorted(files(out)) == ["index.html", "index.html.br", "index.html.gz"]


def test_a_wrong_copy_beside_an_unchanged_file_is_made_again(tmp_path):
    out = tmp_path / "public"
    publish(out, {"index.html": PAGE})
    (out / "index.html.gz").write_bytes(gzip.compress(b"something else"))
    publish(out, {"index.html": PAGE})  # no manifest: the copies are checked
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == PAGE


def test_a_page_is_unchanged_by_fingerprint_only_while_its_file_is_untouched(tmp_path):
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "site" / "public"
    with Publisher(out, cache) as publisher:
        publisher.commit([publisher.put("index.html", PAGE, "f1", info=(1, ()))])

    with Publisher(out, cache) as publisher:
        assert publisher.unchanged("index.html", "f2") is None  # made from something else
        assert publisher.unchanged("index.html", "") is None  # made from nothing known
        kept = publisher.unchanged("index.html", "f1")
        assert kept is not None and kept.info == (1, ()) and kept.digest
        assert publisher.previous("index.html") == kept
        assert not publisher.stage.exists()  # nothing was staged for it
        publisher.commit([kept])
    assert sorted(files(out)) == ["index.html", "index.html.br", "index.html.gz"]

    (out / "index.html.br").unlink()  # a copy gone: the file is not as published
    with Publisher(out, cache) as publisher:
        assert publisher.unchanged("index.html", "f1") is None
        assert publisher.previous("index.html") is None
    (out / "index.html").write_bytes(b"edited by hand")
    with Publisher(out, cache) as publisher:
        assert publisher.unchanged("index.html", "f1") is None
    assert files(out)["index.html"] == b"edited by hand"
    assert beside(out) == ["public"]


def test_the_same_bytes_under_a_new_name_are_linked_from_the_old_file(tmp_path):
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "site" / "public"
    shard = b'{"ho tro":[[1,2,3]]}' * 100
    publish(out, {"index.html": b"<p>x</p>", "tim-kiem/i-old/3.json": shard}, cache=cache)
    before = {name: os.stat(out / "tim-kiem/i-old" / name) for name in ("3.json", "3.json.gz")}

    publish(out, {"index.html": b"<p>x</p>", "tim-kiem/i-new/3.json": shard,
                  "tim-kiem/i-new/4.json": shard + b" "}, cache=cache)
    for name in ("3.json", "3.json.gz"):
        assert os.stat(out / "tim-kiem/i-new" / name).st_ino == before[name].st_ino
    assert not (out / "tim-kiem/i-old").exists()
    assert (out / "tim-kiem/i-new/4.json").read_bytes() == shard + b" "
    assert (out / "tim-kiem/i-new/4.json.br").exists()


def test_a_file_may_become_a_folder_and_a_folder_a_file(tmp_path):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"1"), OutputFile("a", b"file"),
           OutputFile("b/c/d.html", b"deep")], out)
    write([OutputFile("index.html", b"1"), OutputFile("a/x.html", b"in a folder"),
           OutputFile("b", b"file now")], out)
    assert files(out) == {"index.html": b"1", "a/x.html": b"in a folder", "b": b"file now"}


def test_publishing_costs_what_changed(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "site" / "public"
    pages = {f"bai-{i}/index.html": PAGE + str(i).encode() for i in range(100)}
    publish(out, pages, cache=cache)
    calls = []
    for name in ("replace", "rename", "link", "mkdir", "unlink"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda *a, real=real, name=name, **k: (
            real(*a, **k), calls.append(name))[0])  # counted when done
    pages["bai-7/index.html"] = PAGE + b"changed"
    with Publisher(out, cache) as publisher:
        publisher.commit([publisher.unchanged(path, "") or publisher.put(path, data)
                          for path, data in pages.items()])
    # the page and its two copies, and the journal; the stage and the page's folder in it
    assert calls.count("replace") == 4 and calls.count("mkdir") == 2
    assert "link" not in calls and "rename" not in calls
    assert files(out)["bai-7/index.html"] == PAGE + b"changed"


def test_a_publisher_left_without_commit_changes_nothing(tmp_path):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"old")], out)
    with Publisher(out, Cache(None)) as publisher:  # a build that failed: no commit
        publisher.put("index.html", b"new")
        publisher.put("more/page.html", b"new")
    with pytest.raises(RuntimeError):
        with Publisher(out, Cache(None)) as publisher:  # a build that crashed
            publisher.put("index.html", b"newer")
            raise RuntimeError("crash")
    assert beside(out) == ["public"]
    assert files(out) == {"index.html": b"old"}
    with Publisher(out, Cache(None)) as publisher:
        publisher.put("index.html", b"discarded")
        publisher.discard()
        publisher.commit([publisher.put("index.html", b"new")])
    assert files(out) == {"index.html": b"new"}
    assert beside(out) == ["public"]


def test_the_state_says_when_the_same_inputs_need_no_build(tmp_path):
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "site" / "public"
    with Publisher(out, cache) as publisher:
        publisher.commit([publisher.put("index.html", b"x")], "inputs", "summary")
    assert up_to_date(out, cache, "inputs") == "summary"
    assert up_to_date(out, cache, "other inputs") is None
    (out / "new.html").write_bytes(b"y")
    assert up_to_date(out, cache, "inputs") is None


def test_a_second_publisher_on_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "public"
    with Publisher(out, Cache(None)):
        with pytest.raises(OutputBusy) as busy:
            Publisher(out, Cache(None))
        assert busy.value.diagnostic.key == "out_busy"
        with Publisher(tmp_path / "other", Cache(None)):  # another folder is free
            pass
    with Publisher(out, Cache(None)):  # released when the block ends
        pass


def test_a_killed_build_does_not_keep_the_folder_locked(tmp_path):
    out = tmp_path / "public"
    ready, tell = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            publisher = Publisher(out, Cache(None))
            publisher.put("index.html", b"half a build")
            os.write(tell, b"1")
            time.sleep(60)
        finally:
            os._exit(1)
    assert os.read(ready, 1) == b"1"
    with pytest.raises(OutputBusy):
        Publisher(out, Cache(None))
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    with Publisher(out, Cache(None)) as publisher:  # takes the lock, removes the stage
        assert not publisher.stage.exists()
    assert beside(out) == []


def test_a_linked_output_folder_is_published_where_it_really_is(tmp_path):
    (tmp_path / "disk").mkdir()
    (tmp_path / "public").symlink_to(tmp_path / "disk" / "public")
    write([OutputFile("index.html", b"1")], tmp_path / "public")
    write([OutputFile("index.html", b"2"), OutputFile("a/b.html", b"3")], tmp_path / "public")
    assert files(tmp_path / "disk" / "public") == {"index.html": b"2", "a/b.html": b"3"}
    assert (tmp_path / "public").is_symlink() and beside(tmp_path / "disk" / "public") == [
        "public"]


def test_only_the_rows_of_changed_files_are_written_to_the_manifest(tmp_path, monkeypatch):
    import pickle
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "site" / "public"
    pages = {f"{i}.html": PAGE + str(i).encode() for i in range(5)}
    info = {"reads": frozenset(f"input {i}" for i in range(50))}

    def build():
        with Publisher(out, cache) as publisher:
            publisher.commit([publisher.put(p, data, "f", info) for p, data in pages.items()])
            return publisher.table

    table = build()
    # the same rows in other bytes (as a set pickled by another process can be)
    cache.update_table(table, {path: pickle.dumps(pickle.loads(row), 2)
                               for path, row in cache.table(table).items()}, [])
    updates = []
    monkeypatch.setattr(Cache, "update_table", lambda self, tab, changed, gone: (
        updates.append((sorted(changed), sorted(gone)))))
    pages["3.html"] = b"changed"
    build()
    assert updates == [(["3.html"], [])]


@pytest.mark.parametrize("second", [
    {"index.html": b"x", "a/b/c.html": b"changed", "new/deep/page.html": b"new"},  # moves
    {"index.html": b"x"},  # deletions that empty folders
    {"index.html": b"x", "a/b": b"a file where a folder was", "d.html/e.html": b"!"},
])
def test_the_folder_after_a_publish_is_known_without_listing_it_again(tmp_path, second):
    # the state the next build compares the folder with is worked out from what the publish
    # moved and deleted: it must equal what listing the folder would find
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "site" / "public"
    first = {"index.html": b"x", "a/b/c.html": b"c", "a/d.html": b"d", "d.html": b"f"}
    for pages in (first, second):
        with Publisher(out, cache) as publisher:
            publisher.commit([publisher.put(p, data) for p, data in pages.items()], "in", "s")
    assert files(out) == second
    assert up_to_date(out, cache, "in") == "s"  # the state's listing is the folder's


def test_what_an_older_loa_left_beside_a_killed_build_is_cleaned(tmp_path):
    # (issue 14, defect 8: a killed build left .loa-tmp-* folders of up to 4.8 MB forever)
    out = tmp_path / "public"
    publish(out, {"index.html": b"x"})
    for name in (".loa-tmp-abc123", ".loa-old-def456"):
        (tmp_path / name / "guides").mkdir(parents=True)
        (tmp_path / name / "guides" / "index.html").write_bytes(b"old")
    (tmp_path / ".loa-tmp-not-a-folder").write_bytes(b"someone's file")
    publish(out, {"index.html": b"y"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".loa-tmp-not-a-folder", "public"]


def test_a_pack_killed_half_way_leaves_one_part_file_which_the_next_run_replaces(tmp_path):
    from loa.output import replace_file
    target = tmp_path / "goi.zip"
    (tmp_path / ".loa-part-goi.zip").write_bytes(b"half a zip")  # what a killed run left
    replace_file(target, b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi.zip"]
    assert target.read_bytes() == b"whole"
