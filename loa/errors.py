"""Problems found in a site, as values.

A stage never raises for bad content: it returns `Diagnostic`s and carries on, so
one run reports every problem. A diagnostic holds a message *key* and its
arguments, not text: the words an editor reads come from the translations file
(`i18n/vi.yaml`, section `diagnostics`), where each key has a `problem` and a
`fix` sentence.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # site-relative POSIX path of the file at fault, e.g. "content/guides/x.md"
    line: int  # 1-based line in that file; 0 when the whole file is at fault
    key: str  # message key in the translations file, e.g. "date_format"
    args: tuple[tuple[str, str], ...] = ()  # values for the message's {placeholders}
    level: str = ERROR

    @property
    def params(self) -> dict[str, str]:
        return dict(self.args)


def problem(path: str, line: int, code: str, level: str = ERROR, **args: object) -> Diagnostic:
    """Make a diagnostic; keyword arguments fill the message's placeholders."""
    return Diagnostic(path, line, code, tuple((k, str(v)) for k, v in sorted(args.items())), level)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level == ERROR for d in diagnostics)


@dataclass
class Report:
    """What a build found wrong (stages add to it and carry on), and what it made."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # output paths made this time

    def add(self, found: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.diagnostics.extend(found)

    @property
    def failed(self) -> bool:
        return has_errors(self.diagnostics)


# errno -> the message telling an editor what the machine said, and what to do
OS_PROBLEMS = {errno.ENOSPC: "os_no_space", errno.EDQUOT: "os_no_space",
               errno.EACCES: "os_denied", errno.EPERM: "os_denied",
               errno.EROFS: "os_read_only", errno.ENAMETOOLONG: "os_name_too_long",
               errno.ELOOP: "os_loop", errno.ENOENT: "os_missing",
               errno.EISDIR: "os_is_folder", errno.ENOTDIR: "os_not_folder"}


def os_problem(error: OSError, path: str = "") -> Diagnostic:
    """An error of the file system as a problem naming the file (or folder) it is about:
    `path` as the site names it, else the path the error gives."""
    name = error.filename if error.filename is not None else ""
    path = path or (os.fsdecode(name) if name != "" else "?")
    return problem(path.encode("utf-8", "replace").decode("utf-8"), 0,
                   OS_PROBLEMS.get(error.errno or 0, "os_other"),
                   detail=error.strerror or type(error).__name__)
