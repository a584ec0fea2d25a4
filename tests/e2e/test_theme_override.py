"""A site's own theme files win over Loa's, file by file: a template, each script the theme
publishes as a file (the service worker, the listen button's player, the search script),
and single words of i18n/vi.yaml; everything it does not have comes from Loa's theme."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import SITES, build, copy_site

from loa import builtin

MARK = "the site's own"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("theme")
    site = copy_site(SITES / "minimal", tmp / "site")
    own = site / "templates"
    (own / "assets").mkdir(parents=True)
    (own / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Không có trang này</h1>'
        f"<p>{MARK} 404</p>{{% endblock %}}", encoding="utf-8")
    for name in ("sw.js", "listen.js", "search.js"):
        theirs = (builtin.THEME / "assets" / name).read_text(encoding="utf-8")
        (own / "assets" / name).write_text(f"// {MARK}\nvar mark = '{MARK} {name}';\n"
                                           + theirs, encoding="utf-8")
    (site / "i18n").mkdir()
    (site / "i18n" / "vi.yaml").write_text('site:\n  skip: "Đến phần chính"\n',
                                           encoding="utf-8")
    run = build(site, tmp / "out")
    assert run.code == 0, run.err
    return tmp / "out"


def test_a_template_of_the_site_replaces_loa_s_and_the_others_stay(built):
    assert f"{MARK} 404" in (built / "404.html").read_text(encoding="utf-8")
    home = (built / "index.html").read_text(encoding="utf-8")
    assert MARK not in home and "<ul class=list>" in (built / "guides" / "index.html"
                                                       ).read_text(encoding="utf-8")


def test_each_script_of_the_site_is_the_one_published(built):
    assert f"{MARK} sw.js" in (built / "sw.js").read_text(encoding="utf-8")
    players = list(built.glob("nghe.*.js"))
    assert len(players) == 1 and f"{MARK} listen.js" in players[0].read_text("utf-8")
    # (named by its content: the site's player has its own name, which articles fetch)
    article = (built / "guides" / "zalo" / "index.html").read_text(encoding="utf-8")
    assert players[0].name in article
    searches = list((built / "tim-kiem").glob("loa-search.*.js"))
    assert len(searches) == 1 and f"{MARK} search.js" in searches[0].read_text("utf-8")


def test_a_word_of_the_site_wins_and_the_others_are_loa_s(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "Đến phần chính" in home and "Bỏ qua, đến nội dung chính" not in home
    assert re.search(r"Tìm kiếm", home)  # a word the site did not give: Loa's
