"""The minimal fixture site's output, compared file by file with a checked-in copy.

A change to templates, CSS or the pipeline shows up here as a readable diff of the
output. After checking that the change is intended, regenerate the copy with
`python -m pytest tests/e2e/test_expected.py --regen-expected` and commit it.
Precompressed copies (.gz, .br) are left out: their bytes depend on the compressor's
version, and tests/e2e/test_build.py checks that they hold their originals.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from helpers import SITES, build

EXPECTED = SITES.parent / "expected" / "minimal"
COMPRESSED = (".gz", ".br")


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and not p.name.endswith(COMPRESSED)}


def test_minimal_site_output_matches_the_checked_in_copy(tmp_path, request):
    out = tmp_path / "out"
    assert build(SITES / "minimal", out).code == 0
    if request.config.getoption("--regen-expected"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED, ignore=shutil.ignore_patterns(*(f"*{c}" for c in COMPRESSED)))
    assert files(out) == files(EXPECTED)
    for name in sorted(files(EXPECTED)):
        assert (out / name).read_bytes() == (EXPECTED / name).read_bytes(), (
            f"{name} differs from tests/expected/minimal/{name}")


def test_built_from_inside_the_site_folder_the_output_is_the_same(tmp_path):
    # `python build.py` run in the site's folder: every path of the site is relative to "."
    import os
    import subprocess
    import sys
    from helpers import ROOT, TODAY, copy_site
    site = copy_site(SITES / "minimal", tmp_path / "site")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", "../out",
                           "--today", TODAY], cwd=site, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert files(out) == files(EXPECTED)
    assert all((out / name).read_bytes() == (EXPECTED / name).read_bytes()
               for name in files(EXPECTED))
