"""Tiny inline SVG charts, drawn at build time: no JavaScript, no extra request.

Breakdowns (`by`) are horizontal bars, each label on its own line above its bar,
so long commune names wrap instead of colliding; time series are lines with the
years below and the figures above. The layout is computed in a fixed 300-unit
wide view box and scales with the screen, so what does not overlap here does not
overlap on any phone. Colours come from the page's CSS classes (dark mode and
black-and-white printing included); series differ by shade *and* dash pattern.
Every figure of the table is in the SVG, as a label or a point's <title>.
"""
from __future__ import annotations

import math
from html import escape
from typing import Callable

from .models import Dataset

WIDTH = 300  # about the width of a 320 px phone's column, so text keeps its size
FONT = 14
LINE = 17  # height of a line of text
TOP = 6  # headroom: Vietnamese capitals carry accents above the line (Ấ, Ở)
CHAR = 8.2  # a generous average width of one character of a label
FIGURE_CHAR = 10.5  # of a bold figure (DejaVu Sans Bold, the widest common fallback)


def _text_width(text: str, per_char: float = CHAR) -> float:
    return len(text) * per_char


def wrap(text: str, width: float = WIDTH) -> list[str]:
    """Break a label into lines that fit `width` (a word longer than that stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _svg(height: int, title: str, desc: str, body: list[str]) -> str:
    return (f'<svg class="ch" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" font-size="{FONT}"><title>{escape(title)}</title>'
            f'<desc>{escape(desc)}</desc>{"".join(body)}</svg>')


def _legend(columns: tuple[str, ...], y: int, as_lines: bool) -> tuple[list[str], int]:
    """One line per series: a swatch (or a stretch of line) in its style, then its name."""
    if columns == ("",):
        return [], y
    body = []
    for index, name in enumerate(columns):
        key = (f'<path class="l{index}" d="M0 {y + 8}h22"/>' if as_lines else
               f'<rect class="s{index}" x="0" y="{y + 3}" width="22" height="10"/>')
        body.append(f'{key}<text x="28" y="{y + 12}">{escape(name)}</text>')
        y += LINE
    return body, y + 6


def _description(dataset: Dataset, fmt: Callable[[float], str]) -> str:
    parts = []
    for label, values in dataset.rows:
        shown = ", ".join(f"{c} {fmt(v)}" if c else fmt(v)
                          for c, v in zip(dataset.columns, values))
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def bars(dataset: Dataset, fmt: Callable[[float], str]) -> str:
    """Horizontal bars: label line(s), then one bar per series with its figure."""
    texts = [[fmt(v) for v in values] for _, values in dataset.rows]
    reserve = 8 + max(_text_width(t, FIGURE_CHAR) for row in texts for t in row)
    longest = max((v for _, values in dataset.rows for v in values), default=0) or 1
    bar_height = 16 if len(dataset.columns) == 1 else 12
    body, y = _legend(dataset.columns, TOP, as_lines=False)
    for (label, values), shown in zip(dataset.rows, texts):
        for line in wrap(label):
            y += LINE
            body.append(f'<text x="0" y="{y - 3}">{escape(line)}</text>')
        y += 5  # clear of the label's descenders (g, y, ạ)
        for index, (value, text) in enumerate(zip(values, shown)):
            width = max(1, round(max(value, 0) / longest * (WIDTH - reserve)))
            # the figure is centred on its bar: its digits never rise into the label above
            body.append(f'<rect class="s{index}" x="0" y="{y}" width="{width}" '
                        f'height="{bar_height}"/><text class="v" x="{width + 5}" '
                        f'y="{y + bar_height // 2 + 5}">{escape(text)}</text>')
            y += bar_height + 4
        y += 8
    return _svg(y, dataset.title, _description(dataset, fmt), body)


def _spread(count: int, spacing: float, label_width: float) -> list[int]:
    """Which of `count` labels, `spacing` apart, can show without touching; always the last."""
    step = max(1, math.ceil((label_width + 8) / spacing)) if count > 1 else 1
    chosen = list(range(0, count, step))
    if chosen[-1] != count - 1:
        chosen[-1] = count - 1  # moves away from its neighbour: still no overlap
    return chosen


def lines(dataset: Dataset, fmt: Callable[[float], str]) -> str:
    """A line per series over the years; figures above the points of a single series.

    Every label is centred on its point, and the plot is inset by half the widest
    label, so no label leaves the view box; labels are thinned to fit side by side.
    """
    body, top = _legend(dataset.columns, TOP, as_lines=True)
    top += LINE + 8  # room for the figures above the highest point
    plot_height = 120
    count = len(dataset.rows)
    single = len(dataset.columns) == 1
    labels = [label for label, _ in dataset.rows]
    figures = [fmt(values[0]) for _, values in dataset.rows] if single else []
    label_width = max(_text_width(label) for label in labels)
    figure_width = max((_text_width(f, FIGURE_CHAR) for f in figures), default=0)
    inset = max(label_width, figure_width) / 2 + 2
    room = WIDTH - 2 * inset
    spacing = room / (count - 1) if count > 1 else room
    xs = [inset + spacing * i if count > 1 else WIDTH / 2 for i in range(count)]
    ceiling = max((v for _, values in dataset.rows for v in values), default=0) or 1
    bottom = top + plot_height

    def y_of(value: float) -> float:
        return bottom - max(value, 0) / ceiling * plot_height

    body.append(f'<path class="ax" d="M0 {bottom}H{WIDTH}"/>')
    shown = set(_spread(count, spacing, figure_width)) if single else set()
    for index in range(len(dataset.columns)):
        points = [(xs[i], y_of(values[index])) for i, (_, values) in enumerate(dataset.rows)]
        body.append(f'<path class="l{index}" d="M'
                    + "L".join(f"{x:.0f} {y:.0f}" for x, y in points) + '"/>')
        for i, (x, y) in enumerate(points):
            dot = f'<circle class="s{index}" cx="{x:.0f}" cy="{y:.0f}" r="3.5"'
            if i in shown:
                body.append(dot + "/>")
            else:  # its figure is not drawn: a tooltip (and screen readers) still give it
                body.append(f"{dot}><title>{escape(labels[i])}: "
                            f"{escape(fmt(dataset.rows[i][1][index]))}</title></circle>")
    for i in sorted(shown):
        body.append(f'<text class="v" x="{xs[i]:.0f}" y="{y_of(dataset.rows[i][1][0]) - 8:.0f}" '
                    f'text-anchor="middle">{escape(figures[i])}</text>')
    for i in _spread(count, spacing, label_width):
        body.append(f'<text x="{xs[i]:.0f}" y="{bottom + LINE + 2}" text-anchor="middle">'
                    f'{escape(labels[i])}</text>')
    return _svg(bottom + LINE + 8, dataset.title, _description(dataset, fmt), body)


def chart(dataset: Dataset, fmt: Callable[[float], str]) -> str:
    """The chart for a dataset, or "" for a single figure (its card says it all)."""
    if dataset.kind == "series" and len(dataset.rows) > 1:
        return lines(dataset, fmt)
    if dataset.kind == "value":
        return ""
    return bars(dataset, fmt)
