import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from loa import i18n
from loa.charts import chart
from loa.stats import load, to_csv, to_json
from loa.text import short_figure


def write(tmp_path, text, name="poverty.yaml"):
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / name).write_text(text, encoding="utf-8")
    return load(tmp_path)


GOOD = """\
rate:
  title: "Tỷ lệ hộ nghèo"
  unit: percent
  source: "UBND tỉnh"
  as_of: 2024-01-01
  value: 1.7
coverage:
  title: "Phủ sóng"
  unit: percent
  source: "Sở"
  as_of: 2024-01-01
  by:
    "Phước Long": 100
    "Hồng Dân": 96.5
"""


def test_datasets_are_read_with_ids(tmp_path):
    data, found = write(tmp_path, GOOD)
    assert found == []
    assert data["poverty.rate"].value() == 1.7 and data["poverty.rate"].kind == "value"
    assert data["poverty.rate"].as_of == dt.date(2024, 1, 1)
    assert data["poverty.coverage"].rows == (("Phước Long", (100,)), ("Hồng Dân", (96.5,)))
    assert data["poverty.coverage"].value("Hồng Dân") == 96.5
    assert data["poverty.coverage"].value("Cà Mau") is None


def test_each_bad_dataset_has_its_line(tmp_path):
    text = (GOOD.replace("unit: percent\n  source: \"UBND tỉnh\"", "unit: percents\n  source: \"UBND tỉnh\"")
            .replace("96.5", "nhiều").replace("    \"Phước Long\": 100", "    \"Phước Long\": 101")
            .replace("  source: \"Sở\"\n", ""))
    _, found = write(tmp_path, text)
    assert sorted((d.line, d.key) for d in found) == [
        (3, "data_unit"), (7, "data_missing"), (12, "data_percent"), (13, "data_not_number")]


def test_shape_must_be_exactly_one(tmp_path):
    _, found = write(tmp_path, GOOD.replace("  value: 1.7\n", ""))
    assert [(d.line, d.key) for d in found] == [(1, "data_shape")]


SERIES = """\
households:
  title: "Hộ nghèo và cận nghèo"
  unit: households
  source: "Sở"
  as_of: 2024-12-31
  series:
    2024: {"Hộ nghèo": 6480, "Hộ cận nghèo": 8805}
    2022: {"Hộ nghèo": 12540, "Hộ cận nghèo": 9870}
"""


def test_several_series_sharing_keys_sorted_by_period(tmp_path):
    data, found = write(tmp_path, SERIES, "ho.yaml")
    assert found == []
    dataset = data["ho.households"]
    assert dataset.columns == ("Hộ nghèo", "Hộ cận nghèo")
    assert dataset.rows == (("2022", (12540, 9870)), ("2024", (6480, 8805)))
    assert dataset.value() == 6480  # the latest year, first series


def test_rows_must_share_the_columns_and_series_keys_be_periods(tmp_path):
    text = SERIES.replace('2022: {"Hộ nghèo": 12540, "Hộ cận nghèo": 9870}',
                          '2022: {"Hộ nghèo": 12540}\n    "năm ngoái": {"Hộ nghèo": 1, "Hộ cận nghèo": 2}')
    _, found = write(tmp_path, text, "ho.yaml")
    assert [(d.line, d.key) for d in found] == [(8, "data_columns"), (9, "data_series_key")]


def test_missing_source_and_bad_date(tmp_path):
    _, found = write(tmp_path, GOOD.replace('  source: "UBND tỉnh"\n', "").replace(
        "as_of: 2024-01-01\n  value", "as_of: 01/2024\n  value"))
    assert sorted((d.line, d.key, d.params.get("field")) for d in found) == [
        (1, "data_missing", "source"), (4, "field_date", "as_of")]


def test_csv_has_a_bom_vietnamese_headers_and_plain_numbers(tmp_path):
    data, _ = write(tmp_path, SERIES, "ho.yaml")
    raw = to_csv(data["ho.households"], "Năm", "Giá trị")
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["Năm", "Hộ nghèo", "Hộ cận nghèo"], ["2022", "12540", "9870"],
                    ["2024", "6480", "8805"]]
    data, _ = write(tmp_path, GOOD)
    rows = list(csv.reader(io.StringIO(to_csv(data["poverty.coverage"], "Nội dung", "Giá trị")
                                       .decode("utf-8-sig"))))
    assert rows == [["Nội dung", "Giá trị"], ["Phước Long", "100"], ["Hồng Dân", "96.5"]]


def test_json_download(tmp_path):
    data, _ = write(tmp_path, GOOD)
    document = json.loads(to_json(data["poverty.coverage"]))
    assert document["title"] == "Phủ sóng" and document["as_of"] == "2024-01-01"
    assert document["rows"] == [{"label": "Phước Long", "values": [100]},
                                {"label": "Hồng Dân", "values": [96.5]}]


FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"Bấm\")", "+cmd|' /C calc'!A0", "@SUM(1)",
            "-2+3", "\t=1", "\r=1", "＝1+1"]


def test_a_label_a_spreadsheet_would_run_is_neutralised_in_the_csv(tmp_path):
    import yaml
    rows = {label: i for i, label in enumerate(FORMULAS)}
    text = yaml.safe_dump({"f": {"title": "Thử", "unit": "number", "source": "Sở",
                                 "as_of": "2024-01-01", "by": rows}}, allow_unicode=True)
    data, found = write(tmp_path, text, "f.yaml")
    assert found == []
    dataset = data["f.f"]
    cells = list(csv.reader(io.StringIO(to_csv(dataset, "=Năm", "@Giá trị").decode("utf-8-sig"),
                                        newline="")))
    assert cells[0] == ["'=Năm", "'@Giá trị"]
    assert dict(cells[1:]) == {"'" + label: str(i) for label, i in rows.items()}
    # the JSON keeps every label exactly as written
    assert {r["label"] for r in json.loads(to_json(dataset))["rows"]} == set(FORMULAS)


def test_a_negative_figure_stays_a_number_in_the_csv(tmp_path):
    text = 'f:\n  title: "Thử"\n  unit: number\n  source: "Sở"\n  as_of: 2024-01-01\n' \
           '  by:\n    "Thay đổi": -2.5\n'
    data, _ = write(tmp_path, text, "f.yaml")
    assert to_csv(data["f.f"], "Nội dung", "Giá trị").decode("utf-8-sig").splitlines()[1] == \
        "Thay đổi,-2.5"


def test_a_yaml_error_in_a_data_file_is_worded_for_a_data_file(tmp_path):
    _, found = write(tmp_path, GOOD.replace("value: 1.7", "value: [1.7"))
    assert [d.key for d in found] == ["yaml_syntax_file"]
    assert "phần đầu bài" not in i18n.load("vi").diagnostic(found[0])  # "the article header"


def test_a_data_file_that_is_a_folder_or_unreadable_is_named_and_the_rest_read(
        tmp_path, monkeypatch):
    write(tmp_path, GOOD)
    (tmp_path / "data" / "x.yaml").mkdir()
    (tmp_path / "data" / "y.yaml").write_text(GOOD, encoding="utf-8")
    read_bytes = Path.read_bytes

    def refuse_y(self):  # as chmod 000 would for a user other than root
        if self.name == "y.yaml":
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse_y)
    data, found = load(tmp_path)
    assert sorted(data) == ["poverty.coverage", "poverty.rate"]
    assert [(d.path, d.line, d.key) for d in found] == [
        ("data/x.yaml", 0, "os_is_folder"), ("data/y.yaml", 0, "os_denied")]


@pytest.mark.parametrize("written, key", [
    (".nan", "data_not_finite"), (".inf", "data_not_finite"), ("-.inf", "data_not_finite"),
    ("1.0e+400", "data_not_finite"),  # YAML reads it as infinity (and 1e400 as text)
    ("100000000000000000000000000", "data_too_large"),  # 10^26: a traceback in format_number
    ("1000000000000000", "data_too_large"), ("-1.0e+15", "data_too_large"),
    (str(10 ** 400), "data_too_large"),  # larger than any double: never made a float
])
def test_a_figure_that_cannot_be_shown_as_it_is_is_refused_at_its_line(tmp_path, written, key):
    text = GOOD.replace('"Hồng Dân": 96.5', f'"Hồng Dân": {written}').replace(
        "unit: percent\n  source: \"Sở\"", "unit: people\n  source: \"Sở\"").replace(
        "value: 1.7", f"value: {written}").replace("unit: percent", "unit: number", 1)
    data, found = write(tmp_path, text)
    assert [(d.line, d.key) for d in found] == [(6, key), (14, key)]
    assert data == {}


def test_the_largest_figure_allowed_is_shown_charted_and_downloaded_exactly(tmp_path):
    largest = 10 ** 15 - 1
    text = GOOD.replace('"Hồng Dân": 96.5', f'"Hồng Dân": {largest}').replace(
        "unit: percent\n  source: \"Sở\"", "unit: people\n  source: \"Sở\"")
    data, found = write(tmp_path, text)
    assert found == []
    dataset = data["poverty.coverage"]
    assert short_figure(dataset.value("Hồng Dân"), dataset.unit) == "999.999.999.999.999"
    assert "999.999.999.999.999" in chart(dataset, lambda v: short_figure(v, dataset.unit))
    assert f"{largest}" in to_csv(dataset, "Xã", "Người").decode("utf-8-sig")
    assert json.loads(to_json(dataset))["rows"][1]["values"] == [largest]


@pytest.mark.parametrize("period, good", [
    ("2024", True), ('"2024-06"', True), ("2024-02-29", True), ("2024-13", False),
    ('"2024-13-45"', False), ("2023-02-29", False), ("0000", False), ("2024-00", False),
])
def test_series_periods_must_exist(tmp_path, period, good):
    _, found = write(tmp_path, SERIES.replace("2024:", f"{period}:"), "ho.yaml")
    assert [(d.line, d.key) for d in found] == ([] if good else [(7, "data_series_key")])


def test_a_dataset_title_or_source_must_be_text(tmp_path):
    text = (GOOD.replace('title: "Tỷ lệ hộ nghèo"', "title: .nan")
            .replace('source: "Sở"', "source: [a, b]")
            .replace('title: "Phủ sóng"', "title: 2024"))  # a plain number is its text
    _, found = write(tmp_path, text)
    assert [(d.line, d.key, d.params["field"]) for d in found] == [
        (2, "field_text", "title"), (10, "field_text", "source")]


def test_an_area_and_a_weight_are_read_and_checked_at_their_lines(tmp_path):
    text = GOOD.replace('  value: 1.7\n', '  area: "Giảm nghèo"\n  weight: 2\n  value: 1.7\n')
    data, found = write(tmp_path, text)
    assert found == []
    assert (data["poverty.rate"].area, data["poverty.rate"].weight) == ("Giảm nghèo", 2)
    assert (data["poverty.coverage"].area, data["poverty.coverage"].weight) == ("", None)
    bad = (text.replace("weight: 2", "weight: 1.5")
           .replace('  by:\n', '  area: [a]\n  weight: "đầu"\n  by:\n'))
    _, found = write(tmp_path, bad)
    assert [(d.line, d.key, d.params["field"]) for d in found] == [
        (7, "field_int", "weight"), (14, "field_text", "area"), (15, "field_int", "weight")]
