"""What a Khmer reader sees in a list (issue 15, point 9), at 320 and 360 px, with
JavaScript on and off: the translated articles first, each untranslated one marked
"ភាសាវៀតណាម" where it can be seen, and its Vietnamese title and summary set with
Vietnamese line height inside the Khmer page."""
from __future__ import annotations

import pytest

from helpers import open_page

LIST = "km/guides/index.html"

# Each item of the list as it is laid out: its title's language, whether a label shows
# (visible, whole, inside the screen), and the line heights of its title's and summary's
# text relative to their font size.
ITEMS = """() => [...document.querySelectorAll('main .list > li')].map(li => {
  const a = li.querySelector('a'), p = li.querySelector('p');
  const label = li.querySelector('.lang-label');
  const box = label && label.getBoundingClientRect();
  const ratio = e => { const s = getComputedStyle(e);
                       return parseFloat(s.lineHeight) / parseFloat(s.fontSize); };
  return {lang: a.lang || 'km',
          label: label ? label.innerText : null,
          labelShown: !!box && box.width > 0 && box.left >= 0
                      && box.right <= document.documentElement.clientWidth
                      && getComputedStyle(label).visibility === 'visible',
          labelOneLine: !!box && box.height < 2 * parseFloat(getComputedStyle(label).fontSize) * 1.9,
          summary: p ? ratio(p) : null};
})"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", [(320, 640), (360, 740)], ids=["320", "360"])
def test_translated_first_the_rest_marked_and_set_as_vietnamese(new_page, served_site, size,
                                                                js):
    page = new_page(*size, js=js)
    open_page(page, served_site + LIST)
    items = page.evaluate(ITEMS)
    langs = [item["lang"] for item in items]
    assert "km" in langs and "vi" in langs, "the sample must list both kinds to judge"
    assert langs == sorted(langs, key=lambda lang: lang != "km")  # translated ones first
    for item in items:
        if item["lang"] == "vi":
            assert item["label"] == "ភាសាវៀតណាម"
            assert item["labelShown"] and item["labelOneLine"], item
            assert item["summary"] == pytest.approx(1.6, abs=0.01)  # Vietnamese leading
        else:
            assert item["label"] is None
            assert item["summary"] == pytest.approx(1.9, abs=0.01)  # Khmer leading
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
