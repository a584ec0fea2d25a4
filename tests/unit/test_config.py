import json
from pathlib import Path

import pytest

from helpers import CONTACT_YAML
from loa import i18n
from loa.config import parse

GOOD = """\
title: "Cổng thông tin"
base_url: "https://example.gov.vn/portal"
sections:
  - name: policies
    title: "Chính sách"
    type: policy
  - name: guides
    title: "Hướng dẫn"
    sort: weight
menu:
  - title: "Hướng dẫn"
    url: /guides/
key_figures:
  - stat: poverty.rate
    label: "hộ nghèo"
budgets:
  page_gzip_bytes: 20000
"""


def errors(text):
    _, found = parse(text, Path("."))
    return [(d.line, d.key, d.params.get("key"), d.params.get("suggestion")) for d in found]


def test_a_config_with_problems_still_lets_the_rest_be_checked():
    config, found = parse(GOOD + "itmes_per_page: 5\n", Path("."))
    assert found and config is not None and config.items_per_page == 10
    config, found = parse(GOOD.replace("title: \"Cổng thông tin\"\n", ""), Path("."))
    assert config is None and found[0].key == "config_missing_key"
    config, _ = parse("title: x\nsections: []\n", Path("."))
    assert config is None


def test_good_config():
    config, found = parse(GOOD, Path("/site"))
    assert found == []
    assert config.title == "Cổng thông tin"
    assert config.base_url == "https://example.gov.vn/portal/"
    assert [s.name for s in config.sections] == ["policies", "guides"]
    assert config.section("policies").type == "policy"
    assert config.section("guides").sort == "weight"
    assert config.menu[0].url == "/guides/"
    assert config.key_figures[0].stat == "poverty.rate"
    assert config.budgets.page_gzip_bytes == 20000
    assert config.items_per_page == 10 and config.links_to_index_html is True


def test_misspelt_key_names_line_and_suggestion():
    assert errors(GOOD.replace("title: \"Cổng", "tittle: \"Cổng")) == [
        (1, "config_unknown_key", "tittle", "title"),
        (1, "config_missing_key", "title", None),
    ]


def test_unknown_key_without_a_close_match():
    assert errors(GOOD + "zzz: 1\n")[0][:3] == (18, "config_unknown_key_plain", "zzz")


def test_wrong_types_and_values_all_reported_at_once():
    text = GOOD.replace("page_gzip_bytes: 20000", "page_gzip_bytes: lots").replace(
        "type: policy", "type: law") + "items_per_page: 0\nlinks_to_index_html: 3\n"
    assert sorted(errors(text)) == [
        (6, "config_choice", "sections.0.type", None),
        (17, "config_type", "budgets.page_gzip_bytes", None),
        (18, "config_positive", "items_per_page", None),
        (19, "config_type", "links_to_index_html", None),
    ]


def test_nested_unknown_key_and_missing_required():
    text = GOOD.replace("    title: \"Chính sách\"\n", "    titel: \"Chính sách\"\n")
    found = errors(text)
    assert (5, "config_unknown_key", "sections.0.titel", "title") in found
    assert any(key == "config_missing_key" and name == "sections.0.title"
               for _, key, name, _ in found)


def test_bad_section_name_and_base_url():
    text = GOOD.replace("name: guides", "name: Hướng dẫn").replace("https://example", "example")
    keys = {k for _, k, _, _ in errors(text)}
    assert keys == {"config_section_name", "config_base_url"}


def test_section_declared_twice():
    text = GOOD.replace("name: guides", "name: policies")
    assert [k for _, k, _, _ in errors(text)] == ["config_section_twice"]


def test_yaml_boolean_is_not_a_number():
    assert errors(GOOD + "items_per_page: yes\n")[0][1] == "config_type"


def test_broken_yaml():
    assert errors("title: [\n")[0][1] == "yaml_syntax_file"


def test_loudspeaker_numbers_north_by_default_south_on_request():
    assert parse(GOOD, Path("."))[0].loudspeaker_numbers == "north"
    config, found = parse(GOOD + "loudspeaker_numbers: south\n", Path("."))
    assert found == [] and config.loudspeaker_numbers == "south"
    assert errors(GOOD + "loudspeaker_numbers: nam\n") == [
        (18, "config_choice", "loudspeaker_numbers", None)]
def test_leaflet_settings_default_to_a5_without_a_hotline():
    config, _ = parse(GOOD, Path("."))
    assert (config.leaflet.paper, config.leaflet.hotline, config.leaflet.hotline_label) == (
        "A5", "", "")


def test_leaflet_settings():
    config, found = parse(GOOD + 'leaflet:\n  paper: A4\n  hotline: " 0291 0000 000 "\n'
                          '  hotline_label: "Tổ công nghệ số"\n', Path("."))
    assert found == []
    assert config.leaflet.paper == "A4"
    assert config.leaflet.hotline == "0291 0000 000"
    assert config.leaflet.hotline_label == "Tổ công nghệ số"


def test_leaflet_paper_must_be_a5_or_a4_and_the_message_says_so():
    from loa import i18n

    text = GOOD + "leaflet:\n  paper: A3\n  hotlin: \"1022\"\n  hotline_label: 5\n"
    config, found = parse(text, Path("."))
    assert sorted((d.line, d.key, d.params["key"]) for d in found) == [
        (19, "config_choice", "leaflet.paper"),
        (20, "config_unknown_key", "leaflet.hotlin"),
        (21, "config_type", "leaflet.hotline_label"),
    ]
    assert config is not None and config.leaflet.paper == "A5"  # the rest is still checked
    paper = next(d for d in found if d.key == "config_choice")
    assert i18n.load("vi").diagnostic(paper) == (
        "site_config.yaml:19: giá trị của 'leaflet.paper' không hợp lệ — chọn một trong: A5 / A4")
    assert errors(GOOD + "leaflet: A4\n") == [(18, "config_type", "leaflet", None)]


@pytest.mark.parametrize("change, line, key", [
    (('title: "Cổng thông tin"', "title: [a]"), 1, "title"),  # a KeyError
    (('title: "Cổng thông tin"', "title: 2024"), 1, "title"),
    (("sections:\n", "sections: policies\nx:\n"), 3, "sections"),
])
def test_a_required_key_of_the_wrong_type_is_a_problem_and_nothing_is_built(change, line, key):
    config, found = parse(GOOD.replace(*change), Path("/site"))
    assert config is None
    assert (line, "config_type", key) in [(d.line, d.key, d.params["key"]) for d in found]


def test_the_language_of_the_pages_needs_words_for_every_page(tmp_path):
    config, found = parse(GOOD + "language: fr\n", tmp_path)  # FileNotFoundError in i18n.load
    assert [(d.line, d.key, d.params["known"]) for d in found] == [
        (18, "config_language_unknown", "en, vi")]
    assert config is not None and config.language == "vi"  # the rest of the site is checked
    config, found = parse(GOOD + "language: km\n", tmp_path)  # Loa's Khmer is for readers
    assert [(d.line, d.key) for d in found] == [(18, "config_language_pages")]
    assert int(found[0].params["count"]) > 0 and found[0].params["known"] == "en, vi"
    assert errors(GOOD + 'language: "../../x"\n') == [
        (18, "config_language_code", "language", None)]
    assert parse(GOOD + "language: en\n", tmp_path)[0].language == "en"


def test_a_site_may_write_its_pages_in_a_language_of_its_own(tmp_path):
    (tmp_path / "i18n").mkdir()
    words = {k: v for k, v in i18n.load("en").strings.items()
             if not k.startswith(i18n.EDITORS_ONLY)}
    (tmp_path / "i18n" / "fr.yaml").write_text(
        "".join(f"{k}: {json.dumps(v)}\n" for k, v in words.items()), encoding="utf-8")
    config, found = parse(GOOD + "language: fr\n", tmp_path)
    assert found == [] and config.language == "fr"


@pytest.mark.parametrize("value, good", [
    ("/images/chia-se.jpg", True), ("/chia-se.PNG", True), ("/a/b.webp", True),
    ('"../../../etc/passwd"', False), ("/images/../../x.jpg", False), ("images/a.jpg", False),
    ("//example.com/a.jpg", False), ("https://example.com/a.jpg", False), ("/a/./b.jpg", False),
    ("/images/a.svg", False), ("/images/", False), ('"/images\\\\a.jpg"', False),
])
def test_share_image_is_a_picture_of_the_site(tmp_path, value, good):
    for name in ("images/chia-se.jpg", "chia-se.PNG", "a/b.webp"):
        (tmp_path / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "static" / name).write_bytes(b"")
    _, found = parse(GOOD + f"share_image: {value}\n", tmp_path)
    expected = [] if good else [(18, "config_site_image")]
    assert [(d.line, d.key) for d in found] == expected


def test_a_share_image_that_is_not_there_is_told_at_its_line(tmp_path):
    config, found = parse(GOOD + "share_image: /images/chia-se.jpg\n", tmp_path)
    assert [(d.line, d.key, d.params["value"]) for d in found] == [
        (18, "config_share_image_missing", "/images/chia-se.jpg")]
    assert config.share_image == ""  # (no preview is better than a broken one)


def test_a_section_named_twice_is_blamed_on_its_name():
    text = GOOD.replace("name: guides", "title: \"x\"\n    name: policies").replace(
        "    title: \"Hướng dẫn\"\n", "")
    assert [(line, k) for line, k, _, _ in errors(text)] == [(8, "config_section_twice")]


def test_items_after_a_broken_one_keep_their_own_lines():
    text = GOOD.replace("menu:\n", "menu:\n  - title: 5\n    url: /x/\n").replace(
        "key_figures:\n", "key_figures:\n  - stat: [a]\n    label: x\n")
    text += "languages:\n  - 5\n  - km\n"
    config, found = parse(text, Path("/site"))
    assert [(d.line, d.key) for d in found] == [
        (11, "config_type"), (16, "config_type"), (23, "config_type")]
    assert config.menu[0].line == 14  # the url of the second item (the first's was 12)
    assert config.key_figures[0].line == 18
    assert config.languages[0].line == 24
    twice = GOOD.replace("  - name: policies\n", "  - name: 5\n  - name: policies\n").replace(
        "name: guides", "name: policies")
    assert [(line, k) for line, k, _, _ in errors(twice)] == [
        (4, "config_type"), (4, "config_missing_key"), (8, "config_section_twice")]


# --- contact (issue 15, point 2) ---

CONTACT = CONTACT_YAML


def test_the_contact_block_becomes_the_config_contact():
    config, found = parse(GOOD + CONTACT, Path("."))
    assert found == []
    contact = config.contact
    assert (contact.agency, contact.phone, contact.email, contact.zalo) == (
        "Sở Khoa học và Công nghệ", "0291 3822 123", "lienhe@example.gov.vn",
        "https://zalo.me/1234567890")
    assert (contact.address, contact.hours, contact.person) == (
        "Số 1, phường 1", "Thứ Hai đến thứ Sáu", "Ông Nguyễn Văn A")


def test_without_a_contact_block_there_is_no_contact():
    config, found = parse(GOOD, Path("."))
    assert found == [] and config.contact is None


def test_an_international_number_is_a_phone():
    config, found = parse(GOOD + CONTACT.replace('"0291 3822 123"', '"+84 291 3822 123"'),
                          Path("."))
    assert found == [] and config.contact.phone == "+84 291 3822 123"


CONTACT_LINE = GOOD.count("\n") + 1  # the line of `contact:`


@pytest.mark.parametrize("old, new, offset, key, name", [
    ('"0291 3822 123"', '"0291.3822.123"', 3, "contact_phone", "contact.phone"),
    ('"0291 3822 123"', '"(0291) 3822-123"', 3, "contact_phone", "contact.phone"),
    ('"0291 3822 123"', '"gọi 0291"', 3, "contact_phone", "contact.phone"),
    ('"0291 3822 123"', '"84+291"', 3, "contact_phone", "contact.phone"),
    ('"0291 3822 123"', '"12"', 3, "contact_phone", "contact.phone"),
    ('"0291 3822 123"', "2913822123", 3, "config_type", "contact.phone"),  # (a number)
    ('"lienhe@example.gov.vn"', '"lienhe.example.gov.vn"', 4, "contact_email",
     "contact.email"),
    ('"lienhe@example.gov.vn"', '"lien he@example.gov.vn"', 4, "contact_email",
     "contact.email"),
    ('"lienhe@example.gov.vn"', '"lienhe@example"', 4, "contact_email", "contact.email"),
    ('"https://zalo.me/1234567890"', '"http://zalo.me/1234567890"', 5, "contact_zalo",
     "contact.zalo"),
    ('"https://zalo.me/1234567890"', '"https://zalo.me/"', 5, "contact_zalo", "contact.zalo"),
    ('"https://zalo.me/1234567890"', '"https://zalo.me.evil.example/1"', 5, "contact_zalo",
     "contact.zalo"),
    ('"https://zalo.me/1234567890"', '"https://chat.zalo.me/?id=1"', 5, "contact_zalo",
     "contact.zalo"),
    ('"Thứ Hai đến thứ Sáu"', '"  "', 6, "contact_empty", "contact.hours"),
    ('"Thứ Hai đến thứ Sáu"', "[8, 17]", 6, "config_type", "contact.hours"),
    ('  person: "Ông Nguyễn Văn A"', '  persn: "Ông Nguyễn Văn A"', 7, "config_unknown_key",
     "contact.persn"),
    ('  agency: "Sở Khoa học và Công nghệ"\n', "", 0, "config_missing_key", "contact.agency"),
])
def test_each_bad_contact_field_is_told_at_its_line(old, new, offset, key, name):
    text = GOOD + CONTACT.replace(old, new)
    config, found = parse(text, Path("."))
    assert [(d.line, d.key, d.params.get("key")) for d in found] == [
        (CONTACT_LINE + offset, key, name)]
    assert config is not None  # the rest of the site is still checked
    message = i18n.load("vi").diagnostic(found[0])
    assert message.startswith(f"site_config.yaml:{CONTACT_LINE + offset}: ") and " — " in message
    english = i18n.load("en").diagnostic(found[0])
    assert english.startswith(f"site_config.yaml:{CONTACT_LINE + offset}: ")


def test_a_contact_that_is_not_a_mapping_is_told_at_its_line():
    config, found = parse(GOOD + 'contact: "0291 3822 123"\n', Path("."))
    assert [(d.line, d.key, d.params.get("key")) for d in found] == [
        (CONTACT_LINE, "config_type", "contact")]
    assert config.contact is None


def test_a_contact_without_an_agency_shows_nothing():
    config, _ = parse(GOOD + CONTACT.replace('  agency: "Sở Khoa học và Công nghệ"\n', ""),
                      Path("."))
    assert config.contact is None  # (no box naming no one)


# --- Hugo's and Zola's names (issue 17) ---

WITHOUT_BASE_URL = GOOD.replace('base_url: "https://example.gov.vn/portal"\n', "")  # 16 lines


@pytest.mark.parametrize("alias, own, value", [
    ("paginate", "items_per_page", "5"),  # Hugo
    ("paginate_by", "items_per_page", "5"),  # Zola
    ("baseURL", "base_url", "https://example.gov.vn/khac/"),  # Hugo
    ("defaultContentLanguage", "language", "en"),  # Hugo
    ("default_language", "language", "en"),  # Zola
])
def test_another_generators_name_for_a_setting_makes_the_same_config(alias, own, value):
    as_alias = parse(WITHOUT_BASE_URL + f"{alias}: {value}\n", Path("."))
    as_own = parse(WITHOUT_BASE_URL + f"{own}: {value}\n", Path("."))
    assert as_alias == as_own and as_alias[1] == []
    assert as_alias[0] != parse(WITHOUT_BASE_URL, Path("."))[0]  # (the value was read)


@pytest.mark.parametrize("first, second", [
    ("paginate: 5", "items_per_page: 7"),
    ("items_per_page: 7", "paginate_by: 5"),
    ("paginate: 5", "paginate_by: 7"),
    ("default_language: en", "language: vi"),
    ("baseURL: https://a.gov.vn/", "base_url: https://b.gov.vn/"),
])
def test_two_names_of_one_setting_is_an_error_at_the_second_naming_both(first, second):
    config, found = parse(WITHOUT_BASE_URL + f"{first}\n{second}\n", Path("."))
    assert [(d.line, d.key, d.params["key"], d.params["first"]) for d in found] == [
        (18, "config_alias_twice", second.split(":")[0], first.split(":")[0])]
    # the first is kept, so the rest of the site is still checked with it
    assert config == parse(WITHOUT_BASE_URL + f"{first}\n", Path("."))[0]


def test_a_wrong_value_under_an_alias_is_told_by_that_name_at_its_line():
    assert errors(WITHOUT_BASE_URL + "paginate: 0\n") == [(17, "config_positive", "paginate", None)]
    _, found = parse(WITHOUT_BASE_URL + "home_latest: 2\ndefault_language: xx\n", Path("."))
    assert [(d.line, d.key) for d in found] == [(18, "config_language_unknown")]


@pytest.mark.parametrize("text, key, message, generator", [
    ("languageCode: vi-vn\n", "languageCode", "config_foreign_language_code", "Hugo"),
    ("publishDir: docs\n", "publishDir", "config_foreign_out", "Hugo"),
    ("publishdir: docs\n", "publishdir", "config_foreign_out", "Hugo"),  # Hugo: any case
    ("output_dir: docs\n", "output_dir", "config_foreign_out", "Zola"),
    ("theme: ananke\n", "theme", "config_foreign_theme", "Hugo/Zola"),
    ("params:\n  hotline: 1022\n", "params", "config_foreign_params", "Hugo"),
    ("extra:\n  hotline: 1022\n", "extra", "config_foreign_params", "Zola"),
    ("pagination:\n  pagerSize: 5\n", "pagination", "config_foreign_pagination", "Hugo"),
    ("menus:\n  main:\n    - name: A\n", "menus", "config_foreign_menu", "Hugo"),
    ("taxonomies:\n  tag: tags\n", "taxonomies", "config_foreign_taxonomies", "Hugo"),
    ("languages:\n  km:\n    title: A\n", "languages", "config_foreign_languages", "Hugo/Zola"),
])
def test_another_generators_setting_is_told_how_loa_writes_it_at_its_line(
        text, key, message, generator):
    config, found = parse(GOOD + text, Path("."))
    assert [(d.line, d.key, d.params["key"], d.params["generator"]) for d in found] == [
        (18, message, key, generator)]
    assert config is not None  # the rest is still checked


def test_hugos_menu_is_told_as_hugos_and_loas_list_is_loas():
    text = GOOD.replace('menu:\n  - title: "Hướng dẫn"\n    url: /guides/\n',
                        "menu:\n  main:\n    - name: A\n")
    assert [(d.line, d.key, d.params["key"]) for d in parse(text, Path("."))[1]] == [
        (10, "config_foreign_menu", "menu")]
    assert errors(GOOD.replace("url: /guides/", "url: 5")) == [
        (12, "config_type", "menu.0.url", None)]  # a list of Loa's own shape: no Hugo here


def test_the_fix_says_loas_way_with_the_value_as_written():
    from loa import i18n

    _, found = parse(GOOD + "publishDir: docs\nlanguageCode: vi-VN\n", Path("."))
    en = i18n.load("en")
    assert [en.diagnostic(d) for d in found] == [
        "site_config.yaml:18: there is no setting called 'publishDir' (a name from Hugo) — Loa "
        "takes the output folder on the command line: python build.py --out docs (without it, "
        "public/ in the site's folder); delete this line",
        "site_config.yaml:19: there is no setting called 'languageCode' (a name from Hugo) — "
        "Loa needs only the language code, without a country, in 'language': replace "
        "'languageCode: vi-VN' with 'language: vi' (or delete this line if the language is "
        "given already)"]
