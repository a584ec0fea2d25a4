import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from loa.text import (date_problem, date_suggestion, decode, format_date, format_number, normalise,
                      parse_date, read_text, slug)


@pytest.mark.parametrize("value, expected", [
    (1215, "1.215"), (1.7, "1,7"), (0.5, "0,5"), (1234567.89, "1.234.567,89"),
    (100, "100"), (4177, "4.177"), (1.0, "1"), (-3.25, "-3,25"), (0, "0"),
])
def test_vietnamese_numbers(value, expected):
    assert format_number(value) == expected


def test_number_rounding():
    assert format_number(2.0 / 3, 2) == "0,67"


def test_vietnamese_date():
    assert format_date(dt.date(2024, 1, 5)) == "05/01/2024"


@pytest.mark.parametrize("text, expected", [
    ("Đăng ký 4G", "dang-ky-4g"),
    ("Bước 2: Đăng ký tài khoản", "buoc-2-dang-ky-tai-khoan"),
    ("đường điện", "duong-dien"),
    ("  Hỗ trợ   chuyển đổi 4G!  ", "ho-tro-chuyen-doi-4g"),
])
def test_slug(text, expected):
    assert slug(text) == expected


def test_slug_is_the_same_for_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Hướng dẫn cài VNeID")
    assert decomposed != "Hướng dẫn cài VNeID"
    assert slug(decomposed) == slug("Hướng dẫn cài VNeID") == "huong-dan-cai-vneid"


def test_normalise_strips_bom_crlf_and_composes():
    assert normalise("\ufeffa\r\nb\rc" + unicodedata.normalize("NFD", "ộ")) == "a\nb\ncộ"


@pytest.mark.parametrize("value, expected", [
    ("2024-01-05", dt.date(2024, 1, 5)),
    ("2024-01-05 08:30", dt.date(2024, 1, 5)),
    (dt.date(2024, 1, 5), dt.date(2024, 1, 5)),
    ("2024-02-30", None), ("31/12/2024", None), ("2024-1-5", None), ("hôm nay", None),
    ("2024-01-01 99:99:99", None), ("2024-01-01 24:00", None), ("2024-01-01T12:60", None),
    ("2024-01-01 23:59:59", dt.date(2024, 1, 1)), ("2024-01-01T07:30", dt.date(2024, 1, 1)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("31/12/2024", "2024-12-31"), ("5/1/2024", "2024-01-05"), ("2024-1-5", "2024-01-05"),
    ("2024/12/31", "2024-12-31"), ("31/02/2024", ""), ("sớm", ""),
    ("2024-01-01 99:99:99", "2024-01-01"), ("2024-02-30 10:00", ""),
])
def test_date_suggestion(value, expected):
    assert date_suggestion(value) == expected


def test_decode_names_the_line_of_the_bad_byte():
    text, found = decode("dòng 1\ndòng 2\n".encode() + b"\xff\xfe bad\n", "content/x.md")
    assert text is None
    assert [(d.path, d.line, d.key) for d in found] == [("content/x.md", 3, "not_utf8")]


def test_decode_good_file():
    text, found = decode("\ufeffxin chào\r\n".encode(), "x")
    assert (text, found) == ("xin chào\n", [])


def test_a_file_that_cannot_be_read_is_a_problem_naming_it(tmp_path, monkeypatch):
    (tmp_path / "x.yaml").mkdir()
    assert [(d.path, d.key) for d in read_text(tmp_path / "x.yaml", "data/x.yaml")[1]] == [
        ("data/x.yaml", "os_is_folder")]
    (tmp_path / "y.yaml").write_text("a: 1\n", encoding="utf-8")

    def refuse(self):  # as chmod 000 would for a user other than root (tests may run as root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert [(d.path, d.key) for d in read_text(tmp_path / "y.yaml", "data/y.yaml")[1]] == [
        ("data/y.yaml", "os_denied")]
    assert read_text(tmp_path / "gone.yaml", "data/gone.yaml")[1][0].key == "os_missing"


def test_any_finite_figure_is_shown_whole_and_no_other_is_shown():
    assert format_number(10 ** 26, 2) == "100.000.000.000.000.000.000.000.000"  # was a traceback
    assert format_number(123456789012345.67, 1) == "123.456.789.012.345,7"
    assert format_number(0.005, 2) == "0"  # (half to even, as round() did)
    assert format_number(0.015, 2) == "0,02"
    for value in (float("nan"), float("inf"), float("-inf")):  # were "NaN", "Infinity"
        with pytest.raises(ValueError):
            format_number(value)


@pytest.mark.parametrize("written, key, suggestion", [
    ("2024-13-05", "field_date_month", "2024-05-13"),  # day and month swapped
    ("2024-00-10", "field_date_month", ""), ("2024-13-45", "field_date_month", ""),
    ("2024-02-30", "field_date_day", ""), ("2023-02-29", "field_date_day", ""),
    ("31/12/2024", "field_date", "2024-12-31"), ("hôm qua", "field_date", ""),
])
def test_a_date_that_is_not_one_says_which_part_is_wrong(written, key, suggestion):
    assert (date_problem(written), date_suggestion(written)) == (key, suggestion)


def test_numbers_are_written_with_the_marks_of_the_language():
    english = (".", ",")
    assert format_number(4177, 2, english) == "4,177" and format_number(4177, 2) == "4.177"
    assert format_number(1.7, 2, english) == "1.7" and format_number(1.7, 2) == "1,7"
    assert format_number(1234567.89, 2, english) == "1,234,567.89"
