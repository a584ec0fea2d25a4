import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from loa.content import TYPE_FIELDS, read_page, scaffold, sort_key
from loa.errors import WARNING
from loa.i18n import load as load_words
from loa.models import BuildOptions, Config, Page, SectionConfig, Source, TaxonomyConfig

CONFIG = Config(root=Path("/site"), title="Cổng", sections=(
    SectionConfig("policies", "Chính sách", "policy"),
    SectionConfig("guides", "Hướng dẫn", "guide")))
TODAY = BuildOptions(today=dt.date(2026, 11, 29))


def read(path, text, options=TODAY):
    return read_page(Source(path, text), CONFIG, options)


def problems(path, text):
    page, found = read(path, text)
    assert page is None
    return [(d.line, d.key, d.params.get("field")) for d in found]


GUIDE = """---
title: "Cài đặt VNeID"
date: 2024-03-05
summary: "Từng bước."
tags: [vneid, dịch vụ công]
locations:
  - Phước Long
steps: 4
duration: "15 phút"
reviewer: "Tổ công nghệ số"
---
## Bước 1
"""


def test_article_fields_url_and_params():
    page, found = read("content/guides/cai-dat-vneid.md", GUIDE)
    assert found == []
    assert page.kind == "article" and page.section == "guides"
    assert page.url == "/guides/cai-dat-vneid/"
    assert page.date == dt.date(2024, 3, 5)
    assert page.tags == ("vneid", "dịch vụ công") and page.locations == ("Phước Long",)
    assert page.params == {"steps": 4, "duration": "15 phút", "reviewer": "Tổ công nghệ số"}
    assert page.body == "## Bước 1\n" and page.body_line == 12
    assert page.lines["steps"] == 8


def test_slug_field_and_file_name():
    page, _ = read("content/guides/Đăng ký 4G.md", GUIDE)
    assert page.url == "/guides/dang-ky-4g/"
    page, _ = read("content/guides/x.md", GUIDE.replace("steps: 4", "slug: Cài VNeID"))
    assert page.url == "/guides/cai-vneid/"


@pytest.mark.parametrize("change, expected", [
    (("date: 2024-03-05", "date: 31/12/2024"), [(3, "field_date", "date")]),
    (("date: 2024-03-05", "date: 2024-02-30"), [(3, "field_date_day", "date")]),
    (("date: 2024-03-05", "date: 2024-13-05"), [(3, "field_date_month", "date")]),
    (("title: \"Cài đặt VNeID\"\n", ""), [(1, "field_missing", "title")]),
    (("tags: [vneid, dịch vụ công]", "tags: 5"), [(5, "field_list", "tags")]),
    (("tags: [vneid, dịch vụ công]", "tags: vneid, dịch vụ công"),
     [(5, "field_list_sentence", "tags")]),
    (("steps: 4", "steps: bốn"), [(8, "field_int", "steps")]),
    (("steps: 4", "draft: có"), [(8, "field_bool", "draft")]),
    (("summary:", "sumary:"), [(4, "field_misspelt", "sumary")]),
    (("steps: 4", "slug: ../../etc"), [(8, "slug_path", None)]),
    (("steps: 4", "image: /images/a.jpg"), [(8, "image_alt_missing", None)]),
    (("title: \"Cài đặt VNeID\"", "title: [a, b]"), [(2, "field_text", "title")]),
    # YAML numbers that are no number were published as "nan" and "inf"
    (("title: \"Cài đặt VNeID\"", "title: .nan"), [(2, "field_text", "title")]),
    (("title: \"Cài đặt VNeID\"", "title: 1.0e+400"), [(2, "field_text", "title")]),
    (("summary: \"Từng bước.\"", "summary: -.inf"), [(4, "field_text", "summary")]),
    (("tags: [vneid, dịch vụ công]", "tags: [vneid, .inf]"), [(5, "field_list_item", "tags")]),
])
def test_each_front_matter_problem(change, expected):
    assert problems("content/guides/x.md", GUIDE.replace(*change)) == expected


def test_every_problem_of_a_file_is_reported_together():
    text = GUIDE.replace("date: 2024-03-05", "date: hôm qua").replace("steps: 4", "steps: x")
    assert [k for _, k, _ in problems("content/guides/x.md", text)] == ["field_date", "field_int"]


def test_policy_requires_its_legal_fields():
    text = GUIDE.replace("steps: 4\n", "issuer: \"UBND tỉnh\"\nissued: 2024-01-01\n")
    assert problems("content/policies/x.md", text) == [(1, "field_missing", "number")]
    page, found = read("content/policies/x.md", text.replace("issuer:", "number: 1/KH\nissuer:"))
    assert found == [] and page.params["issued"] == dt.date(2024, 1, 1)


def test_a_field_written_but_left_empty_is_named_at_its_line():
    text = GUIDE.replace("steps: 4\n", 'number: ""\nissuer: "UBND tỉnh"\nissued:\n')
    assert problems("content/policies/x.md", text) == [
        (8, "field_empty", "number"), (10, "field_empty", "issued")]


# --- Hugo's and Zola's front-matter names (issue 17) ---

@pytest.mark.parametrize("field, message, name, suggestion", [
    ("lastmod: 2024-03-06", "field_foreign_lastmod", "updated", "2024-03-06"),
    # Hugo's dates carry a time: the fix offers the day Loa wants
    ("publishDate: 2024-03-05T08:00:00+07:00", "field_foreign_publish_date", "date",
     "2024-03-05"),
    ("publishdate: 2024-03-05", "field_foreign_publish_date", "date", "2024-03-05"),
    ("expiryDate: 2025-01-01", "field_foreign_expiry_date", "expires", "2025-01-01"),
    ("categories: [vneid]", "field_foreign_categories", "tags", "YYYY-MM-DD"),
    ("taxonomies: {tags: [vneid]}", "field_foreign_taxonomies", "tags", "YYYY-MM-DD"),
    ("paginate_by: 5", "field_foreign_paginate_by", "items_per_page", "YYYY-MM-DD"),
])
def test_hugos_and_zolas_field_names_are_told_loas_at_their_line(field, message, name,
                                                                 suggestion):
    text = GUIDE.replace('reviewer: "Tổ công nghệ số"', field)  # line 10
    page, found = read("content/guides/x.md", text)
    assert page is None
    assert [(d.line, d.key, d.params["field"], d.params["name"], d.params["suggestion"])
            for d in found] == [(10, message, field.split(":")[0], name, suggestion)]


def test_hugos_publish_date_instead_of_date_is_told_once():
    text = GUIDE.replace("date: 2024-03-05", "publishDate: 2024-03-05")
    assert problems("content/guides/x.md", text) == [
        (3, "field_foreign_publish_date", "publishDate")]  # no "date is missing" besides


def test_a_field_the_sites_taxonomy_reads_is_the_sites_own():
    config = dataclasses.replace(CONFIG, taxonomies=(
        TaxonomyConfig("tags", "chu-de", "Chủ đề"),
        TaxonomyConfig("categories", "danh-muc", "Danh mục")))
    text = GUIDE.replace('reviewer: "Tổ công nghệ số"', "categories: [vneid]")
    page, found = read_page(Source("content/guides/x.md", text), config, TODAY)
    assert found == [] and page.params["categories"] == ["vneid"]


HINTS = {key.rpartition(".")[2]: text for key, text in load_words("vi").strings.items()
         if key.startswith("editor.hint.")}


@pytest.mark.parametrize("type_", sorted(TYPE_FIELDS))
def test_a_new_article_has_every_field_of_its_type_and_its_first_build_passes(type_):
    config = Config(root=Path("/site"), title="Cổng", sections=(SectionConfig("s", "S", type_),))
    text = scaffold('Bài "mới": thử', dt.date(2026, 11, 29), type_, HINTS)
    page, found = read_page(Source("content/s/moi.md", text), config, TODAY)
    assert all(d.level == WARNING for d in found)  # a build passes
    for name in TYPE_FIELDS[type_]:
        assert f"\n{name}:" in text and f"# {HINTS[name]}" in text
    if type_ == "policy":  # a draft until its number, issuer and date are filled in
        assert page is None and [(d.line, d.key) for d in found] == [
            (8, "field_empty"), (9, "field_empty"), (10, "field_empty")]
        published = read_page(Source("content/s/moi.md", text), config,
                              BuildOptions(TODAY.today, drafts=True))
        assert published[0] is None and {d.level for d in published[1]} == {"error"}
    else:
        assert page is not None and page.title == 'Bài "mới": thử'


def test_drafts_and_future_pages_are_left_out_unless_asked():
    draft = GUIDE.replace("steps: 4", "draft: true")
    assert read("content/guides/x.md", draft) == (None, [])
    assert read("content/guides/x.md", draft, BuildOptions(TODAY.today, drafts=True))[0]
    future = GUIDE.replace("2024-03-05", "2026-11-30")
    assert read("content/guides/x.md", future) == (None, [])
    assert read("content/guides/x.md", future, BuildOptions(TODAY.today, future=True))[0]
    on_the_day = GUIDE.replace("2024-03-05", "2026-11-29")
    assert read("content/guides/x.md", on_the_day)[0] is not None


def test_unknown_section_folder():
    assert problems("content/news/x.md", GUIDE) == [(1, "unknown_section", None)]


def test_section_home_and_standalone_pages():
    section, _ = read("content/guides/_index.md", "---\ndescription: \"Các bước\"\n---\nChào")
    assert (section.kind, section.url, section.title) == ("section", "/guides/", "Hướng dẫn")
    home, _ = read("content/_index.md", "---\ntitle: \"Xin chào\"\n---\n")
    assert (home.kind, home.url, home.title) == ("home", "/", "Xin chào")
    about, _ = read("content/gioi-thieu.md", "---\ntitle: \"Giới thiệu\"\n---\n")
    assert (about.kind, about.url) == ("page", "/gioi-thieu/")


def test_front_matter_must_be_a_mapping():
    assert problems("content/guides/x.md", "---\n- a\n- b\n---\n") == [
        (2, "frontmatter_not_mapping", None)]


def test_sorting_newest_first_or_by_weight():
    def page(title, date, weight=None):
        return Page(kind="article", source="", section="g", slug=title, url=f"/{title}/",
                    title=title, date=dt.date(2024, 1, date), weight=weight)
    pages = [page("a", 1), page("b", 3, weight=2), page("c", 2, weight=1), page("d", 3)]
    assert [p.title for p in sorted(pages, key=sort_key("date"))] == ["d", "b", "c", "a"]
    assert [p.title for p in sorted(pages, key=sort_key("weight"))] == ["c", "b", "d", "a"]


def test_a_plain_number_is_the_text_written():
    page, found = read("content/guides/x.md", GUIDE.replace('"Cài đặt VNeID"', "2024")
                       .replace("tags: [vneid, dịch vụ công]", "tags: [4, 1.5]"))
    assert found == [] and page.title == "2024" and page.tags == ("4", "1.5")


def test_characters_that_reorder_text_are_a_warning_naming_the_field():
    rlo, isolate = "\u202e", "\u2067"  # right-to-left override; right-to-left isolate
    text = (GUIDE.replace("Cài đặt VNeID", f"Cài đặt {rlo}DIeNV")
            .replace("Từng bước.", f"Từng {isolate}bước.")
            .replace("dịch vụ công]", f"dịch vụ {rlo}công]")
            .replace("Tổ công nghệ số", f"Tổ {rlo}công"))
    page, found = read(f"content/guides/{isolate}x.md", text)
    assert page is not None  # a warning: the page is built
    assert [(d.line, d.key, d.params.get("field"), d.params["char"], d.level) for d in found] == [
        (1, "bidi_control_name", None, "U+2067", "warning"),
        (10, "bidi_control", "reviewer", "U+202E", "warning"),
        (2, "bidi_control", "title", "U+202E", "warning"),
        (4, "bidi_control", "summary", "U+2067", "warning"),
        (5, "bidi_control", "tags", "U+202E", "warning")]
    for harmless in ("\u200f", "\u200e", "ع"):  # a right-to-left mark, a left-to-right one, Arabic
        assert read("content/guides/x.md", GUIDE.replace("VNeID", harmless))[1] == []


# A policy's own contact (issue 15, point 2): fields as in site_config.yaml's `contact`.
POLICY = """---
title: "Hỗ trợ 4G"
summary: "Đổi máy 2G."
date: 2024-05-14
number: "68/KH-UBND"
issuer: "UBND tỉnh"
issued: 2024-05-10
contact:
  agency: "Tổ công nghệ số xã"
  phone: "0291 3822 123"
  hours: "Chiều thứ Bảy"
---
Nội dung.
"""


def test_a_policy_gives_its_own_contact():
    from loa.models import Contact
    page, found = read("content/policies/x.md", POLICY)
    assert found == []
    assert page.params["contact"] == Contact(agency="Tổ công nghệ số xã",
                                             phone="0291 3822 123", hours="Chiều thứ Bảy")


@pytest.mark.parametrize("old, new, line, key", [
    ('"0291 3822 123"', '"0291-3822-123"', 10, "contact_phone"),
    ('  hours: "Chiều thứ Bảy"', '  email: "xa at example"', 11, "contact_email"),
    ('  hours: "Chiều thứ Bảy"', '  zalo: "https://facebook.com/x"', 11, "contact_zalo"),
    ('  hours: "Chiều thứ Bảy"', '  hours: [1, 2]', 11, "field_text"),
    ('  hours: "Chiều thứ Bảy"', '  hour: "Chiều thứ Bảy"', 11, "field_contact_key"),
    ('  agency: "Tổ công nghệ số xã"\n', "", 8, "field_contact_agency"),
    ('contact:\n  agency: "Tổ công nghệ số xã"\n  phone: "0291 3822 123"\n'
     '  hours: "Chiều thứ Bảy"\n',
     'contact: "0291 3822 123"\n', 8, "field_contact"),
])
def test_each_bad_contact_field_of_a_policy_is_told_at_its_line(old, new, line, key):
    assert old in POLICY
    page, found = read("content/policies/x.md", POLICY.replace(old, new))
    assert page is None
    assert [(d.line, d.key) for d in found] == [(line, key)]
    from loa import i18n
    assert i18n.load("vi").diagnostic(found[0]).startswith(f"content/policies/x.md:{line}: ")


def test_a_guide_has_no_contact_field():
    page, found = read("content/guides/x.md", GUIDE.replace(
        "steps: 4\n", 'contact:\n  agency: "Tổ công nghệ số xã"\n'))
    assert found == [] and page.params["contact"] == {"agency": "Tổ công nghệ số xã"}
