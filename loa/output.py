"""The only module that writes the site: a staging folder beside the output, then a swap
(and the offline pack's zip: a temporary file beside it, then a rename).

Files are put into `.loa-tmp-*` next to the output folder as the build makes them,
and the folder is renamed into place only when every file is there, so a failed or
interrupted build leaves the published site exactly as it was. No path may leave
the folder.

A file whose bytes did not change is not written again: its old copy is
hard-linked into the staging folder (copied where the disk has no hard links), so
after the swap it is the same file, with its old time, as before; a host's rsync
sees nothing to send. A manifest in the cache remembers, for every file, what the
page was made from (its fingerprint) and how the file looked on disk (size, time,
inode), so that a page whose fingerprint did not change need not even be rendered.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .assets import TEXT, brotli_bytes, gzip_bytes
from .cache import Cache, key as cache_key
from .errors import Diagnostic, problem
from .models import OutputFile, Written
from .urls import is_safe_output_path

PACKED = (".gz", ".br")


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


@dataclass(frozen=True)
class _OnDisk:
    """A file as the last build left it."""

    fingerprint: str
    stat: tuple[int, int, int]  # size, mtime_ns, inode
    packed: tuple[str, ...]  # which of .gz/.br it has
    info: Any
    digest: str = ""  # sha256 of its bytes


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


def _safe(path: str) -> None:
    if not is_safe_output_path(path):
        raise ValueError(f"refusing to write outside the output folder: {path!r}")


class Staging:
    """The next version of `out_dir`, filled file by file, swapped in by `commit`.

    Forked workers may put files at the same time (each file is theirs alone); what
    they return (`Written`) goes back to the parent, which hands all of it to `commit`.
    """

    def __init__(self, out_dir: Path, cache: Cache, precompress: bool = True) -> None:
        self.out_dir = Path(os.path.abspath(out_dir))
        self.precompress = precompress
        self.cache = cache
        self.manifest_key = cache_key("manifest", str(self.out_dir), str(precompress))
        self.records: dict[str, _OnDisk] = {}
        saved = cache.get(self.manifest_key)
        if saved is not None and self.out_dir.is_dir():
            try:
                self.records = pickle.loads(saved)
            except Exception:  # noqa: BLE001 (a damaged manifest only costs time)
                self.records = {}
        # the same bytes anywhere in the old output: a renamed file (or a search index in
        # a new folder, most of whose files are unchanged) is linked, not written again
        self.by_digest = {d.digest: path for path, d in self.records.items() if d.digest}
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=".loa-tmp-", dir=self.out_dir.parent))
        self.made: set[str] = set()  # folders already made in staging (per process)

    # --- filling ---

    def _target(self, path: str) -> Path:
        _safe(path)
        target = self.folder / path
        parent = target.parent
        key = str(parent)
        if key not in self.made:
            parent.mkdir(parents=True, exist_ok=True)
            self.made.add(key)
        return target

    def _link(self, old: Path, new: Path) -> None:
        try:
            os.link(old, new)
        except OSError:  # no hard links here (FAT on a USB stick): a copy, times kept
            shutil.copy2(old, new)

    def _intact(self, path: str) -> _OnDisk | None:
        """The last build's record of `path`, if the file (and its copies) are still as
        it left them."""
        before = self.records.get(path)
        if before is None:
            return None
        old = self.out_dir / path
        if _stat(old) != before.stat or any(
                _stat(old.with_name(old.name + s)) is None for s in before.packed):
            return None
        return before

    def _keep(self, old_path: str, path: str, before: _OnDisk) -> None:
        old, target = self.out_dir / old_path, self._target(path)
        for suffix in ("", *before.packed):
            self._link(old.with_name(old.name + suffix), target.with_name(target.name + suffix))

    def previous(self, path: str) -> Written | None:
        """What the last build wrote at `path`, if the file is as it left it."""
        before = self._intact(path)
        return None if before is None else Written(path, before.fingerprint, before.info,
                                                   before.digest)

    def unchanged(self, path: str, fingerprint: str) -> Written | None:
        return self.reuse(path, fingerprint)

    def reuse(self, path: str, fingerprint: str) -> Written | None:
        """Keep the old file if it was made from the same fingerprint and is untouched."""
        before = self._intact(path) if fingerprint else None
        if before is None or before.fingerprint != fingerprint:
            return None
        self._keep(path, path, before)
        return Written(path, fingerprint, before.info, before.digest)

    def put(self, path: str, content: bytes, fingerprint: str = "", info: Any = None,
            gz: bytes | None = None) -> Written:
        """Put one file (with its .gz/.br copies); bytes the old output already has, here
        or under another name, are linked, not written.

        `gz`: the gzip copy when the caller already made it (to measure the page)."""
        digest = hashlib.sha256(content).hexdigest()
        written = Written(path, fingerprint, info, digest)
        for old_path in (path, self.by_digest.get(digest)):
            before = self._intact(old_path) if old_path else None
            if before is not None and before.digest == digest and (
                    before.packed or not self._packs(path, content)):
                self._keep(old_path, path, before)
                return written
        target = self._target(path)
        old = self.out_dir / path
        on_disk = _stat(old)  # no record (the cache was deleted): compare the bytes
        same = on_disk is not None and on_disk[0] == len(content) and old.read_bytes() == content
        if same:
            self._link(old, target)
        else:
            target.write_bytes(content)
        if self._packs(path, content):
            for suffix in PACKED:
                packed_old = old.with_name(old.name + suffix)
                packed_new = target.with_name(target.name + suffix)
                if same and _stat(packed_old) is not None:
                    self._link(packed_old, packed_new)
                    continue
                packed = (gz if gz is not None else gzip_bytes(content)) if suffix == ".gz" \
                    else brotli_bytes(content)
                if len(packed) < len(content):
                    packed_new.write_bytes(packed)
        return written

    def _packs(self, path: str, content: bytes) -> bool:
        """Whether `path` gets .gz/.br copies (when they come out smaller)."""
        return self.precompress and path.endswith(TEXT)

    # --- the end ---

    def _manifest(self, written: Iterable[Written]) -> dict[str, _OnDisk]:
        found = {}
        for item in written:
            target = self.folder / item.path
            stat = _stat(target)
            packed = tuple(s for s in PACKED if _stat(target.with_name(target.name + s)))
            if stat is not None:
                found[item.path] = _OnDisk(item.fingerprint, stat, packed, item.info,
                                           item.digest)
        return found

    def commit(self, written: Iterable[Written], inputs: str = "", summary: Any = None) -> None:
        """Swap the staging folder in; remember what each file was made from, and (with
        `inputs`, a hash of everything the build read) the folder as it now is, so that
        the next build of the same inputs can see there is nothing to do."""
        manifest = self._manifest(written)
        try:
            umask = os.umask(0)
            os.umask(umask)
            self.folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; servers must read it
            if not self.out_dir.exists():
                self.folder.rename(self.out_dir)
            else:
                old = Path(tempfile.mkdtemp(prefix=".loa-old-", dir=self.out_dir.parent))
                old.rmdir()
                self.out_dir.rename(old)
                try:
                    self.folder.rename(self.out_dir)
                except OSError:
                    old.rename(self.out_dir)
                    raise
                shutil.rmtree(old, ignore_errors=True)
        finally:
            self.discard()
        self.cache.put(self.manifest_key, pickle.dumps(manifest, pickle.HIGHEST_PROTOCOL))
        state = (inputs, _listing(self.out_dir), summary) if inputs else None
        self.cache.put(_state_key(self.out_dir), pickle.dumps(state, pickle.HIGHEST_PROTOCOL))

    def discard(self) -> None:
        """Forget the staging folder: the published site stays as it was."""
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)

    # `with Staging(...) as staging:` discards whatever was not committed when the block
    # ends, by a return, a failed build or an exception (after commit there is nothing left)
    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exception: object) -> None:
        self.discard()


def _listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under `folder`: relative path -> (size, mtime_ns, inode)."""
    found = {}
    pending = [("", folder)]
    while pending:
        prefix, current = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                stat = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
                if entry.is_dir(follow_symlinks=False):
                    pending.append((prefix + entry.name + "/", Path(entry.path)))
    return found


def _state_key(out_dir: Path) -> str:
    return cache_key("output state", str(Path(os.path.abspath(out_dir))))


def up_to_date(out_dir: Path, cache: Cache, inputs: str) -> Any:
    """What the last build into `out_dir` said (its summary), if it read exactly `inputs`
    and the folder is still file for file (size, time, inode) as it left it; else None.

    The same inputs always make the same bytes, so such a build would change nothing:
    make(1) decides the same way, from times and sizes."""
    saved = cache.get(_state_key(out_dir))
    if saved is None or not Path(out_dir).is_dir():
        return None
    try:
        state = pickle.loads(saved)
    except Exception:  # noqa: BLE001 (damaged: build)
        return None
    if not state or state[0] != inputs or _listing(Path(out_dir)) != state[1]:
        return None
    return state[2]


def replace_file(target: Path, content: bytes) -> None:
    """Write one file whole or not at all (the offline pack's zip): a temporary file
    beside it, renamed over it, so a reader never finds half a file and a failure
    leaves the old one as it was."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".loa-tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(outputs: Iterable[OutputFile], out_dir: Path, precompress: bool = False) -> None:
    """Replace `out_dir` with exactly `outputs`, or leave it untouched on failure."""
    with Staging(out_dir, Cache(None), precompress) as staging:
        staging.commit([staging.put(o.path, o.content) for o in outputs])
