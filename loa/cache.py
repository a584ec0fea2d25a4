"""A persistent cache of pure work (`.loa-cache/` in the site folder; safe to delete).

Entries are keyed by a hash of everything their content depends on, so a stale
entry is never read: a change of input makes a new key. Writes go through a
temporary file and a rename, so an interrupted build never leaves half an entry.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

FOLDER = ".loa-cache"


def key(*parts: bytes | str) -> str:
    """A hash of `parts` and of Loa's version: a new Loa never reads an old one's entries."""
    digest = hashlib.sha256(__version__.encode("utf-8") + b"\0")
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Cache:
    folder: Path | None  # None: kept in this process's memory only, for one build
    also: Path | None = None  # read, never written: `check` reads the site's cache this way
    memory: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def get(self, name: str) -> bytes | None:
        if self.folder is None:
            return self.memory.get(name)
        for folder in (self.folder, self.also):
            if folder is None:
                continue
            try:
                return (folder / name[:2] / name).read_bytes()
            except OSError:
                continue
        return None

    def put(self, name: str, data: bytes) -> None:
        if self.folder is None:
            self.memory[name] = data
            return
        target = self.folder / name[:2] / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temp, target)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
