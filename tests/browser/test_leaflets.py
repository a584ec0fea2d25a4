"""Leaflets printed by a real Chromium (issue 8, acceptance 1).

Every guide's and policy's leaflet of the sample site, read over HTTP under a sub-path,
is printed to PDF with Playwright's `page.pdf` on the paper of site_config.yaml (A5) and
must take one or two pages, of that size; then on A4, from a copy of the site set to it.
Its QR code, shot on screen as a phone camera would see it, must read (zxing-cpp) as
exactly the article's full address: base_url + its path.

A control prints a full article on A5, which must take more than two pages, so the
page count cannot pass by counting nothing.
"""
from __future__ import annotations

import io
import shutil

import pytest
import yaml

from helpers import ROOT, build, open_page, serve

CONFIG = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8"))
BASE = CONFIG["base_url"]
PAPER = CONFIG["leaflet"]["paper"]
MM = 72 / 25.4  # PDF points per millimetre
SIZES = {"A5": (148, 210), "A4": (210, 297)}  # mm, portrait
ARTICLES = sorted(f"{s}/{p.stem}/" for s in ("guides", "policies")
                  for p in (ROOT / "content" / s).glob("*.md") if p.name != "_index.md"
                  and p.suffixes == [".md"])  # (not translations)


def pdf_pages(page, url: str, paper: str) -> list[tuple[float, float]]:
    """Print `url` as Chromium does to PDF; the (width, height) in mm of each page."""
    from pypdf import PdfReader

    open_page(page, url)
    printed = page.pdf(format=paper, prefer_css_page_size=True)
    return [(float(p.mediabox.width) / MM, float(p.mediabox.height) / MM)
            for p in PdfReader(io.BytesIO(printed)).pages]


def assert_fits(sizes: list[tuple[float, float]], paper: str, what: str) -> None:
    assert 1 <= len(sizes) <= 2, f"{what} prints to {len(sizes)} {paper} pages, want 1 or 2"
    width, height = SIZES[paper]
    for w, h in sizes:
        assert abs(w - width) < 1 and abs(h - height) < 1, f"{what}: a page of {w:.0f}x{h:.0f} mm"


def test_every_sample_guide_and_policy_is_a_leaflet():
    assert len(ARTICLES) == 12 and PAPER == "A5"


@pytest.mark.parametrize("article", ARTICLES)
def test_leaflet_prints_to_one_or_two_pages(new_page, served_site, article):
    page = new_page(360, 740, js=False)
    assert_fits(pdf_pages(page, served_site + article + "to-roi/index.html", PAPER), PAPER,
                article)


def test_control_a_full_article_takes_more_than_two_pages(new_page, served_site):
    page = new_page(360, 740, js=False)
    sizes = pdf_pages(page, served_site + "guides/cai-dat-vneid/index.html", PAPER)
    assert len(sizes) > 2, f"the whole article fits {len(sizes)} {PAPER} pages: nothing to test"


@pytest.fixture(scope="module")
def a4_site(tmp_path_factory: pytest.TempPathFactory):
    """The sample site with `leaflet.paper: A4`, built and served."""
    site = tmp_path_factory.mktemp("a4") / "site"
    for folder in ("content", "data", "static"):
        shutil.copytree(ROOT / folder, site / folder)
    config = site / "site_config.yaml"
    shutil.copy(ROOT / "site_config.yaml", config)
    text = config.read_text(encoding="utf-8")
    assert text.count("  paper: A5") == 1
    config.write_text(text.replace("  paper: A5", "  paper: A4"), encoding="utf-8")
    out = site.parent / "public"
    result = build(site, out)
    assert result.code == 0, result.err
    with serve(out) as base:
        yield base


@pytest.mark.parametrize("article", ARTICLES)
def test_leaflet_on_a4_paper(new_page, a4_site, article):
    page = new_page(360, 740, js=False)
    assert_fits(pdf_pages(page, a4_site + article + "to-roi/index.html", "A4"), "A4", article)


@pytest.mark.parametrize("article", ARTICLES)
def test_qr_code_reads_as_the_article_address(new_page, served_site, article):
    import zxingcpp
    from PIL import Image

    page = new_page(360, 740, js=False)
    open_page(page, served_site + article + "to-roi/index.html")
    code = page.locator("main .qr svg")
    assert code.count() == 1
    shot = Image.open(io.BytesIO(code.screenshot()))
    found = zxingcpp.read_barcodes(shot, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [f.text for f in found] == [BASE + article], f"{article}: read {found}"
    assert found[0].ec_level == "M"
    assert page.locator("main .leaflet-contact .url").inner_text() == BASE + article


@pytest.mark.parametrize("js", [True, False])
def test_a_leaflet_has_a_print_button_where_it_can_work(new_page, served_site, js):
    page = new_page(360, 740, js=js)
    if js:  # (Chromium's print dialog would block a headless page: count the calls)
        page.add_init_script("window.printed = 0; window.print = () => window.printed++;")
    open_page(page, served_site + ARTICLES[0] + "to-roi/index.html")
    button = page.get_by_role("button", name="In tờ rơi")
    if js:
        button.click()
        assert page.evaluate("window.printed") == 1
    else:  # a button that does nothing is never shown; the words say what to do
        assert button.count() == 0 or not button.is_visible()
        assert "chọn In trong trình đơn của trình duyệt" in page.inner_text(".print-hint")
    assert "Ctrl+P" not in page.inner_text("main")
