"""What a printed leaflet holds that its article does not: a shorter body, and a QR code.

A leaflet of a guide or a policy must fit one or two A5 sheets in large type, so it
carries the *outline* of the article's body rather than all of it: every heading,
every list and table (a guide's steps), and for a part under a heading that has no
list or table, its first paragraph. The summary stands for the text before the first
heading. Pictures and charts are left out by the pipeline before the outline is made
(a chart's figures are in the article online).

The QR code encodes the article's full address, so a reader holding the paper opens the
page (and its updates) with a phone's camera. It is one `<path>` scaled through its
viewBox, with no XML declaration and no size: the stylesheet decides how large it
prints. Error correction is level M (15 % of the code may be smudged and it still reads).
"""
from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import segno

from .urls import one_level_down

OUTLINE_VERSION = "1"  # changes when `outline` keeps other parts (cached outlines are dropped)
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
KEPT = {"ul", "ol", "dl", "table"}  # blocks a leaflet always keeps
_VOID = {"area", "br", "col", "hr", "img", "source", "wbr"}
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)"')


class _Blocks(HTMLParser):
    """The top-level elements of a fragment of HTML, as (tag, their HTML) in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.depth, self.begin, self.tag = 0, 0, ""
        self.found: list[tuple[str, str]] = []
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _VOID:
            return  # a line break or rule at the top level is no block worth keeping
        if self.depth == 0:
            self.begin, self.tag = self._offset(), tag
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.html.index(">", self._offset()) + 1
            self.found.append((self.tag, self.html[self.begin:end]))


def blocks(html: str) -> list[tuple[str, str]]:
    """`<h2>…</h2><p>…</p>` -> [("h2", "<h2>…</h2>"), ("p", "<p>…</p>")]."""
    return _Blocks(html).found


def outline(html: str) -> str:
    """The part of a body (sanitised HTML) that goes on a leaflet (see the module's text)."""
    parts: list[list[tuple[str, str]]] = [[]]  # before the first heading, then one per heading
    for block in blocks(html):
        if block[0] in HEADINGS:
            parts.append([block])
        else:
            parts[-1].append(block)
    kept: list[str] = []
    for number, part in enumerate(parts):
        content = [(tag, text) for tag, text in part if tag not in HEADINGS]
        chosen = [text for tag, text in content if tag in KEPT]
        if not chosen and number > 0:
            chosen = [text for tag, text in content if tag == "p"][:1]
        kept += [text for tag, text in part if tag in HEADINGS] + chosen
    return "\n".join(kept)


def links_one_level_down(html: str) -> str:
    """A body's HTML (sanitised: attributes in double quotes) for a page one folder
    below its own, such as an article's leaflet: every relative link gains a `../`."""
    return _HREF.sub(lambda m: f'{m.group(1)}{one_level_down(m.group(2))}"', html)


ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules of light margin around the code, as the standard asks
# The standard lets an encoder use any of the eight masks; scoring all of them to pick the
# one with the fewest reader-confusing patterns cost 5.5 ms a code (segno), one fixed
# mask 1.4 ms. Mask 0 is the checkerboard, which breaks up runs of one colour best;
# tests read every code back (zxing-cpp), in a unit test and from Chromium's screen.
MASK = 0
QR_SETTINGS = (f"segno {segno.__version__} error {ERROR_LEVEL} border {QUIET_ZONE} "
               f"mask {MASK}")  # for caches


def qr_svg(url: str, label: str) -> str:
    """`<svg viewBox=…><path …/></svg>` encoding `url`, announced as an image by `label`."""
    code = segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False, mask=MASK)
    drawn = code.svg_inline(omitsize=True, svgclass=None, lineclass=None, border=QUIET_ZONE)
    return drawn.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
