"""Shared fixtures: the sample site built once, `edit` serving a copy of the minimal site,\nand the --regen-expected option."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT, SITES, Editing, build, copy_site, with_editor


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


@pytest.fixture
def editing(tmp_path: Path):
    """`build.py edit` serving a copy of the minimal site, the editor installed."""
    server = Editing(with_editor(copy_site(SITES / "minimal", tmp_path / "site")))
    yield server
    server.stop()
