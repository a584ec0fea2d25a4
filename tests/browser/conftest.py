"""Browser fixtures: one Debian Chromium for the session, a fresh context per test,
and the sample site served over HTTP under a sub-path (to prove the relative links).

Chromium is never downloaded by Playwright here (see /work/shared/TESTING.md): a missing
/usr/bin/chromium makes these tests fail, never skip, so a green run cannot hide it.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

from helpers import serve

CHROMIUM = Path("/usr/bin/chromium")
# The network is closed: without these flags Chromium hangs trying to reach the outside.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUB_PATH = "portal"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -r requirements-dev.txt")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """new_page(width, height, js=False): a page in a fresh context, closed after the test."""
    contexts = []

    def make(width: int = 360, height: int = 740, js: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=js,
            locale="vi-VN",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def served_site(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (ending in '/') of the sample site served at http://127.0.0.1:PORT/portal/."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(sample_site, root / SUB_PATH)
    with serve(root) as base:
        yield f"{base}{SUB_PATH}/"
