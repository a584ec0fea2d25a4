"""Tags and places: their pages, and the articles related to each article.

Both are pure functions over pages, and both grow linearly with the site: terms
come from one pass over the pages, and related articles are scored only against
the most recent pages of each shared term (FANOUT of them), never against every
other article.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Iterable

from .models import Page, TaxonomyConfig, Term
from .text import slug as make_slug

FANOUT = 50  # candidates taken from each shared term, newest first
RELATED = 5
RELATED_SETTINGS = f"fanout {FANOUT} related {RELATED} by shared terms, then newest"


def _newest_first(page: Page) -> tuple:
    return (-(page.date or dt.date.min).toordinal(), page.title, page.url)


def terms(pages: Iterable[Page], taxonomy: TaxonomyConfig) -> list[Term]:
    """Every value of `taxonomy.field` in the pages, with its pages newest first.

    Spellings that make the same slug (`4G`, `4g`) are one term, shown as the most
    common spelling. Terms are sorted by their slug (accent-free alphabetical)."""
    members: dict[str, list[Page]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    slugs: dict[str, str] = {}  # python-slugify is slow; a site repeats its terms
    for page in pages:
        values = page.tags if taxonomy.field == "tags" else (
            page.locations if taxonomy.field == "locations" else page.params.get(taxonomy.field))
        if not isinstance(values, (list, tuple)):
            continue
        for value in values:
            text = str(value)
            key = slugs.get(text)
            if key is None:
                key = slugs[text] = make_slug(text)
            if key:
                members[key].append(page)
                spellings[key][text] += 1
    found = []
    for key in sorted(members):
        name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        found.append(Term(taxonomy.path, name, key, f"/{taxonomy.path}/{key}/",
                          tuple(sorted({p.url: p for p in members[key]}.values(),
                                       key=_newest_first))))
    return found


def related(pages: list[Page], all_terms: Iterable[Term], limit: int = RELATED
            ) -> dict[str, tuple[Page, ...]]:
    """Up to `limit` related pages for each page: most shared terms, then newest."""
    of_page: dict[str, list[Term]] = defaultdict(list)
    for term in all_terms:
        for page in term.pages:
            of_page[page.url].append(term)
    found = {}
    for page in pages:
        scores: Counter = Counter()
        by_url = {}
        for term in of_page.get(page.url, ()):
            for other in term.pages[:FANOUT]:
                if other.url != page.url:
                    scores[other.url] += 1
                    by_url[other.url] = other
        ranked = sorted(scores, key=lambda url: (-scores[url], _newest_first(by_url[url])))
        found[page.url] = tuple(by_url[url] for url in ranked[:limit])
    return found
