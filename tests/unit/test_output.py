import os

import pytest

from loa.models import OutputFile
from loa.output import check_target, write


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_write_replaces_the_folder_with_exactly_the_outputs(tmp_path):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"1"), OutputFile("a/b/index.html", b"2")], out)
    assert files(out) == {"index.html": b"1", "a/b/index.html": b"2"}
    write([OutputFile("index.html", b"3")], out)
    assert files(out) == {"index.html": b"3"}  # stale pages do not survive a rebuild
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no temp folders left


def test_output_folder_is_readable_by_a_web_server(tmp_path):
    old = os.umask(0o022)
    try:
        write([OutputFile("index.html", b"x")], tmp_path / "public")
    finally:
        os.umask(old)
    assert (tmp_path / "public").stat().st_mode & 0o755 == 0o755


@pytest.mark.parametrize("bad", ["../evil.html", "/etc/evil", "a/../../evil", "a\\..\\evil"])
def test_a_path_outside_the_folder_leaves_the_old_site_intact(tmp_path, bad):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"old")], out)
    with pytest.raises(ValueError):
        write([OutputFile("index.html", b"new"), OutputFile(bad, b"x")], out)
    assert files(out) == {"index.html": b"old"}
    assert not (tmp_path / "evil.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


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


def _staging(out, precompress=False, cache=None):
    from loa.cache import Cache
    from loa.output import Staging
    return Staging(out, cache or Cache(None), precompress)


def test_precompressed_copies_are_for_text_and_only_when_smaller(tmp_path):
    import brotli
    import gzip
    out = tmp_path / "public"
    staging = _staging(out, precompress=True)
    page = "Xin chào bà con. ".encode() * 200
    written = [staging.put("index.html", page), staging.put("b.svg", b"<svg/>"),
               staging.put("c.jpg", b"\xff\xd8" * 500)]
    staging.commit(written)
    assert sorted(files(out)) == ["b.svg", "c.jpg", "index.html", "index.html.br",
                                  "index.html.gz"]
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == page
    assert brotli.decompress((out / "index.html.br").read_bytes()) == page


def test_a_file_with_the_same_bytes_is_the_same_file_after_a_rebuild(tmp_path):
    out = tmp_path / "public"
    write([OutputFile("index.html", b"same"), OutputFile("a/index.html", b"old")], out)
    before = {name: os.stat(out / name) for name in ("index.html", "a/index.html")}
    write([OutputFile("index.html", b"same"), OutputFile("a/index.html", b"new")], out)
    same, changed = os.stat(out / "index.html"), os.stat(out / "a/index.html")
    assert (same.st_ino, same.st_mtime_ns) == (before["index.html"].st_ino,
                                               before["index.html"].st_mtime_ns)
    assert changed.st_ino != before["a/index.html"].st_ino
    assert files(out) == {"index.html": b"same", "a/index.html": b"new"}


def test_a_page_is_reused_by_fingerprint_only_while_its_file_is_untouched(tmp_path):
    from loa.cache import Cache
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "public"
    staging = _staging(out, precompress=True, cache=cache)
    staging.commit([staging.put("index.html", b"<p>x</p>" * 100, "f1", info=(1, ()))])

    staging = _staging(out, precompress=True, cache=cache)
    assert staging.reuse("index.html", "f2") is None  # made from something else now
    kept = staging.reuse("index.html", "f1")
    assert kept is not None and kept.info == (1, ())
    assert sorted(files(staging.folder)) == ["index.html", "index.html.br", "index.html.gz"]
    staging.commit([kept])

    (out / "index.html").write_bytes(b"edited by hand")
    staging = _staging(out, precompress=True, cache=cache)
    assert staging.reuse("index.html", "f1") is None  # the file is not what was made
    staging.discard()
    assert files(out)["index.html"] == b"edited by hand"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "public"]


def test_the_same_bytes_under_a_new_name_are_linked_from_the_old_file(tmp_path):
    from loa.cache import Cache
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "public"
    shard = b'{"ho tro":[[1,2,3]]}' * 50
    staging = _staging(out, precompress=True, cache=cache)
    staging.commit([staging.put("index.html", b"<p>x</p>"),
                    staging.put("tim-kiem/i-old/3.json", shard)])
    before = {name: os.stat(out / "tim-kiem/i-old" / name) for name in ("3.json", "3.json.gz")}

    staging = _staging(out, precompress=True, cache=cache)
    staging.commit([staging.put("index.html", b"<p>x</p>"),
                    staging.put("tim-kiem/i-new/3.json", shard),
                    staging.put("tim-kiem/i-new/4.json", shard + b" ")])
    for name in ("3.json", "3.json.gz"):
        assert os.stat(out / "tim-kiem/i-new" / name).st_ino == before[name].st_ino
    assert not (out / "tim-kiem/i-old").exists()
    assert (out / "tim-kiem/i-new/4.json").read_bytes() == shard + b" "
    assert (out / "tim-kiem/i-new/4.json.br").exists()


def test_a_staging_block_left_without_commit_leaves_nothing_behind(tmp_path):
    from loa.cache import Cache
    from loa.output import Staging

    out = tmp_path / "public"
    write([OutputFile("index.html", b"old")], out)
    with Staging(out, Cache(None)) as staging:  # a build that failed: no commit
        staging.put("index.html", b"new")
    with pytest.raises(RuntimeError):
        with Staging(out, Cache(None)) as staging:  # a build that crashed
            staging.put("index.html", b"newer")
            raise RuntimeError("crash")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    assert (out / "index.html").read_bytes() == b"old"
    with Staging(out, Cache(None)) as staging:
        staging.commit([staging.put("index.html", b"new")])
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
