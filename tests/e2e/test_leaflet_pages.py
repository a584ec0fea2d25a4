"""Printable leaflets in the built site: one per guide and policy at `<article>/to-roi/`,
all listed at /to-roi/, each with the article's outline, key facts, the hotline and a
QR code of the article's address; none of the QR codes without base_url, and a warning.

(Printing them and reading their QR codes is tests/browser/test_leaflets.py.)
"""
from __future__ import annotations

import gzip
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from helpers import ROOT, SITES, build, copy_site, hrefs, parse_html

CONFIG = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8"))
BASE = CONFIG["base_url"]
HOTLINE = CONFIG["leaflet"]["hotline"]


def articles(site: Path, *sections: str) -> list[str]:
    """Site paths of the articles of `sections` ("/guides/cai-dat-vneid/")."""
    return sorted(f"/{s}/{p.stem}/" for s in sections
                  for p in (site / "content" / s).glob("*.md") if p.name != "_index.md"
                  and p.suffixes == [".md"])  # (not translations)


def page(out: Path, url: str) -> str:
    return (out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def resolve(out: Path, here: str, href: str) -> Path:
    """The file a relative link of the page at `here` (a site path) opens."""
    return out / posixpath.normpath(posixpath.join(here.lstrip("/"), href.split("#")[0]))


def test_every_guide_and_policy_has_a_leaflet_and_no_story_has_one(sample_site):
    leaflets = articles(ROOT, "guides", "policies")
    assert len(leaflets) == 12
    for url in leaflets:
        html = page(sample_site, url + "to-roi/")
        tree = parse_html(html)
        title = parse_html(page(sample_site, url)).find(".//main//h1").text
        assert tree.find(".//main//article/h1").text == title, url
        qr = tree.find(".//main//div[@class='qr']/svg")
        assert qr is not None and qr.get("role") == "img", url
        address = BASE + url.lstrip("/")
        assert qr.get("aria-label") == f"Mã QR dẫn đến {address}", url
        assert address in html  # printed under the code, for those without a camera
        assert f"{HOTLINE}</strong>" in html and "tel:02910000000" in html
        assert "@page{size:A5;" in html
        assert tree.find(".//main//dl[@class]") is not None, f"{url}: no key facts"
        assert not list(tree.iter("img")) and not list(tree.iter("picture")), url
        # the article says where its leaflet is
        assert "to-roi/index.html" in hrefs(page(sample_site, url)), url
    for url in articles(ROOT, "stories"):
        assert not (sample_site / url.lstrip("/") / "to-roi").exists(), url
        assert "to-roi/index.html" not in hrefs(page(sample_site, url)), url


def test_a_guide_leaflet_carries_its_steps_and_a_policy_leaflet_its_facts(sample_site):
    guide = page(sample_site, "/guides/cai-dat-vneid/to-roi/")
    for step in ("Bước 1: Chuẩn bị giấy tờ và điện thoại", "Bước 3: Tải ứng dụng VNeID",
                 "Bước 5: Đặt mật khẩu và mật mã", "Số bước", "20 phút"):
        assert step in guide, step
    assert "Gõ tìm chữ <strong>VNeID</strong>" in guide  # a step of an ordered list
    assert "Thông tin cập nhật ngày 20/03/2025" in guide  # its `updated` date
    policy = page(sample_site, "/policies/ke-hoach-giam-ngheo-ve-thong-tin-2024/to-roi/")
    for fact in ("15/KH-UBND", "UBND tỉnh Bạc Liêu", "Hết hiệu lực", "31/12/2024",
                 "1.215 trạm"):  # the last from a table with a figure in it
        assert fact in policy, fact
    assert "<svg class=ch" not in policy  # no chart


def test_leaflet_links_lead_where_the_article_links_lead(sample_site):
    for url in articles(ROOT, "guides", "policies"):
        here = url + "to-roi/"
        for href in hrefs(page(sample_site, here)):
            if href.startswith(("tel:", "https:", "#")):
                continue
            assert resolve(sample_site, here, href).is_file(), f"{here}: {href}"
    links = hrefs(page(sample_site, "/policies/ho-tro-chuyen-doi-4g/to-roi/"))
    assert "../../../guides/nhan-biet-lua-dao-qua-dien-thoai/index.html" in links  # in a list
    assert "../index.html" in links  # the article, in full


def test_the_leaflet_list_names_every_leaflet_once(sample_site):
    listed, headings, here = [], [], "to-roi/index.html"
    while here:  # the list is split like a section's, items_per_page (10) to a page
        tree = parse_html((sample_site / here).read_text(encoding="utf-8"))
        folder = posixpath.dirname(here)
        listed += ["/" + posixpath.normpath(posixpath.join(folder, a.get("href")))
                   for a in tree.iter("a") if a.get("href", "").endswith("/to-roi/index.html")]
        headings += [h.text for h in tree.iter("h2")]
        after = [a.get("href") for a in tree.iter("a") if a.get("rel") == "next"]
        here = posixpath.normpath(posixpath.join(folder, after[0])) if after else ""
    assert len(listed) == len(set(listed)) == 12
    assert set(listed) == {u + "to-roi/index.html" for u in articles(ROOT, "guides", "policies")}
    # page 1: the policies, then guides; page 2 goes on with the guides under their heading
    assert headings == ["Chính sách", "Hướng dẫn", "Hướng dẫn"]
    assert "to-roi/index.html" in hrefs(page(sample_site, "/"))  # in the sample's menu
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    sitemap = {u.text for u in ET.fromstring((sample_site / "sitemap.xml").read_bytes()).iter(
        f"{namespace}loc")}
    assert {BASE + "to-roi/", BASE + "to-roi/page/2/",
            BASE + "guides/cai-dat-vneid/to-roi/"} <= sitemap


def test_leaflets_stay_well_inside_the_page_budget(sample_site):
    sizes = {p: len(gzip.compress(p.read_bytes(), 9))
             for p in sample_site.glob("*/*/to-roi/index.html")}
    assert len(sizes) == 12
    assert max(sizes.values()) < 8_000, sizes  # budget 14,600


def test_without_base_url_no_qr_code_and_a_warning(tmp_path):
    out = tmp_path / "out"
    result = build(SITES / "minimal", out)
    assert result.code == 0, result.err
    assert ("site_config.yaml:1: cảnh báo: chưa khai báo base_url, nên 3 tờ rơi (của hướng "
            "dẫn và chính sách) không có mã QR dẫn về trang — thêm 'base_url: \"https://…/\"' "
            "(địa chỉ công khai của cổng) vào site_config.yaml, hoặc dựng với --base-url"
            ) in result.err.splitlines()
    leaflets = sorted(out.glob("*/*/to-roi/index.html"))
    assert len(leaflets) == 3
    for leaflet in leaflets:
        html = leaflet.read_text(encoding="utf-8")
        assert "<svg" not in html and "Quét mã" not in html
        assert "Đường dây nóng" not in html  # no hotline configured: none printed
    with_base = build(SITES / "minimal", tmp_path / "with", "--base-url", "https://x.example/")
    assert "tờ rơi" not in with_base.err
    qr = parse_html((tmp_path / "with/guides/zalo/to-roi/index.html").read_text()).find(
        ".//div[@class='qr']/svg")
    assert qr is not None and qr.get("aria-label").endswith("https://x.example/guides/zalo/")


def test_a4_paper_and_hotline_label_from_the_configuration(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    with (site / "site_config.yaml").open("a", encoding="utf-8") as config:
        config.write('leaflet:\n  paper: A4\n  hotline: "1022"\n'
                     '  hotline_label: "Tổng đài hỗ trợ"\n')
    assert build(site, tmp_path / "out").code == 0
    html = (tmp_path / "out/guides/zalo/to-roi/index.html").read_text(encoding="utf-8")
    assert "@page{size:A4;" in html and "paper-a4" in html
    assert "Tổng đài hỗ trợ: <a href=tel:1022><strong>1022</strong>" in html
    assert "khổ A4" in (tmp_path / "out/to-roi/index.html").read_text(encoding="utf-8")


def test_a_wrong_paper_size_stops_the_build_with_its_line(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    with (site / "site_config.yaml").open("a", encoding="utf-8") as config:
        config.write("leaflet:\n  paper: a3\n")
    lines = (site / "site_config.yaml").read_text(encoding="utf-8").count("\n")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    assert (f"site_config.yaml:{lines}: giá trị của 'leaflet.paper' không hợp lệ — chọn một "
            "trong: A5 / A4") in result.err.splitlines()


def test_a_page_at_the_leaflet_list_address_collides(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content" / "to-roi.md").write_text('---\ntitle: "Tờ rơi"\n---\nChữ.\n',
                                                encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    assert "content/to-roi.md:1: địa chỉ /to-roi/ là của một trang Loa tự tạo" in result.err


def test_a_leaflet_of_a_policy_out_of_force_says_so_in_large_type(sample_site):
    # The sample is built on 2026-11-29 (helpers.TODAY): the 2024 plan has expired
    def banner(article: str) -> list[str]:
        html = (sample_site / "policies" / article / "to-roi" / "index.html").read_text(
            encoding="utf-8")
        return ["".join(p.itertext()) for p in parse_html(html).iter("p")
                if "leaflet-banner" in (p.get("class") or "")]
    assert banner("ke-hoach-giam-ngheo-ve-thong-tin-2024") == ["VĂN BẢN ĐÃ HẾT HIỆU LỰC"]
    assert banner("ho-tro-chuyen-doi-4g") == []
