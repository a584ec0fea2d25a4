"""A leaflet's body (the outline of its article's) and its QR code (loa/leaflet.py)."""
import gzip
import re

import pytest

from loa.leaflet import blocks, links_one_level_down, outline, qr_svg

GUIDE = """<p>Lời mở đầu, tóm tắt đã nói thay.</p>
<p>Đoạn thứ hai của phần mở đầu.</p>
<h2 id="buoc-1">Bước 1: Chuẩn bị</h2>
<p>Bà con cần:</p>
<ul>
<li>Thẻ căn cước <strong>có gắn chip</strong>.</li>
<li>Điện thoại.</li>
</ul>
<p>Đoạn sau danh sách.</p>
<h2 id="buoc-2">Bước 2: Đặt mật khẩu</h2>
<p>Đoạn đầu của bước 2: <a href="../x/index.html">xem thêm</a>.</p>
<p>Đoạn thứ hai của bước 2.</p>
<h2 id="so-lieu">Số liệu</h2>
<table><thead><tr><th>Nội dung</th></tr></thead><tbody><tr><td>1,7%</td></tr></tbody></table>
<h3 id="chi-tiet">Chi tiết</h3>
<blockquote><p>Trích dẫn.</p></blockquote>
<hr>
<ol start="3"><li>Bước ba.</li></ol>"""


def test_blocks_are_the_top_level_elements_in_order():
    found = blocks('<h2 id="a">A <em>b</em></h2>\n<p>x<br>y</p><hr><ul><li><p>z</p></li></ul>')
    assert found == [("h2", '<h2 id="a">A <em>b</em></h2>'), ("p", "<p>x<br>y</p>"),
                     ("ul", "<ul><li><p>z</p></li></ul>")]


def test_blocks_are_not_fooled_by_markup_in_attributes_or_text():
    html = '<p title="<h2>x</h2>">a &lt;h2&gt; b</p><ul><li>c</li></ul>'
    assert [tag for tag, _ in blocks(html)] == ["p", "ul"]
    assert "".join(text for _, text in blocks(html)) == html


def test_outline_keeps_headings_lists_tables_and_a_first_paragraph_where_nothing_else():
    kept = outline(GUIDE)
    assert [tag for tag, _ in blocks(kept)] == ["h2", "ul", "h2", "p", "h2", "table", "h3",
                                                "ol"]
    assert "Lời mở đầu" not in kept  # the summary stands for the opening text
    assert "Bà con cần" not in kept and "Đoạn sau danh sách" not in kept
    assert "Đoạn đầu của bước 2" in kept and "Đoạn thứ hai của bước 2" not in kept
    assert "Trích dẫn" not in kept
    assert '<ol start="3">' in kept and "<strong>có gắn chip</strong>" in kept


def test_outline_of_a_body_without_headings_or_lists_is_empty():
    assert outline("<p>Chỉ có một đoạn.</p>") == ""
    assert outline("") == ""


def test_outline_keeps_a_list_before_the_first_heading():
    assert outline("<p>Mở đầu.</p><ul><li>a</li></ul>") == "<ul><li>a</li></ul>"


def test_links_in_a_body_move_one_folder_down():
    html = ('<p><a href="../x/index.html#a">x</a> <a title="t" href="#b">b</a> '
            '<a href="https://dichvucong.gov.vn/">c</a> <abbr title="../y">y</abbr></p>')
    assert links_one_level_down(html) == (
        '<p><a href="../../x/index.html#a">x</a> <a title="t" href="#b">b</a> '
        '<a href="https://dichvucong.gov.vn/">c</a> <abbr title="../y">y</abbr></p>')


def modules(svg: str) -> list[list[bool]]:
    """The dark modules of a QR code drawn by qr_svg, read back from its one <path>: segno
    draws each row as `h` runs of stroke width 1 along y + 0.5, joined by relative moves."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[False] * size for _ in range(size)]
    path = re.search(r'<path [^>]*\bd="([^"]+)"', svg).group(1)
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            for column in range(int(x), int(x + values[0])):
                grid[int(y)][column] = True
            x += values[0]
    return grid


def decode(svg: str):
    """What a phone's QR reader makes of the SVG (zxing-cpp on the drawn modules)."""
    from PIL import Image
    import zxingcpp

    grid = modules(svg)
    scale = 8
    image = Image.new("L", (len(grid) * scale,) * 2, 255)
    for row, cells in enumerate(grid):
        for column, dark in enumerate(cells):
            if dark:
                image.paste(0, (column * scale, row * scale, (column + 1) * scale,
                                (row + 1) * scale))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{len(found)} QR codes read"
    return found[0]


URL = "https://giamngheo.example/guides/nhan-biet-lua-dao-qua-dien-thoai/"


def test_qr_code_reads_back_as_the_address_with_error_correction_m():
    code = decode(qr_svg(URL, "Mã QR"))
    assert code.text == URL
    assert code.ec_level == "M"


@pytest.mark.parametrize("length", [20, 45, 70, 100, 140, 200, 300])
def test_qr_codes_of_every_size_read_back_with_the_fixed_mask(length):
    # one mask for every code (no scoring of the eight): each size must still read
    path = "/guides/" + ("bai-huong-dan-" * 30)[:max(1, length - 33)] + "/"
    url = ("https://giamngheo.example" + path)[:length]
    code = decode(qr_svg(url, "Mã QR"))
    assert code.text == url


def test_qr_code_is_compact_inline_svg_announced_as_an_image():
    svg = qr_svg(URL, 'Mã QR dẫn đến "bài" <x>')
    assert svg.startswith('<svg role="img" aria-label="Mã QR dẫn đến &quot;bài&quot; &lt;x&gt;" '
                          'viewBox="0 0 ')
    assert svg.endswith("</svg>")
    assert "<?xml" not in svg and "xmlns" not in svg
    assert svg.count("<path") == 1 and "<rect" not in svg
    assert not re.search(r"<svg[^>]*\s(width|height)=", svg)  # sized by the stylesheet
    size = int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    assert size == 37 + 2 * 4  # version 5 (a 70-character address at level M), quiet zone 4
    assert len(gzip.compress(svg.encode())) < 800  # of a page's 14,600-byte budget


@pytest.mark.parametrize("url", [
    "https://giamngheo.example/guides/x/",
    "https://giamngheo.baclieu.gov.vn/portal/policies/" + "rat-dai-" * 20 + "/",
    "https://giamngheo.example/chính-sách/hỗ-trợ/",  # a base_url in Vietnamese
])
def test_qr_codes_of_other_addresses_read_back(url):
    assert decode(qr_svg(url, "x")).text == url
