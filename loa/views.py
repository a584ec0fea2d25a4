"""The only dicts templates ever see.

A view is built for one output page (`here`): every link in it is already
relative to that page, every date and number already in Vietnamese form, so a
template can neither forget to relativise a link nor format a figure wrongly.
A view reads the site only through a `Context` (context.py), which records what
it read: the page's inputs, so that it is made again only when one of them changes.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from . import contact as contact_fields
from .context import Context, Listing
from .i18n import Translations
from .languages import Version
from .leaflet import links_one_level_down
from .models import Config, Contact, Dataset, ImageVariant, KeyFigure, Page, TaxonomyConfig
from .pagination import Pager
from .spoken import FILE as SCRIPT_FILE
from .spoken import Script
from .text import format_date, format_number, short_figure, slug
from .urls import (LEAFLETS, SEARCH, SERVICE_WORKER, contact_url, dataset_url, has_leaflet,
                   in_force_url, leaflet_url, relative, script_page_url)

Link = Callable[[str], str]

# A site's icon, if it has one; else an empty one, so no browser asks the server's root
# for /favicon.ico (outside the site when it lives under a sub-path).
ICONS = ("/favicon.svg", "/favicon.png", "/favicon.ico")

# Most a content image is drawn at: the column (40rem) or the screen less its margins.
SIZES = "(min-width: 44rem) 40rem, calc(100vw - 2rem)"

# The lists a view can show, by id (members in order: see plan.lists).
def section_list_id(section: str) -> str:
    return f"section:{section}"


def in_force_list_id(section: str) -> str:
    return f"in_force:{section}"


def term_list_id(taxonomy_path: str, term_slug: str) -> str:
    return f"term:{taxonomy_path}/{term_slug}"


LEAFLET_LIST = "leaflets"


def picture(ctx: Context, site_path: str, alt: str, link: Link, lazy: bool) -> dict[str, Any]:
    """An image as `partials/picture.html` draws it: WebP first, JPEG/PNG for the rest."""
    image = ctx.image(site_path)
    fallback = next((image.best(f) for f in ("jpeg", "png") if image.best(f)), ())

    def srcset(variants: tuple[ImageVariant, ...]) -> str:
        return ", ".join(f"{link(v.url)} {v.width}w" for v in variants)

    return {"src": link(fallback[0].url if fallback else site_path), "alt": alt,
            "srcset": srcset(fallback), "webp": srcset(image.best("webp")), "sizes": SIZES,
            "width": image.width, "height": image.height, "lazy": lazy}


NOT_FOUND = "/404.html"


def linker(config: Config, here: str) -> Link:
    """Links from the page at `here`: relative, so the site works anywhere. The 404 page
    is the exception: servers send it for a missing address at any depth, so with
    base_url known its links start from the site's root path (/portal/guides/…)."""
    index_html = config.links_to_index_html
    if here == NOT_FOUND and config.base_url:
        root = urlsplit(config.base_url).path
        return lambda url: root + relative("/", url, index_html).removeprefix("./")
    return lambda url: relative(here, url, index_html)


def _date(value: dt.date | None) -> dict[str, str] | None:
    return {"text": format_date(value), "iso": value.isoformat()} if value else None


def marks(words: Translations) -> tuple[str, str]:
    """How the language of `words` writes numbers: (decimal mark, thousands separator).
    A figure with another language's marks is a wrong figure: `4.177` is 4,177 in
    Vietnamese and four point one in English."""
    return words("number.decimal"), words("number.group")


def figure_text(dataset: Dataset, words: Translations, row: str = "") -> str:
    """A figure with its unit in words: `1,7%`, `1.215 trạm`."""
    value = dataset.value(row)
    if value is None:
        return ""
    return words(f"units.{dataset.unit}", value=format_number(value, 2, marks(words)))


def dataset(data: Dataset, svg: str, words: Translations) -> dict[str, Any]:
    """A dataset for templates: figures formatted, the chart as ready SVG."""
    return {
        "id": data.id, "title": data.title, "description": data.description,
        "unit": data.unit, "unit_name": words(f"unit_names.{data.unit}"),
        "source": data.source, "as_of": _date(data.as_of), "kind": data.kind,
        "columns": [c for c in data.columns if c],
        "rows": [{"label": label, "cells": [short_figure(v, data.unit, marks(words))
                                            for v in values]}
                 for label, values in data.rows],
        "latest": figure_text(data, words) if data.kind != "by" else "",
        "svg": svg,
    }


def _policy(ctx: Context, page: Page, link: Link) -> dict[str, Any] | None:
    p = page.params
    if "number" not in p:
        return None
    return {
        "doc_type": p.get("doc_type", ""), "number": p["number"], "issuer": p.get("issuer", ""),
        "issued": _date(p.get("issued")), "effective": _date(p.get("effective")),
        "expires": _date(p.get("expires")), "status": ctx.status(page),
        "attachment": link(p["attachment"]) if p.get("attachment") else "",
    }


def contact(ctx: Context, given: Contact) -> dict[str, Any]:
    """A contact as templates show it: each field given, with the addresses a phone opens
    (`tel:`, `mailto:`, the Zalo app). Its words are the site's own language's, said so
    on the pages of another (`lang`)."""
    return {**{name: getattr(given, name) for name in contact_fields.FIELDS},
            "tel": contact_fields.tel(given.phone) if given.phone else "",
            "mailto": "mailto:" + given.email if given.email else "",
            "zalo_text": given.zalo.removeprefix("https://"),
            "lang": ctx.languages()[0][0] if ctx.lang else ""}


def _ask(ctx: Context, page: Page) -> dict[str, Any] | None:
    """A policy's "where to ask" box: its own contact, or else the portal's; none without
    either."""
    own = page.params.get("contact")
    given = own if isinstance(own, Contact) else ctx.config.contact
    return {"own": given is own, "contact": contact(ctx, given)} if given else None


def item(entry: Listing, link: Link) -> dict[str, Any]:
    """A page as an entry of a list (a policy says when it is not in force)."""
    return {"title": entry.title, "href": link(entry.url), "date": _date(entry.date),
            "summary": entry.summary, "section": entry.section,
            "status": "" if entry.status == "in_force" else entry.status,
            "lang": entry.text_lang}


def _items(ctx: Context, urls: tuple[str, ...], link: Link) -> list[dict[str, Any]]:
    return [item(ctx.listing(url), link) for url in urls]


def _languages(ctx: Context, here: str, link: Link
               ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The language switcher (every language, each leading to this page in it, or to its
    home page where the page has no copies) and the `hreflang` links (translations only)."""
    languages = ctx.languages()
    if len(languages) < 2 or here == NOT_FOUND:
        return [], []
    current = ctx.lang or languages[0][0]
    copies = ctx.versions(here)
    if copies is None:  # a page only the site's own language has: tags, statistics…
        copies = tuple(Version(v.lang, here if v.lang == current else v.url, False)
                       for v in ctx.versions("/") or ())
    names = dict(languages)
    switcher = [{"code": v.lang, "name": names[v.lang], "href": link(v.url),
                 "current": v.lang == current} for v in copies]
    base = ctx.config.base_url
    translated = [v for v in copies if v.translated]
    if len(translated) < 2:
        return switcher, []

    def address(url: str) -> str:
        return base + url.lstrip("/") if base else link(url)

    alternates = [{"lang": v.lang, "href": address(v.url)} for v in translated]
    return switcher, alternates + [{"lang": "x-default", "href": address(copies[0].url)}]


def chrome(ctx: Context, here: str, link: Link) -> dict[str, Any]:
    """What every page shows around its content: site name, menu, home link, search,
    languages (all of them in the menu; outside it, one link: to the site's own language,
    or from there to the first other)."""
    config = ctx.config
    root = ctx.home_url
    menu = [{"title": m.title, "href": link(m.url),
             "current": here == m.url or (m.url != root and here.startswith(m.url))}
            for m in config.menu]
    icon = ctx.icon()
    icon = icon if icon.startswith("data:") else link(icon) if icon else "data:,"
    languages, alternates = _languages(ctx, here, link)
    given = config.contact
    footer = {**contact(ctx, given), "href": link(contact_url(ctx.lang))} if given else None
    # an untranslated copy is the original's text: search engines are sent to the original
    copies = ctx.versions(here) or ()
    if any(v.url == here and not v.translated for v in copies):
        here = copies[0].url
    return {"title": config.title, "description": config.description, "icon": icon,
            "lang": config.language, "home": link(root), "menu": menu,
            "search": link(SEARCH),
            "data": ctx.dataset_views(), "sw": link(SERVICE_WORKER),
            "canonical": (config.base_url + here.lstrip("/")) if config.base_url else "",
            "languages": languages, "alternates": alternates, "contact": footer,
            "other_language": next((v for v in languages if not v["current"]), None)}


def share(ctx: Context, here: str, image: str = "") -> dict[str, str]:
    """What a link preview (Open Graph, as Zalo and Facebook read it) needs: absolute
    addresses, so only the page's own URL and picture when base_url is known."""
    config = ctx.config
    base = config.base_url
    if not base:
        return {"url": "", "image": ""}
    card = next((v.url for v in ctx.image(image).variants if v.format == "share"),
                "") if image else ""
    default = config.share_image
    if not card and default:
        card = next((v.url for v in ctx.image(default).variants if v.format == "share"),
                    default)
    return {"url": base + here.lstrip("/"), "image": base + card.lstrip("/") if card else ""}


def _page(ctx: Context, here: str, kind: str, image: str = "", **fields: Any
          ) -> dict[str, Any]:
    """The fields every page view has, with the page's own on top."""
    link = linker(ctx.config, here)
    base = {"site": chrome(ctx, here, link), "kind": kind, "lang": "", "summary": "",
            "breadcrumbs": [], "share": share(ctx, here, image)}
    return {**base, **fields}


def term_links(ctx: Context, page: Page, link: Link) -> list[dict[str, Any]]:
    """The page's tags and places, each a link to its list, grouped by taxonomy."""
    groups = []
    for taxonomy in ctx.config.taxonomies:
        values = (page.tags if taxonomy.field == "tags" else page.locations
                  if taxonomy.field == "locations" else page.params.get(taxonomy.field, ()))
        links = []
        for value in values or ():
            url = ctx.term_url(taxonomy.path, slug(str(value)))
            if url:
                links.append({"name": str(value), "href": link(url)})
        if links:
            groups.append({"title": taxonomy.title, "terms": links})
    return groups


def loudspeaker(page: Page, script: Script | None, link: Link) -> dict[str, Any] | None:
    """An article's loudspeaker script: the link to its page (for announcers, at the end
    of the article) and how long it takes to read aloud (the script and its page are
    routes of their own; see spoken.py)."""
    if script is None:
        return None
    return {"href": link(script_page_url(page.url)), "minutes": script.minutes}


# Most bytes of a loudspeaker script written into its article's page for the listen
# button: on the sample's articles a script of 2.6 to 4.9 KB adds 250 to 490 bytes
# (gzip) to its page, the body's words being in it already. A longer script is left
# out, so that no page nears its budget (page_gzip_bytes) for it; the button then
# reads the article's own text, numbers as the phone's voice says them.
LISTEN_TEXT_BYTES = 16_000


def listen(ctx: Context, page: Page, script: Script | None, link: Link) -> dict[str, str]:
    """What the listen button reads, with a voice of the text's language (the phone's
    own, in the browser: no audio is downloaded): the loudspeaker script, written into
    the page (no request, so it works from a copied folder), or else "" for the text
    on the page (a translation, a stand-alone page, a very long script); and the
    script that speaks it."""
    text = script.text if script and len(script.text.encode()) <= LISTEN_TEXT_BYTES else ""
    return {"lang": page.lang or ctx.config.language, "text": text,
            "script": link(ctx.player())}


def _section_crumbs(ctx: Context, page: Page, link: Link) -> list[dict[str, str]]:
    section = next((s for s in ctx.sections() if s.section == page.section), None)
    return [{"title": section.title, "href": link(section.url)}] if section else []


def article(ctx: Context, url: str, script: Script | None = None) -> dict[str, Any]:
    page = ctx.page(url)
    config = ctx.config
    link = linker(config, url)
    return _page(
        ctx, url, page.kind, lang="" if page.fallback else page.lang,
        text_lang=page.lang if page.fallback else "", fallback=page.fallback,
        title=page.title, summary=page.summary or page.description,
        date=_date(page.date), updated=_date(page.updated),
        terms=term_links(ctx, page, link),
        related=_items(ctx, ctx.related(url), link),
        image=page.image,
        picture=picture(ctx, page.image, page.image_alt, link, lazy=False) if page.image else None,
        html=ctx.body(url),
        breadcrumbs=_section_crumbs(ctx, page, link),
        policy=_policy(ctx, page, link),
        ask=_ask(ctx, page) if "number" in page.params else None,
        guide={k: page.params[k] for k in ("steps", "duration") if k in page.params},
        story={k: page.params[k] for k in ("location", "household") if k in page.params},
        loudspeaker=loudspeaker(page, script, link),
        listen=listen(ctx, page, script, link),
        params=page.params,
        leaflet={"href": link(leaflet_url(url)), "paper": config.leaflet.paper}
        # (leaflets are printed from the site's own language only)
        if has_leaflet(config, page) and not ctx.lang else None)


def script_page(ctx: Context, url: str, script: Script) -> dict[str, Any]:
    """An article's loudspeaker script as a page an announcer reads from a phone: its
    paragraphs in large type, the reading time, and the file (loa.txt) to download."""
    page = ctx.page(url)
    here = script_page_url(url)
    link = linker(ctx.config, here)
    return _page(
        ctx, here, "script", lang=page.lang, title=page.title,
        breadcrumbs=_section_crumbs(ctx, page, link) + [{"title": page.title,
                                                          "href": link(page.url)}],
        script={"paragraphs": script.text.split("\n\n"), "minutes": script.minutes,
                "file": link(url + SCRIPT_FILE), "article": link(page.url)})


def full_url(config: Config, url: str) -> str:
    """A page's absolute address (for a QR code); "" without base_url."""
    return config.base_url + url.lstrip("/") if config.base_url else ""


def leaflet(ctx: Context, url: str, outlined: str, qr_svg: str) -> dict[str, Any]:
    """An article's printable leaflet: its text, key facts, the hotline, and a QR code
    (`qr_svg`, drawn by the pipeline; "" without base_url) of the article's address.

    The body is `outlined`, the outline of the article's (leaflet.outline of its body drawn
    for print: no pictures, no charts), its links taken one folder down, where the leaflet
    lives."""
    page = ctx.page(url)
    here = leaflet_url(url)
    config = ctx.config
    link = linker(config, here)
    settings = config.leaflet
    return _page(
        ctx, here, "leaflet", lang=page.lang,
        title=page.title, summary=page.summary or page.description,
        html=links_one_level_down(outlined),
        breadcrumbs=_section_crumbs(ctx, page, link) + [{"title": page.title,
                                                          "href": link(page.url)}],
        policy=_policy(ctx, page, link),
        guide={k: page.params[k] for k in ("steps", "duration") if k in page.params},
        leaflet={
            "paper": settings.paper, "article": link(page.url), "all": link(LEAFLETS),
            "url": full_url(config, page.url), "qr": qr_svg,
            "updated": _date(page.updated or page.date),
            "hotline": settings.hotline,
            "hotline_label": settings.hotline_label or ctx.words("leaflet.hotline"),
            "tel": "tel:" + re.sub(r"[^\d+]", "", settings.hotline),
        })


def leaflet_index(ctx: Context, number: int) -> dict[str, Any]:
    """One page of the list of every leaflet (sections in the configuration's order, each
    in its own order), under a heading for each section it reaches."""
    config = ctx.config
    pager = ctx.pager(LEAFLET_LIST, number, config.items_per_page, LEAFLETS)
    link = linker(config, pager.url)
    titles = {s.section: s.title for s in ctx.sections()}
    sections: list[dict[str, Any]] = []
    words = ctx.words
    for url in pager.items:
        entry = ctx.listing(url)
        if not sections or sections[-1]["name"] != entry.section:
            sections.append({"name": entry.section, "title": titles.get(entry.section, ""),
                             "id": f"to-roi-{entry.section}", "items": []})
        sections[-1]["items"].append({**item(entry, link), "href": link(leaflet_url(url))})
    return _page(
        ctx, pager.url, "leaflets", title=words("leaflet.index_title"),
        summary=words("leaflet.index_summary", paper=config.leaflet.paper),
        breadcrumbs=[] if pager.number == 1 else [
            {"title": words("leaflet.index_title"), "href": link(LEAFLETS)}],
        sections=sections, pager=_pager(pager, link))


def section_list(ctx: Context, section_url: str, number: int, in_force: bool = False
                 ) -> dict[str, Any]:
    """One page of a section's list; the section's own text shows on page 1 only.

    For a section of policies, `in_force` is the list of those still in force only,
    and every page links to the other list."""
    section = ctx.page(section_url)
    config = ctx.config
    list_id, list_url = ((in_force_list_id(section.section), in_force_url(section.section))
                         if in_force else (section_list_id(section.section), section.url))
    pager = ctx.pager(list_id, number, config.items_per_page, list_url)
    link = linker(config, pager.url)
    first = pager.number == 1 and not in_force
    policies = config.section(section.section)
    filters = None
    if policies and policies.type == "policy" and not ctx.lang:  # (the list of those in
        filters = {"all": link(section.url),                      # force is not translated)
                   "in_force": link(in_force_url(section.section)),
                   "current": "in_force" if in_force else "all"}
    return _page(
        ctx, pager.url, "section", lang="" if section.fallback else section.lang,
        title=section.title,
        summary=section.description if first else "",
        html=ctx.body(section.url) if first else "",
        filters=filters,
        breadcrumbs=[] if pager.url == section.url else [
            {"title": section.title, "href": link(section.url)}],
        items=_items(ctx, pager.items, link),
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


def _pager(pager: Pager[str], link: Link) -> dict[str, Any]:
    return {"number": pager.number, "count": len(pager.urls),
            "previous": link(pager.previous) if pager.previous else "",
            "next": link(pager.next) if pager.next else "",
            "pages": [{"number": n, "href": link(pager.urls[n - 1]) if n else "",
                       "current": n == pager.number}
                      for n in pager_numbers(pager.number, len(pager.urls))]}


def taxonomy_index(ctx: Context, taxonomy: TaxonomyConfig) -> dict[str, Any]:
    """All tags (or places) with how many articles carry each."""
    here = f"/{taxonomy.path}/"
    link = linker(ctx.config, here)
    return _page(ctx, here, "terms", title=taxonomy.title,
                 terms=[{"name": t.name, "href": link(t.url), "count": len(t.pages)}
                        for t in ctx.terms(taxonomy.path)])


def term_list(ctx: Context, taxonomy: TaxonomyConfig, term_slug: str, number: int
              ) -> dict[str, Any]:
    """One page of the articles carrying a tag (or a place)."""
    config = ctx.config
    term = ctx.term(taxonomy.path, term_slug)
    pager = ctx.pager(term_list_id(taxonomy.path, term_slug), number, config.items_per_page,
                      term.url)
    link = linker(config, pager.url)
    return _page(
        ctx, pager.url, "term", title=ctx.words("list.term_title", taxonomy=taxonomy.title,
                                                term=term.name),
        summary="", html="", filters=None,
        breadcrumbs=[{"title": taxonomy.title, "href": link(f"/{taxonomy.path}/")}],
        items=_items(ctx, pager.items, link),
        pager=_pager(pager, link))


def key_figure(ctx: Context, wanted: KeyFigure, link: Link) -> dict[str, Any]:
    data = ctx.dataset(wanted.stat)
    # (the figure alone, large: its label says what it counts, so no unit twice)
    value = data.value(wanted.row)
    return {"text": short_figure(value, data.unit, marks(ctx.words)), "label": wanted.label,
            "title": data.title, "source": data.source, "as_of": _date(data.as_of),
            "href": link(dataset_url(ctx.config.stats_path, data.id))}


def home(ctx: Context) -> dict[str, Any]:
    here = ctx.home_url  # "/", or "/km/" for an edition
    page = ctx.page(here)
    config = ctx.config
    link = linker(config, here)
    sections = [{"title": s.title, "href": link(s.url), "summary": s.description,
                 "pages": _items(ctx, ctx.latest(section_list_id(s.section), config.home_latest),
                                 link)}
                for s in ctx.sections()]
    figures = [key_figure(ctx, k, link) for k in config.key_figures
               if (data := ctx.find_dataset(k.stat)) and data.value(k.row) is not None]
    # figures of one source and date say so once, under them, not on every card
    sources = {(f["source"], repr(f["as_of"])) for f in figures}
    figures_source = figures[0] if len(sources) == 1 else None
    return _page(
        ctx, here, "home", lang="" if page.fallback else page.lang, title=page.title,
        summary=page.description or config.description, html=ctx.body(here),
        figures=figures, figures_source=figures_source,
        statistics=link(f"/{config.stats_path}/"),
        sections=sections)


def statistics(ctx: Context) -> dict[str, Any]:
    """Every dataset, at /thong-ke/: grouped by `area`, the site's key figures first (in
    their order), then by `weight`, then file by file; datasets without an area last."""
    config = ctx.config
    here = f"/{config.stats_path}/"
    link = linker(config, here)
    first = {k.stat: n for n, k in enumerate(config.key_figures)}
    found = sorted(ctx.datasets(), key=lambda d: (first.get(d.id, len(first)),
                                                  d.weight is None, d.weight or 0))
    groups: dict[str, list[dict[str, Any]]] = {}
    for d in sorted(found, key=lambda d: not d.area):  # stable: keeps the order above
        view = {**ctx.dataset_view(d.id), "href": link(dataset_url(config.stats_path, d.id))}
        if d.kind == "by" and d.rows:  # a breakdown's headline: its key figure's row, or
            # its first, named
            row = next((k.row for k in config.key_figures if k.stat == d.id and k.row),
                       d.rows[0][0])
            view["latest"] = ctx.words("stats.row_value", row=row,
                                       value=figure_text(d, ctx.words, row))
        groups.setdefault(d.area, []).append(view)
    areas = [{"title": area or (ctx.words("stats.area_other") if len(groups) > 1 else ""),
              "datasets": views} for area, views in groups.items()]
    sources = {(d.source, d.as_of) for d in found}
    return _page(ctx, here, "statistics", title=ctx.words("stats.title"),
                 summary=ctx.words("stats.summary"), areas=areas,
                 datasets_source=ctx.dataset_view(found[0].id) if len(sources) == 1 else None)


def dataset_page(ctx: Context, dataset_id: str) -> dict[str, Any]:
    stats_path = ctx.config.stats_path
    here = dataset_url(stats_path, dataset_id)
    link = linker(ctx.config, here)
    data = ctx.dataset(dataset_id)
    return _page(ctx, here, "dataset", title=data.title, summary=data.description,
                 dataset=ctx.dataset_view(dataset_id),
                 downloads={kind: link(dataset_url(stats_path, dataset_id, kind))
                            for kind in ("csv", "json")},
                 breadcrumbs=[{"title": ctx.words("stats.title"),
                               "href": link(f"/{stats_path}/")}])


def search_page(ctx: Context) -> dict[str, Any]:
    """The search page: the form (its script loads on focus), and, for readers without
    JavaScript or from a copied folder, every topic, place and section to browse."""
    config = ctx.config
    link = linker(config, SEARCH)
    taxonomies = {t.field: t.path for t in config.taxonomies}
    script, settings = ctx.search()

    def browse(field: str) -> list[dict[str, Any]]:
        return [{"title": t.name, "href": link(t.url), "count": len(t.pages)}
                for t in (ctx.terms(taxonomies[field]) if field in taxonomies else [])]

    return _page(ctx, SEARCH, "search", title=ctx.words("search.title"),
                 summary=ctx.words("search.summary"),
                 search={"script": link(script), **settings},
                 topics=browse("tags"), places=browse("locations"),
                 sections=[{"title": s.title, "href": link(s.url)} for s in ctx.sections()])


def contact_page(ctx: Context) -> dict[str, Any]:
    """Who runs the portal and every way to reach them, at /lien-he/ (and /km/lien-he/…)."""
    here = contact_url(ctx.lang)
    words = ctx.words
    return _page(ctx, here, "contact", title=words("contact.title"),
                 summary=words("contact.summary"), contact=contact(ctx, ctx.config.contact))


def not_found(ctx: Context) -> dict[str, Any]:
    """The page a server sends for a missing address: a search box (shown where it can
    work: scripted, and served), and the sections, topics and places to browse."""
    link = linker(ctx.config, NOT_FOUND)
    return _page(ctx, NOT_FOUND, "404", title=ctx.words("not_found.title"),
                 sections=[{"title": s.title, "href": link(s.url)} for s in ctx.sections()],
                 taxonomies=[{"title": t.title, "href": link(f"/{t.path}/")}
                             for t in ctx.config.taxonomies])


def redirect(ctx: Context, alias: str, target: str) -> dict[str, Any]:
    """An old address: a page that only sends the reader on (no menu, no chrome)."""
    config = ctx.config
    return {"site": {"lang": config.language}, "target": linker(config, alias)(target)}
