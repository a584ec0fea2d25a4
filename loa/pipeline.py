"""The whole build, as a short list of stages: read → assets → plan → check → Markdown →
search → render. Publishing is the caller's (cli, serve, pack): `build` hands every
file to a publisher and writes nothing itself.

Each stage is a function that takes what it needs and returns what it makes; problems
go into a `Report` and the build carries on, so one run reports every problem.

Work is skipped where its inputs did not change: a body's HTML comes from the cache
while every link it looked up still resolves the same way; a route whose recorded
inputs (context.py) all have the digests they had is not made at all.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import jinja2

from . import (assets, charts, svg, content, feeds, i18n, languages, leaflet, markdown, parallel,
               plan, render, search, spoken, stats, taxonomy, urls, views)
from .cache import Cache, Rows
from .cache import key as cache_key
from .config import CONFIG_FILE
from .context import Body, Context, SiteData
from .errors import WARNING, Diagnostic, has_errors, problem
from .i18n import Translations
from .models import (BuildOptions, BuildResult, Config, Dataset, Image, OutputFile, Page,
                     PageWeight, Term, Written)
from .plan import Kind, Plan, Route, Sources
from .text import short_figure


class Sink(Protocol):
    """Where the build puts files: output.Publisher, or Nowhere (for `check`)."""

    made_from: Any  # what the build said the published site was made from (or None)

    def previous(self, path: str) -> Written | None: ...

    def unchanged(self, path: str, fingerprint: str) -> Written | None: ...

    def put(self, path: str, content: bytes, fingerprint: str = "", info: Any = None,
            gz: bytes | None = None) -> Written: ...


class Nowhere:
    """A sink that keeps nothing: for `check`, and for a build that has already failed
    (its pages are still rendered, to report every problem, but go nowhere)."""

    made_from = None

    def previous(self, path: str) -> Written | None:
        return None

    def unchanged(self, path: str, fingerprint: str) -> Written | None:
        return None

    def put(self, path: str, content: bytes, fingerprint: str = "", info: Any = None,
            gz: bytes | None = None) -> Written:
        return Written(path, fingerprint, info)


@functools.cache
def _code_digest() -> str:
    """A hash of Loa's own code: what builds remember is kept apart for each version."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class Memory:
    """What a build remembers for the next, row by row in the cache: kept in this process
    too when builds follow each other in it (serve), so that they read nothing again."""

    reads: Rows  # Markdown file -> (its size, time and inode; what was asked; its page)
    bodies: Rows  # page URL -> (its file's size, time and inode; what else it is made
    # from; what Markdown made of it)
    asked: Rows  # page URL -> what its Markdown looked up (markdown.Asked), read only when
    # what links and figures resolve against changed
    state: Rows  # the search index (SEARCH_STATE), and what links resolved against (LINKS)
    shards: Rows  # the search index's postings, shard by shard

    @classmethod
    def of(cls, cache: Cache) -> Memory:
        """What the cache remembers, for this version of Loa's code only (a record made by
        other code may hold other fields); what other versions left is dropped."""
        tables = [f"{name} {_code_digest()}"
                  for name in ("reads", "bodies", "asked", "state", "shards")]
        cache.drop_tables_but(tables)
        return cls(*(Rows(cache, name) for name in tables))

    def save(self) -> None:
        for rows in (self.reads, self.bodies, self.asked, self.state, self.shards):
            rows.save()


class _ShardRows:
    """The search index's shards as rows of the cache (search.ShardStore)."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def get(self, number: int) -> search.Postings | None:
        found = self.rows.get(str(number))
        return found if isinstance(found, search.Postings) else None

    def put(self, number: int, postings: search.Postings) -> None:
        self.rows.put(str(number), postings)


@dataclass
class Report:
    """What a build found wrong, and what it made."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # output paths made this time

    def add(self, found: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.diagnostics.extend(found)

    @property
    def failed(self) -> bool:
        return has_errors(self.diagnostics)


# --------------------------------------------------------------------------- 1. read

def _default_page(kind: str, url: str, title: str, section: str = "") -> Page:
    source = f"content/{section}/_index.md" if section else "content/_index.md"
    return Page(kind=kind, source=source, section=section, slug=section, url=url, title=title)


def _read(path: str, file: Path, config: Config, options: BuildOptions, asked: str,
          cache: Cache) -> tuple[Page | None, list[Diagnostic]]:
    """One Markdown file's page (front matter only: the body is read again by the worker
    that renders it) and its problems; kept in the cache by the file's text and `asked`
    (the configuration and the options that decide what a page is)."""
    source, found = content.read_source(path, file)
    if source is None:
        return None, found

    def compute() -> bytes:
        page, problems = content.read_page(source, config, options)
        read = (dataclasses.replace(page, body="") if page else None, problems)
        return pickle.dumps(read, pickle.HIGHEST_PROTOCOL)

    page, problems = pickle.loads(cache.memo(("front matter", path, source.text, asked),
                                             compute))
    return page, found + problems


def _stat(file: Path) -> tuple[int, int, int] | None:
    """A file as make(1) sees it: a change of size, time or inode is a change."""
    try:
        found = os.stat(file)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


def read(config: Config, options: BuildOptions, cache: Cache, memory: Memory, jobs: int,
         report: Report) -> tuple[content.SiteFiles, Sources]:
    """Every file of the site found, every page's front matter read; drafts and pages
    dated later drop out here; translations are matched to their originals.

    A file whose size, time and inode are those of the last build is not read again."""
    files, found = content.discover(config)
    report.add(found)
    asked = cache_key(repr((config, options.today, options.drafts, options.future)))
    stats = [_stat(file) for _, file in files.markdown]
    read_pages: list[tuple[Page | None, list[Diagnostic]] | None] = []
    for (path, _), stat in zip(files.markdown, stats):
        record = memory.reads.get(path)
        kept = record is not None and record[:2] == (stat, asked) and stat is not None
        read_pages.append(record[2] if kept else None)  # type: ignore[index]
    todo = [i for i, known in enumerate(read_pages) if known is None]

    def read_task(j: int) -> tuple[Page | None, list[Diagnostic]]:
        return _read(*files.markdown[todo[j]], config, options, asked, cache)

    for j, made in enumerate(parallel.run(read_task, len(todo), jobs, cache.flush)):
        i = todo[j]
        read_pages[i] = made
        memory.reads.put(files.markdown[i][0], (stats[i], asked, made))
    pages: list[Page] = []
    for page, problems in read_pages:  # type: ignore[misc]
        report.add(problems)
        if page:
            pages.append(page)
    translated = [p for p in pages if p.original]
    pages = [p for p in pages if not p.original]
    by_kind = {kind: sorted((p for p in pages if p.kind == kind), key=lambda p: p.url)
               for kind in ("home", "section", "article", "page")}
    home = next(iter(by_kind["home"]), None) or _default_page("home", "/", config.title)
    given = {p.section: p for p in by_kind["section"]}
    sections = tuple(given.get(s.name) or _default_page("section", urls.section_url(s.name),
                                                        s.title, s.name)
                     for s in config.sections)
    articles = tuple(sorted(by_kind["article"] + by_kind["page"], key=lambda p: p.url))
    terms = {t.path: taxonomy.terms(by_kind["article"], t) for t in config.taxonomies}
    editions, found = languages.editions(config, home, list(sections), list(articles),
                                         translated, {path for path, _ in files.markdown})
    report.add(found)
    if not config.base_url:
        report.add([problem(CONFIG_FILE, 1, "base_url_missing", level=WARNING)])
        count = sum(urls.has_leaflet(config, p) for p in articles)
        if count:
            report.add([problem(CONFIG_FILE, 1, "leaflet_no_qr", level=WARNING, count=count)])
    return files, Sources(home, sections, articles, tuple(editions), terms)


# --------------------------------------------------------------------------- 2. assets

@dataclass(frozen=True)
class Assets:
    """Datasets with their charts, the loudspeaker glossary, and the site's files as they
    will be published: SVGs made safe, images with their resized copies."""

    datasets: dict[str, Dataset]
    charts: dict[str, str]  # dataset id -> its chart, inline SVG
    glossary: spoken.Glossary
    pictures: dict[str, bytes]  # site path of an SVG -> its safe bytes
    images: dict[str, Image]
    resized: dict[str, OutputFile]  # site path of a resized copy -> it
    resized_from: dict[str, str]  # site path of a resized copy -> the file it comes from
    broken_data: frozenset[str]  # data files with errors (their figures are not checked)


def load_assets(config: Config, files: content.SiteFiles, cache: Cache, report: Report
                ) -> Assets:
    datasets, found = stats.load(config.root)
    report.add(found)
    broken = frozenset(d.path for d in found)
    glossary, found = spoken.load_glossary(config.root)
    report.add(found)
    pictures, found = assets.clean_svgs(files.assets, config.root)  # no script in an SVG
    report.add(found)
    images, outputs, found = assets.process_images(files.assets, pictures, config.root, cache)
    report.add(found)
    drawn = {d.id: charts.chart(d, lambda v, unit=d.unit: short_figure(v, unit))
             for d in datasets.values()}
    for dataset in datasets.values():
        size = len(drawn[dataset.id].encode("utf-8"))
        if size > config.budgets.chart_bytes:
            report.add([problem(dataset.path, dataset.line, "chart_over_budget", size=size,
                                budget=config.budgets.chart_bytes, rows=len(dataset.rows))])
    resized_from = {}
    for image in images.values():
        source = files.assets[image.source].relative_to(config.root).as_posix()
        resized_from.update({v.url: source for v in image.variants})
    return Assets(datasets, drawn, glossary, pictures, images,
                  {"/" + o.path: o for o in outputs}, resized_from, broken)


# --------------------------------------------------------------------------- 3. plan

def make_plan(config: Config, sources: Sources, files: content.SiteFiles, found: Assets,
              options: BuildOptions, report: Report) -> Plan:
    """The plan, checked: every path once and safe; key figures and menu entries lead to
    what the plan contains."""
    copies = {site_path: path.relative_to(config.root).as_posix()
              for site_path, path in sorted(files.assets.items())
              if site_path in found.pictures or not site_path.lower().endswith(".svg")}
    made = plan.make(config, sources, found.datasets, copies, found.resized_from,
                     options.today)
    report.add(plan.check(made))
    report.add(_check_config_links(config, found, made.page_urls | set(files.assets)))
    return made


def _check_config_links(config: Config, found: Assets, known: set[str]) -> list[Diagnostic]:
    """Key figures name real datasets (and rows); menu entries name real pages."""
    problems = []
    data = found.datasets
    for figure in config.key_figures:
        dataset = data.get(figure.stat)
        file = f"{stats.DATA}/{figure.stat.split('.')[0]}.yaml"
        if dataset is None and file not in found.broken_data:
            problems.append(problem(CONFIG_FILE, figure.line, "key_figure_unknown",
                                    stat=figure.stat, known=", ".join(sorted(data)) or "-"))
        elif dataset and dataset.value(figure.row) is None:
            problems.append(problem(CONFIG_FILE, figure.line, "shortcode_row",
                                    dataset=figure.stat, row=figure.row,
                                    known=", ".join(label for label, _ in dataset.rows)))
        elif dataset and dataset.kind == "by" and not figure.row:
            problems.append(problem(CONFIG_FILE, figure.line, "key_figure_needs_row",
                                    stat=figure.stat, example=dataset.rows[0][0]))
    for item in config.menu:
        url = urls.alias_url(item.url) if item.url != "/" else "/"
        if url not in known:
            problems.append(problem(CONFIG_FILE, item.line, "menu_unknown", url=item.url))
    return problems


def _resolve_front_matter_files(page: Page, links: urls.LinkIndex
                                ) -> tuple[Page, list[Diagnostic]]:
    """`image` and `attachment` must name files of the site; keep their site paths."""
    found: list[Diagnostic] = []
    changes: dict = {}
    source = page.source.removeprefix("content/")
    for name in ("image", "attachment"):
        value = page.image if name == "image" else page.params.get(name, "")
        if not value:
            continue
        target, _ = links.resolve(value, source)
        if target is None or target.is_page:
            found.append(problem(page.source, page.lines.get(name, 1), "file_missing",
                                 field=name, target=value))
        elif name == "image":
            changes["image"] = target.url
        else:
            changes["params"] = {**page.params, name: target.url}
    return dataclasses.replace(page, **changes), found


def link_pages(sources: Sources, site_plan: Plan, files: content.SiteFiles, report: Report
               ) -> tuple[Sources, urls.LinkIndex]:
    """What links may lead to; every page's image and attachment resolved against it."""
    links = urls.LinkIndex(
        by_source={p.source.removeprefix("content/"): p.url for p in sources.pages},
        pages=site_plan.page_urls, files=frozenset(files.assets))

    def resolved(pages: tuple[Page, ...]) -> list[Page]:
        made = []
        for page in pages:
            page, found = _resolve_front_matter_files(page, links)
            report.add(found)
            made.append(page)
        return made

    own = resolved(sources.pages)
    count = len(sources.sections)
    editions = tuple(e.replaced(resolved(e.pages)) for e in sources.editions)
    return Sources(own[0], tuple(own[1:1 + count]), tuple(own[1 + count:]), editions,
                   sources.terms), links


# --------------------------------------------------------------------------- 4. Markdown

@dataclass(frozen=True)
class _Marked:
    """What a Markdown worker sends back for one page: never the HTML itself (that stays
    in the cache, under its key, until the page's own worker draws it)."""

    body: Body
    anchors: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    fragments: tuple[markdown.FragmentCheck, ...]
    analysis: str  # cache key of its search.Analysis; "" for pages search does not index
    row: tuple[str, ...] = ()  # the page as a search result shows it


@dataclass(frozen=True)
class Bodies:
    by_url: dict[str, Body]
    indexed: list[str]  # the URLs of the pages search finds, in URL order
    analyses: list[str]  # cache keys of their search entries, in the same order
    rows: list[list[str]]  # their rows as results show them


def _search_doc(page: Page, section_titles: dict[str, str], text: str) -> search.SearchDoc:
    return search.SearchDoc(
        url=page.url, title=page.title, section=section_titles.get(page.section, ""),
        date=page.date.strftime("%d/%m/%Y") if page.date else "",
        summary=page.summary or page.description, text=text,
        keywords=tuple(page.tags) + tuple(page.locations)
        + ((str(page.params["number"]),) if "number" in page.params else ()))


# A page's search entry in the cache: the opening words of its text (4-byte length,
# UTF-8), then its pickled search.Analysis; the words can be read without unpickling.

def _search_entry(short: str, analysis: search.Analysis) -> bytes:
    words = short.encode("utf-8")
    return len(words).to_bytes(4, "big") + words + pickle.dumps(analysis, pickle.HIGHEST_PROTOCOL)


def _entry_short(stored: bytes) -> str:
    return stored[4:4 + int.from_bytes(stored[:4], "big")].decode("utf-8")


def _entry_analysis(stored: bytes) -> search.Analysis:
    return pickle.loads(stored[4 + int.from_bytes(stored[:4], "big"):])


def _analysed(result: markdown.Rendered, body_key: str, doc: search.SearchDoc, cache: Cache
              ) -> tuple[str, str]:
    """What a page adds to the search index, kept in the cache: (its key, the opening
    words of its text, for a page with no summary)."""
    entry_key = cache_key("search", body_key, repr(doc))
    stored = cache.get(entry_key)
    if stored is not None:
        return entry_key, _entry_short(stored)
    text = search.plain_text(markdown.TOKEN.sub(" ", result.page.html))
    analysis = search.analyse(dataclasses.replace(doc, text=text))
    short = search.summary_of(text) if not doc.summary else ""
    cache.put(entry_key, _search_entry(short, analysis))
    return entry_key, short


def _edition_links(edition: languages.Edition, originals: tuple[Page, ...],
                   links: urls.LinkIndex) -> urls.LinkIndex:
    """Links as an edition's pages resolve them: a link to an article's source leads to
    the article in the same language (translated or not)."""
    by_source = {o.source.removeprefix("content/"): p.url
                 for o, p in zip(originals, edition.pages)}
    by_source.update({p.source.removeprefix("content/"): p.url
                      for p in edition.pages if not p.fallback})
    return dataclasses.replace(links, by_source=by_source)


def _link_index_key(links: urls.LinkIndex) -> str:
    return repr((sorted(links.by_source.items()), sorted(links.pages), sorted(links.files)))


def render_markdown(config: Config, sources: Sources, files: content.SiteFiles,
                    found: Assets, links: urls.LinkIndex, layout: Any, cache: Cache,
                    memory: Memory, options: BuildOptions, jobs: int, report: Report
                    ) -> Bodies:
    """Every page's body to HTML, in workers, into the cache; links between pages and
    shortcodes checked; what each article adds to the search index.

    A page whose file did not change, and whose every link and figure still resolves
    as it did, is not read or rendered again (its record in `memory` says it all)."""
    originals = sources.pages
    pages = list(originals) + [p for e in sources.editions for p in e.pages]
    page_links = [links] * len(originals)
    for edition in sources.editions:
        page_links += [_edition_links(edition, originals, links)] * len(edition.pages)
    data = found.datasets
    digests = {d.id: cache_key(repr(d)) for d in data.values()}
    section_titles = {s.section: s.title for s in sources.sections}
    indexed = range(1 + len(sources.sections), len(originals))  # (the site's own language)
    converters: dict[int, markdown.Converter] = {}  # one per process
    on_disk = dict(files.markdown)  # a page's source (NFC) -> its file, named as on disk
    stats = {path: _stat(file) for path, file in files.markdown}
    settings = (markdown.SETTINGS, repr(layout), config.links_to_index_html)

    def given(i: int) -> str:
        """What a page's Markdown and search entry are made from, its file aside."""
        page = pages[i]
        doc = repr(_search_doc(page, section_titles, "")) if i in indexed else ""
        return cache_key(repr((settings, page.source, page.url, page.body_line, doc)))

    # (what every link and figure resolves against: while it is the same, every answer a
    # body's Markdown had is still right, and none needs asking again)
    distinct = {id(index): index for index in page_links}.values()
    resolving = cache_key(repr([_link_index_key(index) for index in distinct]), repr(digests))
    same_answers = memory.state.get(LINKS) == resolving
    if not same_answers:
        memory.state.put(LINKS, resolving)
    marked: list[_Marked | None] = []
    for i, page in enumerate(pages):
        record = memory.bodies.get(page.url) if page.source in stats else None
        kept = record is not None and record[:2] == (stats[page.source], given(i))
        if kept and not same_answers:
            asked = memory.asked.get(page.url)
            kept = isinstance(asked, markdown.Asked) and asked.still_true(page_links[i], data,
                                                                          digests)
        elif kept:
            memory.asked.keep(page.url)
        marked.append(record[2] if kept else None)  # type: ignore[index]
    todo = [i for i, known in enumerate(marked) if known is None]

    def markdown_task(j: int) -> tuple[_Marked, markdown.Asked]:
        i = todo[j]
        page = pages[i]
        page = dataclasses.replace(page, body=content.read_body(page, on_disk.get(page.source)))
        converter = converters.get(os.getpid()) or converters.setdefault(
            os.getpid(), markdown.Converter(layout))
        result, key, asked = converter.render_cached(page, page_links[i],
                                                     config.links_to_index_html, data,
                                                     digests, cache)
        analysis, row = "", ()
        if i in indexed:
            analysis, short = _analysed(result, key, _search_doc(page, section_titles, ""),
                                        cache)
            row = tuple(search.row(_search_doc(page, section_titles, short), urls.SEARCH,
                                   config.links_to_index_html))
        digest = hashlib.sha256(result.page.html.encode("utf-8")
                                + repr(result.embeds).encode("utf-8")).hexdigest()
        return _Marked(Body(key, digest), result.page.anchors, result.diagnostics,
                       result.fragments, analysis, row), asked

    for j, (made, asked) in enumerate(parallel.run(markdown_task, len(todo), jobs,
                                                   cache.flush)):
        options.progress("markdown", j + 1, len(todo))
        i = todo[j]
        marked[i] = made
        if pages[i].source in stats:
            memory.bodies.put(pages[i].url, (stats[pages[i].source], given(i), made))
            memory.asked.put(pages[i].url, asked)
    by_url: dict[str, Body] = {}
    fragments: list[markdown.FragmentCheck] = []
    anchors: dict[str, frozenset[str]] = {}
    indexed: list[str] = []
    analyses: list[str] = []
    rows = []
    for page, made in zip(pages, marked):
        assert made is not None
        by_url[page.url] = made.body
        anchors[page.url] = made.anchors
        report.add(made.diagnostics)
        fragments += made.fragments
        if made.analysis:
            indexed.append(page.url)
            analyses.append(made.analysis)
            rows.append(list(made.row))
    # a link into a translation names the original's heading ids, which the translation
    # keeps with `{#id}` (its headings have other words)
    translated = {p.url: p for e in sources.editions for p in e.pages if not p.fallback}
    report.add(markdown.check_fragments([c for c in fragments if c.url not in translated],
                                        anchors))
    report.add([problem(translated[c.url].source, translated[c.url].body_line,
                        "translation_anchor_missing", fragment=c.fragment,
                        lang=translated[c.url].lang)
                for c in fragments
                if c.url in translated and c.fragment not in anchors.get(c.url, frozenset())])
    return Bodies(by_url, indexed, analyses, rows)


# --------------------------------------------------------------------------- 5. search

def search_index(bodies: Bodies, cache: Cache, memory: Memory, jobs: int
                 ) -> search.SearchIndex:
    """The search files: the last build's index, with the entries of the pages that
    changed replaced, or made anew when pages came or went."""
    def analysis(key: str) -> search.Analysis:
        stored = cache.get(key)
        if stored is None:
            raise KeyError(key)  # (the cache was emptied: the index is made anew)
        return _entry_analysis(stored)

    docs = list(zip(bodies.indexed, bodies.analyses, bodies.rows))
    previous = memory.state.get(SEARCH_STATE)
    same = isinstance(previous, search.Index) and (previous.urls, previous.keys, previous.rows
                                                   ) == (tuple(bodies.indexed),
                                                         tuple(bodies.analyses), bodies.rows)
    store = _ShardRows(memory.shards)
    try:
        made = search.index(docs, analysis, previous, jobs, store)  # type: ignore[arg-type]
    except KeyError:
        made = search.index(docs, analysis, None, jobs, store)
    for number in range(made.buckets):  # (the shards not read this time stay)
        memory.shards.keep(str(number))
    if not same:
        memory.state.put(SEARCH_STATE, made)
    return search.published(made, urls.SEARCH)


SEARCH_STATE = "index"  # rows of memory.state: the search index,
LINKS = "links"  # and a digest of what links and figures resolved against


# --------------------------------------------------------------------------- 6. render

@dataclass(frozen=True)
class Made:
    """What making one route gave: its file (None when it failed) and its problems."""

    written: Written | None
    problems: tuple[Diagnostic, ...] = ()


class Maker:
    """Makes routes: pages from their views and templates, files from their bytes."""

    def __init__(self, config: Config, options: BuildOptions, words: dict[str, Translations],
                 contexts: dict[str, Context], envs: dict[str, jinja2.Environment],
                 found: Assets, index: search.SearchIndex, speech: spoken.Speech,
                 site_plan: Plan, cache: Cache, sink: Sink, layout_ids: frozenset[str],
                 previous: dict[str, dict[str, str]]) -> None:
        self.config, self.options, self.words = config, options, words
        self.layout_ids = layout_ids
        self.previous = previous  # the last build's digests of inputs, by language
        self.changed: dict[str, tuple[set[str], frozenset[str]]] = {}  # see _changed
        self.contexts, self.envs, self.found, self.index = contexts, envs, found, index
        self.speech, self.plan, self.cache, self.sink = speech, site_plan, cache, sink
        self.drawn: dict[tuple[str, str, str, str, bool], str] = {}  # embeds, per process
        self.fingerprint = cache_key("page", assets.MINIFY_SETTINGS, jinja2.__version__,
                                     str(options.precompress))

    # --- pages ---

    def _identity(self, route: Route) -> str:
        """What a route is, besides its inputs: its kind, address and view, and how
        pages are finished (minified, compressed)."""
        return cache_key(repr((self.fingerprint, route.kind.value, route.url, route.view)))

    def kept(self, route: Route) -> Written | None:
        """The route as the last build made it, if none of its inputs changed: each
        input it read then has the digest it had then (`previous`, by language)."""
        if route.kind in NAMED_BY_CONTENT:  # the same name, the same bytes
            return self.sink.previous(route.path)
        if route.kind is Kind.COPY:
            return self.sink.unchanged(route.path, self._copied(route))
        before = self.sink.previous(route.path)
        if before is None or not isinstance(before.info, dict) or \
                before.info.get("identity") != self._identity(route):
            return None
        reads = before.info["reads"]
        changed, known = self._changed(route.lang)
        return before if changed.isdisjoint(reads) and known.issuperset(reads) else None

    def _changed(self, lang: str) -> tuple[set[str], frozenset[str]]:
        """The inputs of one language whose digest is not what the published site was
        made from, and those it was made from: worked out once, so that checking a
        route is two set operations (not a digest per input: 2 million at 10,000
        articles)."""
        if lang not in self.changed:
            then, ctx = self.previous.get(lang, {}), self.contexts[lang]
            self.changed[lang] = ({key for key, digest in then.items()
                                   if ctx.digest(key) != digest}, frozenset(then))
        return self.changed[lang]

    def digests(self, written: list[Written]) -> dict[str, dict[str, str]]:
        """The digest of every input a route of this build read, by language (for the
        next build's `kept`)."""
        langs = {route.path: route.lang for route in self.plan.routes}
        keys: dict[str, set[str]] = {lang: set() for lang in self.contexts}
        for item in written:
            if isinstance(item.info, dict) and "reads" in item.info:
                keys[langs[item.path]].update(item.info["reads"])
        return {lang: {key: self.contexts[lang].digest(key) for key in sorted(found)}
                for lang, found in keys.items()}

    def make(self, route: Route) -> Made:
        if route.kind in FILE_KINDS:
            return self._file(route)
        ctx = self.contexts[route.lang]
        ctx.begin()
        data, problems = self._produce(ctx, route)
        problems = ctx.problems + problems
        if data is None or has_errors(problems):
            return Made(None, tuple(problems))
        info: dict[str, Any] = {"reads": tuple(sorted(ctx.reads)),
                                "identity": self._identity(route)}
        if route.is_page:
            # (an article's id that the layout's templates write is reported by Markdown)
            problems += [problem(route.source, 0, "id_twice", id=name, page=route.path)
                         for name in assets.ids_used_twice(data)
                         if name not in self.layout_ids]
            if has_errors(problems):
                return Made(None, tuple(problems))
            data = assets.minify(data)
        gz = assets.gzip_bytes(data) if route.path.endswith(assets.TEXT) else None
        if route.is_page:
            info["gz"] = len(gz or data)
            info["fetches"] = assets.fetched_paths(route.path, data)
        else:
            info["size"] = assets.sent_size(data, gz)
        fingerprint = ctx.fingerprint(info["identity"], info["reads"])
        return Made(self.sink.put(route.path, data, fingerprint, info, gz), tuple(problems))

    def _page(self, ctx: Context, route: Route, view: dict[str, Any],
              problems: list[Diagnostic]) -> tuple[bytes | None, list[Diagnostic]]:
        ctx.template(route.template)
        html, more = render.render(self.envs[route.lang or self.config.language],
                                   route.template, view, self.config.root)
        return (None if more else html), problems + more

    def _produce(self, ctx: Context, route: Route) -> tuple[bytes | None, list[Diagnostic]]:
        """A route's bytes and the problems found making them."""
        name, *args = route.view
        problems: list[Diagnostic] = []
        if name == "home":
            view = views.home(ctx)
        elif name == "section":
            view = views.section_list(ctx, args[0], args[1])
        elif name == "in_force":
            view = views.section_list(ctx, args[0], args[1], in_force=True)
        elif name == "article":
            page = ctx.page(args[0])
            script = (self._script(ctx, args[0])
                      if page.kind == "article" and not route.lang else None)
            view = views.article(ctx, args[0], script)
        elif name == "leaflet":
            view = self._leaflet(ctx, args[0])
        elif name == "leaflets":
            view = views.leaflet_index(ctx, args[0])
        elif name == "terms":
            view = views.taxonomy_index(ctx, self._taxonomy(args[0]))
        elif name == "term":
            view = views.term_list(ctx, self._taxonomy(args[0]), args[1], args[2])
        elif name == "search":
            view = views.search_page(ctx)
        elif name == "statistics":
            view = views.statistics(ctx)
        elif name == "dataset":
            view = views.dataset_page(ctx, args[0])
        elif name == "redirect":
            view = views.redirect(ctx, args[0], args[1])
        elif name == "404":
            view = views.not_found(ctx)
        elif name == "script":
            return spoken.encode(self._script(ctx, args[0]).text), problems
        elif name == "download":
            return self._download(ctx, args[0], args[1]), problems
        elif name in ("atom", "sitemap", "robots", "sw"):
            return self._crawler_file(ctx, name, args), problems
        else:
            raise ValueError(f"no view named {name!r}")
        return self._page(ctx, route, view, problems)

    def _taxonomy(self, path: str) -> Any:
        return next(t for t in self.config.taxonomies if t.path == path)

    def _script(self, ctx: Context, url: str) -> spoken.Script:
        """An article's loudspeaker script, kept in the cache by everything it is made
        from: its title, date and summary, its drawn body, and the speech settings."""
        page = ctx.page(url)
        html = ctx.body(url)
        ctx.speech()
        settings = self.speech.fingerprint()
        return pickle.loads(self.cache.memo(
            ("spoken", settings, page.title, repr(page.date), page.summary, html),
            lambda: pickle.dumps(spoken.script(dataclasses.replace(page, html=html),
                                               self.speech), pickle.HIGHEST_PROTOCOL)))

    def _leaflet(self, ctx: Context, url: str) -> dict[str, Any]:
        html = ctx.body(url, printed=True)
        outlined = self.cache.memo(("outline", html, leaflet.OUTLINE_VERSION),
                                   lambda: leaflet.outline(html).encode("utf-8")).decode("utf-8")
        address = views.full_url(ctx.config, url)
        code = ""
        if address:
            label = ctx.words("leaflet.qr_label", url=address)
            code = self.cache.memo(("qr", address, label, leaflet.QR_SETTINGS),
                                   lambda: leaflet.qr_svg(address, label).encode("utf-8")
                                   ).decode("utf-8")
        return views.leaflet(ctx, url, outlined, code)

    def _download(self, ctx: Context, dataset_id: str, kind: str) -> bytes:
        dataset = ctx.dataset(dataset_id)
        if kind == "json":
            return stats.to_json(dataset)
        words = ctx.words
        row_header = words("stats.period") if dataset.kind == "series" else \
            words("stats.category")
        return stats.to_csv(dataset, row_header, words("stats.value"))

    def _crawler_file(self, ctx: Context, name: str, args: list) -> bytes:
        config = ctx.config
        if name == "robots":
            return feeds.robots(config.base_url)
        if name == "sw":
            ctx.template("assets/sw.js")
            return assets.SERVICE_WORKER.read_bytes()
        section = args[0] if args else ""
        members = ctx.members(views.section_list_id(section) if section else ARTICLES)
        articles = [ctx.page(url) for url in members]
        if name == "sitemap":
            dated = {p.url: feeds.last_change(p) for p in articles}
            return feeds.sitemap(config.base_url, [(url, dated.get(url))
                                                   for url in ctx.members(SITEMAP)])
        if not section:
            return feeds.atom(config.title, config.base_url, "/atom.xml", "/", config.title,
                              articles)
        title = next(s.title for s in config.sections if s.name == section)
        return feeds.atom(f"{title} · {config.title}", config.base_url,
                          f"/{section}/atom.xml", f"/{section}/", config.title, articles)

    # --- files ---

    def _file(self, route: Route) -> Made:
        """A file whose bytes are known: a copy of the site's, a resized image, the search
        index's. Put when its bytes changed."""
        if route.kind is Kind.SEARCH_FILE:
            data = self.index.file(route.path)
        elif route.kind is Kind.IMAGE:
            data = self.found.resized[route.url].content
        elif route.url in self.found.pictures:
            data = self.found.pictures[route.url]
        else:
            data = (self.config.root / route.source).read_bytes()
        measured = route.kind is not Kind.SEARCH_FILE or route.path == self.index.script
        gz = assets.gzip_bytes(data) if measured and route.path.endswith(assets.TEXT) else None
        size = assets.sent_size(data, gz) if measured else None
        fingerprint = self._copied(route) if route.kind is Kind.COPY else ""
        return Made(self.sink.put(route.path, data, fingerprint, {"size": size}, gz))

    def _copied(self, route: Route) -> str:
        """What a copy is made from: its file as make(1) sees it (and how SVGs are made
        safe), so an unchanged file of static/ is not even read."""
        return repr((_stat(self.config.root / route.source), route.url in self.found.pictures,
                     svg.SETTINGS))

    # --- bodies ---

    def draw(self, ctx: Context, url: str, printed: bool) -> str:
        """A page's body with its figures, charts and pictures (embeds) drawn in by their
        templates. Figures and charts look the same on every page, so they are drawn once
        per process; pictures carry links relative to their page and are drawn each time.
        A body for print (a leaflet) has neither pictures nor charts."""
        stored = markdown.stored_body(self.cache, ctx.data.bodies[url].key)
        if stored is None:
            return ""  # its Markdown had errors: the build fails anyway
        html, embeds = stored
        by_token = {}
        for embed in embeds:
            by_token[embed.token] = self._embed(ctx, embed, url, printed)
        return markdown.fill_embeds(html, embeds, by_token)

    def _embed(self, ctx: Context, embed: markdown.Embed, page_url: str, printed: bool) -> str:
        if printed and embed.kind in ("image", "chart"):
            return ""
        if embed.kind == "image":
            template = "partials/picture.html"
            link = views.linker(ctx.config, page_url)
            view = {"image": views.picture(ctx, embed.ref, embed.arg, link, lazy=True)}
            key = None
        else:
            template = f"partials/{embed.kind}.html"
            view = {"dataset": ctx.dataset_view(embed.ref), "row": embed.arg,
                    "text": views.figure_text(ctx.dataset(embed.ref), ctx.words, embed.arg)}
            key = (ctx.lang, embed.kind, embed.ref, embed.arg, printed)
        ctx.template(template)
        if key is not None and key in self.drawn:
            return self.drawn[key]
        html, problems = render.render(self.envs[ctx.lang or self.config.language], template,
                                       view, self.config.root)
        ctx.problems.extend(problems)
        drawn = html.decode("utf-8").strip()
        if key is not None and not problems:
            self.drawn[key] = drawn
        return drawn


FILE_KINDS = frozenset({Kind.COPY, Kind.IMAGE, Kind.SEARCH_FILE})
NAMED_BY_CONTENT = frozenset({Kind.IMAGE, Kind.SEARCH_FILE})
ARTICLES = "articles"  # list id: the site's own articles, for feeds and the sitemap
SITEMAP = "sitemap"  # list id: every page the sitemap lists


def _related(articles: list[Page], terms: dict[str, list[Term]], cache: Cache
             ) -> dict[str, tuple[str, ...]]:
    """Each article's related articles (taxonomy.related), by URL, kept in the cache by
    what they are chosen from: the terms' members, newest first, with their dates and
    titles (0.2 s of a one-article build at 1,000 articles, made again every time)."""
    chosen_from = repr(([p.url for p in articles],
                        [(t.taxonomy, t.slug, [(p.url, p.date, p.title) for p in t.pages])
                         for ts in terms.values() for t in ts]))

    def compute() -> bytes:
        found = taxonomy.related(articles, [t for ts in terms.values() for t in ts])
        return pickle.dumps({url: tuple(p.url for p in pages) for url, pages in found.items()},
                            pickle.HIGHEST_PROTOCOL)

    return pickle.loads(cache.memo(("related", taxonomy.RELATED_SETTINGS, chosen_from),
                                   compute))


def _site_data(config: Config, options: BuildOptions, words: dict[str, Translations],
               sources: Sources, bodies: Bodies, found: Assets, files: content.SiteFiles,
               site_plan: Plan, index: search.SearchIndex, speech: spoken.Speech,
               templates: dict[str, str], cache: Cache) -> dict[str, SiteData]:
    """What views may read, for each language."""
    article_pages = [p for p in sources.articles if p.kind == "article"]
    related = _related(article_pages, sources.terms, cache)
    names = tuple((lang, w("language.name")) for lang, w in words.items())
    versions = languages.versions(config.language, list(sources.pages), list(sources.editions))
    icon_svg = found.pictures.get("/favicon.svg", b"")
    icon = (assets.svg_data_uri(icon_svg) if 0 < len(icon_svg) <= assets.ICON_INLINE_MAX
            else next((f for f in views.ICONS if f in files.assets), ""))
    term_urls = {path: {t.slug: t.url for t in ts} for path, ts in sources.terms.items()}
    sitemap = tuple(sorted({r.url for r in site_plan.routes if r.listed}))
    shared = dict(today=options.today, terms=sources.terms, term_urls=term_urls,
                  versions=versions, languages=names, images=found.images,
                  datasets=found.datasets, bodies=bodies.by_url, icon=icon,
                  search=("/" + index.script, tuple(sorted(index.settings.items()))),
                  speech=speech.fingerprint(), templates=templates)

    def site_data(lang: str, lang_config: Config, pages: tuple[Page, ...], home: Page,
                  sections: tuple[Page, ...], lists: dict[str, tuple[str, ...]],
                  related: dict[str, tuple[str, ...]]) -> SiteData:
        data_views = {d.id: views.dataset(d, found.charts[d.id], words[lang or config.language])
                      for d in found.datasets.values()}
        return SiteData(config=lang_config, words=words[lang or config.language], lang=lang,
                        pages={p.url: p for p in pages}, home_url=home.url,
                        section_urls=tuple(s.url for s in sections), lists=lists,
                        related=related, dataset_views=data_views, **shared)

    own_lists = {**site_plan.lists[""], ARTICLES: tuple(p.url for p in article_pages),
                 SITEMAP: sitemap}
    made = {"": site_data("", config, sources.pages, sources.home, sources.sections,
                          own_lists, related)}
    for edition, lang in zip(sources.editions, config.languages):
        copy = {o.url: p.url for o, p in zip(sources.pages, edition.pages)}
        made[edition.lang] = site_data(
            edition.lang, languages.edition_config(config, lang, copy), edition.pages,
            edition.home, edition.sections, site_plan.lists[edition.lang],
            {copy[url]: tuple(copy[other] for other in others)
             for url, others in related.items()})
    return made


def render_routes(site_plan: Plan, maker: Maker, options: BuildOptions, jobs: int,
                  report: Report) -> tuple[list[Written], list[PageWeight], int]:
    """Every route made, or kept where its inputs did not change; the pages' weights."""
    written: list[Written] = []
    to_make: list[Route] = []
    for route in site_plan.routes:
        kept = maker.kept(route)
        if kept is None:
            to_make.append(route)
        else:
            written.append(kept)

    made: dict[str, Made] = {}
    for i, result in enumerate(parallel.run(lambda i: maker.make(to_make[i]), len(to_make),
                                            jobs, maker.cache.flush)):
        options.progress("pages", i + 1, len(to_make))
        made[to_make[i].path] = result
        report.add(result.problems)
        if result.written is not None:
            written.append(result.written)
            if to_make[i].kind not in FILE_KINDS:
                report.rendered.append(to_make[i].path)
    # what every page costs a reader: its HTML, and what it makes the phone fetch
    by_path = {w.path: w for w in written}
    sizes = {}
    for route in site_plan.routes:
        if not route.is_page and route.path in by_path:
            info = by_path[route.path].info
            size = info.get("size") if isinstance(info, dict) else None
            if size is not None:
                sizes[route.path] = size
    weights = []
    pages = 0
    for route in site_plan.routes:
        if route.is_page and route.path in by_path and route.kind is not Kind.REDIRECT:
            pages += 1
            info = by_path[route.path].info
            weights.append(assets.page_weight(route.source, route.path, info["gz"],
                                              info["fetches"], sizes))
    return written, weights, pages


# --------------------------------------------------------------------------- the build

def build(config: Config, options: BuildOptions, translations: Translations,
          sink: Sink, memory: Memory | None = None) -> BuildResult:
    """`memory`: what earlier builds in this process remembered (serve keeps it); by
    default, what the cache remembers."""
    report = Report()
    cache = memory.reads.cache if memory else Cache(options.cache_dir, options.cache_also)
    memory = memory or Memory.of(cache)
    # Workers hand their cache entries over through the cache file; with no cache file
    # (a cache in memory), everything runs in this process.
    jobs = options.jobs if cache.folder is not None else 1

    files, sources = read(config, options, cache, memory, jobs, report)
    found = load_assets(config, files, cache, report)
    site_plan = make_plan(config, sources, files, found, options, report)
    sources, links = link_pages(sources, site_plan, files, report)
    words = {config.language: translations, **{
        e.lang: i18n.load(e.lang, config.root, fallback=translations) for e in sources.editions}}
    envs = {lang: render.environment(config.root, w) for lang, w in words.items()}
    layout = render.theme_names(envs[config.language])  # ids and classes articles may not use
    bodies = render_markdown(config, sources, files, found, links, layout, cache, memory,
                             options, jobs, report)
    index = search_index(bodies, cache, memory, jobs)
    site_plan = plan.with_search(site_plan, list(index.paths))
    speech = spoken.Speech(translations, found.glossary,
                           spoken.STYLES[config.loudspeaker_numbers], config.title)
    data = _site_data(config, options, words, sources, bodies, found, files, site_plan, index,
                      speech, render.template_digests(envs[config.language]), cache)
    # (the digests of the inputs the published site was made from: kept with it)
    previous = sink.made_from if not report.failed else None
    maker = Maker(config, options, words, {}, envs, found, index, speech, site_plan, cache,
                  Nowhere() if report.failed else sink, layout.ids.names,
                  previous if isinstance(previous, dict) else {})
    maker.contexts = {lang: Context(d, maker.draw) for lang, d in data.items()}
    for lang, ctx in maker.contexts.items():  # a template's t() is a read of its own
        envs[lang or config.language].globals["t"] = ctx.words
    written, weights, pages = render_routes(site_plan, maker, options, jobs, report)
    report.add(assets.check_budgets(weights, config.budgets))
    memory.save()
    cache.flush()
    diagnostics = tuple(sorted(set(report.diagnostics)))
    if report.failed:
        return BuildResult((), diagnostics)
    return BuildResult(tuple(written), diagnostics, pages=pages, weights=tuple(weights),
                       rendered=tuple(report.rendered), made_from=maker.digests(written))


# --------------------------------------------------------------------------- up to date

def _tool_folders() -> list[Path]:
    """Loa's own files a build reads: its code, its theme and its words."""
    return [Path(__file__).resolve().parent, render.THEME_DIR, i18n.BUILTIN_DIR]


DEPENDENCIES = ("markdown", "jinja2", "nh3", "minify-html", "pillow", "brotli", "pyyaml",
                "python-slugify", "text-unidecode", "segno")


def inputs_key(config: Config, options: BuildOptions) -> str:
    """A hash of everything a build reads, each file by its name, size and time (as
    make(1) sees files), of the configuration and of how the build was asked for: two
    builds with the same key write the same bytes."""
    parts = [repr(config), repr((options.today, options.drafts, options.future,
                                 options.precompress))]
    parts += [f"{name} {metadata.version(name)}" for name in DEPENDENCIES]
    folders = [config.root / name for name in ("content", "static", "data", "templates", "i18n")]
    for folder in [*folders, *_tool_folders()]:
        for where, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(f for f in subfolders if f != "__pycache__")
            # folders by name (a new folder, or a link to one, is a change), files by
            # size and time (of what a link points at)
            parts += [os.path.join(where, name) + "/" for name in subfolders]
            for name in sorted(names):
                path = os.path.join(where, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    stat = None
                parts.append(f"{path}\0{stat and (stat.st_size, stat.st_mtime_ns)}")
    site_config = config.root / CONFIG_FILE
    parts.append(repr(site_config.stat().st_mtime_ns if site_config.exists() else 0))
    return cache_key("inputs", *parts)
