"""site_config.yaml: read, checked against a schema, turned into a `Config`.

Every key is known: an unknown or misspelt key, a wrong type or a missing
required key is a diagnostic naming the key and its line, and all of them are
reported together.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import contact as contact_fields
from . import i18n
from .errors import Diagnostic, problem
from .frontmatter import YamlDoc, read_yaml
from .models import (DEFAULT_TAXONOMIES, PAPER_SIZES, SECTION_TYPES, Budgets, Config,
                     Contact, EditorConfig, KeyFigure, Language, LeafletConfig, MenuItem,
                     SectionConfig, TaxonomyConfig)
from .text import read_text

CONFIG_FILE = "site_config.yaml"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_LANG = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Option:
    type: type | tuple[type, ...]
    required: bool = False
    check: Callable[[Any], str] | None = None  # returns a diagnostic key, or "" when fine
    expected: str = ""  # the shape shown to the editor when it is wrong


def _positive(value: Any) -> str:
    return "" if value >= 1 else "config_positive"


def _base_url(value: Any) -> str:
    return "" if not value or re.match(r"https?://[^/\s]+", value) else "config_base_url"


def _section_name(value: Any) -> str:
    return "" if _NAME.fullmatch(value) else "config_section_name"


def _language_code(value: Any) -> str:
    return "" if _LANG.fullmatch(value) else "config_language_code"


def _per_language(value: Any) -> str:
    ok = all(isinstance(k, str) and _LANG.fullmatch(k) and isinstance(v, str)
             for k, v in value.items())
    return "" if ok else "config_per_language"


def _site_paths(value: Any) -> str:
    ok = all(isinstance(v, str) and v.startswith("/") for v in value)
    return "" if ok else "config_site_paths"


# The pictures a link preview shows, which Loa crops to 600x315 (assets.RASTER); no
# preview shows an SVG.
_PREVIEW_IMAGES = (".jpg", ".jpeg", ".png", ".webp")


def _site_image(value: Any) -> str:
    """A picture of static/ by its site path: `/images/chia-se.jpg`, never outside it."""
    parts = value.split("/")
    ok = (value.startswith("/") and "\\" not in value
          and all(part not in ("", ".", "..") for part in parts[1:])
          and value.lower().endswith(_PREVIEW_IMAGES))
    return "" if ok else "config_site_image"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    return lambda value: "" if value in choices else "config_choice"


TOP = {
    "title": Option(str, required=True, expected="text"),
    "description": Option(str, expected="text"),
    "base_url": Option(str, check=_base_url, expected="https://…/"),
    "language": Option(str, check=_language_code, expected="vi"),
    "sections": Option(list, required=True, expected="list"),
    "menu": Option(list, expected="list"),
    "items_per_page": Option(int, check=_positive, expected="number"),
    "home_latest": Option(int, check=_positive, expected="number"),
    "links_to_index_html": Option(bool, expected="true / false"),
    "key_figures": Option(list, expected="list"),
    "budgets": Option(dict, expected="mapping"),
    "stats_path": Option(str, check=_section_name,
                         expected="thong-ke"),
    "taxonomies": Option(list, expected="list"),
    "share_image": Option(str, check=_site_image, expected="/images/chia-se.jpg"),
    "languages": Option(list, expected="list"),
    "loudspeaker_numbers": Option(str, check=_one_of(("north", "south")),
                                  expected="north / south"),
    "leaflet": Option(dict, expected="mapping"),
    "trusted_files": Option(list, check=_site_paths, expected='["/google1234.html"]'),
    "contact": Option(dict, expected="mapping"),
    "editor": Option(dict, expected="mapping"),
}
# Hugo's and Zola's names for options of TOP that mean exactly what Loa's do and take the
# same kind of value, so that a site's settings come over as they are. Accepted without a
# warning: there is nothing to fix, and `check --strict` would fail a moved site for it.
ALIASES = {
    "paginate": "items_per_page",  # Hugo (before 0.128): articles per list page
    "paginate_by": "items_per_page",  # Zola (a section's, there; Loa has one for all)
    "baseURL": "base_url",  # Hugo (Zola's is base_url already)
    "defaultContentLanguage": "language",  # Hugo: the language at the site's root
    "default_language": "language",  # Zola: the same
}


@dataclass(frozen=True)
class Foreign:
    """Another generator's name for something Loa writes in another place or shape."""

    generator: str  # whose name it is, as the message shows it: "Hugo", "Zola", "Hugo/Zola"
    message: str  # the diagnostic, whose fix says how Loa writes it
    name: str = ""  # Loa's own name for it, where it has one


# Options of Hugo and Zola that are not Loa's in another word (those are ALIASES) but in
# another shape or place: an error whose fix says how to write them for Loa. By name in
# lower case, as Hugo reads its keys in any case (`publishdir`, `publishDir`). A name Loa
# has too (`menu`) is the other generator's when its value is a mapping, not Loa's list.
FOREIGN = {
    # a locale for feeds ("vi-vn"), beside the content's language: not the same setting
    "languagecode": Foreign("Hugo", "config_foreign_language_code", "language"),
    "publishdir": Foreign("Hugo", "config_foreign_out"),
    "output_dir": Foreign("Zola", "config_foreign_out"),
    "theme": Foreign("Hugo/Zola", "config_foreign_theme"),
    "params": Foreign("Hugo", "config_foreign_params"),
    "extra": Foreign("Zola", "config_foreign_params"),
    "pagination": Foreign("Hugo", "config_foreign_pagination", "items_per_page"),
    "menus": Foreign("Hugo", "config_foreign_menu", "menu"),
    "menu": Foreign("Hugo", "config_foreign_menu", "menu"),
    "taxonomies": Foreign("Hugo", "config_foreign_taxonomies", "taxonomies"),
    "languages": Foreign("Hugo/Zola", "config_foreign_languages", "languages"),
}
LANGUAGE = {
    "code": Option(str, required=True, check=_language_code, expected="km"),
    "title": Option(str, expected="text"),
    "description": Option(str, expected="text"),
}
TAXONOMY = {
    "field": Option(str, required=True, expected="tags"),
    "path": Option(str, required=True, check=_section_name, expected="chu-de"),
    "title": Option(str, required=True, expected="text"),
}
SECTION = {
    "name": Option(str, required=True, check=_section_name, expected="policies"),
    "title": Option(str, required=True, expected="text"),
    "type": Option(str, check=_one_of(SECTION_TYPES), expected=" / ".join(SECTION_TYPES)),
    "sort": Option(str, check=_one_of(("date", "weight")), expected="date / weight"),
}
MENU = {
    "title": Option(str, required=True, expected="text"),
    "url": Option(str, required=True, expected="/guides/"),
    "titles": Option(dict, check=_per_language, expected="{km: …, en: …}"),
}
KEY_FIGURE = {
    "stat": Option(str, required=True, expected="poverty.rate"),
    "label": Option(str, required=True, expected="text"),
    "row": Option(str, expected="text"),
    "labels": Option(dict, check=_per_language, expected="{km: …, en: …}"),
}
LEAFLET = {
    "paper": Option(str, check=_one_of(PAPER_SIZES), expected=" / ".join(PAPER_SIZES)),
    "hotline": Option(str, expected='"0291 …"'),
    "hotline_label": Option(str, expected="text"),
}
CONTACT = {name: Option(str, required=name == contact_fields.REQUIRED,
                       check=contact_fields.check(name),
                       expected=contact_fields.EXPECTED[name])
           for name in contact_fields.FIELDS}
EDITOR_BACKENDS = ("github", "gitlab", "gitea", "git-gateway")  # Decap CMS's, for a host
EDITOR = {
    "backend": Option(str, required=True, check=_one_of(EDITOR_BACKENDS),
                      expected=" / ".join(EDITOR_BACKENDS)),
    "repo": Option(str, expected="tinh/cong-thong-tin"),
    "branch": Option(str, expected="main"),
    "base_url": Option(str, check=_base_url, expected="https://…/"),
    "api_root": Option(str, check=_base_url, expected="https://…/"),
    "app_id": Option(str, expected="text"),
}
BUDGETS = {
    "page_gzip_bytes": Option(int, check=_positive, expected="number"),
    "page_total_bytes": Option(int, check=_positive, expected="number"),
    "chart_bytes": Option(int, check=_positive, expected="number"),
}


def _type_ok(value: Any, option: Option) -> bool:
    if isinstance(value, bool) and option.type is not bool:
        return False  # YAML's `yes` is not a number or a text
    return isinstance(value, option.type)


def _check_mapping(doc: YamlDoc, path: tuple, value: Any, schema: dict[str, Option],
                   file: str, aliases: dict[str, str] | None = None,
                   foreign: dict[str, Foreign] | None = None
                   ) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Keep the well-formed keys of one mapping, under the schema's names (`aliases` maps
    other names to them); report every problem in it (`foreign`: other generators' names
    and shapes, each with its own message)."""
    where = ".".join(str(p) for p in path) or "site_config.yaml"
    if not isinstance(value, dict):
        return {}, [problem(file, doc.line(*path, default=1), "config_type", key=where,
                            expected="mapping")]
    aliases, foreign = aliases or {}, foreign or {}
    good: dict[str, Any] = {}
    found: list[Diagnostic] = []
    written: dict[Any, str] = {}  # the schema's name -> the key it was written as, first
    for key, item in value.items():
        line = doc.line(*path, key, default=1)
        name = ".".join(str(p) for p in path + (key,))
        own = aliases.get(key, key) if isinstance(key, str) else key
        if own in written:  # two names for one option: which one is meant is a guess
            found.append(problem(file, line, "config_alias_twice", key=name,
                                 first=written[own], name=own))
            continue
        written[own] = name
        option = schema.get(own) if isinstance(own, str) else None
        other = foreign.get(str(key).lower())
        if other and (option is None or isinstance(item, dict) and not _type_ok(item, option)):
            found.append(problem(file, line, other.message, key=name, value=item,
                                 generator=other.generator, name=other.name))
        elif option is None:
            close = difflib.get_close_matches(str(key), schema, n=1, cutoff=0.6)
            known = ", ".join(schema)
            found.append(problem(file, line, "config_unknown_key", key=name,
                                 suggestion=close[0] if close else "", known=known)
                         if close else problem(file, line, "config_unknown_key_plain",
                                               key=name, known=known))
        elif not _type_ok(item, option):
            found.append(problem(file, line, "config_type", key=name, expected=option.expected))
        elif option.check and (bad := option.check(item)):
            found.append(problem(file, line, bad, key=name, expected=option.expected))
        else:
            good[own] = item
    for key, option in schema.items():
        if option.required and key not in written:
            found.append(problem(file, doc.line(*path, default=1), "config_missing_key",
                                 key=".".join(str(p) for p in path + (key,)),
                                 expected=option.expected))
    return good, found


def _check_list(doc: YamlDoc, key: str, items: list, schema: dict[str, Option], file: str
                ) -> tuple[dict[int, dict[str, Any]], list[Diagnostic]]:
    """The well-formed items of a list, by their place in it (which finds their lines)."""
    good: dict[int, dict[str, Any]] = {}
    found: list[Diagnostic] = []
    for index, item in enumerate(items):
        fields, problems = _check_mapping(doc, (key, index), item, schema, file)
        found += problems
        if not problems:
            good[index] = fields
    return good, found


def parse(text: str, root: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Turn the text of site_config.yaml into a Config and its problems; the Config is
    None only when the title or the sections are missing."""
    doc, found = read_yaml(text, CONFIG_FILE)
    if doc is None:
        return None, found
    top, problems = _check_mapping(doc, (), doc.data, TOP, CONFIG_FILE, ALIASES, FOREIGN)
    found += problems
    sections, problems = _check_list(doc, "sections", top.get("sections", []), SECTION,
                                     CONFIG_FILE)
    found += problems
    seen: set[str] = set()
    for index, section in sections.items():
        if section["name"] in seen:
            found.append(problem(CONFIG_FILE, doc.line("sections", index, "name"),
                                 "config_section_twice", name=section["name"]))
        seen.add(section["name"])
    if "sections" in top and not top["sections"]:
        found.append(problem(CONFIG_FILE, doc.line("sections"), "config_sections_empty"))
    menu, problems = _check_list(doc, "menu", top.get("menu", []), MENU, CONFIG_FILE)
    found += problems
    figures, problems = _check_list(doc, "key_figures", top.get("key_figures", []), KEY_FIGURE,
                                    CONFIG_FILE)
    found += problems
    budgets, problems = _check_mapping(doc, ("budgets",), top.get("budgets", {}), BUDGETS,
                                       CONFIG_FILE)
    found += problems
    leaflet, problems = _check_mapping(doc, ("leaflet",), top.get("leaflet", {}), LEAFLET,
                                       CONFIG_FILE)
    found += problems
    contact, problems = _contact(doc, top)
    found += problems
    editor, problems = _editor(doc, top)
    found += problems
    taxonomies, problems = _check_list(doc, "taxonomies", top.get("taxonomies", []), TAXONOMY,
                                       CONFIG_FILE)
    found += problems
    # a language may be named by its code alone: `- km`
    given = [{"code": item} if isinstance(item, str) else item
             for item in top.get("languages", [])]
    languages, problems = _check_list(doc, "languages", given, LANGUAGE, CONFIG_FILE)
    found += problems
    language, problems = _page_language(doc, top.get("language", i18n.DEFAULT), root)
    found += problems + _check_languages(doc, language, languages, root)
    image = top.get("share_image", "")
    if image and not (root / "static" / image[1:]).is_file():
        found.append(problem(CONFIG_FILE, doc.line("share_image"), "config_share_image_missing",
                             value=image))
        top.pop("share_image")
    if any(option.required and key not in top for key, option in TOP.items()) or not sections:
        return None, found  # no title or no sections (or not as they must be): nothing to build
    # Other problems are reported, and the rest of the site is still checked with the
    # keys that were right (a build with problems never writes anything).
    config = Config(
        root=root,
        title=top["title"],
        description=top.get("description", ""),
        base_url=_with_slash(top.get("base_url", "")),
        language=language,
        sections=tuple(SectionConfig(**s) for s in sections.values()),
        menu=tuple(MenuItem(m["title"], m["url"], line=doc.line("menu", i, "url"),
                            titles=tuple(sorted(m.get("titles", {}).items())))
                   for i, m in menu.items()),
        items_per_page=top.get("items_per_page", 10),
        home_latest=top.get("home_latest", 3),
        links_to_index_html=top.get("links_to_index_html", True),
        key_figures=tuple(KeyFigure(k["stat"], k["label"], k.get("row", ""),
                                    line=doc.line("key_figures", i),
                                    labels=tuple(sorted(k.get("labels", {}).items())))
                          for i, k in figures.items()),
        budgets=Budgets(**budgets),
        stats_path=top.get("stats_path", "thong-ke"),
        stats_path_line=doc.line("stats_path") if "stats_path" in top else 0,
        taxonomies=(tuple(TaxonomyConfig(**t, line=doc.line("taxonomies", i, "path"))
                          for i, t in taxonomies.items()) if "taxonomies" in top
                    else DEFAULT_TAXONOMIES),
        share_image=top.get("share_image", ""),
        languages=tuple(Language(**item, line=doc.line("languages", i))
                        for i, item in languages.items()),
        loudspeaker_numbers=top.get("loudspeaker_numbers", "north"),
        leaflet=LeafletConfig(**{k: v.strip() for k, v in leaflet.items()}),
        trusted_files=tuple(sorted(set(top.get("trusted_files", ())))),
        contact=contact,
        editor=editor,
    )
    return config, found


def _contact(doc: YamlDoc, top: dict[str, Any]) -> tuple[Contact | None, list[Diagnostic]]:
    """The portal's contact, when the block is there and its agency is named; a field
    written wrong is reported and left out (the rest is still shown)."""
    if "contact" not in top:
        return None, []
    fields, found = _check_mapping(doc, ("contact",), top["contact"], CONTACT, CONFIG_FILE)
    if contact_fields.REQUIRED not in fields:
        return None, found
    return Contact(**{k: v.strip() for k, v in fields.items()}), found


def _editor(doc: YamlDoc, top: dict[str, Any]
            ) -> tuple[EditorConfig | None, list[Diagnostic]]:
    """The web editor's Git host, when the block names one it can save to."""
    if "editor" not in top:
        return None, []
    fields, found = _check_mapping(doc, ("editor",), top["editor"], EDITOR, CONFIG_FILE)
    line = doc.line("editor")
    if "backend" not in fields:
        return None, found
    if fields["backend"] != "git-gateway" and not fields.get("repo", "").strip():
        return None, found + [problem(CONFIG_FILE, line, "config_editor_repo",
                                      backend=fields["backend"])]
    return EditorConfig(**{k: v.strip() for k, v in fields.items()}, line=line), found


def _page_language(doc: YamlDoc, language: str, root: Path) -> tuple[str, list[Diagnostic]]:
    """The language of the pages, when there are words for all of them in it; else the
    default, with the problem (the rest of the site is still checked)."""
    missing = i18n.missing_for_pages(language, root)
    if not missing:
        return language, []
    line = _line_of(doc, "language") or 1
    known = ", ".join(code for code in sorted(i18n.available(root))
                      if not i18n.missing_for_pages(code, root))
    if language not in i18n.available(root):
        return i18n.DEFAULT, [problem(CONFIG_FILE, line, "config_language_unknown",
                                      language=language, known=known)]
    return i18n.DEFAULT, [problem(CONFIG_FILE, line, "config_language_pages", language=language,
                                  count=len(missing), examples=", ".join(missing[:3]),
                                  known=known)]


def _line_of(doc: YamlDoc, name: str) -> int:
    """The line of an option of TOP, written under its own name or an alias."""
    keys = doc.data if isinstance(doc.data, dict) else {}
    return next((doc.line(key) for key in keys if ALIASES.get(key, key) == name), 0)


def _check_languages(doc: YamlDoc, default: str, languages: dict[int, dict[str, Any]], root: Path
                     ) -> list[Diagnostic]:
    """Each other language once, not the site's own, and with words to show it in."""
    found = []
    seen = {default}
    for index, item in languages.items():
        code, line = item["code"], doc.line("languages", index)
        if code in seen:
            found.append(problem(CONFIG_FILE, line, "config_language_twice", language=code,
                                 default=default))
        elif code not in i18n.available(root):
            found.append(problem(CONFIG_FILE, line, "config_language_unknown", language=code,
                                 known=", ".join(sorted(i18n.available(root)))))
        seen.add(code)
    return found


def _with_slash(url: str) -> str:
    url = url.strip()
    return url if not url or url.endswith("/") else url + "/"


def parse_base_url(url: str) -> tuple[str, list[Diagnostic]]:
    """A --base-url given on the command line, checked like the config key."""
    if _base_url(url):
        return "", [problem("--base-url", 0, "config_base_url", key="base_url",
                            expected="https://…/")]
    return _with_slash(url), []


def load(root: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Read `<root>/site_config.yaml`."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [problem(CONFIG_FILE, 0, "config_not_found", folder=str(root))]
    text, found = read_text(path, CONFIG_FILE)
    if text is None:
        return None, found
    config, found = parse(text, root)
    if config is not None:  # the site's own words, for each language it is published in
        found += i18n.check([config.language, *(lang.code for lang in config.languages)], root)
    return config, found
