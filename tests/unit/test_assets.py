import gzip

import pytest

from loa.assets import (check_budgets, fetched_paths, gzip_bytes, minify, minify_css, page_weight,
                        sent_size, svg_size)
from loa.models import Budgets, OutputFile, PageWeight


def test_minify_keeps_a_page_that_old_browsers_parse_the_same():
    html = b"""<!doctype html>\n<html lang="vi">\n<head>\n<style>a { color : red ; }</style>
</head>\n<body>\n<p>  Xin   ch\xc3\xa0o </p>\n<pre>  a\n   b</pre>\n</body>\n</html>\n"""
    small = minify(html)
    assert len(small) < len(html)
    text = small.decode("utf-8")
    assert "<html lang=vi><head>" in text and "</p>" in text and "</body></html>" in text
    assert "a { color : red ; }" in text  # CSS is minified once a build (minify_css), not per page
    assert "<pre>  a\n   b</pre>" in text  # preformatted text untouched
    assert "Xin chào" in text


def test_css_is_minified_on_its_own():
    assert minify_css("a { color : red ; }\n/* note */\nb { margin: 0px }") == "a{color:red}b{margin:0}"


def test_sent_size_is_the_gzip_copy_only_when_smaller():
    assert sent_size(b"x" * 1000, gzip_bytes(b"x" * 1000)) == len(gzip_bytes(b"x" * 1000))
    assert sent_size(b"<svg/>", gzip_bytes(b"<svg/>")) == 6
    assert sent_size(b"\xff\xd8" * 500, None) == 1000


PAGE = OutputFile("guides/x/index.html", b"""<!doctype html><html><head>
<link rel=icon href=../../favicon.svg></head><body>
<picture><source type=image/webp srcset="../../images/a-360.1.webp 360w, ../../images/a-720.2.webp 720w">
<img src=../../images/a-360.1.jpg alt=a></picture>
<img src="../../images/b.svg" alt=b><img src="https://example.com/c.png" alt=c>
<script src="../../s.js"></script></body></html>""")
SIZES = {"images/a-360.1.webp": 9000, "images/a-360.1.jpg": 15000, "images/b.svg": 700,
         "s.js": 1200, "favicon.svg": 300}


def test_page_weight_counts_one_copy_of_each_image_as_a_phone_fetches_it():
    html_gz = len(gzip.compress(PAGE.content, 9, mtime=0))
    fetches = fetched_paths(PAGE.path, PAGE.content)
    weight = page_weight("content/guides/x.md", PAGE.path, html_gz, fetches, SIZES)
    assert weight.html == html_gz
    assert weight.resources == (("images/a-360.1.webp", 9000), ("s.js", 1200),
                                ("images/b.svg", 700), ("favicon.svg", 300))
    assert weight.total == weight.html + 11200


def test_budgets_name_the_page_and_what_made_it_heavy():
    light = PageWeight("content/a.md", "a/index.html", 3000, (("img/x.webp", 9000),))
    heavy = PageWeight("content/b.md", "b/index.html", 20000,
                       (("img/big.webp", 200000), ("img/small.webp", 100)))
    found = check_budgets([light, heavy], Budgets(page_gzip_bytes=14600, page_total_bytes=150000))
    assert [(d.path, d.key) for d in found] == [("content/b.md", "page_over_budget"),
                                                ("content/b.md", "page_total_over_budget")]
    assert found[1].params["heavy"] == "img/big.webp (200.000), img/small.webp (100)"
    assert found[1].params["size"] == "220.100"


@pytest.mark.parametrize("svg, size", [
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160">', (240, 160)),
    (b'<?xml version="1.0"?>\n<svg width="48px" height="32px" viewBox="0 0 10 10">', (48, 32)),
    (b'<svg viewBox="0 0 300 150.5" xmlns="http://www.w3.org/2000/svg">', (300, 150)),
    (b"<svg>", (0, 0)), (b"not an svg", (0, 0)),
])
def test_svg_size(svg, size):
    assert svg_size(svg) == size


def test_a_small_svg_icon_becomes_a_data_uri_a_validator_accepts():
    from urllib.parse import unquote

    from loa.assets import svg_data_uri

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\n  <rect fill="#0b4a6f"/></svg>'
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml,")
    body = uri.removeprefix("data:image/svg+xml,")
    assert not set(body) & set(' <>"#%\n') - {"%"}  # spaces, <, >, # and quotes encoded
    assert unquote(body) == ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'> "
                             "<rect fill='#0b4a6f'/></svg>")
