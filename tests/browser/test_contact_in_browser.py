"""The portal's contact (issue 15, point 2) on a 320 px phone without JavaScript: the
footer and the contact page fit the screen, their telephone numbers are tel: links a
finger can tap, and the footer leads to the contact page, over HTTP and from file://.

(What the pages hold is tests/e2e/test_contact.py; every sample page, the contact page
among them, is also checked for overflow and accessibility in test_pages.py and
test_accessibility.py.)
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import open_page

PHONE = "tel:02910000000"  # the sample's made-up number
MIN_TAP_HEIGHT = 48
FOOTER_PAGES = ["index.html", "policies/ho-tro-chuyen-doi-4g/index.html",
                "lien-he/index.html", "km/lien-he/index.html", "en/index.html"]


def fits(page) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in page.locator("footer, footer *, main dl, main dl *").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().right)"):
        assert box <= width + 0.5


@pytest.mark.parametrize("path", FOOTER_PAGES)
def test_the_footer_fits_320_px_and_its_number_can_be_tapped(new_page, served_site, path):
    page = new_page(320, 640, js=False)
    open_page(page, served_site + path)
    fits(page)
    call = page.locator(f"footer a[href='{PHONE}']")
    assert call.count() == 1 and call.is_visible()
    assert call.bounding_box()["height"] >= MIN_TAP_HEIGHT
    lang = path[:3] if path[:3] in ("km/", "en/") else ""
    targets = page.locator("footer a").evaluate_all("links => links.map(a => a.href)")
    assert served_site + lang + "lien-he/index.html" in targets, targets


@pytest.mark.parametrize("path", ["lien-he/index.html", "km/lien-he/index.html"])
def test_the_contact_page_fits_320_px_with_links_a_phone_opens(new_page, served_site, path):
    page = new_page(320, 640, js=False)
    open_page(page, served_site + path)
    fits(page)
    main = page.locator("main")
    for href in (PHONE, "mailto:lienhe@giamngheo.example",
                 "https://zalo.me/0000000000000000000"):
        link = main.locator(f"a[href='{href}']")
        assert link.count() == 1 and link.is_visible(), href
        assert link.bounding_box()["height"] >= MIN_TAP_HEIGHT, href


def test_the_footer_leads_to_the_contact_page_from_a_copied_folder(new_page, sample_site: Path):
    page = new_page(320, 640, js=False)
    page.goto((sample_site / "guides" / "cai-dat-vneid" / "index.html").as_uri())
    page.locator("footer a[href$='lien-he/index.html']").click()
    page.wait_for_url(re.compile(r".*/lien-he/index\.html$"))
    assert page.url.startswith(sample_site.as_uri())
    assert page.locator("main a[href^='tel:']").count() == 1


def test_the_where_to_ask_box_fits_320_px(new_page, served_site):
    page = new_page(320, 640, js=False)
    open_page(page, served_site + "policies/chuan-ngheo-da-chieu/index.html")
    box = page.locator("section[aria-labelledby='hoi-o-dau']")
    assert box.count() == 1 and box.is_visible()
    fits(page)
    assert box.locator(f"a[href='{PHONE}']").bounding_box()["height"] >= MIN_TAP_HEIGHT
