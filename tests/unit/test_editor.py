"""The web editor's configuration (loa/editor.py) against Loa's schema, field by field:
a field Loa reads but the form lacks, or a form field Loa does not read, fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from loa import content, editor
from loa import contact as contact_fields
from loa.i18n import load as load_words
from loa.models import Config, SectionConfig

VI = load_words("vi")
TYPES = sorted(content.TYPE_FIELDS)


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


@pytest.mark.parametrize("type_", TYPES)
def test_every_field_loa_reads_is_in_the_form_and_nothing_else(type_):
    form = by_name(editor.fields(type_, VI))
    read = {**content.COMMON, **content.TYPE_FIELDS[type_]}
    assert set(form) == (set(read) - set(editor.NOT_IN_FORMS)) | {"body"}
    # what is left out is what `translate` and the file name say
    assert set(editor.NOT_IN_FORMS) <= set(content.COMMON)


@pytest.mark.parametrize("type_", TYPES)
def test_required_where_loa_requires_it(type_):
    form = by_name(editor.fields(type_, VI))
    assert {n for n, f in form.items() if f["required"]} == set(content.REQUIRED[type_])


WIDGETS = {content._text: {"string", "text", "image", "file"},
           content._date: {"datetime"}, content._text_list: {"list"},
           content._bool: {"boolean"}, content._int: {"number"}}


@pytest.mark.parametrize("type_", TYPES)
def test_each_field_has_the_widget_its_value_needs(type_):
    form = by_name(editor.fields(type_, VI))
    for name, kind in {**content.COMMON, **content.TYPE_FIELDS[type_]}.items():
        if name in editor.NOT_IN_FORMS:
            continue
        field = form[name]
        if name == "contact":
            assert field["widget"] == "object"
            subs = by_name(field["fields"])
            assert list(subs) == list(contact_fields.FIELDS)
            # optional, as the block is: an empty one must not stop a policy's save
            assert not [n for n, f in subs.items() if f["required"]]
            continue
        assert field["widget"] in WIDGETS[kind], name
        if kind is content._date:  # a date as Loa reads it, with no clock time
            assert (field["format"], field["time_format"]) == ("YYYY-MM-DD", False), name
        if kind is content._int:
            assert field["value_type"] == "int", name
    assert form["body"]["widget"] == "markdown"
    assert form["image"]["widget"] == "image"


@pytest.mark.parametrize("type_", TYPES)
def test_labels_and_hints_are_vietnamese_words_from_the_translations(type_):
    for field in editor.fields(type_, VI):
        assert field["label"] == VI(f"editor.field.{field['name']}")
        assert field["label"] and "editor." not in field["label"]
        if field["name"] in ("image_alt", "number", "issuer", "issued", "tags", "body"):
            assert field.get("hint"), field["name"]
    policy = by_name(editor.fields("policy", VI))
    assert policy["number"]["label"] == "Số hiệu" and "12/2024" in policy["number"]["hint"]


def test_the_site_config_gives_one_collection_per_section_and_the_pages(tmp_path):
    (tmp_path / "content").mkdir()
    for name in ("gioi-thieu.md", "gioi-thieu.km.md", "_index.md"):
        (tmp_path / "content" / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    config = Config(root=tmp_path, title="Cổng", sections=(
        SectionConfig("policies", "Chính sách", "policy"),
        SectionConfig("guides", "Hướng dẫn", "guide")))
    found = editor.decap_config(config, VI)
    sections = found["collections"][:2]
    assert [(c["name"], c["label"], c["folder"], c["create"]) for c in sections] == [
        ("policies", "Chính sách", "content/policies", True),
        ("guides", "Hướng dẫn", "content/guides", True)]
    assert by_name(sections[0]["fields"])["number"]["required"] is True
    assert "steps" in by_name(sections[1]["fields"])
    pages = found["collections"][2]
    assert [f["file"] for f in pages["files"]] == ["content/gioi-thieu.md"]
    assert (found["media_folder"], found["public_folder"]) == ("static/images", "/images")
    assert found["locale"] == "vi"
    # the local backend, through the preview server; nothing from another host
    assert found["backend"] == {"name": "proxy", "proxy_url": editor.API, "branch": "main"}
    assert not re.search(r"https?://", repr(found))
    github = {"name": "github", "repo": "tinh/cong", "branch": "main"}
    assert editor.decap_config(config, VI, github)["backend"] == github


@pytest.mark.parametrize("path, extension, shown", [
    ("content/policies/ho-tro-4g.md", "md", True),
    ("content/policies/_index.md", "md", False),
    ("content/policies/_index.km.md", "km.md", False),
    ("content/policies/ho-tro-4g.km.md", "md", False),
    ("content/policies/ho-tro-4g.km.md", "km.md", True),
    ("content/policies/ho-tro-4g.md", "km.md", False),
    ("content/guides/a.en.md", "km.md", False)])
def test_a_collection_lists_its_language_s_articles_not_the_section_s_page(path, extension,
                                                                           shown):
    assert editor.listed(path, extension) is shown


def test_the_sample_site_config_is_what_the_editor_serves():
    from loa.config import load
    config, found = load(Path(__file__).resolve().parents[2])
    assert config is not None, found
    collections = editor.decap_config(config, VI)["collections"]
    assert [c["name"] for c in collections if c.get("extension") == "md"] == [
        s.name for s in config.sections]
    # each section's translations into each language, with its title required only
    translations = [c for c in collections if c.get("extension", "md") != "md"]
    assert {(c["folder"], c["extension"]) for c in translations} == {
        (f"content/{s.name}", f"{lang.code}.md") for s in config.sections
        for lang in config.languages}
    for collection in translations:
        assert collection["create"] is False  # `translate` names the file
        required = [f["name"] for f in collection["fields"] if f["required"]]
        assert required == ["title"]
        assert not {"slug", "aliases", "date"} & {f["name"] for f in collection["fields"]}


CONFIG = """\
title: "Cổng"   # the portal's name
# who runs it (sample values)
contact:
  agency: "Ban biên tập"   # a comment in the block
  phone: "0291 0000 000"

# the figures
key_figures:
  - stat: poverty.rate
"""


def test_a_saved_contact_block_changes_that_block_and_nothing_else():
    # what Decap sends: the whole file again, its comments gone, the block as edited
    saved = ('title: Cổng\ncontact:\n  agency: \'Sở "Thông tin"\'\n  phone: ""\n'
             '  email: lienhe@tinh.example\nkey_figures:\n  - stat: poverty.rate\n')
    merged = editor.merge_contact(CONFIG, saved)
    assert merged == CONFIG.replace(
        '  agency: "Ban biên tập"   # a comment in the block\n  phone: "0291 0000 000"\n',
        '  agency: "Sở \\"Thông tin\\""\n  email: "lienhe@tinh.example"\n')
    import yaml
    assert yaml.safe_load(merged)["contact"] == {"agency": 'Sở "Thông tin"',
                                                 "email": "lienhe@tinh.example"}


def test_a_contact_block_is_added_when_there_was_none():
    original = CONFIG.split("# who")[0]
    merged = editor.merge_contact(original, "contact:\n  agency: Sở\n")
    assert merged == original + '\ncontact:\n  agency: "Sở"\n'


def test_a_contact_block_written_on_one_line_is_replaced_not_doubled():
    import yaml
    original = 'title: "Cổng"\ncontact: {agency: "Ban cũ"}\nkey_figures: []\n'
    merged = editor.merge_contact(original, "contact:\n  agency: Ban mới\n")
    assert merged == 'title: "Cổng"\ncontact:\n  agency: "Ban mới"\nkey_figures: []\n'
    assert yaml.safe_load(merged)["contact"] == {"agency": "Ban mới"}
