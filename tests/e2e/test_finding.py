"""Finding things without search: tags, places, feeds, sitemap, link previews, old URLs."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

from helpers import ROOT, SITES, build, copy_site, hrefs, parse_html

BASE = "https://giamngheo.example/"


def html_pages(out):
    """Every page a reader can land on: not the 404 page, not the redirects."""
    return [p for p in out.rglob("*.html")
            if p.name != "404.html" and b"http-equiv=refresh" not in p.read_bytes()]


def test_atom_feeds_parse_cleanly_with_absolute_links(sample_site):
    feeds = [sample_site / "atom.xml"] + [sample_site / s / "atom.xml"
                                          for s in ("policies", "stories", "guides")]
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.feed.title and feed.entries
        assert len(feed.entries) <= 20
        for entry in feed.entries:
            assert entry.link.startswith(BASE) and entry.summary and entry.updated
    site_feed = feedparser.parse((sample_site / "atom.xml").read_bytes())
    dates = [e.published_parsed for e in site_feed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    articles = [p for p in (ROOT / "content").rglob("*.md") if p.parent.name != "content"
                and p.name != "_index.md" and p.suffixes == [".md"]]  # (not translations)
    assert len(site_feed.entries) == min(20, len(articles))


def test_sitemap_lists_every_page_exactly_once(sample_site):
    root = ET.fromstring((sample_site / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [u.find(f"{namespace}loc").text for u in root.iter(f"{namespace}url")]
    assert len(locations) == len(set(locations))
    pages = {BASE + p.relative_to(sample_site).as_posix().removesuffix("index.html")
             for p in html_pages(sample_site)}
    # an untranslated copy in another language names its original as the canonical page
    copies = {page for page in pages if f'<link href={page} rel=canonical>'
              not in (sample_site / page.removeprefix(BASE) / "index.html").read_text("utf-8")}
    assert copies and all(c.startswith((BASE + "km/", BASE + "en/")) for c in copies)
    assert BASE + "km/guides/cai-dat-vneid/" not in copies  # translated: its own page
    assert set(locations) == pages - copies
    article = BASE + "guides/cai-dat-vneid/"
    lastmod = {u.find(f"{namespace}loc").text: u.find(f"{namespace}lastmod")
               for u in root.iter(f"{namespace}url")}
    assert lastmod[article].text == "2025-03-20"  # its `updated` date
    assert (sample_site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n")


def test_tag_and_place_pages_list_their_articles_and_link_back(sample_site):
    index = parse_html((sample_site / "chu-de" / "index.html").read_text(encoding="utf-8"))
    terms = {a.text: a.get("href") for ul in index.iter("ul") if ul.get("class") == "terms-index"
             for a in ul.iter("a")}
    assert "4g" in terms or "4G" in terms
    page = sample_site / "chu-de" / terms.get("4g", terms.get("4G"))
    listed = hrefs(page.read_text(encoding="utf-8"))
    article = "../../policies/ho-tro-chuyen-doi-4g/index.html"
    assert article in listed
    back = hrefs((page.parent / article).resolve().read_text(encoding="utf-8"))
    assert "../../chu-de/4g/index.html" in back  # the article links its tag page
    places = hrefs((sample_site / "dia-ban" / "index.html").read_text(encoding="utf-8"))
    assert "phuoc-long/index.html" in places
    assert (sample_site / "dia-ban" / "phuoc-long" / "index.html").is_file()


def test_articles_end_with_related_ones(sample_site):
    page = parse_html((sample_site / "guides" / "cai-dat-vneid" / "index.html").read_text(
        encoding="utf-8"))
    related = [s for s in page.iter("section") if s.get("class") == "related"]
    assert related
    links = [a.get("href") for a in related[0].iter("a")]
    assert 1 <= len(links) <= 5 and all(h.endswith("/index.html") for h in links)
    assert "../cai-dat-vneid/index.html" not in links  # never itself


def test_tag_pages_are_paginated(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "items_per_page: 1\n", encoding="utf-8")
    for i in range(3):
        (site / "content" / "guides" / f"them-{i}.md").write_text(
            f"---\ntitle: \"Thêm {i}\"\ndate: 2024-02-0{i + 1}\ntags: [vneid]\n---\nChào.\n",
            encoding="utf-8")
    assert build(site, tmp_path / "out").code == 0
    tag = tmp_path / "out" / "chu-de" / "vneid"
    assert (tag / "page" / "4" / "index.html").is_file()  # cai-vneid and the three new ones
    assert "page/2/index.html" in hrefs((tag / "index.html").read_text(encoding="utf-8"))


def test_link_previews_carry_absolute_urls_and_a_small_card(sample_site):
    page = parse_html((sample_site / "guides" / "cai-dat-vneid" / "index.html").read_text(
        encoding="utf-8"))
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
    assert meta["og:title"] == "Cài đặt và kích hoạt ứng dụng VNeID"
    assert meta["og:url"] == BASE + "guides/cai-dat-vneid/"
    assert meta["og:locale"] == "vi_VN" and meta["og:description"]
    image = meta["og:image"]
    assert image.startswith(BASE + "images/") and image.endswith(".jpg")
    from PIL import Image
    card = Image.open(sample_site / image.removeprefix(BASE))
    assert card.size == (600, 315)
    assert meta["twitter:card"] == "summary_large_image"


def test_without_base_url_absolute_files_are_left_out_with_a_warning(tmp_path):
    result = build(SITES / "minimal", tmp_path / "out")
    assert result.code == 0
    assert "site_config.yaml:1: cảnh báo: chưa khai báo base_url" in result.err
    out = tmp_path / "out"
    assert not (out / "atom.xml").exists() and not (out / "sitemap.xml").exists()
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert "og:url" not in (out / "index.html").read_text(encoding="utf-8")
