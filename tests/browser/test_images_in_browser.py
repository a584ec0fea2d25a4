"""What a phone really downloads for a camera photo, measured in Chromium."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from helpers import SITES, build, copy_site, make_photo, serve

ARTICLE = """---
title: "Ảnh chụp ở ruộng"
date: 2024-05-01
image: /images/ruong.jpg
image_alt: "Cánh đồng lúa tôm ở Phước Long"
---
Đoạn đầu.
"""


@pytest.fixture(scope="module")
def photo_page(tmp_path_factory):
    root = tmp_path_factory.mktemp("photo-browser")
    site = copy_site(SITES / "minimal", root / "site")
    make_photo(site / "static" / "images" / "ruong.jpg")  # 3000 x 4000, EXIF with GPS
    (site / "content" / "stories" / "anh-chup.md").write_text(ARTICLE, encoding="utf-8")
    assert build(site, root / "out").code == 0
    with serve(root / "out") as base:
        yield base + "stories/anh-chup/index.html"


def test_a_360px_phone_downloads_a_small_upright_lead_image_without_exif(new_page, photo_page):
    page = new_page(360, 740, js=False)
    images = []
    page.on("response", lambda r: images.append(r) if r.request.resource_type == "image" else None)
    page.goto(photo_page)
    page.wait_for_load_state("load")
    photos = [r for r in images if "ruong" in r.url]
    assert len(photos) == 1, [r.url for r in photos]
    body = photos[0].body()
    assert photos[0].url.endswith(".webp") and "ruong-360." in photos[0].url
    assert len(body) <= 40_000, f"the phone downloaded {len(body)} bytes"
    picture = Image.open(io.BytesIO(body))
    assert picture.size == (360, 480) and not picture.getexif()
    # The space was reserved before the image arrived: width and height are in the HTML.
    img = page.locator("main img").first
    assert (img.get_attribute("width"), img.get_attribute("height")) == ("720", "960")
    box = img.bounding_box()
    assert box["width"] <= 360 and abs(box["height"] / box["width"] - 4 / 3) < 0.01
