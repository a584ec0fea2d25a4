"""End-to-end builds through the command line, on fixture sites and the sample site."""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from helpers import (LISTEN_SCRIPT, OFFLINE_SCRIPT, PLAYER, PRINT_SCRIPT, ROOT, SITES, TODAY,
                     build, copy_site, hrefs, parse_html, run_cli, scripts_but_loas)

INVALID = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_site_has_a_page_for_every_article_section_home_and_404(sample_site):
    # (translations, `x.km.md`, are the same article in another language)
    articles = [p for p in (ROOT / "content").rglob("*.md")
                if not p.name.startswith("_index") and p.suffixes == [".md"]]
    assert len(articles) >= 12
    for section in ("policies", "stories", "guides"):
        originals = [p for p in (ROOT / "content" / section).glob("*.md") if p.suffixes == [".md"]]
        assert len(originals) >= 5  # 4+ and _index
        for lang in ("", "km/", "en/"):  # each article in every language, translated or not
            assert (sample_site / f"{lang}{section}" / "index.html").is_file()
            for article in originals:
                if article.name != "_index.md":
                    page = sample_site / f"{lang}{section}" / article.stem / "index.html"
                    assert page.is_file(), (lang, article)
    assert (sample_site / "index.html").is_file() and (sample_site / "404.html").is_file()
    assert (sample_site / "gioi-thieu" / "index.html").is_file()
    assert (sample_site / "km" / "gioi-thieu" / "index.html").is_file()


def test_sample_policy_page_shows_its_legal_facts(sample_site):
    html = (sample_site / "policies" / "chuong-trinh-giam-ngheo-ben-vung" / "index.html"
            ).read_text(encoding="utf-8")
    assert "90/QĐ-TTg" in html and "18/01/2022" in html
    assert "Hết hiệu lực" in html  # it expired on 31/12/2025, before the test's build date


def test_building_twice_gives_identical_bytes(tmp_path):
    assert build(ROOT, tmp_path / "one").code == 0
    assert build(ROOT, tmp_path / "two").code == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


@pytest.mark.parametrize("case", INVALID)
def test_invalid_site_reports_its_error_and_keeps_the_previous_site(tmp_path, case):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "public"
    assert build(site, out).code == 0
    before = tree(out)
    shutil.copytree(SITES / "invalid" / case, site, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expected.txt"))
    result = build(site, out)
    assert result.code == 1
    assert "Traceback" not in result.err
    for line in (SITES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in result.err.splitlines(), f"expected:\n{line}\ngot:\n{result.err}"
    assert tree(out) == before  # byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]  # no temp left


def test_every_problem_is_reported_in_one_run(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    for case in ("bad-date", "tags-number", "slug-traversal"):
        source = SITES / "invalid" / case / "content" / "guides" / "bad.md"
        shutil.copy(source, site / "content" / "guides" / f"{case}.md")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ".md:" in line and "cảnh báo" not in line]
    assert {line.split(":")[0] for line in errors} == {
        "content/guides/bad-date.md", "content/guides/tags-number.md",
        "content/guides/slug-traversal.md"}


def test_scripts_event_handlers_and_javascript_urls_never_reach_the_output(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content" / "guides" / "tan-cong.md").write_text(
        "---\ntitle: \"Thử tấn công\"\ndate: 2024-01-01\n---\n"
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n",
        encoding="utf-8")
    assert build(site, tmp_path / "out").code == 0
    html = (tmp_path / "out" / "guides" / "tan-cong" / "index.html").read_text(encoding="utf-8")
    # Loa's own only: the offline notice's, the listen button's and its player's
    assert html.lower().count("<script") == 3 and OFFLINE_SCRIPT in html and LISTEN_SCRIPT in html
    assert scripts_but_loas(parse_html(html)) == []
    assert not re.search(r"\son\w+\s*=", html, re.IGNORECASE)
    assert "javascript:" not in html.lower()


def test_decomposed_unicode_gives_the_same_url_and_bytes(tmp_path):
    title = "Đăng ký 4G cho hộ nghèo"
    outputs = {}
    for form in ("NFC", "NFD"):
        site = copy_site(SITES / "minimal", tmp_path / form / "site")
        name = unicodedata.normalize(form, title) + ".md"
        text = f"---\ntitle: \"{title}\"\ndate: 2024-01-01\n---\nNội dung về {title}.\n"
        (site / "content" / "guides" / name).write_bytes(
            unicodedata.normalize(form, text).encode("utf-8"))
        assert build(site, tmp_path / form / "out").code == 0
        outputs[form] = tree(tmp_path / form / "out")
    assert "guides/dang-ky-4g-cho-ho-ngheo/index.html" in outputs["NFC"]
    assert outputs["NFC"] == outputs["NFD"]


def test_minimal_site_pages_links_and_redirects(tmp_path):
    out = tmp_path / "out"
    assert build(SITES / "minimal", out).code == 0
    guide = (out / "guides" / "cai-vneid" / "index.html").read_text(encoding="utf-8")
    assert "href=../../policies/ho-tro-4g/index.html#ai-duoc-ho-tro>" in guide
    assert "<h2 id=buoc-1-tai-ung-dung>" in guide
    assert "05/03/2024" in guide and "15 phút" in guide
    redirect = (out / "cu" / "vneid" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../guides/cai-vneid/index.html"' in redirect
    listing = (out / "guides" / "index.html").read_text(encoding="utf-8")
    # sort: weight puts the weighted guide first although it is older
    assert listing.index("Cài đặt VNeID") < listing.index("Tham gia nhóm Zalo")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "1,7%" in home and "Chào mừng" in home


def test_drafts_and_future_pages_only_on_request(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    guides = site / "content" / "guides"
    (guides / "nhap.md").write_text("---\ntitle: \"Nháp\"\ndate: 2024-01-01\ndraft: true\n---\n",
                                    encoding="utf-8")
    (guides / "sap-toi.md").write_text("---\ntitle: \"Sắp tới\"\ndate: 2026-12-01\n---\n",
                                       encoding="utf-8")
    assert build(site, tmp_path / "a").code == 0
    assert not (tmp_path / "a" / "guides" / "nhap").exists()
    assert not (tmp_path / "a" / "guides" / "sap-toi").exists()
    assert "Sắp tới" not in (tmp_path / "a" / "guides" / "index.html").read_text(encoding="utf-8")
    assert build(site, tmp_path / "b", "--drafts", "--future").code == 0
    assert (tmp_path / "b" / "guides" / "nhap" / "index.html").is_file()
    assert (tmp_path / "b" / "guides" / "sap-toi" / "index.html").is_file()
    # On its day the scheduled page appears by itself.
    result = run_cli("build", "--source", site, "--out", tmp_path / "c", "--today", "2026-12-01")
    assert result.code == 0 and (tmp_path / "c" / "guides" / "sap-toi" / "index.html").is_file()


def test_404_links_start_from_the_site_root_when_base_url_is_known(tmp_path):
    assert build(SITES / "minimal", tmp_path / "a").code == 0
    assert "guides/index.html" in hrefs((tmp_path / "a" / "404.html").read_text(encoding="utf-8"))
    assert build(SITES / "minimal", tmp_path / "b", "--base-url", "https://x.gov.vn/cong").code == 0
    page = (tmp_path / "b" / "404.html").read_text(encoding="utf-8")
    links = hrefs(page)
    assert "/cong/guides/index.html" in links and "/cong/index.html" in links
    assert "<base" not in page and not [h for h in links if "x.gov.vn" in h]  # same host
    article = (tmp_path / "b" / "guides" / "zalo" / "index.html").read_text(encoding="utf-8")
    assert "<link href=https://x.gov.vn/cong/guides/zalo/ rel=canonical>" in article


def test_check_writes_nothing_and_reports(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    assert run_cli("check", "--source", site).code == 0
    shutil.copytree(SITES / "invalid" / "bad-date", site, dirs_exist_ok=True)
    result = run_cli("check", "--source", site)
    assert result.code == 1 and "content/guides/bad.md:3:" in result.err
    assert not (site / "public").exists()


def test_new_creates_a_valid_article_and_never_overwrites(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    # dated the day the site is built as (TODAY), not the clock's day
    result = run_cli("new", "--source", site, "--today", TODAY, "guides",
                     "Cách dùng \"Zalo\": bước đầu")
    assert result.code == 0
    path = site / "content" / "guides" / "cach-dung-zalo-buoc-dau.md"
    assert result.out.strip() == path.as_posix()
    assert build(site, tmp_path / "out").code == 0
    page = (tmp_path / "out" / "guides" / "cach-dung-zalo-buoc-dau" / "index.html")
    assert "<h1>Cách dùng \"Zalo\": bước đầu</h1>" in page.read_text(encoding="utf-8")
    assert run_cli("new", "--source", site, "guides", "Cách dùng \"Zalo\": bước đầu").code == 1
    assert run_cli("new", "--source", site, "news", "Tin").code == 2


def test_a_new_policy_is_a_draft_whose_first_build_passes_and_says_what_to_fill(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    result = run_cli("new", "--source", site, "--today", TODAY, "policies", "Hỗ trợ điện thoại")
    assert result.code == 0, result.err
    text = Path(result.out.strip()).read_text(encoding="utf-8")
    assert 'issuer: ""  # cơ quan ban hành' in text and "draft: true" in text
    built = build(site, tmp_path / "out")
    assert built.code == 0, built.err
    made = Path(result.out.strip()).relative_to(site).as_posix()
    assert f"{made}:9: cảnh báo: trường 'issuer' đang để trống" in built.err
    assert not (tmp_path / "out" / "policies" / Path(made).stem).exists()


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("build", "--no-such-flag").code == 2
    assert run_cli("build", "--today", "31/12/2024").code == 2
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thu.docx").write_bytes(b"x")
    result = build(SITES / "minimal", documents)
    assert result.code == 2 and (documents / "thu.docx").read_bytes() == b"x"


def test_a_folder_with_no_config_is_a_clear_error(tmp_path):
    result = build(tmp_path, tmp_path / "out")
    assert result.code == 1 and result.err.startswith("site_config.yaml: ")


def test_long_lists_are_paginated(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "items_per_page: 1\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(site, out).code == 0
    first = (out / "guides" / "index.html").read_text(encoding="utf-8")
    second = (out / "guides" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert "Cài đặt VNeID" in first and "Tham gia nhóm Zalo" not in first
    assert "Tham gia nhóm Zalo" in second and "Cài đặt VNeID" not in second
    assert "<link href=page/2/index.html rel=next>" in first
    assert "<link href=../../index.html rel=prev>" in second
    assert "Các bước làm từng việc." in first and "Các bước làm từng việc." not in second
    assert not (out / "guides" / "page" / "3").exists()


def test_a_page_over_its_budget_fails_the_build_naming_it(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "budgets:\n  page_gzip_bytes: 3000\n",
                      encoding="utf-8")
    # Text that does not compress away: 400 distinct sentences.
    body = "\n\n".join(f"Câu thứ {i}: bà con ấp {i * 7919 % 1000} hỏi về hỗ trợ {i * 31}."
                       for i in range(400))
    (site / "content" / "guides" / "dai.md").write_text(
        f"---\ntitle: \"Bài rất dài\"\ndate: 2024-01-01\n---\n{body}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build(site, out)
    assert result.code == 1 and not out.exists()
    assert re.search(r"^content/guides/dai\.md: trang guides/dai/index\.html nặng [\d.]+ byte "
                     r"\(nén gzip\), vượt ngân sách 3.000 byte — ", result.err, re.M), result.err


def test_a_successful_build_prints_what_pages_weigh(tmp_path):
    result = build(SITES / "minimal", tmp_path / "out")
    assert result.code == 0
    assert re.search(r"^Mỗi trang: trung vị [\d.]+ byte cả ảnh \([\d.]+ byte HTML nén, nặng nhất "
                     r"[\d.]+\); trang nặng nhất: [\w/.-]+index\.html, [\d.]+ byte\.$",
                     result.out, re.M), result.out


def test_text_files_have_precompressed_copies_and_html_is_minified(sample_site):
    import brotli
    import gzip
    page = sample_site / "guides" / "cai-dat-vneid" / "index.html"
    html = page.read_bytes()
    assert gzip.decompress((sample_site / "guides/cai-dat-vneid/index.html.gz").read_bytes()) == html
    assert brotli.decompress((sample_site / "guides/cai-dat-vneid/index.html.br").read_bytes()) == html
    assert b"\n\n" not in html and b"<html lang=vi><head>" in html
    from loa.assets import TEXT
    from loa.output import PACK_MIN
    for file in sample_site.rglob("*"):  # copies where they pay: text of 1,024 bytes or more
        if file.name.endswith(TEXT):
            for suffix in (".gz", ".br"):
                assert file.with_name(file.name + suffix).is_file() == (
                    file.stat().st_size >= PACK_MIN), file


def test_every_sample_page_is_one_light_self_contained_response(sample_site):
    """No script (but the offline notice's, the hint for readers inside Zalo, next to a
    PDF, the search page's loader, a leaflet's print button, and the listen button's on
    articles, whose player is fetched only when the phone has a voice), each under 300
    characters, no web font, nothing fetched from another origin, first response small."""
    import gzip
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) >= 30
    for page in pages:
        html = page.read_bytes()
        assert len(gzip.compress(html, 9)) <= 14_600, page
        tree = parse_html(html.decode("utf-8"))
        scripts = ["".join(s.itertext()) for s in tree.iter("script") if not s.get("src")]
        allowed = ("/Zalo/i.test(navigator.userAgent)", "(function(f,d){var l=function(){",
                   OFFLINE_SCRIPT, LISTEN_SCRIPT, PRINT_SCRIPT)
        assert all(s.startswith(allowed) and len(s) < 300 for s in scripts), (page, scripts)
        players = [s.get("src") for s in tree.iter("script") if s.get("src")]
        assert all(PLAYER.fullmatch(src) for src in players), (page, players)
        if players:  # (inert until the listen button's script puts it in the page)
            assert re.search(rb"<template id=listen-js><script src=[^>]+></script></template>",
                             html), page
        if any(s.startswith(allowed[1]) for s in scripts):
            assert page.parent.name == "tim-kiem"
        if any(s.startswith(allowed[4]) for s in scripts):
            assert page.parent.name == "to-roi" and page.parent.parent.name != "", page
        offline = [s for s in scripts if s.startswith(OFFLINE_SCRIPT)]
        assert len(offline) == (0 if b"http-equiv=refresh" in html else 1), (page, scripts)
        assert b"@font-face" not in html, page
        fetched = [e.get("src") for e in tree.iter() if e.get("src")]
        fetched += [s.split()[0] for e in tree.iter("source") for s in e.get("srcset").split(",")]
        fetched += [e.get("href") for e in tree.iter("link")
                    if e.get("rel") not in ("canonical", "alternate")]
        for url in fetched:
            assert "//" not in url or url.startswith("data:"), f"{page} fetches {url}"


def test_check_passes_the_sample_site():
    result = run_cli("check", "--source", ROOT, "--today", "2026-11-29", "--strict")
    assert result.code == 0, result.err
    assert result.out.strip() == "Kiểm tra xong: 0 lỗi, 0 cảnh báo."


def test_check_reports_one_of_each_problem_in_one_run(tmp_path):
    """tests/sites/problems holds one of each: config key, date, type, required field,
    misspelt field, duplicate URL, link, anchor, image, alt text, policy field, dataset,
    page-weight budget (of an article, its loudspeaker script's page, and its leaflet)."""
    site = SITES / "problems"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run_cli("check", "--source", site, "--today", "2026-11-29")
    assert result.code == 1
    expected = (site / "expected.txt").read_text(encoding="utf-8").splitlines()
    # A page's weight moves with the theme: expected.txt has N in its place.
    assert [re.sub(r"nặng [\d.]+ byte", "nặng N byte", line)
            for line in result.err.splitlines()] == expected
    assert len(expected) == 15 and len({line.split(":")[0] for line in expected}) == 11
    assert result.out.strip() == "Kiểm tra xong: 15 lỗi, 0 cảnh báo."
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before  # wrote nothing


def test_warnings_are_shown_and_strict_makes_them_errors(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content" / "guides" / "h1.md").write_text(
        "---\ntitle: \"Có đề mục cấp 1\"\ndate: 2024-01-01\nsummary: \"Có.\"\n---\n"
        "Đoạn.\n\n# Đề mục lớn\n", encoding="utf-8")
    result = run_cli("check", "--source", site, "--today", "2026-11-29")
    assert result.code == 0
    assert ("content/guides/h1.md:8: cảnh báo: bài dùng đề mục cấp 1 ('# …'), trong khi tiêu đề "
            "bài đã là đề mục cấp 1 — đổi thành '## …' (hai dấu #)") in result.err.splitlines()
    assert "content/guides/zalo.md:1: cảnh báo: bài chưa có tóm tắt (summary)" in result.err
    assert run_cli("check", "--source", site, "--today", "2026-11-29", "--strict").code == 1
    assert build(site, tmp_path / "out").code == 0  # warnings never stop a build


STORIES_ONLY = """title: "Cổng xã Tân Thành"
sections:
  - name: stories
    title: "Gương thoát nghèo"
    type: story
menu:
""" + "".join(f'  - title: "{t}"\n    url: {u}\n' for t, u in [
    ("Trang chủ", "/"), ("Tờ rơi", "/to-roi/"), ("Số liệu", "/thong-ke/"),
    ("Chủ đề", "/chu-de/"), ("Địa bàn", "/dia-ban/"), ("Tìm kiếm", "/tim-kiem/")])


def test_a_portal_of_stories_only_builds_and_its_built_in_pages_say_they_are_empty(tmp_path):
    site = tmp_path / "site"
    (site / "content" / "stories").mkdir(parents=True)
    (site / "site_config.yaml").write_text(STORIES_ONLY, encoding="utf-8")
    (site / "content" / "stories" / "chi-hoa.md").write_text(
        '---\ntitle: "Chị Hoa nuôi gà"\ndate: 2026-01-05\nsummary: "Học qua điện thoại."\n'
        "---\nChị Hoa học nuôi gà qua video.\n", encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.code == 0, result.err
    for page, words in [("to-roi", "Chưa có tờ rơi nào."), ("thong-ke", "Chưa có số liệu nào"),
                        ("chu-de", "Chưa có bài nào được xếp vào đây."),
                        ("dia-ban", "Chưa có bài nào được xếp vào đây.")]:
        assert words in (tmp_path / "out" / page / "index.html").read_text(encoding="utf-8")


def test_figures_are_written_as_each_language_writes_numbers(tmp_path):
    # '4.177' is 4,177 in Vietnamese and four point one in English: a wrong figure
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "data" / "to.yaml").write_text(
        'members:\n  title: "Thành viên tổ công nghệ số"\n  unit: people\n'
        '  source: "UBND tỉnh"\n  as_of: 2024-01-01\n  series:\n    2023: 3950.5\n'
        '    2024: 4177\n', encoding="utf-8")
    config = (site / "site_config.yaml").read_text(encoding="utf-8")
    (site / "site_config.yaml").write_text(
        config + "languages: [en]\n" + "key_figures:\n  - stat: to.members\n"
        '    label: "thành viên tổ công nghệ số"\n' if "key_figures" not in config else
        config.replace("key_figures:\n", 'key_figures:\n  - stat: to.members\n'
                       '    label: "thành viên tổ công nghệ số"\n') + "languages: [en]\n",
        encoding="utf-8")
    body = "Có {{ stat to.members }} thành viên.\n\n{{ chart to.members }}\n"
    (site / "content" / "guides" / "zalo.en.md").write_text(
        '---\ntitle: "Zalo"\n---\n' + body, encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.code == 0, result.err
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    home_en = (tmp_path / "out" / "en" / "index.html").read_text(encoding="utf-8")
    assert "<strong>4.177</strong>" in home and "<strong>4,177</strong>" in home_en
    assert "4.177 người" not in home  # the card's label says what it counts: no unit twice
    article = (tmp_path / "out" / "en" / "guides" / "zalo" / "index.html").read_text(
        encoding="utf-8")
    assert "4,177 people" in article and "3,950.5" in article  # the text and the chart
    assert "4.177" not in article and "3.950,5" not in article
