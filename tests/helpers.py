"""Helpers shared by the tests: the project root, running the CLI in-process, copying sites.

Imported as `from helpers import …` (tests/ is on the path through tests/conftest.py).
"""
from __future__ import annotations

import contextlib
import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
TODAY = "2026-11-29"  # builds in tests are dated, so future-dated pages behave the same any day

sys.path.insert(0, str(ROOT))

from loa.cli import main  # noqa: E402


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Run:
    """Run `build.py ARGS` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def build(source: Path, out: Path, *extra: str) -> Run:
    return run_cli("build", "--source", source, "--out", out, "--today", TODAY, *extra)


def copy_site(source: Path, target: Path) -> Path:
    """A writable copy of a site folder (tests never touch the checked-in ones)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("public", ".loa-*"))
    return target
