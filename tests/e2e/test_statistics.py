"""Statistics pages, downloads, embedded charts and key figures, built end to end."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import ROOT, SITES, build, copy_site, hrefs, parse_html


def datasets_of(site: Path) -> dict[str, dict]:
    """Dataset ids -> their YAML, read independently of Loa (data/viet-tat.yaml is the
    loudspeaker glossary, not datasets)."""
    import yaml
    found = {}
    for path in sorted((site / "data").glob("*.yaml")):
        if path.name == "viet-tat.yaml":
            continue
        for key, spec in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            found[f"{path.stem}.{key}"] = spec
    return found


def page_name(dataset_id: str) -> str:
    return dataset_id.replace(".", "-").replace("_", "-")


def charts(html: str) -> list[ET.Element]:
    return [svg for svg in parse_html(html).iter("svg") if svg.get("class") == "ch"]


@pytest.fixture(scope="module")
def stats_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("stats") / "out"
    result = build(SITES / "stats", out)
    assert result.code == 0, result.err
    return out


@pytest.mark.parametrize("site_name", ["sample", "stats"])
def test_every_dataset_has_its_page_with_chart_table_source_date_and_downloads(
        site_name, sample_site, stats_site):
    source, out = (ROOT, sample_site) if site_name == "sample" else (SITES / "stats", stats_site)
    specs = datasets_of(source)
    assert len(specs) >= 4
    listing = hrefs((out / "thong-ke" / "index.html").read_text(encoding="utf-8"))
    for dataset_id, spec in specs.items():
        name = page_name(dataset_id)
        folder = out / "thong-ke" / name
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert f"{name}/index.html" in listing
        assert spec["title"] in html and spec["source"] in html
        year, month, day = str(spec["as_of"]).split("-")
        assert f"{day}/{month}/{year}" in html
        assert "<table>" in html
        assert len(charts(html)) == (0 if "value" in spec else 1)
        assert {f"{name}.csv", f"{name}.json"} <= set(hrefs(html))
        rows = list(csv.reader(io.StringIO((folder / f"{name}.csv").read_bytes().decode("utf-8"))))
        assert rows[0][0].startswith("\ufeff")  # spreadsheets then read the text as UTF-8
        document = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert document["title"] == spec["title"] and document["source"] == spec["source"]
        shape = next(s for s in ("value", "series", "by") if s in spec)
        expected = 1 if shape == "value" else len(spec[shape])
        assert len(rows) == 1 + expected and len(document["rows"]) == expected


@pytest.mark.parametrize("site_name", ["sample", "stats"])
def test_every_chart_is_small_accessible_svg_holding_every_figure_of_its_table(
        site_name, sample_site, stats_site):
    """Pages are minified (HTML syntax); the chart's own SVG is checked as XML in
    tests/unit/test_charts.py. Here: what the page carries, read as a browser does."""
    out = sample_site if site_name == "sample" else stats_site
    count = 0
    for page in sorted((out / "thong-ke").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        tree = parse_html(html)
        for svg in charts(html):
            count += 1
            assert len(ET.tostring(svg, encoding="utf-8")) < 3072, page
            assert svg.get("role") == "img" and svg.find("title").text.strip()
            cells = ["".join(td.itertext()) for td in next(tree.iter("table")).iter("td")]
            assert cells
            in_chart = "".join(svg.itertext())
            for cell in cells:
                assert cell in in_chart, f"{page}: {cell} is in the table but not the chart"
    assert count >= 2


def test_shortcodes_in_articles_become_figures_and_charts(sample_site, stats_site):
    guide = (stats_site / "guides" / "doc-so-lieu" / "index.html").read_text(encoding="utf-8")
    stats = [s.text for s in parse_html(guide).iter("span") if s.get("class") == "stat"]
    assert stats == ["1,7%", "99,5%"]
    text = "".join(parse_html(guide).itertext())
    assert "Tỷ lệ hộ nghèo mới nhất là 1,7%; ở xã Vĩnh Phú Đông, sóng 4G phủ 99,5%." in text
    assert len(charts(guide)) == 2 and "{{" not in guide and "loaemb" not in guide
    plan = (sample_site / "policies" / "ke-hoach-giam-ngheo-ve-thong-tin-2024" / "index.html"
            ).read_text(encoding="utf-8")
    assert len(charts(plan)) == 1 and ">1.215 trạm</span>" in plan and "{{" not in plan


def test_home_shows_three_to_five_key_figures_linked_to_their_data(sample_site):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    figures = [(a.get("href"), a.find("strong").text)
               for ul in parse_html(home).iter("ul") if ul.get("class") == "figures"
               for a in ul.iter("a")]
    assert 3 <= len(figures) <= 5
    assert ("thong-ke/poverty-rate/index.html", "1,7%") in figures
    for href, _ in figures:
        assert (sample_site / href).is_file()


def test_key_figure_of_a_breakdown_names_its_row(stats_site):
    home = (stats_site / "index.html").read_text(encoding="utf-8")
    assert "<strong>99,5%</strong>" in home and "<strong>1,7%</strong>" in home


def test_a_chart_over_its_budget_is_an_error(tmp_path):
    site = copy_site(SITES / "stats", tmp_path / "site")
    rows = "\n".join(f'    "Xã số {i} có tên rất dài để thử ngân sách": {i}' for i in range(40))
    (site / "data" / "lon.yaml").write_text(
        "nhieu:\n  title: \"Nhiều xã\"\n  unit: people\n  source: \"Thử\"\n"
        f"  as_of: 2024-01-01\n  by:\n{rows}\n", encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    assert re.search(r"^data/lon\.yaml:1: biểu đồ nặng \d+ byte, vượt ngân sách 3072 byte",
                     result.err, re.M)


def test_templates_reach_every_dataset_as_site_data(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ title }}</h1>'
        '<p id="x">{{ site.data["poverty.rate"].latest }} · {{ site.data["poverty.rate"].source }}'
        '</p>{% endblock %}', encoding="utf-8")
    assert build(site, tmp_path / "out").code == 0
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<p id=x>1,7% · UBND tỉnh</p>" in home
    # the site's template replaced Loa's; the other pages still use Loa's own
    assert "Những con số chính" not in home
    assert "<ul class=list>" in (tmp_path / "out" / "guides" / "index.html").read_text(
        encoding="utf-8")


def statistics_groups(out: Path) -> list[tuple[str, list[str]]]:
    """The statistics page as (heading, [dataset page names]) in the order shown."""
    main = next(e for e in parse_html((out / "thong-ke" / "index.html").read_text(
        encoding="utf-8")).iter("main"))
    groups: list[tuple[str, list[str]]] = []
    for element in main:
        if element.tag == "h2":
            groups.append(("".join(element.itertext()), []))
        elif element.tag == "ul" and element.get("class") == "list":
            if not groups or groups[-1][1]:
                groups.append(("", []))
            groups[-1][1].extend(a.get("href").split("/")[0] for li in element
                                 for a in li.iter("a"))
    return groups


def test_the_statistics_page_groups_by_area_led_by_the_key_figures_and_names_headlines(
        sample_site):
    import yaml
    config = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8"))
    specs = {page_name(k): v for k, v in datasets_of(ROOT).items()}
    keys = [page_name(k["stat"]) for k in config["key_figures"]]
    groups = statistics_groups(sample_site)
    shown = [name for _, names in groups for name in names]
    assert sorted(shown) == sorted(specs)  # every dataset, once
    for heading, names in groups:
        assert heading and {specs[n]["area"] for n in names} == {heading}
        # in a group: its key figures in the site's order, then by weight
        ranks = [(keys.index(n) if n in keys else len(keys), specs[n].get("weight", 1e9))
                 for n in names]
        assert ranks == sorted(ranks), heading
    # the groups follow the key figures: the headline figure's area comes first
    firsts = [min(keys.index(n) for n in names if n in keys) if set(names) & set(keys)
              else len(keys) for _, names in groups]
    assert firsts == sorted(firsts) and groups[0][1][0] == keys[0]
    tree = parse_html((sample_site / "thong-ke" / "index.html").read_text(encoding="utf-8"))
    items = [li for ul in tree.iter("ul") if ul.get("class") == "list" for li in ul.iter("li")]
    latest = {next(li.iter("a")).text: "".join(next(li.iter("strong")).itertext())
              for li in items}
    # a breakdown shows its key figure's row, named (not nothing, not another row)
    assert latest["Hạ tầng thông tin và mức sử dụng điện thoại thông minh"] == (
        "Người lớn dùng điện thoại thông minh: 80%")
    assert all(latest.values())
    # one source and date for all: said once, under the list
    assert sum("Nguồn:" in "".join(e.itertext()) for e in tree.iter("small")) == 1


def test_datasets_without_an_area_come_last_under_their_own_heading(tmp_path, stats_site):
    site = copy_site(SITES / "stats", tmp_path / "site")
    ho = site / "data" / "ho.yaml"
    text = ho.read_text(encoding="utf-8")
    text = text.replace("  as_of: 2024-12-31\n  series:", "  as_of: 2024-12-31\n"
                        "  area: \"Hộ nghèo\"\n  weight: 2\n  series:")
    text = text.replace("  as_of: 2024-12-31\n  by:", "  as_of: 2024-12-31\n"
                        "  area: \"Hộ nghèo\"\n  weight: 1\n  by:")
    ho.write_text(text, encoding="utf-8")
    xa = site / "data" / "phu_song.yaml"
    xa.write_text(xa.read_text(encoding="utf-8").replace(
        "  as_of: 2024-12-31\n", "  as_of: 2024-12-31\n  area: \"Hạ tầng\"\n"), encoding="utf-8")
    assert build(site, tmp_path / "out").code == 0
    # the key figure ngheo.ty_le has no area: it is listed with the others, last
    assert statistics_groups(tmp_path / "out") == [
        ("Hạ tầng", ["phu-song-theo-xa"]),
        ("Hộ nghèo", ["ho-theo-huyen", "ho-theo-nam"]),
        ("Số liệu khác", ["ngheo-ty-le"])]
    # without any area, one list and no heading, the key figures first
    assert statistics_groups(stats_site) == [
        ("", ["ngheo-ty-le", "phu-song-theo-xa", "ho-theo-nam", "ho-theo-huyen"])]
