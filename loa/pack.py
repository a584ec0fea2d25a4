"""The offline pack: the files a reader can reach from an entry page, as one zip.

`build.py pack [SECTION]` builds the site as usual (links ending in index.html, no
.gz/.br copies) into a temporary folder; this module then walks it the way a reader
would, from `index.html` (or from the section's page), following every link, image,
icon and `url()`, and keeps exactly the files reached. A page's script is reached too
(`data-script`), and every file of a folder a page's script loads from (`data-index`: the
search index, which searches from a folder as online). Nothing else goes in: no .gz/.br,
sitemap or feeds, no original photos that no page shows, no service worker (none of them
is any use from a file manager).

A section's pack holds the section's pages (its lists and articles) and every file they
show. A link to a page outside it becomes the page's online address (`base_url` + its
path), which opens in the browser when the phone has data; without `base_url` it loses
its `href` and stays as plain text. The zip's root `index.html` is the section's first
page, moved to the root, so opening the folder's `index.html` leads into the section
(and the "home" links of the section's pages lead there too).

Pure functions: files come in through `read` (an output path -> its bytes, or None),
the zip goes out as bytes; `output.replace_file` writes it.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import quote, unquote

ENTRY = "index.html"
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # http:, data:, mailto:, //host
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)""")
_URL_ATTRIBUTES = ("href", "src", "poster", "data-script")  # srcset is a list, read apart

Read = Callable[[str], "bytes | None"]
Listing = Callable[[str], "list[str]"]  # a folder's output path ("tim-kiem/i/") -> its files' paths


@dataclass
class _Tag:
    start: int  # offset of `<` in the page
    raw: str  # the tag as written
    name: str
    attrs: list[tuple[str, str | None]]


@dataclass
class _Style:
    start: int
    text: str  # a <style> element's content, or a style="" attribute's value (in a tag)


class _Scanner(HTMLParser):
    """Start tags and <style> contents of a page, with where they are in it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[_Tag] = []
        self.styles: list[_Style] = []
        self.in_style = False
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(_Tag(self._offset(), self.get_starttag_text() or "", tag, attrs))
        self.in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.styles.append(_Style(self._offset(), data))


def _split(url: str) -> tuple[str, str]:
    """`a/b.html#x` -> (`a/b.html`, `#x`); query strings go with the fragment."""
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def target(page: str, url: str) -> tuple[str, str] | None:
    """The output path a relative link on the page at `page` points at, and what follows
    it (`#fragment`); None for links that leave the site or stay on the page."""
    url = url.strip()
    if not url or url.startswith("#") or _EXTERNAL.match(url) or url.startswith("/"):
        return None
    path, rest = _split(url)
    if not path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
    if joined == "." or joined.startswith("../") or joined == "..":
        return None
    if path.endswith("/"):
        joined += "/index.html"
    return joined, rest


def _srcset(value: str) -> list[tuple[str, str]]:
    """`a.webp 360w, b.webp 720w` -> [(`a.webp`, ` 360w`), (`b.webp`, ` 720w`)]."""
    found = []
    for candidate in value.split(","):
        candidate = candidate.strip()
        if candidate:
            url, _, descriptor = candidate.partition(" ")
            found.append((url, f" {descriptor.strip()}" if descriptor.strip() else ""))
    return found


def _is_page(path: str) -> bool:
    return path.endswith(".html")


def online_url(base_url: str, path: str) -> str:
    """A page's address on the site: `guides/x/index.html` -> `<base_url>guides/x/`."""
    return base_url + quote(path.removesuffix("index.html") if path.endswith("/index.html")
                            or path == ENTRY else path)


@dataclass
class Pack:
    """What goes into the zip: output path -> bytes; `pages`: how many are pages."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (page, link) to nothing


class _Walk:
    def __init__(self, read: Read, inside: Callable[[str], bool], base_url: str,
                 listing: Listing) -> None:
        self.read, self.inside, self.base_url, self.listing = read, inside, base_url, listing
        self.found: dict[str, bytes | None] = {}  # every file looked at, None: not there
        self.pack = Pack()

    def get(self, path: str) -> bytes | None:
        if path not in self.found:
            self.found[path] = self.read(path)
        return self.found[path]

    def resolve(self, page: str, url: str, moved_to: str) -> tuple[str | None, list[str]]:
        """What a reference on `page` (to be written at `moved_to`) becomes: the URL to
        write (None: drop it), and the pages it adds to the walk."""
        found = target(page, url)
        if found is None:
            return url, []
        path, rest = found
        if _is_page(path) and not self.inside(path):
            if self.base_url:
                return online_url(self.base_url, path) + rest, []
            return None, []
        if path != ENTRY and self.get(path) is None:
            self.pack.missing.append((page, url))
            return url, []
        if moved_to == page:
            return url, [path] if _is_page(path) else []
        here = posixpath.dirname(moved_to) or "."
        return quote(posixpath.relpath(path, here)) + rest, [path] if _is_page(path) else []

    def folder(self, page: str, url: str, moved_to: str) -> str:
        """A folder a page's script loads files from: every file in it is packed."""
        found = target(page, url.rstrip("/") + "/")
        if found is None:
            return url
        folder = found[0].removesuffix("index.html")
        for path in self.listing(folder):
            self.get(path)
        if moved_to == page:
            return url
        return posixpath.relpath(folder, posixpath.dirname(moved_to) or ".") + "/"

    def rewrite(self, page: str, text: str, moved_to: str) -> tuple[str, list[str]]:
        """The page with its references fixed for the pack, and the pages it links to."""
        scanner = _Scanner(text)
        edits: list[tuple[int, int, str]] = []  # (start, end, new text)
        linked: list[str] = []

        def css(value: str) -> str:
            def one(match: re.Match) -> str:
                new, more = self.resolve(page, match.group(2), moved_to)
                linked.extend(more)
                return f"url({match.group(1)}{new or ''}{match.group(1)})"
            return _CSS_URL.sub(one, value)

        for tag in scanner.tags:
            assert text.startswith(tag.raw, tag.start), (page, tag.raw)
            attrs: list[tuple[str, str | None]] = []
            changed = drop_tag = False
            for name, value in tag.attrs:
                new: str | None = value
                if value is None:  # a bare attribute: <p hidden>
                    attrs.append((name, value))
                    continue
                if name in _URL_ATTRIBUTES:
                    new, more = self.resolve(page, value, moved_to)
                    linked.extend(more)
                elif name in ("srcset", "imagesrcset"):
                    parts = [(self.resolve(page, url, moved_to), d) for url, d in _srcset(value)]
                    new = ", ".join(url + d for (url, _), d in parts if url is not None)
                    linked.extend(p for (_, more), _ in parts for p in more)
                elif name == "style":
                    new = css(value)
                elif name == "data-index":
                    new = self.folder(page, value, moved_to)
                if new is None:  # a link out of the pack, with no address to give it
                    changed = True
                    drop_tag = tag.name == "link"
                    continue
                changed |= new != value
                attrs.append((name, new))
            if drop_tag:
                edits.append((tag.start, tag.start + len(tag.raw), ""))
            elif changed:
                written = "".join(f" {n}" if v is None else f' {n}="{html.escape(v)}"'
                                  for n, v in attrs)
                close = "/>" if tag.raw.endswith("/>") else ">"
                edits.append((tag.start, tag.start + len(tag.raw), f"<{tag.name}{written}{close}"))
        for style in scanner.styles:
            new = css(style.text)
            if new != style.text:
                edits.append((style.start, style.start + len(style.text), new))
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text, linked


def collect(read: Read, section: str = "", base_url: str = "",
            listing: Listing = lambda folder: []) -> Pack:
    """The pack of the whole site (from index.html), or of one section: every file a
    reader can reach, pages with their links fixed for reading from a folder.
    `listing` names the files of a folder (for `data-index`)."""
    prefix = f"{section}/" if section else ""
    walk = _Walk(read, (lambda path: path == ENTRY or path.startswith(prefix)) if section
                 else (lambda path: True), base_url, listing)
    start = f"{prefix}{ENTRY}"
    queue, seen = deque([start]), {start}
    pages: dict[str, bytes] = {}
    while queue:
        page = queue.popleft()
        data = walk.get(page)
        if data is None:
            continue
        text, linked = walk.rewrite(page, data.decode("utf-8"), page)
        pages[page] = text.encode("utf-8")
        for path in linked:
            if path not in seen and (path != ENTRY or not section):
                seen.add(path)
                queue.append(path)
    if section and start in pages:  # the root index.html: the section's page, moved up
        text, _ = walk.rewrite(start, walk.get(start).decode("utf-8"), ENTRY)
        pages[ENTRY] = text.encode("utf-8")
    pack = walk.pack
    pack.files = {path: data for path, data in walk.found.items()
                  if data is not None and not _is_page(path)} | pages
    pack.pages = len(pages)
    return pack


def zip_bytes(files: dict[str, bytes], date: dt.date) -> bytes:
    """A zip of `files`, the same bytes for the same files: names sorted, every entry
    dated `date` (at midnight), deflated at level 9."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(max(date.year, 1980), date.month, date.day,
                                                    0, 0, 0))
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
