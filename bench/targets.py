"""Issue 13's targets, judged on what one run of bench/run.py measured.

bench/run.py fills one `Figures` per size of site; `rows` turns them into one row per
target and size, and `table` prints them as a Markdown table. A target set at one size
(say 10,000 articles) is shown at that size when the run measured it; a run without it
shows the sizes it did measure, marked `*`: the same limit, for reference only.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

MIB = 2 ** 20


@dataclasses.dataclass(frozen=True)
class TemplateRenders:
    """What a build made again after one template changed, and whether it had to."""

    template: str
    users: int  # pages of the output drawn with the template
    made: int  # files the build made again
    made_users: int  # of which pages drawn with the template

    @property
    def others(self) -> int:
        return self.made - self.made_users

    def summary(self) -> str:
        return (f"{self.template}: made {self.made}, of which {self.others} not using it "
                f"({self.made_users} of the {self.users} pages that use it)")


@dataclasses.dataclass
class Figures:
    """What the targets need from the run at one size; None where it was not measured."""

    n: int
    jobs: str  # "" for build.py's default workers, else "--jobs J"
    cold_wall: float
    cold_cpu_one_job: float  # CPU seconds of a cold build with --jobs 1
    cold_pss: int | None  # bytes; None when the build was too short to sample
    article_wall: float
    templates: list[TemplateRenders]
    markdown_cpu: float | None = None
    hugo_wall: float | None = None
    serve_median: float | None = None
    missing: dict[str, str] = dataclasses.field(default_factory=dict)  # part -> why not


@dataclasses.dataclass(frozen=True)
class Row:
    target: str
    n: str
    measured: str  # the figures it comes from
    value: str  # in the target's unit, with the target
    share: float | None  # value ÷ limit: 1.0 or less meets it
    verdict: str


@dataclasses.dataclass(frozen=True)
class PerSize:
    """A target checked at each size: `limits` maps the sizes it is set at to its limit."""

    target: str
    limits: dict[int, float]
    unit: str  # printed after the value and the limit
    # the value and the figures it comes from; or None and why it was not measured
    measure: Callable[[Figures], tuple[float | None, str]]


# --------------------------------------------------------------------------- the figures

def _markdown_ratio(f: Figures) -> tuple[float | None, str]:
    if f.markdown_cpu is None:
        return None, f.missing.get("markdown", "not measured")
    return (f.cold_cpu_one_job / f.markdown_cpu,
            f"{f.cold_cpu_one_job:.2f} s ÷ {f.markdown_cpu:.2f} s CPU")


def _hugo_ratio(f: Figures) -> tuple[float | None, str]:
    if f.hugo_wall is None:
        return None, f.missing.get("hugo", "not measured")
    return (f.cold_wall / f.hugo_wall,
            f"{f.cold_wall:.2f} s ÷ {f.hugo_wall:.2f} s wall" + (f" ({f.jobs})" if f.jobs else ""))


def _article_wall(f: Figures) -> tuple[float | None, str]:
    return f.article_wall, f"{f.article_wall:.2f} s wall"


def _serve(f: Figures) -> tuple[float | None, str]:
    if f.serve_median is None:
        return None, f.missing.get("serve", "not measured")
    return f.serve_median, f"median of the saves, {f.serve_median:.2f} s"


def _memory(f: Figures) -> tuple[float | None, str]:
    if f.cold_pss is None:
        return None, "PSS not sampled (a build under 2 s)"
    return f.cold_pss / MIB, f"cold, PSS of the process tree, {f.cold_pss / MIB:.0f} MiB"


PER_SIZE = (
    PerSize("cold build CPU (--jobs 1) ÷ Python-Markdown's CPU", {1000: 2.0, 10000: 2.0}, "",
            _markdown_ratio),
    PerSize("cold build wall ÷ Hugo's", {1000: 1.0}, "", _hugo_ratio),
    PerSize("one article changed", {10000: 2.0}, " s", _article_wall),
    PerSize("serve: save → changed page served", {1000: 0.5, 10000: 1.0}, " s", _serve),
    # The MB of the issue are those of bench/run.py's `PSS MB` column: MiB.
    PerSize("peak memory, cold", {10000: 400.0}, " MiB", _memory),
)


# --------------------------------------------------------------------------- the rows

def _verdict(share: float | None, elsewhere: bool) -> str:
    if share is None:
        return "not measured"
    return ("met" if share <= 1.0 else "not met") + ("*" if elsewhere else "")


def _shown_at(figures: dict[int, Figures], set_at: list[int]) -> list[tuple[int, bool]]:
    """The sizes a target is shown at, each with whether it is set at another size."""
    measured = [n for n in set_at if n in figures]
    return [(n, False) for n in measured] if measured else [(n, True) for n in sorted(figures)]


def _limit(limits: dict[int, float], n: int) -> float:
    """The limit at N, or at the size nearest to it (by ratio) where it is not set."""
    return limits[min(limits, key=lambda size: abs(math.log(n / size)))]


def _number(value: float, unit: str) -> str:
    return f"{value:.0f}{unit}" if unit == " MiB" else f"{value:.2f}{unit}"


def per_size_rows(target: PerSize, figures: dict[int, Figures]) -> list[Row]:
    rows = []
    for n, elsewhere in _shown_at(figures, sorted(target.limits)):
        value, measured = target.measure(figures[n])
        limit = _limit(target.limits, n)
        share = None if value is None else value / limit
        shown = "–" if value is None else _number(value, target.unit)
        rows.append(Row(target.target, f"{n}", measured,
                        f"{shown} (target ≤ {_number(limit, target.unit)})",
                        share, _verdict(share, elsewhere)))
    return rows


def template_rows(figures: dict[int, Figures]) -> list[Row]:
    """Met when every file a template change made is a page drawn with that template."""
    rows = []
    for n, f in sorted(figures.items()):
        others = sum(t.others for t in f.templates)
        made = sum(t.made for t in f.templates)
        answer = "yes" if others == 0 else "no"
        rows.append(Row("one template changed: renders only routes that use it", f"{n}",
                        "; ".join(t.summary() for t in f.templates),
                        f"{answer} (made {made}, of which {others} not using it)",
                        None, "met" if others == 0 else "not met"))
    return rows


def _needs(target: str, sizes: tuple[int, int], limit: str) -> Row:
    wanted = " ".join(str(n) for n in sizes)
    return Row(target, f"{sizes[1]} ÷ {sizes[0]}", "–", f"– (target {limit})", None,
               f"needs --n {wanted}")


def article_growth_row(figures: dict[int, Figures]) -> Row:
    target = "one article changed, 10,000 ÷ 1,000 articles"
    if 1000 not in figures or 10000 not in figures:
        return _needs(target, (1000, 10000), "≤ 1.30")
    small, large = figures[1000].article_wall, figures[10000].article_wall
    share = large / small / 1.3
    return Row(target, "10000 ÷ 1000", f"{large:.2f} s ÷ {small:.2f} s wall",
               f"{large / small:.2f} (target ≤ 1.30)", share, _verdict(share, False))


def hundred_thousand_rows(figures: dict[int, Figures]) -> list[Row]:
    time_target = "100,000 articles cold ÷ 10,000 (wall)"
    memory = PerSize("100,000 articles cold, peak memory", {100000: 1536.0}, " MiB", _memory)
    if 100000 not in figures:
        return [_needs(time_target, (10000, 100000), "≤ 10.50"),
                Row(memory.target, "100000", "–", "– (target ≤ 1536 MiB)", None,
                    "needs --n 100000")]
    memory_rows = per_size_rows(memory, {100000: figures[100000]})
    if 10000 not in figures:
        return [_needs(time_target, (10000, 100000), "≤ 10.50"), *memory_rows]
    large, small = figures[100000].cold_wall, figures[10000].cold_wall
    share = large / small / 10.5
    return [Row(time_target, "100000 ÷ 10000", f"{large:.1f} s ÷ {small:.1f} s wall",
                f"{large / small:.2f} (target ≤ 10.50)", share, _verdict(share, False)),
            *memory_rows]


def rows(figures: dict[int, Figures]) -> list[Row]:
    """One row per target (and size), in the order of issue 13's table."""
    markdown, hugo, article, serve, memory = (per_size_rows(t, figures) for t in PER_SIZE)
    return [*markdown, *hugo, *article, article_growth_row(figures), *template_rows(figures),
            *serve, *memory, *hundred_thousand_rows(figures)]


def table(found: list[Row]) -> str:
    lines = ["| target | N | measured | value (target) | ÷ limit | met |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in found:
        share = "–" if row.share is None else f"{row.share:.2f}"
        lines.append(f"| {row.target} | {row.n} | {row.measured} | {row.value} | {share} "
                     f"| {row.verdict} |")
    if any(row.verdict.endswith("*") for row in found):
        lines.append("\n* the target is set at another size: this row applies its limit to "
                     "the size measured, for reference only")
    return "\n".join(lines)
