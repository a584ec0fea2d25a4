"""Jinja2: views in, HTML bytes out.

Templates are looked up in the site's own `templates/` first, then in Loa's
theme, so a site may override any template. Undefined names are errors
(StrictUndefined), autoescape is on, and the translations are the global `t`.
"""
from __future__ import annotations

import functools
import hashlib
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
from markupsafe import Markup

from . import builtin
from .assets import minify_css

from .errors import Diagnostic, problem
from .i18n import Translations
from .models import Reserved, ThemeNames
from .text import attribute_values

THEME_DIR = builtin.THEME


def theme_folders(site_root: Path) -> list[Path]:
    """Where a site's templates, stylesheets and scripts are looked for, first to last:
    its own templates/, then Loa's theme. A file of either wins over the same name below."""
    return [f for f in dict.fromkeys([site_root / "templates", THEME_DIR]) if f.is_dir()]


def theme_file(site_root: Path, name: str) -> Path:
    """A file of the theme as this site has it (`assets/sw.js`): its own, else Loa's."""
    return next((folder / name for folder in theme_folders(site_root)
                 if (folder / name).is_file()), THEME_DIR / name)


def environment(site_root: Path, translations: Translations) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in theme_folders(site_root)]),
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


def _sources(env: jinja2.Environment) -> dict[str, str]:
    """Every template the environment can load (a site's own first), by name. A file
    that is not UTF-8 comes with its undecodable bytes replaced (it still has a digest
    that changes with it; rendering it reports it at its name)."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    found = {}
    for name in sorted(loader.list_templates()):
        try:
            found[name] = loader.get_source(env, name)[0]
        except UnicodeDecodeError:
            path = next(Path(folder) / name for folder in loader.searchpath
                        if (Path(folder) / name).is_file())
            found[name] = path.read_bytes().decode("utf-8", "replace")
    return found


_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_HEX = re.compile(r"[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8}")
_CSS_NAME = {"id": re.compile(r"#([a-zA-Z_][\w-]*)"), "class": re.compile(r"\.([a-zA-Z_][\w-]*)")}


def _reserved(env: jinja2.Environment, attribute: str) -> Reserved:
    names: set[str] = set()
    prefixes: set[str] = set()
    for name, source in _sources(env).items():
        if name.endswith(".css"):  # (not a colour: `#fff`)
            names.update(n for n in _CSS_NAME[attribute].findall(source) if not _HEX.fullmatch(n))
            continue
        for value in attribute_values(source, attribute):
            for word in _EXPRESSION.sub("\0", value).split():
                if "\0" not in word:
                    names.add(word)
                elif not word.startswith("\0"):  # part of the word is computed
                    prefixes.add(word.split("\0")[0])
    return Reserved(frozenset(names), tuple(sorted(prefixes)))


def theme_names(env: jinja2.Environment) -> ThemeNames:
    """The literal words of every id and class attribute in the templates (a site's own
    first), and every id and class their stylesheets style (charts' among them)."""
    return ThemeNames(_reserved(env, "id"), _reserved(env, "class"))


def template_digests(env: jinja2.Environment) -> dict[str, str]:
    """Every template's digest, with everything it extends, includes or imports (Jinja's
    own reading of it): a page is drawn again when one of those changed, and only then.
    A template naming another by a variable depends on every template."""
    sources = _sources(env)
    names = sorted(sources)
    parts: dict[str, set[str]] = {}
    for name, source in sources.items():
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            parts[name] = set()  # (rendering it reports the error)
            continue
        found = set(jinja2.meta.find_referenced_templates(tree))
        # a stylesheet inlined with css("style.css") is a part too
        found |= {call.args[0].value for call in tree.find_all(jinja2.nodes.Call)
                  if isinstance(call.node, jinja2.nodes.Name) and call.node.name == "css"
                  and call.args and isinstance(call.args[0], jinja2.nodes.Const)}
        parts[name] = set(names) if None in found else {str(n) for n in found}
    digests = {}
    for name in names:
        closure, pending = {name}, [name]
        while pending:
            for part in parts.get(pending.pop(), ()):
                if part not in closure:
                    closure.add(part)
                    pending.append(part)
        digest = hashlib.sha256()
        for part in sorted(closure):
            text = sources.get(part, "")
            digest.update(f"{len(part)}:{part}{len(text)}:".encode("utf-8") + text.encode("utf-8"))
        digests[name] = digest.hexdigest()
    return digests


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
    """Render one page; a broken template becomes a diagnostic, never a traceback.
    Templates are the site's own code (not sandboxed, as in Hugo and Zola): whatever
    one raises (`1 // 0`, a macro calling itself, a template extending itself, bytes
    that are not UTF-8) is the template's problem, reported at its line."""
    try:
        return env.get_template(template).render(view).encode("utf-8"), []
    except Exception as error:  # noqa: BLE001 (see above)
        key, detail = "template_error", str(error) or type(error).__name__
        if isinstance(error, UnicodeDecodeError):
            (filename, line), key = _undecodable(env), "template_not_utf8"
        else:
            filename, line = _template_line(error)
            if isinstance(error, RecursionError):
                key = "template_recursion"
        path = Path(filename)
        for base in (site_root, THEME_DIR.parent):
            if path.is_absolute() and path.is_relative_to(base):
                filename = path.relative_to(base).as_posix()
                break
        return b"", [problem(filename, line, key, detail=detail)]


def _undecodable(env: jinja2.Environment) -> tuple[str, int]:
    """The first template file that is not UTF-8, and the line of its first bad byte."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    for folder in loader.searchpath:
        for path in sorted(Path(folder).rglob("*")):
            data = path.read_bytes() if path.is_file() else b""
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                return str(path), data.count(b"\n", 0, error.start) + 1
    return "templates", 0
