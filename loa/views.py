"""The only dicts templates ever see.

A view is built for one output page (`here`): every link in it is already
relative to that page, every date and number already in Vietnamese form, so a
template can neither forget to relativise a link nor format a figure wrongly.
What is the same on every page (the datasets as `site.data`) is built once, in
`Shared`, and handed to each view.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from dataclasses import dataclass, field
from typing import Any, Callable

from .i18n import Translations
from .models import (Dataset, Image, ImageVariant, KeyFigure, Page, Site, TaxonomyConfig,
                     Term)
from .content import policy_status
from .languages import Version
from .leaflet import links_one_level_down
from .pagination import Pager
from .spoken import FILE as SCRIPT_FILE
from .spoken import Script
from .text import format_date, format_number, short_figure, slug
from .urls import (LEAFLETS, SEARCH, SERVICE_WORKER, dataset_url, has_leaflet, in_force_url,
                   leaflet_url, relative)

Link = Callable[[str], str]


@dataclass(frozen=True)
class Shared:
    """What every view needs: the site, its words, the build date, the datasets' views."""

    site: Site
    words: Translations
    today: dt.date
    data: dict[str, dict[str, Any]]  # dataset id -> view (no links: the same on every page)
    images: dict[str, Image]  # site path -> the image and its phone copies
    terms: dict[str, list[Term]] = field(default_factory=dict)  # taxonomy path -> its terms
    related: dict[str, tuple[Page, ...]] = field(default_factory=dict)  # page URL -> related
    lang: str = ""  # the language of the edition these views belong to; "" for the site's own
    languages: tuple[tuple[str, str], ...] = ()  # (code, name in itself), the site's own first
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)  # see languages
    icon: str = ""  # the site's icon as a data: URI, when small enough to go in every page


# A site's icon, if it has one; else an empty one, so no browser asks the server's root
# for /favicon.ico (outside the site when it lives under a sub-path).
ICONS = ("/favicon.svg", "/favicon.png", "/favicon.ico")

# Most a content image is drawn at: the column (40rem) or the screen less its margins.
SIZES = "(min-width: 44rem) 40rem, calc(100vw - 2rem)"


def picture(shared: Shared, site_path: str, alt: str, link: Link, lazy: bool) -> dict[str, Any]:
    """An image as `partials/picture.html` draws it: WebP first, JPEG/PNG for the rest."""
    image = shared.images.get(site_path) or Image(site_path, 0, 0)
    fallback = next((image.best(f) for f in ("jpeg", "png") if image.best(f)), ())

    def srcset(variants: tuple[ImageVariant, ...]) -> str:
        return ", ".join(f"{link(v.url)} {v.width}w" for v in variants)

    return {"src": link(fallback[0].url if fallback else site_path), "alt": alt,
            "srcset": srcset(fallback), "webp": srcset(image.best("webp")), "sizes": SIZES,
            "width": image.width, "height": image.height, "lazy": lazy}


NOT_FOUND = "/404.html"


def linker(site: Site, here: str) -> Link:
    """Links from the page at `here`: relative, so the site works anywhere. The 404 page
    is the exception: servers send it for a missing address at any depth, so with
    base_url known its links start from the site's root path (/portal/guides/…)."""
    index_html = site.config.links_to_index_html
    if here == NOT_FOUND and site.config.base_url:
        root = urlsplit(site.config.base_url).path
        return lambda url: root + relative("/", url, index_html).removeprefix("./")
    return lambda url: relative(here, url, index_html)


def _date(value: dt.date | None) -> dict[str, str] | None:
    return {"text": format_date(value), "iso": value.isoformat()} if value else None


def figure_text(dataset: Dataset, words: Translations, row: str = "") -> str:
    """A figure with its unit in words: `1,7%`, `1.215 trạm`."""
    value = dataset.value(row)
    return words(f"units.{dataset.unit}", value=format_number(value, 2)) if value is not None else ""


def dataset(data: Dataset, svg: str, words: Translations) -> dict[str, Any]:
    """A dataset for templates: figures formatted, the chart as ready SVG."""
    return {
        "id": data.id, "title": data.title, "description": data.description,
        "unit": data.unit, "unit_name": words(f"unit_names.{data.unit}"),
        "source": data.source, "as_of": _date(data.as_of), "kind": data.kind,
        "columns": [c for c in data.columns if c],
        "rows": [{"label": label, "cells": [short_figure(v, data.unit) for v in values]}
                 for label, values in data.rows],
        "latest": figure_text(data, words) if data.kind != "by" else "",
        "svg": svg,
    }


def _policy(page: Page, today: dt.date, link: Link) -> dict[str, Any] | None:
    p = page.params
    if "number" not in p:
        return None
    return {
        "doc_type": p.get("doc_type", ""), "number": p["number"], "issuer": p.get("issuer", ""),
        "issued": _date(p.get("issued")), "effective": _date(p.get("effective")),
        "expires": _date(p.get("expires")), "status": policy_status(page, today),
        "attachment": link(p["attachment"]) if p.get("attachment") else "",
    }


def item(page: Page, link: Link, today: dt.date) -> dict[str, Any]:
    """A page as an entry of a list (a policy says when it is not in force)."""
    status = policy_status(page, today) if "number" in page.params else ""
    return {"title": page.title, "href": link(page.url), "date": _date(page.date),
            "summary": page.summary or page.description, "section": page.section,
            "status": "" if status == "in_force" else status,
            "lang": page.lang if page.fallback else ""}


def _languages(shared: Shared, here: str, link: Link
               ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The language switcher (every language, each leading to this page in it, or to its
    home page where the page has no copies) and the `hreflang` links (translations only)."""
    if len(shared.languages) < 2 or here == NOT_FOUND:
        return [], []
    current = shared.lang or shared.languages[0][0]
    copies = shared.versions.get(here)
    if copies is None:  # a page only the site's own language has: tags, statistics…
        copies = tuple(Version(v.lang, here if v.lang == current else v.url, False)
                       for v in shared.versions.get("/", ()))
    names = dict(shared.languages)
    switcher = [{"code": v.lang, "name": names[v.lang], "href": link(v.url),
                 "current": v.lang == current} for v in copies]
    base = shared.site.config.base_url
    translated = [v for v in copies if v.translated]
    if len(translated) < 2:
        return switcher, []

    def address(url: str) -> str:
        return base + url.lstrip("/") if base else link(url)

    alternates = [{"lang": v.lang, "href": address(v.url)} for v in translated]
    return switcher, alternates + [{"lang": "x-default", "href": address(copies[0].url)}]


def chrome(shared: Shared, here: str, link: Link) -> dict[str, Any]:
    """What every page shows around its content: site name, menu, home link, languages."""
    config = shared.site.config
    root = shared.site.home.url
    menu = [{"title": m.title, "href": link(m.url),
             "current": here == m.url or (m.url != root and here.startswith(m.url))}
            for m in config.menu]
    icon = shared.icon or next((link(f) for f in ICONS if f in shared.site.files), "data:,")
    languages, alternates = _languages(shared, here, link)
    # an untranslated copy is the original's text: search engines are sent to the original
    copies = shared.versions.get(here, ())
    if any(v.url == here and not v.translated for v in copies):
        here = copies[0].url
    return {"title": config.title, "description": config.description, "icon": icon,
            "lang": config.language, "home": link(root), "menu": menu, "data": shared.data,
            "sw": link(SERVICE_WORKER),
            "canonical": (config.base_url + here.lstrip("/")) if config.base_url else "",
            "languages": languages, "alternates": alternates}


def share(shared: Shared, here: str, image: str = "") -> dict[str, str]:
    """What a link preview (Open Graph, as Zalo and Facebook read it) needs: absolute
    addresses, so only the page's own URL and picture when base_url is known."""
    base = shared.site.config.base_url
    if not base:
        return {"url": "", "image": ""}
    card = next((v.url for v in shared.images.get(image, Image(image, 0, 0)).variants
                 if v.format == "share"), "")
    default = shared.site.config.share_image
    if not card and default:
        card = next((v.url for v in shared.images.get(default, Image(default, 0, 0)).variants
                     if v.format == "share"), default)
    return {"url": base + here.lstrip("/"), "image": base + card.lstrip("/") if card else ""}


def _page(shared: Shared, here: str, kind: str, image: str = "", **fields: Any
          ) -> dict[str, Any]:
    """The fields every page view has, with the page's own on top."""
    link = linker(shared.site, here)
    base = {"site": chrome(shared, here, link), "kind": kind, "lang": "", "summary": "",
            "breadcrumbs": [], "share": share(shared, here, image)}
    return {**base, **fields}


def term_links(shared: Shared, page: Page, link: Link) -> list[dict[str, Any]]:
    """The page's tags and places, each a link to its list, grouped by taxonomy."""
    groups = []
    for taxonomy in shared.site.config.taxonomies:
        names = {t.slug: t for t in shared.terms.get(taxonomy.path, [])}
        values = (page.tags if taxonomy.field == "tags" else page.locations
                  if taxonomy.field == "locations" else page.params.get(taxonomy.field, ()))
        links = [{"name": str(v), "href": link(names[slug(str(v))].url)}
                 for v in values or () if slug(str(v)) in names]
        if links:
            groups.append({"title": taxonomy.title, "terms": links})
    return groups


def loudspeaker(page: Page, script: Script | None, link: Link) -> dict[str, Any] | None:
    """An article's loudspeaker script: the link to it, how long it takes to read aloud,
    and its text (which the page's worker puts beside the page; see spoken.py)."""
    if script is None:
        return None
    return {"href": link(page.url + SCRIPT_FILE), "minutes": script.minutes,
            "text": script.text}


def article(shared: Shared, page: Page, script: Script | None = None) -> dict[str, Any]:
    link = linker(shared.site, page.url)
    section = next((s for s in shared.site.sections if s.section == page.section), None)
    return _page(
        shared, page.url, page.kind, lang="" if page.fallback else page.lang,
        text_lang=page.lang if page.fallback else "", fallback=page.fallback,
        title=page.title, summary=page.summary or page.description,
        date=_date(page.date), updated=_date(page.updated),
        terms=term_links(shared, page, link),
        related=[item(p, link, shared.today) for p in shared.related.get(page.url, ())],
        image=page.image,
        picture=picture(shared, page.image, page.image_alt, link, lazy=False) if page.image else None,
        html=page.html,
        breadcrumbs=[{"title": section.title, "href": link(section.url)}] if section else [],
        policy=_policy(page, shared.today, link),
        guide={k: page.params[k] for k in ("steps", "duration") if k in page.params},
        story={k: page.params[k] for k in ("location", "household") if k in page.params},
        loudspeaker=loudspeaker(page, script, link),
        params=page.params,
        leaflet={"href": link(leaflet_url(page.url)), "paper": shared.site.config.leaflet.paper}
        # (leaflets are printed from the site's own language only)
        if has_leaflet(shared.site.config, page) and not shared.lang else None)


def full_url(shared: Shared, url: str) -> str:
    """A page's absolute address (for a QR code); "" without base_url."""
    base = shared.site.config.base_url
    return base + url.lstrip("/") if base else ""


def leaflet(shared: Shared, page: Page, outlined: str, qr_svg: str) -> dict[str, Any]:
    """An article's printable leaflet: its text, key facts, the hotline, and a QR code
    (`qr_svg`, drawn by the pipeline; "" without base_url) of the article's address.

    The body is `outlined`, the outline of the article's (leaflet.outline of its body drawn
    for print: no pictures, no charts), its links taken one folder down, where the leaflet
    lives."""
    here = leaflet_url(page.url)
    link = linker(shared.site, here)
    settings = shared.site.config.leaflet
    section = next((s for s in shared.site.sections if s.section == page.section), None)
    crumbs = [{"title": section.title, "href": link(section.url)}] if section else []
    return _page(
        shared, here, "leaflet", lang=page.lang,
        title=page.title, summary=page.summary or page.description,
        html=links_one_level_down(outlined),
        breadcrumbs=crumbs + [{"title": page.title, "href": link(page.url)}],
        policy=_policy(page, shared.today, link),
        guide={k: page.params[k] for k in ("steps", "duration") if k in page.params},
        leaflet={
            "paper": settings.paper, "article": link(page.url), "all": link(LEAFLETS),
            "url": full_url(shared, page.url), "qr": qr_svg,
            "updated": _date(page.updated or page.date),
            "hotline": settings.hotline,
            "hotline_label": settings.hotline_label or shared.words("leaflet.hotline"),
            "tel": "tel:" + re.sub(r"[^\d+]", "", settings.hotline),
        })


def leaflet_index(shared: Shared, pager: Pager[Page]) -> dict[str, Any]:
    """One page of the list of every leaflet (sections in the configuration's order, each
    in its own order), under a heading for each section it reaches."""
    link = linker(shared.site, pager.url)
    titles = {s.section: s.title for s in shared.site.sections}
    sections: list[dict[str, Any]] = []
    for page in pager.items:
        if not sections or sections[-1]["name"] != page.section:
            sections.append({"name": page.section, "title": titles.get(page.section, ""),
                             "id": f"to-roi-{page.section}", "items": []})
        sections[-1]["items"].append({**item(page, link, shared.today),
                                      "href": link(leaflet_url(page.url))})
    return _page(
        shared, pager.url, "leaflets", title=shared.words("leaflet.index_title"),
        summary=shared.words("leaflet.index_summary", paper=shared.site.config.leaflet.paper),
        breadcrumbs=[] if pager.number == 1 else [
            {"title": shared.words("leaflet.index_title"), "href": link(LEAFLETS)}],
        sections=sections, pager=_pager(pager, link))


def section_list(shared: Shared, section: Page, pager: Pager[Page], in_force: bool = False
                 ) -> dict[str, Any]:
    """One page of a section's list; the section's own text shows on page 1 only.

    For a section of policies, `in_force` is the list of those still in force only,
    and every page links to the other list."""
    link = linker(shared.site, pager.url)
    first = pager.number == 1 and not in_force
    policies = shared.site.config.section(section.section)
    filters = None
    if policies and policies.type == "policy" and not shared.lang:  # (the list of those in
        filters = {"all": link(section.url),                          # force is not translated)
                   "in_force": link(in_force_url(section.section)),
                   "current": "in_force" if in_force else "all"}
    return _page(
        shared, pager.url, "section", lang="" if section.fallback else section.lang,
        title=section.title,
        summary=section.description if first else "", html=section.html if first else "",
        filters=filters,
        breadcrumbs=[] if pager.url == section.url else [
            {"title": section.title, "href": link(section.url)}],
        items=[item(p, link, shared.today) for p in pager.items],
        pager=_pager(pager, link))


PAGER_WINDOW = 2  # page numbers shown either side of the current one


def pager_numbers(number: int, count: int) -> list[int]:
    """The page numbers a list links to: the first, the last and those near `number`;
    0 where numbers are left out (shown as "…"). A fixed number of links per page, so
    a section of 400 pages costs 400 × 7 links, not 400 × 400."""
    shown = sorted({1, count} | set(range(max(1, number - PAGER_WINDOW),
                                           min(count, number + PAGER_WINDOW) + 1)))
    numbers: list[int] = []
    for n in shown:
        if numbers and n > numbers[-1] + 1:  # a gap; "…" in place of one number saves nothing
            numbers.append(numbers[-1] + 1 if n == numbers[-1] + 2 else 0)
        numbers.append(n)
    return numbers


def _pager(pager: Pager[Page], link: Link) -> dict[str, Any]:
    return {"number": pager.number, "count": len(pager.urls),
            "previous": link(pager.previous) if pager.previous else "",
            "next": link(pager.next) if pager.next else "",
            "pages": [{"number": n, "href": link(pager.urls[n - 1]) if n else "",
                       "current": n == pager.number}
                      for n in pager_numbers(pager.number, len(pager.urls))]}


def taxonomy_index(shared: Shared, taxonomy: TaxonomyConfig) -> dict[str, Any]:
    """All tags (or places) with how many articles carry each."""
    here = f"/{taxonomy.path}/"
    link = linker(shared.site, here)
    return _page(shared, here, "terms", title=taxonomy.title,
                 terms=[{"name": t.name, "href": link(t.url), "count": len(t.pages)}
                        for t in shared.terms.get(taxonomy.path, [])])


def term_list(shared: Shared, taxonomy: TaxonomyConfig, term: Term, pager: Pager[Page]
              ) -> dict[str, Any]:
    """One page of the articles carrying a tag (or a place)."""
    link = linker(shared.site, pager.url)
    return _page(
        shared, pager.url, "term", title=term.name, summary="", html="", filters=None,
        breadcrumbs=[{"title": taxonomy.title, "href": link(f"/{taxonomy.path}/")}],
        items=[item(p, link, shared.today) for p in pager.items],
        pager=_pager(pager, link))


def key_figure(shared: Shared, wanted: KeyFigure, link: Link) -> dict[str, Any]:
    data = shared.site.data[wanted.stat]
    return {"text": figure_text(data, shared.words, wanted.row), "label": wanted.label,
            "title": data.title, "source": data.source, "as_of": _date(data.as_of),
            "href": link(dataset_url(shared.site.config.stats_path, data.id))}


def home(shared: Shared, latest: dict[str, list[Page]]) -> dict[str, Any]:
    site = shared.site
    here = site.home.url  # "/", or "/km/" for an edition
    link = linker(site, here)
    return _page(
        shared, here, "home", lang="" if site.home.fallback else site.home.lang, title=site.home.title,
        summary=site.home.description or site.config.description, html=site.home.html,
        figures=[key_figure(shared, k, link) for k in site.config.key_figures
                 if k.stat in site.data and site.data[k.stat].value(k.row) is not None],
        statistics=link(f"/{site.config.stats_path}/"),
        sections=[{"title": s.title, "href": link(s.url), "summary": s.description,
                   "pages": [item(p, link, shared.today) for p in latest.get(s.section, [])]}
                  for s in site.sections])


def statistics(shared: Shared) -> dict[str, Any]:
    """The list of every dataset, at /thong-ke/."""
    here = f"/{shared.site.config.stats_path}/"
    link = linker(shared.site, here)
    return _page(shared, here, "statistics", title=shared.words("stats.title"),
                 summary=shared.words("stats.summary"),
                 datasets=[{**shared.data[d.id],
                            "href": link(dataset_url(shared.site.config.stats_path, d.id))}
                           for d in sorted(shared.site.data.values(),
                                           key=lambda d: (d.path, d.line))])


def dataset_page(shared: Shared, data: Dataset) -> dict[str, Any]:
    stats_path = shared.site.config.stats_path
    here = dataset_url(stats_path, data.id)
    link = linker(shared.site, here)
    stats_url = f"/{stats_path}/"
    return _page(shared, here, "dataset", title=data.title, summary=data.description,
                 dataset=shared.data[data.id],
                 downloads={kind: link(dataset_url(stats_path, data.id, kind))
                            for kind in ("csv", "json")},
                 breadcrumbs=[{"title": shared.words("stats.title"), "href": link(stats_url)}])


def search_page(shared: Shared, script: str, settings: dict[str, str]) -> dict[str, Any]:
    """The search page: the form (its script loads on focus), and, for readers without
    JavaScript or from a copied folder, every topic, place and section to browse."""
    link = linker(shared.site, SEARCH)
    taxonomies = {t.field: t.path for t in shared.site.config.taxonomies}

    def browse(field: str) -> list[dict[str, Any]]:
        return [{"title": t.name, "href": link(t.url), "count": len(t.pages)}
                for t in shared.terms.get(taxonomies.get(field, ""), [])]

    return _page(shared, SEARCH, "search", title=shared.words("search.title"),
                 summary=shared.words("search.summary"),
                 search={"script": link(script), **settings},
                 topics=browse("tags"), places=browse("locations"),
                 sections=[{"title": s.title, "href": link(s.url)}
                           for s in shared.site.sections])


def not_found(shared: Shared) -> dict[str, Any]:
    link = linker(shared.site, NOT_FOUND)
    return _page(shared, NOT_FOUND, "404", title=shared.words("not_found.title"),
                 sections=[{"title": s.title, "href": link(s.url)} for s in shared.site.sections])


def redirect(shared: Shared, alias: str, target: str) -> dict[str, Any]:
    return _page(shared, alias, "redirect", target=linker(shared.site, alias)(target))
