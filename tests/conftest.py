"""Shared fixtures: the sample site built once, and the --regen-expected option."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT, build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-expected", action="store_true",
                     help="rewrite tests/expected/ from the current build instead of comparing")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own sample site, built once for the whole session."""
    out = tmp_path_factory.mktemp("sample") / "public"
    result = build(ROOT, out)
    assert result.code == 0, result.err
    return out
