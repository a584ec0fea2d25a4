"""The listen button's parts in the built pages (issue 15, point 4; its behaviour in
Chromium is tests/browser/test_listen.py): the words from the translations, the
language of the voice it needs, the loudspeaker script written into the page for it
(so a copied folder needs no request), and its player, one small file named by its
content."""
from __future__ import annotations

import gzip

from helpers import ROOT, SITES, build, copy_site, parse_html
from test_loudspeaker import sample_articles, script_of

PLAYER_SOURCE = ROOT / "templates" / "assets" / "listen.js"


def parts(html: str) -> dict:
    tree = parse_html(html)
    templates = {t.get("id"): t for t in tree.iter("template")}
    button = templates["listen"]
    text = templates.get("listen-text")
    player = next(templates["listen-js"].iter("script")).get("src")
    return {"lang": button.get("data-lang"),
            "labels": [b.text for b in button.iter("button")],
            "states": [next(button.iter("button")).get(f"data-s{n}") for n in range(3)],
            "text": "".join(text.itertext()) if text is not None else None,
            "player": player}


def test_every_article_carries_its_script_for_a_vietnamese_voice(sample_site):
    for article in sample_articles():
        found = parts((sample_site / article / "index.html").read_text(encoding="utf-8"))
        assert found["lang"] == "vi"
        assert found["labels"] == ["Nghe bài này", "Dừng đọc"]
        assert found["states"] == ["Nghe bài này", "Tạm dừng", "Nghe tiếp"]
        # the loudspeaker script: numbers, dates and abbreviations in words
        assert found["text"].split() == script_of(sample_site / article).split(), article
        player = (sample_site / article / found["player"]).resolve()
        assert player.read_bytes() == PLAYER_SOURCE.read_bytes()


def test_translations_are_read_in_their_own_language(sample_site):
    khmer = parts((sample_site / "km/guides/cai-dat-vneid/index.html").read_text(
        encoding="utf-8"))
    # no Khmer loudspeaker script: the player reads the article's own text
    assert khmer["lang"] == "km" and khmer["text"] is None
    assert khmer["labels"] == ["ស្តាប់អត្ថបទនេះ", "ឈប់អាន"]
    copy = parts((sample_site / "km/guides/chuyen-sang-4g/index.html").read_text(
        encoding="utf-8"))
    assert copy["lang"] == "vi" and copy["labels"] == khmer["labels"]  # Vietnamese text
    english = parts((sample_site / "en/guides/cai-dat-vneid/index.html").read_text(
        encoding="utf-8"))
    assert english["lang"] == "en" and english["labels"][0] == "Listen to this article"


def test_the_player_is_one_small_file_named_by_its_content(sample_site):
    players = sorted(p.name for p in sample_site.glob("nghe.*.js"))
    assert len(players) == 1
    data = (sample_site / players[0]).read_bytes()
    assert len(gzip.compress(data, 9)) < 1_600  # fetched once, with a voice, then kept
    assert not list(sample_site.rglob("listen.js"))


def test_a_very_long_script_is_not_written_into_its_page(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    sentence = "Bà con nhớ mang theo thẻ căn cước khi đến Ủy ban xã làm thủ tục. "
    (site / "content" / "guides" / "dai.md").write_text(
        '---\ntitle: "Bài rất dài"\ndate: 2024-01-01\n---\n'
        + "\n\n".join(sentence * 8 for _ in range(40)) + "\n", encoding="utf-8")
    assert build(site, tmp_path / "out").code == 0
    assert len((tmp_path / "out/guides/dai/loa.txt").read_bytes()) > 16_000
    found = parts((tmp_path / "out/guides/dai/index.html").read_text(encoding="utf-8"))
    assert found["text"] is None and found["lang"] == "vi"  # the page's text is read
    short = parts((tmp_path / "out/guides/cai-vneid/index.html").read_text(encoding="utf-8"))
    assert short["text"]
