"""Property tests: whatever an editor's file holds, reading and rendering it never raises.

`content.read_page` gets random front matter (well-formed YAML from `yaml.safe_dump`, and
hand-broken YAML) over random Markdown; it must return a Page or diagnostics. A Page must
then render without raising, and nothing that could run a script may survive. `text.decode`
must take any bytes. No disk: Sources are built in memory. Deterministic in CI
(derandomize, no example database written into the repository).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import parse_html
from loa import markdown
from loa.content import COMMON, TYPE_FIELDS, read_page
from loa.errors import WARNING, Diagnostic
from loa.models import BuildOptions, Config, Page, SectionConfig, Source
from loa.text import decode, normalise
from loa.urls import LinkIndex

CONFIG = Config(root=Path("/site"), title="Cổng", sections=(
    SectionConfig("policies", "Chính sách", "policy"),
    SectionConfig("guides", "Hướng dẫn", "guide", "weight"),
    SectionConfig("stories", "Gương thoát nghèo", "story"),
    SectionConfig("tin", "Tin tức", "article")))
TODAY = dt.date(2026, 11, 29)
# Bounded work: an example taking more than this fails (one takes milliseconds; 20,000
# open brackets once took Python-Markdown over a minute)
BOUND = dt.timedelta(seconds=20)
PATHS = ["content/_index.md", "content/gioi-thieu.md", "content/guides/_index.md",
         "content/guides/cai-vneid.md", "content/policies/ho-tro-4g.md",
         "content/stories/chi-hoa.md", "content/tin/tin-moi.md"] * 3 + [
         "content/la/x.md", "content/guides/sub/_index.md"]  # unknown sections, less often
LINKS = LinkIndex(
    by_source={"guides/cai-vneid.md": "/guides/cai-vneid/", "policies/ho-tro-4g.md":
               "/policies/ho-tro-4g/", "gioi-thieu.md": "/gioi-thieu/", "_index.md": "/"},
    pages=frozenset({"/", "/guides/", "/guides/cai-vneid/", "/policies/ho-tro-4g/",
                     "/gioi-thieu/"}),
    files=frozenset({"/images/loa.svg", "/files/qd.pdf"}))

FIELDS = sorted({*COMMON, *(name for fields in TYPE_FIELDS.values() for name in fields)})
VIETNAMESE = "ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐƯƠ"
YAML_SPECIAL = ":#-?&*!|>'\"%@`{}[],\\"
MARKDOWN_PUNCTUATION = "#*_[]()!>-|`{}<>&=.:/\\~+"
TEXT_ALPHABET = VIETNAMESE + YAML_SPECIAL + " \t\nabcxyzABC0123456789"
BODY_ALPHABET = VIETNAMESE + MARKDOWN_PUNCTUATION + " \t\n\n\nabcsrjvtpiol0123456789\"'"

# --- front matter values ---

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M", "%d.%m.%Y", "%B %d, %Y", "%Y%m%d", "%y-%m-%d",
                "ngày %d tháng %m năm %Y"]
dates_as_text = st.one_of(
    st.builds(lambda d, f: d.strftime(f), st.datetimes(dt.datetime(1, 1, 1)),
              st.sampled_from(DATE_FORMATS)),
    st.sampled_from(["2024-02-30", "2024-13-01", "0000-00-00", "2024-1-5", "31/12/2024",
                     "2024-02-29", "9999-12-31", "2024-06", "hôm qua", "2024-01-01Z"]))
texts = st.text(alphabet=TEXT_ALPHABET, max_size=40)
scalars = st.one_of(
    texts, st.text(max_size=20).map(lambda s: s.replace("\0", "")), dates_as_text,
    st.dates(), st.integers(), st.integers(-2**70, 2**70), st.floats(), st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(texts, st.integers()), inner, max_size=3)),
    max_leaves=8)
keys = st.one_of(st.sampled_from(FIELDS), st.sampled_from(FIELDS).map(lambda k: k[:-1] + "x"),
                 texts.filter(bool), st.integers())
front_matters = st.dictionaries(keys, values, max_size=8)


@st.composite
def dumped_yaml(draw) -> str:
    """Well-formed YAML for a random dict (block or flow style)."""
    return yaml.safe_dump(draw(front_matters), allow_unicode=draw(st.booleans()),
                          default_flow_style=draw(st.sampled_from([False, True, None])),
                          sort_keys=False)


REQUIRED_VALUES = {"title": "Cài đặt VNeID: bước đầu", "date": "2024-03-05", "number": "90/QĐ-TTg",
                   "issuer": "Thủ tướng Chính phủ", "issued": "2022-01-18"}


@st.composite
def mostly_valid_yaml(draw) -> str:
    """The required fields, well formed, plus random others: gets past the reader often,
    so that random bodies reach the Markdown renderer."""
    data = {key: value if draw(st.integers(0, 9)) else draw(values)
            for key, value in REQUIRED_VALUES.items() if draw(st.integers(0, 19))}
    extra = draw(front_matters if draw(st.integers(0, 3)) == 0 else
                 st.dictionaries(texts.filter(str.strip), values, max_size=3))
    return yaml.safe_dump({**data, **extra}, allow_unicode=True, sort_keys=False)


BROKEN_LINES = [
    '{k}: "{v}', "{k}: '{v}", "\t{k}: {v}", "{k}:\t{v}", "{k}: {v}: {v}", "{k}: [{v}, {v}",
    "{k}: {{{v}", "{k} {v}", ": {v}", "{k}:", "- {v}", "  - {v}", "    {k}: {v}", "{k}: @{v}",
    "{k}: `{v}`", "{k}: &a {v}", "{k}: *a", "{k}: *undefined",
    "{k}: !!python/object/apply:os.system [{v}]", "{k}: !!binary {v}", "{k}: !custom {v}",
    "? {k}", "%YAML 1.1", "{k}: |", "{k}: >-", "  {v}",
    "{k}: {v} # {v}", "{k}: ]", "{k}: }}", "{k}: 0x{v}", "{k}: 1e99999", "{k}: .nan", "<<: *a",
    "{k}: {{a: [{{b: [{v}", "{k}: \"\\x{v}\"", "{k}: \"\\u{v}\"", "{k}: \u2028{v}",
    "{k}: \ufeff{v}",
    "{k}: " + "[" * 200, "{k}: " + "- " * 50 + "{v}",
]


@st.composite
def broken_yaml(draw) -> str:
    """YAML an editor might really save: good lines mixed with slips and garbage."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        choice = draw(st.integers(0, 3))
        key = draw(st.sampled_from(FIELDS) | texts)
        value = draw(texts)
        if choice == 0:
            lines.append(f'{key}: "{value}"')
        elif choice == 1:
            lines.append(draw(st.sampled_from(BROKEN_LINES)).format(k=key, v=value))
        elif choice == 2:
            lines.append(draw(st.binary(max_size=30)).decode("utf-8", errors="replace"))
        else:
            lines.append(draw(st.text(alphabet=TEXT_ALPHABET, max_size=30)))
    return "\n".join(lines).replace("\0", "")


# --- Markdown bodies ---

FRAGMENTS = [
    "# ", "## ", "###### ", "- ", "* ", "1. ", "> ", "    ", "\t", "\n", "\n\n", "```", "~~~",
    "| a | b |\n| --- | --: |\n| 1 | 2 |\n", "[x](", "](", ")", "![ảnh](/images/loa.svg)",
    "![](x.png)",
    "[chính sách](../policies/ho-tro-4g.md#ai-duoc-ho-tro)", "[x](cai-vneid.md#khong-co)",
    "[x](/gioi-thieu.md)", "[x](https://example.vn/)", "[x](../../../etc/passwd)", "<https://a.vn>",
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "<a href=\"jav&#x09;ascript:alert(1)\">a</a>",
    "<iframe src=//x></iframe>", "<svg onload=alert(1)>", "<div onclick='alert(1)'>", "</div>",
    "<style>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#x110000;", "{{ stat poverty.rate }}",
    "{{ chart x.y }}", "{{", "}}", "{: #id .cls onclick=alert(1) }", "\\", "***", "___", "---",
    "Đăng ký 4G", "ấp Phước Long",
]
bodies = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                            st.text(alphabet=BODY_ALPHABET, max_size=30)), max_size=40).map("".join)


@st.composite
def documents(draw) -> str:
    kind = draw(st.sampled_from(["mostly valid"] * 4 + ["random", "broken"]))
    front = draw({"mostly valid": mostly_valid_yaml(), "random": dumped_yaml(),
                  "broken": broken_yaml()}[kind])
    body = draw(bodies)
    framing = draw(st.sampled_from(["ok"] * 8 + ["unclosed", "none", "dots", "empty"]))
    if framing == "unclosed":
        return f"---\n{front}\n{body}"
    if framing == "none":
        return f"{front}\n{body}"
    if framing == "dots":
        return f"---\n{front}\n...\n{body}"
    if framing == "empty":
        return draw(st.sampled_from(["", "\n", "   \n\t", "---", "---\n---", "---\n---\n"]))
    return f"---\n{front}\n---\n{body}"


def _browser_url(value: str) -> str:
    return re.sub(r"[\x00-\x20]", "", value).lower()


@settings(max_examples=500, deadline=BOUND, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(path=st.sampled_from(PATHS) | texts.map(lambda s: f"content/guides/{s}.md"),
       text=documents(), drafts=st.booleans(), future=st.booleans())
def test_any_front_matter_and_body_give_a_page_or_diagnostics(path, text, drafts, future):
    options = BuildOptions(today=TODAY, drafts=drafts, future=future)
    page, found = read_page(Source(path, normalise(text)), CONFIG, options)
    assert isinstance(found, list) and all(isinstance(d, Diagnostic) for d in found)
    for diagnostic in found:
        assert diagnostic.path == path and diagnostic.line >= 1 and diagnostic.key
    if page is None:
        event("refused" if found else "left out (draft or future)")
        return
    event(f"page: {page.kind}")
    assert isinstance(page, Page)
    assert all(d.level == WARNING for d in found)  # a page comes back with warnings only
    rendered = markdown.render(page, LINKS, True, {})
    html = rendered.page.html or ""
    assert "<script" not in html.lower()
    # "javascript:" may stay as harmless visible text (`javascript:` in a code span is
    # escaped); what must never survive is a link, source or handler a browser would run.
    for element in parse_html(html).iter():
        assert element.tag not in {"script", "iframe", "svg", "object", "embed", "style"}, html
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), html
            assert not _browser_url(value).startswith("javascript:"), html
    for diagnostic in rendered.diagnostics:
        assert diagnostic.path == path and diagnostic.line >= 1


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(data=st.one_of(
    st.binary(max_size=200),
    st.text(max_size=60).map(lambda s: s.encode("utf-8")),
    st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\r\n", b"\r"]),
              st.binary(max_size=40), st.text(max_size=20)).map(
        lambda t: t[0] + t[2].encode("utf-8", "surrogatepass") + t[1])))
def test_decode_takes_any_bytes(data):
    text, found = decode(data, "content/guides/x.md")
    if text is None:
        assert len(found) == 1 and found[0].key in {"not_text", "not_utf8"}
        assert 1 <= found[0].line <= data.count(b"\n") + 1
    else:
        assert found == [] and "\r" not in text and not text.startswith("\ufeff")


# --- Markdown bodies, the pathological shapes among them ---

PATHOLOGICAL_RUNS = ["[", "![", "[a](", "<a ", "[a ", "`a", "*a _b ", "&amp;&", "> ", "- ",
                     "  - x\n", "](", "<", "\\[", "**", "__", "|", "#", "]", ")", '[a]("x)',
                     "[a](x`)`", "[a](x\\)", "a<b>", "```\n"]
runs = st.sampled_from(PATHOLOGICAL_RUNS)
heavy_bodies = st.one_of(
    bodies,
    st.tuples(bodies, runs, st.integers(1, 40_000), bodies).map(
        lambda t: t[0] + t[1] * t[2] + t[3]),
    st.tuples(runs, runs, st.integers(1, 20_000)).map(  # opened here, closed far away
        lambda t: t[0] * t[2] + t[1] * t[2]))


@settings(max_examples=500, deadline=BOUND, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.data_too_large])
@given(body=heavy_bodies)
def test_any_body_is_rendered_or_refused_within_a_bounded_time(body):
    page = Page(kind="article", source="content/guides/x.md", section="guides", slug="x",
                url="/guides/x/", title="x", body=body, body_line=5)
    rendered = markdown.render(page, LINKS, True, {})
    assert isinstance(rendered.page.html, str)
    for diagnostic in rendered.diagnostics:
        assert diagnostic.path == page.source and diagnostic.line >= 5


# --- datasets ---

numbers = st.one_of(st.integers(-10**30, 10**30), st.floats(), st.sampled_from(
    [0, 1.7, -2, 100, 101, 1e308, float("inf"), float("-inf"), float("nan"), 10**26]))
cells = st.one_of(numbers, texts, st.none(), st.booleans(), st.lists(numbers, max_size=3),
                  st.dictionaries(texts, numbers, max_size=3))
UNITS = ["percent", "households", "people", "sites", "hamlets", "communes", "number",
         "subscribers", "teams", "km", ""]


@st.composite
def dataset_files(draw) -> str:
    """A data file as an editor might write one: mostly the right shape, with slips."""
    files = {}
    for _ in range(draw(st.integers(0, 3))):
        entry = {"title": draw(texts | numbers), "unit": draw(st.sampled_from(UNITS) | texts),
                 "source": draw(texts), "as_of": draw(dates_as_text | st.dates() | numbers)}
        shape = draw(st.sampled_from(["value", "series", "by", "columns", "junk"]))
        if shape == "value":
            entry["value"] = draw(cells)
        elif shape == "series":
            entry["series"] = draw(st.dictionaries(st.integers(1900, 2100) | dates_as_text,
                                                   cells, max_size=6))
        elif shape == "by":
            entry["by"] = draw(st.dictionaries(texts, cells, max_size=6))
        elif shape == "columns":
            entry["columns"] = draw(st.lists(texts, max_size=3))
            entry["by"] = draw(st.dictionaries(texts, st.lists(cells, max_size=3), max_size=4))
        else:
            entry[draw(texts)] = draw(values)
        if draw(st.integers(0, 4)) == 0:
            entry.pop(draw(st.sampled_from(sorted(entry))), None)
        files[draw(st.sampled_from(["rate", "coverage", "ho", "x-y"]) | texts)] = entry
    text = yaml.safe_dump(files, allow_unicode=True, sort_keys=False)
    return draw(st.sampled_from([text] * 4 + [text[:len(text) // 2], draw(broken_yaml())]))


@settings(max_examples=500, deadline=BOUND, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=dataset_files())
def test_any_data_file_gives_datasets_or_diagnostics_and_draws(text):
    import tempfile
    from loa import charts, stats, views
    from loa.i18n import load as load_words
    words = load_words("vi")
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "data").mkdir()
        (Path(root) / "data" / "so-lieu.yaml").write_text(text, encoding="utf-8")
        found, problems = stats.load(Path(root))
    assert all(isinstance(d, Diagnostic) and d.line >= 0 for d in problems)
    for dataset in found.values():  # whatever was accepted is drawn and exported faithfully
        chart = charts.chart(dataset, lambda v, unit=dataset.unit: str(v))
        # (a single figure has no chart: its card and one-row table say it all)
        assert chart.startswith("<svg") if dataset.kind != "value" else chart == ""
        views.dataset(dataset, chart, words)
        stats.to_csv(dataset, "Năm", "Giá trị")
        stats.to_json(dataset)


# --- site_config.yaml ---

CONFIG_KEYS = ["title", "description", "base_url", "language", "sections", "menu",
               "items_per_page", "home_latest", "links_to_index_html", "key_figures", "budgets",
               "stats_path", "taxonomies", "share_image", "languages", "loudspeaker_numbers",
               "leaflet", "trusted_files", "contact"]
CONTACT_FIELDS = ["agency", "address", "phone", "email", "zalo", "hours", "person", "x"]


@st.composite
def site_configs(draw) -> str:
    config = {"title": draw(texts | values), "sections": draw(st.one_of(
        st.just([{"name": "guides", "title": "Hướng dẫn", "type": "guide"}]),
        st.lists(st.dictionaries(st.sampled_from(["name", "title", "type", "sort", "x"]),
                                 values, max_size=4), max_size=3),
        values))}
    for key in draw(st.lists(st.sampled_from(CONFIG_KEYS), max_size=6, unique=True)):
        config[key] = draw(values)
        if key == "contact" and draw(st.booleans()):  # (a mapping, its fields any shape)
            config[key] = draw(st.dictionaries(st.sampled_from(CONTACT_FIELDS), texts | values,
                                               max_size=8))
    if draw(st.booleans()):
        config.pop(draw(st.sampled_from(sorted(config))))
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    return draw(st.sampled_from([text] * 4 + [draw(broken_yaml())]))


@settings(max_examples=500, deadline=BOUND, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=site_configs())
def test_any_site_config_gives_a_config_or_diagnostics(text):
    from loa.config import parse
    config, problems = parse(text, Path("/site"))
    assert all(isinstance(d, Diagnostic) for d in problems)
    assert config is not None or problems
