"""A persistent cache of pure work: one SQLite file, `.loa-cache/cache.db` in the site
folder (safe to delete).

Entries are keyed by a hash of everything their content depends on, so a stale entry
is never read: a change of input makes a new key. One file, not one per entry: a
cold build of 1,000 articles made 5,211 cache files, and creating them cost 7 s.
SQLite in WAL mode lets the forked workers read and write at once, each with a
connection of its own; an interrupted build never leaves half an entry.

Besides entries, the cache keeps *tables*: named sets of rows (a key -> bytes) read
whole and updated row by row, for what a build remembers about every output file.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__

FOLDER = ".loa-cache"
FILE = "cache.db"
FLUSH_EVERY = 256  # entries a process keeps before writing them together


def _code_digest() -> str:
    """A hash of Loa's own code: what builds remember is kept apart for each version,
    released or not (a page made by an older Loa is made again, even if its version
    number did not change: a fix must reach the published site)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


CODE_DIGEST = _code_digest()  # (read once, as Loa is imported)
_VERSION = f"{__version__} {CODE_DIGEST}".encode("utf-8")


def key(*parts: bytes | str) -> str:
    """A hash of `parts` and of Loa's code: a new Loa never reads an old one's entries."""
    digest = hashlib.sha256(_VERSION + b"\0")
    for part in parts:
        # (a file name whose bytes are no UTF-8 comes with surrogates: kept as its bytes)
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


_SCHEMA = ("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS rows (tab TEXT NOT NULL, key TEXT NOT NULL, "
           "value BLOB NOT NULL, PRIMARY KEY (tab, key))")


@dataclass(frozen=True)
class Cache:
    folder: Path | None  # None: kept in this process's memory only, for one build
    also: Path | None = None  # read, never written: `check` reads the site's cache this way
    memory: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    tables: dict[str, dict[str, bytes]] = field(default_factory=dict, compare=False,
                                                repr=False)
    # one connection per process and mode: a connection must not cross a fork
    connections: dict[tuple[int, bool], sqlite3.Connection | None] = field(
        default_factory=dict, compare=False, repr=False)
    # entries put by each process and not yet written (see flush)
    pending: dict[int, dict[str, bytes]] = field(default_factory=dict, compare=False,
                                                 repr=False)

    # --- connections ---

    def _connect(self, folder: Path, writable: bool) -> sqlite3.Connection | None:
        try:
            if writable:
                folder.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(folder / FILE, timeout=60, isolation_level=None,
                                             check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                for statement in _SCHEMA:
                    connection.execute(statement)
            else:
                if not (folder / FILE).is_file():
                    return None
                connection = sqlite3.connect(f"file:{folder / FILE}?mode=ro", uri=True,
                                             timeout=60, check_same_thread=False)
            return connection
        except (sqlite3.Error, OSError):
            return None  # a cache that cannot be opened only makes the build slower

    def _db(self, folder: Path | None, writable: bool) -> sqlite3.Connection | None:
        if folder is None:
            return None
        slot = (os.getpid(), writable)
        if slot not in self.connections:
            self.connections[slot] = self._connect(folder, writable)
        return self.connections[slot]

    # --- entries ---

    def get(self, name: str) -> bytes | None:
        if self.folder is None:
            return self.memory.get(name)
        waiting = self.pending.get(os.getpid())
        if waiting and name in waiting:
            return waiting[name]
        for folder, writable in ((self.folder, True), (self.also, False)):
            db = self._db(folder, writable)
            if db is None:
                continue
            try:
                row = db.execute("SELECT value FROM entries WHERE key = ?", (name,)).fetchone()
            except sqlite3.Error:
                continue
            if row is not None:
                return bytes(row[0])
        return None

    def put(self, name: str, data: bytes) -> None:
        """Keep an entry; it is written with the others at the next `flush`."""
        if self.folder is None:
            self.memory[name] = data
            return
        waiting = self.pending.setdefault(os.getpid(), {})
        waiting[name] = data
        if len(waiting) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write this process's entries in one transaction. One transaction per entry cost
        more system time than the whole build besides, and two workers committing at once
        wait for each other's locks."""
        waiting = self.pending.pop(os.getpid(), None)
        db = self._db(self.folder, True) if waiting else None
        if db is None:
            return
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", waiting.items())
            db.execute("COMMIT")
        except sqlite3.Error:  # a cache that cannot be written only makes builds slower
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def memo(self, parts: tuple[bytes | str, ...], compute: Callable[[], bytes]) -> bytes:
        """The bytes `compute()` makes, kept under the key of `parts` (which must name
        everything they depend on, the kind of entry first)."""
        name = key(*parts)
        stored = self.get(name)
        if stored is None:
            stored = compute()
            self.put(name, stored)
        return stored

    # --- tables ---

    def table(self, tab: str) -> dict[str, bytes]:
        """Every row of table `tab`."""
        if self.folder is None:
            return dict(self.tables.get(tab, {}))
        db = self._db(self.folder, True)
        if db is None:
            return {}
        try:
            return {k: bytes(v) for k, v in
                    db.execute("SELECT key, value FROM rows WHERE tab = ?", (tab,))}
        except sqlite3.Error:
            return {}

    def drop_tables_but(self, keep: list[str]) -> None:
        """Delete every table whose name starts as one of `keep` (up to its first space)
        but is none of them: what an older version of the code left."""
        if self.folder is None:
            for tab in list(self.tables):
                if tab not in keep and tab.split(" ")[0] in {k.split(" ")[0] for k in keep}:
                    del self.tables[tab]
            return
        db = self._db(self.folder, True)
        if db is None:
            return
        try:
            for name in keep:
                prefix = name.split(" ")[0] + " "
                db.execute("DELETE FROM rows WHERE tab >= ? AND tab < ? AND tab != ?",
                           (prefix, prefix[:-1] + "!", name))
        except sqlite3.Error:
            pass

    def update_table(self, tab: str, changed: dict[str, bytes] | Iterable[tuple[str, bytes]],
                     removed: Iterable[str]) -> None:
        """Set the rows `changed` (a mapping, or pairs made as they are written) and delete
        the rows `removed` of table `tab`, at once."""
        pairs = changed.items() if isinstance(changed, dict) else changed
        if self.folder is None:
            rows = self.tables.setdefault(tab, {})
            rows.update(pairs)
            for name in removed:
                rows.pop(name, None)
            return
        db = self._db(self.folder, True)
        if db is None:
            return
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?)",
                           ((tab, k, v) for k, v in pairs))
            db.executemany("DELETE FROM rows WHERE tab = ? AND key = ?",
                           ((tab, k) for k in removed))
            db.execute("COMMIT")
        except sqlite3.Error:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass


class Rows:
    """A table of the cache as builds use it: each row unpickled when first asked for,
    changed rows written together by `save`, and rows no build asked for since the last
    `save` dropped (what the site no longer has). One object can serve build after build
    in a long-lived process (`serve`), which then reads nothing from disk at all."""

    def __init__(self, cache: Cache, tab: str) -> None:
        self.cache, self.tab = cache, tab
        # the rows on disk, read at the first look-up; a row's bytes are let go once it is
        # unpickled (None), and changed rows are pickled only as `save` writes them: a
        # cold build at 10,000 articles held 80 MB of them besides the objects
        self.stored: dict[str, bytes | None] | None = None
        self.objects: dict[str, object] = {}
        self.changed: set[str] = set()
        self.used: set[str] = set()

    def get(self, name: str) -> object | None:
        self.used.add(name)
        if name in self.objects:
            return self.objects[name]
        if self.stored is None:
            self.stored = self.cache.table(self.tab)
        data = self.stored.get(name)
        if data is None:
            return None
        try:
            found = pickle.loads(data)
        except Exception:  # noqa: BLE001 (a damaged row only costs time)
            return None
        self.objects[name] = found
        self.stored[name] = None
        return found

    def keep(self, name: str) -> None:
        """Keep a row this build needs without reading it."""
        self.used.add(name)

    def put(self, name: str, value: object) -> None:
        self.used.add(name)
        self.objects[name] = value
        self.changed.add(name)

    def save(self) -> None:
        """Write what changed; forget what this build did not ask for."""
        known = set(self.objects) | set(self.stored or ())
        removed = known - self.used
        self.cache.update_table(
            self.tab, ((name, pickle.dumps(self.objects[name], pickle.HIGHEST_PROTOCOL))
                       for name in sorted(self.changed)), removed)
        if self.stored is not None:
            for name in removed:
                self.stored.pop(name, None)
            self.stored.update(dict.fromkeys(self.changed))
        for name in removed:
            self.objects.pop(name, None)
        self.changed, self.used = set(), set()
