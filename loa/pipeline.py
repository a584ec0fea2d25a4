"""The whole build, as a short list of stages: read → assets → plan → links → Markdown
and search (bodies.py) → render (routes.py). Publishing is the caller's (cli, serve,
pack): `build` hands every file to a publisher and writes nothing itself.

Each stage is a function that takes what it needs and returns what it makes; problems
go into a `Report` and the build carries on, so one run reports every problem.

Work is skipped where its inputs did not change: a file as make(1) would see it, a
body while every link it looked up resolves the same way, a route while every input
it read has the digest the published site was made from (memory.py, context.py).
"""
from __future__ import annotations

import dataclasses
import os
import pickle
from importlib import metadata
from pathlib import Path

from . import (assets, builtin, charts, content, decap, editor, i18n, languages, parallel,
               plan, render, spoken, stats, taxonomy, urls)
from .bodies import render_markdown, search_index
from .cache import Cache
from .cache import key as cache_key
from .config import CONFIG_FILE
from .errors import WARNING, Diagnostic, Report, problem
from .i18n import Translations
from .memory import Memory, file_stat
from .models import BuildOptions, BuildResult, Config, Page
from .plan import Assets, Plan, Sources
from .routes import Maker, Nowhere, Sink, render_routes, site_data
from .text import short_figure


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


def read(config: Config, options: BuildOptions, cache: Cache, memory: Memory, jobs: int,
         report: Report) -> tuple[content.SiteFiles, Sources]:
    """Every file of the site found, every page's front matter read; drafts and pages
    dated later drop out here; translations are matched to their originals.

    A file whose size, time and inode are those of the last build is not read again."""
    files, found = content.discover(config)
    report.add(found)
    asked = cache_key(repr((config, options.today, options.drafts, options.future)))
    stats = [file_stat(file) for _, file in files.markdown]
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
    player = render.theme_file(config.root, builtin.PLAYER_SCRIPT).read_bytes()
    return Assets(datasets, drawn, glossary, pictures, images,
                  {"/" + o.path: o for o in outputs}, resized_from, broken, player)


# --------------------------------------------------------------------------- 3. plan

def make_plan(config: Config, sources: Sources, files: content.SiteFiles, found: Assets,
              options: BuildOptions, report: Report) -> Plan:
    """The plan, checked: every path once and safe; key figures and menu entries lead to
    what the plan contains."""
    copies = {site_path: path.relative_to(config.root).as_posix()
              for site_path, path in sorted(files.assets.items())
              if site_path in found.pictures or not site_path.lower().endswith(".svg")}
    editor_files, problems = _editor_files(config)
    report.add(problems)
    made = plan.make(config, sources, found.datasets, copies, found.resized_from,
                     options.today, assets.player_url(found.player), editor_files)
    report.add(plan.check(made))
    report.add(_check_config_links(config, found, made.page_urls | set(files.assets)))
    return made


def _editor_files(config: Config) -> tuple[dict[str, str], list[Diagnostic]]:
    """Decap CMS's script files, by site path, when site_config.yaml publishes the web
    editor (each with the file it is copied from); the editor not installed is a problem."""
    if config.editor is None:
        return {}, []
    parts = decap.installed(config.root)
    if parts is None:
        return {}, [problem(CONFIG_FILE, config.editor.line, "editor_not_installed")]
    return {f"{editor.ADMIN}{editor.SCRIPT}{path.name}": str(path)
            for path in decap.script_files(parts)}, []


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
    index = search_index(bodies, cache, memory, jobs, render.theme_file(
        config.root, builtin.SEARCH_SCRIPT).read_text(encoding="utf-8"))
    site_plan = plan.with_search(site_plan, list(index.paths))
    speech = spoken.Speech(translations, found.glossary,
                           spoken.STYLES[config.loudspeaker_numbers], config.title)
    data = site_data(config, options, words, sources, bodies, found, files, site_plan, index,
                     speech, render.template_digests(envs[config.language]), cache)
    maker = Maker(config, options, data, envs, found, index, speech, site_plan, cache,
                  Nowhere() if report.failed else sink, layout.ids.names)
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
    if config.editor:  # (published at /admin/: a new install of Decap is a change)
        installed = decap.installed(config.root)
        folders += [installed.script] if installed else []
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
