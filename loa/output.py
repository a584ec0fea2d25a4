"""The only module that writes the site: a Publisher changes the output folder in place,
where the new site differs (and the offline pack's zip: a temporary file, then a rename).

A build puts its files into a stage folder beside the output (`.loa-stage-<name>`, on
the same disk); a file whose bytes are already published is not staged, so it keeps its
inode and time and a host's rsync or cache sees nothing new. Publishing renames the
staged files into place, then deletes what the new site no longer has. The swap of a
whole staged copy that this replaces made 2,386 folders and 13,546 links per build at
1,000 articles, however little had changed; publishing that site unchanged now takes
0.13 s, most of it listing the folder. A text file's .gz/.br copies are made only when
its bytes change.

A failed build never reaches the output folder. `commit` first writes a journal of its
renames and deletions, so a crash while publishing is finished by the next run (roll
forward); a stage folder without a journal is removed (roll back). Either way the next
run starts from a whole site, the old one or the new one. A lock beside the folder keeps
two processes from publishing into it at once. No path may leave the folder.

A manifest in the cache remembers each published file: what it was made from (its
fingerprint: an unchanged page need not even be rendered), its sha256, and how it looked
on disk (size, time, inode), checked before it is believed: a stale manifest (after a
crash, or a hand edit) costs time, never a wrong page.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import pickle
import posixpath
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import brotli

from .assets import TEXT, brotli_bytes, gzip_bytes
from .cache import FOLDER as CACHE_FOLDER, Cache, key as cache_key
from .errors import Diagnostic, problem
from .models import OutputFile, Written
from .urls import is_safe_output_path

try:
    import fcntl
except ImportError:  # Windows: no lock
    fcntl = None

PACKED = (".gz", ".br")
# Below 1,024 bytes a file and its headers fit one TCP packet (1,460 bytes) compressed
# or not: a copy would save the reader no round trip.
PACK_MIN = 1024

Stat = tuple[int, int, int]  # size, mtime_ns, inode


def check_target(out_dir: Path, site_root: Path) -> list[Diagnostic]:
    """Refuse an output folder that would swallow the site or someone's files."""
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out) or any(
            out.is_relative_to(root / name) for name in ("content", "templates", "static", "data")):
        return [problem(str(out_dir), 0, "out_overlaps_site")]
    if out.exists() and not out.is_dir():
        return [problem(str(out_dir), 0, "out_not_folder")]
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        return [problem(str(out_dir), 0, "out_not_a_site")]
    return []


class OutputBusy(Exception):
    """Another process (a build, a preview) holds the output folder's lock; `diagnostic`
    says so in the editor's words."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(str(out_dir))
        self.diagnostic = problem(str(out_dir), 0, "out_busy")


@dataclass(frozen=True)
class _OnDisk:
    """A published file, as the manifest remembers it."""

    fingerprint: str
    stat: Stat
    packed: tuple[str, ...]  # which of .gz/.br it has
    info: Any
    digest: str  # sha256 of its bytes


@dataclass
class Published:
    """What a Publisher knows of its folder after a commit. Handed to the next Publisher
    of the same process (serve, which alone writes its preview), it reads neither the
    manifest nor the folder again (1 s at 10,000 articles)."""

    rows: dict[str, None]  # the paths the manifest has a row for
    published: dict[str, _OnDisk]
    listing: dict[str, Stat]
    made_from: Any


class Publisher:
    """The next version of `out_dir`: files put (changed ones staged), then published by
    `commit`. One Publisher publishes one build; `with` releases it whatever happens.

    Forked workers may put files at the same time (each path is put by one of them);
    what they return (`Written`) goes back to the parent, which hands all of it to
    `commit`."""

    def __init__(self, out_dir: Path, cache: Cache, precompress: bool = True,
                 known: Published | None = None) -> None:
        # where the folder really is (it may be a link): renames work only on one disk
        self.out_dir = Path(os.path.realpath(out_dir))
        self.cache, self.precompress = cache, precompress
        beside, name = self.out_dir.parent, self.out_dir.name
        self.stage = beside / f".loa-stage-{name}"
        self.journal = beside / f".loa-journal-{name}"
        self.lock_file = beside / f".loa-lock-{name}"
        self.table = f"output manifest {self.out_dir} precompress={precompress}"
        self.made: set[str] = set()  # stage folders made (per process)
        beside.mkdir(parents=True, exist_ok=True)
        try:
            self.lock = _lock(self.lock_file)
        except BlockingIOError:
            raise OutputBusy(self.out_dir) from None
        _remove_old_leftovers(beside)
        self.after: Published | None = None  # what `commit` leaves
        try:
            journal = _read_journal(self.journal)
            if journal is not None:  # a publish was decided, then cut short: finish it
                _roll_forward(self.out_dir, self.stage, *journal)
                known = None
            self._finish()
            if known is not None:
                self.rows, self.published = dict(known.rows), dict(known.published)
                self.made_from, self.listing = known.made_from, dict(known.listing)
            else:
                self.rows = cache.table(self.table)
                # what the caller said the published site was made from (see commit)
                self.made_from = _loads(self.rows.pop(MADE_FROM, None))
                # the folder as it is, listed once: whether a published file is as the last
                # build left it is then a look-up (at 10,000 articles, 70,000 stats less)
                self.listing = _listing(self.out_dir) if self.out_dir.is_dir() else None
                self.published = _decode(self.rows)
                self.rows = dict.fromkeys(self.rows)  # (the paths; their bytes are decoded)
        except BaseException:
            self._unlock()
            raise
        # the same bytes under another name (a search index in a new folder, most of
        # whose files are unchanged) are linked from the published file, not made again
        self.by_digest = {row.digest: path for path, row in self.published.items()}

    # --- filling ---

    def previous(self, path: str) -> Written | None:
        """What the last build published at `path`, if the file is as it left it. (Only
        reads: a path that is not safe is never in the manifest.)"""
        before = self._intact(path)
        return None if before is None else Written(path, before.fingerprint, before.info,
                                                   before.digest)

    def unchanged(self, path: str, fingerprint: str) -> Written | None:
        """The published file `path`, if it was made from `fingerprint` and is intact."""
        before = self.previous(path) if fingerprint else None
        return before if before is not None and before.fingerprint == fingerprint else None

    def put(self, path: str, content: bytes, fingerprint: str = "", info: Any = None,
            gz: bytes | None = None) -> Written:
        """Stage one file and its .gz/.br copies, unless the site already has its bytes.

        `gz`: the gzip copy when the caller already made it (to measure the page)."""
        _safe(path)
        digest = hashlib.sha256(content).hexdigest()
        before = self._intact(path)
        published = self.out_dir / path
        if before is not None and before.digest == digest:
            pass  # published as it is
        elif before is None and _holds(published, content):  # no record: bytes compared
            self._stage_copies(path, content, gz, published)
        elif not self._link_published(path, digest, len(content)):
            self._write(path, content)
            self._stage_copies(path, content, gz, None)
        return Written(path, fingerprint, info, digest)

    def _intact(self, path: str) -> _OnDisk | None:
        """The manifest's record of `path`, if the file and its copies are as it says."""
        before = self.published.get(path)
        if before is None or self.listing is None:
            return None
        if self.listing.get(path) != before.stat or any(
                (path + s in self.listing) != (s in before.packed) for s in PACKED):
            return None
        return before

    def _packs(self, path: str, size: int) -> bool:
        """Whether a file gets .gz/.br copies (each only when it comes out smaller)."""
        return self.precompress and size >= PACK_MIN and path.endswith(TEXT)

    def _stage_copies(self, path: str, content: bytes, gz: bytes | None,
                      published: Path | None) -> None:
        """Stage the copies of `content` that pay, but for those `published` already has."""
        if not self._packs(path, len(content)):
            return
        for suffix in PACKED:
            old = _copy(published, suffix) if published else None
            if old is not None and _decodes(old, suffix, content):
                continue
            packed = gz if suffix == ".gz" and gz is not None else _compress(suffix, content)
            # a wrong copy is replaced even by one that does not pay: it must not be served
            if len(packed) < len(content) or (old is not None and os.path.lexists(old)):
                self._write(path + suffix, packed)

    def _link_published(self, path: str, digest: str, size: int) -> bool:
        """Stage links to a published file with the same bytes and copies, if there is one."""
        other = self.by_digest.get(digest)
        before = self._intact(other) if other else None
        if before is None or before.digest != digest or \
                self._packs(other, size) != self._packs(path, size):
            return False
        for suffix in ("", *before.packed):
            source, target = self.out_dir / (other + suffix), self._staged(path + suffix)
            try:
                os.link(source, target)
            except OSError:  # no hard links here (FAT on a USB stick): a copy, times kept
                shutil.copy2(source, target)
        return True

    def _staged(self, name: str) -> Path:
        """Where `name` goes in the stage folder, its folder made."""
        target = self.stage / name
        folder = str(target.parent)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)  # umask applies: a server can read it
            self.made.add(folder)
        return target

    def _write(self, name: str, data: bytes) -> None:
        with open(self._staged(name), "wb") as file:
            file.write(data)

    # --- the end ---

    def commit(self, written: Iterable[Written], inputs: str = "", summary: Any = None,
               made_from: Any = None) -> None:
        """Publish the site made of `written` (every file, changed or not); remember what
        each file was made from, and (with `inputs`, a hash of everything the build read)
        the folder as it now is, so that the next build of the same inputs can see there
        is nothing to do. `made_from`: what the caller wants to know of this site at the
        next build (`self.made_from` then): kept with the files, never with a site that
        was not published."""
        site = {item.path: item for item in written}
        for path in site:
            _safe(path)
        staged = _files(self.stage)
        published = None if self.listing is None else {
            name: stat for name, stat in self.listing.items() if not name.endswith("/")}
        moves, deletions, files = _plan(site, staged, published or {}, self._packs)
        if published is None:  # a first build: the stage becomes the folder, one rename
            for stray in staged.keys() - files:
                os.unlink(self.stage / stray)
            os.makedirs(self.stage, exist_ok=True)
            os.rename(self.stage, self.out_dir)
        elif moves or deletions:
            _write_journal(self.journal, moves, deletions)
            _roll_forward(self.out_dir, self.stage, moves, deletions)
        self._remember(site, {**(published or {}), **staged}, files, made_from,
                       {_file_of(name) for name in staged})
        self._finish()
        # the folder as the next build will find it
        listing = (_listing(self.out_dir) if self.listing is None
                   else _updated_listing(self.out_dir, self.listing, moves, deletions))
        self.after = Published(self.rows, self.published, listing,
                               made_from if made_from is not None else self.made_from)
        state = (inputs, listing, summary) if inputs else None
        self.cache.put(_state_key(self.out_dir), pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
        self.cache.flush()

    def up_to_date(self, inputs: str) -> Any:
        """What the last build into this folder said (its summary), if it read exactly
        `inputs` and the folder is still file for file as it left it; else None."""
        return _summary_if_same(self.cache, self.out_dir, inputs, self.listing)

    def _remember(self, site: dict[str, Written], stats: dict[str, Stat],
                  files: set[str], made_from: Any, moved: set[str]) -> None:
        """Update the manifest's rows that changed (compared as values: a set in `info`
        pickles in another order in another process)."""
        changed = {}
        for path, item in site.items():
            if path in stats:
                before = self.published.get(path)
                if before is not None and before.info is item.info and \
                        before.stat == stats[path] and path not in moved:
                    continue  # kept as published (`previous` handed its record on)
                packed = tuple(s for s in PACKED if path + s in files)
                row = (item.fingerprint, stats[path], packed, item.info, item.digest)
                if before != _OnDisk(*row):
                    changed[path] = pickle.dumps(row, pickle.HIGHEST_PROTOCOL)
                    self.published[path] = _OnDisk(*row)
        gone = [path for path in self.rows if path not in site or path not in stats]
        for path in gone:
            self.published.pop(path, None)
            self.rows.pop(path, None)
        self.rows.update(dict.fromkeys(changed))
        if made_from is not None and made_from != self.made_from:
            # (kept with the manifest: it holds for exactly the files published with it)
            changed[MADE_FROM] = pickle.dumps(made_from, pickle.HIGHEST_PROTOCOL)
        self.cache.update_table(self.table, changed, gone)

    def _finish(self) -> None:
        """Nothing left beside the folder: the journal (the publish is whole), the stage."""
        for journal in (self.journal, _temporary(self.journal)):
            _unlink(journal)
        _remove(self.stage)
        self.made.clear()

    def discard(self) -> None:
        """Forget what was staged: the published site stays as it was. (Once `commit` has
        written its journal the new site is decided: the next run finishes it.)"""
        if not os.path.lexists(self.journal):
            _remove(self.stage)
        self.made.clear()

    def close(self) -> None:
        """Discard what was not committed, and let another process publish."""
        try:
            self.discard()
        finally:
            self._unlock()

    def _unlock(self) -> None:
        _unlock(self.lock_file, self.lock)
        self.lock = None

    # `with Publisher(...) as publisher:` discards whatever was not committed when the
    # block ends, by a return, a failed build or an exception, and releases the lock
    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


# --- publishing ---

def _plan(site: Iterable[str], staged: dict[str, Stat], published: dict[str, Stat],
          packs: Callable[[str, int], bool]) -> tuple[list[str], list[str], set[str]]:
    """What publishing moves in from the stage and deletes, and the files it leaves.

    Copies (.gz/.br) follow their file: a staged file comes with its staged copies only;
    a file kept as published keeps the copies it may still have."""
    moves: list[str] = []
    files: set[str] = set()
    for path in site:
        keeps_copies = path not in staged and path in published and packs(
            path, published[path][0])
        for name in (path, *(path + s for s in PACKED)):
            if name in staged:
                moves.append(name)
                files.add(name)
            elif keeps_copies and name in published:
                files.add(name)
        files.add(path)
    return moves, sorted(published.keys() - files), files


def _write_journal(journal: Path, moves: list[str], deletions: list[str]) -> None:
    """Decide the publish: once the journal is in place, the next run finishes it."""
    temporary = _temporary(journal)
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump({"moves": moves, "deletions": deletions}, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, journal)


def _read_journal(journal: Path) -> tuple[list[str], list[str]] | None:
    try:
        with open(journal, encoding="utf-8") as file:
            saved = json.load(file)
    except FileNotFoundError:
        return None
    except ValueError:  # only a power cut could damage it (it is renamed in whole)
        return None
    return saved["moves"], saved["deletions"]


def _roll_forward(out_dir: Path, stage: Path, moves: list[str], deletions: list[str]) -> None:
    """Move the staged files in, then delete the old site's leftovers (last: the pages
    that link to them are replaced first), then the folders left empty. Safe to run
    again after a crash: a staged file no longer there was moved already."""
    for name in moves:
        source = stage / name
        if os.path.lexists(source):
            _make_room(out_dir, name)
            os.replace(source, out_dir / name)
    for name in deletions:
        if not (out_dir / name).is_dir():  # else an old file where the new site has a folder
            _unlink(out_dir / name)
    _remove_empty_folders(out_dir, deletions)


def _make_room(root: Path, name: str) -> None:
    """Make the folders `name` goes into. What stands in the way is the old site's (an old
    file where the new site has a folder, an old folder where it has a file): it goes."""
    if not (root / name).parent.is_dir():
        folder = root
        for part in name.split("/")[:-1]:
            folder = folder / part
            if not folder.is_dir():
                _unlink(folder)
                os.mkdir(folder)  # umask applies: a server can read it
    if (root / name).is_dir():
        shutil.rmtree(root / name)


def _remove_empty_folders(root: Path, deleted: Iterable[str]) -> None:
    """Remove the folders (deepest first) that deleting `deleted` left empty."""
    folders = set()
    for name in deleted:
        folder = posixpath.dirname(name)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        try:
            os.rmdir(root / folder)
        except OSError:  # not empty (it still holds files of the site), or gone
            pass


# --- files ---

def _safe(path: str) -> None:
    if not is_safe_output_path(path):
        raise ValueError(f"refusing to write outside the output folder: {path!r}")


def _stat(path: Path) -> Stat | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


def _copy(file: Path, suffix: str) -> Path:
    return file.with_name(file.name + suffix)


def _temporary(journal: Path) -> Path:
    return journal.with_name(journal.name + ".tmp")


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):  # not there (already deleted)
        pass


def _remove(folder: Path) -> None:
    if os.path.lexists(folder):
        shutil.rmtree(folder)


def _holds(file: Path, content: bytes) -> bool:
    """Whether `file` has exactly the bytes `content` (read only if the size matches)."""
    try:
        return os.stat(file).st_size == len(content) and file.read_bytes() == content
    except OSError:
        return False


def _compress(suffix: str, content: bytes) -> bytes:
    return gzip_bytes(content) if suffix == ".gz" else brotli_bytes(content)


def _decodes(copy: Path, suffix: str, content: bytes) -> bool:
    """Whether the copy `copy` decompresses to `content` (checking costs far less than
    compressing again)."""
    try:
        data = copy.read_bytes()
        return (gzip.decompress(data) if suffix == ".gz" else brotli.decompress(data)) == content
    except Exception:  # noqa: BLE001 (missing, or not a copy: either way not this one)
        return False


MADE_FROM = "\0made from"  # a row of the manifest that is no file (see commit)


def _loads(row: bytes | None) -> Any:
    try:
        return pickle.loads(row) if row is not None else None
    except Exception:  # noqa: BLE001 (a damaged row only costs time)
        return None


def _decode(rows: dict[str, bytes]) -> dict[str, _OnDisk]:
    found = {}
    for path, row in rows.items():
        try:
            found[path] = _OnDisk(*pickle.loads(row))
        except Exception:  # noqa: BLE001 (a damaged row only costs time)
            continue
    return found


def _lock(path: Path) -> int | None:
    """Hold an exclusive lock on `path`; BlockingIOError if another process holds it.

    flock(2) ends with the process that held it, so a killed build never blocks the next.
    The holder removes the file when done; one that locked a file removed meanwhile tries
    again, on the new one."""
    if fcntl is None:
        return None
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.path.samestat(os.fstat(handle), os.stat(path)):
                return handle
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)


def _unlock(path: Path, handle: int | None) -> None:
    if handle is None:
        return
    try:
        _unlink(path)  # while still held: see _lock
    finally:
        os.close(handle)


def _listing(folder: Path) -> dict[str, Stat]:
    """Every file and folder (ending in "/") under `folder`: relative path -> stat."""
    found: dict[str, Stat] = {}
    pending = [("", folder)]
    while pending:
        prefix, current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue
        for entry in entries:
            stat = entry.stat(follow_symlinks=False)
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                name += "/"
                pending.append((name, Path(entry.path)))
            found[name] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return found


def _remove_old_leftovers(beside: Path) -> None:
    """Folders an older Loa left beside an output when a build was killed (it staged
    whole copies in `.loa-tmp-*` and swapped through `.loa-old-*`): up to 4.8 MB each,
    there forever. (Files of those names are not Loa's folders: they stay.)"""
    try:
        entries = list(os.scandir(beside))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith((".loa-tmp-", ".loa-old-")) and \
                entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def _updated_listing(root: Path, old: dict[str, Stat], moves: list[str],
                     deletions: list[str]) -> dict[str, Stat]:
    """`old` (the folder's listing before a publish) with what the publish moved in and
    deleted, and the folders around them, looked at again: what it costs follows what
    changed (a full listing of 70,000 files takes 0.6 s). Where a file took a folder's
    place or the other way round, the folder is listed again."""
    if any(name + "/" in old for name in moves) or any(
            folder in old for name in moves for folder in _parents(name)):
        return _listing(root)
    found = dict(old)
    folders: set[str] = set()
    for name in deletions:
        found.pop(name, None)
        folders.update(_parents(name))
    for name in moves:
        stat = _stat(root / name)
        if stat is not None:
            found[name] = stat
        folders.update(_parents(name))
    for folder in sorted(folders, key=len, reverse=True):
        stat = _stat(root / folder)
        if stat is None:
            found.pop(folder + "/", None)
        else:
            found[folder + "/"] = stat
    return found


def _file_of(name: str) -> str:
    """The file a name stands for: itself, or the file a .gz/.br copy is of."""
    return name[:-len(PACKED[0])] if name.endswith(PACKED) else name


def _parents(name: str) -> list[str]:
    """The folders holding `name`: "a/b/c.html" -> ["a/b", "a"]."""
    parts = name.split("/")[:-1]
    return ["/".join(parts[:depth]) for depth in range(len(parts), 0, -1)]


def _files(folder: Path) -> dict[str, Stat]:
    return {name: stat for name, stat in _listing(folder).items() if not name.endswith("/")}


# --- what the last build left ---

def _state_key(out_dir: Path) -> str:
    return cache_key("output state", str(Path(os.path.abspath(out_dir))))


def up_to_date(out_dir: Path, cache: Cache, inputs: str) -> Any:
    """What the last build into `out_dir` said (its summary), if it read exactly `inputs`
    and the folder is still file for file (size, time, inode) as it left it; else None.

    The same inputs always make the same bytes, so such a build would change nothing:
    make(1) decides the same way, from times and sizes."""
    folder = Path(os.path.realpath(out_dir))
    return _summary_if_same(cache, folder, inputs,
                            _listing(folder) if folder.is_dir() else None)


def _summary_if_same(cache: Cache, out_dir: Path, inputs: str,
                     listing: dict[str, Stat] | None) -> Any:
    saved = cache.get(_state_key(out_dir))
    if saved is None or listing is None:
        return None
    try:
        state = pickle.loads(saved)
    except Exception:  # noqa: BLE001 (damaged: build)
        return None
    if not state or state[0] != inputs or listing != state[1]:
        return None
    return state[2]


# --- single files ---

def replace_file(target: Path, content: bytes) -> None:
    """Write one file whole or not at all (the offline pack's zip): a temporary file
    beside it, renamed over it, so a reader never finds half a file and a failure
    leaves the old one as it was."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # one name per target, so a run killed half way leaves no heap of them: the next
    # run writes over it
    temporary = target.with_name(f".loa-part-{target.name}")
    try:
        with open(temporary, "wb") as file:  # (umask applies: a server may read it)
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write(outputs: Iterable[OutputFile], out_dir: Path, precompress: bool = False) -> None:
    """Make `out_dir` exactly `outputs`, or leave it untouched on failure."""
    with Publisher(out_dir, Cache(None), precompress) as publisher:
        publisher.commit([publisher.put(o.path, o.content) for o in outputs])


def create_files(folder: Path, files: dict[str, bytes]) -> list[str]:
    """New files under `folder` (`init`), never over one that is there: when any of them
    is, none is written, and those are returned."""
    taken = sorted(name for name in files if (folder / name).exists())
    if taken:
        return taken
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as file:  # (x: never over a file made meanwhile)
            file.write(data)
    return []


def save_traceback(source: Path) -> str:
    """The traceback of the error being handled, in a file a report can carry: in the
    site's cache folder when it can be written, else in the temporary folder."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = traceback.format_exc()
    for folder in (source / CACHE_FOLDER, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"loa-error-{stamp}.txt"
            target.write_text(text, encoding="utf-8")
            return str(target)
        except OSError:
            continue
    return "-"
