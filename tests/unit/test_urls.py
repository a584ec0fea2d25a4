from pathlib import Path

import pytest

from loa.models import Config, Page, SectionConfig
from loa.urls import (LEAFLETS, LinkIndex, alias_url, check_slug, collisions, has_leaflet,
                      is_safe_output_path, leaflet_url, one_level_down, output_path, page_url,
                      relative)


def test_page_urls_and_output_paths():
    assert page_url("guides", "cai-dat-vneid") == "/guides/cai-dat-vneid/"
    assert page_url("", "gioi-thieu") == "/gioi-thieu/"
    assert output_path("/") == "index.html"
    assert output_path("/guides/x/") == "guides/x/index.html"
    assert output_path("/404.html") == "404.html"


@pytest.mark.parametrize("here, there, index_html, expected", [
    ("/guides/x/", "/policies/y/", True, "../../policies/y/index.html"),
    ("/guides/x/", "/policies/y/", False, "../../policies/y/"),
    ("/", "/guides/", True, "guides/index.html"),
    ("/", "/", False, "./"),
    ("/404.html", "/guides/x/", True, "guides/x/index.html"),
    ("/guides/x/", "/guides/x/#buoc-2", True, "#buoc-2"),
    ("/guides/x/", "/policies/y/#a", True, "../../policies/y/index.html#a"),
    ("/guides/x/", "/images/a.svg", True, "../../images/a.svg"),
])
def test_relative_links(here, there, index_html, expected):
    assert relative(here, there, index_html) == expected


@pytest.mark.parametrize("value, expected", [
    ("Đăng ký 4G", ("dang-ky-4g", "")),
    ("ho-tro", ("ho-tro", "")),
    ("../../etc", ("", "slug_path")),
    ("a/b", ("", "slug_path")),
    ("a\\b", ("", "slug_path")),
    (".hidden", ("", "slug_path")),
    ("!!!", ("", "slug_empty")),
])
def test_check_slug(value, expected):
    assert check_slug(value) == expected


@pytest.mark.parametrize("path, safe", [
    ("guides/x/index.html", True), ("a.txt", True), ("../x", False), ("/etc/passwd", False),
    ("a/../../x", False), ("a//b", False), ("C:/x", False), ("a\\b", False), ("", False),
])
def test_safe_output_paths(path, safe):
    assert is_safe_output_path(path) is safe


def test_alias_url():
    assert alias_url("tin-cu/ho-tro-4g") == "/tin-cu/ho-tro-4g/"
    assert alias_url("/old/page.html") == "/old/page.html"


def test_collisions_name_both_files():
    found = collisions([("a/index.html", "content/x/a.md", 1), ("b.svg", "static/b.svg", 1),
                        ("a/index.html", "content/y/a.md", 3)])
    assert [(d.path, d.line, d.params) for d in found] == [
        ("content/y/a.md", 3, {"url": "/a/", "other": "content/x/a.md"})]


INDEX = LinkIndex(by_source={"guides/x.md": "/guides/x/", "policies/y.md": "/policies/y/",
                             "gioi-thieu.md": "/gioi-thieu/"},
                  pages=frozenset({"/guides/x/", "/policies/y/", "/gioi-thieu/", "/"}),
                  files=frozenset({"/images/a.svg", "/guides/so-do.png"}))


@pytest.mark.parametrize("target, url, fragment, problem", [
    ("../policies/y.md", "/policies/y/", "", ""),
    ("../policies/y.md#buoc-2", "/policies/y/", "buoc-2", ""),
    ("/policies/y.md", "/policies/y/", "", ""),
    ("x.md", "/guides/x/", "", ""),
    ("../gioi-thieu.md", "/gioi-thieu/", "", ""),
    ("#top", "/guides/x/", "top", ""),
    ("/images/a.svg", "/images/a.svg", "", ""),
    ("so-do.png", "/guides/so-do.png", "", ""),
    ("../policies/y/", "/policies/y/", "", ""),
    ("/policies/y/index.html", "/policies/y/", "", ""),
    ("/", "/", "", ""),
    ("nope.md", None, "", "link_missing_source"),
    ("/nope/", None, "", "link_missing_page"),
    ("../../../etc/passwd", None, "", "link_outside"),
    ("https://dichvucong.gov.vn", None, "", ""),
    ("javascript:alert(1)", None, "", ""),
])
def test_link_resolution(target, url, fragment, problem):
    resolved, bad = INDEX.resolve(target, "guides/x.md")
    assert bad == problem
    assert (resolved.url if resolved else None) == url
    if resolved:
        assert resolved.fragment == fragment


def test_leaflets_live_in_a_folder_of_their_article():
    assert leaflet_url("/guides/cai-dat-vneid/") == "/guides/cai-dat-vneid/to-roi/"
    assert output_path(leaflet_url("/guides/x/")) == "guides/x/to-roi/index.html"
    assert LEAFLETS == "/to-roi/" and output_path(LEAFLETS) == "to-roi/index.html"


def test_only_guides_and_policies_have_leaflets():
    config = Config(root=Path("."), title="t", sections=(
        SectionConfig("policies", "Chính sách", "policy"), SectionConfig("guides", "Hướng dẫn", "guide"),
        SectionConfig("stories", "Gương", "story"), SectionConfig("news", "Tin", "article")))

    def page(section: str, kind: str = "article") -> Page:
        return Page(kind=kind, source=f"content/{section}/x.md", section=section, slug="x",
                    url=f"/{section}/x/", title="x")

    assert has_leaflet(config, page("policies")) and has_leaflet(config, page("guides"))
    assert not has_leaflet(config, page("stories")) and not has_leaflet(config, page("news"))
    assert not has_leaflet(config, page("guides", kind="section"))  # the list, not an article
    assert not has_leaflet(config, page("", kind="page"))  # a stand-alone page
    assert not has_leaflet(config, page("unknown"))


@pytest.mark.parametrize("link, expected", [
    ("../nop-ho-so/index.html", "../../nop-ho-so/index.html"),
    ("../../policies/x/index.html#ai-duoc-ho-tro", "../../../policies/x/index.html#ai-duoc-ho-tro"),
    ("index.html", "../index.html"),  # the article itself
    ("./", ".././"),
    ("#buoc-2", "#buoc-2"),  # the same heading is on the leaflet
    ("https://dichvucong.gov.vn/", "https://dichvucong.gov.vn/"),
    ("tel:1022", "tel:1022"),
    ("/portal/x/", "/portal/x/"),
    ("", ""),
])
def test_links_one_level_down(link, expected):
    assert one_level_down(link) == expected
