"""`init FOLDER`: a new portal named for its province, never written over a file."""
from __future__ import annotations

import pytest

from helpers import TODAY, build, run_cli

from loa import builtin


def test_a_new_portal_is_named_for_its_province_and_builds(tmp_path):
    run = run_cli("init", tmp_path / "cong", "--province", "Cà Mau")
    assert run.code == 0, run.err
    config = (tmp_path / "cong" / "site_config.yaml").read_text(encoding="utf-8")
    assert 'title: "Cổng thông tin Giảm nghèo về thông tin Cà Mau"' in config
    assert "$province" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "cong").rglob("*") if p.is_file())
    made = sorted(p.relative_to(tmp_path / "cong").as_posix()
                  for p in (tmp_path / "cong").rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(builtin.STARTER).as_posix()
                          for p in builtin.STARTER.rglob("*") if p.is_file())
    built = build(tmp_path / "cong", tmp_path / "out")
    assert built.code == 0, built.err
    assert "Cà Mau" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_init_never_writes_over_a_file(tmp_path):
    folder = tmp_path / "cong"
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "_index.md").write_text("bài của tỉnh", encoding="utf-8")
    run = run_cli("init", folder, "--province", "Cà Mau")
    assert run.code == 1 and "content/_index.md" in run.err and "ghi đè" in run.err
    # nothing at all was written, not even the files that were free
    assert [p.name for p in folder.rglob("*") if p.is_file()] == ["_index.md"]
    assert (folder / "content" / "_index.md").read_text(encoding="utf-8") == "bài của tỉnh"


@pytest.mark.parametrize("province", ["", '  ', 'Bạc "Liêu"', "Bạc $Liêu"])
def test_a_province_that_cannot_name_the_portal_is_asked_for(tmp_path, province):
    args = ["init", tmp_path / "cong"] + (["--province", province] if province else [])
    run = run_cli(*args)  # (not a terminal: nothing to ask, so it says what to give)
    assert run.code == 2 and "--province" in run.err
    assert not (tmp_path / "cong").exists()


def test_the_sample_articles_of_a_new_portal_pass_check(tmp_path):
    assert run_cli("init", tmp_path / "c", "--province", "Sóc Trăng").code == 0
    run = run_cli("check", "--source", tmp_path / "c", "--today", TODAY)
    assert run.code == 0, run.err
