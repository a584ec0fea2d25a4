"""The header in a real Chromium (issue 15): small enough that an article's title and
summary are on the first screen, its menu behind a <details> that opens without
JavaScript, search one tap away on every page (the 404 page too), and, without
JavaScript, what works (topics, places, sections) where a search box cannot.

The site is the sample with one more section of no type (its articles are plain ones),
served at the root of its test server, where its base_url puts it: the 404 page's links
start from there.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import ROOT, build, open_page, serve
from loa import i18n
from test_accessibility import axe_report, run_axe

VI, KM = i18n.load("vi"), i18n.load("km")
VIEWPORTS = [(320, 640), (360, 740)]
JS = [False, True]
# At most a fifth of the smallest screen (320 x 640); it was 341 px at 360 wide.
HEADER_HEIGHT = 128
MIN_TAP_HEIGHT = 48

PLAIN_SECTION = """\
  - name: tin-tuc
    title: "Tin tức"
"""
PLAIN_ARTICLE = """\
---
title: "Xã Vĩnh Hậu mở thêm điểm phát sóng 4G ở ấp xa, bà con gọi điện, xem tin rõ hơn trước"
date: 2024-05-02
summary: "Nhà mạng lắp thêm hai trạm phát sóng ở ấp Vĩnh Mới và ấp Thào Lạng; bà con ở xa trung tâm xã nay gọi điện, gọi video và xem tin trên điện thoại không còn chập chờn."
---
Hai trạm mới phát sóng từ đầu tháng năm.
"""

# The pages whose title and summary must show at once: every article of each kind.
KINDS = {
    "policy": "policies",
    "guide": "guides",
    "story": "stories",
    "plain article": "tin-tuc",
    "stand-alone page": "gioi-thieu",
    "khmer": "km",
    "khmer copy of an untranslated article": "km",
}

MEASURE = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const title = document.querySelector('main h1');
  const summary = document.querySelector('main .lead');
  return {scrollY: window.scrollY, header: box(document.querySelector('header')),
          title: box(title), summary: summary && box(summary),
          line: summary && parseFloat(getComputedStyle(summary).lineHeight),
          lang: (document.querySelector('main article') || document.documentElement).closest('[lang]').lang};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The sample site and a section of plain articles, built."""
    source = tmp_path_factory.mktemp("header") / "site"
    source.mkdir()
    for part in ("content", "data", "static"):
        shutil.copytree(ROOT / part, source / part)
    config = (ROOT / "site_config.yaml").read_text(encoding="utf-8")
    assert "\nsections:\n" in config
    (source / "site_config.yaml").write_text(
        config.replace("\nsections:\n", "\nsections:\n" + PLAIN_SECTION, 1), encoding="utf-8")
    (source / "content" / "tin-tuc").mkdir()
    (source / "content" / "tin-tuc" / "_index.md").write_text(
        '---\ntitle: "Tin tức"\n---\n', encoding="utf-8")
    (source / "content" / "tin-tuc" / "song-4g-vinh-hau.md").write_text(
        PLAIN_ARTICLE, encoding="utf-8")
    out = source.parent / "public"
    result = build(source, out)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def served(site) -> str:
    with serve(site) as base:
        yield base


def articles(site: Path, kind: str) -> list[str]:
    """Every page of that kind, as paths from the site's root."""
    folder = KINDS[kind]
    if kind == "stand-alone page":
        return [f"{folder}/index.html"]
    pages = sorted(site.glob(f"{folder}/**/index.html"))
    found = [p.relative_to(site).as_posix() for p in pages
             if "<article" in p.read_text(encoding="utf-8")
             and not {"to-roi", "loa"} & set(p.parts)]  # (a leaflet, a loudspeaker script)
    if kind.startswith("khmer"):  # translated, or Vietnamese text under a Khmer notice
        copies = kind != "khmer"
        found = [p for p in found
                 if ("<article lang=" in (site / p).read_text(encoding="utf-8")) == copies]
    assert found, f"no {kind} in {folder}/"
    return found


@pytest.mark.parametrize("js", JS, ids=["js-off", "js-on"])
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("kind", list(KINDS))
def test_title_and_summary_are_on_the_first_screen(new_page, site, served, kind, viewport, js):
    """At 360 x 740 the whole summary shows; at 320 x 640 the title and the summary's
    first line (what more there is above it, the date and the loudspeaker link, is the
    article's own)."""
    width, height = viewport
    page = new_page(width, height, js=js)
    late = []
    for path in articles(site, kind):
        open_page(page, served + path)
        seen = page.evaluate(MEASURE)
        assert seen["scrollY"] == 0
        assert seen["summary"], f"{path}: no summary to show"
        assert seen["header"]["bottom"] <= HEADER_HEIGHT, f"{path}: header {seen['header']}"
        if kind == "khmer":
            assert seen["lang"] == "km", path
        shown = seen["summary"]["bottom"] if width >= 360 else (
            seen["summary"]["top"] + seen["line"])
        if seen["title"]["bottom"] > height or shown > height:
            late.append(f"{path}: title ends at {seen['title']['bottom']:.0f}, summary "
                        f"{seen['summary']['top']:.0f}–{seen['summary']['bottom']:.0f}")
    assert not late, f"below the first {height} px at {width} wide:\n" + "\n".join(late)


def header_links(page) -> list[str]:
    return page.locator("header a:visible").all_inner_texts()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
def test_the_menu_opens_without_javascript(new_page, served, viewport):
    page = new_page(*viewport, js=False)
    open_page(page, served + "policies/ho-tro-chuyen-doi-4g/index.html")
    menu = page.locator("header details")
    assert menu.count() == 1, "the menu is not behind one <details>"
    opener = menu.locator("summary")
    assert opener.inner_text().strip().startswith(VI("site.menu"))
    assert opener.bounding_box()["height"] >= MIN_TAP_HEIGHT
    guides = page.locator("header").get_by_role("link", name="Hướng dẫn", exact=True)
    assert not guides.is_visible(), "the menu shows before it is opened"
    closed = page.locator("header").bounding_box()["height"]

    opener.click()
    assert menu.get_attribute("open") is not None
    assert guides.is_visible()
    links = menu.locator("nav a")
    assert links.count() >= 8  # the site's menu, and each language
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["height"] >= MIN_TAP_HEIGHT, links.nth(i).inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport[0] + 0.5
    assert page.locator("header").bounding_box()["height"] > closed  # it pushes, not covers
    guides.click()
    page.wait_for_url("**/guides/index.html")

    page.go_back()
    page.locator("header summary").focus()  # the keyboard opens and closes it too
    page.keyboard.press("Enter")
    assert page.locator("header").get_by_role("link", name="Hướng dẫn", exact=True).is_visible()
    page.keyboard.press("Enter")
    assert not page.locator("header").get_by_role(
        "link", name="Hướng dẫn", exact=True).is_visible()


@pytest.mark.parametrize("js", JS, ids=["js-off", "js-on"])
def test_one_small_link_to_another_language_and_all_in_the_menu(new_page, served, js):
    page = new_page(360, 740, js=js)
    open_page(page, served + "guides/cai-dat-vneid/index.html")
    shown = page.locator("header a[hreflang]:visible")
    assert shown.count() == 1
    assert shown.first.get_attribute("hreflang") == "km"
    assert shown.first.inner_text() == KM("language.name")
    page.locator("header summary").click()
    assert page.locator("header details a[hreflang]:visible").count() == 3
    shown.first.click()
    page.wait_for_url("**/km/guides/cai-dat-vneid/index.html")
    back = page.locator("header a[hreflang]:visible")
    assert back.count() == 1 and back.first.get_attribute("hreflang") == "vi"


@pytest.mark.parametrize("js", JS, ids=["js-off", "js-on"])
@pytest.mark.parametrize("path", ["index.html", "policies/ho-tro-chuyen-doi-4g/index.html",
                                  "km/guides/cai-dat-vneid/index.html", "404.html"],
                         ids=["home", "article", "khmer", "404"])
def test_search_is_in_the_header_of_every_page(new_page, served, path, js):
    page = new_page(320, 640, js=js)
    open_page(page, served + path)
    words = KM if path.startswith("km/") else VI
    link = page.locator("header").get_by_role("link", name=words("search.title"), exact=True)
    assert link.is_visible(), f"no search link in the header of {path}: {header_links(page)}"
    box = link.bounding_box()
    assert box["height"] >= MIN_TAP_HEIGHT
    assert box["y"] + box["height"] <= HEADER_HEIGHT, f"search is far down the header: {box}"
    link.click()
    page.wait_for_url(urljoin(served, "tim-kiem/index.html"))


def test_the_404_page_searches(new_page, served):
    page = new_page(360, 740, js=True)
    page.goto(served + "404.html")
    box = page.locator("main").get_by_role("searchbox")
    assert box.is_visible()
    box.fill("vneid")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/index.html?q=vneid")
    page.wait_for_selector("#search-results li")
    assert "VNeID" in page.locator("#search-results").inner_text()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("path", ["404.html", "tim-kiem/index.html"], ids=["404", "search"])
def test_without_javascript_no_dead_form_and_what_works_instead(new_page, served, path, viewport):
    page = new_page(*viewport, js=False)
    open_page(page, served + path)
    main = page.locator("main")
    assert main.locator("form:visible, input:visible, button:visible").count() == 0, (
        f"{path}: a search form shows that cannot work without JavaScript")
    hrefs = [urljoin(page.url, h) for h in main.locator("a:visible").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")]
    for wanted in ("chu-de/", "dia-ban/", "policies/index.html", "guides/index.html",
                   "stories/index.html"):
        assert any(h.startswith(served + wanted) for h in hrefs), f"{path}: no link to {wanted}"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("path", ["404.html", "tim-kiem/index.html"], ids=["404", "search"])
def test_with_javascript_the_form_shows(new_page, served, path, viewport):
    page = new_page(*viewport, js=True)
    open_page(page, served + path)
    assert page.locator("main").get_by_role("searchbox").is_visible()
    assert page.locator("main button:visible").count() == 1


def test_from_a_copied_folder_the_404_page_shows_no_form(new_page, site):
    """The 404 page links from the site's root (a server shows it at any depth), which a
    copied folder does not have: no box that can only fail; its links are for hosts."""
    page = new_page(320, 640, js=True)
    page.goto((site / "404.html").as_uri())
    assert page.locator("main form:visible").count() == 0
    assert page.locator("main a[href*='chu-de']:visible").count() >= 1


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
def test_the_offline_notice_is_one_short_line(new_page, served, viewport):
    page = new_page(*viewport, js=True)
    open_page(page, served + "policies/ho-tro-chuyen-doi-4g/index.html")
    notice = page.locator("#offline")
    assert notice.is_hidden()
    page.context.set_offline(True)  # the page hears the browser go offline
    notice.wait_for(state="visible")
    lines = page.evaluate("""() => { const e = document.getElementById('offline');
        return e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight); }""")
    assert lines < 1.5, f"the notice takes {lines:.1f} lines"
    header = page.locator("header").bounding_box()
    assert header["height"] <= HEADER_HEIGHT + 32, header
    page.context.set_offline(False)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["policies/ho-tro-chuyen-doi-4g/index.html",
                                  "km/guides/cai-dat-vneid/index.html", "tim-kiem/index.html"],
                         ids=["policy", "khmer", "search"])
def test_axe_with_the_menu_open_and_the_offline_notice_shown(new_page, served, path, scheme):
    """What the other axe runs cannot see: the menu's links (hidden while it is closed)
    and the notice (hidden while online)."""
    page = new_page(360, 740, js=True)
    page.emulate_media(color_scheme=scheme)
    open_page(page, served + path)
    page.locator("header summary").click()
    page.context.set_offline(True)
    page.locator("#offline").wait_for(state="visible")
    assert page.locator("header details nav a:visible").count() >= 8
    report = axe_report(run_axe(page))
    page.context.set_offline(False)
    assert not report, f"{path} ({scheme}), menu open, offline:\n" + "\n".join(report)
