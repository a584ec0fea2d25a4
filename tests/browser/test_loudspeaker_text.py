"""A loudspeaker script (`loa.txt`) opened in Chromium from its article's link (through
the script's page), from a copied folder (file://) and from a server that names no
charset (Python's http.server sends plain `text/plain`): the Vietnamese must show as
written, never as mojibake.

Over such a server a UTF-8 file without a byte-order mark is shown as windows-1252
(`BÃ i: Káº¿ hoáº¡ch…`); the script's BOM is what makes it right."""
from __future__ import annotations

import pytest

from helpers import open_page

ARTICLE = "policies/ke-hoach-giam-ngheo-ve-thong-tin-2024/"
MOJIBAKE = ("Ã", "áº", "á»", "Ä‘", "\ufffd")


@pytest.mark.parametrize("where", ["file", "http"])
def test_the_script_shows_vietnamese_from_its_link(new_page, sample_site, served_site, where):
    data = (sample_site / ARTICLE / "loa.txt").read_bytes()
    written = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    page = new_page(js=False)
    start = ((sample_site / ARTICLE / "index.html").as_uri() if where == "file"
             else served_site + ARTICLE + "index.html")
    open_page(page, start)
    with page.expect_navigation():
        page.click("a[href='loa/index.html']")  # the link at the end of the article
    assert page.url.endswith(ARTICLE + "loa/index.html")
    assert "Ủy ban nhân dân tỉnh Bạc Liêu" in page.inner_text("article.script")
    with page.expect_navigation():
        page.click("a[href='../loa.txt']")  # the file, from the script's page
    assert page.url.endswith(ARTICLE + "loa.txt")
    shown = page.inner_text("body")
    assert shown.strip() == written.strip()
    assert "Ủy ban nhân dân tỉnh Bạc Liêu" in shown
    assert not any(sign in shown for sign in MOJIBAKE), shown[:200]
    if where == "http":  # what the server said: no charset, so only the BOM tells the browser
        response = page.request.get(served_site + ARTICLE + "loa.txt")
        assert "charset" not in response.headers["content-type"]
