"""Routes made: each page from its view and template, each file from its bytes, or kept
as the published site has it when none of its inputs changed.

A route's view reads the site through a `Context` (context.py), which records what it
read; the digests of those inputs are kept with the published site (the sink's
`made_from`), and a route is made again only when one of them changed.
"""
from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from typing import Any, Protocol

import jinja2

from . import (assets, builtin, charts, content, editor, feeds, languages, leaflet,
               markdown, parallel, render, search, spoken, stats, svg, taxonomy, views)
from .cache import Cache
from .cache import key as cache_key
from .context import Context, SiteData
from .errors import Diagnostic, Report, has_errors, problem
from .i18n import Translations
from .memory import file_stat
from .models import BuildOptions, Config, Page, PageWeight, Term, Written
from .bodies import Bodies
from .plan import Assets, Kind, Plan, Route, Sources
from .text import VIETNAMESE_MARKS, short_figure
from .urls import contact_url


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


@dataclass(frozen=True)
class Made:
    """What making one route gave: its file (None when it failed) and its problems."""

    written: Written | None
    problems: tuple[Diagnostic, ...] = ()


class Maker:
    """Makes routes: pages from their views and templates, files from their bytes."""

    def __init__(self, config: Config, options: BuildOptions, data: dict[str, SiteData],
                 envs: dict[str, jinja2.Environment], found: Assets,
                 index: search.SearchIndex, speech: spoken.Speech, site_plan: Plan,
                 cache: Cache, sink: Sink, layout_ids: frozenset[str]) -> None:
        self.config, self.options = config, options
        self.layout_ids = layout_ids
        # the digests of the inputs the published site was made from, by language
        self.previous = sink.made_from if isinstance(sink.made_from, dict) else {}
        self.changed: dict[str, tuple[set[str], frozenset[str]]] = {}  # see _changed
        self.contexts = {lang: Context(d, self.draw) for lang, d in data.items()}
        for lang, ctx in self.contexts.items():  # a template's t() is a read of its own
            envs[lang or config.language].globals["t"] = ctx.words
        self.envs, self.found, self.index = envs, found, index
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
        if route.kind in COPIED:
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
        elif name == "contact":
            view = views.contact_page(ctx)
        elif name == "statistics":
            view = views.statistics(ctx)
        elif name == "dataset":
            view = views.dataset_page(ctx, args[0])
        elif name == "redirect":
            view = views.redirect(ctx, args[0], args[1])
        elif name == "404":
            view = views.not_found(ctx)
        elif name == "script_page":
            view = views.script_page(ctx, args[0], self._script(ctx, args[0]))
        elif name == "script":
            return spoken.encode(self._script(ctx, args[0]).text), problems
        elif name == "download":
            return self._download(ctx, args[0], args[1]), problems
        elif name in ("atom", "sitemap", "robots", "sw", "player"):
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
            ctx.template(builtin.SERVICE_WORKER_SCRIPT)
            return render.theme_file(config.root, builtin.SERVICE_WORKER_SCRIPT).read_bytes()
        if name == "player":
            ctx.template(builtin.PLAYER_SCRIPT)
            return self.found.player
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
        index's, the web editor's. Put when its bytes changed."""
        if route.kind is Kind.SEARCH_FILE:
            data = self.index.file(route.path)
        elif route.kind is Kind.EDITOR:
            language = self.config.language
            data = editor.admin_file(route.view[1], self.config, self.contexts[""].words,
                                     self.envs[language])
        elif route.kind is Kind.IMAGE:
            data = self.found.resized[route.url].content
        elif route.url in self.found.pictures:
            data = self.found.pictures[route.url]
        elif self._photo(route):  # (never with the phone's metadata: where it was taken)
            data = assets.original_without_metadata(
                (self.config.root / route.source).read_bytes())
        else:
            data = (self.config.root / route.source).read_bytes()
        measured = route.kind is not Kind.SEARCH_FILE or route.path == self.index.script
        gz = assets.gzip_bytes(data) if measured and route.path.endswith(assets.TEXT) else None
        size = assets.sent_size(data, gz) if measured else None
        fingerprint = self._copied(route) if route.kind in COPIED else ""
        return Made(self.sink.put(route.path, data, fingerprint, {"size": size}, gz))

    def _copied(self, route: Route) -> str:
        """What a copy is made from: its file as make(1) sees it (and how SVGs are made
        safe, and photos' metadata taken out), so an unchanged file of static/ is not even
        read."""
        return repr((file_stat(self.config.root / route.source), route.url in self.found.pictures,
                     svg.SETTINGS, self._photo(route) and assets.ORIGINAL_SETTINGS))

    def _photo(self, route: Route) -> bool:
        """Whether a copy is a photo's original (an image with resized copies)."""
        image = self.found.images.get(route.url) if route.kind is Kind.COPY else None
        return image is not None and bool(image.variants)

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


FILE_KINDS = frozenset({Kind.COPY, Kind.IMAGE, Kind.SEARCH_FILE, Kind.EDITOR,
                        Kind.EDITOR_FILE})
COPIED = frozenset({Kind.COPY, Kind.EDITOR_FILE})  # a file's bytes as they are
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


def site_data(config: Config, options: BuildOptions, words: dict[str, Translations],
               sources: Sources, bodies: Bodies, found: Assets, files: content.SiteFiles,
               site_plan: Plan, index: search.SearchIndex, speech: spoken.Speech,
               templates: dict[str, str], cache: Cache) -> dict[str, SiteData]:
    """What views may read, for each language."""
    article_pages = [p for p in sources.articles if p.kind == "article"]
    related = _related(article_pages, sources.terms, cache)
    names = tuple((lang, w("language.name")) for lang, w in words.items())
    versions = languages.versions(config.language, list(sources.pages), list(sources.editions))
    if config.contact:  # (Loa's own page, in every language: its words are translated)
        copies = tuple(languages.Version(lang, contact_url(lang if lang != config.language
                                                                else ""), True)
                       for lang in (config.language, *(e.lang for e in sources.editions)))
        versions.update({copy.url: copies for copy in copies})
    icon_svg = found.pictures.get("/favicon.svg", b"")
    icon = (assets.svg_data_uri(icon_svg) if 0 < len(icon_svg) <= assets.ICON_INLINE_MAX
            else next((f for f in views.ICONS if f in files.assets), ""))
    term_urls = {path: {t.slug: t.url for t in ts} for path, ts in sources.terms.items()}
    sitemap = tuple(sorted({r.url for r in site_plan.routes if r.listed}))
    shared = dict(today=options.today, terms=sources.terms, term_urls=term_urls,
                  versions=versions, languages=names, images=found.images,
                  datasets=found.datasets, bodies=bodies.by_url, icon=icon,
                  search=("/" + index.script, tuple(sorted(index.settings.items()))),
                  speech=speech.fingerprint(), templates=templates,
                  player=assets.player_url(found.player))

    def site_data(lang: str, lang_config: Config, pages: tuple[Page, ...], home: Page,
                  sections: tuple[Page, ...], lists: dict[str, tuple[str, ...]],
                  related: dict[str, tuple[str, ...]]) -> SiteData:
        lang_words = words[lang or config.language]
        drawn = found.charts if views.marks(lang_words) == VIETNAMESE_MARKS else {
            # (a language writing numbers otherwise gets charts of its own)
            d.id: charts.chart(d, lambda v, unit=d.unit: short_figure(v, unit,
                                                                      views.marks(lang_words)))
            for d in found.datasets.values()}
        data_views = {d.id: views.dataset(d, drawn[d.id], lang_words)
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
