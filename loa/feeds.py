"""Feeds and files for crawlers: Atom feeds, sitemap.xml, robots.txt.

They need absolute addresses, so they are made only when `base_url` is set. All
dates are the pages' own (never the build's time), so a rebuild with nothing new
gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from .models import Page

NEWEST = 20
TIMEZONE = "+07:00"  # Vietnam; front matter dates have no time of day


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def _changed(page: Page) -> dt.date:
    return page.updated or page.date or dt.date(2000, 1, 1)


def atom(title: str, base_url: str, feed_path: str, page_path: str, author: str,
         pages: list[Page]) -> bytes:
    """An Atom 1.0 feed of the newest pages (with summaries), absolute URLs throughout."""
    newest = sorted(pages, key=lambda p: (p.date or dt.date.min, p.url), reverse=True)[:NEWEST]
    updated = max((_changed(p) for p in newest), default=dt.date(2000, 1, 1))
    feed_url = base_url + feed_path.lstrip("/")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
             f"<title>{escape(title)}</title>",
             f"<id>{escape(feed_url)}</id>",
             f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(feed_url)}/>",
             f"<link rel=\"alternate\" type=\"text/html\" "
             f"href={quoteattr(base_url + page_path.lstrip('/'))}/>",
             f"<updated>{_stamp(updated)}</updated>",
             f"<author><name>{escape(author)}</name></author>"]
    for page in newest:
        url = base_url + page.url.lstrip("/")
        lines += ["<entry>",
                  f"<title>{escape(page.title)}</title>",
                  f"<id>{escape(url)}</id>",
                  f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
                  f"<published>{_stamp(page.date or _changed(page))}</published>",
                  f"<updated>{_stamp(_changed(page))}</updated>"]
        if page.summary or page.description:
            lines.append(f"<summary>{escape(page.summary or page.description)}</summary>")
        lines.append("</entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap(base_url: str, pages: list[tuple[str, dt.date | None]]) -> bytes:
    """Every page once: (site path, last change or None) pairs."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, changed in sorted(set(pages)):
        lastmod = f"<lastmod>{changed.isoformat()}</lastmod>" if changed else ""
        lines.append(f"<url><loc>{escape(base_url + path.lstrip('/'))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(base_url: str) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if base_url:
        text += f"Sitemap: {base_url}sitemap.xml\n"
    return text.encode("utf-8")


def last_change(page: Page) -> dt.date | None:
    return page.updated or page.date
