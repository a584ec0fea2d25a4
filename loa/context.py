"""What a view may read about the site, each read recorded as the key of an input.

A route's view (views.py) is made from a `Context`, never from the site's data
directly. Every accessor adds the key of what it returned to `reads`
(`"listing:/guides/x/"`, `"pager:section:guides:2"`, `"config"`), so once a route
is rendered the build knows exactly what it was made from; the next build makes it
again only when the digest of one of those keys changed. Keys are fine-grained on
purpose: a list reads its members' listings (title, date, summary), not the
members themselves, so editing an article's text re-renders the article and not
every list it is in.

A digest is computed at most once per key and build (`digest`), in whichever
process asks; it must depend only on the site's data, never on the process (no
`set` order, no `id`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, Callable, Iterator

from . import builtin
from .content import policy_status
from .errors import Diagnostic
from .i18n import Translations
from .languages import Version
from .models import Config, Dataset, Image, Page, Term
from .pagination import Pager, paginate


@dataclass(frozen=True)
class Listing:
    """A page as a list shows it: all a list may read of its members."""

    url: str
    title: str
    date: dt.date | None
    summary: str  # its summary, or else its description
    section: str
    status: str  # a policy's status ("in_force", "expired", "not_yet"); "" for others
    text_lang: str  # the language of its text when it is an untranslated copy; else ""


@dataclass(frozen=True)
class TermName:
    """A tag or a place as its own list shows it."""

    name: str
    url: str


@dataclass(frozen=True)
class Body:
    """A page's body as Markdown made it (in the cache), and how to draw it."""

    key: str  # the Markdown cache entry holding its HTML and embeds
    digest: str  # of that HTML and its embeds


@dataclass(frozen=True)
class SiteData:
    """Everything views may read, for one language's pages (`lang`, "" for the site's
    own). The build makes one per language; workers inherit them."""

    config: Config  # as this language's pages show it (its title, menu, key figures)
    words: Translations
    today: dt.date
    lang: str
    pages: dict[str, Page]  # every page of this language by URL: home, sections, articles
    home_url: str
    section_urls: tuple[str, ...]  # in the configuration's order
    lists: dict[str, tuple[str, ...]]  # list id -> member URLs in order (see plan.lists)
    related: dict[str, tuple[str, ...]]  # page URL -> related page URLs
    terms: dict[str, list[Term]]  # taxonomy path -> its terms (the site's own language)
    term_urls: dict[str, dict[str, str]]  # taxonomy path -> term slug -> its list's URL
    versions: dict[str, tuple[Version, ...]]  # see languages.versions
    languages: tuple[tuple[str, str], ...]  # (code, name in itself), the site's own first
    images: dict[str, Image]
    datasets: dict[str, Dataset]
    dataset_views: dict[str, dict[str, Any]]  # id -> views.dataset(...)
    bodies: dict[str, Body]  # page URL -> its body
    icon: str  # the site's icon as a data: URI, or the site path of its icon file, or ""
    search: tuple[str, tuple[tuple[str, str], ...]] = ("", ())  # the search script, settings
    speech: str = ""  # fingerprint of how loudspeaker scripts are read (spoken.Speech)
    templates: dict[str, str] = field(default_factory=dict)  # name -> digest, with its parts
    player: str = ""  # the site path of the listen button's script (named by its content)


def _hash(*parts: object) -> str:
    """A digest of plain data by its repr: pickle is no canonical form (it writes a string
    met twice once, so equal values built differently pickle differently)."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def listing(page: Page, today: dt.date) -> Listing:
    return Listing(page.url, page.title, page.date, page.summary or page.description,
                   page.section, policy_status(page, today) if "number" in page.params else "",
                   page.lang if page.fallback else "")


# What views may read of a page: every field but its body and what comes of it (read
# as `body:`), and where its fields were in the file.
_VIEWED = tuple(f.name for f in dataclasses.fields(Page)
                if f.name not in ("body", "html", "anchors", "lines", "body_line"))


def _page_fields(page: Page) -> tuple:
    return tuple(getattr(page, name) for name in _VIEWED)


class ConfigView:
    """The configuration as a view reads it: each setting read is an input of its own
    (`config.title`), so a new title re-renders what shows it and not robots.txt."""

    def __init__(self, ctx: Context, config: Config) -> None:
        self._ctx, self._config = ctx, config

    def __getattr__(self, name: str) -> Any:
        self._ctx._read(f"config.{name}")
        return getattr(self._config, name)

    def section(self, name: str) -> Any:
        self._ctx._read("config.sections")
        return self._config.section(name)


class Words:
    """The translations as a view or a template reads them (`t("site.skip")`): each
    string read is an input of its own."""

    def __init__(self, ctx: Context, words: Translations) -> None:
        self._ctx, self._words = ctx, words
        self.lang = words.lang

    def __call__(self, name: str, /, **args: object) -> str:
        self._ctx._read(f"word:{name}")
        return self._words(name, **args)


class DatasetViews(Mapping):
    """Every dataset's view as templates reach them (`site.data["poverty.rate"]`): only
    the datasets a template really shows are recorded as the page's inputs."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def __getitem__(self, dataset_id: str) -> dict[str, Any]:
        return self.ctx.dataset_view(dataset_id)

    def __iter__(self) -> Iterator[str]:
        return iter([d.id for d in self.ctx.datasets()])

    def __len__(self) -> int:
        return len(self.ctx.datasets())


class Context:
    """The site as one route's view reads it; `reads` holds the keys it read."""

    def __init__(self, data: SiteData,
                 draw: Callable[[Context, str, bool], str] | None = None) -> None:
        self.data = data
        self.draw = draw  # (context, page URL, printed) -> the body's HTML, embeds drawn
        self.digests: dict[str, str] = {}
        self.config_view = ConfigView(self, data.config)
        self.word_view = Words(self, data.words)
        self.begin()

    def _read(self, key: str) -> None:
        self.reads.add(key)

    def begin(self) -> None:
        """A new route: nothing read yet, no problem found."""
        self.reads: set[str] = set()
        self.problems: list[Diagnostic] = []  # found while drawing (a figure's template)
        self.drawn: dict[tuple[str, bool], str] = {}

    # --- what every page shows ---

    @property
    def lang(self) -> str:
        return self.data.lang  # fixed for a context: no input

    @property
    def config(self) -> ConfigView:
        return self.config_view

    @property
    def words(self) -> Words:
        return self.word_view

    def icon(self) -> str:
        self._read("icon")
        return self.data.icon

    def languages(self) -> tuple[tuple[str, str], ...]:
        self._read("languages")
        return self.data.languages

    def versions(self, url: str) -> tuple[Version, ...] | None:
        self._read(f"versions:{url}")
        return self.data.versions.get(url)

    @property
    def home_url(self) -> str:
        return self.data.home_url  # fixed for a context

    def sections(self) -> list[Page]:
        """The sections' pages, for their titles, addresses and descriptions."""
        self._read("sections")
        return [self.data.pages[url] for url in self.data.section_urls]

    # --- pages ---

    def page(self, url: str) -> Page:
        """A page's fields (not its body: see `body`)."""
        self._read(f"page:{url}")
        return self.data.pages[url]

    def status(self, page: Page) -> str:
        """A policy's status on the day of the build ("" for other pages)."""
        self._read(f"status:{page.url}")
        return policy_status(page, self.data.today) if "number" in page.params else ""

    def body(self, url: str, printed: bool = False) -> str:
        """A page's body as HTML, its figures, charts and pictures drawn (`printed`: for
        a leaflet, with neither charts nor pictures)."""
        self._read(f"body:{url}")
        if self.draw is None or url not in self.data.bodies:
            return ""
        if (url, printed) not in self.drawn:
            self.drawn[(url, printed)] = self.draw(self, url, printed)
        return self.drawn[(url, printed)]

    def listing(self, url: str) -> Listing:
        self._read(f"listing:{url}")
        return listing(self.data.pages[url], self.data.today)

    def members(self, list_id: str) -> tuple[str, ...]:
        """Every member of a list (a section, a tag, the leaflets), in order."""
        self._read(f"members:{list_id}")
        return self.data.lists.get(list_id, ())

    def pager(self, list_id: str, number: int, per_page: int, list_url: str) -> Pager[str]:
        """Page `number` of a list: its members' URLs, and how many pages there are."""
        self._read(f"pager:{list_id}:{number}:{per_page}")
        return paginate(self.data.lists.get(list_id, ()), per_page, list_url)[number - 1]

    def latest(self, list_id: str, count: int) -> tuple[str, ...]:
        """The first `count` members of a list (the newest, for the home page)."""
        self._read(f"latest:{list_id}:{count}")
        return self.data.lists.get(list_id, ())[:count]

    def related(self, url: str) -> tuple[str, ...]:
        self._read(f"related:{url}")
        return self.data.related.get(url, ())

    def terms(self, taxonomy_path: str) -> list[Term]:
        """The terms of a taxonomy, for their names, addresses and counts."""
        self._read(f"terms:{taxonomy_path}")
        return self.data.terms.get(taxonomy_path, [])

    def term(self, taxonomy_path: str, slug: str) -> TermName:
        """One term's name and the address of its list."""
        self._read(f"termname:{taxonomy_path}/{slug}")
        return self._term_name(taxonomy_path, slug)

    def _term_name(self, taxonomy_path: str, slug: str) -> TermName:
        url = self.data.term_urls.get(taxonomy_path, {}).get(slug, "")
        name = next((t.name for t in self.data.terms.get(taxonomy_path, []) if t.url == url), "")
        return TermName(name, url)

    def term_url(self, taxonomy_path: str, slug: str) -> str:
        """The address of a term's list, "" when no article carries it."""
        self._read(f"term:{taxonomy_path}/{slug}")
        return self.data.term_urls.get(taxonomy_path, {}).get(slug, "")

    # --- files and figures ---

    def image(self, site_path: str) -> Image:
        self._read(f"image:{site_path}")
        return self.data.images.get(site_path) or Image(site_path, 0, 0)

    def has_file(self, site_path: str) -> bool:
        self._read(f"image:{site_path}")
        return site_path in self.data.images

    def dataset(self, dataset_id: str) -> Dataset:
        self._read(f"data:{dataset_id}")
        return self.data.datasets[dataset_id]

    def find_dataset(self, dataset_id: str) -> Dataset | None:
        self._read(f"data:{dataset_id}")
        return self.data.datasets.get(dataset_id)

    def dataset_view(self, dataset_id: str) -> dict[str, Any]:
        """A dataset as templates show it (its figures in this language's words)."""
        self._read(f"data:{dataset_id}")
        return self.data.dataset_views[dataset_id]

    def dataset_views(self) -> DatasetViews:
        return DatasetViews(self)

    def datasets(self) -> list[Dataset]:
        """Every dataset, in the order of their files."""
        self._read("datasets")
        return sorted(self.data.datasets.values(), key=lambda d: (d.path, d.line))

    def search(self) -> tuple[str, dict[str, str]]:
        """The search script's site path and the form's settings."""
        self._read("search")
        return self.data.search[0], dict(self.data.search[1])

    def speech(self) -> None:
        self._read("speech")

    def player(self) -> str:
        """The listen button's script: its name changes with its text."""
        self.template(builtin.PLAYER_SCRIPT)
        return self.data.player

    def template(self, name: str) -> None:
        """A template the route is drawn with (with everything it includes)."""
        self._read(f"template:{name}")

    # --- digests ---

    def digest(self, key: str) -> str:
        found = self.digests.get(key)
        if found is None:
            found = self.digests[key] = self._digest(key)
        return found

    def fingerprint(self, identity: object, reads: tuple[str, ...]) -> str:
        """What a route made from `reads` (sorted) depends on: `identity` (its kind and
        view) and the digest of every key it read. (Checked for every route of the site
        on every build: one hash over the joined digests.)"""
        joined = "\0".join([repr(identity), *reads, *map(self.digest, reads)])
        return hashlib.blake2b(joined.encode("utf-8"), digest_size=12).hexdigest()

    def _digest(self, key: str) -> str:
        kind, _, rest = key.partition(":")
        data = self.data
        if kind.startswith("config."):
            return _hash(getattr(data.config, kind.removeprefix("config.")))
        if kind == "word":
            return _hash(data.words.strings.get(rest))
        if kind == "icon":
            return _hash(data.icon)
        if kind == "languages":
            return _hash(data.languages)
        if kind == "versions":
            return _hash(data.versions.get(rest))
        if kind == "sections":
            return _hash([_page_fields(data.pages[url]) for url in data.section_urls])
        if kind == "page":
            return _hash(_page_fields(data.pages[rest]) if rest in data.pages else None)
        if kind == "status":
            page = data.pages.get(rest)
            return _hash(policy_status(page, data.today) if page and "number" in page.params
                         else "")
        if kind == "body":
            return _hash(data.bodies[rest].digest if rest in data.bodies else "")
        if kind == "listing":
            return _hash(listing(data.pages[rest], data.today) if rest in data.pages else None)
        if kind == "members":
            return _hash(data.lists.get(rest, ()))
        if kind == "pager":
            list_id, number, per_page = rest.rsplit(":", 2)
            members = data.lists.get(list_id, ())
            size = int(per_page)
            start = (int(number) - 1) * size
            return _hash(members[start:start + size], max(1, -(-len(members) // size)))
        if kind == "latest":
            list_id, count = rest.rsplit(":", 1)
            return _hash(data.lists.get(list_id, ())[:int(count)])
        if kind == "related":
            return _hash(data.related.get(rest, ()))
        if kind == "terms":
            return _hash([(t.name, t.slug, t.url, len(t.pages))
                          for t in data.terms.get(rest, [])])
        if kind == "termname":
            path, _, slug = rest.partition("/")
            return _hash(self._term_name(path, slug))
        if kind == "term":
            path, _, slug = rest.partition("/")
            return _hash(data.term_urls.get(path, {}).get(slug, ""))
        if kind == "image":
            return _hash(data.images.get(rest))
        if kind == "data":
            return _hash(data.datasets.get(rest), data.dataset_views.get(rest))
        if kind == "datasets":
            return _hash(sorted((d.id, self.digest(f"data:{d.id}"))
                                for d in data.datasets.values()))
        if kind == "search":
            return _hash(data.search)
        if kind == "speech":
            return _hash(data.speech)
        if kind == "template":
            return _hash(data.templates.get(rest, ""))
        raise KeyError(f"no digest for the input key {key!r}")
