"""The plan: one `Route` for every file the site will contain, the only answer to "what
does the site contain".

Pages (articles, lists with their pagination, leaflets, tags, statistics, search,
redirects, the 404 page), loudspeaker scripts, downloads, feeds, the sitemap,
robots.txt, the service worker, copied files and resized images: each is a route
with its URL, the file and line that asked for it, its kind, its language, whether
the sitemap lists it, and its view as plain data (`("article", "/guides/x/")`), so
any process can make it. Collisions, unsafe paths, links and menu entries are
checked against this list, and the render stage walks it; nothing else decides
what exists.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from enum import Enum

from .builtin import PLAYER_SCRIPT, SERVICE_WORKER_SCRIPT
from .config import CONFIG_FILE
from .content import policy_status, sort_key
from .editor import ADMIN, ADMIN_FILES
from .errors import Diagnostic, problem
from .languages import Edition
from .models import Config, Dataset, Image, OutputFile, Page, Term
from .spoken import Glossary
from .pagination import page_url
from .spoken import FILE as SCRIPT_FILE
from .urls import (LEAFLETS, SEARCH, SERVICE_WORKER, alias_url, contact_url, dataset_url,
                   has_leaflet, in_force_url, is_safe_output_path, leaflet_url, output_path,
                   script_page_url)
from .views import (LEAFLET_LIST, NOT_FOUND, in_force_list_id, section_list_id,
                    term_list_id)


class Kind(Enum):
    HOME = "home"
    SECTION = "section"  # a page of a section's list
    IN_FORCE = "in_force"  # a page of the list of a policy section's policies in force
    ARTICLE = "article"
    PAGE = "page"  # a stand-alone page (content/x.md)
    LEAFLET = "leaflet"
    LEAFLETS = "leaflets"  # a page of the list of every leaflet
    TERMS = "terms"  # every tag (or place)
    TERM = "term"  # a page of the list of one tag's (or place's) articles
    SEARCH = "search"
    CONTACT = "contact"  # who runs the portal and how to reach them
    STATISTICS = "statistics"
    DATASET = "dataset"
    REDIRECT = "redirect"  # an alias
    NOT_FOUND = "404"
    SCRIPT = "script"  # an article's loudspeaker script (loa.txt)
    SCRIPT_PAGE = "script_page"  # the same script as a page in large type (loa/)
    DOWNLOAD = "download"  # a dataset as CSV or JSON
    FEED = "feed"  # Atom
    SITEMAP = "sitemap"
    ROBOTS = "robots"
    SERVICE_WORKER = "service_worker"
    PLAYER = "player"  # the listen button's script (builtin.PLAYER_SCRIPT)
    COPY = "copy"  # a file of static/ or content/, as it is (an SVG made safe)
    IMAGE = "image"  # a resized copy of an image
    SEARCH_FILE = "search_file"  # the search script, and the index's shards
    EDITOR = "editor"  # the web editor at /admin/ (`editor:`): its page and configuration
    EDITOR_FILE = "editor_file"  # a file of Decap CMS's script, as installed


TEMPLATES = {
    Kind.HOME: "home.html", Kind.SECTION: "section.html", Kind.IN_FORCE: "section.html",
    Kind.ARTICLE: "article.html", Kind.PAGE: "article.html", Kind.LEAFLET: "leaflet.html",
    Kind.LEAFLETS: "leaflets.html", Kind.TERMS: "terms.html", Kind.TERM: "section.html",
    Kind.SEARCH: "search.html", Kind.CONTACT: "contact.html",
    Kind.STATISTICS: "statistics.html",
    Kind.DATASET: "dataset.html", Kind.REDIRECT: "redirect.html", Kind.NOT_FOUND: "404.html",
    Kind.SCRIPT_PAGE: "script.html",
}
PAGE_KINDS = frozenset(TEMPLATES)  # drawn by a template as an HTML page
LINKABLE = PAGE_KINDS - {Kind.REDIRECT}  # what links and menu entries may lead to


@dataclass(frozen=True)
class Route:
    url: str  # site path: "/guides/x/", "/thong-ke/x/x.csv"
    kind: Kind
    source: str  # the file that asked for it (a problem with it is reported there)
    line: int = 0
    lang: str = ""  # its language's code; "" for the site's own
    listed: bool = False  # in sitemap.xml
    view: tuple = ()  # what it is made from, as plain data

    @functools.cached_property
    def path(self) -> str:
        return output_path(self.url)

    @property
    def template(self) -> str:
        return TEMPLATES.get(self.kind, "")

    @property
    def is_page(self) -> bool:
        return self.kind in PAGE_KINDS


@dataclass(frozen=True)
class Sources:
    """The site's pages as read: the site's own language, then each other one's."""

    home: Page
    sections: tuple[Page, ...]  # in the configuration's order
    articles: tuple[Page, ...]  # articles and stand-alone pages, by URL
    editions: tuple[Edition, ...]
    terms: dict[str, list[Term]]  # taxonomy path -> its terms

    @property
    def pages(self) -> tuple[Page, ...]:
        """The site's own pages: home, sections, articles."""
        return (self.home, *self.sections, *self.articles)


@dataclass(frozen=True)
class Assets:
    """Datasets with their charts, the loudspeaker glossary, and the site's files as they
    will be published: SVGs made safe, images with their resized copies (made by the
    pipeline's assets stage)."""

    datasets: dict[str, Dataset]
    charts: dict[str, str]  # dataset id -> its chart, inline SVG (numbers as in Vietnamese)
    glossary: Glossary
    pictures: dict[str, bytes]  # site path of an SVG -> its safe bytes
    images: dict[str, Image]
    resized: dict[str, OutputFile]  # site path of a resized copy -> it
    resized_from: dict[str, str]  # site path of a resized copy -> the file it comes from
    broken_data: frozenset[str]  # data files with errors (their figures are not checked)
    player: bytes  # the listen button's script, as the site has it (builtin.PLAYER_SCRIPT)


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    lists: dict[str, dict[str, tuple[str, ...]]]  # language -> list id -> member URLs

    @property
    def page_urls(self) -> frozenset[str]:
        """Where a link or a menu entry may lead."""
        return frozenset(r.url for r in self.routes if r.kind in LINKABLE)

    def plus(self, routes: list[Route]) -> Plan:
        return dataclasses.replace(self, routes=self.routes + tuple(routes))


def _lists(config: Config, sources: Sources, today: dt.date
           ) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every list's members in order, for each language: sections (in their sort
    order), policies in force, tags and places (newest first), leaflets."""
    def section_lists(pages: tuple[Page, ...]) -> dict[str, tuple[str, ...]]:
        found = {}
        for section in config.sections:
            members = sorted((p for p in pages if p.section == section.name),
                             key=sort_key(section.sort))
            members.sort(key=lambda p: p.fallback)  # (an edition lists its translations first)
            found[section_list_id(section.name)] = tuple(p.url for p in members)
        return found

    own = section_lists(sources.articles)
    by_url = {p.url: p for p in sources.articles}
    for section in config.sections:
        if section.type == "policy":
            own[in_force_list_id(section.name)] = tuple(
                url for url in own[section_list_id(section.name)]
                if policy_status(by_url[url], today) == "in_force")
    for path, terms in sources.terms.items():
        own.update({term_list_id(path, t.slug): tuple(p.url for p in t.pages) for t in terms})
    own[LEAFLET_LIST] = tuple(url for s in config.sections
                              for url in own[section_list_id(s.name)]
                              if has_leaflet(config, by_url[url]))
    lists = {"": own}
    for edition in sources.editions:
        lists[edition.lang] = section_lists(edition.articles)
    return lists


def _pages_of(config: Config, list_url: str, members: tuple[str, ...]) -> list[tuple[str, int]]:
    """The addresses of a list's pages, with their numbers (see pagination.paginate)."""
    count = max(1, -(-len(members) // config.items_per_page))
    return [(page_url(list_url, number), number) for number in range(1, count + 1)]


def make(config: Config, sources: Sources, datasets: dict[str, Dataset],
         copies: dict[str, str], images: dict[str, str], today: dt.date, player: str,
         editor_files: dict[str, str] | None = None) -> Plan:
    """Every route of the site but the search index's files (`with_search`).

    `copies`: the files of static/ and content/ published, by site path, with the file
    each comes from; `images`: the resized copies of images, likewise; `player`: the
    listen button's script's address (named by its content); `editor_files`:
    Decap CMS's script files, when site_config.yaml publishes the editor. Routes come in
    the order collisions are reported in: a page before what is made from it."""
    lists = _lists(config, sources, today)
    own = lists[""]
    routes: list[Route] = []
    add = routes.append

    def language_pages(lang: str, home: Page, sections: tuple[Page, ...],
                       articles: tuple[Page, ...]) -> None:
        add(Route(home.url, Kind.HOME, home.source, 1, lang, True, ("home",)))
        for section in sections:
            members = lists[lang][section_list_id(section.section)]
            for url, number in _pages_of(config, section.url, members):
                add(Route(url, Kind.SECTION, section.source, 1, lang, True,
                          ("section", section.url, number)))
        for page in articles:
            add(Route(page.url, Kind.ARTICLE if page.kind == "article" else Kind.PAGE,
                      page.source, 1, lang, not page.fallback, ("article", page.url)))
        if config.contact:  # (Loa's own page: a file at its address is told to move)
            add(Route(contact_url(lang), Kind.CONTACT, CONFIG_FILE, 0, lang, True,
                      ("contact",)))

    language_pages("", sources.home, sources.sections, sources.articles)
    for edition in sources.editions:
        language_pages(edition.lang, edition.home, edition.sections, edition.articles)
    # (two articles at one address are reported once, by their pages: what is made from
    # them goes by the first)
    by_url = {p.url: p for p in reversed(sources.articles)}
    # loudspeaker scripts (read in Vietnamese: the site's own articles only)
    for url, page in by_url.items():
        if page.kind == "article":
            add(Route(url + SCRIPT_FILE, Kind.SCRIPT, page.source, 1, view=("script", url)))
            add(Route(script_page_url(url), Kind.SCRIPT_PAGE, page.source, 1, listed=True,
                      view=("script_page", url)))
    add(Route(SEARCH, Kind.SEARCH, CONFIG_FILE, 0, listed=True, view=("search",)))
    for taxonomy in config.taxonomies:
        add(Route(f"/{taxonomy.path}/", Kind.TERMS, CONFIG_FILE, taxonomy.line, listed=True,
                  view=("terms", taxonomy.path)))
        for term in sources.terms.get(taxonomy.path, []):
            members = own[term_list_id(taxonomy.path, term.slug)]
            for url, number in _pages_of(config, term.url, members):
                add(Route(url, Kind.TERM, term.pages[0].source, 1, listed=True,
                          view=("term", taxonomy.path, term.slug, number)))
    if config.base_url:
        add(Route("/atom.xml", Kind.FEED, CONFIG_FILE, 0, view=("atom", "")))
        add(Route("/sitemap.xml", Kind.SITEMAP, CONFIG_FILE, 0, view=("sitemap",)))
        for section in config.sections:
            add(Route(f"/{section.name}/atom.xml", Kind.FEED, CONFIG_FILE, 0,
                      view=("atom", section.name)))
    for section in config.sections:
        if section.type == "policy":
            page = next(s for s in sources.sections if s.section == section.name)
            for url, number in _pages_of(config, in_force_url(section.name),
                                         own[in_force_list_id(section.name)]):
                add(Route(url, Kind.IN_FORCE, page.source, 1, listed=True,
                          view=("in_force", page.url, number)))
    add(Route(NOT_FOUND, Kind.NOT_FOUND, "templates/404.html", 0, view=("404",)))
    add(Route(SERVICE_WORKER, Kind.SERVICE_WORKER, f"templates/{SERVICE_WORKER_SCRIPT}", 0,
              view=("sw",)))
    add(Route(player, Kind.PLAYER, f"templates/{PLAYER_SCRIPT}", 0, view=("player",)))
    if "/robots.txt" not in copies:  # (before aliases: an alias over it is what is wrong)
        add(Route("/robots.txt", Kind.ROBOTS, CONFIG_FILE, 0, view=("robots",)))
    leaflets = own[LEAFLET_LIST]
    for url in sorted(set(leaflets)):
        add(Route(leaflet_url(url), Kind.LEAFLET, by_url[url].source, 1, listed=True,
                  view=("leaflet", url)))
    # (built-in pages always exist, the menu may link them: empty, they say so)
    for url, number in _pages_of(config, LEAFLETS, leaflets):
        add(Route(url, Kind.LEAFLETS, CONFIG_FILE, 0, listed=True, view=("leaflets", number)))
    for page in sources.articles:
        for alias in page.aliases:
            url = alias_url(alias)
            add(Route(url, Kind.REDIRECT, page.source, page.lines.get("aliases", 1),
                      view=("redirect", url, page.url, alias)))
    routes += [Route(site_path, Kind.COPY, source, 1, view=("file",))
               for site_path, source in copies.items()]
    add(Route(f"/{config.stats_path}/", Kind.STATISTICS, CONFIG_FILE, config.stats_path_line,
              listed=True, view=("statistics",)))
    for dataset in datasets.values():
        add(Route(dataset_url(config.stats_path, dataset.id), Kind.DATASET, dataset.path,
                  dataset.line, listed=True, view=("dataset", dataset.id)))
        for download in ("csv", "json"):
            add(Route(dataset_url(config.stats_path, dataset.id, download), Kind.DOWNLOAD,
                      dataset.path, dataset.line, view=("download", dataset.id, download)))
    routes += [Route(site_path, Kind.IMAGE, source, 0, view=("file",))
               for site_path, source in images.items()]
    if config.editor:  # (never listed: not in the sitemap, and no page links it)
        routes += [Route(f"{ADMIN}{name}", Kind.EDITOR, CONFIG_FILE, config.editor.line,
                         view=("editor", name)) for name in ADMIN_FILES]
        routes += [Route(site_path, Kind.EDITOR_FILE, source, 0, view=("file",))
                   for site_path, source in (editor_files or {}).items()]
    return Plan(tuple(routes), lists)


def with_search(plan: Plan, files: list[str]) -> Plan:
    """The plan with the search index's files (named by their content, so known only
    once the index is made)."""
    return plan.plus([Route("/" + path, Kind.SEARCH_FILE, CONFIG_FILE, 0, view=("file",))
                      for path in files])


MAX_NAME_BYTES = 255  # a file or folder name, on every file system a host might use
# Names Windows (and a FAT32 USB stick read there) cannot hold: devices, whatever the
# extension; signs it refuses; a trailing dot or space, which it drops.
_WINDOWS_DEVICES = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?")
_WINDOWS_SIGNS = re.compile(r'[<>:"|?*\x00-\x1f]|[. ]$')


def _not_portable(part: str) -> bool:
    return bool(_WINDOWS_DEVICES.fullmatch(part) or _WINDOWS_SIGNS.search(part))


def _generated(route: Route) -> bool:
    """A route Loa makes of its own (search, feeds, statistics...), at an address no file
    or setting of the site chose."""
    return route.source == CONFIG_FILE and route.line == 0


def check(plan: Plan) -> list[Diagnostic]:
    """Every output path once, inside the output folder, with names a file system takes,
    and never a file where another route needs a folder."""
    found: list[Diagnostic] = []
    first: dict[str, Route] = {}
    seen_folded: dict[str, Route] = {}
    for route in plan.routes:
        path = route.path
        if not is_safe_output_path(path):
            if route.kind is Kind.REDIRECT:  # (shown as the editor wrote it)
                found.append(problem(route.source, route.line, "alias_unsafe",
                                     value=route.view[3]))
            else:
                found.append(problem(route.source, route.line, "path_unsafe", value=route.url))
            continue
        long = next((part for part in path.split("/")
                     if len(part.encode("utf-8")) > MAX_NAME_BYTES), "")
        if long:
            found.append(problem(route.source, route.line, "path_too_long",
                                 value=long[:40] + "…", limit=MAX_NAME_BYTES))
            continue
        odd = next((part for part in path.split("/") if _not_portable(part)), "")
        if odd:
            found.append(problem(route.source, route.line, "path_not_portable", value=odd))
            continue
        folded = path.casefold()  # (one file on Windows and macOS)
        if folded in seen_folded and seen_folded[folded].path != path:
            found.append(problem(route.source, route.line, "path_case_twin", url=route.url,
                                 other=seen_folded[folded].source))
            continue
        seen_folded.setdefault(folded, route)
        if path in first:
            shown = "/" + path.removesuffix("index.html")
            blamed, other = (first[path], route) if _generated(route) else (route, first[path])
            if blamed.source == CONFIG_FILE and not _generated(blamed):  # (a name it gave)
                found.append(problem(blamed.source, blamed.line, "config_path_taken", url=shown))
                continue
            if _generated(other) and not _generated(blamed):  # (the site's file moves)
                key = "alias_generated" if blamed.kind is Kind.REDIRECT else "url_generated"
                found.append(problem(blamed.source, blamed.line, key, url=shown))
                continue
            key = "alias_collision" if route.kind is Kind.REDIRECT else "url_collision"
            found.append(problem(route.source, route.line, key, url=shown,
                                 other=first[path].source))
            continue
        first[path] = route
    folders: dict[str, Route] = {}
    for path, route in first.items():
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), route)
    for path, route in first.items():
        if path in folders:  # (the file is at fault: a folder of pages needs its name)
            found.append(problem(route.source, route.line, "path_file_folder",
                                 url="/" + path, other=folders[path].source))
    return found
