"""`build.py pack [SECTION]`: one zip of the site, or of a section, to read offline.

The zip is opened as a phone's file manager would leave it, and every page in it is
read: each link, image, icon and srcset must name a file of the zip (pages by their
index.html), and nothing a reader cannot reach (no .gz/.br, feeds, sitemap, service
worker) may ride along; the search index does, whole (search works from the folder).
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import ROOT, SITES, TODAY, copy_site, parse_html, run_cli

SAMPLE_BASE_URL = "https://giamngheo.example/"  # site_config.yaml of the sample site


def pack(source: Path, out: Path, *extra: str):
    return run_cli("pack", *extra, "--source", source, "--out", out, "--today", TODAY)


def references(html: str) -> list[tuple[str, str]]:
    """(tag, URL) of everything a page links to or makes a browser fetch."""
    found = []
    for element in parse_html(html).iter():
        for name in ("href", "src"):
            if element.get(name):
                found.append((element.tag, element.get(name)))
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                found.append((element.tag, candidate.split()[0]))
    return found


def internal(page: str, url: str) -> str | None:
    """The zip entry a relative URL on `page` names; None for absolute and data: URLs."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))


def broken_links(files: dict[str, bytes]) -> list[str]:
    broken = []
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        for tag, url in references(data.decode("utf-8")):
            target = internal(name, url)
            if target is not None and target not in files:
                broken.append(f"{name}: <{tag}> {url}")
            elif target is not None and tag == "a" and not posixpath.splitext(target)[1]:
                broken.append(f"{name}: <a> {url} is a folder, not an index.html")
    return broken


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("pack") / "pack.zip"
    result = pack(ROOT, out)
    assert result.code == 0, result.err
    assert str(out) in result.out
    return out, unzip(out)


def test_the_sample_pack_is_small_and_complete(sample_pack, sample_site):
    out, files = sample_pack
    size = out.stat().st_size
    pages = sorted(n for n in files if n.endswith(".html"))
    print(f"\nsample pack: {size:,} bytes, {len(files)} files, {len(pages)} pages")
    assert size < 1_000_000
    assert broken_links(files) == []
    # every page a reader can reach on the site: all but 404.html and the aliases'
    # redirect pages (nothing links to them)
    built = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html")
                   if b"http-equiv=refresh" not in p.read_bytes())
    assert pages == [p for p in built if p != "404.html"]
    assert len(pages) > 40
    for name, data in files.items():  # the pages as the site has them (links already fit)
        if name.endswith(".html"):
            assert data == (sample_site / name).read_bytes(), name
    assert "files/ke-hoach-15-kh-ubnd-2024.pdf" in files
    assert "favicon.svg" not in files  # the icon is in every page (a data: URI)
    assert any(n.endswith(".csv") for n in files)  # the datasets' downloads are linked


def test_the_pack_holds_only_what_a_reader_reaches(sample_pack, sample_site):
    _, files = sample_pack
    assert not [n for n in files if n.endswith((".gz", ".br"))]
    assert not {"sitemap.xml", "atom.xml", "robots.txt", "sw.js", "404.html"} & set(files)
    index = {p.relative_to(sample_site).as_posix() for p in (sample_site / "tim-kiem/i").iterdir()
             if not p.name.endswith((".gz", ".br"))}
    search = {n for n in files if n.startswith("tim-kiem/") and n != "tim-kiem/index.html"}
    assert len(index) > 16 and all(n.endswith(".js") for n in search)
    assert {n for n in search if not n.startswith("tim-kiem/i/")} == {
        n for n in search if n.startswith("tim-kiem/loa-search.")} and len(search) == len(index) + 1
    assert index <= search  # every shard, chunk and the manifest: any query may need any
    on_site = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*")
               if p.is_file() and not p.name.endswith((".gz", ".br"))}
    left_out = sorted(on_site - set(files))
    assert "images/chia-se.png" in left_out  # the share picture: only feeds and previews use it
    assert set(files) <= on_site


def test_a_pack_is_the_same_bytes_every_time(sample_pack, tmp_path):
    out, _ = sample_pack
    again = tmp_path / "again.zip"
    assert pack(ROOT, again, "--jobs", "2").code == 0
    assert again.read_bytes() == out.read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2026, 11, 29, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_a_section_pack_links_out_to_the_site(tmp_path, sample_site):
    out = tmp_path / "guides.zip"
    result = pack(ROOT, out, "guides")
    assert result.code == 0, result.err
    files = unzip(out)
    pages = sorted(n for n in files if n.endswith(".html"))
    print(f"\nguides pack: {out.stat().st_size:,} bytes, {len(files)} files, {len(pages)} pages")
    section = sorted(p.relative_to(sample_site).as_posix()
                     for p in (sample_site / "guides").rglob("*.html"))
    assert pages == section + ["index.html"] and len(section) >= 5
    assert broken_links(files) == []
    home = parse_html(files["index.html"].decode("utf-8"))
    section = parse_html(files["guides/index.html"].decode("utf-8"))
    assert "".join(home.find(".//h1").itertext()) == "".join(section.find(".//h1").itertext())
    article = files["guides/chuyen-sang-4g/index.html"].decode("utf-8")
    outside = [url for _, url in references(article) if url.startswith(SAMPLE_BASE_URL)]
    assert SAMPLE_BASE_URL + "policies/" in outside  # the menu
    assert SAMPLE_BASE_URL + "policies/ho-tro-chuyen-doi-4g/#ai-duoc-ho-tro" in outside
    assert not [url for url in outside if url.endswith("index.html")]
    links = [url for tag, url in references(article) if tag == "a"]
    assert "../../index.html" in links  # "home": the pack's own front page, the section


@pytest.mark.parametrize("section", ["policies", "stories"])
def test_every_section_packs_whole(tmp_path, sample_site, section):
    out = tmp_path / f"{section}.zip"
    assert pack(ROOT, out, section).code == 0
    files = unzip(out)
    assert broken_links(files) == []
    pages = sorted(n for n in files if n.endswith(".html"))
    assert pages == sorted([p.relative_to(sample_site).as_posix()
                            for p in (sample_site / section).rglob("*.html")] + ["index.html"])


def test_a_section_pack_without_base_url_keeps_outside_links_as_text(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "guides.zip"
    result = pack(site, out, "guides")
    assert result.code == 0, result.err
    files = unzip(out)
    assert broken_links(files) == []
    article = parse_html(files["guides/cai-vneid/index.html"].decode("utf-8"))
    dead = ["".join(a.itertext()) for a in article.iter("a") if a.get("href") is None]
    assert dead, "no link lost its address"
    assert not [url for _, url in references(files["guides/cai-vneid/index.html"].decode())
                if "://" in url and "giamngheo" in url]
    assert not [n for n in files if n.endswith(".html") and not n.startswith("guides/")
                and n != "index.html"]


def test_an_unknown_section_is_a_usage_error(tmp_path):
    out = tmp_path / "x.zip"
    result = pack(ROOT, out, "tin-tuc")
    assert result.code == 2
    assert "tin-tuc" in result.err and "policies, stories, guides" in result.err
    assert not out.exists()


def test_a_folder_is_no_place_for_the_zip(tmp_path):
    result = pack(SITES / "minimal", tmp_path)
    assert result.code == 2 and str(tmp_path) in result.err


def test_a_failed_build_leaves_the_old_zip_alone(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "pack.zip"
    assert pack(site, out).code == 0
    before = out.read_bytes()
    stat = out.stat()
    (site / "content" / "guides" / "hong.md").write_text(
        '---\ntitle: "Hỏng"\ndate: 31/12/2024\n---\nNgày viết sai.\n', encoding="utf-8")
    result = pack(site, out)
    assert result.code == 1
    assert "content/guides/hong.md:3:" in result.err
    assert out.read_bytes() == before and out.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.zip", "site"]  # no leftovers


def test_the_default_zip_is_beside_the_site(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    result = run_cli("pack", "guides", "--source", site, "--today", TODAY)
    assert result.code == 0, result.err
    assert zipfile.is_zipfile(site / "loa-pack-guides.zip")
    assert zipfile.ZipFile(io.BytesIO((site / "loa-pack-guides.zip").read_bytes())).getinfo(
        "index.html")


def test_the_service_worker_is_small_and_registered_from_the_root(sample_site):
    from loa import builtin
    worker = sample_site / "sw.js"
    print(f"\nsw.js: {worker.stat().st_size} bytes")
    assert worker.read_bytes() == (builtin.THEME / builtin.SERVICE_WORKER_SCRIPT).read_bytes()
    assert worker.stat().st_size <= 2048
    # a relative address: the worker's scope is the site's folder, under any sub-path
    assert 'register("sw.js")' in (sample_site / "index.html").read_text(encoding="utf-8")
    article = (sample_site / "guides" / "chuyen-sang-4g" / "index.html").read_text(encoding="utf-8")
    assert 'register("../../sw.js")' in article and "/^http/.test(location.protocol)" in article
