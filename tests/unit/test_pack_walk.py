"""loa.pack: which files a reader reaches, and how links change in a section's pack (no disk)."""
import datetime as dt
import io
import zipfile

from loa import pack

PAGE = ('<!doctype html><html><head><link href={up}favicon.svg rel=icon></head><body>'
        '<a class=brand href={up}index.html>Trang chủ</a>{body}</body></html>')


def site(**pages: str) -> dict[str, bytes]:
    """Output path -> bytes; page bodies wrapped in a page with an icon and a home link."""
    files = {"favicon.svg": b"<svg/>", "images/a-360.webp": b"A", "images/a-720.webp": b"B",
             "images/nen.png": b"P", "images/lone.jpg": b"L", "sitemap.xml": b"<urlset/>"}
    for path, body in pages.items():
        up = "../" * path.count("/")
        files[path] = PAGE.format(up=up, body=body).encode()
    return files


SITE = site(**{
    "index.html": "<a href=guides/index.html>Hướng dẫn</a> <a href=policies/index.html>CS</a>",
    "guides/index.html": '<a href=x/index.html#buoc-2>X</a> <a href="../policies/index.html">CS</a>'
                         '<img src="../images/a-360.webp" alt="a">',
    "guides/x/index.html": '<picture><source srcset="../../images/a-360.webp 360w, '
                           '../../images/a-720.webp 720w"><img src=../../images/a-360.webp '
                           'alt="x > y &amp; z" hidden></picture><div style="background:url('
                           "'../../images/nen.png')\"></div><a href=https://vneid.gov.vn/>VNeID</a>"
                           '<a href="data:,">d</a><a href=#top>top</a>'
                           '<a href=../../policies/a/index.html>A</a>'
                           '<link href=../../policies/index.html rel=alternate>',
    "policies/index.html": "<a href=a/index.html>A</a><a href=gone/index.html>?</a>",
    "policies/a/index.html": "<p>Chính sách A</p>",
}) | {"guides/x/index.html.gz": b"gz"}


def test_the_whole_site_is_what_links_reach():
    packed = pack.collect(SITE.get)
    assert sorted(packed.files) == [
        "favicon.svg", "guides/index.html", "guides/x/index.html", "images/a-360.webp",
        "images/a-720.webp", "images/nen.png", "index.html", "policies/a/index.html",
        "policies/index.html"]
    assert packed.pages == 5
    assert packed.missing == [("policies/index.html", "gone/index.html")]
    for name, data in packed.files.items():  # nothing needed changing: the same bytes
        assert data == SITE[name], name


def test_a_section_links_out_to_the_site():
    packed = pack.collect(SITE.get, "guides", "https://x.example/")
    assert sorted(n for n in packed.files if n.endswith(".html")) == [
        "guides/index.html", "guides/x/index.html", "index.html"]
    assert "policies/a/index.html" not in packed.files and packed.pages == 3
    article = packed.files["guides/x/index.html"].decode()
    assert '<a href="https://x.example/policies/a/">A</a>' in article
    assert '<link href="https://x.example/policies/" rel="alternate">' in article
    assert "<a class=brand href=../../index.html>" in article  # the pack's own front page
    # untouched tags keep their bytes (entities, a ">" in quotes, bare attributes)
    assert 'alt="x > y &amp; z" hidden>' in article and "href=https://vneid.gov.vn/" in article


def test_without_base_url_outside_links_become_text():
    packed = pack.collect(SITE.get, "guides")
    article = packed.files["guides/x/index.html"].decode()
    assert "<a>A</a>" in article and article.count("<link") == 1  # the icon's only
    listing = packed.files["guides/index.html"].decode()
    assert "<a>CS</a>" in listing and "<a href=x/index.html#buoc-2>X</a>" in listing


def test_the_root_index_is_the_section_page_moved_up():
    packed = pack.collect(SITE.get, "guides", "https://x.example/")
    root = packed.files["index.html"].decode()
    assert '<link href="favicon.svg" rel="icon">' in root
    assert '<a class="brand" href="index.html">' in root
    assert '<a href="guides/x/index.html#buoc-2">X</a>' in root
    assert '<img src="images/a-360.webp" alt="a">' in root
    assert '<a href="https://x.example/policies/">CS</a>' in root


def test_references_are_read_like_a_browser_does():
    assert pack.target("guides/x/index.html", "../../images/a.webp?v=1#m") == (
        "images/a.webp", "?v=1#m")
    assert pack.target("guides/index.html", "x/") == ("guides/x/index.html", "")
    assert pack.target("guides/index.html", "%C4%91i/index.html") == ("guides/đi/index.html", "")
    for url in ("https://a.vn/", "//a.vn/x", "data:,", "mailto:a@b.vn", "#top", "", "/abs",
                "../../outside.html"):
        assert pack.target("guides/index.html", url) is None, url
    assert pack.online_url("https://x.example/", "guides/x/index.html") == "https://x.example/guides/x/"
    assert pack.online_url("https://x.example/", "index.html") == "https://x.example/"


def test_the_zip_is_the_same_bytes_for_the_same_files():
    files = {"b/index.html": b"<p>b</p>" * 50, "a.svg": b"<svg/>", "đ.txt": "đ".encode()}
    one = pack.zip_bytes(files, dt.date(2026, 11, 29))
    two = pack.zip_bytes(dict(reversed(list(files.items()))), dt.date(2026, 11, 29))
    assert one == two
    archive = zipfile.ZipFile(io.BytesIO(one))
    assert [i.filename for i in archive.infolist()] == ["a.svg", "b/index.html", "đ.txt"]
    assert all(i.date_time == (2026, 11, 29, 0, 0, 0) for i in archive.infolist())
    assert archive.read("b/index.html") == files["b/index.html"]
    assert archive.getinfo("b/index.html").compress_size < 100
    assert pack.zip_bytes(files, dt.date(2026, 11, 30)) != one


def test_a_page_script_and_the_folder_it_loads_from_are_packed():
    files = site(**{"index.html": "<a href=tim/index.html>Tìm</a>",
                    "tim/index.html": "<form data-index=i/ data-script=s.js></form>"}) | {
        "tim/s.js": b"s", "tim/i/0.a.js": b"0", "tim/i/manifest.b.js": b"m", "tim/x.js": b"x"}
    asked: list[str] = []

    def listing(folder: str) -> list[str]:
        asked.append(folder)
        return sorted(p for p in files if p.startswith(folder))

    packed = pack.collect(files.get, listing=listing)
    assert asked == ["tim/i/"]
    assert {"tim/s.js", "tim/i/0.a.js", "tim/i/manifest.b.js"} <= set(packed.files)
    assert "tim/x.js" not in packed.files and not packed.missing
    assert "tim/s.js" not in pack.collect(files.get, "guides").files  # not in a section's pack
