"""Translations: read from `x.km.md` or `translation_of`, matched to their originals,
inherited fields, untranslated copies, and the versions the switcher links."""
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from loa import languages
from loa.config import parse
from loa.content import language_of, read_page
from loa.models import BuildOptions, Config, Language, MenuItem, SectionConfig, Source

CONFIG = Config(root=Path("/site"), title="Cổng", sections=(
    SectionConfig("policies", "Chính sách", "policy"),
    SectionConfig("guides", "Hướng dẫn", "guide")),
    languages=(Language("km", "វិបផតថល"), Language("en")),
    menu=(MenuItem("Trang chủ", "/", titles=(("km", "ទំព័រដើម"),)),
          MenuItem("Hướng dẫn", "/guides/"), MenuItem("Chủ đề", "/chu-de/")))
TODAY = BuildOptions(today=dt.date(2026, 11, 29))

ORIGINAL = """---
title: "Cài đặt VNeID"
date: 2024-03-05
summary: "Từng bước."
tags: [vneid]
steps: 4
duration: "15 phút"
---
## Bước 1
"""
KHMER = """---
title: "ដំឡើង VNeID"
duration: "១៥ នាទី"
---
## ជំហានទី ១ {#buoc-1}
"""


def read(path, text, config=CONFIG):
    return read_page(Source(path, text), config, TODAY)


def keys(path, text):
    page, found = read(path, text)
    return page, [(d.line, d.key) for d in found]


def test_a_file_named_for_a_language_translates_the_file_without_it():
    assert language_of("content/guides/cai-dat.km.md", CONFIG) == ("km", "content/guides/cai-dat.md")
    assert language_of("content/guides/_index.en.md", CONFIG) == ("en", "content/guides/_index.md")
    assert language_of("content/guides/cai-dat.md", CONFIG) == ("", "content/guides/cai-dat.md")
    assert language_of("content/guides/cai-dat.fr.md", CONFIG)[0] == "?fr"  # not published
    assert language_of("content/guides/cai-dat.vi.md", CONFIG)[0] == "?vi"  # the site's own
    assert language_of("content/guides/ke-hoach.2024.md", CONFIG)[0] == ""  # not a code


def test_a_translation_needs_only_a_title_and_sits_under_its_language():
    page, found = keys("content/guides/cai-dat.km.md", KHMER)
    assert found == []
    assert (page.lang, page.original, page.slug) == ("km", "content/guides/cai-dat.md", "cai-dat")
    assert page.url == "/km/guides/cai-dat/" and page.kind == "article"
    assert page.date is None and page.params == {"duration": "១៥ នាទី"}
    section, found = keys("content/guides/_index.km.md", '---\ntitle: "ការណែនាំ"\n---\n')
    assert found == [] and (section.kind, section.url) == ("section", "/km/guides/")


def test_translation_of_names_the_original_from_another_file_name():
    page, found = keys("content/guides/vneid-khmer.md",
                       '---\ntitle: "ដំឡើង"\nlang: km\ntranslation_of: cai-dat.md\n---\n')
    assert found == [] and (page.lang, page.original) == ("km", "content/guides/cai-dat.md")


@pytest.mark.parametrize("path, text, expected", [
    ("content/guides/cai-dat.fr.md", '---\ntitle: "x"\n---\n', [(1, "translation_language")]),
    ("content/guides/cai-dat.km.md", '---\ntitle: "x"\nlang: en\n---\n',
     [(3, "translation_lang_differs")]),
    ("content/guides/x.md", '---\ntitle: "x"\ntranslation_of: cai-dat.md\n---\n',
     [(3, "translation_needs_lang")]),
    ("content/guides/x.md", '---\ntitle: "x"\nlang: km\ntranslation_of: ../../build.py\n---\n',
     [(4, "translation_of_path")]),
    ("content/guides/cai-dat.km.md", '---\ntitle: "x"\nslug: khac\n---\n',
     [(3, "translation_own_url")]),
    ("content/guides/cai-dat.km.md", '---\ndate: 2024-01-01\n---\n', [(1, "field_missing")]),
])
def test_translation_problems_name_the_line_and_the_fix(path, text, expected):
    page, found = keys(path, text)
    assert page is None and found == expected


def original_and_translation():
    original, _ = read("content/guides/cai-dat.md", ORIGINAL)
    khmer, _ = read("content/guides/cai-dat.km.md", KHMER)
    return original, khmer


def home_and_sections():
    home, _ = read("content/_index.md", "---\ntitle: Trang chủ\n---\n")
    guides, _ = read("content/guides/_index.md", "---\ntitle: Hướng dẫn\n---\n")
    return home, [guides]


def test_each_language_gets_every_page_translated_or_shown_as_it_is():
    original, khmer = original_and_translation()
    home, sections = home_and_sections()
    sources = {"content/guides/cai-dat.md", "content/guides/cai-dat.km.md"}
    made, found = languages.editions(CONFIG, home, sections, [original], [khmer], sources)
    assert found == []
    km, en = made
    assert [p.url for p in km.pages] == ["/km/", "/km/guides/", "/km/guides/cai-dat/"]
    assert [p.url for p in en.pages] == ["/en/", "/en/guides/", "/en/guides/cai-dat/"]
    page = km.articles[0]
    # its own words, its original's date, tags and steps
    assert (page.title, page.date, page.tags) == ("ដំឡើង VNeID", dt.date(2024, 3, 5), ("vneid",))
    assert page.params == {"steps": 4, "duration": "១៥ នាទី"} and not page.fallback
    assert page.source == "content/guides/cai-dat.km.md"
    copy = en.articles[0]
    assert copy.fallback and copy.title == "Cài đặt VNeID" and copy.lang == "vi"
    assert copy.source == original.source and copy.original == original.source


def test_a_translation_of_nothing_or_a_second_one_is_a_problem():
    original, khmer = original_and_translation()
    home, sections = home_and_sections()
    orphan = dataclasses.replace(khmer, source="content/guides/khong-co.km.md",
                                 original="content/guides/khong-co.md")
    second = dataclasses.replace(khmer, source="content/guides/ban-khac.md")
    sources = {original.source, khmer.source, orphan.source, second.source}
    _, found = languages.editions(CONFIG, home, sections, [original], [khmer, orphan, second],
                                  sources)
    assert sorted((d.path, d.key) for d in found) == [
        ("content/guides/cai-dat.km.md", "translation_twice"),  # (sorted by source: ban-khac first)
        ("content/guides/khong-co.km.md", "translation_orphan")]


def test_the_translation_of_a_draft_is_left_out_quietly():
    _, khmer = original_and_translation()
    home, sections = home_and_sections()
    sources = {"content/guides/cai-dat.md", khmer.source}  # the original exists, unpublished
    made, found = languages.editions(CONFIG, home, sections, [], [khmer], sources)
    assert found == [] and made[0].articles == ()


def test_versions_link_every_copy_and_know_which_are_translated():
    original, khmer = original_and_translation()
    home, sections = home_and_sections()
    made, _ = languages.editions(CONFIG, home, sections, [original], [khmer], set())
    by_url = languages.versions("vi", [home, *sections, original], made)
    copies = by_url["/en/guides/cai-dat/"]
    assert by_url["/guides/cai-dat/"] == copies == by_url["/km/guides/cai-dat/"]
    assert [(v.lang, v.url, v.translated) for v in copies] == [
        ("vi", "/guides/cai-dat/", True), ("km", "/km/guides/cai-dat/", True),
        ("en", "/en/guides/cai-dat/", False)]
    assert all(v.translated for v in by_url["/en/"])  # home pages and lists: their words are


def test_an_edition_shows_the_site_name_and_menu_in_its_language():
    km = languages.edition_config(CONFIG, CONFIG.languages[0], {"/": "/km/", "/guides/": "/km/guides/"})
    assert km.title == "វិបផតថល" and km.language == "km"
    assert [(m.title, m.url) for m in km.menu] == [
        ("ទំព័រដើម", "/km/"), ("Hướng dẫn", "/km/guides/"), ("Chủ đề", "/chu-de/")]
    en = languages.edition_config(CONFIG, CONFIG.languages[1], {})
    assert en.title == "Cổng"  # no name of its own: the site's


def test_key_figures_have_labels_per_language(tmp_path):
    figures = ('key_figures:\n  - stat: poverty.rate\n    label: "hộ nghèo"\n'
               '    labels: {km: "គ្រួសារក្រីក្រ"}\n')
    config, found = parse(BASE + figures + "languages: [km, en]\n", tmp_path)
    assert found == []
    km = languages.edition_config(config, config.languages[0], {})
    en = languages.edition_config(config, config.languages[1], {})
    assert [f.label for f in km.key_figures] == ["គ្រួសារក្រីក្រ"]
    assert [f.label for f in en.key_figures] == ["hộ nghèo"]  # none given: the site's own


BASE = 'title: "Cổng"\nsections:\n  - name: guides\n    title: "Hướng dẫn"\n'


@pytest.mark.parametrize("languages_yaml, expected", [
    ("languages: [km, en]\n", []),
    ("languages:\n  - code: km\n    title: \"វិបផតថល\"\n", []),
    ("languages: [km, km]\n", ["config_language_twice"]),
    ("languages: [vi]\n", ["config_language_twice"]),
    ("languages: [xx]\n", ["config_language_unknown"]),
    ("languages: [Khmer]\n", ["config_language_code"]),
])
def test_languages_in_the_configuration_are_checked(tmp_path, languages_yaml, expected):
    config, found = parse(BASE + languages_yaml, tmp_path)
    assert [d.key for d in found] == expected
    if not expected:
        assert config.languages[0].code == "km"


def test_menu_titles_per_language_are_checked(tmp_path):
    menu = 'menu:\n  - title: "Trang chủ"\n    url: /\n    titles: {km: "ទំព័រដើម", en: "Home"}\n'
    config, found = parse(BASE + menu, tmp_path)
    assert found == [] and config.menu[0].title_in("en") == "Home"
    assert config.menu[0].title_in("fr") == "Trang chủ"
    _, found = parse(BASE + 'menu:\n  - title: "x"\n    url: /\n    titles: [km]\n', tmp_path)
    assert [d.key for d in found] == ["config_type"]
    _, found = parse(BASE + 'menu:\n  - title: "x"\n    url: /\n    titles: {Khmer: "y"}\n',
                     tmp_path)
    assert [d.key for d in found] == ["config_per_language"]


def test_an_edition_with_its_pages_replaced_keeps_its_shape():
    original, khmer = original_and_translation()
    home, sections = home_and_sections()
    km = languages.editions(CONFIG, home, sections, [original], [khmer], set())[0][0]
    renamed = [dataclasses.replace(p, title=p.title + "!") for p in km.pages]
    again = km.replaced(renamed)
    assert again.pages == tuple(renamed) and again.lang == "km"
    assert again.sections == (renamed[1],) and again.articles == (renamed[2],)


BODY = """Mở đầu.

## Bước 1: Tải {#tai}

```
## not a heading: code
```

## Bước 2 ##
"""


def test_a_translation_starts_with_the_original_s_heading_ids():
    ids = ["tai", "buoc-2"]
    assert languages.with_heading_ids(BODY, ids) == BODY.replace(
        "## Bước 2 ##", "## Bước 2 {#buoc-2}")  # an id already given is kept
    assert languages.with_heading_ids(BODY, ["tai"]) == BODY  # not one to one: left alone
    from loa.markdown import heading_ids
    assert heading_ids(BODY) == ["tai", "buoc-2"]


def test_the_scaffold_holds_the_words_to_translate_and_the_note():
    made = languages.scaffold({"title": "Cài VNeID", "date": dt.date(2024, 3, 5),
                               "steps": 4, "duration": "15 phút", "tags": ["a"]},
                              "\nXin chào.\n\n## Bước 1\n", ["buoc-1"], "Dịch giúp: {#…}")
    assert made == ('---\n# Dịch giúp: {#…}\ntitle: "Cài VNeID"\nduration: "15 phút"\n---\n'
                    "Xin chào.\n\n## Bước 1 {#buoc-1}\n")
