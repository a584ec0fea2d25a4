"""Jinja2: views in, HTML bytes out.

Templates are looked up in the site's own `templates/` first, then in Loa's
theme, so a site may override any template. Undefined names are errors
(StrictUndefined), autoescape is on, and the translations are the global `t`.
"""
from __future__ import annotations

import functools
import hashlib
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .assets import minify_css

from .errors import Diagnostic, problem
from .i18n import Translations

THEME_DIR = Path(__file__).resolve().parent.parent / "templates"


def environment(site_root: Path, translations: Translations) -> jinja2.Environment:
    folders = [site_root / "templates", THEME_DIR]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in dict.fromkeys(folders) if f.is_dir()]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = translations

    @functools.cache
    def css(name: str) -> Markup:
        """A stylesheet of the templates, minified once, for a <style> element."""
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        return Markup(minify_css(source))

    env.globals["css"] = css
    return env


def fingerprint(env: jinja2.Environment) -> str:
    """A hash of every template the environment can load (a site's own first): when it
    changes, every page is rendered again."""
    digest = hashlib.sha256()
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for name in sorted(loader.list_templates()):
        source, _, _ = loader.get_source(env, name)
        digest.update(f"{len(name)}:{name}{len(source)}:".encode("utf-8") + source.encode("utf-8"))
    return digest.hexdigest()


def _template_line(error: BaseException) -> tuple[str, int]:
    """The template file and line an error happened in (Jinja maps its frames)."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return error.filename or error.name or "templates", error.lineno or 0
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".css")):
            return frame.filename, frame.lineno or 0
    return "templates", 0


def render(env: jinja2.Environment, template: str, view: dict[str, Any], site_root: Path
           ) -> tuple[bytes, list[Diagnostic]]:
    """Render one page; a broken template becomes a diagnostic, never a traceback."""
    try:
        return env.get_template(template).render(view).encode("utf-8"), []
    except (jinja2.TemplateError, KeyError, TypeError, ValueError, AttributeError) as error:
        filename, line = _template_line(error)
        path = Path(filename)
        for base in (site_root, THEME_DIR.parent):
            if path.is_absolute() and path.is_relative_to(base):
                filename = path.relative_to(base).as_posix()
                break
        return b"", [problem(filename, line, "template_error",
                             detail=str(error) or type(error).__name__)]
