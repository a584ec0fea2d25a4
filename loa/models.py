"""The plain values every stage passes on. No behaviour lives here."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import Diagnostic

# Section types: each adds its own front matter fields (see content.TYPE_FIELDS).
SECTION_TYPES = ("article", "policy", "guide", "story")


@dataclass(frozen=True)
class SectionConfig:
    name: str  # folder under content/, also the URL segment
    title: str
    type: str = "article"
    sort: str = "date"  # "date": newest first; "weight": by weight, then newest


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str  # site path, e.g. "/guides/"
    line: int = 0  # where site_config.yaml names it
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) in the other languages

    def title_in(self, lang: str) -> str:
        return dict(self.titles).get(lang, self.title)


@dataclass(frozen=True)
class Language:
    """A language the site is published in besides its own (`Config.language`)."""

    code: str  # "km", "en": the URL prefix (/km/…) and the i18n/<code>.yaml file
    title: str = ""  # the site's name in it; "" keeps the default one
    description: str = ""
    line: int = 0  # where site_config.yaml names it


@dataclass(frozen=True)
class KeyFigure:
    stat: str  # "<data file>.<dataset id>", e.g. "poverty.rate"
    label: str
    row: str = ""  # for a breakdown: which row (category) to show
    line: int = 0  # where site_config.yaml names it
    labels: tuple[tuple[str, str], ...] = ()  # (language, label) in the other languages


@dataclass(frozen=True)
class TaxonomyConfig:
    field: str  # a list field of the front matter: "tags", "locations"
    path: str  # URL segment of its pages: "chu-de" -> /chu-de/<term>/
    title: str
    line: int = 0  # of its `path` in site_config.yaml (0: Loa's default)


DEFAULT_TAXONOMIES = (TaxonomyConfig("tags", "chu-de", "Chủ đề"),
                      TaxonomyConfig("locations", "dia-ban", "Địa bàn"))


@dataclass(frozen=True)
class Budgets:
    page_gzip_bytes: int = 14_600  # first round trip: ~10 TCP packets
    page_total_bytes: int = 150_000  # the page and all it makes the phone fetch, as sent
    chart_bytes: int = 3_072  # one inline SVG chart, uncompressed


PAPER_SIZES = ("A5", "A4")  # leaflets are printed on one of these


@dataclass(frozen=True)
class LeafletConfig:
    """The printable leaflets of guides and policies."""

    paper: str = "A5"  # one of PAPER_SIZES
    hotline: str = ""  # a telephone number printed on every leaflet; "" for none
    hotline_label: str = ""  # who answers it; "" for the translations' default


@dataclass(frozen=True)
class EditorConfig:
    """`editor:` in site_config.yaml: the Git host the web editor at /admin/ of the
    published site saves to (Decap CMS's backends). Without it, /admin/ is not published
    and the editor runs on an official's own computer only (`edit`)."""

    backend: str  # github, gitlab, gitea or git-gateway
    repo: str = ""  # "tinh/cong-thong-tin" (not for git-gateway)
    branch: str = "main"
    base_url: str = ""  # the OAuth server, when the host needs one
    api_root: str = ""  # a self-hosted GitLab's or Gitea's API
    app_id: str = ""  # a GitLab application's id
    line: int = 0  # where site_config.yaml says `editor:`


@dataclass(frozen=True)
class Contact:
    """Who runs the portal, or answers for one policy, and how to reach them (see
    contact.py for the shape of each field)."""

    agency: str
    address: str = ""
    phone: str = ""  # digits and spaces, a + in front: "0291 3822 123"
    email: str = ""
    zalo: str = ""  # a Zalo Official Account: "https://zalo.me/…"
    hours: str = ""  # when someone answers
    person: str = ""  # the person responsible for the portal's content


@dataclass(frozen=True)
class Config:
    root: Path  # the site folder (holds site_config.yaml)
    title: str
    sections: tuple[SectionConfig, ...]
    description: str = ""
    base_url: str = ""  # absolute, ends with "/"; "" when not set
    language: str = "vi"
    menu: tuple[MenuItem, ...] = ()
    items_per_page: int = 10
    home_latest: int = 3
    links_to_index_html: bool = True  # links work from file:// (a copied folder)
    key_figures: tuple[KeyFigure, ...] = ()
    stats_path: str = "thong-ke"  # the statistics pages live at /<stats_path>/
    stats_path_line: int = 0  # its line in site_config.yaml (0: Loa's default)
    taxonomies: tuple[TaxonomyConfig, ...] = DEFAULT_TAXONOMIES
    share_image: str = ""  # site path of the picture shown when a page is shared
    loudspeaker_numbers: str = "north"  # loudspeaker scripts: "north" (105: một trăm linh
    # năm, một nghìn) or "south" (một trăm lẻ năm, một ngàn); see spoken.STYLES
    budgets: Budgets = Budgets()
    languages: tuple[Language, ...] = ()  # the other languages, each under /<code>/
    leaflet: LeafletConfig = LeafletConfig()
    # files of static/ or content/ published although a browser could run them (.html,
    # .js): a search engine's ownership check, say; by site path ("/google1234.html")
    trusted_files: tuple[str, ...] = ()
    contact: Contact | None = None  # shown in every footer, at /lien-he/ and on policies
    editor: EditorConfig | None = None  # the web editor published at /admin/, if any

    def section(self, name: str) -> SectionConfig | None:
        return next((s for s in self.sections if s.name == name), None)


# Told how far a long stage has got: (stage, done, total); "markdown" then "pages".
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class Reserved:
    """Names the site's layout gives its own elements: an article that used one would
    take on the layout's looks or behaviour (a second `id="main"` breaks the skip link)."""

    names: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()  # from `status-{{ x }}`: every name that starts so

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self.names or name.startswith(self.prefixes))

    def __repr__(self) -> str:  # the same in every process (a set's order is not): it is
        return f"Reserved({sorted(self.names)!r}, {self.prefixes!r})"  # part of cache keys


@dataclass(frozen=True)
class ThemeNames:
    """The ids and classes of the layout (render.theme_names), which articles may not use."""

    ids: Reserved = Reserved()
    classes: Reserved = Reserved()


@dataclass(frozen=True)
class BuildOptions:
    today: dt.date
    drafts: bool = False
    future: bool = False
    cache_dir: Path | None = None  # where pure work is kept between builds; None: nowhere
    cache_also: Path | None = None  # a cache to read from but never write to
    precompress: bool = True  # .gz and .br copies (a preview has no use for them)
    progress: Progress = no_progress
    jobs: int = 1  # worker processes for Markdown and pages (small sites use one anyway)


@dataclass(frozen=True)
class Source:
    """A text file of the site, read and normalised (UTF-8, NFC, LF)."""

    path: str  # site-relative POSIX path, e.g. "content/guides/x.md"
    text: str


@dataclass(frozen=True)
class Page:
    """An article, a section's index, the home page or a stand-alone page."""

    kind: str  # "article" | "section" | "home" | "page"
    source: str  # site-relative path of its Markdown file
    section: str  # section name; "" for the home page and stand-alone pages
    slug: str
    url: str  # site path, e.g. "/guides/cai-dat-vneid/"
    title: str
    date: dt.date | None = None
    updated: dt.date | None = None
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    image: str = ""  # site path of the lead image
    image_alt: str = ""
    draft: bool = False
    weight: int | None = None
    aliases: tuple[str, ...] = ()
    lang: str = ""  # the language of its text; "" for the site's own
    # For a page of another language: the source of the page it translates (or shows
    # untranslated, when `fallback`); "" for a page of the site's own language.
    original: str = ""
    fallback: bool = False  # the original's text, shown where no translation exists
    params: dict[str, Any] = field(default_factory=dict)  # type fields and unknown fields
    lines: dict[str, int] = field(default_factory=dict)  # front matter field -> line
    body: str = ""  # Markdown
    body_line: int = 1  # line of the file where the body starts
    html: str = ""  # rendered, sanitised body
    anchors: frozenset[str] = frozenset()  # ids in the body, for #fragment checks


@dataclass(frozen=True)
class Dataset:
    """A table of figures: rows (years or categories) by columns (one or more series)."""

    id: str  # "<file stem>.<key>", e.g. "poverty.rate"
    path: str
    line: int
    title: str
    unit: str
    source: str
    as_of: dt.date
    rows: tuple[tuple[str, tuple[float, ...]], ...]  # (label, one value per column)
    columns: tuple[str, ...] = ("",)  # series names; ("",) for a single series
    kind: str = "value"  # "value" | "series" (by year) | "by" (by category)
    description: str = ""
    area: str = ""  # the heading it is listed under on the statistics page ("" = none)
    weight: int | None = None  # its place there: smaller first, after the key figures

    def value(self, row: str = "") -> float | None:
        """The first column's value in `row`; the latest (last) row when not named."""
        if not row:
            return self.rows[-1][1][0]
        return next((values[0] for label, values in self.rows if label == row), None)


@dataclass(frozen=True)
class ImageVariant:
    url: str  # site path of the file, fingerprinted: "/images/anh-360.3f2a9c1d.webp"
    width: int
    height: int
    format: str  # "webp", "jpeg" or "png"


@dataclass(frozen=True)
class Image:
    """An image of the site as pages show it: its size, and resized copies for phones."""

    source: str  # site path of the original, "/images/anh.jpg"
    width: int  # intrinsic size of the largest copy (or of the original SVG), for width/height
    height: int
    variants: tuple[ImageVariant, ...] = ()  # narrowest first; none for an SVG

    def best(self, fmt: str) -> tuple[ImageVariant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)


@dataclass(frozen=True)
class Term:
    """A tag or a place, with the pages that carry it (newest first)."""

    taxonomy: str  # the taxonomy's path, "chu-de"
    name: str  # as editors write it (the most common spelling)
    slug: str
    url: str  # "/chu-de/4g/"
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Site:
    config: Config
    pages: tuple[Page, ...]  # articles and stand-alone pages, in no particular order
    sections: tuple[Page, ...]  # one per configured section, in config order
    home: Page
    data: dict[str, Dataset]
    files: tuple[str, ...]  # site paths of copied files (static/ and content assets)


@dataclass(frozen=True)
class OutputFile:
    path: str  # POSIX path inside the output folder, e.g. "guides/x/index.html"
    content: bytes


@dataclass(frozen=True)
class PageWeight:
    """What one page costs: its first response, and everything it makes the phone fetch."""

    source: str  # the file the page comes from
    path: str  # output path of the page
    html: int  # HTML, gzip-compressed (the first response)
    resources: tuple[tuple[str, int], ...]  # (output path, bytes as sent), heaviest first

    @property
    def total(self) -> int:
        return self.html + sum(size for _, size in self.resources)


@dataclass(frozen=True)
class Written:
    """A file put into the output: what it was made from, and what the build noted
    about it (for a page: its size gzip-compressed and what it makes a phone fetch)."""

    path: str
    fingerprint: str = ""  # a hash of everything the file was made from; "" if unknown
    info: Any = None
    digest: str = ""  # sha256 of its bytes


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Written, ...]
    diagnostics: tuple[Diagnostic, ...]
    pages: int = 0
    weights: tuple[PageWeight, ...] = ()
    rendered: tuple[str, ...] = ()  # output paths made this time (the rest were kept)
    made_from: Any = None  # the digests of the inputs the routes read, for the publisher
