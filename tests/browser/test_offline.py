"""Reading offline in a real Chromium: the offline pack from file://, and the service worker.

1. The sample site's pack (`build.py pack`) is unzipped as a phone would, and every link of
   every page is followed from index.html, with JavaScript on and off: not one request may
   fail, no console or page error, and every page of the zip must be reached. Its search
   page searches (the index's files are scripts, which file:// does not block).
2. The sample site served over HTTP under a sub-path: a page read online is stored by the
   service worker and shown again offline, with the notice saying so; a page never opened
   gets the browser's own offline error.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from helpers import ROOT, TODAY, open_page, run_cli, search_for
from loa import i18n

NOTICE = i18n.load("vi")("offline.notice")
CACHE = "loa-offline-1"  # the cache templates/assets/sw.js keeps pages in

# Every link of the page, resolved by the browser (fragments dropped).
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href.split('#')[0])"


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory) -> Path:
    """The sample site's offline pack, unzipped."""
    folder = tmp_path_factory.mktemp("offline")
    result = run_cli("pack", "--source", ROOT, "--out", folder / "pack.zip", "--today", TODAY)
    assert result.code == 0, result.err
    with zipfile.ZipFile(folder / "pack.zip") as archive:
        archive.extractall(folder / "pack")
    return folder / "pack"


class Recorder:
    """Failed requests (a cancelled one too), HTTP errors, console and page errors of every
    page it watches, and the requests still in flight (leaving a page then would cancel
    them). The site's icon is in every page (a data: URI), so no request for it comes
    after `load` to be cancelled by moving on."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        self.requests = 0
        self.pending: set = set()
        page.on("request", self._request)
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _request(self, request) -> None:
        self.requests += 1
        self.pending.add(request)

    def _failed(self, request) -> None:
        self.pending.discard(request)
        self.problems.append(f"failed: {request.url} {request.failure}")

    def settle(self, page) -> None:
        """Wait until no request of the page is in flight (the icon comes after `load`)."""
        for _ in range(250):
            if not self.pending:
                return
            page.wait_for_timeout(20)
        raise AssertionError(f"requests still in flight: {[r.url for r in self.pending]}")


def crawl(page, recorder: Recorder, start: str, root: str) -> tuple[set[str], set[str]]:
    """Follow every link under `root` from `start`: (pages visited, other files linked)."""
    queue, seen, files = [start], {start}, set()
    while queue:
        url = queue.pop(0)
        page.goto(url)
        page.wait_for_load_state("load")
        if page.evaluate("!!document.querySelector('img[loading=lazy]')"):
            # with JavaScript on, a lazy image near the screen is asked for after `load`:
            # leaving at once would cancel it; wait until nothing has moved for 0.5 s
            page.wait_for_load_state("networkidle")
        recorder.settle(page)
        for link in page.evaluate(LINKS):
            if not link.startswith(root) or link in seen:
                continue
            seen.add(link)
            if link.endswith(".html"):
                queue.append(link)
            else:  # a PDF or a CSV: downloaded, not shown; it must be there
                files.add(link)
    return seen - files, files


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
def test_every_link_of_the_pack_works_from_file(new_page, unzipped, js):
    page = new_page(360, 740, js=js)
    recorder = Recorder(page)
    root = unzipped.as_uri() + "/"
    visited, files = crawl(page, recorder, root + "index.html", root)
    packed = {p.as_uri() for p in unzipped.rglob("*.html")}
    print(f"\nfile:// with JS {'on' if js else 'off'}: {len(visited)} pages visited, "
          f"{len(files)} downloads linked, {recorder.requests} requests")
    assert recorder.problems == []
    assert visited == packed
    assert len(packed) > 40 and recorder.requests > len(packed)
    missing = [f for f in files if not (unzipped / f.removeprefix(root)).is_file()]
    assert files and not missing
    if js:  # the page says it is offline only when it is
        assert page.locator("#offline").is_hidden()


def test_the_pack_searches_from_file(new_page, unzipped):
    page = new_page(360, 740, js=True)
    recorder = Recorder(page)
    page.goto((unzipped / "index.html").as_uri())
    page.locator("a[href$='tim-kiem/index.html']").first.click()
    page.wait_for_load_state("load")
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    titles = search_for(page, "chuyen tu may 2g")
    assert titles[0] == "Chuyển từ máy 2G sang điện thoại 4G"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#search-results li > a").first.click()  # the result opens from the folder
    page.wait_for_load_state("load")
    assert page.url.startswith(unzipped.as_uri()) and page.url.endswith("/index.html")
    assert page.locator("main h1").inner_text() == titles[0]
    recorder.settle(page)
    assert recorder.problems == []

    off = new_page(360, 740, js=False)  # without JavaScript: no box, the lists lead on
    off.goto((unzipped / "tim-kiem" / "index.html").as_uri())
    assert off.locator("#search").is_hidden()
    assert off.locator("main .chips a").count() > 3


def test_control_the_recorder_sees_a_broken_page(new_page, unzipped, tmp_path):
    control = tmp_path / "control"
    control.mkdir()
    (control / "index.html").write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><img src="missing.png" alt="x"><a href="gone/index.html">gone</a></body></html>',
        encoding="utf-8")
    page = new_page(js=False)
    recorder = Recorder(page)
    root = control.as_uri() + "/"
    with pytest.raises(PlaywrightError):  # the link leads nowhere
        crawl(page, recorder, root + "index.html", root)
    assert any("missing.png" in p for p in recorder.problems), recorder.problems


def _cached(page) -> list[str]:
    return page.evaluate(f"caches.open('{CACHE}').then(c => c.keys()).then(k => k.map(r => r.url))")


def test_a_page_read_online_can_be_read_again_offline(new_page, served_site):
    first = served_site + "guides/chuyen-sang-4g/index.html"
    second = served_site + "policies/index.html"
    never = served_site + "stories/index.html"
    page = new_page(360, 740, js=True)
    open_page(page, first)
    assert page.locator("#offline").is_hidden()
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == served_site  # registered at the site's root, under the sub-path
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    open_page(page, second)  # read through the worker, and kept
    page.go_back()
    page.wait_for_function(
        f"caches.open('{CACHE}').then(c => c.keys()).then(k => k.map(r => r.url))"
        f".then(u => u.includes({first!r}) && u.includes({second!r}))")
    assert not [u for u in _cached(page) if not u.startswith(served_site)]

    page.context.set_offline(True)
    page.reload()
    assert page.locator("main h1").inner_text() == "Chuyển từ máy 2G sang điện thoại 4G"
    assert page.locator("main img").count() >= 1  # the lead image, kept with the page
    assert page.locator("#offline").is_visible()
    assert page.locator("#offline").inner_text() == NOTICE
    assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth)")
    open_page(page, second)
    assert page.locator("#offline").is_visible()
    with pytest.raises(PlaywrightError, match="net::ERR_"):  # never opened: the browser says so
        page.goto(never)

    page.context.set_offline(False)
    open_page(page, second)
    assert page.locator("#offline").is_hidden()


def test_the_first_page_read_is_kept_without_a_reload(new_page, served_site):
    """The worker keeps the page that registered it: a reader who opened one link from
    Zalo, once, can open it again offline."""
    url = served_site + "guides/cai-dat-vneid/index.html"
    page = new_page(js=True)
    open_page(page, url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        f"caches.open('{CACHE}').then(c => c.keys()).then(k => k.some(r => r.url == {url!r}))")
    page.context.set_offline(True)
    page.reload()
    assert page.locator("#offline").is_visible()
    assert page.locator("main h1").inner_text().strip()
