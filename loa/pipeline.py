"""The whole build as one straight function. It reads the site and writes nothing.

    discover + read ─► datasets ─► check URLs ─► render Markdown, check links
        ─► charts, shortcodes ─► assemble the site ─► render templates ─► budgets
        ─► BuildResult

Every stage returns diagnostics instead of stopping, so one run reports every
problem; the caller decides whether the outputs may be written.
"""
from __future__ import annotations

import dataclasses

from . import (assets, charts, content, feeds, markdown, pagination, render, search, stats,
               taxonomy, urls, views)
from .errors import WARNING, Diagnostic, has_errors, problem
from .i18n import Translations
from .cache import Cache
from .config import CONFIG_FILE
from .models import (BuildOptions, BuildResult, Config, Dataset, OutputFile, Page, Site, Term)
from .text import short_figure


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
    claims.append((urls.output_path(urls.SEARCH), CONFIG_FILE, 0))
    for path, its_terms in terms.items():
        claims.append((urls.output_path(f"/{path}/"), CONFIG_FILE, 0))
        claims += [(urls.output_path(t.url), t.pages[0].source, 1) for t in its_terms]
    if config.base_url:
        claims += [(path, CONFIG_FILE, 0) for path in feed_paths(config)]
    claims += [(urls.output_path(urls.in_force_url(s.name)), CONFIG_FILE, 0)
               for s in config.sections if s.type == "policy"]
    claims += [(urls.output_path("/404.html"), "templates/404.html", 0)]
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


def _crawler_files(config: Config, articles: list[Page], jobs: list[tuple[str, str, str, dict]],
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
        (url, dated.get(url)) for url, _, template, _ in jobs
        if template not in ("redirect.html", "404.html")])))
    return made


def _search_index(site: Site, articles: list[Page], config: Config) -> search.SearchIndex:
    """Every article and page, as the search index needs it: plain text and keywords."""
    titles = {s.section: s.title for s in site.sections}
    docs = [search.SearchDoc(
        url=p.url, title=p.title, section=titles.get(p.section, ""),
        date=p.date.strftime("%d/%m/%Y") if p.date else "", summary=p.summary or p.description,
        text=search.plain_text(p.html),
        keywords=tuple(p.tags) + tuple(p.locations) + ((str(p.params["number"]),)
                                                       if "number" in p.params else ()))
        for p in articles]
    return search.build(docs, urls.SEARCH, config.links_to_index_html)


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
    return found


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


def _embed_html(env: render.jinja2.Environment, shared: views.Shared, result: markdown.Rendered,
                made: dict[tuple[str, str, str], str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """What templates draw for a page's embeds (partials/stat|chart|picture.html), by token.

    Figures and charts look the same on every page, so `made` keeps them for the
    next page; pictures carry links relative to their page and are drawn each time.
    """
    link = views.linker(shared.site, result.page.url)
    by_token, found = {}, []
    for embed in result.embeds:
        key = (embed.kind, embed.ref, embed.arg)
        if key not in made:
            if embed.kind == "image":
                view = {"image": views.picture(shared, embed.ref, embed.arg, link, lazy=True)}
                template = "partials/picture.html"
            else:
                view = {"dataset": shared.data[embed.ref], "row": embed.arg,
                        "text": views.figure_text(shared.site.data[embed.ref], shared.words,
                                                  embed.arg)}
                template = f"partials/{embed.kind}.html"
            html, problems = render.render(env, template, view, shared.site.config.root)
            found += problems
            if embed.kind != "image":
                made[key] = html.decode("utf-8").strip()
            by_token[embed.token] = made.get(key) or html.decode("utf-8").strip()
        else:
            by_token[embed.token] = made[key]
    return by_token, found


def build(config: Config, options: BuildOptions, translations: Translations) -> BuildResult:
    found: list[Diagnostic] = []

    # 1. Read every file; drafts and future pages drop out here.
    files, problems = content.discover(config)
    found += problems
    pages: list[Page] = []
    for source in files.markdown:
        page, problems = content.read_page(source, config, options)
        found += problems
        if page:
            pages.append(page)
    by_kind = {kind: [p for p in pages if p.kind == kind]
               for kind in ("home", "section", "article", "page")}
    home = next(iter(by_kind["home"]), None) or _default_page("home", "/", config.title)
    given = {p.section: p for p in by_kind["section"]}
    sections = [given.get(s.name) or _default_page("section", urls.section_url(s.name), s.title,
                                                   s.name) for s in config.sections]
    articles = by_kind["article"] + by_kind["page"]
    everything = [home, *sections, *articles]
    terms = {t.path: taxonomy.terms(by_kind["article"], t) for t in config.taxonomies}
    related = taxonomy.related(by_kind["article"], [t for ts in terms.values() for t in ts])
    if not config.base_url:
        found.append(problem(CONFIG_FILE, 1, "base_url_missing", level=WARNING))

    # 2. Datasets, and images resized for phones.
    data, data_problems = stats.load(config.root)
    found += data_problems
    images, image_outputs, problems = assets.process_images(files.assets, config.root,
                                                            Cache(options.cache_dir))
    found += problems

    # 3. Every output path is claimed once; the configuration points at real things.
    claims, problems = _claims(config, everything, articles, files, data, terms)
    claims += [(o.path, "static/" + o.path, 0) for o in image_outputs]
    found += problems + urls.collisions(claims)
    known_pages = _page_urls(config, everything, data, terms)
    found += _check_config_links(config, data, known_pages | set(files.assets), data_problems)

    # 4. Markdown to HTML; links between pages and statistics shortcodes are checked.
    links = urls.LinkIndex(
        by_source={p.source.removeprefix("content/"): p.url for p in everything},
        pages=frozenset(known_pages),
        files=frozenset(files.assets))
    fragments: list[markdown.FragmentCheck] = []
    rendered: list[markdown.Rendered] = []
    for done, page in enumerate(everything, 1):
        options.progress("markdown", done, len(everything))
        page, problems = _resolve_front_matter_files(page, links)
        found += problems
        result = markdown.render(page, links, config.links_to_index_html, data)
        found += result.diagnostics
        fragments += result.fragments
        rendered.append(result)
    found += markdown.check_fragments(fragments, {r.page.url: r.page.anchors for r in rendered})

    # 5. Charts, and the datasets as templates see them.
    svgs = {d.id: charts.chart(d, lambda v, unit=d.unit: short_figure(v, unit))
            for d in data.values()}
    for dataset in data.values():
        size = len(svgs[dataset.id].encode("utf-8"))
        if size > config.budgets.chart_bytes:
            found.append(problem(dataset.path, dataset.line, "chart_over_budget", size=size,
                                 budget=config.budgets.chart_bytes, rows=len(dataset.rows)))
    # Pages with problems are left out from here on, and the rest is still built, so
    # that one run reports every problem (templates, budgets); nothing is written then.
    env = render.environment(config.root, translations)
    data_views = {d.id: views.dataset(d, svgs[d.id], translations) for d in data.values()}

    # 6. Assemble the site: embeds drawn in, sections with their members, newest first.
    # (Embeds need only the configuration, datasets and images: the pages come after.)
    shared = views.Shared(Site(config=config, pages=(), sections=(), home=home, data=data,
                               files=()), translations, options.today, data_views, images)
    made: dict[tuple[str, str, str], str] = {}
    done = []
    for result in rendered:
        by_token, problems = _embed_html(env, shared, result, made)
        found += problems
        done.append(dataclasses.replace(
            result.page, html=markdown.fill_embeds(result.page.html, result.embeds, by_token)))
    home, sections, articles = done[0], done[1:1 + len(sections)], done[1 + len(sections):]
    site = Site(config=config, pages=tuple(articles), sections=tuple(sections), home=home,
                data=data, files=tuple(sorted(files.assets)))
    shared = dataclasses.replace(shared, site=site, terms=terms, related=related)
    members = {s.name: sorted((p for p in articles if p.section == s.name),
                              key=content.sort_key(s.sort)) for s in config.sections}

    # 7. Templates: one job per output page.
    jobs: list[tuple[str, str, str, dict]] = [
        (home.url, home.source, "home.html",
         views.home(shared, {k: v[:config.home_latest] for k, v in members.items()})),
        ("/404.html", "templates/404.html", "404.html", views.not_found(shared)),
    ]
    jobs += [(pager.url, s.source, "section.html", views.section_list(shared, s, pager))
             for s in sections
             for pager in pagination.paginate(members[s.section], config.items_per_page, s.url)]
    for s in sections:  # policies: also the list of those in force on the day of the build
        if config.section(s.section).type == "policy":
            in_force = [p for p in members[s.section]
                        if content.policy_status(p, options.today) == "in_force"]
            jobs += [(pager.url, s.source, "section.html",
                      views.section_list(shared, s, pager, in_force=True))
                     for pager in pagination.paginate(in_force, config.items_per_page,
                                                      urls.in_force_url(s.section))]
    for taxonomy_config in config.taxonomies:
        jobs.append((f"/{taxonomy_config.path}/", CONFIG_FILE, "terms.html",
                     views.taxonomy_index(shared, taxonomy_config)))
        jobs += [(pager.url, term.pages[0].source, "section.html",
                  views.term_list(shared, taxonomy_config, term, pager))
                 for term in terms[taxonomy_config.path]
                 for pager in pagination.paginate(list(term.pages), config.items_per_page,
                                                  term.url)]
    jobs += [(p.url, p.source, "article.html", views.article(shared, p)) for p in articles]
    finder = _search_index(site, articles, config)
    jobs.append((urls.SEARCH, CONFIG_FILE, "search.html",
                 views.search_page(shared, "/" + finder.script, finder.settings)))
    jobs += [(urls.alias_url(a), p.source, "redirect.html",
              views.redirect(shared, urls.alias_url(a), p.url))
             for p in articles for a in p.aliases]
    if data:
        jobs.append((f"/{config.stats_path}/", "site_config.yaml", "statistics.html",
                     views.statistics(shared)))
        jobs += [(urls.dataset_url(config.stats_path, d.id), d.path, "dataset.html",
                  views.dataset_page(shared, d)) for d in data.values()]
    outputs: list[OutputFile] = []
    html_pages: list[tuple[str, OutputFile]] = []
    for done, (url, source, template, view) in enumerate(jobs, 1):
        options.progress("pages", done, len(jobs))
        html, problems = render.render(env, template, view, config.root)
        found += problems
        output = OutputFile(urls.output_path(url), assets.minify(html) if html else html)
        outputs.append(output)
        if template != "redirect.html":
            html_pages.append((source, output))

    # 8. Downloads of every dataset, and files copied as they are.
    headers = {kind: translations(f"stats.{kind}") for kind in ("period", "category", "value")}
    for d in data.values():
        row_header = headers["period"] if d.kind == "series" else headers["category"]
        outputs.append(OutputFile(urls.output_path(urls.dataset_url(config.stats_path, d.id, "csv")),
                                  stats.to_csv(d, row_header, headers["value"])))
        outputs.append(OutputFile(urls.output_path(urls.dataset_url(config.stats_path, d.id, "json")),
                                  stats.to_json(d)))
    outputs += [OutputFile(site_path.lstrip("/"), path.read_bytes())
                for site_path, path in sorted(files.assets.items())]
    outputs += image_outputs
    outputs += _crawler_files(config, by_kind["article"], jobs, files)
    outputs += [OutputFile(path, content) for path, content in sorted(finder.files.items())]

    # 9. What every page costs a reader, against the budgets; precompressed copies.
    gz = assets.gzipped(outputs)
    sent = assets.sent_sizes(outputs, gz)
    weights = [assets.page_weight(source, page, sent) for source, page in html_pages]
    found += assets.check_budgets(weights, config.budgets)
    if has_errors(found):
        return BuildResult((), tuple(sorted(set(found))))
    packed = assets.precompress(outputs, gz) if options.precompress else []
    return BuildResult(tuple(sorted(outputs + packed, key=lambda o: o.path)),
                       tuple(sorted(set(found))), pages=len(html_pages), weights=tuple(weights))
