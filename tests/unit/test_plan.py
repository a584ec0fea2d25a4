"""The plan: one route for every file of the site, and the only answer to what exists."""
import datetime as dt
from pathlib import Path

import pytest

from loa import plan
from loa.assets import player_url
from loa.languages import Edition
from loa.models import Config, Page, SectionConfig, TaxonomyConfig, Term
from loa.plan import Kind, Route

TODAY = dt.date(2026, 11, 29)
CONFIG = Config(root=Path("/site"), title="Cổng", base_url="https://x.example/",
                items_per_page=2,
                sections=(SectionConfig("policies", "Chính sách", "policy"),
                          SectionConfig("guides", "Hướng dẫn", "guide")),
                taxonomies=(TaxonomyConfig("tags", "chu-de", "Chủ đề"),))


def article(section, slug, **fields):
    return Page(kind="article", source=f"content/{section}/{slug}.md", section=section,
                slug=slug, url=f"/{section}/{slug}/", title=slug, date=dt.date(2024, 1, 1),
                **fields)


def sources(articles, editions=()):
    home = Page(kind="home", source="content/_index.md", section="", slug="", url="/",
                title="Cổng")
    sections = tuple(Page(kind="section", source=f"content/{s.name}/_index.md",
                          section=s.name, slug=s.name, url=f"/{s.name}/", title=s.title)
                     for s in CONFIG.sections)
    tagged = [a for a in articles if a.tags]
    terms = {"chu-de": [Term("chu-de", "4G", "4g", "/chu-de/4g/", tuple(tagged))]} if tagged \
        else {"chu-de": []}
    return plan.Sources(home, sections, tuple(articles), tuple(editions), terms)


POLICY = {"number": "1/QĐ", "issuer": "UBND", "issued": dt.date(2024, 1, 1)}
ARTICLES = [article("policies", f"p{i}", params=POLICY, tags=("4G",)) for i in range(3)] + [
    article("guides", "g1", aliases=("/cu/g1/",))]


PLAYER = player_url(b"the listen button's script")


def made(articles=ARTICLES, **kwargs):
    return plan.make(CONFIG, sources(articles), {}, {"/images/a.svg": "static/images/a.svg"},
                     {}, TODAY, PLAYER, **kwargs)


def by_url(routes):
    return {r.url: r for r in routes}


def test_every_file_is_a_route_with_its_kind_and_source():
    routes = by_url(made().routes)
    expected = {
        "/": Kind.HOME, "/policies/": Kind.SECTION, "/policies/page/2/": Kind.SECTION,
        "/guides/": Kind.SECTION, "/policies/p0/": Kind.ARTICLE, "/guides/g1/": Kind.ARTICLE,
        "/policies/p0/loa.txt": Kind.SCRIPT,
        "/policies/p0/loa/": Kind.SCRIPT_PAGE, "/tim-kiem/": Kind.SEARCH,
        "/chu-de/": Kind.TERMS, "/chu-de/4g/": Kind.TERM, "/chu-de/4g/page/2/": Kind.TERM,
        "/atom.xml": Kind.FEED, "/policies/atom.xml": Kind.FEED, "/sitemap.xml": Kind.SITEMAP,
        "/policies/con-hieu-luc/": Kind.IN_FORCE, "/404.html": Kind.NOT_FOUND,
        "/sw.js": Kind.SERVICE_WORKER, PLAYER: Kind.PLAYER,
        "/policies/p0/to-roi/": Kind.LEAFLET,
        "/to-roi/": Kind.LEAFLETS, "/cu/g1/": Kind.REDIRECT, "/robots.txt": Kind.ROBOTS,
        "/images/a.svg": Kind.COPY}
    assert {url: routes[url].kind for url in expected} == expected
    assert routes["/policies/p0/to-roi/"].source == "content/policies/p0.md"
    assert routes["/cu/g1/"].view == ("redirect", "/cu/g1/", "/guides/g1/", "/cu/g1/")


def test_links_and_the_menu_may_lead_to_every_page_the_plan_has():
    pages = made().page_urls
    # once two lists said what exists, and these two were built but could not be linked
    assert {"/policies/con-hieu-luc/", "/404.html", "/policies/page/2/"} <= pages
    assert "/cu/g1/" not in pages and "/sw.js" not in pages  # a redirect, a file


def test_untranslated_copies_are_not_in_the_sitemap():
    original = ARTICLES[-1]
    copy = Page(**{**original.__dict__, "url": "/km" + original.url, "lang": "vi",
                   "original": original.source, "fallback": True})
    home = Page(kind="home", source="content/_index.md", section="", slug="", url="/km/",
                title="Cổng", lang="km")
    sections = tuple(Page(kind="section", source=f"content/{s.name}/_index.md",
                          section=s.name, slug=s.name, url=f"/km/{s.name}/", title=s.title,
                          lang="km") for s in CONFIG.sections)
    edition = Edition("km", home, sections, tuple(
        Page(**{**a.__dict__, "url": "/km" + a.url, "fallback": True}) for a in ARTICLES))
    routes = by_url(plan.make(CONFIG, sources(ARTICLES, [edition]), {}, {}, {},
                              TODAY, PLAYER).routes)
    assert routes["/km/guides/g1/"].lang == "km" and not routes["/km/guides/g1/"].listed
    assert routes["/km/"].listed and routes["/guides/g1/"].listed
    assert copy.url in routes


def test_check_reports_collisions_unsafe_and_overlong_paths_and_file_folder_clashes():
    routes = list(made().routes) + [
        Route("/guides/g1/", Kind.REDIRECT, "content/x.md", 3, view=("redirect", "", "", "x")),
        Route("/../evil/", Kind.REDIRECT, "content/y.md", 4,
              view=("redirect", "", "", "../evil")),
        Route("/guides/" + "a" * 300 + "/", Kind.ARTICLE, "content/guides/z.md", 1),
        Route("/guides", Kind.COPY, "static/guides", 1),
        Route("/robots.txt", Kind.REDIRECT, "content/r.md", 5,
              view=("redirect", "", "", "/robots.txt"))]
    routes.insert(0, Route("/tim-kiem/", Kind.PAGE, "content/tim-kiem.md", 2))  # (before Loa's)
    routes.append(Route("/guides/", Kind.STATISTICS, "site_config.yaml", 9))  # stats_path: guides
    found = plan.check(plan.Plan(tuple(routes), {}))
    assert sorted((d.path, d.line, d.key) for d in found) == [
        ("content/guides/z.md", 1, "path_too_long"), ("content/r.md", 5, "alias_generated"),
        ("content/tim-kiem.md", 2, "url_generated"),
        ("content/x.md", 3, "alias_collision"), ("content/y.md", 4, "alias_unsafe"),
        ("site_config.yaml", 9, "config_path_taken"), ("static/guides", 1, "path_file_folder")]


@pytest.mark.parametrize("path, portable", [
    ("/guides/con/", False), ("/guides/NUL.txt", False), ("/com1.tar.gz", False),
    ("/lpt9/", False), ("/guides/a:b/", False), ('/a"b.png', False), ("/a|b/", False),
    ("/hoi-dap?.html", False), ("/tai-lieu./", False), ("/anh /x.png", False),
    ("/guides/console/", True), ("/guides/con-duong/", True), ("/lpt/", True),
    ("/tap-tin.v2.pdf", True), ("/anh/Ảnh-đẹp.png", True),
])
def test_check_reports_names_windows_and_usb_sticks_cannot_hold(path, portable):
    route = Route(path, Kind.COPY, "static" + path, 1, view=("file",))
    found = plan.check(plan.Plan((route,), {}))
    assert [d.key for d in found] == ([] if portable else ["path_not_portable"])


def test_check_reports_addresses_that_differ_only_in_capitals():
    routes = (Route("/guides/zalo/", Kind.ARTICLE, "content/guides/zalo.md", 1),
              Route("/guides/Zalo/", Kind.REDIRECT, "content/x.md", 4,
                    view=("redirect", "", "", "/guides/Zalo/")),
              Route("/anh/Logo.png", Kind.COPY, "static/anh/Logo.png", 1, view=("file",)),
              Route("/anh/logo.png", Kind.COPY, "static/anh/logo.png", 1, view=("file",)))
    found = plan.check(plan.Plan(routes, {}))
    assert [(d.path, d.line, d.key, d.params["other"]) for d in found] == [
        ("content/x.md", 4, "path_case_twin", "content/guides/zalo.md"),
        ("static/anh/logo.png", 1, "path_case_twin", "static/anh/Logo.png")]
