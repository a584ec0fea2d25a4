"""Finding the site's files and reading articles into `Page`s.

Sections are the folders of `content/` named in site_config.yaml. A section's
`_index.md` gives its page a description and body, `content/_index.md` does the
same for the home page, and any other `content/<name>.md` is a stand-alone page
(`/<name>/`). Other files under `content/` are copied beside the pages.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from . import contact as contact_fields
from . import urls
from .config import Foreign
from .errors import ERROR, WARNING, Diagnostic, problem
from .frontmatter import YamlDoc, read_yaml, split
from .models import BuildOptions, Config, Contact, Page, Source
from .text import (date_problem, date_suggestion, nfc, parse_date, plain_text, read_text,
                   slug, whole_number)

CONTENT = "content"
STATIC = "static"
INDEX = "_index.md"


# --- field kinds: each turns a YAML value into a clean one, or names the problem ---

def _text(value: Any) -> tuple[Any, str]:
    text = plain_text(value)
    return (text.strip(), "") if text is not None else (None, "field_text")


def _date(value: Any) -> tuple[Any, str]:
    parsed = parse_date(value) if isinstance(value, (str, dt.date)) else None
    return (parsed, "") if parsed else (None, date_problem(value))


def _text_list(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):
        return None, "field_list_sentence"
    if not isinstance(value, list):
        return None, "field_list"
    items = []
    for item in value:
        text, bad = _text(item)
        if bad or not text:
            return None, "field_list_item"
        items.append(text)
    return tuple(dict.fromkeys(items)), ""


def _bool(value: Any) -> tuple[Any, str]:
    return (value, "") if isinstance(value, bool) else (None, "field_bool")


def _int(value: Any) -> tuple[Any, str]:
    number = whole_number(value)
    return (number, "") if number is not None else (None, "field_int")


Kind = Callable[[Any], tuple[Any, str]]


def _contact(value: Any) -> tuple[Any, str]:
    """A policy's own contact: read by `_read_contact`, which tells each of its lines."""
    raise AssertionError("read by _read_contact")


def _read_contact(path: str, doc: YamlDoc, key: Any, raw: Any
                  ) -> tuple[Contact | None, list[Diagnostic]]:
    """`contact:` with its fields indented below (as in site_config.yaml): a Contact, or
    every problem at its own line."""
    line = doc.line(key, default=2)
    if not isinstance(raw, dict):
        return None, [problem(path, line, "field_contact", field="contact")]
    values: dict[str, str] = {}
    found: list[Diagnostic] = []
    for name, item in raw.items():
        where = doc.line(key, name, default=line)
        shown = f"contact.{name}"
        text = plain_text(item)
        if name not in contact_fields.FIELDS:
            found.append(problem(path, where, "field_contact_key", field="contact",
                                 key=str(name), known=", ".join(contact_fields.FIELDS)))
        elif text is None:
            found.append(problem(path, where, "field_text", field=shown))
        elif bad := contact_fields.problem_key(name, text):
            found.append(problem(path, where, bad, key=shown,
                                 expected=contact_fields.EXPECTED[name]))
        else:
            values[name] = nfc(text.strip())
    if contact_fields.REQUIRED not in raw:
        found.append(problem(path, line, "field_contact_agency", field="contact"))
    return (None if found else Contact(**values)), found


COMMON: dict[str, Kind] = {
    "title": _text, "date": _date, "updated": _date, "summary": _text,
    "description": _text, "tags": _text_list, "locations": _text_list, "image": _text,
    "image_alt": _text, "slug": _text, "draft": _bool, "weight": _int,
    "aliases": _text_list, "lang": _text, "translation_of": _text,
}
TYPE_FIELDS: dict[str, dict[str, Kind]] = {
    "article": {},
    "policy": {"doc_type": _text, "number": _text, "issuer": _text, "issued": _date,
               "effective": _date, "expires": _date, "attachment": _text,
               "contact": _contact},
    "guide": {"steps": _int, "duration": _text},
    "story": {"location": _text, "household": _text},
}
# Hugo's and Zola's front-matter names for what Loa's fields say otherwise. Without a
# message they would be kept as `params`, silently doing nothing (an article's `lastmod`
# never shown, its `expiryDate` never obeyed). By name in lower case, as Hugo reads them;
# a field one of the site's taxonomies reads (`categories`) is the site's own.
FOREIGN_FIELDS = {
    "lastmod": Foreign("Hugo", "field_foreign_lastmod", "updated"),
    # (Hugo's `date` is shown, its `publishDate` holds the page back; Loa's `date` does both)
    "publishdate": Foreign("Hugo", "field_foreign_publish_date", "date"),
    # (Hugo takes the page down; a policy that `expires` stays online, marked as such)
    "expirydate": Foreign("Hugo", "field_foreign_expiry_date", "expires"),
    "categories": Foreign("Hugo", "field_foreign_categories", "tags"),
    "taxonomies": Foreign("Zola", "field_foreign_taxonomies", "tags"),  # {tags: [a, b]}
    "paginate_by": Foreign("Zola", "field_foreign_paginate_by", "items_per_page"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("title", "date"),
    "policy": ("title", "date", "number", "issuer", "issued"),
    "guide": ("title", "date"),
    "story": ("title", "date"),
    "page": ("title",),
    "section": (),
    "home": (),
}


def scaffold(title: str, date: dt.date, type_: str, hints: Mapping[str, str]) -> str:
    """A new article's front matter: every field of its section's type, empty, each with
    a hint (`hints`, by field name) beside it. A type that cannot be published without
    values only the editor knows (a policy's number, issuer, date) starts as a draft."""
    draft = any(name not in ("title", "date") for name in REQUIRED[type_])
    lines = [f"title: {json.dumps(title, ensure_ascii=False)}",  # (a JSON string is YAML)
             f"date: {date.isoformat()}"]
    if draft:
        lines.append(f"draft: true  # {hints['draft']}")
    lines += [f'summary: ""  # {hints["summary"]}', "tags: []"]
    for name, reader in TYPE_FIELDS[type_].items():
        empty = ' ""' if reader is _text else ""
        lines.append(f"{name}:{empty}  # {hints[name]}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


# Fields read by Loa, per kind of page; others are kept for templates.
_EXPECTED_SHAPE = {_text: "text", _date: "YYYY-MM-DD", _text_list: "[a, b]", _bool: "true",
                   _int: "1"}


@dataclass(frozen=True)
class SiteFiles:
    """Everything found under content/ and static/."""

    markdown: tuple[tuple[str, Path], ...]  # (site-relative path, file): read one at a time
    assets: dict[str, Path]  # site path -> file on disk (static/ and content/ non-Markdown)


def read_source(path: str, file: Path) -> tuple[Source | None, list[Diagnostic]]:
    """One Markdown file of the site, read and normalised (or why it cannot be)."""
    text, found = read_text(file, path)
    return (Source(path, text) if text is not None else None), found


def read_body(page: Page, file: Path | None) -> str:
    """A page's Markdown body read again from its file (None for a section or home page
    Loa made up): a build of thousands of pages does not keep every body in memory
    between reading front matter and rendering."""
    if file is None:
        return ""
    source, _ = read_source(page.source, file)
    parts, _ = split(source.text, page.source) if source else (None, [])
    return parts.body if parts else ""


def _hidden(name: str) -> bool:
    return name.startswith(".") or name.endswith("~")


def _inside(path: str, root: Path) -> bool | None:
    """Whether a link leads inside the site; None when it leads nowhere (a loop, a
    target that is gone)."""
    try:
        target = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return target.is_relative_to(root.resolve())


def _walk(folder: str) -> tuple[list[tuple[str, bool]], list[str]]:
    """Every visible file under `folder`, and every link (not followed into folders: a
    link to a folder is listed like a file), each with whether it is a link; and the
    folders that could not be read. (The file system says what an entry is as it lists
    it: no stat call per file.)"""
    found: list[tuple[str, bool]] = []
    unreadable: list[str] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            unreadable.append(current)  # its pages would vanish from the site unsaid
            continue
        for entry in entries:
            if _hidden(entry.name):
                continue
            if entry.is_symlink():
                found.append((entry.path, True))
            elif entry.is_dir():
                pending.append(entry.path)
            elif entry.is_file():  # (not a device, a pipe or a socket)
                found.append((entry.path, False))
    return found, unreadable


def _shown(name: str) -> str:
    """A name as a message can show it: bytes that are not UTF-8 as \\xff."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


# Files a browser would run as a program of the site (a page with scripts, a script, an
# XML or XSLT document that can hold XHTML scripts), published only when trusted by name.
RUNNABLE = frozenset((".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".xml",
                      ".xsl", ".xslt", ".svgz", ".swf"))


def discover(config: Config) -> tuple[SiteFiles, list[Diagnostic]]:
    """Find every Markdown file of content/ and every file to copy."""
    found: list[Diagnostic] = []
    markdown: list[tuple[str, Path]] = []
    assets: dict[str, Path] = {}
    for folder in (config.root / STATIC, config.root / CONTENT):
        if not folder.is_dir():
            continue
        # (names cut as strings: Path methods cost 0.3 s for 10,000 articles)
        from_folder = len(str(folder)) + 1
        walked, unreadable = _walk(str(folder))
        found += [problem(f"{folder.name}/{_shown(name[from_folder:])}".rstrip("/"), 0,
                          "folder_unreadable") for name in unreadable]
        for name, link in sorted(walked):
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:  # (a byte of the name is no UTF-8: no URL can say it)
                found.append(problem(f"{folder.name}/{_shown(name[from_folder:])}", 0,
                                     "file_name_not_utf8"))
                continue
            path = Path(name)
            inner = nfc(name[from_folder:].replace(os.sep, "/"))
            rel = f"{folder.name}/{inner}"
            if link:
                inside = _inside(name, config.root)
                if inside is None:
                    found.append(problem(rel, 0, "symlink_broken"))
                    continue
                if not inside:  # a link to a file or folder elsewhere
                    found.append(problem(rel, 1, "symlink_outside"))
                    continue
                if not path.is_file():
                    continue  # a link to a folder of the site: its files are found there
            site_path = "/" + inner
            suffix = os.path.splitext(name)[1].lower()
            if folder.name == CONTENT and suffix == ".md":
                markdown.append((rel, path))
            elif suffix in RUNNABLE and site_path not in config.trusted_files:
                found.append(problem(rel, 0, "file_can_run", site_path=site_path))
            else:
                assets[site_path] = path
    markdown.sort()
    return SiteFiles(tuple(markdown), assets), found


_LANG_SUFFIX = re.compile(r"(?P<stem>.+)\.(?P<code>[a-z]{2,3})\.md")


def language_of(path: str, config: Config) -> tuple[str, str]:
    """A translation named for its language: `content/guides/x.km.md` -> ("km",
    "content/guides/x.md"); any other file -> ("", path). A suffix that is no language of
    the site (`x.fr.md`) comes back as ("?fr", path), for the reader to report."""
    folder, _, name = path.rpartition("/")
    found = _LANG_SUFFIX.fullmatch(name)
    if not found:
        return "", path
    code = found["code"]
    if code == config.language or code not in {lang.code for lang in config.languages}:
        return "?" + code, path
    return code, f"{folder}/{found['stem']}.md"


def _translation(path: str, values: dict[str, Any], lines: dict[str, int], config: Config
                 ) -> tuple[str, str, list[Diagnostic]]:
    """(language, source of the original, problems) of a page that translates another:
    named `x.km.md`, or carrying `translation_of` (with `lang`); ("", "", []) otherwise."""
    code, original = language_of(path, config)
    others = {lang.code for lang in config.languages}
    known = ", ".join(sorted(others)) or "-"
    if code.startswith("?"):
        return "", "", [problem(path, 1, "translation_language", language=code[1:], known=known)]
    given = values.get("translation_of")
    if given is None:
        if code and values.get("lang", code) != code:
            return "", "", [problem(path, lines["lang"], "translation_lang_differs",
                                    language=code, value=values["lang"])]
        return code, original if code else "", []
    line = lines["translation_of"]
    lang = values.get("lang", "")
    if lang not in others:
        return "", "", [problem(path, lines.get("lang", line), "translation_needs_lang",
                                value=lang, known=known)]
    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), given))
    if not target.startswith(CONTENT + "/") or not target.endswith(".md"):
        return "", "", [problem(path, line, "translation_of_path", value=given)]
    return lang, target, []


# Characters that reorder the text around them (embeddings, overrides, isolates): a title
# holding one can read otherwise than it is written ("Trojan Source", CVE-2021-42574).
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _bidi_controls(path: str, fields: dict[str, Any], lines: dict[str, int]
                   ) -> list[Diagnostic]:
    """A warning for the file's name and each text field that holds such a character."""
    found = []
    if control := _BIDI_CONTROL.search(path):
        found.append(problem(path, 1, "bidi_control_name", level=WARNING,
                             char=f"U+{ord(control[0]):04X}"))
    for name, value in fields.items():
        for text in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(text, str) and (control := _BIDI_CONTROL.search(text)):
                found.append(problem(path, lines[name], "bidi_control", level=WARNING,
                                     field=name, char=f"U+{ord(control[0]):04X}"))
                break
    return found


def _kind_of(source: str, config: Config) -> tuple[str, str, str]:
    """(page kind, section name, section type) from a path like content/guides/x.md."""
    parts = source.split("/")[1:]
    if len(parts) == 1:
        return ("home", "", "home") if parts[0] == INDEX else ("page", "", "page")
    section = config.section(parts[0])
    if section is None:
        return "", parts[0], ""
    if parts[-1] == INDEX:
        return ("section", section.name, "section") if len(parts) == 2 else ("", "", "")
    return "article", section.name, section.type


def read_page(source: Source, config: Config, options: BuildOptions
              ) -> tuple[Page | None, list[Diagnostic]]:
    """Parse one Markdown file: the page (None when it has errors, or is a draft or a
    future page left out) and its problems (warnings come with a page)."""
    path = source.path
    kind, section, type_ = _kind_of(language_of(path, config)[1], config)
    if not kind:
        return None, [problem(path, 1, "unknown_section", section=section,
                              known=", ".join(s.name for s in config.sections))]
    parts, found = split(source.text, path)
    if parts is None:
        return None, found
    doc, found = read_yaml(parts.yaml_text, path, offset=1)
    if doc is None:
        return None, found
    meta = {} if doc.data is None else doc.data
    if not isinstance(meta, dict):
        return None, [problem(path, 2, "frontmatter_not_mapping")]
    fields = {**COMMON, **TYPE_FIELDS.get(type_, {})}
    values: dict[str, Any] = {}
    params: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, raw in meta.items():
        key_text = nfc(str(key))
        line = doc.line(key, default=2)
        lines[key_text] = line
        reader = fields.get(key_text)
        if reader is None:
            other = FOREIGN_FIELDS.get(key_text.lower())
            if other and key_text not in {t.field for t in config.taxonomies}:
                found.append(problem(path, line, other.message, field=key_text,
                                     generator=other.generator, name=other.name,
                                     value=_show(raw),
                                     suggestion=date_suggestion(raw) or "YYYY-MM-DD"))
            elif close := difflib.get_close_matches(key_text, fields, n=1, cutoff=0.75):
                found.append(problem(path, line, "field_misspelt", field=key_text,
                                     suggestion=close[0]))
            else:
                params[key_text] = raw
            continue
        if raw is None or raw == "":
            continue  # an empty field is an absent one
        if reader is _contact:
            value, problems = _read_contact(path, doc, key, raw)
            found += problems
            if value is not None:
                values[key_text] = value
            continue
        value, bad = reader(nfc(raw) if isinstance(raw, str) else raw)
        if bad:
            found.append(problem(path, line, bad, field=key_text, value=_show(raw),
                                 suggestion=date_suggestion(raw) or "YYYY-MM-DD",
                                 expected=_EXPECTED_SHAPE[reader]))
        else:
            values[key_text] = value
    lang, original, problems = _translation(path, values, lines, config)
    found += problems
    # a translation needs only its title: the rest it does not give comes from its original
    if original or problems:
        required: tuple[str, ...] = ("title",) if kind in ("article", "page") else ()
    else:
        required = REQUIRED[type_]
    # (a draft left unpublished is only reminded of what it still needs)
    level = WARNING if values.get("draft") and not options.drafts else ERROR
    for name in required:
        if name not in values and not any(
                name in (d.params.get("field"), d.params.get("suggestion"), d.params.get("name"))
                for d in found):  # (not again when a problem already says to write it)
            if name in lines:  # written, and left empty
                found.append(problem(path, lines[name], "field_empty", level=level, field=name))
            else:
                found.append(problem(path, 1, "field_missing", level=level, field=name))
    if values.get("image") and not values.get("image_alt"):
        found.append(problem(path, lines["image"], "image_alt_missing"))
    slug_value = slug(Path(original or path).stem) if kind in ("article", "page") else ""
    if original and ("slug" in values or "aliases" in values):
        field = "slug" if "slug" in values else "aliases"
        found.append(problem(path, lines[field], "translation_own_url", field=field))
    elif "slug" in values:
        slug_value, bad = urls.check_slug(values["slug"])
        if bad:
            found.append(problem(path, lines["slug"], bad, value=values["slug"]))
    elif kind in ("article", "page") and not slug_value:
        found.append(problem(path, 1, "slug_empty", value=Path(path).stem))
    if found:
        return None, found
    if kind == "article" and not original and not values.get("summary") \
            and not values.get("description"):
        found.append(problem(path, 1, "summary_missing", level=WARNING))
    found += _bidi_controls(path, {**params, **values}, lines)
    if not options.drafts and values.get("draft"):
        return None, []
    date = values.get("date")
    if not options.future and date and date > options.today:
        return None, []
    url = {"home": "/", "section": urls.section_url(section)}.get(
        kind, urls.page_url(section, slug_value))
    if original:
        url = urls.translated_url(lang, url)  # where it goes if its original keeps its name
        values["lang"] = lang
    page_fields = {f.name for f in dataclasses.fields(Page)}
    common = {k: v for k, v in values.items() if k in page_fields and k != "slug"}
    common.setdefault("title", (config.section(section).title if kind == "section"
                                else config.title))
    typed = {k: v for k, v in values.items() if k not in COMMON}
    return Page(kind=kind, source=path, section=section, slug=slug_value, url=url,
                original=original, params={**params, **typed}, lines=lines, body=parts.body,
                body_line=parts.body_line, **common), found


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def sort_key(section_sort: str) -> Callable[[Page], tuple]:
    """Newest first (then weight, then title); or by weight first when asked."""
    def by_date(page: Page) -> tuple:
        return (-(page.date or dt.date.min).toordinal(), page.weight or 0, page.title, page.url)

    def by_weight(page: Page) -> tuple:
        return (page.weight is None, page.weight or 0) + by_date(page)

    return by_weight if section_sort == "weight" else by_date


def policy_status(page: Page, today: dt.date) -> str:
    """in_force / expired / not_yet, from a policy's dates on the day of the build."""
    params = page.params
    if params.get("expires") and params["expires"] <= today:
        return "expired"
    if params.get("effective") and params["effective"] > today:
        return "not_yet"
    return "in_force"
