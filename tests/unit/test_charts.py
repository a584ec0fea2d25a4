import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from loa.charts import WIDTH, bars, chart, lines, wrap
from loa.models import Dataset
from loa.text import short_figure

SVG = "{http://www.w3.org/2000/svg}"


def dataset(kind, rows, columns=("",), unit="percent"):
    return Dataset(id="t.x", path="data/t.yaml", line=1, title="Tỷ lệ & <thử>", unit=unit,
                   source="Sở", as_of=dt.date(2024, 1, 1),
                   rows=tuple((label, tuple(values)) for label, values in rows),
                   columns=columns, kind=kind)


def fmt(unit):
    return lambda v: short_figure(v, unit)


BY = dataset("by", [("Xã Vĩnh Phú Đông", [99.5]), ("Xã Phong Thạnh Tây A, huyện Phước Long cũ, "
                    "vùng có nhiều ấp xa trung tâm", [97.25]), ("Phường Nhà Mát", [100]),
                    ("Xã Hưng Thành", [0])])
SERIES = dataset("series", [(str(y), [v]) for y, v in zip(range(2013, 2025), [
    12.05, 10.4, 9.1, 8.25, 7.3, 6.15, 5.02, 4.4, 3.9, 2.95, 2.1, 1.7])])
MULTI = dataset("series", [("2022", [12540, 9870]), ("2023", [9020, 9110]),
                           ("2024", [6480, 8805])], columns=("Hộ nghèo", "Hộ cận nghèo"),
                unit="households")
MULTI_BY = dataset("by", [("Giá Rai", [1234, 2345]), ("Đông Hải", [2001, 1500])],
                   columns=("Hộ nghèo", "Hộ cận nghèo"), unit="households")
ALL = [(BY, "percent"), (SERIES, "percent"), (MULTI, "households"), (MULTI_BY, "households")]


def parse(svg):
    # A stand-alone SVG needs its namespace; inline in HTML it must not carry one.
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


@pytest.mark.parametrize("data, unit", ALL, ids=["by", "series", "multi-series", "multi-by"])
def test_chart_is_valid_small_accessible_svg_with_every_figure(data, unit):
    svg = chart(data, fmt(unit))
    root = parse(svg)
    assert len(svg.encode("utf-8")) < 3072
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Tỷ lệ & <thử>"
    assert root.find(f"{SVG}desc").text
    text = "".join(root.itertext())
    for label, values in data.rows:
        for value in values:
            assert short_figure(value, unit) in text, (label, value)


def test_bars_are_proportional_and_fit_the_view_box():
    root = parse(bars(BY, fmt("percent")))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[2] == max(widths) and widths[3] == min(widths) == 1  # 100 widest, 0 a hairline
    assert widths[0] > widths[1]  # 99,5 > 97,25
    for text in root.iter(f"{SVG}text"):
        assert 0 <= float(text.get("x")) < WIDTH


def test_long_labels_wrap_onto_lines_of_their_own():
    root = parse(bars(BY, fmt("percent")))
    label_lines = [t for t in root.iter(f"{SVG}text") if t.get("class") != "v"]
    assert len(label_lines) > len(BY.rows)  # the long commune name took two lines
    ys = [float(t.get("y")) for t in root.iter(f"{SVG}text") if t.get("class") != "v"]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # one label per line, top to bottom


def test_wrap():
    assert wrap("một hai ba", 1000) == ["một hai ba"]
    assert wrap("một hai ba", 70) == ["một hai", "ba"]
    assert wrap("") == [""]


def test_line_chart_thins_year_labels_but_keeps_first_and_last():
    root = parse(lines(SERIES, fmt("percent")))
    years = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert years[0] == "2013" and years[-1] == "2024" and len(years) < 12
    xs = [float(t.get("x")) for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert all(b - a >= 4 * 8.2 for a, b in zip(xs, xs[1:]))  # room for a year between them
    # figures not drawn are still there, as each point's <title>
    titles = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert "2014: 10,4%" in titles


def test_multi_series_have_a_legend_and_distinct_styles():
    svg = lines(MULTI, fmt("households"))
    assert 'class="l0"' in svg and 'class="l1"' in svg
    assert "Hộ nghèo" in svg and "Hộ cận nghèo" in svg
    assert "12.540" in svg


def test_a_single_figure_has_no_chart():
    assert chart(dataset("value", [("", [1.7])]), fmt("percent")) == ""


def test_charts_are_deterministic():
    assert chart(SERIES, fmt("percent")) == chart(SERIES, fmt("percent"))
    assert not re.search(r"\d\.\d{3,}", chart(SERIES, fmt("percent")))  # coordinates rounded
