"""The search page in Chromium: nothing loads before the box is focused, diacritic-free
queries find Vietnamese articles, ranking (all words, phrases, exact tones, title), what
the first query costs, and the JS client cutting words exactly as loa/search.py does.

The page is built here from a few SearchDoc (before the pipeline makes it) and served
under a sub-path, as the sample site is in the other browser tests.
"""
from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

import jinja2
import pytest

from helpers import ROOT, search_corpus, search_for, serve

AXE = ROOT / "tests/.node/node_modules/axe-core/axe.min.js"
from loa import assets, builtin, render, search
from loa.search import SearchDoc
from loa.urls import relative

PAGE = "/tim-kiem/"
NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731

DOCS = [
    SearchDoc("/policies/ho-tro-4g/", "Hỗ trợ điện thoại 4G cho hộ nghèo", "Chính sách", "05/01/2024",
              "Hộ nghèo, hộ cận nghèo được tặng một điện thoại thông minh.",
              "Theo Quyết định 90/QĐ-TTg, mỗi hộ nghèo được hỗ trợ một máy 4G và gói cước.",
              ("90/QĐ-TTg", "4g", "Toàn tỉnh Bạc Liêu")),
    SearchDoc("/guides/chuyen-sang-4g/", "Chuyển từ máy 2G sang 4G", "Hướng dẫn", "10/02/2024",
              "Đổi máy cũ lấy máy 4G miễn phí.",
              "Quyết định 90/QĐ-TTg giúp hộ nghèo đổi máy. Ra cửa hàng nhà mạng, mang theo căn cước.",
              ("4g",)),
    SearchDoc("/guides/dang-ky-vneid/", "Đăng ký tài khoản VNeID", "Hướng dẫn", "08/04/2024",
              "Các bước đăng ký tài khoản định danh điện tử mức 2.",
              "Mang thẻ căn cước đến công an xã để đăng ký. Tài khoản mức 2 dùng được nhiều việc.",
              ("vneid", "dịch vụ công")),
    SearchDoc("/stories/to-cong-nghe-phuoc-long/", "Tổ công nghệ số ở Phước Long", "Gương thoát nghèo",
              "12/03/2024", "Những người trẻ giúp bà con ấp cài ứng dụng.",
              "Ở huyện Phước Long, tổ công nghệ số đến từng nhà.", ("Phước Long",)),
    SearchDoc("/stories/long-phuoc/", "Anh Long và chị Phước nuôi tôm", "Gương thoát nghèo", "",
              "Long và Phước: hai vợ chồng bán tôm qua Zalo.",
              "Anh Long kể chị Phước học bán hàng. Long nói: Phước giỏi hơn. " * 4, ()),
    SearchDoc("/stories/ho-nuoc/", "Hồ trở lại đầy nước", "Gương thoát nghèo", "",
              "Nước hồ trở lại, hồ trở thành nơi nuôi cá: hồ trở nên sạch.",
              "Hồ trở lại. Hồ trở thành điểm hẹn. " * 6, ("hồ trở",)),
    SearchDoc("/stories/chi-hoa/", "Chị Hòa bán tôm khô qua điện thoại", "Gương thoát nghèo", "02/05/2024",
              "Chị Hòa ở ấp Hòa Bình.", "Chị Hòa mở nhóm Zalo để bán tôm khô.", ()),
    SearchDoc("/guides/so-hoa/", "Số hóa hồ sơ: hóa đơn, hóa chất, hóa giải", "Hướng dẫn", "01/06/2024",
              "Số hóa, hóa đơn điện tử, tự động hóa.", "Hóa đơn điện tử. Hóa đơn giấy. " * 8,
              ("số hóa", "hóa đơn")),
    SearchDoc("/policies/mat-dien/", "Hỗ trợ khi mất điện: gọi thoại miễn phí", "Chính sách",
              "03/07/2024", "Trợ giúp hộ dân khi điện bị cắt: thoại miễn phí, hỗ trợ nhanh.",
              "Hỗ trợ gọi thoại. Điện lực hỗ trợ. Thoại và điện. " * 4, ("điện", "thoại")),
]

# The same tricky strings as tests/unit/test_search.py, and a few more.
TRICKY = [
    "Hỗ trợ điện thoại 4G cho hộ nghèo", NFD("Hỗ trợ điện thoại"), "ĐĂNG KÝ tài khoản VNeID",
    "Đồng đồng ĐỒNG dong", "ma mà má mả mã mạ", "Ơ ư ă â ê ô", "hòa hoà HÒA HOÀ", NFD("hoà Hòa"),
    "thủy thuỷ", "Quyết định 90/QĐ-TTg", "90/qd-ttg", "Nghị định 07/2021/NĐ-CP;42/2022/nđ-cp.",
    "1.215 hộ, tỷ lệ 1,7% (năm 2024).", "3,5 triệu; 1.234.567,89 đồng", "v1.2 a.b ,5 1,,2 7. 8,",
    "“Hỗ trợ” (4G), …điện-thoại! «Zalo»\u00a0nhóm—xã", "Zalo👍nhóm\u200bẤp\tbà_con",
    "Ｚａｌｏ！Sóc Trăng", "Loa ấp và bà con Khmer ភាសាខ្មែរ", "", " \n\t—…", "\u0301a\u0300 ́x",
    "İstanbul Straße ΣΊΣΥΦΟΣ", "e\u0301\u0323 ệ ệ",
]


BARE_BASE = "{% block meta %}{% endblock %}{% block main %}{% endblock %}"


def stub_t(key: str, **args: object) -> str:
    """The translations, stubbed: the key, then the placeholders the client fills in."""
    return " ".join([key, *map(str, args.values())])


def write_site(root: Path, docs: list[SearchDoc]) -> search.SearchIndex:
    """The search page and its files at root/tim-kiem/, stub articles at their URLs."""
    index = search.build(docs, page_url=PAGE, index_html=True)
    for path, data in index.files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    (root / "sw.js").write_bytes((builtin.THEME / builtin.SERVICE_WORKER_SCRIPT).read_bytes())
    view = {
        "site": {"title": "Loa", "description": "", "icon": "data:,", "lang": "vi",
                 "home": "../index.html", "menu": [], "data": {}, "canonical": "",
                 "sw": "../sw.js"},
        "kind": "search", "lang": "", "breadcrumbs": [], "title": "search.title", "summary": "",
        "search": {"script": relative(PAGE, "/" + index.script, True), **index.settings},
        "topics": [{"title": "4G", "href": "../chu-de/4g/index.html", "count": 3}],
        "places": [{"title": "Phước Long", "href": "../chu-de/phuoc-long/index.html", "count": 1}],
        "sections": [{"title": "Chính sách", "href": "../policies/index.html"},
                     {"title": "Hướng dẫn", "href": "../guides/index.html"}],
    }
    # The template needs exactly the view described in loa/search.py: strict, over a bare
    # base.html. The page itself is drawn over the real base.html, whose chrome (share
    # images, menu…) comes from views.py and is left blank here.
    strict = render.environment(root, stub_t)
    strict.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"base.html": BARE_BASE}), strict.loader])
    _, problems = render.render(strict, "search.html", view, root)
    assert not problems, problems
    env = render.environment(root, stub_t)
    env.undefined = jinja2.ChainableUndefined
    html, problems = render.render(env, "search.html", view, root)
    assert not problems, problems
    (root / "tim-kiem" / "index.html").write_bytes(assets.minify(html))
    for doc in docs[:3]:
        page = root / doc.url.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><meta charset=utf-8><link rel=icon href=data:,><title>{doc.title}</title><h1>{doc.title}</h1>",
                        encoding="utf-8")
    return index


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, search.SearchIndex]:
    root = tmp_path_factory.mktemp("search")
    return root, write_site(root / "portal", DOCS)


@pytest.fixture(scope="module")
def served(site):
    with serve(site[0]) as base:
        yield f"{base}portal/tim-kiem/index.html"


class Watch:
    """Every request and response of a page, and its console errors."""

    def __init__(self, page):
        self.requests, self.responses, self.errors = [], [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.responses.append(r))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def sizes(self, since: int = 0) -> tuple[int, int, list[str]]:
        """(bytes, bytes gzip-compressed, URLs) of the responses from `since` on."""
        bodies = [(r.url, r.body()) for r in self.responses[since:]]
        return (sum(len(b) for _, b in bodies),
                sum(len(gzip.compress(b, 9)) for _, b in bodies), [u for u, _ in bodies])


ask = search_for


def open_search(new_page, url: str):
    page = new_page(js=True)
    watch = Watch(page)
    response = page.goto(url)
    assert response is not None and response.ok
    page.wait_for_load_state("load")
    return page, watch


def test_nothing_loads_before_focus_then_queries_find_the_article(new_page, served, site):
    page, watch = open_search(new_page, served)
    page.wait_for_timeout(300)
    assert watch.requests == [served], "the search page fetched something before focus"
    assert page.evaluate("typeof window.loaSearch") == "undefined"
    box = page.locator("#q")
    assert box.bounding_box()["height"] >= 48
    assert page.get_by_label("search.label").count() == 1

    before = len(watch.responses)
    box.focus()
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    assert [u.rsplit("/", 1)[-1] for u in watch.requests[1:]] == [site[1].script.rsplit("/", 1)[-1]]
    titles = ask(page, "ho tro dien thoai")
    raw, packed, urls = watch.sizes(before)
    print(f"\nfirst query ({len(urls)} files): {raw} bytes, {packed} gzip: "
          + ", ".join(u.rsplit("/", 1)[-1] for u in urls))
    assert titles[0] == "Hỗ trợ điện thoại 4G cho hộ nghèo"
    # all four words everywhere, but "dien thoai" only adjacent in the first: phrases first
    assert titles[1] == "Hỗ trợ khi mất điện: gọi thoại miễn phí"
    assert page.locator("#search-results p").first.inner_text() == f"search.count {len(titles)}"
    assert all(u.startswith(served.rsplit("/", 1)[0]) for u in urls)  # under the sub-path

    assert ask(page, "dang ky")[0] == "Đăng ký tài khoản VNeID"
    assert ask(page, "Phuoc Long")[:2] == ["Tổ công nghệ số ở Phước Long",
                                           "Anh Long và chị Phước nuôi tôm"]
    for query in ("90/qd-ttg", "90/QĐ-TTg", "90 QD TTg"):
        assert ask(page, query)[:2] == ["Hỗ trợ điện thoại 4G cho hộ nghèo",
                                        "Chuyển từ máy 2G sang 4G"], query
    for query in ("hoà", "hòa", NFD("hoà"), "HÒA"):
        assert ask(page, query)[0] == "Chị Hòa bán tôm khô qua điện thoại", query
    assert ask(page, "hóa")[0] == "Số hóa hồ sơ: hóa đơn, hóa chất, hóa giải"
    assert ask(page, "xyzw qqq") == []
    assert page.locator("#search-results").inner_text() == "search.none"

    # results link to the articles, relative to the page
    ask(page, "dang ky vneid")
    page.locator("#search-results li > a").first.click()
    page.wait_for_load_state("load")
    assert page.title() == "Đăng ký tài khoản VNeID"
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessible_and_fits_320px(new_page, served, scheme):
    page = new_page(320, 640, js=True)
    page.emulate_media(color_scheme=scheme)
    page.goto(served)
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    assert ask(page, "ho tro")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator("#search button").bounding_box()["height"] >= 48
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    assert violations == []


def test_exact_tones_rank_first(new_page, served):
    page, _ = open_search(new_page, served)
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    # "Hồ trở lại" has "ho tro" more often than the others, in its title and keywords:
    # without tones it comes first; typed "hỗ trợ", the articles spelt so come first.
    spelt = {"Hỗ trợ điện thoại 4G cho hộ nghèo", "Hỗ trợ khi mất điện: gọi thoại miễn phí"}
    assert ask(page, "ho tro")[0] == "Hồ trở lại đầy nước"
    for query in ("hỗ trợ", NFD("Hỗ Trợ"), "HỖ TRỢ"):
        titles = ask(page, query)
        assert set(titles[:2]) == spelt and titles[2] == "Hồ trở lại đầy nước", query
    assert ask(page, "hồ trở")[0] == "Hồ trở lại đầy nước"


def test_a_second_query_needs_no_new_download(new_page, served):
    """Once its shards are in memory a query is answered without the network (its time is
    printed, never asserted: tests do not judge speed)."""
    page, watch = open_search(new_page, served)
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    first = ask(page, "ho tro dien thoai 4g cho ho ngheo")
    before = len(watch.responses)
    took = page.evaluate("""async () => { const t = performance.now();
        await loaSearch.run('ho tro dien thoai 4g cho ho ngheo'); return performance.now() - t }""")
    print(f"\nsecond run: {took:.1f} ms")
    assert len(watch.responses) == before and first


def test_js_client_cuts_words_as_python_does(new_page, served):
    page, _ = open_search(new_page, served)
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    got = page.evaluate("""texts => texts.map(s => [loaSearch.fold(s), loaSearch.tokens(s),
        loaSearch.words(s).map(loaSearch.toneKey), loaSearch.tokens(s).map(loaSearch.hash)])""",
                        TRICKY)
    for text, (folded, tokens, tones, hashes) in zip(TRICKY, got):
        assert folded == search.fold(text), text
        assert tokens == search.tokens(text), text
        assert tones == [search.tone_key(w) for w in search.words(text)], text
        assert hashes == [search.fnv1a(t) for t in search.tokens(text)], text


def test_query_in_the_address_and_without_javascript(new_page, served):
    page, watch = open_search(new_page, served + "?q=dang+ky")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li > a").first.inner_text() == "Đăng ký tài khoản VNeID"
    assert page.input_value("#q") == "dang ky"

    page = new_page(js=False)
    response = page.goto(served + "?q=dang+ky")
    assert response.ok
    assert "search.noscript" in page.locator("main").inner_text()  # (text= skips <noscript>)
    assert page.locator("main a").all_inner_texts() == ["4G (3)", "Phước Long (1)", "Chính sách",
                                                          "Hướng dẫn"]
    assert page.locator("#search").is_hidden()  # a box that cannot search is not shown
    assert page.get_by_role("heading", name="search.topics").is_visible()


def test_from_a_copied_folder_search_works(new_page, site):
    """Browsers block fetch() from file://, not <script>: from a copied folder the index
    files (scripts) load, a query without accents finds the article, nothing fails."""
    page = new_page(360, 740, js=True)
    watch = Watch(page)
    url = (site[0] / "portal" / "tim-kiem" / "index.html").as_uri()
    page.goto(url)
    page.wait_for_load_state("load")
    assert watch.requests == [url]  # nothing before focus, as online
    assert page.locator("#search").is_visible()
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    assert ask(page, "ho tro dien thoai")[0] == "Hỗ trợ điện thoại 4G cho hộ nghèo"
    assert ask(page, "dang ky")[0] == "Đăng ký tài khoản VNeID"
    assert page.evaluate("document.querySelectorAll('script[src*=\"/i/\"]').length") == 0
    assert all(u.startswith("file://") for u in watch.requests)
    assert page.get_by_role("link", name="Phước Long (1)").is_visible()
    assert not watch.errors, watch.errors


UNSAFE = ['Quote " and \' and \\ back\\slash', 'Ends </script><script>window.pwned=1</script>',
          "Line\u2028sep\u2029para dong", "<!-- </SCRIPT > -->"]


def test_titles_that_look_like_code_stay_text(new_page, tmp_path):
    """Index files are scripts made from titles and summaries: whatever they hold, it
    loads as data, shows as text, and runs nothing."""
    docs = [SearchDoc(f"/x/{n}/", f"Loa {title}", "Mục", "", f"Tóm tắt {title}", title, ())
            for n, title in enumerate(UNSAFE)]
    write_site(tmp_path / "portal", docs)
    for url in ((tmp_path / "portal" / "tim-kiem" / "index.html").as_uri(), None):
        with serve(tmp_path) as base:
            page = new_page(js=True)
            watch = Watch(page)
            page.goto(url or f"{base}portal/tim-kiem/index.html")
            page.focus("#q")
            page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
            titles = ask(page, "loa")
            assert sorted(titles) == sorted(f"Loa {t}" for t in UNSAFE)
            summaries = page.locator("#search-results li > p").all_inner_texts()
            # (a summary's spaces are made one: U+2028 is a space there)
            assert sorted(summaries) == sorted(" ".join(f"Tóm tắt {t}".split()) for t in UNSAFE)
            assert page.evaluate("window.pwned") is None and not watch.errors, watch.errors


def test_client_script_is_small(site):
    script = site[1].files[site[1].script]
    assert len(gzip.compress(script, 9)) <= 5_000
    assert "tìm" not in script.decode().lower() and "kết quả" not in script.decode()


def test_first_query_on_a_thousand_articles(new_page, tmp_path):
    docs = search_corpus() + DOCS
    index = write_site(tmp_path / "portal", docs)
    sizes = [len(gzip.compress(data, 9)) for data in index.files.values()]
    print(f"\n{len(docs)} docs: {len(index.files)} files, {sum(sizes) // 1000} KB gzip, "
          f"{index.settings['buckets']} buckets")
    with serve(tmp_path) as base:
        for query in ("ho tro dien thoai", "chuyen doi so cho ho ngheo", "90/qd-ttg"):
            page, watch = open_search(new_page, f"{base}portal/tim-kiem/index.html")  # no cache
            _, page_gzip, _ = watch.sizes()
            before = len(watch.responses)
            page.focus("#q")
            page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
            titles = ask(page, query)
            raw, packed, urls = watch.sizes(before)
            print(f"{query!r}: {len(titles)} shown; from focus: {len(urls)} files, {raw} bytes, "
                  f"{packed} gzip (the page before it: {page_gzip} gzip)")
            assert packed <= 50_000 and len(titles) == 10
            if query == "90/qd-ttg":
                page.get_by_role("button", name="search.more").click()
                page.wait_for_function("document.querySelectorAll('#search-results li').length == 20")
                assert page.evaluate("""document.activeElement ==
                    document.querySelectorAll('#search-results li > a')[10]""")  # the first new one
            took = page.evaluate("""async q => { const t = performance.now();
                await loaSearch.run(q); return performance.now() - t }""", query)
            print(f"  again, shards in memory: {took:.1f} ms")  # a figure, never asserted
            assert watch.errors == []
