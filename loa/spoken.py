"""Loudspeaker scripts: an article as plain text for the commune loudspeaker (`loa.txt`).

An announcer reads the script aloud as it stands, so everything a listener cannot
see is turned into words here:

- the body's HTML (figures and charts already drawn in) becomes paragraphs: headings
  become lead-ins ("Phần: …"), list items sentences (an ordered list's "Thứ nhất: …"),
  a table is read row by row ("Năm 2022: hai phẩy chín phần trăm."), links keep their
  text and lose their address, images and drawn charts disappear (a chart's caption
  and table stay);
- numbers, percentages, dates, times, ranges, document numbers and telephone numbers
  are written out in Vietnamese words (`NUMBERS` below says how each is read);
- abbreviations are expanded from the site's glossary, `data/viet-tat.yaml`
  (`UBND` -> `Ủy ban nhân dân`): whole words only, case-sensitive, longest first.

The language rules (number words, month names, how a telephone number is grouped)
are code, like a locale table; the phrases around the text (the opening, the lead-ins,
the closing) come from the translations file, under `spoken.`.

The script is UTF-8 with a byte-order mark (a browser opening it from a copied folder,
or from a server that names no charset, then shows Vietnamese correctly) and Windows
line ends (Notepad on an old office computer shows its paragraphs).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Callable, Iterator

from .errors import Diagnostic, problem
from .frontmatter import read_yaml
from .i18n import Translations
from .models import Page
from .stats import DATA, GLOSSARY
from .text import format_date, read_text

FILE = "loa.txt"  # beside each article's index.html
# What the readings below are: a change to them must change every cached script.
SETTINGS = "loa-spoken-1"

# A loudspeaker's pace, in syllables a minute. Vietnamese read aloud runs at about five
# syllables a second (Pellegrino, Coupé & Marsico, "A cross-language perspective on
# speech information rate", Language 87(3), 2011: 5.2 for Vietnamese), and television
# hosts speak at 3.7 to 5.5 (a count of Vietnamese presenters posted at emcovu.com).
# A horn on a pole is heard outdoors, over echoes from the next horn, by listeners of
# every age, so announcers read slowly and clearly, with pauses between sentences:
# 120 syllables a minute (two a second), about half the conversational rate, is the
# pace assumed here. Written Vietnamese has one syllable per word-space-separated
# token, so the script's tokens are its syllables.
SYLLABLES_PER_MINUTE = 120

# --- numbers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Where Northern and Southern readings differ: 105 is `một trăm linh năm` in the
    North and `một trăm lẻ năm` in the South, 1.000 `một nghìn` or `một ngàn`."""

    zero_tens: str = "linh"
    thousand: str = "nghìn"


STYLES = {"north": Style("linh", "nghìn"), "south": Style("lẻ", "ngàn")}
NORTH = STYLES["north"]

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# The units digit after `mươi` (21, 24, 25: hai mươi mốt, hai mươi tư, hai mươi lăm);
# after `mười` only 5 changes (15: mười lăm; 11: mười một; 14: mười bốn).
AFTER_MUOI = {1: "mốt", 4: "tư", 5: "lăm"}
MONTHS = ("", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười",
          "mười một", "mười hai")  # April is `tháng tư`, never `tháng bốn`
LONG_DECIMALS = 3  # a decimal part longer than this is read digit by digit
MAX_DIGITS = 15


def _hundreds(n: int, full: bool, style: Style) -> list[str]:
    """Words for 0 < n < 1000. `full`: the group follows a larger one (1.005), so its
    zero hundreds are read (`không trăm`) and a lone units digit takes `linh`."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words = [DIGITS[hundreds], "trăm"] if hundreds or full else []
    if tens == 0:
        if units:
            words += [style.zero_tens, DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append(AFTER_MUOI.get(units, DIGITS[units]))
    return words


def _integer(n: int, full: bool, style: Style) -> list[str]:
    """Words for n > 0: groups of three digits with their scale; a group of zeros is
    not read (1.000.005: một triệu không trăm linh năm); above nine digits the count of
    `tỷ` is itself a number (1.000.000.000.000: một nghìn tỷ)."""
    if n >= 10**9:
        high, low = divmod(n, 10**9)
        return _integer(high, full, style) + ["tỷ"] + (_integer(low, True, style) if low else [])
    words: list[str] = []
    for group, scale in ((n // 10**6, "triệu"), (n // 1000 % 1000, style.thousand),
                         (n % 1000, "")):
        if group:
            words += _hundreds(group, full or bool(words), style)
            if scale:
                words.append(scale)
    return words


def integer_words(n: int, style: Style = NORTH) -> str:
    """1 -> một, 21 -> hai mươi mốt, 105 -> một trăm linh năm, -5 -> âm năm."""
    if n < 0:
        return "âm " + integer_words(-n, style)
    return " ".join(_integer(n, False, style)) if n else DIGITS[0]


def digit_words(digits: str) -> str:
    """0291 -> không hai chín một."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdecimal())


def whole_words(digits: str, style: Style = NORTH) -> str:
    """A whole number from its digits; a run longer than anyone says as an amount (more
    than fifteen digits, a thousand tỷ) digit by digit."""
    return digit_words(digits) if len(digits) > MAX_DIGITS else integer_words(int(digits), style)


def decimal_words(digits: str, style: Style = NORTH) -> str:
    """The part after `phẩy`, read as a number (75 -> bảy mươi lăm) after its leading
    zeros, each read `không` (05 -> không năm), as Vietnamese speakers read it; a part
    longer than three digits is read digit by digit."""
    if len(digits) > LONG_DECIMALS:
        return digit_words(digits)
    rest = digits.lstrip("0")
    zeros = [DIGITS[0]] * (len(digits) - len(rest))
    return " ".join(zeros + ([integer_words(int(rest), style)] if rest else []))


def number_words(text: str, style: Style = NORTH) -> str:
    """A number written the Vietnamese way: `1.215` -> một nghìn hai trăm mười lăm,
    `1,75` -> một phẩy bảy mươi lăm, `-2` -> âm hai."""
    negative = text[:1] in "-−"
    whole, _, decimals = text.lstrip("-−").partition(",")
    words = whole_words(whole.replace(".", "") or "0", style)
    if decimals:
        words += " phẩy " + decimal_words(decimals, style)
    return ("âm " if negative else "") + words


def ordinal_words(n: int, style: Style = NORTH) -> str:
    """After `thứ`: 1 -> nhất, 4 -> tư (thứ nhất, thứ tư), else the number."""
    return {1: "nhất", 4: "tư"}.get(n) or integer_words(n, style)


def date_words(day: int, month: int, year: int | None, style: Style = NORTH) -> str:
    """05/01/2024 -> ngày năm tháng một năm hai nghìn không trăm hai mươi tư."""
    words = f"ngày {integer_words(day, style)} tháng {MONTHS[month]}"
    return words + (f" năm {integer_words(year, style)}" if year is not None else "")


# How a run of digits with no spaces is read out, by its length: 0912345678 as
# 0912 345 678, 02913822123 as 0291 3822 123, 19001234 as 1900 1234; else in threes.
_GROUPING = {7: (3, 4), 8: (4, 4), 10: (4, 3, 3), 11: (4, 4, 3)}


def _groups(digits: str) -> list[str]:
    sizes = _GROUPING.get(len(digits)) or (len(digits) % 3 or 3,) + (3,) * (len(digits) // 3)
    groups, start = [], 0
    for size in sizes:
        groups.append(digits[start:start + size])
        start += size
    return [g for g in groups if g]


def phone_words(text: str) -> str:
    """A telephone number digit by digit, a pause (comma) between its groups:
    `0291 3822 123` -> không hai chín một, ba tám hai hai, một hai ba."""
    groups = [g for g in re.split(r"[\s.]+", text.strip()) if g]
    if len(groups) == 1 and len(groups[0]) > 6:
        groups = _groups(groups[0])
    return ", ".join(digit_words(g) for g in groups)


# --- the glossary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Glossary:
    """Abbreviations and what to say for each, from `data/viet-tat.yaml`."""

    entries: dict[str, str] = field(default_factory=dict)

    def pattern(self) -> re.Pattern | None:
        """A regular expression matching any abbreviation as a whole word, longest first
        (not inside a longer word; a letter edge may touch a digit: `20km`). Each
        alternative starts with its literal text, and its start is checked after it
        (a fixed-width lookbehind), so the engine looks only where one could begin."""
        parts = []
        for key in sorted(self.entries, key=lambda k: (-len(k), k)):
            text = re.escape(key)
            before = r"(?<!\w" if key[0].isdigit() else r"(?<![^\W\d_]"
            after = r"(?!\w)" if key[-1].isdigit() else r"(?![^\W\d_])"
            parts.append(f"{text}{before}{text}){after}")
        return re.compile("|".join(parts)) if parts else None


def parse_glossary(text: str, path: str) -> tuple[Glossary, list[Diagnostic]]:
    """A glossary's text: `ABBREVIATION: "what to say"`, one a line. Keys are taken as
    written (`NO` stays the text `NO`, not YAML's false)."""
    doc, found = read_yaml(text, path)
    if doc is None or doc.data is None:
        return Glossary(), found
    if not isinstance(doc.data, dict):
        return Glossary(), found + [problem(path, 1, "glossary_not_mapping")]
    written = [p[0] for p in doc.lines if len(p) == 1]  # keys as written, in order
    entries: dict[str, str] = {}
    for value, key in zip(doc.data.values(), written):
        line = doc.line(key, default=1)
        key = key.strip()
        if not re.search(r"[^\W_]", key) or "\n" in key:
            found.append(problem(path, line, "glossary_key", key=key))
        elif not isinstance(value, str) or not value.strip() or "\n" in value.strip():
            found.append(problem(path, line, "glossary_value", key=key))
        else:
            entries[key] = " ".join(value.split())
    return Glossary(entries), found


def load_glossary(root: Path) -> tuple[Glossary, list[Diagnostic]]:
    """The site's glossary, `<root>/data/viet-tat.yaml`; none is an empty one."""
    file = root / DATA / GLOSSARY
    if not file.is_file():
        return Glossary(), []
    path = f"{DATA}/{GLOSSARY}"
    text, found = read_text(file, path)
    if text is None:
        return Glossary(), found
    glossary, problems = parse_glossary(text, path)
    return glossary, found + problems


# --- text to words -----------------------------------------------------------------------

_THOUSANDS = r"\d{1,3}(?:\.\d{3})+"
_NUMBER = _THOUSANDS + r"(?:,\d+)?(?!\d|\.\d)|\d+(?:,\d+)?"

# Web and e-mail addresses, read as their names with `chấm` for each dot.
ADDRESSES = [
    ("url", r"(?:https?://|www\.)[^\s<>\"'()]*[^\s<>\"'().,;:!?]"),
    ("email", r"(?<![\w.+-])[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+"),
    ("domain", r"(?<![\w.])\.?[a-z0-9][a-z0-9-]{0,62}(?:\.(?:vn|com|net|org|gov|edu|info))+"
               r"(?![\w])"),
]
_ADDRESS_HINT = re.compile(r"://|www\.|@|\.(?:vn|com|net|org|gov|edu|info)\b")

# What a number is, by its shape, tried in this order at each place of the text (the
# first that matches wins, so a date is never read as a range). The word before it may
# change how it is read (see the readers below): `ngày 18/1` is a date, `18/1` a
# fraction; `thứ 4` is `thứ tư`; `gọi 113` and `đường dây nóng 1900 1234` are telephone
# numbers, read digit by digit.
NUMBERS = [
    # +84 291 3822 123
    ("intl", r"\+\d{1,3}(?:[ .]?\d{2,4}){2,}(?!\d)"),
    # a document number: 90/QĐ-TTg -> số chín mươi của Thủ tướng Chính phủ
    ("doc", r"(?<![\d.,])(?P<doc_n>\d+)/(?:(?P<doc_y>\d{4})/)?"
            r"(?P<doc_code>[A-ZĐ][A-Za-zĐđ]*(?:-[A-Za-zĐđ&]+)+)(?!\w)"),
    # dates and times: 05/01/2024, 2024-01-05, 5/2024, 18/1, 2024-06, 7h30, 7:30
    ("dmy", r"(?<![\d.,])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"),
    ("iso", r"(?<![\d.,])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d)"),
    ("my", r"(?<![\d.,])(?P<mm>\d{1,2})/(?P<my_y>\d{4})(?![\d/])"),
    ("dm", r"(?<![\d.,])(?P<dm_d>\d{1,2})/(?P<dm_m>\d{1,2})(?![\d/])"),
    ("ym", r"(?<![\d.,])(?P<ym_y>\d{4})-(?P<ym_m>0[1-9]|1[0-2])(?![\d-])"),
    ("time", r"(?<![\d.,])(?P<hh>[01]?\d|2[0-4])(?:h(?P<mi>[0-5]\d)?|:(?P<mi2>[0-5]\d))(?![\w:])"),
    # telephone numbers, digit by digit: one that starts with 0 (0291 3822 123);
    # 1800 / 1900 numbers; groups of digits shaped like one (3822 1234)
    ("zero", r"(?<![\d.,])0\d{2,}(?:[ .]\d{2,})*(?![\d,])"),
    ("hotline", r"(?<![\d.,])1[89]00[ .]?\d{3,6}(?![\d,])"),
    ("grouped", r"(?<![\d.,])\d{2,4}(?:[ .]\d{2,4})+(?![\d,])"),
    # 2021–2025, 2021 - 2025, 10-15%: … đến …
    ("range", r"(?<![\d.,])(?P<r1>" + _NUMBER + r")\s?[–—-]\s?(?P<r2>" + _NUMBER
              + r")(?P<r_pct>\s?%)?"),
    # 78/78: bảy mươi tám trên bảy mươi tám
    ("slash", r"(?<![\d.,])(?P<s1>" + _NUMBER + r")/(?P<s2>" + _NUMBER + r")"),
    # 1.2 (not a thousands group): một chấm hai
    ("dotted", r"(?<![\d.,])(?!" + _THOUSANDS + r"(?!\d|\.\d))\d+(?:\.\d+)+(?![\d,])"),
    # -1,5%: âm một phẩy năm phần trăm (a minus only where a word could start)
    ("number", r"(?:(?<![^\s(\[])(?P<neg>[-−])|(?<![\d.,]))(?P<num>" + _NUMBER
               + r")(?P<pct>\s?%)?"),
    ("percent", r"%"),
    # any digits left (after a full stop, 1,2,3): as a number
    ("digits", r"\d+"),
]
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W_]")
_GLUED = re.compile(r"[^\W\d_]")  # a letter: "4G", "20km" get a space after the number
_SEPARATORS = {".": " chấm ", "/": " gạch chéo ", "-": " gạch ngang ", "@": " a còng ",
               "_": " gạch dưới ", ":": " hai chấm "}
# Words before a number that make it a telephone number (gọi 113, tổng đài: 1022).
_PHONE_CUE = re.compile(r"(?<![^\W\d_])(?i:gọi(?:\s+(?:ngay|cho|đến|tới))?(?:\s+số)?"
                        r"|đường dây nóng|tổng đài|hotline|số điện thoại|điện thoại|sđt|đt)"
                        r"\s*:?\s*$")


def _alternatives(named: list[tuple[str, str]]) -> re.Pattern:
    """One pattern trying each (name, pattern) in turn."""
    return re.compile("|".join(f"(?P<{n}>{p})" for n, p in named))


_ADDRESS_PATTERN = _alternatives(ADDRESSES)
_NUMBER_PATTERN = _alternatives(NUMBERS)
_NUMBER_START = re.compile(r"\d+|[%+−-]")  # where a number may start


def _each(where: re.Pattern, pattern: re.Pattern, text: str,
          replace: Callable[[re.Match], str], word: bool = False) -> str:
    """`pattern.sub(replace, text)`, tried only where `where` finds something (or, with
    `word`, from the start of the word it finds something in): most of a text has no
    number, and trying every pattern at every letter took most of a script's time."""
    out: list[str] = []
    done = 0
    for hint in where.finditer(text):
        start = hint.start()
        if word:  # from the start of its word
            start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
        if start < done:
            continue
        if word:
            match = pattern.search(text, start, hint.end() + 2048)
            if match is not None and match.start() > hint.start():
                match = None  # something else in the word, not the address hinted at
        else:
            match = pattern.match(text, start)
        if match is None or match.end() == match.start():
            continue
        out += [text[done:match.start()], replace(match)]
        done = match.end()
    return "".join(out) + text[done:] if out else text


@dataclass(frozen=True)
class Speech:
    """Everything a script is made with: the words around the text, the glossary, the
    reading of numbers, and the site's name (for the closing line)."""

    words: Translations
    glossary: Glossary = Glossary()
    style: Style = NORTH
    site: str = ""

    def __post_init__(self) -> None:
        # Abbreviations with a digit (COVID-19, m2) before the numbers are read, the
        # others after (a document number keeps its code; 20km is "hai mươi km" first).
        with_digit = {k: v for k, v in self.glossary.entries.items()
                      if any(c.isdigit() for c in k)}
        others = {k: v for k, v in self.glossary.entries.items() if k not in with_digit}
        object.__setattr__(self, "_abbreviations",
                           (Glossary(with_digit).pattern(), Glossary(others).pattern()))

    def fingerprint(self) -> str:
        """Everything besides the article that its script depends on."""
        words = sorted((k, v) for k, v in self.words.strings.items() if k.startswith("spoken."))
        return repr((SETTINGS, words, sorted(self.glossary.entries.items()), self.style,
                     self.site))

    def say(self, text: str) -> str:
        """`text` with every number, date, address and abbreviation in words."""
        early, late = self._abbreviations  # type: ignore[attr-defined]
        text = _each(_ADDRESS_HINT, _ADDRESS_PATTERN, text, self._replace, word=True)
        if early:
            text = early.sub(self._abbreviation, text)
        text = _each(_NUMBER_START, _NUMBER_PATTERN, text, self._replace)
        if late:
            text = late.sub(self._abbreviation, text)
            if _DIGIT.search(text):  # an expansion with a number in it
                text = _each(_NUMBER_START, _NUMBER_PATTERN, text, self._replace)
        return _tidy(text)

    def _replace(self, match: re.Match) -> str:
        return _spaced(match, _READERS[match.lastgroup or ""](self, match))

    def _abbreviation(self, match: re.Match) -> str:
        said = self.glossary.entries[match.group(0)]
        before = match.string[:match.start()].rstrip()
        if not before or before[-1] in ".!?":  # a sentence starts with it
            said = said[:1].upper() + said[1:]
        return said

    def issuer(self, code: str) -> str:
        """Who issued a document, from its code: the parts after its type (QĐ-TTg:
        TTg), or the first part when it names no type (UBND-VX, an office's letter)."""
        parts = code.split("-")
        own = parts[1:] if parts[0] in DOCUMENT_TYPES else parts[:1]
        return " ".join(self.glossary.entries.get(p, p) for p in own)


# Document types that open a document's code (90/QĐ-TTg: a decision of the Prime Minister).
DOCUMENT_TYPES = {"QĐ", "NĐ", "NQ", "KH", "TT", "TTLT", "CT", "TB", "BC", "HD", "KL", "QC",
                  "CV", "TTr", "QyĐ"}


def _spaced(match: re.Match, said: str) -> str:
    """Words in place of the match, kept apart from a letter it touched (4G -> bốn G),
    and from punctuation before it (1,2,3 -> một phẩy hai, ba)."""
    text, start, end = match.string, match.start(), match.end()
    if end < len(text) and _GLUED.match(text[end]) and not said.endswith(" "):
        said += " "
    if start > 0 and (_GLUED.match(text[start - 1]) or text[start - 1] in ".,;:") \
            and not said.startswith(" "):
        said = " " + said
    return said


def _cue(match: re.Match, word: str) -> bool:
    """Whether the word just before the match is `word` (any case): `ngày` 18/1."""
    before = match.string[max(0, match.start() - len(word) - 4):match.start()]
    found = re.search(r"(?<![^\W\d_])" + word + r"\s+$", before, re.IGNORECASE)
    return found is not None


def _phone_cue(match: re.Match) -> bool:
    return _PHONE_CUE.search(match.string[max(0, match.start() - 30):match.start()]) is not None


def _address(text: str) -> str:
    """A web or e-mail address as it is said: its name, `chấm` for each dot, digits one
    by one (`https://dichvucong.gov.vn` -> dichvucong chấm gov chấm vn)."""
    text = re.sub(r"^(?:https?://)", "", text).rstrip("/")
    spoken = "".join(_SEPARATORS.get(c, c) for c in text)
    spoken = re.sub(r"\d+", lambda m: " " + digit_words(m.group(0)) + " ", spoken)
    return " ".join(spoken.split())


def _doc(speech: Speech, m: re.Match) -> str:
    words = ("" if _cue(m, "số") else "số ") + whole_words(m.group("doc_n"), speech.style)
    if m.group("doc_y"):
        words += " năm " + integer_words(int(m.group("doc_y")), speech.style)
    issuer = speech.issuer(m.group("doc_code"))
    before = m.string[:m.start()]
    sentence = before[max(before.rfind(c) for c in ".!?;") + 1:].lower()
    after = m.string[m.end():].lstrip().lower()
    # the issuer is said once: not again after "Chính phủ ban hành Nghị định …", nor
    # before "… của Chính phủ"
    if issuer.lower() not in sentence and not after.startswith(f"của {issuer}".lower()):
        words += " của " + issuer
    return words


def _date(speech: Speech, day: str, month: str, year: str | None, m: re.Match) -> str:
    """A date; after `ngày` without its own `ngày`. Not a date (31/02): its numbers."""
    try:
        dt.date(int(year) if year else 2000, int(month), int(day))
    except ValueError:
        return _numbers_only(speech, m.group(0))
    words = date_words(int(day), int(month), int(year) if year else None, speech.style)
    return words.removeprefix("ngày ") if _cue(m, "ngày") else words


def _day_month(speech: Speech, m: re.Match) -> str:
    """18/1 is a date only after `ngày`; else a fraction (78/78: … trên …)."""
    if _cue(m, "ngày"):
        return _date(speech, m.group("dm_d"), m.group("dm_m"), None, m)
    return _numbers_only(speech, m.group(0))


def _month_year(speech: Speech, month: str, year: str, m: re.Match) -> str:
    if not 1 <= int(month) <= 12:
        return _numbers_only(speech, m.group(0))
    words = f"tháng {MONTHS[int(month)]} năm {integer_words(int(year), speech.style)}"
    return words.removeprefix("tháng ") if _cue(m, "tháng") else words


def _time(speech: Speech, m: re.Match) -> str:
    minutes = m.group("mi") or m.group("mi2")
    words = integer_words(int(m.group("hh")), speech.style) + " giờ"
    if minutes and int(minutes):
        words += " " + integer_words(int(minutes), speech.style) + " phút"
    return words


def _grouped(speech: Speech, m: re.Match) -> str:
    """Digit groups shaped like a telephone number (seven digits or more, one group of
    four), or announced as one; anything else (two years side by side, 12.500 written
    with dots) as numbers."""
    text = m.group(0)
    groups = re.split(r"[ .]", text)
    digits = sum(len(g) for g in groups)
    years = all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)
    thousands = re.fullmatch(_THOUSANDS, text) is not None
    if (_phone_cue(m) and not thousands) or (
            digits >= 7 and any(len(g) == 4 for g in groups) and not years):
        return phone_words(text)
    return _numbers_only(speech, text)


def _number(speech: Speech, m: re.Match) -> str:
    """A number; after `thứ`, an ordinal (thứ tư); a whole number of three digits or
    more after words announcing a telephone number (gọi 113), digit by digit."""
    number = m.group("num")
    if number.isdigit() and not m.group("neg") and not m.group("pct"):
        if _cue(m, "thứ"):
            return (ordinal_words(int(number), speech.style) if len(number) <= MAX_DIGITS
                    else digit_words(number))
        if len(number) >= 3 and _phone_cue(m):
            return phone_words(number)
    words = number_words(number, speech.style) + _percent(m, "pct")
    return ("âm " if m.group("neg") else "") + words


def _numbers_only(speech: Speech, text: str) -> str:
    said = re.sub(_NUMBER, lambda n: number_words(n.group(0), speech.style), text)
    return said.replace("/", " trên ")


def _percent(m: re.Match, group: str) -> str:
    return " phần trăm" if m.group(group) else ""


_READERS: dict[str, Callable[[Speech, re.Match], str]] = {
    "url": lambda s, m: _address(m.group(0)),
    "email": lambda s, m: _address(m.group(0)),
    "domain": lambda s, m: _address(m.group(0)),
    "intl": lambda s, m: "cộng " + phone_words(m.group(0)[1:]),
    "doc": _doc,
    "dmy": lambda s, m: _date(s, m.group("d"), m.group("m"), m.group("y"), m),
    "iso": lambda s, m: _date(s, m.group("id"), m.group("im"), m.group("iy"), m),
    "my": lambda s, m: _month_year(s, m.group("mm"), m.group("my_y"), m),
    "dm": _day_month,
    "ym": lambda s, m: _month_year(s, m.group("ym_m"), m.group("ym_y"), m),
    "time": _time,
    "zero": lambda s, m: phone_words(m.group(0)),
    "hotline": lambda s, m: phone_words(m.group(0)),
    "grouped": _grouped,
    "range": lambda s, m: (number_words(m.group("r1"), s.style) + " đến "
                           + number_words(m.group("r2"), s.style) + _percent(m, "r_pct")),
    "slash": lambda s, m: _numbers_only(s, m.group(0)),
    "dotted": lambda s, m: " chấm ".join(whole_words(p, s.style) for p in m.group(0).split(".")),
    "number": _number,
    "percent": lambda s, m: "phần trăm",
    "digits": lambda s, m: whole_words(m.group(0), s.style),
}


def _tidy(text: str) -> str:
    """One space between words, none before punctuation, no doubled full stop; line
    breaks (between paragraphs) kept."""
    text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    text = re.sub(r" ([,.;:!?)])", r"\1", text).replace("( ", "(")
    return re.sub(r"([.!?:;])\.+", r"\1", text)


# --- HTML to paragraphs ------------------------------------------------------------------

# Read as their own paragraphs; everything else is inline text.
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead",
           "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "blockquote",
           "pre", "dl", "dt", "dd", "div", "details", "summary", "section", "aside", "hr"}
# Never read: pictures, drawn charts, and what is not text.
_SILENT = {"img", "picture", "source", "svg", "script", "style", "template", "video",
           "audio", "iframe", "object", "noscript", "canvas"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_END = ".!?:;…"


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


# A tag (its attributes may hold quoted ">"), a comment, or text. A body comes from the
# sanitiser (well formed, quoted attributes) and the theme's partials, so a tokenizer
# this small reads it; html.parser took three times as long.
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
                    r"|<!--.*?-->|([^<]+)|<", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def _tree(html: str) -> _Node:
    """The body as a small tree of elements and text."""
    root = _Node("body", {})
    stack = [root]
    for token in _TOKEN.finditer(html):
        closing, tag, attributes, text = token.groups()
        if text is not None or (tag is None and token.group(0) == "<"):
            stack[-1].children.append(unescape(token.group(0)))
        elif tag is None:
            continue  # a comment
        elif closing:
            tag = tag.lower()
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    break
        else:
            tag = tag.lower()
            wanted = {}
            if attributes and tag in ("ol", "abbr"):  # the only attributes read
                for a in _ATTRIBUTE.finditer(attributes):
                    wanted[a.group(1).lower()] = unescape(next(
                        (v for v in a.groups()[1:] if v is not None), ""))
            node = _Node(tag, wanted)
            stack[-1].children.append(node)
            if tag not in _VOID and not attributes.rstrip().endswith("/"):
                stack.append(node)
    return root


def _inline(node: _Node | str) -> str:
    """The text of `node` as a listener hears it: a link's words without its address,
    an abbreviation's title when it has one, nothing of a picture; a line break ends a
    sentence (a figure's caption has one before its source)."""
    if isinstance(node, str):
        return node
    if node.tag in _SILENT:
        return ""
    if node.tag == "br":
        return "\n"
    if node.tag == "abbr" and node.attrs.get("title"):
        return node.attrs["title"]
    return "".join(_inline(child) for child in node.children)


def _sentence(text: str) -> str:
    """Lines of text as sentences, each ending with punctuation."""
    lines = [" ".join(line.split()) for line in text.replace("·", ",").split("\n")]
    lines = [line.strip(" ,") for line in lines if line.strip(" ,")]
    return " ".join(line if line[-1] in _END else line + "." for line in lines)


def _bare(text: str) -> str:
    """A heading's words without the full stop a lead-in will add."""
    return " ".join(text.split()).rstrip(" .:;")


class _Reader:
    """Walks the body's tree into paragraphs."""

    def __init__(self, words: Translations, style: Style) -> None:
        self.words, self.style = words, style
        self.paragraphs: list[str] = []

    def add(self, text: str) -> None:
        text = _sentence(text)
        if text:
            self.paragraphs.append(text)

    def blocks(self, node: _Node) -> None:
        """The children of `node`: runs of inline content become paragraphs."""
        run: list[_Node | str] = []
        for child in node.children:
            if isinstance(child, _Node) and (child.tag in _BLOCKS or child.tag in _SILENT):
                self.add("".join(_inline(c) for c in run))
                run = []
                self.block(child)
            else:
                run.append(child)
        self.add("".join(_inline(c) for c in run))

    def block(self, node: _Node) -> None:
        tag = node.tag
        if tag in _SILENT or tag == "hr":
            return
        if tag in ("h1", "h2"):
            text = _bare(_inline(node))
            if text:
                self.paragraphs.append(self.words("spoken.heading", text=text))
        elif tag in ("h3", "h4", "h5", "h6"):
            text = _bare(_inline(node))
            if text:
                self.paragraphs.append(self.words("spoken.subheading", text=text))
        elif tag in ("ul", "ol"):
            self.items(node)
        elif tag == "table":
            self.table(node)
        elif tag == "dl":
            self.definitions(node)
        else:
            self.blocks(node)

    def items(self, node: _Node) -> None:
        """Each item a sentence; in an ordered list, `Thứ nhất: …`, `Thứ hai: …`."""
        try:
            number = int(node.attrs.get("start", "1"))
        except ValueError:
            number = 1
        for item in node.children:
            if not isinstance(item, _Node) or item.tag != "li":
                continue
            inner = _Reader(self.words, self.style)
            inner.blocks(item)
            if node.tag == "ol" and inner.paragraphs:
                inner.paragraphs[0] = self.words("spoken.ordered_item",
                                                 ordinal=ordinal_words(number, self.style),
                                                 text=inner.paragraphs[0])
            self.paragraphs += inner.paragraphs
            number += 1

    def table(self, node: _Node) -> None:
        """A table row by row: `label: value.`, or `label: column value, column value.`
        when it has several columns of figures; a year in a table whose first column is
        headed (`Năm`) is said with it: `Năm 2022: …`. A table without a caption is
        announced (`Bảng số liệu.`)."""
        rows: list[list[tuple[str, bool]]] = []
        caption = ""
        for part in _walk(node):
            if part.tag == "caption":
                caption = _inline(part)
            elif part.tag == "tr":
                rows.append([(" ".join(_inline(c).split()), c.tag == "th")
                             for c in part.children if isinstance(c, _Node)
                             and c.tag in ("td", "th")])
        if caption.strip():
            self.add(caption)
        else:
            self.paragraphs.append(self.words("spoken.table"))
        header: list[str] = []
        if rows and all(is_head for _, is_head in rows[0]) and len(rows) > 1:
            header = [text for text, _ in rows.pop(0)]
        for row in rows:
            cells = [text for text, _ in row]
            if not any(cells):
                continue
            label, values = cells[0], cells[1:]
            if header and header[0] and re.fullmatch(r"\d{4}", label):
                label = f"{header[0]} {label}"
            if len(values) > 1 and len(header) == len(cells):
                values = [f"{h} {v}".strip() for h, v in zip(header[1:], values)]
            said = ", ".join(v for v in values if v)
            self.add(f"{label}: {said}" if label and said else label or said)

    def definitions(self, node: _Node) -> None:
        term = ""
        for child in node.children:
            if not isinstance(child, _Node):
                continue
            if child.tag == "dt":
                term = _bare(_inline(child))
            elif child.tag == "dd":
                self.add(f"{term}: {_inline(child)}" if term else _inline(child))
            elif child.tag == "div":
                self.definitions(child)


def _walk(node: _Node) -> Iterator[_Node]:
    """Every element under `node`, not entering nested tables."""
    for child in node.children:
        if isinstance(child, _Node):
            yield child
            if child.tag != "table":
                yield from _walk(child)


def paragraphs(html: str, words: Translations, style: Style = NORTH) -> list[str]:
    """A body's HTML as the paragraphs of a script, before numbers become words."""
    reader = _Reader(words, style)
    reader.blocks(_tree(html))
    return reader.paragraphs


# --- the script --------------------------------------------------------------------------


@dataclass(frozen=True)
class Script:
    text: str  # paragraphs separated by a blank line, no BOM
    syllables: int

    @property
    def minutes(self) -> int:
        """Minutes at a loudspeaker's pace, rounded, at least one."""
        return max(1, math.floor(self.syllables / SYLLABLES_PER_MINUTE + 0.5))


def syllables(text: str) -> int:
    """Spoken syllables: Vietnamese writes one syllable per token (ki-lô-mét is three)."""
    return sum(1 for token in text.replace("-", " ").split() if _LETTER.search(token))


def script(page: Page, speech: Speech) -> Script:
    """The loudspeaker script of an article whose `html` is its drawn body: its title
    and date, its summary, its body, and a closing line."""
    words = speech.words
    opening = (words("spoken.opening", title=_bare(page.title), date=format_date(page.date))
               if page.date else words("spoken.opening_undated", title=_bare(page.title)))
    parts = [opening]
    if page.summary:
        parts.append(_sentence(page.summary))
    parts += paragraphs(page.html, words, speech.style)
    parts.append(words("spoken.closing", title=_bare(page.title), site=speech.site))
    text = speech.say("\n\n".join(p for p in parts if p))  # no paragraph has a line break
    return Script(text, syllables(text))


def encode(text: str) -> bytes:
    """The file's bytes: a byte-order mark, UTF-8, Windows line ends, a final one."""
    return ("\ufeff" + text.replace("\n", "\r\n") + "\r\n").encode("utf-8")
