"""Assets: images resized for phones, and what a page costs a reader.

Images are decoded with Pillow, turned upright, stripped of their metadata and
re-encoded at phone widths as WebP with a JPEG or PNG fallback; copies are
cached by the hash of the source. The first response of a page (its HTML with
the CSS inlined, gzip-compressed) must fit the budget in site_config.yaml
(14,600 bytes by default: the ~10 packets of a first TCP round trip).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import posixpath
import re
from collections import Counter
from importlib import metadata
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import quote

import brotli
import minify_html
from PIL import Image as PILImage
from PIL import ImageOps

from .cache import Cache
from .cache import key as cache_key
from . import svg
from .errors import WARNING, Diagnostic, problem
from .models import Budgets, Image, ImageVariant, OutputFile, PageWeight
from .text import attribute_values, format_number


def gzip_bytes(content: bytes) -> bytes:
    # mtime=0 keeps the .gz file (and every figure) the same from run to run; level 6: see
    # BROTLI_QUALITY.
    return gzip.compress(content, compresslevel=6, mtime=0)


# What decides minify()'s output besides its input (part of every page's fingerprint).
MINIFY_SETTINGS = ("keep_closing_tags keep_html_and_head_opening_tags; css apart "
                   f"minify-html {metadata.version('minify-html')}")


def minify(html: bytes) -> bytes:
    """Whitespace and quotes out; closing tags and <html>/<head> kept, so old in-app
    browsers parse it as the unminified page. The CSS is minified once per build instead
    (minify_css): here it cost three times the rest of the page (0.75 ms of 1.0 ms)."""
    return minify_html.minify(html.decode("utf-8"), keep_closing_tags=True,
                              keep_html_and_head_opening_tags=True).encode("utf-8")


def minify_css(css: str) -> str:
    """A stylesheet minified, as it is inlined in every page."""
    small = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    return small.removeprefix("<style>").removesuffix("</style>")


def player_url(script: bytes) -> str:
    """The player's address: named by its content, so that a browser may keep it for good
    and a new version is a new file."""
    return f"/nghe.{hashlib.blake2b(script, digest_size=6).hexdigest()}.js"

TEXT = (".html", ".css", ".js", ".svg", ".xml", ".json", ".csv", ".txt", ".webmanifest")


# Brotli 5 and gzip 6 cost 40% less time than Brotli 9 and gzip -9 for 3% more bytes
# (measured in the issue that chose them); Brotli 11 makes pages ~6% smaller than 9 but
# costs 25x its time (16 ms a page).
BROTLI_QUALITY = 5


def brotli_bytes(content: bytes) -> bytes:
    """Brotli with a window no larger than the file (a smaller window is also faster)."""
    window = min(24, max(10, (len(content) - 1).bit_length()))
    return brotli.compress(content, quality=BROTLI_QUALITY, lgwin=window)


def sent_size(content: bytes, gz: bytes | None) -> int:
    """Bytes a server sends for a file: its gzip copy when that is smaller."""
    return min(len(content), len(gz)) if gz is not None else len(content)


# The tags that make a browser fetch something, and their attributes (quoted or not:
# pages are minified). A scan, not a full parse: html.parser took 3.7 s of a
# 1,000-article build for this alone.
_FETCHING = re.compile(rb"<(/?picture|source|img|script|link)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def fetched(html: bytes) -> list[str]:
    """What a browser fetches for a page: one copy per image (WebP when offered), scripts,
    stylesheets and icons."""
    urls: list[str] = []
    webp = False  # inside a <picture> that offered WebP
    for tag, raw in _FETCHING.findall(html):
        tag = tag.lower()
        attr = {name.lower().decode(): html_unescape(b"".join(values).decode("utf-8"))
                for name, *values in _ATTRIBUTE.findall(raw)}
        if tag in (b"picture", b"/picture"):
            webp = False
        elif tag == b"source" and attr.get("type") == "image/webp" and attr.get("srcset"):
            urls.append(attr["srcset"].split(",")[0].split()[0])
            webp = True
        elif tag == b"img" and attr.get("src") and not webp:
            urls.append(attr["src"])
        elif tag == b"script" and attr.get("src"):
            urls.append(attr["src"])
        elif tag == b"link" and attr.get("rel") in ("stylesheet", "icon") and attr.get("href"):
            urls.append(attr["href"])
    return urls


def fetched_paths(page_path: str, html: bytes) -> tuple[str, ...]:
    """Output paths of what the page at `page_path` makes a browser fetch (its own site's
    files only), each once."""
    folder = posixpath.dirname(page_path)
    found = []
    for url in fetched(html):
        if "://" in url or url.startswith(("data:", "//")):
            continue
        found.append(posixpath.normpath(posixpath.join(folder, url.split("#")[0].split("?")[0])))
    return tuple(dict.fromkeys(found))


def ids_used_twice(html: bytes) -> list[str]:
    """Ids given to more than one element of a page (a link to one finds only the first;
    a second `main` breaks the skip link)."""
    seen = Counter(attribute_values(html.decode("utf-8"), "id"))
    return sorted(name for name, count in seen.items() if count > 1)


def page_weight(source: str, path: str, html_gz: int, fetches: tuple[str, ...],
                sizes: dict[str, int]) -> PageWeight:
    """A page's weight: `html_gz` its size gzip-compressed, `fetches` its fetched_paths,
    `sizes` output path -> bytes as a server sends it."""
    resources = {fetched_path: sizes.get(fetched_path, 0) for fetched_path in fetches}
    heaviest = tuple(sorted(resources.items(), key=lambda item: (-item[1], item[0])))
    return PageWeight(source, path, html_gz, heaviest)


def check_budgets(weights: list[PageWeight], budgets: Budgets) -> list[Diagnostic]:
    """One diagnostic per page over either budget, naming what made it heavy."""
    found = []
    for weight in weights:
        if weight.html > budgets.page_gzip_bytes:
            found.append(problem(weight.source, 0, "page_over_budget", page=weight.path,
                                 size=format_number(weight.html),
                                 budget=format_number(budgets.page_gzip_bytes)))
        if weight.total > budgets.page_total_bytes:
            heavy = ", ".join(f"{path} ({format_number(size)})"
                              for path, size in weight.resources[:3])
            found.append(problem(weight.source, 0, "page_total_over_budget", page=weight.path,
                                 size=format_number(weight.total),
                                 budget=format_number(budgets.page_total_bytes),
                                 html=format_number(weight.html), heavy=heavy or "-"))
    return found


# --- images ---

RASTER = (".jpg", ".jpeg", ".png", ".webp")
WIDTHS = (360, 720)  # a phone's screen, and the same at twice the pixel density
SHARE = (600, 315)  # link previews (Open Graph): the smallest size Facebook and Zalo take
SETTINGS = "loa-images-3 webp q70/55 m6; jpeg q72/60 progressive; png optimize; share 600x315"
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S)
_LENGTH = re.compile(rb'\b(width|height)\s*=\s*["\']\s*([\d.]+)\s*(?:px)?\s*["\']')
_VIEWBOX = re.compile(rb'\bviewBox\s*=\s*["\']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)')


def svg_size(data: bytes) -> tuple[int, int]:
    """An SVG's intrinsic size from its width/height (or viewBox); (0, 0) when it has none."""
    tag = _SVG_TAG.search(data[:4096])
    if not tag:
        return 0, 0
    sizes = {name.decode(): float(value) for name, value in _LENGTH.findall(tag.group(0))}
    if "width" in sizes and "height" in sizes:
        return round(sizes["width"]), round(sizes["height"])
    box = _VIEWBOX.search(tag.group(0))
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else (0, 0)


def _encode(picture: PILImage.Image, fmt: str) -> bytes:
    """Copies wider than a phone's screen are only for dense screens, where a lower
    quality does not show ("compressive images"): they cost less data that way."""
    dense = picture.width > WIDTHS[0]
    buffer = io.BytesIO()
    if fmt == "webp":
        picture.save(buffer, "WEBP", quality=55 if dense else 70, method=6)
    elif fmt == "jpeg":
        picture.convert("RGB").save(buffer, "JPEG", quality=60 if dense else 72, optimize=True,
                                    progressive=True)
    else:
        picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _resize(data: bytes, fallback: str) -> list[tuple[int, int, str, bytes]]:
    """Phone-width copies (never enlarged), upright, with no metadata (no EXIF, no GPS)."""
    with PILImage.open(io.BytesIO(data)) as opened:
        picture = ImageOps.exif_transpose(opened)
        if picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "A" in picture.getbands()
                                      or "transparency" in picture.info else "RGB")
        copies = []
        for width in sorted({min(w, picture.width) for w in WIDTHS}):
            height = max(1, round(picture.height * width / picture.width))
            sized = picture if width == picture.width else picture.resize(
                (width, height), PILImage.Resampling.LANCZOS)
            for fmt in ("webp", fallback):
                copies.append((width, height, fmt, _encode(sized, fmt)))
        # The card Zalo and Facebook show for a shared link: 1.91:1, cropped to the centre.
        card = ImageOps.fit(picture.convert("RGB"), SHARE, PILImage.Resampling.LANCZOS)
        buffer = io.BytesIO()
        card.save(buffer, "JPEG", quality=70, optimize=True, progressive=True)
        copies.append((*SHARE, "share", buffer.getvalue()))
        return copies


# A photo's original is published too (a link may lead to it), but never as it came from
# the phone: its metadata (EXIF, GPS position, XMP, IPTC, comments) may say where a
# household lives. A JPEG already upright loses only those segments, its picture bit for
# bit; any other is saved again upright, without them.
ORIGINAL_SETTINGS = "loa-original-1 jpeg-strip/q90; png; webp q90"
_JPEG_KEEP = {0xE0, 0xE2, 0xEE}  # JFIF, the ICC colour profile, Adobe's colour transform


def _jpeg_without_metadata(data: bytes) -> bytes | None:
    """A JPEG's bytes without its APPn segments but those it is drawn with, and without
    comments; None when it is not a JPEG laid out as the standard says."""
    if data[:2] != b"\xff\xd8":
        return None
    kept, at = [data[:2]], 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # (a fill byte before a marker)
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the picture itself, to the end, as it is
            kept.append(data[at:])
            return b"".join(kept)
        length = int.from_bytes(data[at + 2:at + 4], "big")
        segment = data[at:at + 2 + length]
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _JPEG_KEEP:
            kept.append(segment)
        at += 2 + length
    return None


def original_without_metadata(data: bytes) -> bytes:
    """A raster original as it is published: upright, with no metadata."""
    with PILImage.open(io.BytesIO(data)) as opened:
        upright = opened.getexif().get(0x0112, 1) in (0, 1)
        fmt = opened.format
        if fmt == "JPEG" and upright:
            stripped = _jpeg_without_metadata(data)
            if stripped is not None:
                return stripped
        picture = ImageOps.exif_transpose(opened)
        icc = opened.info.get("icc_profile")
        buffer = io.BytesIO()
        extra = {"icc_profile": icc} if icc else {}
        if fmt == "PNG":
            picture.save(buffer, "PNG", optimize=True, **extra)
        elif fmt == "WEBP":
            picture.save(buffer, "WEBP", quality=90, method=4, **extra)
        else:
            picture.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True, **extra)
        return buffer.getvalue()


def _variants(site_path: str, data: bytes, cache: Cache
              ) -> tuple[list[tuple[int, int, str, bytes]], str]:
    """The resized copies of one image, from the cache when its bytes were seen before."""
    fallback = "png" if site_path.lower().endswith(".png") else "jpeg"
    manifest_key = cache_key(SETTINGS, PILImage.__version__, data)
    manifest = cache.get(manifest_key)
    if manifest is not None:
        entries = json.loads(manifest)
        stored = [(e["w"], e["h"], e["f"], cache.get(e["k"])) for e in entries]
        if all(content is not None for *_, content in stored):
            return stored, ""
    try:
        copies = _resize(data, fallback)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as error:
        return [], str(error) or type(error).__name__
    entries = []
    for width, height, fmt, content in copies:
        content_key = cache_key(content)
        cache.put(content_key, content)
        entries.append({"w": width, "h": height, "f": fmt, "k": content_key})
    cache.put(manifest_key, json.dumps(entries).encode("utf-8"))
    return copies, ""


def clean_svgs(files: dict[str, Path], root: Path) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every SVG of the site made safe to open (see `svg`), by site path; what was taken
    out of one is a warning, a file that is no SVG an error."""
    cleaned: dict[str, bytes] = {}
    found: list[Diagnostic] = []
    for site_path, path in sorted(files.items()):
        if not site_path.lower().endswith(".svg"):
            continue
        where = path.relative_to(root).as_posix()
        try:
            made = svg.clean(path.read_bytes())
        except svg.NotSvg as error:
            found.append(problem(where, 0, "svg_unreadable", detail=str(error)))
            continue
        cleaned[site_path] = made.data
        if made.removed:
            found.append(problem(where, 0, "svg_cleaned", level=WARNING,
                                 removed=", ".join(made.removed)))
    return cleaned, found


def process_images(files: dict[str, Path], svgs: dict[str, bytes], root: Path, cache: Cache
                   ) -> tuple[dict[str, Image], list[OutputFile], list[Diagnostic]]:
    """Every image of the site (static/ and content/): its size and its phone copies.

    Copies are named by a hash of their bytes (`anh-360.3f2a9c1d.webp`), so a server
    may let phones keep them for a year. `svgs` are the cleaned SVGs (clean_svgs).
    """
    images: dict[str, Image] = {}
    outputs: list[OutputFile] = []
    found: list[Diagnostic] = []
    for site_path, path in sorted(files.items()):
        suffix = Path(site_path).suffix.lower()
        if suffix == ".svg":
            if site_path in svgs:
                images[site_path] = Image(site_path, *svg_size(svgs[site_path]))
            continue
        if suffix not in RASTER:
            continue
        copies, error = _variants(site_path, path.read_bytes(), cache)
        if error:
            found.append(problem(path.relative_to(root).as_posix(), 0, "image_unreadable",
                                 detail=error))
            continue
        folder, stem = site_path.rsplit("/", 1)[0], Path(site_path).stem
        variants = []
        for width, height, fmt, content in copies:
            digest = hashlib.sha256(content).hexdigest()[:10]
            extension = {"jpeg": "jpg", "share": "jpg"}.get(fmt, fmt)
            name = f"{stem}-chia-se" if fmt == "share" else f"{stem}-{width}"
            url = f"{folder}/{name}.{digest}.{extension}"
            variants.append(ImageVariant(url, width, height, fmt))
            outputs.append(OutputFile(url.lstrip("/"), content))
        widest = max((v for v in variants if v.format != "share"), key=lambda v: v.width)
        images[site_path] = Image(site_path, widest.width, widest.height, tuple(variants))
    return images, outputs, found


# An SVG icon this small is put in every page rather than linked: no request for it,
# on a phone's first visit or from a copied folder.
ICON_INLINE_MAX = 1024


def svg_data_uri(svg: bytes) -> str:
    """An SVG as a `data:` URI for an attribute, percent-encoded where a URL may not hold
    a character as it is (the W3C checker rejects raw spaces, < and >)."""
    text = " ".join(svg.decode("utf-8").split())
    if "'" not in text:
        text = text.replace('"', "'")  # one character where %22 takes three
    return "data:image/svg+xml," + quote(text, safe="/:=;,'()!*-._~")
