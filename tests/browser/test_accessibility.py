"""Accessibility and self-containment of the sample site in a real Chromium.

Ten pages (home, a section list, a policy and a guide article, the statistics list, one dataset
page, 404.html, a guide's and a policy's leaflet and the list of leaflets) are read over HTTP
from the `served_site` fixture, and checked for:

- axe-core finding no "serious" or "critical" violation at 360x740, in light and dark schemes;
- a clean load without JavaScript at 320x640: no console or page error, no failed request, no
  request leaving the test server, and a <main> with real text in it;
- an alt text on every image, no web font, no <script> but the offline notice's, and the same
  main text with JS on or off (but for what shows only where it can work: scripted and
  served, as the 404 page's search box).

Two control tests feed the same checks pages broken on purpose (an image without alt, 1.5:1
text, a script, a web font, a request to another origin), so a green run cannot come from a
checker that saw nothing.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import (LISTEN_SCRIPT, OFFLINE_SCRIPT, PRINT_SCRIPT, ROOT, SAMPLE_PAGES,
                     open_page)

AXE = ROOT / "tests/.node/node_modules/axe-core/axe.min.js"
PAGES = SAMPLE_PAGES
WITH_LEAD_IMAGE = ("policy article", "guide article")
AXE_VIEWPORT = (360, 740)
NO_JS_VIEWPORT = (320, 640)
BLOCKING = ("serious", "critical")
MIN_MAIN_TEXT = 100

# axe's answer cut down to what a failure report needs (its full answer is megabytes).
RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return {
    engine: r.testEngine.name + ' ' + r.testEngine.version,
    passes: r.passes.length,
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), impact: n.impact,
                               summary: (n.failureSummary || '').replace(/\\s+/g, ' ')})),
    })),
  };
}"""

# Everything the no-JS checks need from a loaded page, in one round trip.
OBSERVE = """async () => {
  await document.fonts.ready;
  const main = document.querySelectorAll('main');
  const box = main.length ? main[0].getBoundingClientRect() : null;
  const rules = [];
  const walk = list => { for (const rule of list) {
    if (rule instanceof CSSFontFaceRule) rules.push(rule);
    else if (rule.cssRules) walk(rule.cssRules);
  } };
  for (const sheet of document.styleSheets) {
    try { walk(sheet.cssRules); } catch (e) { /* another origin's sheet: its requests tell */ }
  }
  const family = f => f.replace(/^["']|["']$/g, '');
  // what only a scripted page shows (.js-only: a leaflet's print button) or a page
  // without scripts (.no-js-only: where to find Print instead), or a scripted page read
  // from a server (.served-only: the 404 page's search box, see search.css) is left out:
  // the one difference JavaScript may make to <main>
  const mainText = m => {
    const served = Array.from(m.querySelectorAll('.served-only, .js-only, .no-js-only'));
    served.forEach(e => { e.style.display = 'none'; });
    const text = m.innerText;
    served.forEach(e => { e.style.display = ''; });
    return text;
  };
  const fromUrl = rules.filter(r => /url\\(/i.test(r.style.getPropertyValue('src')))
                       .map(r => family(r.style.getPropertyValue('font-family')));
  const faces = Array.from(document.fonts).map(f => ({family: family(f.family), status: f.status}));
  return {
    icon: (document.querySelector('link[rel~="icon" i]') || {}).href || null,
    mains: main.length,
    mainVisible: !!box && box.width > 0 && box.height > 0,
    mainText: main.length ? mainText(main[0]) : '',
    scripts: Array.from(document.querySelectorAll('script'))
      .map(s => s.src || s.textContent.trim().slice(0, 60)),
    images: Array.from(document.querySelectorAll('img')).map(img => ({
      src: img.getAttribute('src'), alt: img.getAttribute('alt'),
      hidden: !!img.closest('[aria-hidden="true"], [role="presentation"], [role="none"]'),
    })),
    // a face counts as a web font when loaded from an @font-face rule with a url() source,
    // or when no rule declares it at all (made by a script, from who knows where)
    webFonts: faces.filter(f => f.status !== 'unloaded' &&
      (fromUrl.includes(f.family) || !rules.some(r =>
        family(r.style.getPropertyValue('font-family')) === f.family)))
      .map(f => `${f.family} (${f.status})`),
    fontRules: fromUrl,
  };
}"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def observe(page, url: str) -> dict:
    """Load `url` in `page` and record what went over the wire and what the page holds."""
    seen: dict[str, list] = {"console": [], "page_errors": [], "failed": [], "requests": [],
                             "fonts": []}

    def on_console(message) -> None:
        if message.type == "error":
            seen["console"].append(f"{message.text} (at {message.location.get('url')})")

    def on_request(request) -> None:
        seen["requests"].append(request.url)
        if request.resource_type == "font":
            seen["fonts"].append(request.url)

    def on_response(response) -> None:
        if response.status >= 400:
            seen["failed"].append(f"{response.url}: HTTP {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen["page_errors"].append(str(error)))
    page.on("request", on_request)
    page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url}: {r.failure}"))
    page.on("response", on_response)
    open_page(page, url)
    page.wait_for_load_state("load")
    return {**seen, **page.evaluate(OBSERVE)}


def self_containment_problems(seen: dict, origin: str) -> list[str]:
    problems = [f"console error: {m}" for m in seen["console"]]
    problems += [f"page error: {e}" for e in seen["page_errors"]]
    problems += [f"failed request: {f}" for f in seen["failed"]]
    problems += [f"request to another origin: {u}" for u in seen["requests"]
                 if _origin(u) != origin]
    if seen["icon"] is None:
        # Chromium then asks the server's root for /favicon.ico, once per browser: outside a site
        # served under a sub-path, a 404 and a console error that only the first page gets.
        problems.append("no <link rel=icon>: the browser fetches /favicon.ico from the server "
                        "root, outside the site (404 + console error on the first page opened)")
    if seen["mains"] != 1:
        problems.append(f"{seen['mains']} <main> elements, want exactly one")
    elif not seen["mainVisible"]:
        problems.append("<main> is not rendered")
    text = " ".join(seen["mainText"].split())
    if len(text) <= MIN_MAIN_TEXT:
        problems.append(f"<main> shows only {len(text)} characters of text: {text!r}")
    return problems


def alt_problems(seen: dict) -> list[str]:
    problems = []
    for image in seen["images"]:
        if image["alt"] is None:
            problems.append(f"<img src={image['src']!r}> has no alt attribute")
        elif not image["alt"].strip():
            where = "inside aria-hidden/role=presentation" if image["hidden"] else "and is not hidden"
            problems.append(f"<img src={image['src']!r}> has an empty alt, {where}")
    return problems


def font_problems(seen: dict) -> list[str]:
    problems = [f"font request: {u}" for u in seen["fonts"]]
    problems += [f"web font in document.fonts: {f}" for f in seen["webFonts"]]
    problems += [f"@font-face with a url() source: {f}" for f in seen["fontRules"]]
    return problems


def axe_report(result: dict) -> list[str]:
    """One line per serious/critical violation and one per node it names."""
    lines = []
    for v in result["violations"]:
        if v["impact"] in BLOCKING:
            lines.append(f"{v['id']} [{v['impact']}] {v['help']}")
            lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return lines


def run_axe(page) -> dict:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `sh tests/install.sh` (it installs axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(RUN_AXE)
    assert result["engine"].startswith("axe-core"), result["engine"]
    assert result["passes"] > 0, "axe ran no rule at all"
    return result


_OBSERVED: dict[tuple[str, bool], dict] = {}  # (url, js) -> observe(): each page loads once per mode


def observed(new_page, served_site: str, path: str, js: bool = False) -> dict:
    url = served_site + path
    if (url, js) not in _OBSERVED:
        _OBSERVED[url, js] = observe(new_page(*NO_JS_VIEWPORT, js=js), url)
    return _OBSERVED[url, js]


page_params = pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@page_params
def test_axe_finds_no_serious_violation(new_page, served_site, path, scheme):
    page = new_page(*AXE_VIEWPORT, js=True)  # axe is a script: JS on here, and only for it
    page.emulate_media(color_scheme=scheme)
    open_page(page, served_site + path)
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark == (scheme == "dark"), f"the {scheme} scheme did not take"
    report = axe_report(run_axe(page))
    assert not report, f"{path} ({scheme}) at {AXE_VIEWPORT}:\n" + "\n".join(report)


def test_control_axe_reports_a_broken_page(new_page, tmp_path):
    page_file = tmp_path / "broken.html"
    page_file.write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hỏng</title></head>'
        '<body style="background:#fff"><main><h1>Trang hỏng</h1>'
        '<img src="missing.png" width="40" height="40">'  # no alt: image-alt, critical
        # #d3d3d3 on white is 1.5:1: color-contrast, serious
        '<p style="color:#d3d3d3">Chữ gần như trắng trên nền trắng.</p></main></body></html>',
        encoding="utf-8")
    page = new_page(*AXE_VIEWPORT, js=True)
    page.goto(page_file.as_uri())
    report = axe_report(run_axe(page))
    rules = {line.split(" ")[0] for line in report if not line.startswith(" ")}
    assert {"image-alt", "color-contrast"} <= rules, "\n".join(report) or "axe reported nothing"


@page_params
def test_page_loads_cleanly_without_js(new_page, served_site, path):
    seen = observed(new_page, served_site, path)
    assert seen["requests"], "no request was recorded: the listeners saw nothing"
    problems = self_containment_problems(seen, _origin(served_site))
    assert not problems, f"{path} at {NO_JS_VIEWPORT} without JS:\n" + "\n".join(problems)


@page_params
def test_every_image_has_alt_text(new_page, served_site, path):
    seen = observed(new_page, served_site, path)
    if path in (PAGES[kind] for kind in WITH_LEAD_IMAGE):
        assert seen["images"], f"{path}: the lead image is gone, nothing was checked"
    problems = alt_problems(seen)
    assert not problems, f"{path}:\n" + "\n".join(problems)


@page_params
def test_no_web_font(new_page, served_site, path):
    problems = []
    for js in (False, True):
        problems += [f"JS {'on' if js else 'off'}: {p}"
                     for p in font_problems(observed(new_page, served_site, path, js))]
    assert not problems, f"{path}:\n" + "\n".join(problems)


@page_params
def test_no_script_and_same_text_with_js_on(new_page, served_site, path):
    without = observed(new_page, served_site, path, js=False)
    # (an article's listen button comes only with a voice, which headless Chromium lacks)
    others = [s for s in without["scripts"]
              if not s.startswith((OFFLINE_SCRIPT, LISTEN_SCRIPT, PRINT_SCRIPT))]
    assert not others, f"{path} carries <script> elements: {others}"
    offline = [s for s in without["scripts"] if s.startswith(OFFLINE_SCRIPT)]
    assert len(offline) == 1, f"{path}: the offline notice's script is missing"
    with_js = observed(new_page, served_site, path, js=True)
    assert with_js["mainText"] == without["mainText"], f"{path}: <main> reads differently with JS on"
    assert without["mainText"].strip()


def test_control_checks_report_a_broken_page(new_page, served_site, tmp_path):
    """A page served from the test server's origin with every defect the checks look for."""
    fonts = sorted(Path("/usr/share/fonts").rglob("*.ttf"))
    assert fonts, "no .ttf under /usr/share/fonts to play the web font"
    page_file = tmp_path / "broken.html"
    page_file.write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hỏng</title>'
        '<style>@font-face{font-family:"Web";src:url(web.ttf)}body{font-family:"Web"}</style>'
        '</head><body><main><p>Ngắn.</p><img src="a.png"><img src="b.png" alt="">'
        '<img src="http://203.0.113.9/c.png" alt="ảnh ở nơi khác"></main>'
        '<script>document.title = "x"</script></body></html>', encoding="utf-8")
    control = served_site + "control/broken.html"
    page = new_page(*NO_JS_VIEWPORT, js=False)
    page.route(control, lambda route: route.fulfill(path=page_file))
    page.route(served_site + "control/web.ttf", lambda route: route.fulfill(path=fonts[0]))
    page.route(served_site + "control/*.png", lambda route: route.fulfill(status=404, body=""))
    page.route("http://203.0.113.9/**", lambda route: route.abort())
    seen = observe(page, control)
    expected = {
        "containment": (self_containment_problems(seen, _origin(served_site)), [
            "console error:", "failed request: http://203.0.113.9/c.png",
            "failed request: " + served_site + "control/a.png: HTTP 404",
            "request to another origin: http://203.0.113.9/c.png", "<main> shows only",
            "no <link rel=icon>"]),
        "alt": (alt_problems(seen), ["'a.png'> has no alt", "'b.png'> has an empty alt, and is"]),
        "fonts": (font_problems(seen), ["font request: " + served_site + "control/web.ttf",
                                        "web font in document.fonts: Web (loaded)",
                                        "@font-face with a url() source: Web"]),
    }
    for check, (problems, wanted) in expected.items():
        for want in wanted:
            assert any(want in p for p in problems), f"{check} missed {want!r}: {problems}"
    assert seen["scripts"] == ['document.title = "x"'], seen["scripts"]
