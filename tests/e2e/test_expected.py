"""The minimal fixture site's output, compared file by file with a checked-in copy.

A change to templates, CSS or the pipeline shows up here as a readable diff of the
output. After checking that the change is intended, regenerate the copy with
`python -m pytest tests/e2e/test_expected.py --regen-expected` and commit it.
"""
from __future__ import annotations

import shutil

from helpers import SITES, build

EXPECTED = SITES.parent / "expected" / "minimal"


def test_minimal_site_output_matches_the_checked_in_copy(tmp_path, request):
    out = tmp_path / "out"
    assert build(SITES / "minimal", out).code == 0
    if request.config.getoption("--regen-expected"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED)
    got = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    want = {p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file()}
    assert got == want
    for name in sorted(want):
        assert (out / name).read_text(encoding="utf-8") == (EXPECTED / name).read_text(
            encoding="utf-8"), f"{name} differs from tests/expected/minimal/{name}"
