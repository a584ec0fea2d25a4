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

Lines = dict[tuple[str, ...], int]  # key path as text, ("sections", "1", "title") -> line
# No site file needs more than a few levels (a dataset's rows of named figures: four). The
# limit is checked on the parser's events, before a document is built: libyaml builds
# nodes recursively in C, and 100,000 nested brackets crash the interpreter (measured);
# 500 levels go through, then break the cache's pickling with a RecursionError.
MAX_DEPTH = 20


@dataclass(frozen=True)
class YamlDoc:
    data: Any
    lines: Lines = field(default_factory=dict)  # by keys as written: "0000", "yes"
    # by keys as read, where that differs (YAML reads `0000:` as 0 and `yes:` as True)
    read_lines: Lines = field(default_factory=dict)

    def line(self, *path: object, default: int = 0) -> int:
        """The line of the deepest key of `path` that is known (keys and indexes as given)."""
        text = tuple(str(part) for part in path)
        for end in range(len(text), 0, -1):
            found = self.lines.get(text[:end]) or self.read_lines.get(text[:end])
            if found:
                return found
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


_STR = "tag:yaml.org,2002:str"


def _key_as_read(node: yaml.Node) -> str:
    """A key as `str()` shows it once read: `0000:` is 0, `yes:` True, `0x1F:` 31."""
    if not isinstance(node, yaml.ScalarNode):
        return ""
    if node.tag == _STR:
        return node.value
    try:
        return str(yaml.constructor.SafeConstructor().construct_object(node))
    except (yaml.YAMLError, ValueError):
        return node.value  # (the document itself fails to read, and says why)


@dataclass
class _Walk:
    """The lines of a document's keys, and its duplicate keys and aliases, from its nodes."""

    offset: int
    lines: Lines = field(default_factory=dict)
    read_lines: Lines = field(default_factory=dict)
    dupes: list[tuple[str, int]] = field(default_factory=list)
    aliases: list[int] = field(default_factory=list)
    visited: set[int] = field(default_factory=set)

    def node(self, node: yaml.Node, path: tuple = (), read: tuple = ()) -> None:
        if id(node) in self.visited:  # an alias (*name) of a node seen before: never walked twice
            self.aliases.append(node.start_mark.line + 1 + self.offset)
            return
        self.visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
                as_read = _key_as_read(key_node)
                line = key_node.start_mark.line + 1 + self.offset
                if as_read in seen:
                    self.dupes.append((key, line))
                seen.add(as_read)
                self.lines[path + (key,)] = line
                if read + (as_read,) != path + (key,):
                    self.read_lines[read + (as_read,)] = line
                self.node(value_node, path + (key,), read + (as_read,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[path + (str(index),)] = item.start_mark.line + 1 + self.offset
                if read != path:
                    self.read_lines[read + (str(index),)] = item.start_mark.line + 1 + self.offset
                self.node(item, path + (str(index),), read + (str(index),))


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
    walk = _Walk(offset)
    try:
        deep = _too_deep(text)
        if deep:
            return None, [problem(path, deep + offset, "yaml_too_deep", limit=MAX_DEPTH)]
        node = loader.get_single_node()
        if node is not None:
            walk.node(node)
        if walk.aliases:  # anchors and aliases: no use in front matter, and the stuff of YAML bombs
            return None, [problem(path, walk.aliases[0], "yaml_alias")]
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
    diagnostics = [problem(path, line, "yaml_duplicate_key", key=key) for key, line in walk.dupes]
    return YamlDoc(data, walk.lines, walk.read_lines), diagnostics


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
