"""The built site served under a sub-path over real HTTP: every internal link resolves."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from helpers import ROOT, build, hrefs, serve


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "base":
            self.base = attrs.get("href", "")
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") == "canonical"):
                self.links.append(attrs[name])


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("srv")
    assert build(ROOT, root / "x" / "portal").code == 0
    with serve(root / "x") as base:
        yield f"{base}portal/", root / "x" / "portal"


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_every_internal_link_on_every_page_resolves(served):
    start, out = served
    pages: dict[str, _Links] = {}
    queue, seen, broken, fragments = [start + "index.html"], set(), [], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, kind = fetch(url)
        if status != 200:
            broken.append(url)
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        pages[url] = parser
        for link in parser.links:
            absolute, fragment = urldefrag(urljoin(url, link))
            if urlsplit(absolute).netloc != urlsplit(start).netloc:
                continue  # external
            assert absolute.startswith(start), f"{url} links outside the sub-path: {link}"
            assert not absolute.endswith(".md"), f"{url} links to a Markdown file: {link}"
            if fragment:
                fragments.append((url, absolute, fragment))
            queue.append(absolute)
    assert broken == []
    for page, target, fragment in fragments:
        assert fragment in pages[target].ids, f"{page} -> {target}#{fragment}"
    # Every page of the site is reachable by following links from the home page.
    built = {start + p.relative_to(out).as_posix(): p.read_bytes()
             for p in out.rglob("index.html")}
    articles = {url for url, body in built.items() if b"http-equiv=refresh" not in body}
    assert len(articles) < len(built)  # the sample has old addresses (aliases) too
    assert articles <= set(pages)
    assert len(pages) >= 20


def test_links_written_as_markdown_paths_became_page_links(served):
    _, out = served
    source = [p for p in (ROOT / "content" / "guides").glob("*.md") if p.suffixes == [".md"]]
    md_links = [p for p in source if ".md)" in p.read_text(encoding="utf-8")]
    assert md_links, "the sample guides should link to other articles by their .md files"
    for source in md_links:
        html = (out / "guides" / source.stem / "index.html").read_text(encoding="utf-8")
        links = hrefs(html)
        assert not [h for h in links if re.search(r"\.md(#|$)", h)], source
        assert [h for h in links if re.fullmatch(r"\.\./\.\./\w+/[\w-]+/index\.html(#.*)?", h)]


def test_404_page_is_served_and_links_home_from_the_site_root(served):
    """The sample's base_url is https://giamngheo.example/: the 404 page, sent for missing
    addresses at any depth, links from that root path."""
    start, _ = served
    status, body, _ = fetch(start + "404.html")
    assert status == 200 and "/index.html" in hrefs(body.decode("utf-8"))


def test_the_menu_and_articles_may_lead_to_every_page_that_is_built(tmp_path):
    # Three lists once said what exists: the policies in force and the 404 page were
    # built but could be linked neither from the menu nor from an article.
    from helpers import SITES, copy_site
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '  - title: "Hướng dẫn"\n    url: /guides/\n',
        '  - title: "Hướng dẫn"\n    url: /guides/\n'
        '  - title: "Còn hiệu lực"\n    url: /policies/con-hieu-luc/\n'), encoding="utf-8")
    about = site / "content" / "gioi-thieu.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Chính sách còn hiệu lực]"
                     "(/policies/con-hieu-luc/) · [Trang lỗi](/404.html)\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(site, out)
    assert result.code == 0, result.err
    links = hrefs((out / "gioi-thieu" / "index.html").read_text(encoding="utf-8"))
    assert {"../policies/con-hieu-luc/index.html", "../404.html"} <= set(links)
    assert "policies/con-hieu-luc/index.html" in hrefs(
        (out / "index.html").read_text(encoding="utf-8"))
