"""Search on a generated 1,000-article site built by Loa itself (bench/corpus.py): what
the first query costs a reader, from focusing the box to seeing results. Printed."""
from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import sys

import pytest

from helpers import ROOT, search_for, serve
from loa import config as config_stage
from loa import i18n, output, pipeline
from loa.models import BuildOptions


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = corpus  # its dataclasses look their module up there
    spec.loader.exec_module(corpus)
    root = tmp_path_factory.mktemp("generated")
    corpus.generate(1000, root / "site")
    config, found = config_stage.load(root / "site")
    assert config is not None, found
    result = pipeline.build(config, BuildOptions(today=dt.date(2026, 11, 29), precompress=False),
                            i18n.load("vi"))
    assert not [d for d in result.diagnostics if d.level == "error"], result.diagnostics[:5]
    output.write(result.outputs, root / "out")
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
