"""SVG files of the site, made safe to open: a picture must never run a program.

An SVG opened by itself (a reader taps a link to it) is a document of the site's
own origin, and its scripts would run there. So every SVG of `static/` and
`content/` is parsed as XML and rebuilt from an allow-list, as DOMPurify does in
browsers (no Python library keeps such a list for SVG): only drawing elements
are kept; event attributes (`onload`), animations (which can set a link to
`javascript:`), `foreignObject`, scripts, processing instructions (an XSLT
stylesheet runs scripts) and every reference to another file or site are
removed. Inkscape's and Illustrator's own markup (other namespaces) goes too.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# SVG 1.1 and 2 elements that draw or describe, and nothing else.
ELEMENTS = frozenset("""
svg a g defs desc title metadata symbol use switch path rect circle ellipse line polyline
polygon text tspan textPath linearGradient radialGradient stop pattern clipPath mask
marker filter image style feBlend feColorMatrix feComponentTransfer feComposite
feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood
feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology
feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""".split())
# An <image> may show a picture carried inside the file, never fetch one.
_RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*",
                          re.IGNORECASE)
_LOCAL_REF = re.compile(r"#[^\s\"'()]*")
# in an attribute or a stylesheet: a reference to anything but a part of this file
_OUTSIDE = re.compile(r"url\s*\(\s*(?![\"']?#)|@import|expression\s*\(|javascript:|"
                      r"vbscript:|data:|-moz-binding|behavior\s*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\\]")  # what a browser ignores inside "java script:"


SETTINGS = "loa-svg-1"  # what `clean` keeps and drops: a change here must change this


@dataclass(frozen=True)
class Cleaned:
    data: bytes  # the safe SVG
    removed: tuple[str, ...]  # what was taken out, as `<script>` or `onload`, each once


class NotSvg(ValueError):
    """The file is not well-formed XML with an <svg> root."""


def _local_name(name: str) -> tuple[str, str]:
    namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    return namespace, local


def _attribute_kept(element: str, name: str, value: str) -> bool:
    namespace, local = _local_name(name)
    if namespace not in ("", XLINK_NS, XML_NS) or local.lower().startswith("on"):
        return False
    if local == "href":
        return bool(_LOCAL_REF.fullmatch(value.strip())
                    or (element == "image" and _RASTER_DATA.fullmatch(value.strip())))
    return not _OUTSIDE.search(_INVISIBLE.sub("", value))


def _clean(element: etree.Element, removed: dict[str, None]) -> None:
    for child in list(element):
        namespace, local = _local_name(child.tag) if isinstance(child.tag, str) else ("", "")
        if namespace != SVG_NS or local not in ELEMENTS or (
                local == "style" and _OUTSIDE.search(_INVISIBLE.sub("", child.text or ""))):
            if namespace in (SVG_NS, XHTML_NS):  # (editors' own markup goes unmentioned)
                removed[f"<{local}>"] = None
            _remove_keeping_tail(element, child)
            continue
        _clean(child, removed)
    namespace, local = _local_name(element.tag)
    for name, value in list(element.attrib.items()):
        if not _attribute_kept(local, name, value):
            if _local_name(name)[0] in ("", XLINK_NS):
                removed[_local_name(name)[1]] = None
            del element.attrib[name]


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    """Remove `child`, keeping the text that follows it (it belongs to the parent)."""
    index = list(parent).index(child)
    if child.tail:
        if index == 0:
            parent.text = (parent.text or "") + child.tail
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + child.tail
    parent.remove(child)


def clean(data: bytes) -> Cleaned:
    """`data` rebuilt from the allow-list. Raises NotSvg for a file that is not SVG."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser())
    except (etree.ParseError, ValueError) as error:
        raise NotSvg(str(error)) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise NotSvg(root.tag)
    removed: dict[str, None] = {}
    _clean(root, removed)
    return Cleaned(_serialise(root, top=True).encode("utf-8"), tuple(removed))


_PREFIX = {"": "", XLINK_NS: "xlink:", XML_NS: "xml:"}


def _serialise(element: etree.Element, top: bool = False) -> str:
    """The cleaned tree as text (ElementTree's own writer would name the namespaces
    ns0, ns1, unless they were registered in its module-wide table)."""
    attributes = {f"{_PREFIX[ns]}{local}": value
                  for ns, local, value in ((*_local_name(k), v) for k, v in element.attrib.items())}
    if top:
        attributes = {"xmlns": SVG_NS, **({"xmlns:xlink": XLINK_NS} if any(
            k.startswith("{" + XLINK_NS) for e in element.iter() for k in e.attrib) else {}),
            **attributes}
    tag = _local_name(element.tag)[1]
    opened = tag + "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())
    inner = escape(element.text or "") + "".join(
        _serialise(child) + escape(child.tail or "") for child in element)
    return f"<{opened}>{inner}</{tag}>" if inner else f"<{opened}/>"
