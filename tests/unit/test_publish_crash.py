"""A build killed between any two file operations leaves, once the next run has started,
the old site or the new one, never a mix.

Each case builds site OLD, then publishes site NEW in a forked process whose k-th file
operation ends it (os._exit, as abrupt as SIGKILL), for k = 0, 1, 2… until a publish
runs through; then a new Publisher on the folder recovers it.
"""
import builtins
import hashlib
import os
import shutil
import traceback

from loa.cache import Cache
from loa.output import Publisher


def page(words):
    return f"<!doctype html><title>{words}</title>".encode() + words.encode() * 300


SHARD = b'{"ho tro":[[1,2,3]]}' * 100
OLD = {
    "index.html": page("home, old"),  # changed
    "a/keep.html": page("kept"),  # unchanged, known by its fingerprint
    "a/small.html": b"<p>small</p>",  # unchanged, too small for copies
    "b/gone.html": page("gone"),  # deleted, and its folders with it
    "b/c/gone.css": b"p{color:red}" * 100,
    "img/photo.jpg": b"\xff\xd8photo" * 300,  # unchanged, never compressed
    "img/old.jpg": b"\xff\xd8old" * 300,  # deleted
    "x/y/data.json": SHARD + b"[]",  # changed, and too small for copies now
    "tim-kiem/i-old/1.json": SHARD,  # the same bytes move to a new folder
}
NEW = {
    "index.html": page("home, new"),
    "a/keep.html": OLD["a/keep.html"],
    "a/small.html": OLD["a/small.html"],
    "img/photo.jpg": OLD["img/photo.jpg"],
    "x/y/data.json": b'{"small": 1}',
    "new/deep/page.html": page("added"),
    "tim-kiem/i-new/1.json": SHARD,
}
OPERATIONS = ("replace", "rename", "unlink", "rmdir", "mkdir", "link", "fsync")
ALL = OPERATIONS + ("open",)
CRASHED = 3


def publish(out, cache_dir, site):
    with Publisher(out, Cache(cache_dir)) as publisher:
        written = []
        for path, data in site.items():
            fingerprint = hashlib.sha256(data).hexdigest()
            written.append(publisher.unchanged(path, fingerprint)
                           or publisher.put(path, data, fingerprint))
        publisher.commit(written)


def recover(out, cache_dir):
    Publisher(out, Cache(cache_dir)).close()


def crash_at(limit, operations):
    """End this process at its file operation number `limit` (counted from 0) among
    `operations` (os functions, and "open" for writing)."""
    done = [0]

    def counted(real):
        def operation(*args, **kwargs):
            if done[0] == limit:
                os._exit(CRASHED)
            done[0] += 1
            return real(*args, **kwargs)
        return operation

    for name in set(operations) & set(OPERATIONS):
        setattr(os, name, counted(getattr(os, name)))
    if "open" in operations:
        read, written = builtins.open, counted(builtins.open)
        builtins.open = lambda file, mode="r", *args, **kwargs: (
            written if set(mode) & set("wax+") else read)(file, mode, *args, **kwargs)


def in_child(work, *args, crash, among=ALL):
    """Run `work(*args)` in a forked process that crashes at operation `crash` (see
    crash_at); its exit code."""
    child = os.fork()
    if child == 0:
        code = 0
        try:
            crash_at(crash, among)
            work(*args)
        except BaseException:  # noqa: BLE001 (told to the parent by the exit code)
            traceback.print_exc()
            code = 2
        os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


def snapshot(folder):
    """Every file (its bytes) and folder (None) under `folder`."""
    found = {}
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = os.path.join(parent, name)
            found[os.path.relpath(path, folder)] = None if name in folders else open(
                path, "rb").read()
    return found


def old_site(root):
    out, cache_dir = root / "site" / "public", root / "cache"
    publish(out, cache_dir, OLD)
    return out, cache_dir


def test_the_sites_differ_in_every_way_a_publish_can(tmp_path):
    out, cache_dir = old_site(tmp_path)
    old = snapshot(out)
    publish(out, cache_dir, NEW)
    new = snapshot(out)
    assert sorted(k for k in new if new[k] is not None) == [
        "a/keep.html", "a/keep.html.br", "a/keep.html.gz", "a/small.html", "img/photo.jpg",
        "index.html", "index.html.br", "index.html.gz", "new/deep/page.html",
        "new/deep/page.html.br", "new/deep/page.html.gz", "tim-kiem/i-new/1.json",
        "tim-kiem/i-new/1.json.br", "tim-kiem/i-new/1.json.gz", "x/y/data.json"]
    assert {"b/gone.html.gz", "b/c", "x/y/data.json.br", "tim-kiem/i-old"} <= old.keys()


def test_a_crash_at_any_file_operation_leaves_the_old_site_or_the_new(tmp_path):
    out, cache_dir = old_site(tmp_path / "reference")
    old = snapshot(out)
    publish(out, cache_dir, NEW)
    new = snapshot(out)

    outcomes, mixed, staged = [], 0, 0
    for crash in range(1000):
        out, cache_dir = old_site(tmp_path / str(crash))
        code = in_child(publish, out, cache_dir, NEW, crash=crash)
        if code == 0:  # ran through: every operation has had its crash
            assert snapshot(out) == new
            break
        assert code == CRASHED
        found = snapshot(out)
        mixed += found not in (old, new)
        staged += found == old and (out.parent / ".loa-stage-public").exists()

        recover(out, cache_dir)
        found = snapshot(out)
        assert found in (old, new), crash
        assert sorted(os.listdir(out.parent)) == ["public"], crash  # no stage, journal, lock
        outcomes.append(found == new)
        publish(out, cache_dir, NEW)  # what the manifest says after a crash costs only time
        assert snapshot(out) == new, crash
    else:
        raise AssertionError("the publish never ran through")
    assert outcomes == sorted(outcomes)  # the old site until the journal, the new one after
    assert 0 < outcomes.count(False) and 0 < outcomes.count(True)
    assert mixed  # the crashes did land in the middle of the renames and deletions
    assert staged  # and in the build, with files staged


def test_a_crash_in_a_first_build_leaves_no_site_or_the_whole_site(tmp_path):
    whole = snapshot(old_site(tmp_path / "reference")[0])
    for crash in range(1000):
        out, cache_dir = (tmp_path / str(crash) / name for name in ("site/public", "cache"))
        if in_child(publish, out, cache_dir, OLD, crash=crash) == 0:
            break
        recover(out, cache_dir)
        assert snapshot(out) in ({}, whole), crash
        assert sorted(os.listdir(out.parent)) in ([], ["public"]), crash
    assert snapshot(out) == whole and crash > 10


def test_a_crash_while_recovering_is_recovered_from(tmp_path):
    out, cache_dir = old_site(tmp_path / "reference")
    old = snapshot(out)
    publish(out, cache_dir, NEW)
    new = snapshot(out)
    cut, cache_dir = old_site(tmp_path / "cut short")
    # os.replace: the journal put in place, the first file moved in, then the crash
    assert in_child(publish, cut, cache_dir, NEW, crash=2, among=("replace",)) == CRASHED
    assert snapshot(cut) not in (old, new)
    for crash in range(1000):
        out = tmp_path / str(crash) / "public"
        shutil.copytree(cut.parent, out.parent, symlinks=True)  # site, stage and journal
        if in_child(recover, out, cache_dir, crash=crash) == 0:
            break
        recover(out, cache_dir)
        assert snapshot(out) == new, crash  # rolled forward, however often cut short
        assert sorted(os.listdir(out.parent)) == ["public"], crash
    assert snapshot(out) == new
    assert crash > 10  # the recovery did have operations to crash in
