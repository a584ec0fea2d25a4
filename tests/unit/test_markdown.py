import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loa.markdown import (FragmentCheck, check_fragments, fill_embeds, heading_ids, render,
                          precheck, sanitise)
from loa.models import Dataset, Page, Reserved, ThemeNames
from loa.urls import LinkIndex

ROOT = Path(__file__).resolve().parents[2]
LINKS = LinkIndex(by_source={"guides/x.md": "/guides/x/", "policies/y.md": "/policies/y/"},
                  pages=frozenset({"/", "/guides/x/", "/policies/y/"}),
                  files=frozenset({"/images/loa.svg"}))


def rendered(body, index_html=True):
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body=body, body_line=10)
    return render(page, LINKS, index_html)


def test_heading_ids_come_from_the_slug_function():
    result = rendered("## Đăng ký 4G\n\n### Bước 2: Mở ứng dụng\n")
    assert '<h2 id="dang-ky-4g">Đăng ký 4G</h2>' in result.page.html
    assert result.page.anchors == {"dang-ky-4g", "buoc-2-mo-ung-dung"}


def test_tables_fenced_code_and_attribute_lists():
    html = rendered("| a | b |\n|---|--:|\n| 1 | 2 |\n\n```\ncode\n```\n\nđoạn\n{: .note }\n"
                    ).page.html
    assert "<table>" in html and '<td style="text-align:right">2</td>' in html
    assert "<pre><code>code\n</code></pre>" in html
    assert '<p class="note">đoạn</p>' in html


def test_links_to_markdown_files_become_relative_page_links():
    result = rendered("[a](../policies/y.md#buoc-2) [b](/policies/y.md) [c](#dang-ky)\n\n"
                      "## Đăng ký\n")
    html = result.page.html
    assert 'href="../../policies/y/index.html#buoc-2"' in html
    assert 'href="../../policies/y/index.html"' in html
    assert 'href="#dang-ky"' in html
    assert result.fragments == (FragmentCheck("content/guides/x.md", 10, "/policies/y/",
                                              "buoc-2"),
                                FragmentCheck("content/guides/x.md", 10, "/guides/x/",
                                              "dang-ky"))
    assert 'href="../../policies/y/"' in rendered("[a](../policies/y.md)", False).page.html


def test_broken_links_and_images_are_reported_with_their_line():
    result = rendered("Dòng đầu\n\n[hỏng](khong-co.md)\n\n![](/images/loa.svg)\n\n"
                      "![ảnh](/images/khong-co.png)\n\n![ảnh](https://example.com/a.jpg)\n\n"
                      "![ảnh](../policies/y.md)\n")
    assert [(d.line, d.key) for d in result.diagnostics] == [
        (12, "link_missing_source"), (14, "image_alt_missing_body"), (16, "image_missing"),
        (18, "image_external"), (20, "image_missing")]
    assert "<img" not in result.page.html


def test_images_become_embeds_drawn_later_in_place():
    result = rendered("Ảnh ![Cái loa](/images/loa.svg) giữa câu.\n\n[![Loa](/images/loa.svg)](x.md)\n")
    assert [(e.kind, e.ref, e.arg) for e in result.embeds] == [
        ("image", "/images/loa.svg", "Cái loa"), ("image", "/images/loa.svg", "Loa")]
    first, second = (e.token for e in result.embeds)
    assert f"<p>Ảnh {first} giữa câu.</p>" in result.page.html
    assert f'<a href="index.html">{second}</a>' in result.page.html
    html = fill_embeds(result.page.html, result.embeds, {first: "<i>1</i>", second: "<i>2</i>"})
    assert "<p>Ảnh <i>1</i> giữa câu.</p>" in html and '<a href="index.html"><i>2</i></a>' in html


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<iframe src=\"https://example.com\"></iframe>",
    "<div onclick=\"alert(1)\">x</div>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    "x\n{: onclick=\"alert(1)\" }",
])
def test_raw_html_and_dangerous_urls_are_sanitised(body):
    html = rendered(body).page.html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "<svg"):
        assert bad not in html


def test_raw_html_images_are_dropped_with_a_warning():
    result = rendered('Ảnh: <img src="https://tracker.example/p.gif" alt="x"> hết.')
    assert "<img" not in result.page.html and "tracker" not in result.page.html
    assert [(d.line, d.key, d.level) for d in result.diagnostics] == [
        (10, "image_raw_html", "warning")]
    assert "<img" not in sanitise('<p><img src="/a.jpg" alt="a"></p>')


def test_lists_nested_on_one_line_are_refused_before_markdown():
    result = rendered("Mở đầu.\n\n" + "- " * 10_000 + "mục\n")
    assert [(d.line, d.key) for d in result.diagnostics] == [(12, "markdown_too_deep")]
    assert rendered("- - - - mục\n").diagnostics == ()  # a little nesting is fine


def test_safe_markup_survives_sanitising():
    html = '<p lang="km">សួស្តី <abbr title="Ủy ban nhân dân">UBND</abbr></p>'
    assert sanitise(html) == html


def test_fragment_checks():
    checks = [FragmentCheck("a.md", 3, "/guides/x/", "co"),
              FragmentCheck("a.md", 4, "/guides/x/", "khong")]
    found = check_fragments(checks, {"/guides/x/": frozenset({"co"})})
    assert [(d.line, d.key, d.params["fragment"]) for d in found] == [(4, "anchor_missing", "khong")]


# --- statistics shortcodes ---

DATA = {
    "poverty.rate": Dataset(id="poverty.rate", path="data/poverty.yaml", line=1, title="Tỷ lệ",
                            unit="percent", source="Sở", as_of=dt.date(2024, 1, 1),
                            rows=(("", (1.7,)),), kind="value"),
    "cover.by_commune": Dataset(id="cover.by_commune", path="data/cover.yaml", line=1,
                                title="Phủ sóng", unit="percent", source="Sở",
                                as_of=dt.date(2024, 1, 1), kind="by",
                                rows=(("Phước Long", (100,)), ("Hồng Dân", (96,)))),
}


def with_data(body):
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body=body, body_line=10)
    return render(page, LINKS, True, DATA)


def test_shortcodes_become_tokens_then_their_html():
    result = with_data('Tỷ lệ: {{ stat poverty.rate }}, ở Hồng Dân {{stat cover.by_commune "Hồng Dân"}}.'
                       "\n\n{{ chart cover.by_commune }}\n")
    assert result.diagnostics == ()
    assert [(c.kind, c.ref, c.arg) for c in result.embeds] == [
        ("stat", "poverty.rate", ""), ("stat", "cover.by_commune", "Hồng Dân"),
        ("chart", "cover.by_commune", "")]
    made = dict(zip((e.token for e in result.embeds),
                    ("<b>1,7%</b>", "<b>96%</b>", "<figure>chart</figure>")))
    html = fill_embeds(result.page.html, result.embeds, made)
    assert html == "<p>Tỷ lệ: <b>1,7%</b>, ở Hồng Dân <b>96%</b>.</p>\n<figure>chart</figure>"


@pytest.mark.parametrize("body, key", [
    ("{{ stat poverty.ratio }}", "shortcode_dataset"),
    ('{{ stat cover.by_commune "Cà Mau" }}', "shortcode_row"),
    ("{{ stat cover.by_commune }}", "shortcode_needs_row"),
    ("Xem {{ chart cover.by_commune }} nhé", "shortcode_chart_alone"),
    ("{{ stats poverty.rate }}", "shortcode_unknown"),
    ("{{ poverty.rate }}", "shortcode_unknown"),
])
def test_each_shortcode_mistake_names_its_line(body, key):
    result = with_data("Dòng đầu\n\n" + body)
    assert [(d.line, d.key) for d in result.diagnostics] == [(12, key)]
    assert result.embeds == ()


def test_tokens_survive_sanitising_and_markdown_emphasis():
    result = with_data("**{{ stat poverty.rate }}** và _{{ stat poverty.rate }}_")
    assert result.page.html.count(result.embeds[0].token) == 1
    assert "<strong>" + result.embeds[0].token + "</strong>" in result.page.html


def test_one_converter_renders_page_after_page_as_fresh_ones_would():
    from loa.markdown import Converter
    converter = Converter()
    bodies = ["## Một\n\n[a](../policies/y.md)\n", "## Một\n\n[b](nowhere.md)\n", "## Hai\n"]
    for body in bodies + bodies:
        page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                    url="/guides/x/", title="x", body=body, body_line=10)
        assert converter.render(page, LINKS, True) == render(page, LINKS, True)


class _Counting:
    """A Converter whose fresh renderings are counted."""

    def __init__(self):
        from loa.markdown import Converter
        self.inner, self.fresh = Converter(), 0
        original = self.inner.render

        def counted(*args, **kwargs):
            self.fresh += 1
            return original(*args, **kwargs)

        self.inner.render = counted

    def __call__(self, page, links, datasets, digests, cache):
        result, _, _ = self.inner.render_cached(page, links, True, datasets, digests, cache)
        return result


def test_a_cached_body_is_used_only_while_its_links_and_figures_say_the_same():
    from loa.cache import Cache
    cache, render_cached = Cache(None), _Counting()
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body="[a](../policies/y.md) {{ stat poverty.rate }}\n",
                body_line=10)
    data = {"poverty.rate": Dataset("poverty.rate", "data/poverty.yaml", 2, "Tỉ lệ", "percent",
                                    "Sở", dt.date(2024, 12, 31), (("2024", (1.7,)),))}
    first = render_cached(page, LINKS, data, {"poverty.rate": "d1"}, cache)
    again = render_cached(page, LINKS, data, {"poverty.rate": "d1"}, cache)
    assert again == first and render_cached.fresh == 1

    moved = LinkIndex(by_source={**LINKS.by_source, "policies/y.md": "/policies/z/"},
                      pages=LINKS.pages | {"/policies/z/"}, files=LINKS.files)
    after_move = render_cached(page, moved, data, {"poverty.rate": "d1"}, cache)
    assert render_cached.fresh == 2 and "policies/z/index.html" in after_move.page.html

    render_cached(page, moved, data, {"poverty.rate": "d2"}, cache)  # the dataset changed
    assert render_cached.fresh == 3
    gone = render_cached(page, moved, {}, {}, cache)  # and then it was deleted
    assert render_cached.fresh == 4 and [d.key for d in gone.diagnostics] == ["shortcode_dataset"]
    # an unrelated page appearing changes no answer this body asked for
    more = LinkIndex(by_source={**moved.by_source, "guides/new.md": "/guides/new/"},
                     pages=moved.pages | {"/guides/new/"}, files=moved.files)
    render_cached(page, more, {}, {}, cache)
    assert render_cached.fresh == 4


# --- embeds: any number, each drawn in its own place, never in the text's ---

MANY = Dataset(id="many.by", path="data/many.yaml", line=1, title="Nhiều", unit="percent",
               source="Sở", as_of=dt.date(2024, 1, 1), kind="by",
               rows=tuple((f"x{i}", (i,)) for i in range(40)))


def drawn(body):
    """A body's HTML with each embed drawn as `<b>#ref/arg</b>`, as the pipeline would."""
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body=body, body_line=10)
    result = render(page, LINKS, True, {**DATA, "many.by": MANY})
    assert [d for d in result.diagnostics if d.level == "error"] == []
    made = {e.token: f"<b>#{e.arg}</b>" for e in result.embeds}
    return fill_embeds(result.page.html, result.embeds, made), result


def test_twelve_figures_each_show_their_own_value():
    # tokens numbered n1, n10, n11 were once replaced in order: "n1" also matched inside
    # "n10", and the 11th figure read "1,7%0"
    body = " ".join(f'{{{{ stat many.by "x{i}" }}}}' for i in range(12))
    html, _ = drawn(body)
    assert re.findall(r"<b>#(x\d+)</b>", html) == [f"x{i}" for i in range(12)]
    assert re.sub(r"<b>#x\d+</b>", "", html).strip(" <>/p") == ""


def test_a_token_written_in_the_text_stays_text():
    _, first = drawn('{{ stat many.by "x1" }}')
    token = first.embeds[0].token
    html, second = drawn(f'{token} {{{{ stat many.by "x2" }}}} {token}0')
    assert html == f"<p>{token} <b>#x2</b> {token}0</p>"
    assert token not in {e.token for e in second.embeds}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(st.sampled_from("ab019 nxz"), max_size=6)
                          | st.sampled_from(["loaemb", "n1", "x1y", "0", "n10"]),
                          st.integers(0, 39)), max_size=30))
def test_any_number_of_embeds_each_in_its_place(pieces):
    body = "".join(f'{text}{{{{ stat many.by "x{row}" }}}}' for text, row in pieces).lstrip()
    html, result = drawn(body or "-")
    assert len(result.embeds) == len(pieces)
    assert re.findall(r"<b>#(x\d+)</b>", html) == [f"x{row}" for _, row in pieces]
    # what the editor wrote around the figures is kept as written
    kept = re.sub(r"<b>#x\d+</b>", "", html).removeprefix("<p>").removesuffix("</p>")
    assert kept == (re.sub(r"\{\{[^}]*\}\}", "", body) if pieces else "-")


@pytest.mark.parametrize("body", [
    '![Tỷ lệ {{ stat many.by "x1" }}](/images/loa.svg)',
    '[a](x.md "{{ stat many.by "x1" }}")',
    '<span title="{{ stat many.by "x1" }}">a</span>',
])
def test_an_embed_where_only_text_may_go_is_refused(body):
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body="Mở đầu.\n\n" + body, body_line=10)
    result = render(page, LINKS, True, {"many.by": MANY})
    assert [(d.line, d.key) for d in result.diagnostics] == [(12, "shortcode_misplaced")]


# --- names the layout gives its own elements ---

LAYOUT = ThemeNames(ids=Reserved(frozenset({"main", "search"}), ("s-",)),
                    classes=Reserved(frozenset({"menu", "skip"}), ("status-",)))


def with_layout(body):
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body="Mở đầu.\n\n" + body, body_line=10)
    return render(page, LINKS, True, layout=LAYOUT)


@pytest.mark.parametrize("body, line, key", [
    ("Đoạn văn.\n{: #main}", 13, "id_of_layout"),
    ("## Tìm {#search}", 12, "id_of_layout"),
    ('<span id="main">x</span>', 12, "id_of_layout"),
    ("Đoạn văn.\n{: .menu}", 13, "class_of_layout"),
    ('<p class="note status-in_force">x</p>', 12, "class_of_layout"),
])
def test_an_article_may_not_take_the_layouts_names(body, line, key):
    assert [(d.line, d.key) for d in with_layout(body).diagnostics] == [(line, key)]


def test_a_heading_steps_aside_from_the_layouts_ids():
    result = with_layout("## Search\n\n## Main\n\n## S 1\n")
    assert result.diagnostics == ()
    assert result.page.anchors == {"search-1", "main-1", "s-1"}  # (s-1: see id_twice)
    assert heading_ids("## Search\n\n## Tìm\n", LAYOUT) == ["search-1", "tim"]
    assert heading_ids("## Search\n") == ["search"]


# --- bodies that would take Python-Markdown minutes ---

PATHOLOGICAL = {  # 200 KB each, in one paragraph
    "brackets": "[" * 200_000,
    "image brackets": "![" * 100_000,
    "links left open": "[a](" * 50_000,
    "tags left open": "<a " * 66_000,
    "bracketed words": "[a " * 66_000,
    "backticks": "`a" * 100_000,
    "emphasis runs": "*a _b " * 33_000,
    "nested lists": "".join("  " * (i % 15) + "- x\n" for i in range(12_000)),
    "entities": "&amp;&" * 33_000,
    "brackets closed far away": "[" * 100_000 + "]" * 100_000,
    "images closed far away": "![" * 50_000 + "]" * 50_000,
    "links closed at the end": "[a](" * 50_000 + ")",
    "quoted link addresses": '[a]("x)' * 28_000,
    "closing signs in code": "[a](x`)`" * 25_000,
    "escaped closing signs": "[a](x\\)" * 28_000,
    "tags": "a<b>" * 50_000,
}
# Shapes where each mark costs a long search: 20 KB is enough to take seconds
SEARCHES = {name: body[:20_000] for name, body in PATHOLOGICAL.items()
            if name in {"brackets", "image brackets", "links left open", "tags left open",
                        "bracketed words", "quoted link addresses", "closing signs in code",
                        "escaped closing signs"}}
SEARCHES["brackets closed far away"] = "[" * 10_000 + "]" * 10_000
SEARCHES["images closed far away"] = "![" * 5_000 + "]" * 5_000
SEARCHES["links closed at the end"] = "[a](" * 5_000 + ")"


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_body_is_rendered_or_refused_within_a_budget(name):
    # In a child process with a generous timeout (never a tight wall-clock assertion):
    # each shape must be rendered, or refused at its line before Markdown sees it.
    import subprocess
    import sys
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from loa.markdown import render\nfrom loa.models import Page\n"
            "from loa.urls import LinkIndex\n"
            f"from tests.unit.test_markdown import PATHOLOGICAL\n"
            f"body = PATHOLOGICAL[{name!r}]\n"
            "page = Page(kind='article', source='content/x.md', section='', slug='x', "
            "url='/x/', title='x', body=body, body_line=5)\n"
            "result = render(page, LinkIndex({}, frozenset(), frozenset()), True)\n"
            "print(sorted({d.key for d in result.diagnostics}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    keys = eval(done.stdout)
    assert set(keys) <= {"markdown_too_many_open", "markdown_too_many_marks",
                         "markdown_too_deep"}, keys


@pytest.mark.parametrize("name", SEARCHES)
def test_thousands_of_long_searches_are_refused_before_markdown(name):
    page = Page(kind="article", source="content/x.md", section="", slug="x", url="/x/",
                title="x", body="Mở đầu.\n\n" + SEARCHES[name], body_line=5)
    assert [(d.line, d.key) for d in precheck(page)] == [(7, "markdown_too_many_open")]


def test_long_paragraphs_tables_and_code_with_ordinary_marks_are_not_refused():
    line = "Hộ [bà Lò Thị Mai](/guides/x/) *thoát nghèo* năm `2024` &amp; có (4G).\n"
    table = "| Xã | Hộ |\n|---|---|\n" + "| [Tà Xùa](/x/) | *12* |\n" * 5_000
    code = "```\n" + "&<*_[`\\" * 50_000 + "\n```\n"
    for body in (line * 2_500, table, code):
        page = Page(kind="article", source="content/x.md", section="", slug="x",
                    url="/x/", title="x", body=body, body_line=5)
        assert precheck(page) == []


def test_open_brackets_are_refused_at_the_line_their_paragraph_starts():
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body="Mở đầu.\n\nĐoạn hai.\n" + "[" * 20_000,
                body_line=10)
    assert [(d.line, d.key) for d in render(page, LINKS, True).diagnostics] == [
        (12, "markdown_too_many_open")]
    fine = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body="| [a](x.md) |\n" * 300, body_line=10)
    assert "markdown_too_many_open" not in {d.key for d in render(fine, LINKS, True).diagnostics}


def test_a_picture_pasted_as_data_is_told_as_such_not_as_from_another_site():
    result = rendered("![Ảnh](data:image/png;base64,iVBORw0KGgo=)")
    assert [(d.line, d.key) for d in result.diagnostics] == [(10, "image_data_uri")]


def test_a_misspelt_link_to_an_article_is_offered_the_closest_file():
    links = LinkIndex(by_source={"guides/cai-vneid.md": "/guides/cai-vneid/",
                                 "policies/ho-tro-4g.md": "/policies/ho-tro-4g/"},
                      pages=frozenset({"/guides/cai-vneid/", "/policies/ho-tro-4g/"}),
                      files=frozenset())
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body="[a](cai-vnied.md#buoc-2)\n\n"
                "[b](../policies/ho-tro-4gg.md)\n\n[c](../policies/khac-han.md)\n", body_line=10)
    found = render(page, links, True).diagnostics
    assert [(d.line, d.key, d.params.get("suggestion")) for d in found] == [
        (10, "link_misspelt", "cai-vneid.md#buoc-2"),
        (12, "link_misspelt", "../policies/ho-tro-4g.md"),
        (14, "link_missing_source", "")]


def test_a_remembered_suggestion_is_asked_again_when_the_files_change():
    from loa.markdown import Asked
    before = LinkIndex({"guides/cai-vneid.md": "/guides/cai-vneid/"}, frozenset(), frozenset())
    asked = Asked(before, {}, {})
    assert asked.suggest("cai-vnied.md", "guides/x.md") == "cai-vneid.md"
    assert asked.still_true(before, {}, {})
    after = LinkIndex({"guides/cai-vnid.md": "/guides/cai-vnid/"}, frozenset(), frozenset())
    assert not asked.still_true(after, {}, {})
