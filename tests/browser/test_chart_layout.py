"""Statistics pages and their inline SVG charts in a real Chromium, on a 320 px phone without JS.

Two sites are checked: the stats fixture (tests/sites/stats: a 12-year series, two-series lines
and bars, very long labels, a zero) and the repository's sample site. On each, every dataset
page thong-ke/<file>-<key>/, the list thong-ke/ and every page embedding a chart are read over
HTTP, and the tests check that the page does not scroll sideways, that no chart label overlaps
another or sticks out of its chart, and that bars grow with the figures of the chart's table.

A control test breaks a copy of a built chart on purpose and checks each detector reports it,
so a green run cannot come from a detector that sees nothing.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from helpers import SITES, build, parse_html, serve

WIDTH, HEIGHT = 320, 640
TOLERANCE = 0.5  # px: two label rects may graze by this much
# Chromium's rect for an SVG <text> is its glyphs' ink rounded out to whole device pixels, so an
# edge can sit ~1px past the ink: a leading 'T' (DejaVu Sans ink 0.04px left of x=0) reads 0.96px
# outside the svg. Half a pixel more than that counts as clipped.
CLIP_TOLERANCE = 1.5
STATS_DATASETS = {"ngheo-ty-le", "ho-theo-nam", "ho-theo-huyen", "phu-song-theo-xa"}
STATS_ARTICLE = "guides/doc-so-lieu/index.html"

# Everything the checks need from a page, in one round trip.
MEASURE = """() => {
  const box = e => { const b = e.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom,
            width: b.width, height: b.height}; };
  const charts = Array.from(document.querySelectorAll('svg.ch')).map((svg, i) => {
    const title = svg.querySelector(':scope > title');
    const figure = svg.closest('figure');
    const table = figure && figure.querySelector('table');
    return {
      index: i,
      title: title ? title.textContent.trim() : '',
      rect: box(svg),
      texts: Array.from(svg.querySelectorAll('text')).map(t => ({text: t.textContent, rect: box(t)})),
      bars: Array.from(svg.querySelectorAll('rect')).map(
        r => ({cls: r.getAttribute('class') || '', rect: box(r)})),
      table: table ? Array.from(table.querySelectorAll('tbody tr')).map(
        tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim())) : null,
    };
  });
  const limit = window.innerWidth;
  const sticking = Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > limit + 0.5).slice(0, 6)
    .map(e => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') || ''}"> right=` +
              `${Math.round(e.getBoundingClientRect().right)}: ${e.textContent.trim().slice(0, 50)}`);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: limit, sticking, charts};
}"""


@dataclass(frozen=True)
class Site:
    name: str
    out: Path  # the built site on disk
    url: str  # where it is served, ending in '/'


@pytest.fixture(scope="module")
def stats_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """tests/sites/stats built once and served at http://127.0.0.1:PORT/stats/ (the server's
    root also takes the control pages, written next to it)."""
    root = tmp_path_factory.mktemp("stats-served")
    result = build(SITES / "stats", root / "stats")
    assert result.code == 0, result.err
    with serve(root) as base:
        yield Site("stats", root / "stats", base + "stats/")


@pytest.fixture(params=["stats", "sample"])
def site(request) -> Site:
    if request.param == "stats":
        return request.getfixturevalue("stats_site")
    return Site("sample", request.getfixturevalue("sample_site"),
                request.getfixturevalue("served_site"))


def chart_pages(out: Path) -> list[str]:
    """thong-ke/, every dataset page under it, and every other page carrying an svg.ch."""
    pages = {"thong-ke/index.html"}
    pages |= {p.relative_to(out).as_posix() for p in out.glob("thong-ke/*/index.html")}
    pages |= {p.relative_to(out).as_posix() for p in out.rglob("*.html")
              if any(svg.get("class") == "ch"
                     for svg in parse_html(p.read_text(encoding="utf-8")).iter("svg"))}
    return sorted(pages)


def _checked_pages(site: Site) -> list[str]:
    pages = chart_pages(site.out)
    datasets = {p.split("/")[1] for p in pages if re.fullmatch(r"thong-ke/[^/]+/index\.html", p)}
    if site.name == "stats":
        assert datasets == STATS_DATASETS, f"the stats fixture's datasets changed: {sorted(datasets)}"
        assert STATS_ARTICLE in pages, f"{STATS_ARTICLE} embeds no chart any more"
    else:
        assert len(datasets) >= 5, f"the sample site has only {sorted(datasets)} under thong-ke/"
    return pages


def measure(page, url: str) -> dict:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    return page.evaluate(MEASURE)


def _fmt(rect: dict) -> str:
    return (f"[x {rect['left']:.1f}..{rect['right']:.1f}, y {rect['top']:.1f}..{rect['bottom']:.1f}]")


def _chart_name(where: str, chart: dict) -> str:
    return f"{where} chart #{chart['index']} ({chart['title'][:50]!r})"


def _intersect(a: dict, b: dict, tolerance: float = TOLERANCE) -> bool:
    overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
    overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return overlap_x > tolerance and overlap_y > tolerance


def overflow_problems(where: str, measured: dict) -> list[str]:
    if measured["scrollWidth"] <= measured["innerWidth"]:
        return []
    return [f"{where} scrolls sideways at {measured['innerWidth']}px: scrollWidth="
            f"{measured['scrollWidth']}; sticking out: {measured['sticking']}"]


def label_problems(where: str, charts: list[dict]) -> list[str]:
    """Labels of a chart that overlap one another, or that stick out of the chart's svg."""
    problems = []
    for chart in charts:
        name, svg = _chart_name(where, chart), chart["rect"]
        for a, b in itertools.combinations(chart["texts"], 2):
            if _intersect(a["rect"], b["rect"]):
                problems.append(f"{name}: {a['text']!r} {_fmt(a['rect'])} overlaps "
                                f"{b['text']!r} {_fmt(b['rect'])}")
        for t in chart["texts"]:
            r = t["rect"]
            outside = max(svg["left"] - r["left"], r["right"] - svg["right"],
                          svg["top"] - r["top"], r["bottom"] - svg["bottom"])
            if outside > CLIP_TOLERANCE:
                problems.append(f"{name}: {t['text']!r} {_fmt(r)} sticks {outside:.1f}px out of "
                                f"the svg {_fmt(svg)}, clipped")
    return problems


def figure(cell: str) -> float | None:
    """'12.540' -> 12540, '99,5%' -> 99.5 (Vietnamese: '.' groups thousands, ',' is the decimal)."""
    match = re.search(r"[-−]?\d[\d.]*(?:,\d+)?", cell)
    if not match:
        return None
    return float(match.group().replace("−", "-").replace(".", "").replace(",", "."))


def bars_with_values(chart: dict) -> list[tuple[str, float, float]]:
    """(row/series label, table figure, rendered bar width) for each data bar, in table order.

    Bars come row by row, one per series; a chart with several series starts with one legend
    swatch per series, which is left out. Raises AssertionError when bars and table disagree.
    """
    rows = chart["table"]
    assert rows, "the chart has no table of figures next to it"
    series = len(rows[0])
    assert all(len(r) == series for r in rows), f"ragged table: {rows}"
    bars = chart["bars"]
    if series > 1 and len(bars) == len(rows) * series + series:
        bars = bars[series:]
    assert len(bars) == len(rows) * series, (
        f"{len(chart['bars'])} rects for a table of {len(rows)} rows x {series} series")
    return [(f"row {r + 1} series {s + 1} ({rows[r][s]})", figure(rows[r][s]),
             bars[r * series + s]["rect"]["width"])
            for r in range(len(rows)) for s in range(series)]


def bar_problems(where: str, charts: list[dict]) -> list[str]:
    """Bar charts whose bar widths do not follow the order of their table's figures."""
    problems = []
    for chart in charts:
        if not chart["bars"]:
            continue  # a line chart
        name = _chart_name(where, chart)
        try:
            bars = [b for b in bars_with_values(chart) if b[1] is not None]
        except AssertionError as error:
            problems.append(f"{name}: {error}")
            continue
        for (label_a, a, width_a), (label_b, b, width_b) in itertools.permutations(bars, 2):
            if a < b and width_a > width_b + 0.01:
                problems.append(f"{name}: bar {label_a} is {width_a:.1f}px wide, wider than "
                                f"bar {label_b} at {width_b:.1f}px")
            elif a == b and abs(width_a - width_b) > TOLERANCE and label_a < label_b:
                problems.append(f"{name}: equal figures, unequal bars: {label_a} {width_a:.1f}px, "
                                f"{label_b} {width_b:.1f}px")
        smallest, largest = min(v for _, v, _ in bars), max(v for _, v, _ in bars)
        for label, value, width in bars:
            for other_label, other, other_width in bars:
                if value == largest and other < largest and width <= other_width:
                    problems.append(f"{name}: the largest figure's bar {label} ({width:.1f}px) is not "
                                    f"wider than {other_label} ({other_width:.1f}px)")
                if value == smallest and other > smallest and width >= other_width:
                    problems.append(f"{name}: the smallest figure's bar {label} ({width:.1f}px) is not "
                                    f"narrower than {other_label} ({other_width:.1f}px)")
    return problems


def render_problems(where: str, charts: list[dict]) -> list[str]:
    problems = []
    for chart in charts:
        name, r = _chart_name(where, chart), chart["rect"]
        if r["width"] < 1 or r["height"] < 1:
            problems.append(f"{name}: rendered {r['width']:.1f}x{r['height']:.1f}px")
        if not chart["texts"]:
            problems.append(f"{name}: no <text> label at all")
        elif not any(t["rect"]["width"] > 0 and t["rect"]["height"] > 0 for t in chart["texts"]):
            problems.append(f"{name}: every <text> label renders empty")
        if not chart["title"]:
            problems.append(f"{name}: no <title>")
    return problems + bar_problems(where, charts)


_MEASURED: dict[str, dict] = {}  # url -> MEASURE's answer: each page is loaded once per run


def _visit(new_page, site: Site) -> Iterator[tuple[str, dict]]:
    page = None
    for path in _checked_pages(site):
        url = site.url + path
        if url not in _MEASURED:
            page = page or new_page(WIDTH, HEIGHT, js=False)
            _MEASURED[url] = measure(page, url)
        measured = _MEASURED[url]
        assert measured["innerWidth"] == WIDTH
        yield f"{site.name}:{path}", measured


def test_statistics_pages_fit_a_320px_phone(new_page, site):
    problems = [p for where, m in _visit(new_page, site) for p in overflow_problems(where, m)]
    assert not problems, "\n".join(problems)


def test_chart_labels_neither_overlap_nor_get_clipped(new_page, site):
    problems, charts = [], 0
    for where, measured in _visit(new_page, site):
        charts += len(measured["charts"])
        problems += label_problems(where, measured["charts"])
    assert charts >= (6 if site.name == "stats" else 2), f"only {charts} charts found on {site.name}"
    assert not problems, "\n".join(problems)


def test_every_chart_renders_and_bars_follow_the_table(new_page, site):
    problems, bar_charts = [], 0
    for where, measured in _visit(new_page, site):
        expects_chart = re.fullmatch(r"[^:]+:thong-ke/[^/]+/index\.html", where)
        if expects_chart and site.name == "stats":
            assert measured["charts"], f"{where}: the dataset page shows no chart"
        bar_charts += sum(1 for c in measured["charts"] if c["bars"])
        problems += render_problems(where, measured["charts"])
    assert bar_charts >= (2 if site.name == "stats" else 1), f"{bar_charts} bar charts on {site.name}"
    assert not problems, "\n".join(problems)


def test_single_series_bars_rank_like_their_figures(new_page, stats_site):
    """phu-song-theo-xa: 100 gets the widest bar, 0 the narrowest (yet visible), in table order."""
    page = new_page(WIDTH, HEIGHT, js=False)
    (chart,) = measure(page, stats_site.url + "thong-ke/phu-song-theo-xa/index.html")["charts"]
    bars = bars_with_values(chart)
    assert [value for _, value, _ in bars] == [99.5, 97.25, 88, 100, 0, 76.4]
    by_value = [label for label, _, _ in sorted(bars, key=lambda b: b[1])]
    by_width = [label for label, _, _ in sorted(bars, key=lambda b: b[2])]
    assert by_width == by_value, f"bars ranked by width {by_width}, figures ranked {by_value}"
    widths = sorted(width for _, _, width in bars)
    assert all(a < b for a, b in zip(widths, widths[1:])), f"two bars share a width: {widths}"
    zero_width = next(width for _, value, width in bars if value == 0)
    assert zero_width < 0.05 * widths[-1], f"the bar of 0 is {zero_width:.1f}px of {widths[-1]:.1f}px"


def test_control_a_broken_chart_is_reported(new_page, stats_site):
    """A copy of phu-song-theo-xa, broken on purpose: each detector must name its defect."""
    html = (stats_site.out / "thong-ke/phu-song-theo-xa/index.html").read_text(encoding="utf-8")

    def y_of(label: str) -> str:
        found = re.search(r'<text x=0 y=(\d+)>' + re.escape(label), html)
        assert found, f"the built chart changed, update the control: no label {label!r}"
        return found.group(1)

    broken = html
    for pattern, new in [
        # a label moved onto 'Phường Nhà Mát', a value pushed past the right edge, the 0 bar
        # the widest, a block wider than the phone and an empty chart
        (r'<text x=0 y=\d+>Xã Hưng Thành', f'<text x=0 y={y_of("Phường Nhà Mát")}>Xã Hưng Thành'),
        (r'<text class=v x=\d+ (y=\d+)>88%', r'<text class=v x=285 \1>88%'),
        (r'(<rect class=s0 height=\d+) width=1 ', r'\1 width=240 '),
        ("</main>", '<div style="width:400px">wide</div>'
                    '<svg class="ch" style="height:0"></svg></main>'),
    ]:
        broken, count = re.subn(pattern, new, broken, count=1)
        assert count == 1, f"the built chart changed, update the control: {pattern!r} not found"
    target = stats_site.out.parent / "control" / "broken" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(broken, encoding="utf-8")

    page = new_page(WIDTH, HEIGHT, js=False)
    measured = measure(page, stats_site.url + "../control/broken/index.html")
    charts = measured["charts"]

    assert overflow_problems("control", measured), "a 400px wide block went unnoticed"
    labels = label_problems("control", charts)
    assert any("'Xã Hưng Thành'" in p and "overlaps" in p and "'Phường Nhà Mát'" in p
               for p in labels), labels
    assert any("'88%'" in p and "clipped" in p for p in labels), labels
    bars = bar_problems("control", charts)
    assert any("(0%)" in p for p in bars), bars
    empty = render_problems("control", [dict(c, bars=[]) for c in charts])
    assert all("chart #1" in p for p in empty), f"the intact chart #0 was reported: {empty}"
    assert any("x0.0px" in p for p in empty) and any("no <text>" in p for p in empty), empty
