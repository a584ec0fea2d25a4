"""The translations file: every word a reader or an editor sees.

Loa's own strings live in `i18n/<lang>.yaml` beside the package; a site may
override any of them in its own `i18n/<lang>.yaml`. Keys are dotted paths
(`nav.home`, `diagnostics.date_format.fix`). A site's word that is broken (not
text, or with placeholders Loa does not fill) is left out, so Loa's own stays,
and `check` reports it.
"""
from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from . import builtin
from .errors import Diagnostic, problem
from .frontmatter import YamlDoc, read_yaml
from .text import plain_text, read_text

BUILTIN_DIR = builtin.WORDS
DEFAULT = "vi"  # the language whose file holds every key
# Words only the command line shows: they come from Loa's own file of --lang, so a
# language pages are written in need not have them.
EDITORS_ONLY = ("cli.", "serve.", "diagnostics.")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _flatten(tree: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    if isinstance(tree, dict):
        for key, value in tree.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
    else:
        flat[prefix[:-1]] = str(tree)
    return flat


@dataclass(frozen=True)
class Translations:
    lang: str
    strings: dict[str, str]

    def __call__(self, name: str, /, **args: object) -> str:
        try:
            text = self.strings[name]
        except KeyError:
            raise KeyError(f"no translation for '{name}' in i18n/{self.lang}.yaml") from None
        return text.format(**args)

    def diagnostic(self, d: Diagnostic) -> str:
        """`path:line: problem — fix`, in this language."""
        where, said = self.diagnostic_parts(d)
        return f"{where}: {said}"

    def diagnostic_parts(self, d: Diagnostic) -> tuple[str, str]:
        """(`path:line`, `problem — fix`), in this language."""
        params = d.params
        problem_text = self(f"diagnostics.{d.key}.problem", **params)
        fix = self(f"diagnostics.{d.key}.fix", **params)
        where = f"{d.path}:{d.line}" if d.line else d.path
        level = self(f"diagnostics.level.{d.level}")
        return where, f"{level}{problem_text} — {fix}"


def available(site_root: Path | None = None) -> set[str]:
    """The languages there are words for: Loa's files and the site's own."""
    folders = (BUILTIN_DIR, site_root / "i18n" if site_root else None)
    return {path.stem for folder in folders if folder and folder.is_dir()
            for path in folder.glob("*.yaml")}


@functools.lru_cache(maxsize=8)  # read for each language of each build: 2.4 ms each
def _builtin(lang: str) -> dict[str, str]:
    """Loa's own words for `lang` (none when Loa has no file for it); shared, never changed."""
    path = BUILTIN_DIR / f"{lang}.yaml"
    if not path.is_file():
        return {}
    return _flatten(yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {})


def _placeholders(text: str) -> set[str] | None:
    """The `{fields}` of a text as written (`{count}`, `{size:,}`); None when its braces
    do not pair (`{` alone), which `str.format` refuses."""
    try:
        return {"{" + name + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "") + "}"
                for _, name, spec, conversion in string.Formatter().parse(text)
                if name is not None}
    except ValueError:
        return None


def _leaves(tree: dict, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _leaves(value, path + (key,))
        else:
            yield path + (key,), value


def _checked(doc: YamlDoc, path: str, loa: dict[str, str]
             ) -> tuple[dict[str, str], list[Diagnostic]]:
    """A site's words that Loa can use, and a problem for each it cannot."""
    words: dict[str, str] = {}
    found: list[Diagnostic] = []
    for keys, value in _leaves(doc.data):
        name = ".".join(str(k) for k in keys)
        line = doc.line(*keys, default=1)
        text = plain_text(value)
        fields = _placeholders(text) if text is not None else None
        filled = (_placeholders(loa[name]) or set()) if name in loa else None  # Loa's own
        if text is None:
            found.append(problem(path, line, "i18n_not_text", key=name))
        elif fields is None:
            found.append(problem(path, line, "i18n_braces", key=name))
        elif filled is not None and not fields <= filled:
            found.append(problem(path, line, "i18n_placeholder", key=name,
                                 unknown=", ".join(sorted(fields - filled)),
                                 known=", ".join(sorted(filled)) or "-"))
        else:
            words[name] = text
    return words, found


def site_words(lang: str, site_root: Path) -> tuple[dict[str, str], list[Diagnostic]]:
    """The words of a site's own `i18n/<lang>.yaml` that Loa can use, and the problems
    of the rest (a file that cannot be read gives none)."""
    file = site_root / "i18n" / f"{lang}.yaml"
    path = f"i18n/{lang}.yaml"
    if not file.exists():
        return {}, []
    text, found = read_text(file, path)
    doc, more = read_yaml(text, path) if text is not None else (None, [])
    found += more
    if doc is None or doc.data is None:
        return {}, found
    if not isinstance(doc.data, dict):
        return {}, found + [problem(path, 1, "i18n_not_mapping")]
    # (a word Loa's file for the language lacks is shown from the default language's)
    words, more = _checked(doc, path, {**_builtin(DEFAULT), **_builtin(lang)})
    return words, found + more


def check(langs: list[str], site_root: Path) -> list[Diagnostic]:
    """The problems of the site's own files for the languages it publishes."""
    return [d for lang in langs for d in site_words(lang, site_root)[1]]


def missing_for_pages(lang: str, site_root: Path) -> list[str]:
    """The keys pages need that `lang` has no words for (Loa's and the site's together);
    none for a language pages can be written in."""
    needed = [key for key in _builtin(DEFAULT) if not key.startswith(EDITORS_ONLY)]
    missing = [key for key in needed if key not in _builtin(lang)]
    if missing:  # (only then is the site's own file read)
        given = site_words(lang, site_root)[0]
        missing = [key for key in missing if key not in given]
    return sorted(missing)


def load(lang: str, site_root: Path | None = None, fallback: Translations | None = None
         ) -> Translations:
    """Loa's strings for `lang`, overridden by the site's own file if it has one. A
    language that only readers see (km) leaves editors' messages to `fallback`."""
    strings: dict[str, str] = dict(fallback.strings) if fallback else {}
    strings.update(_builtin(lang))
    if site_root is not None:
        strings.update(site_words(lang, site_root)[0])
    if not strings:
        raise FileNotFoundError(f"no translations for language '{lang}' in {BUILTIN_DIR}")
    return Translations(lang, strings)
