"""The web editor published at /admin/ when site_config.yaml names a Git host (`editor:`):
its page, its configuration for that host and Decap's script, and nowhere a reader or a
crawler goes (sitemap, search, feeds, the offline pack)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from helpers import EDITOR_PARTS, SITES, TODAY, build, copy_site, run_cli, with_editor

EDITOR = """
editor:
  backend: github
  repo: tinh-bac-lieu/cong-thong-tin
  branch: main
"""


def site_with(tmp_path: Path, block: str, installed: bool = True) -> Path:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "title: ", "base_url: https://giamngheo.example/\ntitle: ", 1) + block,
        encoding="utf-8")
    return with_editor(site) if installed else site


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("published")
    out = tmp / "out"
    run = build(site_with(tmp, EDITOR), out)
    assert run.code == 0, run.err
    return out


def test_the_editor_is_published_for_the_git_host(published):
    page = (published / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex,nofollow">' in page
    assert 'data-problems=""' in page  # no build beside it to ask
    config = yaml.safe_load((published / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "github", "repo": "tinh-bac-lieu/cong-thong-tin",
                                 "branch": "main"}
    assert [c["folder"] for c in config["collections"][:3]] == [
        "content/policies", "content/stories", "content/guides"]
    dist = EDITOR_PARTS / "node_modules" / "decap-cms" / "dist"
    assert (published / "admin" / "decap" / "decap-cms.js").read_bytes() == (
        dist / "decap-cms.js").read_bytes()
    # the chunks it loads as it needs them, not the source maps
    chunks = {p.name for p in (published / "admin" / "decap").iterdir()
              if not p.name.endswith((".gz", ".br"))}
    assert chunks == {p.name for p in dist.iterdir()
                      if p.name == "decap-cms.js" or p.name.endswith((".decap-cms.js", ".wasm"))}


def test_no_reader_or_crawler_is_led_to_it(published, tmp_path):
    for name in ("sitemap.xml", "atom.xml", "robots.txt"):
        assert "admin" not in (published / name).read_text(encoding="utf-8"), name
    for path in published.rglob("*"):
        if path.suffix in (".html", ".js", ".json") and "admin" not in path.parts:
            assert "/admin/" not in path.read_text(encoding="utf-8", errors="replace"), path
    site = Path(str(published).replace("/out", "/site"))
    assert run_cli("pack", "--source", site, "--out", tmp_path / "pack.zip",
                   "--today", TODAY).code == 0
    names = zipfile.ZipFile(tmp_path / "pack.zip").namelist()
    assert names and not [n for n in names if n.startswith("admin/")]


def test_without_an_editor_block_nothing_is_published_at_admin(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    assert build(site, tmp_path / "out").code == 0
    assert not (tmp_path / "out" / "admin").exists()


def test_the_editor_asked_for_but_not_installed_fails_at_its_line(tmp_path):
    site = site_with(tmp_path, EDITOR, installed=False)
    run = build(site, tmp_path / "out")
    assert run.code == 1 and not (tmp_path / "out").exists()
    line = len(site.joinpath("site_config.yaml").read_text(encoding="utf-8").split(
        "\neditor:")[0].split("\n")) + 1
    assert f"site_config.yaml:{line}:" in run.err and "edit --install" in run.err


@pytest.mark.parametrize("block, said", [
    ("\neditor:\n  backend: github\n", "chưa có kho (repo)"),
    ("\neditor:\n  backend: svn\n  repo: a/b\n", "github / gitlab / gitea / git-gateway"),
    ("\neditor:\n  repo: a/b\n", "backend"),
])
def test_an_editor_block_written_wrong_is_named(tmp_path, block, said):
    run = build(site_with(tmp_path, block), tmp_path / "out")
    assert run.code == 1 and said in run.err and "site_config.yaml:" in run.err


def test_a_new_install_of_decap_is_published_by_the_next_build(tmp_path):
    site = site_with(tmp_path, EDITOR, installed=False)
    fake = tmp_path / "parts" / "node_modules"
    for package in ("decap-cms/dist", "decap-server/dist"):
        (fake / package).mkdir(parents=True)
    (fake / "decap-server/dist/index.js").write_text("", encoding="utf-8")
    script = fake / "decap-cms/dist/decap-cms.js"
    script.write_text("/* 1 */", encoding="utf-8")
    (site / ".loa-editor").symlink_to(tmp_path / "parts", target_is_directory=True)
    assert build(site, tmp_path / "out").code == 0
    script.write_text("/* 2: a newer Decap */", encoding="utf-8")
    assert build(site, tmp_path / "out").code == 0
    assert (tmp_path / "out/admin/decap/decap-cms.js").read_text() == "/* 2: a newer Decap */"
