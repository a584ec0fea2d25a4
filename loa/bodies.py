"""Bodies: every page's Markdown made HTML (into the cache), what each article adds to
the search index, and the index itself.

A page whose file did not change, and whose every link and figure still resolves as it
did, is not read or rendered again (its record in `Memory` says it all); the search
index is updated in place where only some documents changed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from dataclasses import dataclass
from typing import Any

from . import content, languages, markdown, parallel, search, urls
from .cache import Cache
from .cache import key as cache_key
from .context import Body
from .errors import Diagnostic, Report, problem
from .memory import LINKS, SEARCH_STATE, Memory, ShardRows, file_stat
from .models import BuildOptions, Config, Page
from .plan import Assets, Sources

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
    stats = {path: file_stat(file) for path, file in files.markdown}
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
            # a policy out of force says so in results too (on the day of this build)
            status = content.policy_status(page, options.today) if "number" in page.params \
                else "in_force"
            rows.append(list(made.row) + ([] if status == "in_force" else [status]))
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

def search_index(bodies: Bodies, cache: Cache, memory: Memory, jobs: int, script: str
                 ) -> search.SearchIndex:
    """The search files: the last build's index, with the entries of the pages that
    changed replaced, or made anew when pages came or went; `script`: the search
    script's source, as the site has it."""
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
    store = ShardRows(memory.shards)
    try:
        made = search.index(docs, analysis, previous, jobs, store)  # type: ignore[arg-type]
    except KeyError:
        made = search.index(docs, analysis, None, jobs, store)
    for number in range(made.buckets):  # (the shards not read this time stay)
        memory.shards.keep(str(number))
    if not same:
        memory.state.put(SEARCH_STATE, made)
    return search.published(made, urls.SEARCH, script)
