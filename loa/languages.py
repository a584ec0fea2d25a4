"""The site in its other languages: translations matched to their originals, and the
original shown, with a notice, where a page has no translation yet.

Each language of `Config.languages` gets an edition under `/<code>/`: the home page,
every section's list and every article and stand-alone page, so a reader who chose
Khmer stays in Khmer from page to page. A translated page has its own text and takes
from its original whatever it does not give (date, tags, places, a policy's number…);
an untranslated one shows the original's text. Tags, places, statistics, search and
leaflets are the site's own language only: an edition links to them.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostic, problem
from .models import Config, Language, Page
from .urls import translated_url

# What a translation takes from its original unless it gives its own.
INHERITED = ("date", "updated", "tags", "locations", "image", "image_alt", "weight")


@dataclass(frozen=True)
class Edition:
    """The pages of one other language, in the order of their originals."""

    lang: str
    home: Page
    sections: tuple[Page, ...]
    articles: tuple[Page, ...]  # articles and stand-alone pages

    @property
    def pages(self) -> tuple[Page, ...]:
        return (self.home, *self.sections, *self.articles)

    def replaced(self, pages: list[Page]) -> Edition:
        """The same edition with its pages (given in the order of `pages`) replaced."""
        count = len(self.sections)
        return Edition(self.lang, pages[0], tuple(pages[1:1 + count]), tuple(pages[1 + count:]))


@dataclass(frozen=True)
class Version:
    """One language's copy of a page: where it is, and whether it is really translated."""

    lang: str
    url: str
    translated: bool


def translate(original: Page, translation: Page) -> Page:
    """A translation with its original's place in the site and the fields it left out."""
    inherited = {name: getattr(original, name) for name in INHERITED
                 if name not in translation.lines}
    return dataclasses.replace(
        translation, kind=original.kind, section=original.section, slug=original.slug,
        url=translated_url(translation.lang, original.url),
        params={**original.params, **translation.params}, **inherited)


def untranslated(original: Page, lang: str, default_lang: str) -> Page:
    """The original's text in another language's edition (its `lang` says what it is)."""
    return dataclasses.replace(original, url=translated_url(lang, original.url),
                               original=original.source, fallback=True, aliases=(),
                               lang=original.lang or default_lang)


def editions(config: Config, home: Page, sections: list[Page], articles: list[Page],
             translated: list[Page], sources: set[str]) -> tuple[list[Edition], list[Diagnostic]]:
    """One edition per other language. `translated` are the pages read as translations;
    `sources` every Markdown file of the site (an original that is a draft or dated later
    is left out without a problem, and so is its translation)."""
    originals = {p.source: p for p in (home, *sections, *articles)}
    found: list[Diagnostic] = []
    chosen: dict[tuple[str, str], Page] = {}
    for page in sorted(translated, key=lambda p: p.source):
        if page.original not in originals:
            if page.original not in sources:
                found.append(problem(page.source, page.lines.get("translation_of", 1),
                                     "translation_orphan",
                                     original=page.original.removeprefix("content/")))
            continue
        key = (page.lang, page.original)
        if key in chosen:
            found.append(problem(page.source, page.lines.get("translation_of", 1),
                                 "translation_twice", lang=page.lang,
                                 other=chosen[key].source))
            continue
        chosen[key] = page

    def edition(lang: Language) -> Edition:
        def version(original: Page) -> Page:
            page = chosen.get((lang.code, original.source))
            return (translate(original, page) if page
                    else untranslated(original, lang.code, config.language))

        return Edition(lang.code, version(home), tuple(map(version, sections)),
                       tuple(map(version, articles)))

    return [edition(lang) for lang in config.languages], found


def edition_config(config: Config, lang: Language, localised: dict[str, str]) -> Config:
    """The configuration as an edition's pages show it: the site's name, the menu and the
    home page's key figures in the language, menu entries leading to the edition's pages
    where it has them."""
    menu = tuple(dataclasses.replace(item, title=item.title_in(lang.code),
                                     url=localised.get(item.url, item.url))
                 for item in config.menu)
    figures = tuple(dataclasses.replace(figure, label=dict(figure.labels).get(lang.code,
                                                                               figure.label))
                    for figure in config.key_figures)
    return dataclasses.replace(config, title=lang.title or config.title,
                               description=lang.description or config.description,
                               language=lang.code, menu=menu, key_figures=figures)


def versions(default_lang: str, originals: list[Page], found: list[Edition]
             ) -> dict[str, tuple[Version, ...]]:
    """Every copy of each page, by the URL of any of them (for the language switcher
    and the `hreflang` links). Home pages and lists count as translated: their words are."""
    by_url: dict[str, tuple[Version, ...]] = {}
    for i, original in enumerate(originals):
        copies = (Version(default_lang, original.url, True),) + tuple(
            Version(e.lang, e.pages[i].url,
                    original.kind in ("home", "section") or not e.pages[i].fallback)
            for e in found)
        for copy in copies:
            by_url[copy.url] = copies
    return by_url


# The fields a translation starts from: the original's words, for the translator to
# replace (dates, numbers and lists come from the original).
TRANSLATED_FIELDS = ("title", "summary", "description", "doc_type", "issuer", "duration",
                     "location", "household")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^(#{2,6})[ \t]+(.*?)[ \t]*$")
_GIVEN_ID = re.compile(r"\{[^}]*#[\w-]+[^}]*\}$")


def with_heading_ids(body: str, ids: list[str]) -> str:
    """`body` with each `##` heading ending in the id its page gives it (`{#buoc-2}`), so
    a translation keeps the ids links name. Unchanged when the headings cannot be matched
    one to one (underlined headings, say)."""
    lines = body.split("\n")
    headings, fence = [], ""
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if opened:
            fence = "" if fence and opened[1].startswith(fence) else fence or opened[1]
        elif not fence and _ATX.match(line):
            headings.append(number)
    if len(headings) != len(ids):
        return body
    for number, ident in zip(headings, ids):
        marks, text = _ATX.match(lines[number]).groups()
        if not _GIVEN_ID.search(text):
            lines[number] = f"{marks} {text.rstrip('#').rstrip()} {{#{ident}}}"
    return "\n".join(lines)


def scaffold(fields: dict[str, Any], body: str, ids: list[str], note: str) -> str:
    """A translation to start from: the original's words to replace (its text fields and
    its body, every heading keeping its id), with `note` on top as a YAML comment."""
    lines = ["---", f"# {note}"]
    lines += [f"{name}: {json.dumps(str(fields[name]), ensure_ascii=False)}"
              for name in TRANSLATED_FIELDS if fields.get(name)]
    return "\n".join(lines + ["---", ""]) + with_heading_ids(body.lstrip("\n"), ids)
