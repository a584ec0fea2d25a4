"""The whole build as one straight function. It hands every file to a sink.

    discover + read ─► datasets, images, charts ─► check URLs
        ─► Markdown (workers) ─► check links ─► assemble the site ─► search index
        ─► files ─► pages (workers) ─► budgets ─► BuildResult

Every stage returns diagnostics instead of stopping, so one run reports every
problem; the caller decides whether what the sink holds may be published.

Markdown and pages are rendered in forked worker processes (`parallel`), which
send back only what the parent needs (anchors, problems, search terms, page
sizes): no rendered page stays in memory. Work is skipped where its inputs did
not change: a body's HTML comes from the cache while every link it looked up
still resolves the same way, and a page whose view and templates are unchanged
is kept as the sink has it (see `output.Staging`).
"""
from __future__ import annotations

import dataclasses
import os
import pickle
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Protocol

import jinja2

from . import (assets, charts, content, feeds, i18n, languages, leaflet, markdown,
               pagination, parallel, render, search, spoken, stats, taxonomy, urls, views)
from .errors import ERROR, WARNING, Diagnostic, has_errors, problem
from .i18n import Translations
from .cache import Cache
from .cache import key as cache_key
from .config import CONFIG_FILE
from .models import (BuildOptions, BuildResult, Config, Dataset, OutputFile, Page,
                     Site, Term, Written)
from .text import short_figure


class Sink(Protocol):
    """Where the build puts files: output.Staging, or Nowhere (for `check`)."""

    def reuse(self, path: str, fingerprint: str) -> Written | None: ...

    def put(self, path: str, content: bytes, fingerprint: str = "", info: Any = None,
            gz: bytes | None = None) -> Written: ...


class Nowhere:
    """A sink that keeps nothing: for `check`, and for a build that has already failed
    (its pages are still rendered, to report every problem, but go nowhere)."""

    def reuse(self, path: str, fingerprint: str) -> Written | None:
        return None

    def put(self, path: str, content: bytes, fingerprint: str = "", info: Any = None,
            gz: bytes | None = None) -> Written:
        return Written(path, fingerprint, info)


def _default_page(kind: str, url: str, title: str, section: str = "") -> Page:
    source = f"content/{section}/_index.md" if section else "content/_index.md"
    return Page(kind=kind, source=source, section=section, slug=section, url=url, title=title)


def _resolve_front_matter_files(page: Page, links: urls.LinkIndex
                                ) -> tuple[Page, list[Diagnostic]]:
    """`image` and `attachment` must name files of the site; keep their site paths."""
    found: list[Diagnostic] = []
    changes: dict = {}
    source = page.source.removeprefix("content/")
    for field in ("image", "attachment"):
        value = page.image if field == "image" else page.params.get(field, "")
        if not value:
            continue
        target, _ = links.resolve(value, source)
        if target is None or target.is_page:
            found.append(problem(page.source, page.lines.get(field, 1), "file_missing",
                                 field=field, target=value))
        elif field == "image":
            changes["image"] = target.url
        else:
            changes["params"] = {**page.params, field: target.url}
    return dataclasses.replace(page, **changes), found


def _claims(config: Config, everything: list[Page], articles: list[Page], files: content.SiteFiles,
            data: dict[str, Dataset], terms: dict[str, list[Term]]
            ) -> tuple[list[tuple[str, str, int]], list[Diagnostic]]:
    """Every output path the site will write, with who claims it (for collisions)."""
    found: list[Diagnostic] = []
    claims = [(urls.output_path(p.url), p.source, 1) for p in everything]
    # loudspeaker scripts, one per address (two articles at one address are reported
    # once, by their pages)
    scripts = {p.url: p for p in reversed(articles) if p.kind == "article"}
    claims += [(urls.output_path(url + spoken.FILE), p.source, 1) for url, p in scripts.items()]
    claims.append((urls.output_path(urls.SEARCH), CONFIG_FILE, 0))
    for path, its_terms in terms.items():
        claims.append((urls.output_path(f"/{path}/"), CONFIG_FILE, 0))
        claims += [(urls.output_path(t.url), t.pages[0].source, 1) for t in its_terms]
    if config.base_url:
        claims += [(path, CONFIG_FILE, 0) for path in feed_paths(config)]
    claims += [(urls.output_path(urls.in_force_url(s.name)), CONFIG_FILE, 0)
               for s in config.sections if s.type == "policy"]
    claims += [(urls.output_path("/404.html"), "templates/404.html", 0),
               (urls.output_path(urls.SERVICE_WORKER), "templates/assets/sw.js", 0)]
    # (two articles with one URL are reported once, not again for their leaflets)
    leaflets = {p.url: p for p in reversed(articles) if urls.has_leaflet(config, p)}
    claims += [(urls.output_path(urls.leaflet_url(url)), p.source, 1)
               for url, p in sorted(leaflets.items())]
    if leaflets:
        claims.append((urls.output_path(urls.LEAFLETS), CONFIG_FILE, 0))
    for page in articles:
        for alias in page.aliases:
            path = urls.output_path(urls.alias_url(alias))
            if not urls.is_safe_output_path(path):
                found.append(problem(page.source, page.lines.get("aliases", 1), "alias_unsafe",
                                     value=alias))
            else:
                claims.append((path, page.source, page.lines.get("aliases", 1)))
    claims += [(site_path.lstrip("/"), path.relative_to(config.root).as_posix(), 1)
               for site_path, path in files.assets.items()]
    if data:
        claims.append((urls.output_path(f"/{config.stats_path}/"), "site_config.yaml", 0))
    for dataset in data.values():
        for download in ("", "csv", "json"):
            url = urls.dataset_url(config.stats_path, dataset.id, download)
            claims.append((urls.output_path(url), dataset.path, dataset.line))
    return claims, found


def _crawler_files(config: Config, articles: list[Page], jobs: list[Job],
                   files: content.SiteFiles) -> list[OutputFile]:
    """robots.txt (unless the site has its own), and with base_url the Atom feeds of the
    site and of each section, and sitemap.xml listing every page once."""
    made = []
    if "/robots.txt" not in files.assets:
        made.append(OutputFile("robots.txt", feeds.robots(config.base_url)))
    if not config.base_url:
        return made
    made.append(OutputFile("atom.xml", feeds.atom(config.title, config.base_url, "/atom.xml", "/",
                                                  config.title, articles)))
    for section in config.sections:
        members = [p for p in articles if p.section == section.name]
        made.append(OutputFile(f"{section.name}/atom.xml", feeds.atom(
            f"{section.title} · {config.title}", config.base_url, f"/{section.name}/atom.xml",
            f"/{section.name}/", config.title, members)))
    dated = {p.url: feeds.last_change(p) for p in articles}
    made.append(OutputFile("sitemap.xml", feeds.sitemap(config.base_url, [
        (job.url, dated.get(job.url)) for job in jobs
        if job.listed and job.template not in ("redirect.html", "404.html")])))
    return made


def feed_paths(config: Config) -> list[str]:
    """Output paths of the files made only when base_url is known."""
    return ["atom.xml", "sitemap.xml"] + [f"{s.name}/atom.xml" for s in config.sections]


def _page_urls(config: Config, everything: list[Page], data: dict[str, Dataset],
               terms: dict[str, list[Term]]) -> set[str]:
    """Every page the site will have, for links and menu entries to point at."""
    found = {p.url for p in everything} | {urls.SEARCH}
    found |= {f"/{path}/" for path in terms} | {t.url for ts in terms.values() for t in ts}
    if data:
        found |= {f"/{config.stats_path}/"}
        found |= {urls.dataset_url(config.stats_path, d) for d in data}
    leaflets = {urls.leaflet_url(p.url) for p in everything if urls.has_leaflet(config, p)}
    return found | leaflets | ({urls.LEAFLETS} if leaflets else set())


def _check_config_links(config: Config, data: dict[str, Dataset], known: set[str],
                        data_problems: list[Diagnostic]) -> list[Diagnostic]:
    """Key figures name real datasets (and rows); menu entries name real pages."""
    found = []
    broken_files = {d.path for d in data_problems}
    for figure in config.key_figures:
        dataset = data.get(figure.stat)
        file = f"{stats.DATA}/{figure.stat.split('.')[0]}.yaml"
        if dataset is None and file not in broken_files:
            found.append(problem("site_config.yaml", figure.line, "key_figure_unknown",
                                 stat=figure.stat, known=", ".join(sorted(data)) or "-"))
        elif dataset and dataset.value(figure.row) is None:
            found.append(problem("site_config.yaml", figure.line, "shortcode_row",
                                 dataset=figure.stat, row=figure.row,
                                 known=", ".join(label for label, _ in dataset.rows)))
        elif dataset and dataset.kind == "by" and not figure.row:
            found.append(problem("site_config.yaml", figure.line, "key_figure_needs_row",
                                 stat=figure.stat, example=dataset.rows[0][0]))
    for item in config.menu:
        url = urls.alias_url(item.url) if item.url != "/" else "/"
        if url not in known:
            found.append(problem("site_config.yaml", item.line, "menu_unknown", url=item.url))
    return found




@dataclass(frozen=True)
class Job:
    """One output page: where it goes, who answers for it, and how its view is made."""

    url: str
    source: str  # the file a problem with the page is reported against
    template: str
    view: Callable[[], tuple[dict[str, Any], list[Diagnostic]]]  # run in a worker
    lang: str = ""  # the edition it belongs to (its words); "" for the site's own language
    listed: bool = True  # in sitemap.xml (not an untranslated copy)


@dataclass(frozen=True)
class _Marked:
    """What a Markdown worker sends back for one page: never the HTML itself (that stays
    in the cache, under `key`, until the page's own worker draws it)."""

    key: str
    anchors: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    fragments: tuple[markdown.FragmentCheck, ...]
    analysis: str  # cache key of its search.Analysis; "" for the home page and sections
    text_summary: str  # the body's opening words, for a result with no summary


class _Bodies:
    """A page's body as its view needs it: Markdown's HTML from the cache, with the
    figures, charts and pictures (embeds) drawn in by their templates.

    Figures and charts look the same on every page, so they are drawn once per
    process; pictures carry links relative to their page and are drawn each time.
    A body for print (a leaflet) has neither pictures nor charts."""

    def __init__(self, cache: Cache, keys: dict[str, str], env: Any, shared: views.Shared) -> None:
        self.cache, self.keys, self.env, self.shared = cache, keys, env, shared
        self.made: dict[tuple[str, str, str, bool], str] = {}

    def _draw(self, embed: markdown.Embed, page_url: str, printed: bool
              ) -> tuple[str, list[Diagnostic]]:
        key = (embed.kind, embed.ref, embed.arg, printed)
        if key in self.made:
            return self.made[key], []
        shared = self.shared
        if printed and embed.kind in ("image", "chart"):
            return "", []
        if embed.kind == "image":
            link = views.linker(shared.site, page_url)
            view = {"image": views.picture(shared, embed.ref, embed.arg, link, lazy=True)}
            template = "partials/picture.html"
        else:
            view = {"dataset": shared.data[embed.ref], "row": embed.arg,
                    "text": views.figure_text(shared.site.data[embed.ref], shared.words,
                                              embed.arg)}
            template = f"partials/{embed.kind}.html"
        html, problems = render.render(self.env, template, view, shared.site.config.root)
        drawn = html.decode("utf-8").strip()
        if embed.kind != "image":
            self.made[key] = drawn
        return drawn, problems

    def __call__(self, page: Page, printed: bool = False) -> tuple[Page, list[Diagnostic]]:
        stored = markdown.stored_body(self.cache, self.keys.get(page.url, ""))
        if stored is None:
            return page, []  # its Markdown had errors: the build fails anyway
        html, embeds = stored
        found: list[Diagnostic] = []
        by_token = {}
        for embed in embeds:
            by_token[embed.token], problems = self._draw(embed, page.url, printed)
            found += problems
        return dataclasses.replace(page, html=markdown.fill_embeds(html, embeds, by_token)), found


def _read(path: str, file: Path, config: Config, options: BuildOptions, asked: str,
          cache: Cache) -> tuple[Page | None, list[Diagnostic]]:
    """One Markdown file's page (front matter only: the body is read again by the worker
    that renders it) and its problems; kept in the cache by the file's text and `asked`
    (the configuration and the options that decide what a page is)."""
    source, found = content.read_source(path, file)
    if source is None:
        return None, found
    entry_key = cache_key("front matter", path, source.text, asked)
    stored = cache.get(entry_key)
    if stored is not None:
        return pickle.loads(stored)
    page, problems = content.read_page(source, config, options)
    read = (dataclasses.replace(page, body="") if page else None, found + problems)
    cache.put(entry_key, pickle.dumps(read, pickle.HIGHEST_PROTOCOL))
    return read


def _qr_code(url: str, label: str, cache: Cache) -> str:
    """The QR code of `url` as inline SVG, kept in the cache (choosing its mask pattern
    costs a few milliseconds, a page's view is made on every build)."""
    entry_key = cache_key("qr", url, label, leaflet.QR_SETTINGS)
    stored = cache.get(entry_key)
    if stored is not None:
        return stored.decode("utf-8")
    drawn = leaflet.qr_svg(url, label)
    cache.put(entry_key, drawn.encode("utf-8"))
    return drawn


def _outline(html: str, cache: Cache) -> str:
    """A leaflet's body, kept in the cache by its article's (a page's view is made on
    every build, and parsing the body costs about 2 ms)."""
    entry_key = cache_key("outline", html, leaflet.OUTLINE_VERSION)
    stored = cache.get(entry_key)
    if stored is not None:
        return stored.decode("utf-8")
    outlined = leaflet.outline(html)
    cache.put(entry_key, outlined.encode("utf-8"))
    return outlined


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


def _script(page: Page, speech: spoken.Speech, settings: str, cache: Cache) -> spoken.Script:
    """An article's loudspeaker script, kept in the cache by everything it is made from:
    its title, date and summary, its drawn body, and the speech settings."""
    entry_key = cache_key("spoken", settings, page.title, repr(page.date), page.summary,
                          page.html)
    stored = cache.get(entry_key)
    if stored is not None:
        return pickle.loads(stored)
    script = spoken.script(page, speech)
    cache.put(entry_key, pickle.dumps(script, pickle.HIGHEST_PROTOCOL))
    return script


def _search_index(analyses: list[str], rows: list[list[str]], cache: Cache, jobs: int
                  ) -> search.SearchIndex:
    """The search files, from the cache when no page's entry changed."""
    index_key = cache_key("search-index", repr(rows), *analyses)
    stored = cache.get(index_key)
    if stored is not None:
        return pickle.loads(stored)
    postings = search.Postings()
    for entry_key in analyses:
        stored = cache.get(entry_key)
        assert stored is not None, "a search entry left the cache during the build"
        postings.add(_entry_analysis(stored))
    finder = search.encode(postings, rows, urls.SEARCH, jobs=jobs)
    cache.put(index_key, pickle.dumps(finder, pickle.HIGHEST_PROTOCOL))
    return finder


def _fingerprints(env: Any, words: dict[str, Translations], options: BuildOptions) -> str:
    """Everything besides its view that a page's bytes depend on."""
    return cache_key("page", render.fingerprint(env),
                     *(repr(sorted(w.strings.items())) for w in words.values()),
                     assets.MINIFY_SETTINGS, jinja2.__version__, str(options.precompress))


def _edition_links(edition: languages.Edition, originals: list[Page], links: urls.LinkIndex
                   ) -> urls.LinkIndex:
    """Links as an edition's pages resolve them: a link to an article's source leads to
    the article in the same language (translated or not)."""
    by_source = {o.source.removeprefix("content/"): p.url
                 for o, p in zip(originals, edition.pages)}
    by_source.update({p.source.removeprefix("content/"): p.url
                      for p in edition.pages if not p.fallback})
    return dataclasses.replace(links, by_source=by_source)


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


def build(config: Config, options: BuildOptions, translations: Translations,
          sink: Sink) -> BuildResult:
    found: list[Diagnostic] = []
    cache = Cache(options.cache_dir, options.cache_also)
    # Workers hand their cache entries over through the cache folder; with no folder
    # (a cache in memory), everything runs in this process.
    jobs = options.jobs if cache.folder is not None else 1

    # 1. Read every file; drafts and future pages drop out here.
    files, problems = content.discover(config)
    found += problems
    pages: list[Page] = []
    asked = repr((config, options.today, options.drafts, options.future))

    def read_task(i: int) -> tuple[Page | None, list[Diagnostic]]:
        return _read(*files.markdown[i], config, options, asked, cache)

    for page, problems in parallel.run(read_task, len(files.markdown), jobs):
        found += problems
        if page:
            pages.append(page)
    translated = [p for p in pages if p.original]
    pages = [p for p in pages if not p.original]
    by_kind = {kind: sorted((p for p in pages if p.kind == kind), key=lambda p: p.url)
               for kind in ("home", "section", "article", "page")}
    home = next(iter(by_kind["home"]), None) or _default_page("home", "/", config.title)
    given = {p.section: p for p in by_kind["section"]}
    sections = [given.get(s.name) or _default_page("section", urls.section_url(s.name), s.title,
                                                   s.name) for s in config.sections]
    articles = sorted(by_kind["article"] + by_kind["page"], key=lambda p: p.url)
    terms = {t.path: taxonomy.terms(by_kind["article"], t) for t in config.taxonomies}
    # the other languages: each page translated, or shown as it is with a notice
    editions, problems = languages.editions(config, home, sections, articles, translated,
                                            {path for path, _ in files.markdown})
    found += problems
    leaflet_pages = [p for p in articles if urls.has_leaflet(config, p)]
    if not config.base_url:
        found.append(problem(CONFIG_FILE, 1, "base_url_missing", level=WARNING))
        if leaflet_pages:
            found.append(problem(CONFIG_FILE, 1, "leaflet_no_qr", level=WARNING,
                                 count=len(leaflet_pages)))

    # 2. Datasets with their charts, and images resized for phones.
    data, data_problems = stats.load(config.root)
    found += data_problems
    glossary, problems = spoken.load_glossary(config.root)  # for loudspeaker scripts
    found += problems
    pictures, problems = assets.clean_svgs(files.assets, config.root)  # no script in an SVG
    found += problems
    images, image_outputs, problems = assets.process_images(files.assets, pictures,
                                                            config.root, cache)
    found += problems
    svgs = {d.id: charts.chart(d, lambda v, unit=d.unit: short_figure(v, unit))
            for d in data.values()}
    for dataset in data.values():
        size = len(svgs[dataset.id].encode("utf-8"))
        if size > config.budgets.chart_bytes:
            found.append(problem(dataset.path, dataset.line, "chart_over_budget", size=size,
                                 budget=config.budgets.chart_bytes, rows=len(dataset.rows)))

    # 3. Every output path is claimed once; the configuration points at real things.
    everything = [home, *sections, *articles]
    edition_pages = [p for e in editions for p in e.pages]
    claims, problems = _claims(config, everything + edition_pages, articles, files, data, terms)
    claims += [(o.path, "static/" + o.path, 0) for o in image_outputs]
    found += problems + urls.collisions(claims)
    known_pages = _page_urls(config, everything + edition_pages, data, terms)
    found += _check_config_links(config, data, known_pages | set(files.assets), data_problems)

    # 4. Markdown to HTML, in workers; links between pages and shortcodes are checked.
    links = urls.LinkIndex(
        by_source={p.source.removeprefix("content/"): p.url for p in everything},
        pages=frozenset(known_pages),
        files=frozenset(files.assets))

    def resolved(pages: list[Page]) -> list[Page]:
        made = []
        for page in pages:
            page, problems = _resolve_front_matter_files(page, links)
            found.extend(problems)
            made.append(page)
        return made

    everything = resolved(everything)
    home, sections, articles = everything[0], everything[1:1 + len(sections)], \
        everything[1 + len(sections):]
    editions = [e.replaced(resolved(list(e.pages))) for e in editions]
    edition_pages = [p for e in editions for p in e.pages]
    # every page to render, with the links its body resolves against
    rendered = everything + edition_pages
    page_links = [links] * len(everything)
    for edition in editions:
        page_links += [_edition_links(edition, everything, links)] * len(edition.pages)
    digests = {d.id: cache_key(pickle.dumps(d, pickle.HIGHEST_PROTOCOL)) for d in data.values()}
    section_titles = {s.section: s.title for s in sections}
    first_article = 1 + len(sections)
    words = {config.language: translations, **{
        e.lang: i18n.load(e.lang, config.root, fallback=translations) for e in editions}}
    envs = {lang: render.environment(config.root, w) for lang, w in words.items()}
    layout = render.theme_names(envs[config.language])  # ids and classes articles may not use
    converters: dict[int, markdown.Converter] = {}  # one per process
    on_disk = dict(files.markdown)  # a page's source (NFC) -> its file, named as on disk

    def markdown_task(i: int) -> _Marked:
        page = rendered[i]
        page = dataclasses.replace(page, body=content.read_body(page, on_disk.get(page.source)))
        converter = converters.get(os.getpid()) or converters.setdefault(
            os.getpid(), markdown.Converter(layout))
        result, key = converter.render_cached(page, page_links[i], config.links_to_index_html,
                                              data, digests, cache)
        analysis, short = "", ""
        if first_article <= i < len(everything):  # (search knows the site's own language)
            analysis, short = _analysed(result, key, _search_doc(page, section_titles, ""), cache)
        return _Marked(key, result.page.anchors, result.diagnostics, result.fragments,
                       analysis, short)

    analyses: list[str] = []
    body_keys: dict[str, str] = {}
    fragments: list[markdown.FragmentCheck] = []
    anchors: dict[str, frozenset[str]] = {}
    rows = []
    for i, marked in enumerate(parallel.run(markdown_task, len(rendered), jobs)):
        options.progress("markdown", i + 1, len(rendered))
        page = rendered[i]
        body_keys[page.url] = marked.key
        anchors[page.url] = marked.anchors
        found += marked.diagnostics
        fragments += marked.fragments
        if marked.analysis:
            analyses.append(marked.analysis)
            doc = _search_doc(page, section_titles, marked.text_summary)
            rows.append(search.row(doc, urls.SEARCH, config.links_to_index_html))
    # a link into a translation names the original's heading ids, which the translation
    # keeps with `{#id}` (its headings have other words)
    copies_translated = {p.url: p for p in edition_pages if not p.fallback}
    found += markdown.check_fragments([c for c in fragments if c.url not in copies_translated],
                                      anchors)
    found += [problem(copies_translated[c.url].source, copies_translated[c.url].body_line,
                      "translation_anchor_missing", fragment=c.fragment,
                      lang=copies_translated[c.url].lang)
              for c in fragments
              if c.url in copies_translated and c.fragment not in anchors.get(c.url, frozenset())]

    # 5. Assemble the site: sections with their members, newest first; tags, places and
    # related articles; the search index; the same for each other language.
    env = envs[config.language]
    site = Site(config=config, pages=tuple(articles), sections=tuple(sections), home=home,
                data=data, files=tuple(sorted(files.assets)))
    article_pages = [p for p in articles if p.kind == "article"]
    # (terms were made in step 1: lists show a page's title, date and summary, which
    # resolving its image and attachment in step 4 does not change)
    related = taxonomy.related(article_pages, [t for ts in terms.values() for t in ts])
    names = tuple((lang, w("language.name")) for lang, w in words.items())
    versions = languages.versions(config.language, everything, editions)

    icon_svg = pictures.get("/favicon.svg", b"")
    icon = assets.svg_data_uri(icon_svg) if 0 < len(icon_svg) <= assets.ICON_INLINE_MAX else ""

    def shared_for(lang: str, site: Site, related: dict[str, tuple[Page, ...]]) -> views.Shared:
        data_views = {d.id: views.dataset(d, svgs[d.id], words[lang]) for d in data.values()}
        return views.Shared(site, words[lang], options.today, data_views, images, terms, related,
                            lang="" if lang == config.language else lang, languages=names,
                            versions=versions, icon=icon)

    shared = shared_for(config.language, site, related)
    finder = _search_index(analyses, rows, cache, jobs)
    speech = spoken.Speech(translations, glossary, spoken.STYLES[config.loudspeaker_numbers],
                           config.title)
    spoken_settings = speech.fingerprint()

    # 6. One job per output page; its view is made in the worker that renders it.
    def plain(make: Callable[[], dict[str, Any]]) -> Callable[[], tuple[dict, list]]:
        return lambda: (make(), [])

    def site_jobs(shared: views.Shared) -> list[Job]:
        """The home page, the sections' lists and the articles of one language (and, for
        the site's own, the articles' leaflets)."""
        site, lang = shared.site, shared.lang
        bodies = _Bodies(cache, body_keys, envs[lang or config.language], shared)
        members = {s.name: sorted((p for p in site.pages if p.section == s.name),
                                  key=content.sort_key(s.sort)) for s in config.sections}

        def with_body(page: Page, make: Callable[[Page], dict[str, Any]], printed: bool = False
                      ) -> Callable[[], tuple[dict, list]]:
            def view() -> tuple[dict, list]:
                drawn, problems = bodies(page, printed)
                return make(drawn), problems
            return view

        def leaflet_view(page: Page) -> dict[str, Any]:
            address = views.full_url(shared, page.url)
            code = _qr_code(address, translations("leaflet.qr_label", url=address),
                            cache) if address else ""
            return views.leaflet(shared, page, _outline(page.html, cache), code)

        def home_view(page: Page) -> dict[str, Any]:
            here = dataclasses.replace(shared, site=dataclasses.replace(site, home=page))
            return views.home(here, {k: v[:config.home_latest] for k, v in members.items()})

        home = site.home
        made = [Job(home.url, home.source, "home.html", with_body(home, home_view), lang)]
        for s in site.sections:
            for pager in pagination.paginate(members[s.section], config.items_per_page, s.url):
                make = (lambda page, pager=pager: views.section_list(shared, page, pager))
                made.append(Job(pager.url, s.source, "section.html",
                                with_body(s, make) if pager.number == 1 else plain(
                                    lambda s=s, make=make: make(s)), lang))
            if config.section(s.section).type == "policy" and not lang:  # those in force
                in_force = [p for p in members[s.section]
                            if content.policy_status(p, options.today) == "in_force"]
                made += [Job(pager.url, s.source, "section.html", plain(
                    lambda s=s, pager=pager: views.section_list(shared, s, pager, in_force=True)))
                    for pager in pagination.paginate(in_force, config.items_per_page,
                                                     urls.in_force_url(s.section))]
        def article_view(page: Page) -> dict[str, Any]:
            """An article's view, with its loudspeaker script (page_task puts it beside);
            scripts are read in Vietnamese, so only the site's own articles have one."""
            script = (_script(page, speech, spoken_settings, cache)
                      if page.kind == "article" and not lang else None)
            return views.article(shared, page, script)

        made += [Job(p.url, p.source, "article.html", with_body(p, article_view), lang,
                     listed=not p.fallback) for p in site.pages]
        if lang or not leaflet_pages:  # (leaflets are printed from the site's own language)
            return made
        made += [Job(urls.leaflet_url(p.url), p.source, "leaflet.html",
                     with_body(p, leaflet_view, printed=True))
                 for p in site.pages if urls.has_leaflet(config, p)]
        listed = [p for s in config.sections for p in members[s.name]
                  if urls.has_leaflet(config, p)]
        made += [Job(pager.url, CONFIG_FILE, "leaflets.html", plain(
            lambda pager=pager: views.leaflet_index(shared, pager)))
            for pager in pagination.paginate(listed, config.items_per_page, urls.LEAFLETS)]
        return made

    jobs_ = site_jobs(shared)
    jobs_.insert(1, Job("/404.html", "templates/404.html", "404.html",
                        plain(lambda: views.not_found(shared))))
    for taxonomy_config in config.taxonomies:
        jobs_.append(Job(f"/{taxonomy_config.path}/", CONFIG_FILE, "terms.html",
                         plain(lambda t=taxonomy_config: views.taxonomy_index(shared, t))))
        jobs_ += [Job(pager.url, term.pages[0].source, "section.html", plain(
            lambda t=taxonomy_config, term=term, pager=pager: views.term_list(shared, t, term,
                                                                              pager)))
            for term in terms[taxonomy_config.path]
            for pager in pagination.paginate(list(term.pages), config.items_per_page, term.url)]
    jobs_.append(Job(urls.SEARCH, CONFIG_FILE, "search.html", plain(
        lambda: views.search_page(shared, "/" + finder.script, finder.settings))))
    jobs_ += [Job(urls.alias_url(a), p.source, "redirect.html", plain(
        lambda a=a, p=p: views.redirect(shared, urls.alias_url(a), p.url)))
        for p in articles for a in p.aliases]
    if data:
        jobs_.append(Job(f"/{config.stats_path}/", "site_config.yaml", "statistics.html",
                         plain(lambda: views.statistics(shared))))
        jobs_ += [Job(urls.dataset_url(config.stats_path, d.id), d.path, "dataset.html",
                      plain(lambda d=d: views.dataset_page(shared, d))) for d in data.values()]
    for edition, lang in zip(editions, config.languages):
        localised = {o.url: p.url for o, p in zip(everything, edition.pages)}
        copy = dict(zip((o.url for o in everything), edition.pages))
        edition_site = Site(config=languages.edition_config(config, lang, localised),
                            pages=edition.articles, sections=edition.sections, home=edition.home,
                            data=data, files=site.files)
        jobs_ += site_jobs(shared_for(lang.code, edition_site, {
            copy[url].url: tuple(copy[p.url] for p in pages) for url, pages in related.items()}))

    # 7. Files that are not pages: downloads, copies, images, feeds, the search index.
    if has_errors(found):
        sink = Nowhere()  # colliding or unsafe paths: nothing may be put anywhere
    others: list[OutputFile] = []
    headers = {kind: translations(f"stats.{kind}") for kind in ("period", "category", "value")}
    for d in data.values():
        row_header = headers["period"] if d.kind == "series" else headers["category"]
        others.append(OutputFile(urls.output_path(urls.dataset_url(config.stats_path, d.id, "csv")),
                                 stats.to_csv(d, row_header, headers["value"])))
        others.append(OutputFile(urls.output_path(urls.dataset_url(config.stats_path, d.id, "json")),
                                 stats.to_json(d)))
    others += image_outputs
    others.append(OutputFile(urls.output_path(urls.SERVICE_WORKER),
                             assets.SERVICE_WORKER.read_bytes()))
    others += _crawler_files(config, article_pages, jobs_, files)
    # (copies are read in the worker that puts them; the search index's files are no
    # page's resource, so their size is not measured)
    queue: list[tuple[str, bytes | Path, bool]] = [(o.path, o.content, True) for o in others]
    queue += [(site_path.lstrip("/"), pictures.get(site_path, path), True)
              for site_path, path in sorted(files.assets.items())
              if site_path in pictures or not site_path.lower().endswith(".svg")]
    queue += [(path, data, path == finder.script) for path, data in sorted(finder.files.items())]

    def file_task(i: int) -> tuple[Written, int | None]:
        path, data, measured = queue[i]
        data = data.read_bytes() if isinstance(data, Path) else data
        gz = assets.gzip_bytes(data) if measured and path.endswith(assets.TEXT) else None
        return sink.put(path, data, gz=gz), assets.sent_size(data, gz) if measured else None

    written: list[Written] = []
    sizes: dict[str, int] = {}  # bytes as a server sends them, for the page weights
    for file_written, size in parallel.run(file_task, len(queue), jobs):
        written.append(file_written)
        if size is not None:
            sizes[file_written.path] = size
    queue.clear()  # what the pages need of the index is its script and settings
    finder = dataclasses.replace(finder, files={})

    # 8. Pages, in workers: a page whose view and templates did not change is kept as is.
    fingerprint = _fingerprints(env, words, options)

    def page_task(i: int) -> tuple[Written | None, list[Diagnostic], tuple[Written, ...]]:
        job = jobs_[i]
        view, problems = job.view()
        path = urls.output_path(job.url)
        beside: tuple[Written, ...] = ()
        if view.get("loudspeaker") and not any(d.level == ERROR for d in problems):
            # an article's loudspeaker script, made with its view, is always put (it is
            # linked, not written, when its bytes did not change)
            beside = (sink.put(urls.output_path(job.url + spoken.FILE),
                               spoken.encode(view["loudspeaker"]["text"])),)
        key = cache_key(fingerprint, job.template, pickle.dumps(view, pickle.HIGHEST_PROTOCOL))
        kept = sink.reuse(path, key)
        if kept is not None:
            return kept, problems, beside
        html, more = render.render(envs[job.lang or config.language], job.template, view,
                                   config.root)
        # (an article's id that the layout's templates write is reported by Markdown)
        more += [problem(job.source, 0, "id_twice", id=name, page=path)
                 for name in assets.ids_used_twice(html) if name not in layout.ids.names]
        if more or any(d.level == ERROR for d in problems):
            return None, problems + more, beside
        html = assets.minify(html)
        gz = assets.gzip_bytes(html)
        return (sink.put(path, html, key, (len(gz), assets.fetched_paths(path, html)), gz),
                problems, beside)

    weights = []
    pages_made = 0
    for i, (page_written, problems, beside) in enumerate(
            parallel.run(page_task, len(jobs_), jobs)):
        options.progress("pages", i + 1, len(jobs_))
        found += problems
        written += beside
        if page_written is None:
            continue
        written.append(page_written)
        if jobs_[i].template != "redirect.html":
            pages_made += 1
            html_gz, fetches = page_written.info
            weights.append(assets.page_weight(jobs_[i].source, page_written.path, html_gz,
                                              fetches, sizes))

    # 9. What every page costs a reader, against the budgets.
    found += assets.check_budgets(weights, config.budgets)
    if has_errors(found):
        return BuildResult((), tuple(sorted(set(found))))
    return BuildResult(tuple(written), tuple(sorted(set(found))), pages=pages_made,
                       weights=tuple(weights))
