"""Faults of the machine, not of the site's words, met by every command that reads or
writes: a file or a folder that cannot be read, a full disk, a read-only output folder,
links in a loop, a file name that is no UTF-8, a second build into the same folder.

Each ends in exit 1, a `path: problem — fix` line naming the file, no traceback, and
what was published before (the output folder, the offline pack's zip) byte for byte as
it was. Permissions mean nothing to root (CI's user), so the unreadable, full and
read-only cases are injected: in a forked child, the file system calls Loa makes on
the one path raise the error the kernel would (EACCES, ENOSPC, EROFS).
"""
from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path
from typing import Callable

import pytest

import helpers
from helpers import SITES, TODAY, Run, copy_site, run_cli
from loa import output
from loa.cache import Cache

GUARD_SECONDS = 30  # against hangs only


def in_child(act: Callable[[], Run], fault: Callable[[], None]) -> Run:
    """`act()` in a forked child where `fault()` has broken the file system first."""
    return helpers.in_child(act, fault, GUARD_SECONDS)


def _under(path: object, root: str) -> bool:
    if not isinstance(path, (str, bytes, os.PathLike)) or isinstance(path, int):
        return False
    return os.path.abspath(os.fsdecode(path)).startswith(root)


def fail_reading(target: Path) -> Callable[[], None]:
    """Opening `target` (a file) or listing it (a folder) raises EACCES."""
    def fault() -> None:
        root = os.path.abspath(target)
        real_open, real_scandir = io.open, os.scandir

        def opened(file, *args, **kwargs):
            if _under(file, root):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(file))
            return real_open(file, *args, **kwargs)

        def listed(path=".", *args, **kwargs):
            if _under(path, root) and os.path.abspath(os.fsdecode(path)) == root:
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            return real_scandir(path, *args, **kwargs)

        io.open = builtins.open = opened
        os.scandir = listed
    return fault


def fail_writing(folder: Path, code: int) -> Callable[[], None]:
    """Creating anything in `folder` (or below it) raises `code` (ENOSPC, EROFS)."""
    def fault() -> None:
        root = os.path.abspath(folder)
        message = os.strerror(code)
        real_open, real_os_open, real_mkdir = io.open, os.open, os.mkdir

        def opened(file, mode="r", *args, **kwargs):
            if _under(file, root) and any(c in mode for c in "wax+"):
                raise OSError(code, message, os.fsdecode(file))
            return real_open(file, mode, *args, **kwargs)

        def os_opened(path, flags, *args, **kwargs):
            if _under(path, root) and flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
                raise OSError(code, message, os.fsdecode(path))
            return real_os_open(path, flags, *args, **kwargs)

        def made(path, *args, **kwargs):
            if _under(path, root):
                raise OSError(code, message, os.fsdecode(path))
            return real_mkdir(path, *args, **kwargs)

        io.open = builtins.open = opened
        os.open, os.mkdir = os_opened, made
    return fault


def no_fault() -> None:
    pass


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> dict:
    """A copy of the minimal site, built and packed once: what those left is the
    'before' every failed command must leave alone."""
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out, zip_file = tmp_path / "public", tmp_path / "goi.zip"
    assert run_cli("build", "--source", site, "--out", out, "--today", TODAY).code == 0
    assert run_cli("pack", "--source", site, "--out", zip_file, "--today", TODAY).code == 0
    return {"site": site, "out": out, "zip": zip_file, "published": tree(out),
            "packed": zip_file.read_bytes()}


def commands(site: dict) -> dict[str, Callable[[], Run]]:
    source = site["site"]
    return {
        "build": lambda: run_cli("build", "--source", source, "--out", site["out"], "--today",
                                 TODAY),
        "check": lambda: run_cli("check", "--source", source, "--today", TODAY),
        "pack": lambda: run_cli("pack", "--source", source, "--out", site["zip"], "--today",
                                TODAY),
    }


def assert_failed_cleanly(result: Run, site: dict, named: str, words: str) -> None:
    assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.err.splitlines() if named in line]
    assert lines, f"no line names {named}:\n{result.err}"
    assert any(words in line for line in lines), f"{words!r} not in:\n{result.err}"
    assert tree(site["out"]) == site["published"]  # byte for byte
    assert site["zip"].read_bytes() == site["packed"]


# Faults in the site's files: every command meets them.
READING = {
    "unreadable file": lambda s: (fail_reading(s / "content" / "guides" / "zalo.md"),
                                  "zalo.md", "không có quyền đọc"),
    "unreadable folder": lambda s: (fail_reading(s / "content" / "stories"),
                                    "content/stories", "không đọc được thư mục này"),
}


@pytest.mark.parametrize("command", ["build", "check", "pack"])
@pytest.mark.parametrize("fault", READING)
def test_a_file_or_folder_that_cannot_be_read(site, command, fault):
    # (an edit since the last build: a file unchanged since then need not be read again)
    article = site["site"] / "content" / "guides" / "zalo.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    inject, named, words = READING[fault](site["site"])
    result = in_child(commands(site)[command], inject)
    assert_failed_cleanly(result, site, named, words)


@pytest.mark.parametrize("command", ["build", "check", "pack"])
def test_links_in_a_loop(site, command):
    static = site["site"] / "static"
    (static / "vong-a").symlink_to(static / "vong-b")
    (static / "vong-b").symlink_to(static / "vong-a")
    result = in_child(commands(site)[command], no_fault)
    assert_failed_cleanly(result, site, "static/vong-a", "không dẫn tới tệp nào")


@pytest.mark.parametrize("command", ["build", "check", "pack"])
def test_a_file_name_that_is_no_utf8(site, command):
    guides = os.fsencode(site["site"] / "content" / "guides")
    with open(guides + b"/bai-\xff.md", "wb") as file:
        file.write(b'---\ntitle: "x"\ndate: 2024-01-01\n---\nx\n')
    result = in_child(commands(site)[command], no_fault)
    assert_failed_cleanly(result, site, "content/guides/bai-\\xff.md", "không phải UTF-8")


# Faults of where things are written: build and pack write (check writes nothing the
# machine could refuse: its scratch cache only costs time when it cannot be written).
WRITING = {
    "a full disk": (errno.ENOSPC, "ổ đĩa đã đầy"),
    "a read-only output folder": (errno.EROFS, "chỉ cho đọc"),
}


@pytest.mark.parametrize("command", ["build", "pack"])
@pytest.mark.parametrize("fault", WRITING)
def test_where_the_output_goes_cannot_be_written(site, command, fault):
    code, words = WRITING[fault]
    target = site["out"] if command == "build" else site["zip"]
    result = in_child(commands(site)[command], fail_writing(target.parent, code))
    assert_failed_cleanly(result, site, str(target.parent), words)


def test_a_second_build_into_the_same_folder_waits_for_none(site):
    with output.Publisher(site["out"], Cache(None)):  # another build holds the folder
        result = in_child(commands(site)["build"], no_fault)
    assert_failed_cleanly(result, site, "public", "một tiến trình Loa khác")
