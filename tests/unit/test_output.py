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
