"""Khmer as a phone shows it: lines broken between syllables, never inside one (a break before a dependent vowel or sign, or after the
subscript marker COENG, would tear a written syllable apart)."""
from __future__ import annotations

from helpers import open_page

KHMER_PAGE = "km/guides/cai-dat-vneid/index.html"

# Where each line of every Khmer text node starts: (the character there, the one before).
LINE_STARTS = """() => {
  const starts = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    if (!/[\\u1780-\\u17FF]/.test(text)) continue;
    let top = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top !== null && rect.top > top + 2 && i > 0) {
        const before = text[i - 1] === '\\n' && i > 1 ? text[i - 2] : text[i - 1];
        starts.push([text[i], before]);
      }
      top = rect.top;
    }
  }
  return starts;
}"""


def torn(starts: list[list[str]]) -> list[str]:
    """Line starts that split a Khmer syllable."""
    return [before + here for here, before in starts
            if "\u17b6" <= here <= "\u17d3" or before == "\u17d2"]


def test_khmer_lines_break_between_syllables_at_320_px(new_page, served_site):
    page = new_page(320, 640)
    open_page(page, served_site + KHMER_PAGE)
    starts = page.evaluate(LINE_STARTS)
    khmer = [s for s in starts if "\u1780" <= s[0] <= "\u17ff"]
    assert len(khmer) >= 20, f"too few lines begin inside Khmer text to judge: {starts}"
    assert torn(starts) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_control_a_syllable_torn_at_a_line_end_is_found(new_page):
    """Lines forced to break inside two syllables (before the dependent vowel of កា, and
    after the COENG of ន្ត) are reported; a break between syllables is not."""
    page = new_page(320, 640)
    page.set_content('<main><p lang=km style="white-space:pre-line">'
                     'ការ\nណែនាំ ក\nា សន\u17d2\nត</p></main>')
    assert torn(page.evaluate(LINE_STARTS)) == ["កា", "\u17d2ត"]
