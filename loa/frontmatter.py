"""Reading YAML with line numbers, and splitting front matter from a Markdown body.

YAML is read with PyYAML's safe loader (the C one when PyYAML was built with
libyaml: about ten times faster on a large site). Dates are left as text so that
`2024-02-30` becomes a clear message from the content stage rather than an
exception from PyYAML's date constructor.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Diagnostic, problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != _TIMESTAMP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

Lines = dict[tuple[str, ...], int]
# No site file needs more than a few levels (a dataset's rows of named figures: four). The
# limit is checked on the parser's events, before a document is built: libyaml builds
# nodes recursively in C, and 100,000 nested brackets crash the interpreter (measured);
# 500 levels go through, then break the cache's pickling with a RecursionError.
MAX_DEPTH = 20  # key path as text, ("sections", "1", "title") -> line


@dataclass(frozen=True)
class YamlDoc:
    data: Any
    lines: Lines = field(default_factory=dict)

    def line(self, *path: object, default: int = 0) -> int:
        """The line of the deepest key of `path` that is known (keys and indexes as given)."""
        text = tuple(str(part) for part in path)
        for end in range(len(text), 0, -1):
            if text[:end] in self.lines:
                return self.lines[text[:end]]
        return default


def _syntax_key(path: str) -> str:
    """A YAML error in an article's header is worded as one; in a data or settings file,
    as a file's."""
    return "yaml_syntax" if path.endswith(".md") else "yaml_syntax_file"


def _hint_key(error: yaml.YAMLError, text: str, line: int, path: str) -> str:
    """Recognise the usual editors' YAML slips, for a precise fix."""
    lines = text.split("\n")
    bad = lines[line - 1] if 0 < line <= len(lines) else ""
    detail = str(getattr(error, "problem", "") or "")
    if "\t" in bad or "tab" in detail:
        return "yaml_tab"
    if "mapping values are not allowed" in detail:
        return "yaml_colon"
    if "could not find expected ':'" in detail or "simple key" in detail:
        return "yaml_missing_colon"
    if "found character '@'" in detail or "found character '`'" in detail:
        return "yaml_quote"
    return _syntax_key(path)


def _walk(node: yaml.Node, path: tuple, lines: Lines, offset: int, dupes: list,
          visited: set[int], aliases: list[int]) -> None:
    if id(node) in visited:  # an alias (*name) of a node seen before: never walked twice
        aliases.append(node.start_mark.line + 1 + offset)
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                dupes.append((key, line))
            seen.add(key)
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, offset, dupes, visited, aliases)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (str(index),)] = item.start_mark.line + 1 + offset
            _walk(item, path + (str(index),), lines, offset, dupes, visited, aliases)


def _too_deep(text: str) -> int:
    """The 1-based line where `text` nests more than MAX_DEPTH lists and mappings, or 0."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return 0


def read_yaml(text: str, path: str, offset: int = 0) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse `text`; `offset` is the number of file lines above it (for messages)."""
    loader = _Loader(text)
    lines: Lines = {}
    dupes: list = []
    aliases: list[int] = []
    try:
        deep = _too_deep(text)
        if deep:
            return None, [problem(path, deep + offset, "yaml_too_deep", limit=MAX_DEPTH)]
        node = loader.get_single_node()
        if node is not None:
            _walk(node, (), lines, offset, dupes, set(), aliases)
        if aliases:  # anchors and aliases: no use in front matter, and the stuff of YAML bombs
            return None, [problem(path, aliases[0], "yaml_alias")]
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1) if mark else 1
        return None, [problem(path, line + offset, _hint_key(error, text, line, path),
                              detail=str(error.problem or error).strip())]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        return None, [problem(path, 1 + offset, _syntax_key(path), detail=str(error).strip())]
    finally:
        loader.dispose()
    diagnostics = [problem(path, line, "yaml_duplicate_key", key=key) for key, line in dupes]
    return YamlDoc(data, lines), diagnostics


@dataclass(frozen=True)
class Split:
    yaml_text: str
    body: str
    body_line: int  # 1-based line where the body starts


def split(text: str, path: str) -> tuple[Split | None, list[Diagnostic]]:
    """Separate the front matter (between two `---` lines at the top) from the body."""
    if not text.strip():
        return None, [problem(path, 1, "file_empty")]
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, [problem(path, 1, "frontmatter_missing")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            body = "\n".join(lines[index + 1:])
            return Split("\n".join(lines[1:index]), body, index + 2), []
    return None, [problem(path, 1, "frontmatter_unclosed")]
