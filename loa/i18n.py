"""The translations file: every word a reader or an editor sees.

Loa's own strings live in `i18n/<lang>.yaml` beside the package; a site may
override any of them in its own `i18n/<lang>.yaml`. Keys are dotted paths
(`nav.home`, `diagnostics.date_format.fix`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "i18n"
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
        params = d.params
        problem_text = self(f"diagnostics.{d.key}.problem", **params)
        fix = self(f"diagnostics.{d.key}.fix", **params)
        where = f"{d.path}:{d.line}" if d.line else d.path
        level = self(f"diagnostics.level.{d.level}")
        return f"{where}: {level}{problem_text} — {fix}"


def available(site_root: Path | None = None) -> set[str]:
    """The languages there are words for: Loa's files and the site's own."""
    folders = (BUILTIN_DIR, site_root / "i18n" if site_root else None)
    return {path.stem for folder in folders if folder and folder.is_dir()
            for path in folder.glob("*.yaml")}


def load(lang: str, site_root: Path | None = None, fallback: Translations | None = None
         ) -> Translations:
    """Loa's strings for `lang`, overridden by the site's own file if it has one. A
    language that only readers see (km) leaves editors' messages to `fallback`."""
    strings: dict[str, str] = dict(fallback.strings) if fallback else {}
    for folder in (BUILTIN_DIR, site_root / "i18n" if site_root else None):
        if folder is None:
            continue
        path = folder / f"{lang}.yaml"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            strings.update(_flatten(yaml.load(text, Loader=_LOADER) or {}))
    if not strings:
        raise FileNotFoundError(f"no translations for language '{lang}' in {BUILTIN_DIR}")
    return Translations(lang, strings)
