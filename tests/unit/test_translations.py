"""The English translations match the Vietnamese ones key for key and placeholder for
placeholder, and `--lang en` really prints English to editors.

(tests/unit/test_i18n.py checks the Vietnamese file against the code; this file checks
the other languages against the Vietnamese one.)
"""
import re
import string

import pytest

from helpers import SITES, copy_site, run_cli
from loa import i18n

VI = i18n.load("vi").strings
EN = i18n.load("en").strings

# Vietnamese letters that English never uses: one of them in an English string is a
# sign that it was left untranslated.
VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def placeholders(text: str) -> set[str]:
    """The {names} str.format fills in; doubled braces are literal text."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_same_keys():
    assert sorted(set(VI) - set(EN)) == [], "keys in vi.yaml missing from en.yaml"
    assert sorted(set(EN) - set(VI)) == [], "keys in en.yaml that vi.yaml does not have"


@pytest.mark.parametrize("key", sorted(set(VI) & set(EN)))
def test_same_placeholders(key):
    assert placeholders(EN[key]) == placeholders(VI[key]), key


@pytest.mark.parametrize("key", sorted(EN))
def test_english_formats_with_its_placeholders(key):
    names = placeholders(EN[key])
    assert "" not in names, f"{key}: positional placeholder '{{}}'"
    dummy = {re.split(r"[.\[]", name)[0]: "X" for name in names}
    EN[key].format(**dummy)  # raises on a stray brace or an unknown placeholder


@pytest.mark.parametrize("key", sorted(EN))
def test_english_has_no_vietnamese_left(key):
    value = EN[key]
    if '"' in value:  # a literal example, e.g. title: "…", may quote Vietnamese words
        return
    found = sorted(set(value.lower()) & VIETNAMESE)
    assert not found, f"{key} looks untranslated ({''.join(found)}): {value}"


def test_cli_prints_english_diagnostics(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content" / "guides" / "bad.md").write_text(
        '---\ntitle: "Bad date"\ndate: 31/12/2024\n---\nSome text.\n', encoding="utf-8")
    run = run_cli("check", "--source", site, "--lang", "en")
    assert run.code == 1, run.err
    line = next((x for x in run.err.splitlines() if "content/guides/bad.md:3:" in x), None)
    assert line is not None, run.err
    assert "must be a date written YYYY-MM-DD" in line
    assert "2024-12-31 (year-month-day)" in line
    assert not set(run.err.lower()) & VIETNAMESE, run.err
    assert "cảnh báo" not in run.err and "trường" not in run.err


# Khmer is for readers only: editors' messages (diagnostics, cli, serve) come from vi.yaml,
# and loudspeaker scripts (spoken) and leaflets are Vietnamese, linked from Vietnamese pages only.
EDITORS = ("diagnostics.", "cli.", "serve.", "spoken.", "leaflet.", "editor.")
KM = i18n.load("km").strings


def test_khmer_has_every_word_a_reader_sees():
    reader = {k for k in VI if not k.startswith(EDITORS)}
    assert sorted(reader - set(KM)) == [], "reader-facing keys missing from km.yaml"
    assert sorted(set(KM) - reader) == [], "keys in km.yaml that vi.yaml does not have"


@pytest.mark.parametrize("key", sorted(KM))
def test_khmer_keeps_the_placeholders_and_is_not_vietnamese(key):
    assert placeholders(KM[key]) == placeholders(VI[key]), key
    assert not set(KM[key].lower()) & VIETNAMESE, f"{key} looks untranslated: {KM[key]}"
