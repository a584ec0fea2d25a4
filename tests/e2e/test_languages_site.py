"""The sample site in Vietnamese, Khmer and English: the switcher, hreflang, untranslated
copies with their notice, and translations added to a small site."""
from __future__ import annotations

import posixpath

import pytest

from helpers import ROOT, SITES, build, copy_site, parse_html, run_cli
from loa import i18n

BASE = "https://giamngheo.example/"
ARTICLE = "guides/cai-dat-vneid/"
VERSIONS = {"vi": ARTICLE, "km": "km/" + ARTICLE, "en": "en/" + ARTICLE}


def page(out, path):
    return parse_html((out / path / "index.html").read_text(encoding="utf-8"))


def target(path: str, href: str) -> str:
    """The output file a relative link on the page at `path` leads to."""
    return posixpath.normpath(posixpath.join(path, href))


def switcher(tree):
    nav = next(n for n in tree.iter("nav") if n.get("class") == "langs")
    return [(a.get("lang"), a.get("hreflang"), a.get("href"), a.get("aria-current"), a.text)
            for a in nav.iter("a")]


def alternates(tree):
    return {e.get("hreflang"): e.get("href") for e in tree.iter("link")
            if e.get("rel") == "alternate"}


def html_lang(tree):
    return next(tree.iter("html")).get("lang")


def canonical(tree):
    return next(e.get("href") for e in tree.iter("link") if e.get("rel") == "canonical")


@pytest.mark.parametrize("lang", list(VERSIONS))
def test_each_version_links_all_three_and_names_them_for_search_engines(sample_site, lang):
    path = VERSIONS[lang]
    tree = page(sample_site, path)
    assert html_lang(tree) == lang
    links = switcher(tree)
    names = {code: i18n.load(code)("language.name") for code in VERSIONS}
    assert [(code, hreflang, name) for code, hreflang, _, _, name in links] == [
        (code, code, names[code]) for code in VERSIONS]
    assert [target(path, href) for _, _, href, _, _ in links] == [
        VERSIONS[code] + "index.html" for code in VERSIONS]
    assert [current for *_, current, _ in links] == [
        "true" if code == lang else None for code in VERSIONS]
    assert alternates(tree) == {**{code: BASE + p for code, p in VERSIONS.items()},
                                "x-default": BASE + ARTICLE}
    assert canonical(tree) == BASE + path


def test_translations_have_their_own_words_and_the_original_s_facts(sample_site):
    khmer = (sample_site / VERSIONS["km"] / "index.html").read_text(encoding="utf-8")
    assert "<h1>ដំឡើង និងធ្វើឱ្យសកម្មកម្មវិធី VNeID</h1>" in khmer
    assert "<time datetime=2024-04-08>" in khmer  # its original's date
    assert "២០ នាទី" in khmer and "20 phút" not in khmer  # its own duration
    assert i18n.load("km")("language.missing") not in khmer
    english = page(sample_site, VERSIONS["en"])
    assert [h.text for h in english.iter("h2")][:1] == ["Step 1: Get your card and phone ready"]
    assert english.find(".//h2").get("id") == "buoc-1-chuan-bi-giay-to-va-dien-thoai"


def test_an_untranslated_page_shows_the_original_with_a_notice_in_the_reader_s_language(
        sample_site):
    path = "km/guides/chuyen-sang-4g/"
    tree = page(sample_site, path)
    assert html_lang(tree) == "km"
    notice = next(p for p in tree.iter("p") if p.get("class") == "notice")
    assert notice.text == i18n.load("km")("language.missing")
    article = next(tree.iter("article"))
    assert article.get("lang") == "vi"
    assert article.find("h1").text == "Chuyển từ máy 2G sang điện thoại 4G"
    assert alternates(tree) == {}  # no translation to announce
    assert canonical(tree) == BASE + "guides/chuyen-sang-4g/"  # the original is the page
    assert len(switcher(tree)) == 3
    # its body's links stay in Khmer pages, and reach the shared ones (images, statistics)
    for a in article.iter("a"):
        href = a.get("href")
        if href and "//" not in href and not href.startswith("#"):
            assert (sample_site / target(path, href.split("#")[0])).exists(), href


def test_the_khmer_home_lists_khmer_titles_and_keeps_readers_in_khmer(sample_site):
    tree = page(sample_site, "km/")
    menu = next(n for n in tree.iter("nav") if n.get("class") is None)
    entries = {a.text: target("km/", a.get("href")) for a in menu.iter("a")}
    assert entries["ទំព័រដើម"] == "km/index.html"
    assert entries["ការណែនាំ"] == "km/guides/index.html"
    assert entries["ស្ថិតិ"] == "thong-ke/index.html"  # statistics are in Vietnamese only
    guides = page(sample_site, "km/guides/")
    titles = {a.text: (target("km/guides/", a.get("href")), a.get("lang"))
              for ul in guides.iter("ul") if ul.get("class") == "list" for a in ul.iter("a")}
    assert titles["ដំឡើង និងធ្វើឱ្យសកម្មកម្មវិធី VNeID"] == (
        "km/guides/cai-dat-vneid/index.html", None)
    # an untranslated one is listed under its Vietnamese title, marked as Vietnamese
    assert titles["Chuyển từ máy 2G sang điện thoại 4G"] == (
        "km/guides/chuyen-sang-4g/index.html", "vi")
    figures = [s.text for ul in tree.iter("ul") if ul.get("class") == "figures"
               for s in ul.iter("span")]
    assert figures and "គ្រួសារក្រីក្រ ដើមឆ្នាំ ២០២៤" in figures
    assert next(a for a in tree.iter("a") if a.get("class") == "brand").text == (
        "វិបផតថលកាត់បន្ថយភាពក្រីក្រផ្នែកព័ត៌មាន បាកលៀវ")


def test_a_khmer_list_shows_translations_first_and_labels_the_rest_as_vietnamese(sample_site):
    guides = page(sample_site, "km/guides/")
    items = [li for ul in guides.iter("ul") if ul.get("class") == "list" for li in ul.iter("li")]
    untranslated = ["".join(s.itertext()) for li in items for s in li.iter("small")
                    if s.get("class") == "lang-label"]
    marked = [next(li.iter("a")).get("lang") == "vi" for li in items]
    assert marked[0] is False and sorted(marked) == marked  # translated ones come first
    assert untranslated == ["ភាសាវៀតណាម"] * marked.count(True)


def test_pages_only_the_site_s_language_has_lead_to_the_other_languages_homes(sample_site):
    links = switcher(page(sample_site, "thong-ke/"))
    assert [target("thong-ke/", href) for _, _, href, _, _ in links] == [
        "thong-ke/index.html", "km/index.html", "en/index.html"]


def languages_site(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [km]\n", encoding="utf-8")
    return site


def test_a_translation_named_by_translation_of_takes_the_original_s_place(tmp_path):
    site = languages_site(tmp_path)
    (site / "content" / "guides" / "vneid-khmer.md").write_text(
        '---\ntitle: "ដំឡើង VNeID"\nlang: km\ntranslation_of: cai-vneid.md\n---\n'
        'មើល [Zalo](zalo.md)។\n\n## ជំហានទី ២ {#buoc-2-dang-ky}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert build(site, out).code == 0
    html = (out / "km" / "guides" / "cai-vneid" / "index.html").read_text(encoding="utf-8")
    assert "<h1>ដំឡើង VNeID</h1>" in html
    assert "href=../zalo/index.html" in html  # the Khmer copy of the linked page
    assert not (out / "guides" / "vneid-khmer").exists()
    assert not (out / "km" / "guides" / "vneid-khmer").exists()


def test_a_link_into_a_translation_needs_the_original_s_heading_id(tmp_path):
    """The sample's zalo.md links to cai-vneid.md#buoc-2-dang-ky: its Khmer copy links
    to the Khmer translation, which must keep that id on its own heading."""
    site = languages_site(tmp_path)
    translation = site / "content" / "guides" / "cai-vneid.km.md"
    translation.write_text('---\ntitle: "ដំឡើង"\n---\nអត្ថបទ។\n\n## ជំហានទី ២\n',
                           encoding="utf-8")
    out = tmp_path / "out"
    result = build(site, out)
    assert result.code == 1
    assert [line for line in result.err.splitlines() if "buoc-2-dang-ky" in line] == [
        "content/guides/cai-vneid.km.md:4: một trang liên kết tới đề mục '#buoc-2-dang-ky' "
        "nhưng bản tiếng 'km' này không có đề mục đó — thêm {#buoc-2-dang-ky} vào cuối đề mục "
        "tương ứng, ví dụ: ## Bước 2 {#buoc-2-dang-ky}; bản dịch giữ mã đề mục của bài gốc"]
    translation.write_text(translation.read_text(encoding="utf-8").replace(
        "## ជំហានទី ២", "## ជំហានទី ២ {#buoc-2-dang-ky}"), encoding="utf-8")
    assert build(site, out).code == 0, build(site, out).err


def test_without_languages_nothing_changes(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).code == 0
    html = (out / "guides" / "cai-vneid" / "index.html").read_text(encoding="utf-8")
    assert "hreflang" not in html and "class=langs" not in html
    assert not (out / "km").exists() and not (out / "en").exists()


def test_sample_articles_in_three_languages(sample_site):
    """The acceptance's sample: one article with its Khmer and English translations."""
    sources = sorted(p.name for p in (ROOT / "content" / "guides").glob("cai-dat-vneid*.md"))
    assert sources == ["cai-dat-vneid.en.md", "cai-dat-vneid.km.md", "cai-dat-vneid.md"]


def test_translate_starts_a_translation_that_builds_as_it_is(tmp_path):
    site = languages_site(tmp_path)
    result = run_cli("translate", "--source", site, "content/guides/cai-vneid.md", "km")
    made = site / "content" / "guides" / "cai-vneid.km.md"
    assert result.code == 0 and result.out.strip() == made.as_posix(), result.err
    text = made.read_text(encoding="utf-8")
    assert text.startswith("---\n# Bản tiếng km của cai-vneid.md:")
    assert '\ntitle: "Cài đặt VNeID"\n' in text and '\nduration: "15 phút"\n' in text
    assert "\ndate:" not in text and "\ntags:" not in text  # these come from the original
    # every heading keeps the original's id, so the links into it still work
    assert "## Bước 2: Đăng ký {#buoc-2-dang-ky}" in text
    out = tmp_path / "out"
    assert build(site, out).code == 0
    assert "<h2 id=buoc-2-dang-ky>" in (out / "km" / "guides" / "cai-vneid" / "index.html"
                                         ).read_text(encoding="utf-8")
    again = run_cli("translate", "--source", site, "content/guides/cai-vneid.md", "km")
    assert again.code == 1 and "content/guides/cai-vneid.km.md: " in again.err
    assert made.read_text(encoding="utf-8") == text  # never overwritten


@pytest.mark.parametrize("args, code, message", [
    (("content/guides/cai-vneid.md", "fr"), 2, "content/guides/cai-vneid.fr.md: "),
    (("content/guides/khong-co.md", "km"), 2, "content/guides/khong-co.md: "),
    (("site_config.yaml", "km"), 2, "site_config.yaml: "),
])
def test_translate_refuses_what_it_cannot_translate(tmp_path, args, code, message):
    site = languages_site(tmp_path)
    result = run_cli("translate", "--source", site, *args)
    assert result.code == code and result.err.startswith(message), result.err
    assert sorted(p.name for p in (site / "content" / "guides").iterdir()) == [
        "_index.md", "cai-vneid.md", "zalo.md"]
