"""Markdown -> safe HTML: the one place an article body becomes HTML.

Python-Markdown with tables, fenced code, attribute lists, sane lists and heading
ids made by Loa's slug function (`## Đăng ký 4G` -> `id="dang-ky-4g"`). Links to
other articles' Markdown files become relative links to their pages; links and
images that point nowhere become diagnostics. The result is then cleaned by an
allow-list (nh3), so raw HTML in an article can never carry a script.

Statistics shortcodes (`{{ stat poverty.rate }}`, `{{ chart poverty.rate }}`)
and images are checked here and left as plain-text tokens ("embeds"); after
sanitising, the pipeline puts in their place what a template draws for them
(the figure, the chart, the <picture> with its resized copies).
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import Treeprocessor

from .cache import Cache
from .cache import key as cache_key
from .errors import ERROR, WARNING, Diagnostic, problem
from .models import Dataset, Page, ThemeNames
from .text import attribute_values, heading_slug
from .urls import LinkIndex, relative

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class FragmentCheck:
    """A `#fragment` to look for in another page once every page is rendered."""

    source: str
    line: int
    url: str
    fragment: str


@dataclass(frozen=True)
class Embed:
    """Something a template draws into the body, in place of `token`.

    kind "stat" / "chart": a dataset (`ref`) and a row (`arg`), from a shortcode;
    kind "image": an image of the site (`ref`, its site path) and its alt text (`arg`).
    """

    token: str
    kind: str
    ref: str
    arg: str = ""


@dataclass(frozen=True)
class Rendered:
    page: Page
    diagnostics: tuple[Diagnostic, ...]
    fragments: tuple[FragmentCheck, ...]
    embeds: tuple[Embed, ...] = ()


# The token an embed leaves in a body's HTML until a template draws it (see _Tokens).
TOKEN = re.compile(r"loaemb[0-9a-f]{20}i\d+z")


class _Tokens:
    """Plain-text tokens (letters and digits: Markdown and nh3 leave them alone), closed
    on both sides (`…i1z` is not a part of `…i10z`) and named by a hash of the body they
    stand in: a body cannot contain its own tokens, so text that looks like one (even one
    copied from another page) stays text."""

    def __init__(self, body: str) -> None:
        self.prefix = "loaemb" + hashlib.sha256(body.encode()).hexdigest()[:20]
        self.embeds: list[Embed] = []
        self.lines: dict[str, int] = {}  # token -> the line of the body that asked for it

    def add(self, line: int, kind: str, ref: str, arg: str = "") -> str:
        self.embeds.append(Embed(f"{self.prefix}i{len(self.embeds)}z", kind, ref, arg))
        self.lines[self.embeds[-1].token] = line
        return self.embeds[-1].token

    def misplaced(self, html: str, source: str) -> list[Diagnostic]:
        """An embed must stand once in the text: in a link's address or title, or in an
        image's description, it would draw markup where only plain text may go."""
        text = Counter(TOKEN.findall(_TAG.sub(" ", html)))
        return [problem(source, self.lines[e.token], "shortcode_misplaced")
                for e in self.embeds if text[e.token] != 1 or html.count(e.token) != 1]


_TAG = re.compile(r'<(?:[^">]|"[^"]*")*>')  # a tag of sanitised HTML (attributes in "…")


_BRACES = re.compile(r"\{\{.*?\}\}")
_SHORTCODE = re.compile(r'\{\{\s*(stat|chart)\s+([\w.-]+)(?:\s+"([^"]*)")?\s*\}\}')


def shortcodes(page: Page, datasets: Mapping[str, Dataset], tokens: _Tokens
               ) -> tuple[str, list[Diagnostic]]:
    """Check every `{{ … }}` of the body and swap the good ones for tokens."""
    found: list[Diagnostic] = []
    lines = page.body.split("\n")
    for number, text in enumerate(lines):
        def swap(match: re.Match) -> str:
            line = page.body_line + number
            code = _SHORTCODE.fullmatch(match.group(0))
            if code is None:
                found.append(problem(page.source, line, "shortcode_unknown",
                                     text=match.group(0)))
                return match.group(0)
            kind, name, row = code.group(1), code.group(2), code.group(3) or ""
            dataset = datasets.get(name)
            if dataset is None:
                found.append(problem(page.source, line, "shortcode_dataset", dataset=name,
                                     known=", ".join(sorted(datasets)) or "-"))
            elif row and dataset.value(row) is None:
                found.append(problem(page.source, line, "shortcode_row", dataset=name, row=row,
                                     known=", ".join(label for label, _ in dataset.rows)))
            elif kind == "stat" and dataset.kind == "by" and not row:
                found.append(problem(page.source, line, "shortcode_needs_row", dataset=name,
                                     example=dataset.rows[0][0]))
            elif kind == "chart" and text.strip() != match.group(0):
                found.append(problem(page.source, line, "shortcode_chart_alone", dataset=name))
            else:
                return tokens.add(line, kind, name, row)
            return match.group(0)

        lines[number] = _BRACES.sub(swap, text)
    return "\n".join(lines), found


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True,
                     filter_style_properties={"text-align"})


class _LinkRewriter(Treeprocessor):
    """Resolves every link and image of the body against the site's pages and files.

    One rewriter serves a converter for many pages: `begin` sets the page."""

    def begin(self, page: Page, links: LinkIndex, index_html: bool, tokens: _Tokens) -> None:
        self.page, self.links, self.index_html, self.tokens = page, links, index_html, tokens
        self.source = page.source.removeprefix("content/")
        self.diagnostics: list[Diagnostic] = []
        self.fragments: list[FragmentCheck] = []
        self.anchors: set[str] = set()

    def line_of(self, needle: str) -> int:
        for number, text in enumerate(self.page.body.split("\n")):
            if needle in text:
                return self.page.body_line + number
        return self.page.body_line

    def link(self, element: etree.Element) -> None:
        target = (element.get("href") or "").strip()
        if not target:
            return
        resolved, bad = self.links.resolve(target, self.source)
        if bad:
            close = self.links.suggest(target, self.source) if bad == "link_missing_source" \
                else ""
            self.diagnostics.append(problem(self.page.source, self.line_of(target),
                                            "link_misspelt" if close else bad, target=target,
                                            suggestion=close))
            return
        if resolved is None:
            return  # external: left as written (nh3 drops unsafe schemes)
        if resolved.fragment and resolved.is_page:
            self.fragments.append(FragmentCheck(self.page.source, self.line_of(target),
                                                resolved.url, resolved.fragment))
        href = resolved.url + ("#" + resolved.fragment if resolved.fragment else "")
        element.set("href", relative(self.page.url, href, self.index_html))

    def image(self, element: etree.Element) -> str:
        """The token an image of the site becomes, or "" after reporting what is wrong."""
        target = (element.get("src") or "").strip()
        alt = (element.get("alt") or "").strip()
        line = self.line_of(target or "![")
        resolved, bad = self.links.resolve(target, self.source) if target else (None, "")
        if resolved is None and not bad:
            bad = ("image_data_uri" if target.lower().startswith("data:") else
                   "image_external" if target else "image_missing")
        elif resolved is not None and resolved.is_page:
            bad = "image_missing"
        if bad:
            key = "image_missing" if bad.startswith("link_") else bad
            self.diagnostics.append(problem(self.page.source, line, key, target=target))
        if not alt:
            self.diagnostics.append(problem(self.page.source, line, "image_alt_missing_body",
                                            target=target))
        return "" if bad or not alt else self.tokens.add(line, "image", resolved.url, alt)

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            if parent.get("id"):
                self.anchors.add(parent.get("id"))
            for element in list(parent):
                if element.tag == "h1":
                    self.diagnostics.append(problem(
                        self.page.source, self.line_of("# " + "".join(element.itertext())),
                        "heading_h1", level=WARNING))
                if element.tag == "a":
                    self.link(element)
                elif element.tag == "img":
                    # The image becomes a token in the text; a template draws it later.
                    _replace_with_text(parent, element, self.image(element))


def _replace_with_text(parent: etree.Element, element: etree.Element, text: str) -> None:
    index = list(parent).index(element)
    tail = text + (element.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + tail
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + tail
    parent.remove(element)


class _HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids, without the table of contents it would also
    build and serialise on every page (Loa shows none): about 0.5 ms a page."""

    def build_toc_div(self, toc_list: list) -> etree.Element:
        return etree.Element("div")


class _HeadingIdsExtension(TocExtension):
    TreeProcessorClass = _HeadingIds


class _LoaExtension(Extension):
    def __init__(self, rewriter: _LinkRewriter) -> None:
        super().__init__()
        self.rewriter = rewriter

    def extendMarkdown(self, parser: md.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # After inline parsing (20), attribute lists (8) and heading ids (5).
        parser.treeprocessors.register(self.rewriter, "loa_links", 1)


MAX_DEPTH = 16  # nesting of lists and quotes; Python-Markdown slows down sharply beyond
# What opens a block at the start of a line: a quote, a list marker ("- - - x" nests
# three lists on one line, as Markdown allows).
_OPENERS = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))")
_RAW_IMG = re.compile(r"<img\b", re.IGNORECASE)


def _too_deep(line: str) -> bool:
    opened, position = 0, 0
    while (match := _OPENERS.match(line, position)) and match.end() > position:
        opened, position = opened + 1, match.end()
    spaces = line.expandtabs(4)
    return opened > MAX_DEPTH or len(spaces) - len(spaces.lstrip(" ")) > 4 * MAX_DEPTH


# Python-Markdown's inline patterns look, from each `[`, `](` or `<`, for what closes it,
# as far as the end of its block: with thousands of them that is quadratic (20,000 `[`
# in one paragraph took over a minute, `<a ` x 30,000 took 58 s). The characters such
# scans would cross are counted first; at five million a second (6,000 `[`: 18 million
# in 3.5 s), this bounds any block to about a second of work.
MAX_SCAN = 5_000_000
# Each inline match (code, entity, tag, emphasis, link...) also rebuilds its paragraph's
# text around a placeholder, so a paragraph costs its marks times its length in copied
# characters: `&amp;&` x 33,000 (200 KB, 1.3e10 characters) took 2.8 s. Bounded to about
# a second: a paragraph of 200 KB may have a mark in every 10 characters, one under
# 63 KB cannot reach the bound.
MAX_COPY = 4_000_000_000
_BLOCKS = re.compile(r"\n[ \t]*\n")
_MARKS = re.compile(r"[`\\\[<&*_]| {2}\n")
# Code spans are set aside before links are looked for; the placeholder that takes their
# place is at most this long.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_PLACEHOLDER = "x" * 16


def _scan_cost(block: str) -> int:
    """How many characters Python-Markdown's inline patterns would cross looking for
    the `]` of every `[`, the `)` of every `](` and the `>` of every `<`: the distance to
    what closes it, or to the end of the block when nothing does. (A quote inside a
    link's parentheses may make the search run past its `)`, so such a link is counted
    to the end of the block.) `block` has its code spans set aside already."""
    size, scan, quotes = len(block), 0, 0
    brackets: list[int] = []
    parens: list[tuple[int, bool, int]] = []  # where, opens a link's address, quotes before
    last_gt = block.rfind(">")
    escaped = False
    for at, char in enumerate(block):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            brackets.append(at)
        elif char == "]":
            if brackets:
                scan += at - brackets.pop()
        elif char == "(":
            parens.append((at, at > 0 and block[at - 1] == "]", quotes))
        elif char == ")":
            if parens:
                start, link, quoted = parens.pop()
                if link:
                    scan += at - start if quoted == quotes else size - start
        elif char in "'\"":
            quotes += 1
        elif char == "<" and at > last_gt:
            scan += size - at
    return (scan + sum(size - at for at in brackets)
            + sum(size - at for at, link, _ in parens if link))


def _too_slow(body: str) -> tuple[int, str] | None:
    """The line (from 0) of the first block that would cost more than MAX_SCAN or
    MAX_COPY, with the message that says why; or None. (Only a block with many marks
    is scanned at all; fenced code, which has no inline marks, is left out.)"""
    body = FencedBlockPreprocessor.FENCED_BLOCK_RE.sub(lambda m: "\n" * m[0].count("\n"), body)
    line = 0
    start = 0
    for match in [*_BLOCKS.finditer(body), None]:
        end = match.start() if match else len(body)
        block = body[start:end]
        if len(block) * len(block) > MAX_COPY and \
                len(_MARKS.findall(block)) * len(block) > MAX_COPY:
            return line, "markdown_too_many_marks"
        if "`" in block:
            block = _CODE_SPAN.sub(_PLACEHOLDER, block)
        if sum(map(block.count, "[(<")) * len(block) > MAX_SCAN and \
                _scan_cost(block) > MAX_SCAN:
            return line, "markdown_too_many_open"
        if match:
            line += body.count("\n", start, match.end())
            start = match.end()
    return None


def precheck(page: Page) -> list[Diagnostic]:
    """Before Markdown sees the body: nesting deeper than any article needs is refused
    (Python-Markdown recurses, and slows down sharply), and so is a block with so many
    open brackets that Python-Markdown would take minutes over it; an image in raw HTML
    is a warning, as the sanitiser drops it (it would bypass the checks and the resizing
    that Markdown images get, and could be fetched from another site)."""
    found = []
    slow = _too_slow(page.body)
    if slow:
        found.append(problem(page.source, page.body_line + slow[0], slow[1]))
    for number, line in enumerate(page.body.split("\n")):
        if _too_deep(line):
            found.append(problem(page.source, page.body_line + number, "markdown_too_deep",
                                 depth=MAX_DEPTH))
        if _RAW_IMG.search(line):
            found.append(problem(page.source, page.body_line + number, "image_raw_html",
                                 level=WARNING))
    return found


class Asked(Mapping):
    """A LinkIndex and the datasets (a mapping) as one page's Markdown sees them,
    remembering every answer: a cached rendering stays valid while every answer stays
    the same."""

    def __init__(self, links: LinkIndex, datasets: Mapping[str, Dataset],
                 digests: Mapping[str, str]) -> None:
        self.links, self.datasets, self.digests = links, datasets, digests
        self.resolved: dict[tuple[str, str], tuple] = {}
        self.suggested: dict[tuple[str, str], str] = {}  # (a file renamed may come closer)
        self.data: dict[str, str] = {}  # dataset id -> its digest ("" when missing)
        self.listed = False  # the names of all datasets went into a message

    def resolve(self, target: str, source: str) -> tuple:
        answer = self.links.resolve(target, source)
        self.resolved[(target, source)] = answer
        return answer

    def suggest(self, target: str, source: str) -> str:
        answer = self.links.suggest(target, source)
        self.suggested[(target, source)] = answer
        return answer

    def __getitem__(self, name: str) -> Dataset:
        self.data[name] = self.digests.get(name, "")
        return self.datasets[name]

    def __iter__(self):
        self.listed = True
        return iter(self.datasets)

    def __len__(self) -> int:
        self.listed = True
        return len(self.datasets)

    def still_true(self, links: LinkIndex, datasets: Mapping[str, Dataset],
                   digests: Mapping[str, str]) -> bool:
        return (all(links.resolve(*asked) == answer for asked, answer in self.resolved.items())
                and all(links.suggest(*asked) == answer
                        for asked, answer in self.suggested.items())
                and all(digests.get(name, "") == digest for name, digest in self.data.items())
                and (not self.listed or self._names() == tuple(sorted(datasets))))

    def _names(self) -> tuple[str, ...]:
        """The datasets there were when their names were listed."""
        if "names" in self.__dict__:  # (one that came from the cache)
            return self.__dict__["names"]
        return tuple(sorted(self.datasets)) if self.listed else ()

    def __getstate__(self) -> dict:  # what the cache keeps: the answers, not the site
        return {"resolved": self.resolved, "suggested": self.suggested, "data": self.data,
                "listed": self.listed, "names": self._names()}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


# Everything but the page that decides what Markdown makes of a body: a change here
# must change every cache key (Loa's version is in the key as well).
SETTINGS = "loa-md-4 tables fenced_code attr_list sane_lists toc(2-6) nh3 " + md.__version__


def _extensions(layout: ThemeNames) -> list:
    """Python-Markdown's extensions as Loa uses them; a heading's id never takes a name
    the layout gives its own elements (`## Search` -> `search-1`)."""
    def heading_id(value: str, separator: str) -> str:
        made = heading_slug(value, separator)
        number = 0
        while made in layout.ids.names:
            number += 1
            made = f"{heading_slug(value, separator)}-{number}"
        return made

    return ["tables", "fenced_code", "attr_list", "sane_lists",
            _HeadingIdsExtension(slugify=heading_id, toc_depth="2-6")]


def _layout_names(page: Page, html: str, layout: ThemeNames) -> list[Diagnostic]:
    """An id (`{#main}`) or class (`{: .menu}`) the layout uses, set by the article. (Ids
    the layout computes, like `s-1`, are left to the page's own check for ids used twice:
    a heading `## S-Fone` is fine on every page but the one that has an `s-fone`.)"""
    found = []
    for attribute, taken, key in (("id", layout.ids.names, "id_of_layout"),
                                  ("class", layout.classes, "class_of_layout")):
        for value in dict.fromkeys(attribute_values(html, attribute)):
            for name in value.split():
                if name in taken:
                    line = next((page.body_line + n for n, text in enumerate(page.body.split("\n"))
                                 if name in text), page.body_line)
                    found.append(problem(page.source, line, key, name=name))
    return found


class Converter:
    """Markdown -> safe HTML for many pages in turn (one Markdown object, reset per page:
    making one costs about as much as converting a short page). `layout`: the names the
    layout's own elements have, which an article may not take."""

    def __init__(self, layout: ThemeNames = ThemeNames()) -> None:
        self.layout = layout
        self.rewriter = _LinkRewriter()
        self.markdown = md.Markdown(extensions=[*_extensions(layout),
                                                _LoaExtension(self.rewriter)],
                                    output_format="html")

    def render(self, page: Page, links: LinkIndex, index_html: bool,
               datasets: Mapping[str, Dataset] | None = None) -> Rendered:
        """Render one page's body."""
        checked = precheck(page)
        if any(d.level == ERROR for d in checked):
            return Rendered(page, tuple(checked), ())
        tokens = _Tokens(page.body)
        body, problems = shortcodes(page, datasets or {}, tokens)
        self.rewriter.begin(page, links, index_html, tokens)
        try:
            html = sanitise(self.markdown.reset().convert(body))
        except RecursionError:  # a last guard: the precheck should have refused it already
            return Rendered(page, (problem(page.source, page.body_line, "markdown_too_deep",
                                           depth=MAX_DEPTH),), ())
        finally:
            self.markdown.reset()
        rewriter = self.rewriter
        problems += tokens.misplaced(html, page.source) + _layout_names(page, html, self.layout)
        rendered = dataclasses.replace(page, html=html, anchors=frozenset(rewriter.anchors))
        return Rendered(rendered, tuple(checked + problems + rewriter.diagnostics),
                        tuple(rewriter.fragments), tuple(tokens.embeds))

    def render_cached(self, page: Page, links: LinkIndex, index_html: bool,
                      datasets: Mapping[str, Dataset], digests: Mapping[str, str],
                      cache: Cache) -> tuple[Rendered, str, Asked]:
        """`render`, or what an earlier build rendered from the same body, when every link
        and dataset it looked up still gives the same answer. Also returns the cache key,
        and what it asked (`still_true` says whether it would answer the same now)."""
        entry_key = cache_key("markdown", SETTINGS, repr(self.layout), page.source, page.url,
                              page.body, str(page.body_line), str(index_html))
        stored = cache.get(entry_key)
        if stored is not None:
            try:
                html, anchors, diagnostics, fragments, embeds, asked = pickle.loads(stored)
            except Exception:  # noqa: BLE001 (a damaged entry is rendered again)
                asked = None
            if asked is not None and asked.still_true(links, datasets, digests):
                page = dataclasses.replace(page, html=html, anchors=anchors)
                return Rendered(page, diagnostics, fragments, embeds), entry_key, asked
        asked = Asked(links, datasets, digests)
        result = self.render(page, asked, index_html, asked)  # type: ignore[arg-type]
        cache.put(entry_key, pickle.dumps(
            (result.page.html, result.page.anchors, result.diagnostics, result.fragments,
             result.embeds, asked), pickle.HIGHEST_PROTOCOL))
        return result, entry_key, asked


def stored_body(cache: Cache, entry_key: str) -> tuple[str, tuple[Embed, ...]] | None:
    """The HTML and embeds `Converter.render_cached` kept under `entry_key`, if any."""
    stored = cache.get(entry_key)
    if stored is None:
        return None
    html, _, _, _, embeds, _ = pickle.loads(stored)
    return html, embeds


def render(page: Page, links: LinkIndex, index_html: bool,
           datasets: Mapping[str, Dataset] | None = None,
           layout: ThemeNames = ThemeNames()) -> Rendered:
    """Render one page's body with a converter of its own."""
    return Converter(layout).render(page, links, index_html, datasets)


def fill_embeds(html: str, embeds: tuple[Embed, ...], made: Mapping[str, str]) -> str:
    """Put each embed's HTML (`made`, by token) in its token's place, in one pass (so no
    drawn HTML is searched again); a block that stood alone in a paragraph replaces the
    paragraph."""
    if not embeds:
        return html
    drawn = {e.token: made[e.token] for e in embeds}
    return re.sub(f"<p>({TOKEN.pattern})</p>|({TOKEN.pattern})",
                  lambda m: drawn.get(m.group(1) or m.group(2), m.group(0)), html)


def check_fragments(checks: list[FragmentCheck], anchors: dict[str, frozenset[str]]
                    ) -> list[Diagnostic]:
    """Each `page.md#fragment` must name an id on that page."""
    return [problem(c.source, c.line, "anchor_missing", fragment=c.fragment, url=c.url)
            for c in checks if c.fragment not in anchors.get(c.url, frozenset())]


_HEADING_ID = re.compile(r'<h[2-6][^>]*\sid="([^"]+)"')


def heading_ids(body: str, layout: ThemeNames = ThemeNames()) -> list[str]:
    """The ids a body's headings get on its page, in order (what links name as #id)."""
    return _HEADING_ID.findall(md.Markdown(extensions=_extensions(layout)).convert(body))
