"""Who runs the portal and how to reach them (issue 15, point 2; Decree 42/2022/NĐ-CP):
`contact` in site_config.yaml shows in every footer (agency, phone as a tel: link, a link
to the contact page), on the contact page /lien-he/ with every field, and in the "Hỏi ở
đâu" box of policies, which prefer their own `contact`. A site without it builds as
before: no empty box anywhere.

(At 320 px in Chromium: tests/browser/test_contact_in_browser.py.)
"""
from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from helpers import CONTACT_YAML, SITES, build, copy_site, parse_html
from loa import i18n

VI, EN, KM = i18n.load("vi"), i18n.load("en"), i18n.load("km")

CONTACT = "\n" + CONTACT_YAML
LANGUAGES = "languages: [km, en]\n"
OWN = """contact:
  agency: "Tổ công nghệ số xã"
  phone: "0291 0000 001"
"""
PAGES = ["index.html", "guides/cai-vneid/index.html", "policies/ho-tro-4g/index.html",
         "tim-kiem/index.html", "404.html", "lien-he/index.html",
         "km/index.html", "km/guides/cai-vneid/index.html", "en/lien-he/index.html"]


def site_with(tmp_path: Path, config_extra: str = CONTACT + LANGUAGES, own: bool = False
              ) -> Path:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + config_extra, encoding="utf-8")
    # a second policy: one with its own contact, one without
    policy = site / "content" / "policies" / "ho-tro-4g.md"
    text = policy.read_text(encoding="utf-8")
    (site / "content" / "policies" / "chuan-ngheo.md").write_text(
        text.replace("68/KH-UBND", "07/2021/NĐ-CP").replace("Hỗ trợ chuyển sang 4G",
                                                            "Chuẩn nghèo"), encoding="utf-8")
    if own:
        policy.write_text(text.replace("expires: 2025-12-31\n", "expires: 2025-12-31\n" + OWN),
                          encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("contact")
    out = tmp / "public"
    result = build(site_with(tmp, own=True), out)
    assert result.code == 0, result.err
    return out


def tree(out: Path, path: str):
    return parse_html((out / path).read_text(encoding="utf-8"))


def target(path: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), href))


def text_of(element) -> str:
    return "".join(element.itertext()).strip()


@pytest.mark.parametrize("path", PAGES)
def test_every_footer_names_the_agency_and_its_phone_and_leads_to_the_contact_page(built, path):
    words = KM if path.startswith("km/") else EN if path.startswith("en/") else VI
    footer = tree(built, path).find(".//footer")
    text = text_of(footer)
    assert words("contact.footer_agency") in text and "Sở Khoa học và Công nghệ" in text
    links = {a.get("href"): text_of(a) for a in footer.iter("a")}
    assert links.get("tel:02913822123") == "0291 3822 123", links
    page_link = next(h for h, t in links.items() if t == words("contact.link"))
    lang = path[:3] if path[:3] in ("km/", "en/") else ""
    if path == "404.html":  # (its links start from the site's root, base_url or not)
        assert page_link.endswith("lien-he/index.html")
    else:
        assert target(path, page_link) == lang + "lien-he/index.html"


def test_the_contact_page_has_every_field_with_links_a_phone_opens(built):
    page = tree(built, "lien-he/index.html")
    assert text_of(page.find(".//main//h1")) == VI("contact.title")
    rows = {text_of(div.find("dt")): div.find("dd") for div in page.find(".//main//dl").iter("div")}
    assert {name: text_of(dd) for name, dd in rows.items()} == {
        VI("contact.agency"): "Sở Khoa học và Công nghệ",
        VI("contact.address"): "Số 1, phường 1",
        VI("contact.phone"): "0291 3822 123",
        VI("contact.email"): "lienhe@example.gov.vn",
        VI("contact.zalo"): "zalo.me/1234567890",
        VI("contact.hours"): "Thứ Hai đến thứ Sáu",
        VI("contact.person"): "Ông Nguyễn Văn A",
    }
    assert rows[VI("contact.phone")].find("a").get("href") == "tel:02913822123"
    assert rows[VI("contact.email")].find("a").get("href") == "mailto:lienhe@example.gov.vn"
    assert rows[VI("contact.zalo")].find("a").get("href") == "https://zalo.me/1234567890"


def test_the_contact_page_is_in_every_language(built):
    for lang, words in (("km", KM), ("en", EN)):
        page = tree(built, f"{lang}/lien-he/index.html")
        assert page.find(".//html").get("lang") == lang
        assert text_of(page.find(".//main//h1")) == words("contact.title")
        labels = [text_of(dt) for dt in page.find(".//main//dl").iter("dt")]
        assert labels[:3] == [words("contact.agency"), words("contact.address"),
                              words("contact.phone")]
        # the agency's name stays as written, said to be Vietnamese
        agency = page.find(".//main//dl/div/dd")
        assert agency.get("lang") == "vi" and text_of(agency) == "Sở Khoa học và Công nghệ"
        switcher = {a.get("hreflang"): a.get("href")
                    for a in page.findall(".//nav[@class='langs']//a")}
        assert target(f"{lang}/lien-he/index.html", switcher["vi"]) == "lien-he/index.html"


def ask_box(out: Path, path: str):
    return tree(out, path).find(".//section[@aria-labelledby='hoi-o-dau']")


def test_a_policy_with_its_own_contact_shows_it_where_to_ask(built):
    box = ask_box(built, "policies/ho-tro-4g/index.html")
    assert box is not None
    assert text_of(box.find("h2")) == VI("contact.ask") == "Hỏi ở đâu"
    assert VI("contact.ask_own") in text_of(box)
    text = text_of(box)
    assert "Tổ công nghệ số xã" in text and "Sở Khoa học và Công nghệ" not in text
    assert [a.get("href") for a in box.iter("a")] == ["tel:02910000001"]
    # its translations and untranslated copies say the same, in their words
    khmer = ask_box(built, "km/policies/ho-tro-4g/index.html")
    assert text_of(khmer.find("h2")) == KM("contact.ask")
    assert "Tổ công nghệ số xã" in text_of(khmer)


def test_a_policy_without_one_shows_the_site_contact(built):
    box = ask_box(built, "policies/chuan-ngheo/index.html")
    assert box is not None and VI("contact.ask_site") in text_of(box)
    assert "Sở Khoa học và Công nghệ" in text_of(box)
    assert [a.get("href") for a in box.iter("a")] == [
        "tel:02913822123", "mailto:lienhe@example.gov.vn", "https://zalo.me/1234567890"]


def test_only_policies_have_the_box(built):
    for path in ("guides/cai-vneid/index.html", "stories/chi-hoa/index.html",
                 "gioi-thieu/index.html", "index.html"):
        assert ask_box(built, path) is None, path


def test_without_a_contact_block_the_site_is_as_before(tmp_path):
    out = tmp_path / "public"
    result = build(site_with(tmp_path, config_extra=""), out)
    assert result.code == 0, result.err
    assert not (out / "lien-he").exists()
    for path in ("index.html", "policies/ho-tro-4g/index.html", "policies/chuan-ngheo/index.html"):
        html = (out / path).read_text(encoding="utf-8")
        assert ask_box(out, path) is None, path
        assert VI("contact.footer_agency") not in html and "tel:" not in html, path
        assert "lien-he" not in html, path


def test_with_its_own_contact_but_no_site_contact_a_policy_still_shows_its_own(tmp_path):
    out = tmp_path / "public"
    result = build(site_with(tmp_path, config_extra="", own=True), out)
    assert result.code == 0, result.err
    assert VI("contact.ask_own") in text_of(ask_box(out, "policies/ho-tro-4g/index.html"))
    assert ask_box(out, "policies/chuan-ngheo/index.html") is None
    assert not (out / "lien-he").exists()


def test_a_page_at_the_contact_page_address_is_told_to_move(tmp_path):
    site = site_with(tmp_path)
    (site / "content" / "lien-he.md").write_text('---\ntitle: "Liên hệ"\n---\nGọi.\n',
                                                 encoding="utf-8")
    result = build(site, tmp_path / "public")
    assert result.code == 1
    assert "content/lien-he.md:1: " in result.err and "/lien-he/" in result.err, result.err


def test_a_bad_contact_stops_the_build_at_its_line(tmp_path):
    site = site_with(tmp_path, CONTACT.replace('"0291 3822 123"', '"0291.3822.123"'))
    line = next(i for i, text in enumerate(
        (site / "site_config.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if "0291.3822.123" in text)
    result = build(site, tmp_path / "public")
    assert result.code == 1
    assert f"site_config.yaml:{line}: " in result.err and "contact.phone" in result.err


def test_the_sample_site_lists_its_contact_pages_in_the_sitemap(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("lien-he/", "km/lien-he/", "en/lien-he/"):
        assert f"<loc>https://giamngheo.example/{path}</loc>" in sitemap, path


def test_the_sample_site_marks_its_contact_as_a_sample(sample_site):
    footer = text_of(tree(sample_site, "index.html").find(".//footer"))
    assert "mẫu" in footer  # (like the leaflets' hotline: "(số mẫu)")
    page = text_of(tree(sample_site, "lien-he/index.html").find(".//main"))
    for sample in ("(tên và số liên hệ mẫu)", "(địa chỉ mẫu)", "(giờ mẫu)", "(tên mẫu)",
                   "0291 0000 000", "giamngheo.example"):
        assert sample in page, sample
