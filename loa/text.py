"""Text helpers: Unicode normalisation, slugs, Vietnamese numbers and dates."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import Context, Decimal
from pathlib import Path

from slugify import slugify

from .errors import Diagnostic, os_problem, problem


def plain_text(value: object) -> str | None:
    """What an editor meant by a YAML value that should be text: the text, or a number
    written without quotes (`title: 2024` is "2024"). None for anything else: a list, a
    mapping, true / false, or a float that is no number (`.nan`, `.inf`, `1.0e+400`),
    which would be published as "nan" or "inf"."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    return None


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalise(text: str) -> str:
    """What every file's text goes through on read: no BOM, LF line ends, NFC."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text)


@functools.lru_cache(maxsize=1 << 16)  # a site repeats its tags, places and headings
def slug(text: str) -> str:
    """`Đăng ký 4G` -> `dang-ky-4g`; the one slug function for URLs and heading ids.

    The transliteration table is named: python-slugify's default ("auto") tries to
    import the Unidecode package on every call, which cost 3.5x the slug itself."""
    return slugify(nfc(text), backend="text-unidecode")


def heading_slug(value: str, separator: str = "-") -> str:
    """Python-Markdown's toc extension calls this with the heading's text."""
    return slug(value) or "muc"


# A start tag of HTML written by Loa or nh3 (attribute values quoted, ">" only inside quotes).
_START_TAG = re.compile(r"""<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>""")
_ATTRIBUTE = re.compile(r"""\s([a-zA-Z-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def attribute_values(html: str, name: str) -> list[str]:
    """Every value of attribute `name` in the start tags of `html` (not in its text)."""
    return [quoted or single or bare
            for tag in _START_TAG.findall(html)
            for attribute, quoted, single, bare in _ATTRIBUTE.findall(tag) if attribute == name]


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD_LOOSE = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")


def whole_number(value: object) -> int | None:
    """A YAML value that should be a whole number (`weight: 3`): the number, or None
    (true / false are no numbers, though Python counts them as such)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_date(value: object) -> dt.date | None:
    """A `YYYY-MM-DD` date (a clock time after it is allowed and ignored), or None."""
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    match = _DATE.fullmatch(str(value).strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        dt.time(hour, minute, second)  # ignored, but a time: `99:99:99` is a typo to report
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_problem(value: object) -> str:
    """What is wrong with a date that is not one: its month (`2024-13-05`), its day
    (`2024-02-30`), or its shape."""
    match = _YMD_LOOSE.fullmatch(str(value).strip()[:10])
    if not match:
        return "field_date"
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return "field_date_month"
    return "field_date_day" if not 1 <= day <= calendar.monthrange(year, month)[1] else \
        "field_date"


def date_suggestion(value: object) -> str:
    """The ISO form an editor probably meant (`31/12/2024` -> `2024-12-31`; `2024-13-05`,
    day and month swapped, -> `2024-05-13`), or ""."""
    text = str(value).strip()
    for pattern, order in ((_DMY, (2, 1, 0)), (_YMD_LOOSE, (0, 1, 2)), (_YMD_LOOSE, (0, 2, 1))):
        match = pattern.fullmatch(text)
        if match:
            parts = [int(match.group(i + 1)) for i in order]
            try:
                return dt.date(*parts).isoformat()
            except ValueError:
                continue
    day = parse_date(text[:10])  # `2024-01-01 99:99:99`: the date, without the wrong time
    return day.isoformat() if day and len(text) > 10 else ""


def format_date(value: dt.date) -> str:
    """Vietnamese short date: 05/01/2024."""
    return value.strftime("%d/%m/%Y")


VIETNAMESE_MARKS = (",", ".")  # (decimal mark, thousands separator)


def format_number(value: float | int, decimals: int | None = None,
                  marks: tuple[str, str] = VIETNAMESE_MARKS) -> str:
    """Digits as a language writes them (`marks`: its decimal mark and thousands
    separator; Vietnamese by default): 1215 -> `1.215`, 1.7 -> `1,7`, 1234567.89 ->
    `1.234.567,89`; in English, `1,215`, `1.7`, `1,234,567.89`."""
    number = Decimal(str(value))
    if not number.is_finite():  # shown as "NaN" or "Infinity": datasets refuse them first
        raise ValueError(f"not a figure to show: {value}")
    if decimals is not None:  # with every digit kept: Decimal's default keeps 28
        digits = Context(prec=max(28, number.adjusted() + decimals + 2))
        number = number.quantize(Decimal(1).scaleb(-decimals), context=digits)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", marks[0]).replace("\0", marks[1])


MAX_TEXT_BYTES = 2_000_000  # a Markdown or YAML file larger than this is not an article


def read_text(file: Path, path: str) -> tuple[str | None, list[Diagnostic]]:
    """A text file of the site, refused (not read) when it is too large to be one."""
    try:
        size = file.stat().st_size
        if size > MAX_TEXT_BYTES:
            return None, [problem(path, 1, "file_too_large", size=format_number(size),
                                  limit=format_number(MAX_TEXT_BYTES))]
        data = file.read_bytes()
    except OSError as error:
        return None, [os_problem(error, path)]
    return decode(data, path)


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """A file's bytes as normalised text, or a diagnostic naming the first bad line."""
    if b"\0" in data:
        return None, [problem(path, data[:data.index(b"\0")].count(b"\n") + 1, "not_text")]
    try:
        return normalise(data.decode("utf-8")), []
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, [problem(path, line, "not_utf8")]


def short_figure(value: float, unit: str, marks: tuple[str, str] = VIETNAMESE_MARKS) -> str:
    """A figure as charts and tables show it: `1,7%`, `1.215` (the unit is in the caption)."""
    return format_number(value, 2, marks) + ("%" if unit == "percent" else "")
