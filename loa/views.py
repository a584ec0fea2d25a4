"""The only dicts templates ever see.

A view is built for one output page (`here`): every link in it is already
relative to that page, every date and number already in Vietnamese form, so a
template can neither forget to relativise a link nor format a figure wrongly.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from .models import Dataset, Page, Site
from .pagination import Pager
from .text import format_date, format_number
from .urls import relative

Link = Callable[[str], str]


def linker(site: Site, here: str) -> Link:
    return lambda url: relative(here, url, site.config.links_to_index_html)


def _date(value: dt.date | None) -> dict[str, str] | None:
    return {"text": format_date(value), "iso": value.isoformat()} if value else None


def policy_status(page: Page, today: dt.date) -> str:
    """in_force / expired / not_yet, from the policy's dates on the day of the build."""
    params = page.params
    if params.get("expires") and params["expires"] <= today:
        return "expired"
    if params.get("effective") and params["effective"] > today:
        return "not_yet"
    return "in_force"


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


def item(page: Page, link: Link) -> dict[str, Any]:
    """A page as an entry of a list."""
    return {"title": page.title, "href": link(page.url), "date": _date(page.date),
            "summary": page.summary or page.description, "section": page.section}


def chrome(site: Site, here: str, link: Link) -> dict[str, Any]:
    """What every page shows around its content: site name, menu, home link."""
    config = site.config
    menu = [{"title": m.title, "href": link(m.url),
             "current": here == m.url or (m.url != "/" and here.startswith(m.url))}
            for m in config.menu]
    return {"title": config.title, "description": config.description,
            "lang": config.language, "home": link("/"), "menu": menu,
            "canonical": (config.base_url + here.lstrip("/")) if config.base_url else ""}


def article(site: Site, page: Page, today: dt.date) -> dict[str, Any]:
    link = linker(site, page.url)
    section = next((s for s in site.sections if s.section == page.section), None)
    crumbs = [{"title": section.title, "href": link(section.url)}] if section else []
    return {
        "site": chrome(site, page.url, link), "kind": page.kind, "lang": page.lang,
        "title": page.title, "summary": page.summary or page.description,
        "date": _date(page.date), "updated": _date(page.updated),
        "tags": list(page.tags), "locations": list(page.locations),
        "image": {"src": link(page.image), "alt": page.image_alt} if page.image else None,
        "html": page.html, "breadcrumbs": crumbs,
        "policy": _policy(page, today, link),
        "guide": {k: page.params[k] for k in ("steps", "duration") if k in page.params},
        "story": {k: page.params[k] for k in ("location", "household") if k in page.params},
        "params": page.params,
    }


def section_list(site: Site, section: Page, pager: Pager[Page]) -> dict[str, Any]:
    """One page of a section's list; the section's own text shows on page 1 only."""
    link = linker(site, pager.url)
    first = pager.number == 1
    return {
        "site": chrome(site, pager.url, link), "kind": "section", "lang": section.lang,
        "title": section.title, "summary": section.description if first else "",
        "html": section.html if first else "",
        "breadcrumbs": [] if first else [{"title": section.title, "href": link(section.url)}],
        "items": [item(p, link) for p in pager.items],
        "pager": {"number": pager.number, "count": len(pager.urls),
                  "previous": link(pager.previous) if pager.previous else "",
                  "next": link(pager.next) if pager.next else "",
                  "pages": [{"number": n, "href": link(u), "current": n == pager.number}
                            for n, u in enumerate(pager.urls, 1)]},
    }


def figure(dataset: Dataset, label: str, units: Callable[[str], str]) -> dict[str, Any]:
    return {"value": format_number(dataset.latest), "unit": units(dataset.unit),
            "label": label, "title": dataset.title, "source": dataset.source,
            "as_of": _date(dataset.as_of)}


def home(site: Site, latest: dict[str, list[Page]], units: Callable[[str], str]
         ) -> dict[str, Any]:
    link = linker(site, "/")
    figures = [figure(site.data[k.stat], k.label, units) for k in site.config.key_figures
               if k.stat in site.data]
    return {
        "site": chrome(site, "/", link), "kind": "home", "lang": site.home.lang,
        "title": site.home.title, "summary": site.home.description or site.config.description,
        "html": site.home.html, "figures": figures, "breadcrumbs": [],
        "sections": [{"title": s.title, "href": link(s.url), "summary": s.description,
                      "pages": [item(p, link) for p in latest.get(s.section, [])]}
                     for s in site.sections],
    }


def not_found(site: Site) -> dict[str, Any]:
    link = linker(site, "/404.html")
    return {"site": chrome(site, "/404.html", link), "kind": "404", "lang": "",
            "base": site.config.base_url, "breadcrumbs": [], "summary": "",
            "sections": [{"title": s.title, "href": link(s.url)} for s in site.sections]}


def redirect(site: Site, alias: str, target: str) -> dict[str, Any]:
    link = linker(site, alias)
    return {"site": chrome(site, alias, link), "kind": "redirect", "lang": "",
            "target": link(target)}
