"""The whole build as one straight function. It reads the site and writes nothing.

    discover + read ─► check URLs ─► datasets ─► render Markdown, check links
        ─► assemble the site ─► render templates ─► budgets ─► BuildResult

Every stage returns diagnostics instead of stopping, so one run reports every
problem; the caller decides whether the outputs may be written.
"""
from __future__ import annotations

import dataclasses

from . import assets, content, markdown, pagination, render, stats, urls, views
from .errors import Diagnostic, has_errors, problem
from .i18n import Translations
from .models import BuildOptions, BuildResult, Config, OutputFile, Page, Site


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

    # 2. Every output path is claimed once: pages, their old addresses, copied files.
    claims = [(urls.output_path(p.url), p.source, 1) for p in everything]
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
    found += urls.collisions(claims)

    # 3. Datasets, and the key figures the home page shows.
    data, problems = stats.load(config.root)
    found += problems
    broken_files = {d.path for d in problems}
    for figure in config.key_figures:
        file = f"{stats.DATA}/{figure.stat.split('.')[0]}.yaml"
        if figure.stat not in data and file not in broken_files:
            found.append(problem("site_config.yaml", figure.line, "key_figure_unknown",
                                 stat=figure.stat, known=", ".join(sorted(data)) or "-"))

    # 4. Markdown to HTML; links between pages are resolved and checked.
    links = urls.LinkIndex(
        by_source={p.source.removeprefix("content/"): p.url for p in everything},
        pages=frozenset(p.url for p in everything),
        files=frozenset(files.assets))
    fragments: list[markdown.FragmentCheck] = []
    done: list[Page] = []
    for page in everything:
        page, problems = _resolve_front_matter_files(page, links)
        found += problems
        result = markdown.render(page, links, config.links_to_index_html)
        found += result.diagnostics
        fragments += result.fragments
        done.append(result.page)
    found += markdown.check_fragments(fragments, {p.url: p.anchors for p in done})
    if has_errors(found):
        return BuildResult((), tuple(sorted(set(found))))

    # 5. Assemble the site: sections with their members, newest first.
    home, sections, articles = done[0], done[1:1 + len(sections)], done[1 + len(sections):]
    site = Site(config=config, pages=tuple(articles), sections=tuple(sections), home=home,
                data=data, files=tuple(sorted(files.assets)))
    members = {s.name: sorted((p for p in articles if p.section == s.name),
                              key=content.sort_key(s.sort)) for s in config.sections}

    # 6. Templates.
    env = render.environment(config.root, translations)
    units = lambda unit: translations(f"units.{unit}")  # noqa: E731
    jobs: list[tuple[str, str, str, dict]] = [
        (home.url, home.source, "home.html",
         views.home(site, {k: v[:config.home_latest] for k, v in members.items()}, units)),
        ("/404.html", "templates/404.html", "404.html", views.not_found(site)),
    ]
    jobs += [(pager.url, s.source, "section.html", views.section_list(site, s, pager))
             for s in sections
             for pager in pagination.paginate(members[s.section], config.items_per_page, s.url)]
    jobs += [(p.url, p.source, "article.html", views.article(site, p, options.today))
             for p in articles]
    jobs += [(urls.alias_url(a), p.source, "redirect.html",
              views.redirect(site, urls.alias_url(a), p.url))
             for p in articles for a in p.aliases]
    outputs: list[OutputFile] = []
    html_pages: list[tuple[str, OutputFile]] = []
    for url, source, template, view in jobs:
        html, problems = render.render(env, template, view, config.root)
        found += problems
        output = OutputFile(urls.output_path(url), html)
        outputs.append(output)
        if template != "redirect.html":
            html_pages.append((source, output))
    found += assets.check_budgets(html_pages, config.budgets)

    # 7. Files copied as they are.
    outputs += [OutputFile(site_path.lstrip("/"), path.read_bytes())
                for site_path, path in sorted(files.assets.items())]
    if has_errors(found):
        return BuildResult((), tuple(sorted(set(found))))
    return BuildResult(tuple(sorted(outputs, key=lambda o: o.path)), tuple(sorted(set(found))),
                       pages=len(html_pages))
