"""Every message key the code can produce has Vietnamese words, and none is dead."""
import ast
import re
from pathlib import Path

import pytest

from loa import i18n
from loa.errors import problem

ROOT = Path(__file__).resolve().parents[2]
WORDS = i18n.load("vi")
KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+")


def diagnostic_keys():
    return {k.split(".")[1] for k in WORDS.strings
            if k.startswith("diagnostics.") and not k.startswith("diagnostics.level.")}


def code_constants():
    found = set()
    for path in (ROOT / "loa").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_problem_call_names_a_translated_key():
    for path in (ROOT / "loa").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "problem"
                    and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant)):
                assert node.args[2].value in diagnostic_keys(), (path.name, node.args[2].value)


def test_no_translated_message_is_dead():
    unused = diagnostic_keys() - code_constants()
    assert not unused


def test_each_message_has_problem_and_fix():
    for key in diagnostic_keys():
        assert WORDS.strings.get(f"diagnostics.{key}.problem"), key
        assert WORDS.strings.get(f"diagnostics.{key}.fix"), key


@pytest.mark.parametrize("language", ["vi", "en", "km"])
def test_every_message_formats_its_placeholders(language):
    # A brace meant as text (`{% extends %}`) must be doubled, or the message raises
    # when it is shown
    import string
    words = i18n.load(language)
    for key, text in words.strings.items():
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
        assert all(f.isidentifier() for f in fields), (language, key, fields)
        text.format(**{f: "x" for f in fields})


def test_templates_and_commands_use_only_known_words():
    sources = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "loa").glob("*.py")]
    used = 0
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r"""\b(?:t|words)\(\s*["']([\w.]+)["']\s*[,)]""", text):
            used += 1
            assert key in WORDS.strings, (path.name, key)
    assert used > 20


def test_diagnostic_format():
    d = problem("content/guides/x.md", 3, "field_date", field="date", value="31/12/2024",
                suggestion="2024-12-31")
    assert WORDS.diagnostic(d) == ("content/guides/x.md:3: trường 'date' phải là ngày dạng "
                                   "YYYY-MM-DD, đang là '31/12/2024' — viết 2024-12-31 "
                                   "(năm-tháng-ngày)")


def test_missing_key_is_loud():
    with pytest.raises(KeyError):
        WORDS("no.such.key")


def site_file(tmp_path, text, lang="vi"):
    (tmp_path / "i18n").mkdir(exist_ok=True)
    (tmp_path / "i18n" / f"{lang}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_site_overrides_loa_words(tmp_path):
    site = site_file(tmp_path,
                     'site:\n  home: "Trang nhà"\nunits:\n  percent: "{value} phần trăm"\n')
    assert i18n.check(["vi"], site) == []
    words = i18n.load("vi", site)
    assert words("site.home") == "Trang nhà"
    assert words("units.percent", value="1,7") == "1,7 phần trăm"
    assert words("site.skip") == WORDS("site.skip")


@pytest.mark.parametrize("text, line, key", [
    ("site:\n  home: [\n", 3, "yaml_syntax_file"),  # was a traceback
    ("- a\n- b\n", 1, "i18n_not_mapping"),
    ("site:\n  home: [a, b]\n", 2, "i18n_not_text"),
    ("site:\n  home: .nan\n", 2, "i18n_not_text"),
    ("site:\n  menu: \"x\"\nunits:\n  percent: \"{percent}%\"\n", 4, "i18n_placeholder"),
    ("units:\n  percent: \"{value!r}%\"\n", 2, "i18n_placeholder"),
    ("units:\n  percent: \"{value%\"\n", 2, "i18n_braces"),
    ("site:\n  home: \"{\"\n", 2, "i18n_braces"),
])
def test_a_broken_site_file_is_a_problem_at_its_line_and_loa_words_stay(tmp_path, text, line, key):
    site = site_file(tmp_path, text)
    assert [(d.path, d.line, d.key) for d in i18n.check(["vi"], site)] == [
        ("i18n/vi.yaml", line, key)]
    words = i18n.load("vi", site)  # what pages are made with: never a KeyError or "['a', 'b']"
    assert words("site.home") == WORDS("site.home")
    assert words("units.percent", value="1,7") == WORDS("units.percent", value="1,7")


def test_a_placeholder_loa_has_in_another_language_only_is_checked_against_the_default(tmp_path):
    site = site_file(tmp_path, 'spoken:\n  opening: "{nope}"\n', "km")  # Loa's km has no spoken
    assert [d.key for d in i18n.check(["km"], site)] == ["i18n_placeholder"]


def test_the_words_pages_need(tmp_path):
    assert i18n.missing_for_pages("vi", tmp_path) == []
    assert i18n.missing_for_pages("en", tmp_path) == []
    assert "spoken.opening" in i18n.missing_for_pages("km", tmp_path)
    missing = i18n.missing_for_pages("fr", tmp_path)
    assert missing and not any(k.startswith(("cli.", "diagnostics.")) for k in missing)
