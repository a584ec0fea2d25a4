"""The sample site in a real Chromium, as a reader on a cheap phone without JavaScript gets it.

Pages are read over HTTP under a sub-path (http://127.0.0.1:PORT/portal/) and from file://,
which only works because every internal link is relative and ends in index.html.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import SAMPLE_PAGES, open_page

PAGES = SAMPLE_PAGES
NARROW_VIEWPORTS = [(320, 640), (360, 740)]
MIN_TAP_HEIGHT = 48

# The elements sticking out past the right edge, to say *what* overflows when it does.
OVERFLOWING = """() => {
  const limit = window.innerWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > limit + 0.5)
    .slice(0, 8)
    .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> right=` +
              `${Math.round(e.getBoundingClientRect().right)}: ${e.textContent.trim().slice(0, 60)}`);
}"""


@pytest.mark.parametrize("viewport", NARROW_VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_page_fits_narrow_phone_without_js(new_page, served_site, path, viewport):
    width, height = viewport
    page = new_page(width, height, js=False)
    open_page(page, served_site + path)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    assert inner_width == width
    assert scroll_width <= inner_width, (
        f"{path} overflows horizontally at {width}px: scrollWidth={scroll_width}; "
        f"sticking out: {page.evaluate(OVERFLOWING)}"
    )

    headings = page.locator("h1:visible")
    assert headings.count() == 1, f"{path}: {headings.count()} visible h1, want exactly one"
    assert headings.first.inner_text().strip(), f"{path}: the h1 is empty"

    assert page.locator("html").get_attribute("lang") == (path[:2] if path[2] == "/" else "vi")

    images = page.locator("img")
    for i in range(images.count()):
        image = images.nth(i)
        loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"{path}: image {image.get_attribute('src')!r} did not load"
    if path in (PAGES["policy article"], PAGES["guide article"]):
        assert images.count() >= 1, f"{path}: the lead image is gone, nothing was checked"


def _menu_to_guides_then_first_article(page, start_url: str, must_stay_under: str) -> None:
    page.goto(start_url)
    page.locator("header summary").click()  # the menu is behind a <details>
    page.locator("header").get_by_role("link", name="Hướng dẫn", exact=True).click()
    page.wait_for_url(re.compile(r".*/guides/index\.html$"))
    guides_url = page.url
    assert guides_url.startswith(must_stay_under), guides_url
    assert page.locator("h1").inner_text().strip() == "Hướng dẫn"

    first = page.locator("main").get_by_role("listitem").first.get_by_role("link").first
    target = urljoin(guides_url, first.get_attribute("href"))
    assert target != guides_url
    first.click()
    page.wait_for_url(target)
    assert page.url.endswith("/index.html"), page.url
    assert page.url.startswith(must_stay_under), page.url
    heading = page.locator("main article h1")
    assert heading.count() == 1, f"{page.url} is not an article page"
    assert heading.inner_text().strip()


def test_menu_and_list_links_work_from_file_url(new_page, sample_site: Path):
    page = new_page(360, 740, js=False)
    base = sample_site.as_uri() + "/"
    _menu_to_guides_then_first_article(page, f"file://{sample_site}/index.html", base)


def test_menu_and_list_links_work_under_a_sub_path(new_page, served_site):
    page = new_page(360, 740, js=False)
    _menu_to_guides_then_first_article(page, served_site + "index.html", served_site)


# Links standing on their own (menu and its opener, breadcrumbs, lists, pager, downloads);
# links inside a sentence are exempt, as in WCAG 2.5.8.
TAPPABLE = ("header a, header summary, nav a, main ul.list a, main a.more, main ul.figures a, "
            "main ul.downloads a, nav.pager a")


@pytest.mark.parametrize("path", [PAGES["home"], PAGES["policy article"], PAGES["section list"],
                                  PAGES["dataset"]], ids=["home", "article", "list", "dataset"])
def test_links_standing_alone_are_tall_enough_to_tap(new_page, served_site, path):
    page = new_page(360, 740, js=False)
    open_page(page, served_site + path)
    page.locator("header summary").click()  # open the menu: its links are measured too
    links = page.locator(TAPPABLE)
    assert page.locator("header nav a:visible").count() >= 4, "the header menu is missing"
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        assert box is not None, f"link {link.inner_text()!r} is not rendered"
        assert box["height"] >= MIN_TAP_HEIGHT, (
            f"{path}: link {link.inner_text()!r} is {box['height']:.1f}px tall, "
            f"want >= {MIN_TAP_HEIGHT}")


def _inside_viewport(box, width: int, height: int) -> bool:
    return (
        box is not None
        and box["width"] > 0 and box["height"] > 0
        and box["x"] >= 0 and box["y"] >= 0
        and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
    )


def test_skip_link_shows_on_first_tab_and_targets_main(new_page, served_site):
    page = new_page(360, 740, js=False)
    open_page(page, served_site + "index.html")
    skip = page.locator("body a").first  # the skip link must come before every other link
    assert skip.count() == 1, "the page has no link at all"
    assert skip.get_attribute("href") == "#main", (
        f"the first link is {skip.get_attribute('href')!r}, not a skip link to #main"
    )
    assert not _inside_viewport(skip.bounding_box(), 360, 740), "skip link visible before focus"

    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.count() == 1, "Tab focused nothing"
    assert focused.get_attribute("href") == "#main", "the first Tab stop is not the skip link"
    assert focused.inner_text().strip()
    assert _inside_viewport(focused.bounding_box(), 360, 740), (
        f"focused skip link is not on screen: {focused.bounding_box()}"
    )
    assert page.locator("#main").count() == 1, "the skip link's target #main does not exist"

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*#main$"))


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("path", [PAGES["home"], PAGES["policy article"]], ids=["home", "policy"])
def test_screenshot_at_360(new_page, served_site, tmp_path, path):
    """Full-page shots for a human to look at (kept under pytest's tmp_path, never committed)."""
    page = new_page(360, 740, js=False)
    open_page(page, served_site + path)
    shot = tmp_path / (path.replace("/", "_").removesuffix(".html") + "-360.png")
    page.screenshot(path=str(shot), full_page=True)
    width, height = _png_size(shot)
    assert width == 360
    assert height >= 740
    print(f"screenshot: {shot}")


def test_an_old_address_takes_the_reader_to_the_article(new_page, served_site):
    """`aliases: ["/tin-cu/ho-tro-4g/"]` in policies/ho-tro-chuyen-doi-4g.md: the old page
    sends the browser on (meta refresh, no JavaScript needed)."""
    page = new_page(360, 740, js=False)
    page.goto(served_site + "tin-cu/ho-tro-4g/index.html")
    page.wait_for_url(re.compile(r".*/policies/ho-tro-chuyen-doi-4g/index\.html$"), timeout=10_000)
    assert page.url.startswith(served_site)
    assert page.locator("h1").inner_text().startswith("Hỗ trợ bà con chuyển sang 4G")
