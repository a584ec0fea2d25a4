import datetime as dt

from loa.stats import load


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
    assert data["poverty.rate"].latest == 1.7 and data["poverty.rate"].kind == "value"
    assert data["poverty.rate"].as_of == dt.date(2024, 1, 1)
    assert data["poverty.coverage"].points == (("Phước Long", 100), ("Hồng Dân", 96.5))


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
