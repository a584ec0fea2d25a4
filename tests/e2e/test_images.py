"""Images for phones, end to end: a camera photo becomes small, upright, metadata-free copies."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from helpers import SITES, build, copy_site, make_photo

ARTICLE = """---
title: "Ảnh chụp ở ruộng"
date: 2024-05-01
image: /images/ruong.jpg
image_alt: "Cánh đồng lúa tôm ở Phước Long"
---
Đoạn đầu.

![Một ảnh nữa trong bài](/images/ruong.jpg)
"""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("photo")
    site = copy_site(SITES / "minimal", root / "site")
    make_photo(site / "static" / "images" / "ruong.jpg")
    (site / "content" / "stories" / "anh-chup.md").write_text(ARTICLE, encoding="utf-8")
    result = build(site, root / "out")
    assert result.code == 0, result.err
    return site, root / "out"


def copies(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (out / "images").glob("ruong-*")}


def test_a_camera_photo_becomes_small_upright_copies_without_metadata(photo_site):
    _, out = photo_site
    made = copies(out)
    assert sorted(re.sub(r"\.[0-9a-f]{10}\.", ".", name) for name in made) == [
        "ruong-360.jpg", "ruong-360.webp", "ruong-720.jpg", "ruong-720.webp",
        "ruong-chia-se.jpg"]
    for name, data in made.items():
        picture = Image.open(io.BytesIO(data))
        if "chia-se" in name:  # the link-preview card
            assert picture.size == (600, 315)
        else:
            width = 360 if "-360." in name else 720
            assert picture.size == (width, width * 4 // 3), name  # upright: portrait, as shot
        assert not picture.getexif(), f"{name} still carries EXIF"
        assert b"Exif" not in data and b"Loa test camera" not in data
        if "-360." in name:
            assert len(data) <= 40_000, f"{name}: {len(data)} bytes"


def test_the_page_offers_webp_and_jpeg_with_sizes_and_reserves_the_space(photo_site):
    _, out = photo_site
    html = (out / "stories" / "anh-chup" / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", html)
    assert len(pictures) == 2
    for picture in pictures:
        source, img = tags(picture, "source"), tags(picture, "img")
        assert source["type"] == "image/webp"
        assert re.fullmatch(r"\.\./\.\./images/ruong-360\.\w+\.webp 360w, "
                            r"\.\./\.\./images/ruong-720\.\w+\.webp 720w", source["srcset"])
        assert re.fullmatch(r"\.\./\.\./images/ruong-360\.\w+\.jpg", img["src"])
        assert re.fullmatch(r"\.\./\.\./images/ruong-360\.\w+\.jpg 360w, "
                            r"\.\./\.\./images/ruong-720\.\w+\.jpg 720w", img["srcset"])
        assert source["sizes"] == img["sizes"] and "100vw" in img["sizes"]
        assert (img["width"], img["height"]) == ("720", "960")  # the space is reserved
        assert img["alt"]
    lead, body = (tags(p, "img") for p in pictures)
    assert "loading" not in lead  # the lead image is wanted at once
    assert body["loading"] == "lazy"


def tags(html: str, name: str) -> dict[str, str]:
    """The attributes of the first <name> tag in html."""
    from html.parser import HTMLParser

    found: list[dict[str, str]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == name and not found:
                found.append({k: v or "" for k, v in attrs})

    Parser().feed(html)
    assert found, f"no <{name}> in {html}"
    return found[0]


def test_processed_copies_are_reused_from_the_cache(photo_site, tmp_path, monkeypatch):
    site, out = photo_site
    from loa import assets
    calls = []
    monkeypatch.setattr(assets, "_resize", lambda *a: calls.append(a) or [])
    result = build(site, tmp_path / "again")
    assert result.code == 0 and calls == []  # nothing decoded: the cache had every copy
    assert copies(tmp_path / "again") == copies(out)


def test_a_broken_image_is_a_clear_error(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "static" / "images" / "hong.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    assert re.search(r"^static/images/hong\.jpg: không đọc được ảnh này", result.err, re.M)
    assert "Traceback" not in result.err


def without_markers(data: bytes) -> bytes:
    """A JPEG's picture: its bytes from the start of the scan on."""
    return data[data.index(b"\xff\xda"):]


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> tuple[Path, Path]:
    """Originals as they come: a sideways phone photo with GPS; an upright one with GPS,
    XMP and a comment; a PNG with text and EXIF chunks."""
    root = tmp_path_factory.mktemp("originals")
    site = copy_site(SITES / "minimal", root / "site")
    images = site / "static" / "images"
    make_photo(images / "nghieng.jpg", 600, 800)
    upright = Image.open(make_photo(images / "tmp.jpg", 600, 800)).transpose(
        Image.Transpose.ROTATE_270)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (9.0, 17.0, 42.0), 3: "E", 4: (105.0, 43.0, 26.0)}
    exif[0x010F] = "Loa test camera"
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=90, exif=exif, comment=b"ap Phu Hoa, nha chi Mai")
    data = buffer.getvalue()
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>GPSLatitude 9,17.7N</x:xmpmeta>"
    data = data[:2] + b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp + data[2:]
    (images / "thang.jpg").write_bytes(data)
    (images / "tmp.jpg").unlink()
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "ap Phu Hoa, nha chi Mai")
    Image.new("RGB", (400, 300), (20, 120, 60)).save(images / "ban-do.png", pnginfo=info,
                                                      exif=exif)
    run = build(site, root / "out")
    assert run.code == 0, run.err
    return images, root / "out" / "images"


@pytest.mark.parametrize("name", ["nghieng.jpg", "thang.jpg", "ban-do.png"])
def test_an_original_is_published_without_where_it_was_taken(originals, name):
    """A link may lead to a photo's original: it carries no GPS position, camera, comment
    or text of the phone's, and shows upright."""
    source, out = originals
    published = (out / name).read_bytes()
    for secret in (b"Exif", b"Loa test camera", b"GPS", b"Phu Hoa", b"xmpmeta"):
        assert secret not in published, (name, secret)
    picture = Image.open(io.BytesIO(published))
    assert not picture.getexif() and "Location" not in picture.info
    upright = (600, 800) if name == "nghieng.jpg" else Image.open(source / name).size
    assert picture.size == upright  # (the sideways one is turned)


def test_an_upright_jpeg_keeps_its_picture_bit_for_bit(originals):
    source, out = originals
    assert without_markers((out / "thang.jpg").read_bytes()) == without_markers(
        (source / "thang.jpg").read_bytes())
