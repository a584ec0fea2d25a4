"""The web editor's configuration (Decap CMS), written from Loa's own schema.

Commune and provincial officials edit the portal in a web form, not in a terminal: Decap
CMS gives one form per section and writes Markdown with front matter, as an editor would.
Its `config.yml` is never written by hand here: every field of every section type comes
from `content.COMMON` and `content.TYPE_FIELDS`, required where `content.REQUIRED`
says, with the widget its kind of value needs and the Vietnamese label and hint of the
translations file (`editor.field.*`, `editor.hint.*`). So a field added to Loa is in
the form the same day, and a test compares the two field by field.
"""
from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from . import contact as contact_fields
from . import content
from .i18n import Translations
from .models import Config

ADMIN = "/admin/"  # where the editor is served
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
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY",
        "time_format": False, "picker_utc": True}


def _widget(name: str, kind: content.Kind) -> dict[str, Any]:
    """The Decap widget for one front-matter field of `kind`."""
    if name == "image":
        return {"widget": "image", "choose_url": False}
    if name == "attachment":
        return {"widget": "file", "media_folder": f"/{FILES_FOLDER}",
                "public_folder": PUBLIC_FILES, "choose_url": False}
    if name == "contact":
        return {"widget": "object", "collapsed": True, "fields": [
            {"name": field, "widget": "string", "required": field == contact_fields.REQUIRED}
            for field in contact_fields.FIELDS]}
    widgets = {content._text: {"widget": "text" if name in LONG_TEXT else "string"},
               content._date: dict(DATE),
               content._text_list: {"widget": "list", "allow_add": True},
               content._bool: {"widget": "boolean", "default": False},
               content._int: {"widget": "number", "value_type": "int"}}
    return dict(widgets[kind])


def fields(type_: str, words: Translations) -> list[dict[str, Any]]:
    """The form of a section of `type_`: the fields Loa reads, in the order `new` writes
    them, then the body."""
    kinds = {**content.COMMON, **content.TYPE_FIELDS[type_]}
    required = set(content.REQUIRED[type_])
    found = []
    for name, kind in kinds.items():
        if name in NOT_IN_FORMS:
            continue
        field = {"name": name, "label": words(f"editor.field.{name}"),
                 **_widget(name, kind), "required": name in required}
        if f"editor.hint.{name}" in words.strings:
            field["hint"] = words(f"editor.hint.{name}")
        if field["widget"] == "object":
            for sub in field["fields"]:
                sub["label"] = words(f"contact.{sub['name']}")
        found.append(field)
    found.append({"name": "body", "label": words("editor.field.body"), "widget": "markdown",
                  "required": False, "hint": words("editor.hint.body")})
    return found


def _stand_alone(root: Path) -> list[str]:
    """The stand-alone pages (content/<name>.md, not a section's and not a translation)."""
    folder = root / content.CONTENT
    return sorted(p.name for p in folder.glob("*.md")
                  if not p.name.startswith("_") and p.name.count(".") == 1)


def decap_config(config: Config, words: Translations, backend: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """Decap CMS's configuration for this site: one folder collection per section, and
    the stand-alone pages as files. `backend` is a production one (`editor:` in
    site_config.yaml); without it, only the local backend `edit` starts."""
    collections: list[dict[str, Any]] = [{
        "name": section.name, "label": section.title,
        "label_singular": words("editor.article"),
        "folder": f"{content.CONTENT}/{section.name}", "extension": "md",
        "format": "yaml-frontmatter", "create": True, "slug": "{{slug}}",
        "summary": "{{title}}", "sortable_fields": ["date", "title"],
        "fields": fields(section.type, words),
    } for section in config.sections]
    pages = _stand_alone(config.root)
    if pages:
        collections.append({
            "name": "pages", "label": words("editor.pages"), "format": "yaml-frontmatter",
            "files": [{"name": name.removesuffix(".md"), "label": name.removesuffix(".md"),
                       "file": f"{content.CONTENT}/{name}", "fields": fields("article", words)}
                      for name in pages]})
    found: dict[str, Any] = {
        "backend": backend or {"name": "proxy", "proxy_url": API, "branch": "main"},
        "locale": "vi",
        "media_folder": MEDIA_FOLDER, "public_folder": PUBLIC_FOLDER,
        # file names as Loa's slug rule makes them: ASCII, accents removed, đ -> d
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }
    return found


def listed(path: str) -> bool:
    """Whether a file of a section's folder is an article its form edits: not the
    section's own page (`_index.md`), not a translation (`x.km.md`, begun by `translate`
    and edited as a file)."""
    name = posixpath.basename(path)
    return not name.startswith("_") and name.count(".") == 1
