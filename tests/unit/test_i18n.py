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
