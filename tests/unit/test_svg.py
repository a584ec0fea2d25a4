"""SVG files made safe to open: only drawing survives, and the picture stays the picture."""
import re

import pytest

from loa.svg import NotSvg, clean

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def cleaned(inner: str, head: str = HEAD) -> str:
    return clean((head + inner + "</svg>").encode("utf-8")).data.decode("utf-8")


@pytest.mark.parametrize("inner, gone", [
    ("<script>alert(1)</script>", "<script"),
    ('<script xlink:href="https://evil.example/x.js"/>', "<script"),
    ('<rect onclick="alert(1)" width="1"/>', "onclick"),
    ('<a xlink:href="javascript:alert(1)"><text>x</text></a>', "javascript"),
    ('<a href="  jav&#x09;ascript:alert(1)"><text>x</text></a>', "ascript"),
    ('<a href="https://evil.example/"><text>x</text></a>', "evil"),
    ('<animate attributeName="href" to="javascript:alert(1)"/>', "animate"),
    ('<set attributeName="onmouseover" to="alert(1)"/>', "<set"),
    ('<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script>'
     "</body></foreignObject>", "foreignObject"),
    ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/>', "iframe"),
    ('<image href="https://tracker.example/p.png" width="1" height="1"/>', "tracker"),
    ('<use xlink:href="https://evil.example/sprite.svg#x"/>', "evil"),
    ('<rect style="fill:url(https://evil.example/a)" width="1"/>', "evil"),
    ('<rect fill="url(https://evil.example/a)" width="1"/>', "evil"),
    ("<style>@import url(https://evil.example/a.css);</style>", "evil"),
    ('<image href="data:image/svg+xml;base64,PHN2Zz4=" width="1"/>', "data:"),
])
def test_what_could_run_or_fetch_is_removed(inner, gone):
    made = clean((HEAD + inner + "</svg>").encode("utf-8"))
    assert gone.lower() not in made.data.decode("utf-8").lower()
    assert made.removed  # and it is said


def test_a_stylesheet_processing_instruction_is_dropped():
    data = ('<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="https://evil.example/'
            'x.xsl"?>' + HEAD + '<rect width="1"/></svg>')
    assert "xml-stylesheet" not in clean(data.encode()).data.decode()


def test_the_drawing_and_its_words_are_kept():
    inner = ('<title id="t">Loa ấp 3</title><defs><linearGradient id="g"><stop offset="0"/>'
             '</linearGradient></defs><rect width="10" height="5" fill="url(#g)"/>'
             '<use xlink:href="#g"/><a href="#t"><text x="1">Một <tspan>hai</tspan> ba &amp; &lt;'
             "</text></a><image href=\"data:image/png;base64,iVBORw0KGgo=\" width=\"1\"/>")
    made = clean((HEAD + inner + "</svg>").encode("utf-8"))
    assert made.removed == ()
    assert made.data.decode("utf-8") == HEAD + inner + "</svg>"


def test_text_after_a_removed_element_stays():
    assert re.sub(r"<svg[^>]*>", "", cleaned("<text>a<script>x</script> b</text>")) == \
        "<text>a b</text></svg>"


def test_editor_markup_goes_without_a_word():
    made = clean(b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:i="http://www.inkscape.org/'
                 b'namespaces/inkscape" i:version="1.2"><i:grid/><rect i:label="a" width="1"/>'
                 b"</svg>")
    assert made.data == b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>'
    assert made.removed == ()


@pytest.mark.parametrize("data", [
    b"not xml at all", b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
    b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;'
    b'&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;'
    b'&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;'
    b'&g;&g;&g;&g;&g;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&h;&h;&h;&h;</text></svg>',
])
def test_what_is_not_an_svg_is_refused(data):
    with pytest.raises(NotSvg):
        clean(data)
