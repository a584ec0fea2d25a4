"""The web editor's configuration (Decap CMS), written from Loa's own schema.

Commune and provincial officials edit the portal in a web form, not in a terminal: Decap
CMS gives one form per section and writes Markdown with front matter, as an editor would.
Its `config.yml` is never written by hand here: every field of every section type comes
from `content.COMMON` and `content.TYPE_FIELDS`, required where `content.REQUIRED`
says, with the widget its kind of value needs and the Vietnamese label and hint of the
translations file (`editor.field.*`, `editor.hint.*`). So a field added to Loa is in
the form the same day, and a test compares the two field by field.

Also here: Loa's own files of /admin/ (`admin_file`, drawn alike by `edit` and by a
build of a site whose `editor:` names a Git host), and the two corrections made to what
Decap's local backend reads and writes (`listed`, `merge_contact`).
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

import yaml

from . import contact as contact_fields
from . import content
from .config import CONFIG_FILE
from .i18n import Translations
from .models import Config

ADMIN = "/admin/"  # where the editor is served
# Loa's own files there, with their types: the page, Decap's configuration, Loa's script
# beside it, the preview's stylesheet
ADMIN_FILES = {"": "text/html", "config.yml": "text/yaml", "loa-editor.js": "text/javascript",
               "preview.css": "text/css"}
SCRIPT = "decap/"  # Decap's script files, under ADMIN
API = "/admin/api/v1"  # the local backend (decap-server), through the preview server
MEDIA_FOLDER = "static/images"  # where uploaded pictures go, and their site path
PUBLIC_FOLDER = "/images"
FILES_FOLDER = "static/files"  # a policy's attachment (the original document)
PUBLIC_FILES = "/files"
# Fields an editor does not fill in a form: a translation's language and original are
# its file name's (`x.km.md` beside `x.md`), which `translate` starts.
NOT_IN_FORMS = ("lang", "translation_of")
# Long texts get a text area rather than one line.
LONG_TEXT = ("summary", "description")
CONTACT_KEY = re.compile(r"contact:(\s|$)")  # the block's first line in site_config.yaml
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY",
        "time_format": False, "picker_utc": True}


def _widget(name: str, kind: content.Kind, words: Translations) -> dict[str, Any]:
    """The Decap widget for one front-matter field of `kind`."""
    if name == "image":
        return {"widget": "image", "choose_url": False}
    if name == "attachment":
        return {"widget": "file", "media_folder": f"/{FILES_FOLDER}",
                "public_folder": PUBLIC_FILES, "choose_url": False}
    if name == "contact":
        return _contact(words)
    widgets = {content._text: {"widget": "text" if name in LONG_TEXT else "string"},
               content._date: dict(DATE),
               content._text_list: {"widget": "list", "allow_add": True},
               content._bool: {"widget": "boolean", "default": False},
               content._int: {"widget": "number", "value_type": "int"}}
    return dict(widgets[kind])


def _contact(words: Translations) -> dict[str, Any]:
    """A contact block (site_config.yaml's, or a policy's own). Its agency is required only
    when the block is given at all, which Decap cannot say: the build says it, at its
    line, in the editor's bar."""
    return {"widget": "object", "fields": [
        {"name": field, "label": words(f"contact.{field}"), "widget": "string",
         "required": False} for field in contact_fields.FIELDS]}


def fields(type_: str, words: Translations) -> list[dict[str, Any]]:
    """The form of a section of `type_`: the fields Loa reads, in the order `new` writes
    them, then the body."""
    kinds = {**content.COMMON, **content.TYPE_FIELDS[type_]}
    required = set(content.REQUIRED[type_])
    found = []
    for name, kind in kinds.items():
        if name in NOT_IN_FORMS:
            continue
        found.append({"name": name, "label": words(f"editor.field.{name}"),
                      **_widget(name, kind, words), "required": name in required,
                      "hint": words(f"editor.hint.{name}")})
    found.append(_body(words))
    return found


def _body(words: Translations) -> dict[str, Any]:
    # Markdown as written first: the rich-text mode rewrites the whole body on save
    # (tables padded again, blank lines moved), the editor's choice only
    return {"name": "body", "label": words("editor.field.body"), "widget": "markdown",
            "modes": ["raw", "rich_text"], "required": False, "hint": words("editor.hint.body")}


# What a translation gives of its own: its words. Its dates, places, picture and
# addresses are its original's (a translation with its own slug or aliases is refused).
TRANSLATED = ("title", "summary", "description", "image_alt", "doc_type", "issuer",
              "duration", "location", "household")


def translation_fields(type_: str, words: Translations) -> list[dict[str, Any]]:
    """The form of a translation (`x.km.md`): only its title is required, the rest
    comes from the original."""
    kinds = {**content.COMMON, **content.TYPE_FIELDS[type_]}
    return [{"name": name, "label": words(f"editor.field.{name}"),
             **_widget(name, kinds[name], words), "required": name == "title"}
            for name in TRANSLATED if name in kinds] + [_body(words)]


def _stand_alone(root: Path) -> list[str]:
    """The stand-alone pages (content/<name>.md, not a section's and not a translation)."""
    return sorted(p.name for p in (root / content.CONTENT).glob("*.md") if listed(p.name))


def admin_file(name: str, config: Config, words: Translations, env: Any,
               problems: str = "") -> bytes:
    """One of Loa's files of /admin/ (`ADMIN_FILES`), drawn with the theme's `env`:
    the page, Decap's configuration, Loa's script beside it, the preview's stylesheet.
    `problems`: where the page reads the build's problems (`edit` only); without it, the
    configuration names the Git host of `editor:`."""
    if name == "":
        return env.get_template("admin/index.html").render(
            lang=words.lang, decap=f"{SCRIPT}decap-cms.js", problems=problems,
            site_title=config.title).encode("utf-8")
    if name == "config.yml":
        backend = None if problems else host_backend(config)
        return yaml.safe_dump(decap_config(config, words, backend), allow_unicode=True,
                              sort_keys=False).encode("utf-8")
    if name == "preview.css":
        return str(env.globals["css"]("style.css")).encode("utf-8")
    source, _, _ = env.loader.get_source(env, "admin/loa-editor.js")
    return source.encode("utf-8")


def host_backend(config: Config) -> dict[str, Any] | None:
    """The Git host of `editor:` in site_config.yaml, as Decap names its settings."""
    given = config.editor
    if given is None:
        return None
    found = {"name": given.backend, "repo": given.repo, "branch": given.branch,
             "base_url": given.base_url, "api_root": given.api_root, "app_id": given.app_id}
    return {key: value for key, value in found.items() if value}


def decap_config(config: Config, words: Translations, backend: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """Decap CMS's configuration for this site: one folder collection per section, and
    the stand-alone pages as files. `backend` is a Git host (`host_backend`); without
    it, the local backend that `edit` starts, through the preview server."""
    collections: list[dict[str, Any]] = [{
        "name": section.name, "label": section.title,
        "label_singular": words("editor.article"),
        "folder": f"{content.CONTENT}/{section.name}", "extension": "md",
        "format": "yaml-frontmatter", "create": True, "slug": "{{slug}}",
        "summary": "{{title}}", "sortable_fields": ["date", "title"],
        "fields": fields(section.type, words),
    } for section in config.sections]
    # translations, one collection per section and language: begun by `translate` (their
    # file is named for the original's), then edited here
    collections += [{
        "name": f"{section.name}-{language.code}",
        "label": words("editor.translations", section=section.title,
                       language=language.code),
        "folder": f"{content.CONTENT}/{section.name}", "extension": f"{language.code}.md",
        "format": "yaml-frontmatter", "create": False, "summary": "{{title}}",
        "fields": translation_fields(section.type, words),
    } for language in config.languages for section in config.sections]
    pages = _stand_alone(config.root)
    if pages:
        collections.append({
            "name": "pages", "label": words("editor.pages"), "format": "yaml-frontmatter",
            "files": [{"name": name.removesuffix(".md"), "label": name.removesuffix(".md"),
                       "file": f"{content.CONTENT}/{name}", "fields": fields("article", words)}
                      for name in pages]})
    collections.append({
        "name": "settings", "label": words("editor.settings"), "format": "yaml",
        "files": [{"name": "contact", "label": words("contact.title"), "file": CONFIG_FILE,
                   "fields": [{**_contact(words), "name": "contact",
                               "label": words("contact.title"), "required": False}]}]})
    return {
        "backend": backend or {"name": "proxy", "proxy_url": API, "branch": "main"},
        "locale": "vi",
        "media_folder": MEDIA_FOLDER, "public_folder": PUBLIC_FOLDER,
        # file names as Loa's slug rule makes them: ASCII, accents removed, đ -> d
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }


def listed(path: str, extension: str = "md") -> bool:
    """Whether a file of a section's folder is an article of the collection of files
    ending `.extension`: not the section's own page (`_index.md`), and of its language
    (`x.md` is an original, `x.km.md` a translation into Khmer)."""
    name = posixpath.basename(path)
    return (not name.startswith("_") and name.endswith(f".{extension}")
            and name.count(".") == extension.count(".") + 1)


def merge_contact(original: str, saved: str) -> str:
    """site_config.yaml with its `contact:` block as the form `saved` it and every other
    line as it was. Decap writes the whole file again and drops its comments, which are
    the site's own documentation: only the block an editor changed is taken from it."""
    data = yaml.safe_load(saved) or {}
    given = data.get("contact") if isinstance(data, dict) else None
    block = ["contact:"] + [
        f"  {name}: {json.dumps(str(given[name]).strip(), ensure_ascii=False)}"
        for name in contact_fields.FIELDS
        if isinstance(given, dict) and str(given.get(name) or "").strip()]
    lines = original.split("\n")
    start = next((n for n, line in enumerate(lines) if CONTACT_KEY.match(line)), None)
    if start is None:
        return original.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # (the blank lines after it stay)
        end -= 1
    return "\n".join(lines[:start] + block + lines[end:])
