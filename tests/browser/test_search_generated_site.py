"""Search on a generated 1,000-article site built by Loa itself (bench/corpus.py): what
the first query costs a reader, from focusing the box to seeing results. Printed."""
from __future__ import annotations

import gzip

import pytest

from helpers import bench_corpus, build, search_for, serve


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    bench_corpus().generate(1000, root / "site")
    built = build(root / "site", root / "out")
    assert built.code == 0, built.err[-2000:]
    with serve(root / "out") as base:
        yield base


@pytest.mark.parametrize("query", ["ho tro dien thoai", "dang ky", "Phuoc Long"])
def test_first_query_costs_at_most_50_kb(new_page, generated, query):
    page = new_page(360, 740, js=True)
    bodies = []
    page.on("response", lambda r: bodies.append((r.url, r)))
    page.goto(generated + "tim-kiem/index.html")
    page.wait_for_load_state("load")
    before = len(bodies)
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    titles = search_for(page, query)
    fetched = [(url, response.body()) for url, response in bodies[before:]]
    packed = sum(len(gzip.compress(body, 9)) for _, body in fetched)
    print(f"\n{query!r}: {len(titles)} results; from focus {len(fetched)} files, "
          f"{sum(len(b) for _, b in fetched)} bytes, {packed} bytes gzip")
    assert titles, f"no result for {query!r}"
    assert packed <= 50_000
