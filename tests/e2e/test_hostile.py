"""Hostile and broken files dropped into a site: each build ends in a correct page or in
a clear `path:line: problem — fix` message with exit code 1 — never a traceback, never a
hang — and a failed build leaves the previously published folder byte for byte intact.

Every build here runs in a forked child process under a wall-clock guard, so a hang
fails the test (the child is killed) instead of blocking CI, and an exception escaping
the CLI fails it with the traceback an editor would have seen.
"""
from __future__ import annotations

import builtins
import io
import os
import re
from pathlib import Path

import pytest

from helpers import SITES, Run, build, copy_site, in_child, parse_html, scripts_but_loas

GUARD_SECONDS = 20  # against hangs only: every case here takes well under a second

FRONT = '---\ntitle: "Bài thử"\ndate: 2024-01-01\n---\n'  # 4 lines: the body starts on line 5

# The Vietnamese words the CLI prints (i18n/vi.yaml, section diagnostics): "problem — fix".
TOO_LARGE = ("tệp nặng {size} byte, quá giới hạn 2.000.000 byte của một bài — chia thành nhiều "
             "bài ngắn hơn; ảnh và tệp PDF đặt trong static/ chứ không dán vào bài")
TOO_DEEP = ("danh sách hoặc trích dẫn lồng nhau quá 16 tầng — bớt lồng: tách thành nhiều danh "
            "sách hoặc đoạn văn; mỗi tầng chỉ cần thụt 2–4 dấu cách")
YAML_ALIAS = ("dùng ký hiệu '&' / '*' của YAML (neo và bí danh), Loa không nhận — viết thẳng "
              "giá trị cho từng "
              "trường; nếu giá trị bắt đầu bằng '&' hoặc '*' thì đặt trong ngoặc kép")
NOT_TEXT = ("tệp có ký tự NUL, đây không phải tệp văn bản — mở lại bài bằng trình soạn thảo văn "
            "bản và lưu thành tệp .md (UTF-8); đừng đổi tên tệp Word hay ảnh thành .md")
SYMLINK = ("tệp này là liên kết tới nơi khác ngoài thư mục trang — chép tệp thật vào thư mục "
           "trang thay cho liên kết")
SLUG_PATH = ("slug '{value}' không được chứa '/', '\\' hay '..' — slug chỉ gồm chữ, số và dấu "
             "gạch nối, ví dụ 'ho-tro-4g'")
ALIAS_UNSAFE = ("địa chỉ cũ '{value}' không hợp lệ — viết địa chỉ cũ dạng '/thu-muc/ten-trang/', "
                "không có '..'")


# --- running a build under the guard ---

def guarded_build(site: Path, out: Path, forbid_opening: Path | None = None) -> Run:
    """`build(site, out)` in a forked child; fails the test on a hang or an exception.

    `forbid_opening`: a file the build must never open (the child refuses to open it).
    """
    return in_child(lambda: build(site, out),
                    lambda: forbid_opening is not None and _forbid(forbid_opening),
                    GUARD_SECONDS)


def _forbid(path: Path) -> None:
    forbidden = os.path.realpath(path)
    real_open = io.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and os.path.realpath(file) == forbidden:
            raise AssertionError(f"the build opened {file}, which it must refuse unread")
        return real_open(file, *args, **kwargs)

    io.open = builtins.open = guarded_open  # only in the child process


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the minimal site, built once: (site, output folder, its bytes)."""
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "public"
    first = guarded_build(site, out)
    assert first.code == 0, first.err
    return site, out, tree(out)


def assert_refused(result: Run, tmp_path: Path, out: Path, before: dict[str, bytes],
                   prefix: str, message: str) -> None:
    """Exit 1, the message printed as one `path:line: problem — fix` line, no traceback,
    the published folder unchanged and no temporary folder left beside it."""
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = result.err.splitlines()
    assert any(line.startswith(prefix) for line in lines), (
        f"no line starts {prefix!r}:\n{result.err}")
    assert any(line.startswith(prefix) and message in line for line in lines), (
        f"expected {prefix}…{message}\ngot:\n{result.err}")
    assert tree(out) == before  # byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]


def guides(site: Path) -> Path:
    return site / "content" / "guides"


# --- a. a 50 MB Markdown file ---

def test_a_50_mb_markdown_file_is_refused_unread(tmp_path, published):
    site, out, before = published
    big = guides(site) / "rat-lon.md"
    line = "Dòng văn bản lặp lại để làm một tệp rất lớn, như khi dán nhầm cả một kho dữ liệu.\n"
    block = (line * 10_000).encode("utf-8")
    with big.open("wb") as file:
        file.write(FRONT.encode("utf-8"))
        while file.tell() < 50_000_000:
            file.write(block)
    size = big.stat().st_size
    try:
        result = guarded_build(site, out, forbid_opening=big)
        assert_refused(result, tmp_path, out, before, "content/guides/rat-lon.md:1: ",
                       TOO_LARGE.format(size=f"{size:,}".replace(",", ".")))
    finally:
        big.unlink()  # pytest keeps recent tmp folders: no 50 MB left behind


# --- b. nesting far deeper than any article needs ---

def test_a_10000_level_blockquote_is_refused_at_its_line(tmp_path, published):
    site, out, before = published
    (guides(site) / "trich-dan.md").write_text(
        FRONT + "Mở đầu.\n\n" + ">" * 10_000 + " Lời trích.\n", encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/trich-dan.md:7: ", TOO_DEEP)


def test_a_200_level_indented_list_is_refused_at_the_first_line_too_deep(tmp_path, published):
    site, out, before = published
    items = "".join("  " * level + f"- mục {level}\n" for level in range(200))
    (guides(site) / "danh-sach.md").write_text(FRONT + "Mở đầu.\n\n" + items, encoding="utf-8")
    # Items start on line 7; the first one indented more than 16 levels x 4 spaces
    # (64) is level 33, at 66 spaces.
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/danh-sach.md:40: ", TOO_DEEP)


def test_a_10000_level_list_written_on_one_line_is_refused_at_its_line(tmp_path, published):
    # Indented, 10,000 levels would be ~100 MB (refused as too large); '- - - … x' nests
    # one list in the next on a single 20 KB line, as Markdown allows. (Before the
    # nesting check counted list markers, this reached Python-Markdown's recursive block
    # parser and escaped the CLI as a RecursionError.)
    site, out, before = published
    (guides(site) / "danh-sach.md").write_text(
        FRONT + "Mở đầu.\n\n" + "- " * 10_000 + "mục\n", encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/danh-sach.md:7: ", TOO_DEEP)


# --- c. a YAML "billion laughs" ---

# Nine levels of nine: 387 million "lol"s once expanded. The first anchor and the first
# alias share a line, so the line is right whichever of the two a message points at.
BOMB = """lol: [&a "lol", *a, *a, *a, *a, *a, *a, *a, *a]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_a_yaml_alias_bomb_in_front_matter_is_refused(tmp_path, published):
    site, out, before = published
    (guides(site) / "bom.md").write_text(
        '---\ntitle: "Bom"\ndate: 2024-01-01\n' + BOMB + "---\nNội dung.\n", encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/bom.md:4: ", YAML_ALIAS)


def test_a_yaml_alias_bomb_in_a_data_file_is_refused(tmp_path, published):
    site, out, before = published
    (site / "data" / "bom.yaml").write_text("# số liệu\n" + BOMB, encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "data/bom.yaml:2: ", YAML_ALIAS)


# --- d. binary files named .md ---

@pytest.mark.parametrize("data", [
    pytest.param(b"\0" * 1_000_000, id="1-MB-of-NUL"),
    pytest.param(("\ufeff" + FRONT + "Nội dung.\n").encode("utf-16-le"), id="saved-as-UTF-16"),
])
def test_a_file_of_nul_bytes_is_not_text(tmp_path, published, data):
    site, out, before = published
    (guides(site) / "nul.md").write_bytes(data)
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/nul.md:1: ", NOT_TEXT)


# --- e. Windows line ends and a byte-order mark ---

ARTICLE = """---
title: "Cách nạp thẻ cào"
date: 2024-02-01
summary: "Ba bước, ở bất kỳ cửa hàng nào trong ấp."
tags: [4g, "dịch vụ công"]
steps: 3
---
## Bước 1: Mua thẻ

Mua thẻ ở cửa hàng trong ấp.

- Thẻ 10.000 đồng
- Thẻ 20.000 đồng

| Gói | Giá |
| --- | --: |
| Ngày | 10.000 |

```
*100*mã thẻ#
```

> Giữ lại thẻ
> đến khi nạp xong.
"""


@pytest.mark.parametrize("ending, bom", [("\r\n", True), ("\r\n", False), ("\r", True)],
                         ids=["CRLF+BOM", "CRLF", "CR+BOM"])
def test_windows_line_ends_and_a_bom_give_the_same_bytes(tmp_path, ending, bom):
    outputs = {}
    for variant, data in (
            ("unix", ARTICLE.encode("utf-8")),
            ("windows", (("\ufeff" if bom else "") + ARTICLE.replace("\n", ending)
                         ).encode("utf-8"))):
        site = copy_site(SITES / "minimal", tmp_path / variant / "site")
        (guides(site) / "nap-the.md").write_bytes(data)
        result = guarded_build(site, tmp_path / variant / "out")
        assert result.code == 0 and "Traceback" not in result.err, result.err
        outputs[variant] = tree(tmp_path / variant / "out")
    page = "guides/nap-the/index.html"
    assert page in outputs["unix"]
    assert outputs["windows"][page] == outputs["unix"][page]
    assert outputs["windows"] == outputs["unix"]  # lists, home page and all


# --- f. a symlink to a file outside the site ---

@pytest.mark.parametrize("name", ["bi-mat.md", "bi-mat.txt"])
def test_a_symlink_out_of_the_site_is_refused_and_never_copied(tmp_path, published, name):
    site, out, before = published
    secret = "MẬT-KHẨU-NGOÀI-TRANG-7f3a9c"
    outside = tmp_path.parent / f"{tmp_path.name}-ngoai-{name}"
    outside.write_text(FRONT + secret + "\n", encoding="utf-8")
    try:
        (guides(site) / name).symlink_to(outside)
        result = guarded_build(site, out)
        assert_refused(result, tmp_path, out, before, f"content/guides/{name}:1: ", SYMLINK)
        for path, data in tree(out).items():
            assert secret.encode("utf-8") not in data, path
    finally:
        outside.unlink()


# --- g. paths that climb out of the output folder ---

def _no_evil(tmp_path: Path) -> None:
    assert not [p for p in tmp_path.rglob("*") if "evil" in p.name]


def test_a_slug_that_climbs_out_is_refused(tmp_path, published):
    site, out, before = published
    existed = {p: p.exists() for p in (Path("/tmp/evil"), tmp_path.parent / "evil")}
    value = "../../../../tmp/evil"
    (guides(site) / "xau.md").write_text(
        f'---\ntitle: "X"\ndate: 2024-01-01\nslug: {value}\n---\nX\n', encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/xau.md:4: ",
                   SLUG_PATH.format(value=value))
    _no_evil(tmp_path)
    assert {p: p.exists() for p in existed} == existed


@pytest.mark.parametrize("alias", ["/../../evil/", "/a/../../../evil/", "..\\..\\evil",
                                   "C:/evil/", "/./evil/"])
def test_an_alias_that_climbs_out_is_refused(tmp_path, published, alias):
    site, out, before = published
    quoted = alias.replace("\\", "\\\\")
    (guides(site) / "xau.md").write_text(
        f'---\ntitle: "X"\ndate: 2024-01-01\naliases: ["{quoted}"]\n---\nX\n', encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/xau.md:4: ",
                   ALIAS_UNSAFE.format(value=alias))
    _no_evil(tmp_path)


# --- h. raw HTML that tries to run something ---

RAW_HTML = """Văn bản an toàn trước.

<script>alert("s")</script>

<iframe src="https://evil.example/"></iframe>

<img src="/images/loa.svg" alt="loa" onerror="alert(2)">

<p onclick="alert(3)" onmouseover='alert(3)'>bấm</p>

[liên kết](javascript:alert(4))

<a href="JaVaScRiPt:alert(5)">a</a> <a href=" javascript:alert(6)">b</a>
<a href="jav&#x09;ascript:alert(7)">c</a> <a href="&#106;avascript:alert(8)">d</a>

<svg onload="alert(9)"><circle r="1"/></svg>

<svg><script>alert(10)</script></svg>

<div><object data="x.swf"></object><embed src="x.swf">
<form action="javascript:alert(11)"><button formaction="javascript:alert(12)">g</button></form></div>

<details open ontoggle="alert(13)"><summary>xem</summary>ẩn</details>

Văn bản an toàn sau.

<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>
"""

ACTIVE = {"script", "iframe", "frame", "object", "embed", "svg", "math", "style", "form",
          "button", "base", "meta"}


def _browser_url(value: str) -> str:
    """A URL as a browser reads it: control characters and whitespace ignored."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def test_scripts_frames_handlers_and_javascript_urls_are_removed(tmp_path, published):
    site, out, _ = published
    (guides(site) / "tan-cong.md").write_text(
        '---\ntitle: "Thử tấn công"\ndate: 2024-01-01\n---\n' + RAW_HTML, encoding="utf-8")
    result = guarded_build(site, out)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    html = (out / "guides" / "tan-cong" / "index.html").read_text(encoding="utf-8")
    document = parse_html(html)
    body = next(e for e in document.iter("div") if e.get("class") == "body")
    body_text = "".join(body.itertext())
    assert "Văn bản an toàn trước." in body_text and "Văn bản an toàn sau." in body_text
    assert not [e.tag for e in body.iter() if e.tag in ACTIVE]
    assert not [e.tag for e in document.iter() if e.tag in {"iframe", "svg", "object", "embed"}]
    assert scripts_but_loas(document) == []  # Loa's offline notice and listen button only
    for element in document.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            assert not _browser_url(value).startswith(("javascript:", "vbscript:", "data:text")), (
                element.tag, name, value)
    assert "alert(" not in body_text  # no script survives as text either


def test_a_raw_html_image_from_another_site_is_not_fetched(tmp_path, published):
    # Raw HTML is stashed by Python-Markdown, so the checks Markdown images get (no image
    # from another website) never saw an <img> written in HTML; nh3 used to keep its src.
    site, out, before = published
    (guides(site) / "anh-ngoai.md").write_text(
        FRONT + '<img src="https://tracker.example/p.gif" alt="điểm ảnh">\n', encoding="utf-8")
    result = guarded_build(site, out)
    assert "Traceback" not in result.err
    if result.code == 1:  # refused: with its file and line, and the site left as it was
        assert_refused(result, tmp_path, out, before, "content/guides/anh-ngoai.md:5: ", "")
    else:
        assert result.code == 0, result.err
        document = parse_html(tree(out)["guides/anh-ngoai/index.html"].decode("utf-8"))
        assert not [e.get("src") for e in document.iter("img") if "//" in e.get("src", "")]


def test_a_symlinked_folder_leading_outside_is_refused(tmp_path, published):
    site, out, before = published
    outside = tmp_path.parent / f"{tmp_path.name}-ngoai"  # beside, not inside, the test's folder
    outside.mkdir()
    (outside / "bi-mat.md").write_text(FRONT + "BÍ MẬT NGOÀI TRANG\n", encoding="utf-8")
    (guides(site) / "ngoai").symlink_to(outside, target_is_directory=True)
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/ngoai:1: ", "")


# --- files of static/ and content/ that a browser would run ---

HOSTILE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="10" height="10">'
               '<script>document.title="pwned"</script><rect width="10" height="10"/></svg>')


def test_an_svg_with_a_script_is_published_without_it(tmp_path, published):
    site, out, _ = published
    (site / "static" / "images" / "loa.svg").write_text(HOSTILE_SVG, encoding="utf-8")
    result = guarded_build(site, out)
    assert result.code == 0, result.err
    published_svg = (out / "images" / "loa.svg").read_text(encoding="utf-8")
    assert "<script" not in published_svg and "onload" not in published_svg
    assert '<rect width="10" height="10"/>' in published_svg
    assert "static/images/loa.svg: cảnh báo: " in result.err and "<script>, onload" in result.err


@pytest.mark.parametrize("name", ["static/xac-minh.html", "static/js/a.js", "static/a.xml",
                                  "content/guides/trang.htm", "static/b.XHTML"])
def test_a_file_a_browser_would_run_is_refused(tmp_path, published, name):
    site, out, before = published
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text("<script>alert(1)</script>", encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, f"{name}: ",
                   "trình duyệt có thể chạy tệp này như một chương trình của trang")


def test_a_trusted_file_is_published_as_it_is(tmp_path, published):
    site, out, _ = published
    (site / "static" / "google1234.html").write_text("google-site-verification: 1234",
                                                     encoding="utf-8")
    with (site / "site_config.yaml").open("a", encoding="utf-8") as config:
        config.write('trusted_files: ["/google1234.html"]\n')
    result = guarded_build(site, out)
    assert result.code == 0, result.err
    assert (out / "google1234.html").read_text() == "google-site-verification: 1234"


def test_an_article_cannot_take_the_skip_links_target(tmp_path, published):
    # `{: #main}` once gave a page three id=main, and the skip link led nowhere useful
    site, out, before = published
    (guides(site) / "id-main.md").write_text(FRONT + "Đoạn văn.\n{: #main}\n", encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/guides/id-main.md:6: ",
                   "mã '#main' đã được giao diện của trang dùng")


def test_an_id_the_layout_computes_is_caught_on_the_page(tmp_path, published):
    site, out, before = published
    home = site / "content" / "_index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n## S 1\n", encoding="utf-8")
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, "content/_index.md: ",
                   "mã '#s-1' có ở hai chỗ trên trang index.html")


def test_a_symlink_loop_and_a_dangling_link_are_named_and_refused(tmp_path, published):
    site, out, before = published
    (site / "static" / "vong-a").symlink_to(site / "static" / "vong-b")
    (site / "static" / "vong-b").symlink_to(site / "static" / "vong-a")
    (site / "static" / "mat.png").symlink_to(site / "static" / "khong-co.png")
    result = guarded_build(site, out)
    for name in ("vong-a", "vong-b", "mat.png"):
        assert_refused(result, tmp_path, out, before, f"static/{name}: ",
                       "liên kết này không dẫn tới tệp nào")


# --- templates that raise: the site's own code, told at its file and line ---

RECURSION = "mẫu trang gọi lại chính nó mãi không dừng"
BROKEN_TEMPLATES = {
    "a division by zero": (b'{% extends "base.html" %}\n{% block main %}{{ 1 // 0 }}'
                           b'{% endblock %}\n', 2, "lỗi trong mẫu trang: integer division"),
    "a macro calling itself": (b"{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", 1,
                               RECURSION),
    "a template extending itself": (b'{% extends "article.html" %}\n', 1, RECURSION),
    "bytes that are not UTF-8": (b"<p>{{ title }}</p>\n<p>\xff\xfe</p>\n", 2,
                                 "mẫu trang không phải văn bản UTF-8"),
}


@pytest.mark.parametrize("name", BROKEN_TEMPLATES)
def test_a_template_that_raises_is_named_at_its_line(tmp_path, published, name):
    site, out, before = published
    text, line, message = BROKEN_TEMPLATES[name]
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_bytes(text)
    result = guarded_build(site, out)
    assert_refused(result, tmp_path, out, before, f"templates/article.html:{line}: ", message)
