"""'Nghe bài này' (issue 15, point 4): the phone reads the article aloud with its own
voice, in Chromium from a copied folder (file://: nothing is fetched), with the phone's
voices stubbed: `speechSynthesis` is replaced before the page's scripts run by one that
offers the voices a test names and records what it is asked to say.

The button exists only with JavaScript and a voice of the text's language, and its
player (assets/listen.js) is fetched only then: none with no voice (as in Zalo's
WebView), none with voices of other languages, and it comes when the voices arrive late
('voiceschanged', as Chrome gives them)."""
from __future__ import annotations

import json
import re

import pytest

from helpers import open_page

ARTICLE = "policies/ke-hoach-giam-ngheo-ve-thong-tin-2024/"
KHMER = "km/guides/cai-dat-vneid/"  # translated: Khmer text, no loudspeaker script
UNTRANSLATED = "km/guides/chuyen-sang-4g/"  # the Khmer site's copy of a Vietnamese text
BUTTON = "article button"
SIZES = pytest.mark.parametrize("size", [(320, 640), (360, 740)], ids=["320", "360"])

VI = {"lang": "vi-VN", "name": "Tiếng Việt", "voiceURI": "vi-VN", "localService": True,
      "default": False}
KM = {"lang": "km-KH", "name": "ខ្មែរ", "voiceURI": "km-KH", "localService": True,
      "default": False}
EN = {"lang": "en-US", "name": "English", "voiceURI": "en-US", "localService": True,
      "default": True}

# The phone's voices and a recorder in place of speaking: `__said` holds each utterance
# given to speak() (its text, language and voice), `__cancels` counts cancel();
# `__end()` ends the utterance being spoken, as the voice does when it has said it.
STUB = """(() => {
  const voices = %s;
  const synth = new EventTarget();
  let current = null;
  window.__said = []; window.__cancels = 0;
  synth.getVoices = () => voices;
  synth.speak = (u) => { current = u; window.__said.push({text: u.text, lang: u.lang,
                                                          voice: u.voice && u.voice.lang}); };
  synth.cancel = () => { window.__cancels += 1; };
  synth.pause = synth.resume = () => {};
  window.__voices = (more) => { voices.push(...more);
                                synth.dispatchEvent(new Event('voiceschanged')); };
  window.__end = () => { const u = current; current = null;
                         u.onend && u.onend({type: 'end'}); };
  window.__interrupt = (u) => u.onerror && u.onerror({type: 'error', error: 'interrupted'});
  window.__current = () => current;
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();"""


def listening(new_page, sample_site, where: str, voices: list[dict], js: bool = True,
              size: tuple[int, int] = (320, 640)):
    page = new_page(*size, js=js)
    page.add_init_script(STUB % json.dumps(voices))
    open_page(page, (sample_site / where / "index.html").as_uri())
    return page


def script_of(sample_site, where: str) -> str:
    return (sample_site / where / "loa.txt").read_bytes().decode("utf-8-sig")


def said(page) -> list[dict]:
    return page.evaluate("window.__said")


def speak_to_the_end(page, limit: int = 500) -> list[dict]:
    """Let the voice say every chunk, as it does when nothing stops it."""
    for _ in range(limit):
        if page.evaluate("window.__current() === null"):
            return said(page)
        page.evaluate("window.__end()")
    raise AssertionError("the button never stopped speaking")


def player_loaded(page) -> bool:
    """Whether the page asked for its player (assets/listen.js): a script inserted while
    the page loads is run before its load event, which open_page waits for."""
    return page.evaluate("document.querySelector('script[src]') !== null")


@pytest.mark.parametrize("voices", [[], [EN], [KM]], ids=["no voice", "english", "khmer"])
def test_no_button_and_no_player_fetched_without_a_vietnamese_voice(new_page, sample_site,
                                                                    voices):
    page = listening(new_page, sample_site, ARTICLE, voices)
    assert not player_loaded(page)
    assert page.locator(BUTTON).count() == 0


@SIZES
def test_no_button_without_javascript(new_page, sample_site, size):
    page = listening(new_page, sample_site, ARTICLE, [VI], js=False, size=size)
    assert page.locator("button").count() == 0  # a template's content is not the page's
    assert "Nghe bài này" not in page.inner_text("body")
    assert "Bài: Kế hoạch" not in page.inner_text("body")  # the script it reads is not shown


def test_the_button_comes_when_the_voices_arrive_late(new_page, sample_site):
    page = listening(new_page, sample_site, ARTICLE, [])
    assert not player_loaded(page) and page.locator(BUTTON).count() == 0
    page.evaluate("window.__voices(%s)" % json.dumps([EN, VI]))
    assert page.locator(BUTTON).first.inner_text() == "Nghe bài này"  # (waits for it)
    page.evaluate("window.__voices([])")  # a second 'voiceschanged': still one button
    assert page.evaluate("document.querySelectorAll('script[src]').length") == 1
    assert page.locator(BUTTON).count() == 2


@SIZES
def test_the_button_reads_the_loudspeaker_script_with_the_vietnamese_voice(new_page,
                                                                             sample_site, size):
    page = listening(new_page, sample_site, ARTICLE, [EN, dict(VI, lang="vi_VN")], size=size)
    assert player_loaded(page)
    play = page.locator(BUTTON).first
    stop = page.locator(BUTTON).nth(1)
    # under the title and date, a real button a thumb can press
    assert play.is_visible() and not stop.is_visible()
    box = play.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44 and box["x"] + box["width"] <= size[0]
    assert page.evaluate("document.querySelector('.listen').previousElementSibling.className"
                         ) == "meta"
    play.click()
    assert play.inner_text() == "Tạm dừng" and stop.is_visible()
    chunks = speak_to_the_end(page)
    assert {(c["lang"], c["voice"]) for c in chunks} == {("vi_VN", "vi_VN")}
    text = " ".join(c["text"] for c in chunks)
    # the loudspeaker script, numbers and all in words, in chunks Chrome does not cut
    assert text == " ".join(script_of(sample_site, ARTICLE).split())
    assert "một phẩy bảy phần trăm" in text and not re.search(r"\d", text)
    assert len(chunks) > 20 and all(len(c["text"]) <= 260 for c in chunks)
    assert chunks[0]["text"].startswith("Bài: Kế hoạch")
    # the end: back to the start
    assert play.inner_text() == "Nghe bài này" and not stop.is_visible()


def test_pause_resume_and_stop(new_page, sample_site):
    page = listening(new_page, sample_site, ARTICLE, [VI])
    play = page.locator(BUTTON).first
    stop = page.locator(BUTTON).nth(1)
    play.click()
    page.evaluate("window.__end()")
    page.evaluate("window.__end()")
    third = said(page)[-1]["text"]
    assert len(said(page)) == 3
    play.click()  # pause
    assert play.inner_text() == "Nghe tiếp" and stop.is_visible()
    cancels = page.evaluate("window.__cancels")
    assert cancels >= 1
    page.evaluate("window.__interrupt(window.__current())")  # what cancel() makes Chrome say
    page.evaluate("window.__end()")  # even an 'end' of the cancelled chunk goes nowhere
    assert len(said(page)) == 3 and play.inner_text() == "Nghe tiếp"
    play.click()  # resume: the chunk that was cut, again
    assert said(page)[-1]["text"] == third and len(said(page)) == 4
    assert play.inner_text() == "Tạm dừng"
    page.evaluate("window.__end()")
    assert len(said(page)) == 5
    stop.click()
    assert play.inner_text() == "Nghe bài này" and not stop.is_visible()
    page.evaluate("window.__end()")  # (a late 'end' after stop)
    assert len(said(page)) == 5
    play.click()  # after stop, from the start
    assert said(page)[-1]["text"] == said(page)[0]["text"]


def test_a_khmer_page_is_read_with_a_khmer_voice(new_page, sample_site):
    assert not player_loaded(listening(new_page, sample_site, KHMER, [VI, EN]))
    page = listening(new_page, sample_site, KHMER, [VI, KM])
    play = page.locator(BUTTON).first
    assert play.inner_text() == "ស្តាប់អត្ថបទនេះ"
    play.click()
    assert play.inner_text() == "ផ្អាក"
    chunks = speak_to_the_end(page)
    assert {(c["lang"], c["voice"]) for c in chunks} == {("km-KH", "km-KH")}
    text = " ".join(c["text"] for c in chunks)
    title = page.inner_text("h1")
    assert text.startswith(title) and re.search("[\u1780-\u17ff]", text)
    assert page.inner_text(".body").split()[-1] in text  # the article's text, to its end
    assert "ស្តាប់អត្ថបទនេះ" not in text  # not the page around it


def test_an_untranslated_copy_is_read_with_a_vietnamese_voice(new_page, sample_site):
    assert not player_loaded(listening(new_page, sample_site, UNTRANSLATED, [KM]))
    page = listening(new_page, sample_site, UNTRANSLATED, [KM, VI])
    play = page.locator(BUTTON).first
    assert play.inner_text() == "ស្តាប់អត្ថបទនេះ"  # the Khmer site's words, its text's voice
    assert page.evaluate("document.querySelector('.listen').lang") == "km"
    play.click()
    assert said(page)[0]["lang"] == "vi-VN"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_buttons_pass_axe_in_both_schemes(new_page, sample_site, scheme):
    from test_accessibility import axe_report, run_axe
    page = new_page(360, 740, js=True)
    page.emulate_media(color_scheme=scheme)
    page.add_init_script(STUB % json.dumps([VI]))
    open_page(page, (sample_site / ARTICLE / "index.html").as_uri())
    play = page.locator(BUTTON).first
    play.click()
    play.click()  # paused: both buttons shown
    assert page.locator(BUTTON).nth(1).is_visible()
    report = axe_report(run_axe(page))
    assert not report, "\n".join(report)
