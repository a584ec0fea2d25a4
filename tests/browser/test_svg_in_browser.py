"""An SVG of static/ opened by itself in Chromium runs nothing (it would run in the site's
origin); the same file published as it was written does run, which shows the check works."""
from __future__ import annotations

import pytest

from helpers import SITES, build, copy_site, serve

HOSTILE = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'width="40" height="40" onload="window.ran=\'onload\'">'
           "<script>window.ran='script'</script>"
           '<a xlink:href="javascript:void(window.ran=\'link\')"><rect id="r" width="40" '
           'height="40"/></a>'
           '<foreignObject width="40" height="40"><body xmlns="http://www.w3.org/1999/xhtml">'
           "<img src=\"x\" onerror=\"window.ran='html'\"/></body></foreignObject></svg>")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("svg-browser")
    site = copy_site(SITES / "minimal", root / "site")
    (site / "static" / "images" / "loa.svg").write_text(HOSTILE, encoding="utf-8")
    assert build(site, root / "out").code == 0
    (root / "out" / "as-written.svg").write_text(HOSTILE, encoding="utf-8")  # the control
    with serve(root / "out") as base:
        yield base


def ran_after_opening(new_page, url: str) -> str:
    """What the SVG at `url` ran when opened and its link clicked ("" for nothing)."""
    page = new_page(360, 740, js=True)
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator("#r").count():
        page.locator("#r").dispatch_event("click")
    page.wait_for_timeout(200)
    return page.evaluate("window.ran || ''")


def test_the_published_svg_runs_nothing(new_page, served):
    assert ran_after_opening(new_page, served + "images/loa.svg") == ""


def test_the_svg_as_written_would_have_run(new_page, served):
    assert ran_after_opening(new_page, served + "as-written.svg") in (
        "onload", "script", "link", "html")
