"""A persistent cache of pure work (`.loa-cache/` in the site folder; safe to delete).

Entries are keyed by a hash of everything their content depends on, so a stale
entry is never read: a change of input makes a new key. Writes go through a
temporary file and a rename, so an interrupted build never leaves half an entry.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FOLDER = ".loa-cache"


def key(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Cache:
    folder: Path | None  # None: no cache (every call computes afresh)

    def get(self, name: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / name[:2] / name).read_bytes()
        except OSError:
            return None

    def put(self, name: str, data: bytes) -> None:
        if self.folder is None:
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
