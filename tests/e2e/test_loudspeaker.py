"""Loudspeaker scripts (issue 8) built end to end: every sample article has a `loa.txt`
beside its page, written out for an announcer (no digits, addresses or abbreviations
left), and a page of its own in large type (`loa/`), which the article links to at its
end with the reading time (issue 15)."""
from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, SITES, build, copy_site, hrefs, parse_html

GLOSSARY = yaml.safe_load((ROOT / "data" / "viet-tat.yaml").read_text(encoding="utf-8"))
SECTIONS = ("policies", "stories", "guides")


def sample_articles() -> list[str]:
    """Output folders of the sample's articles, from its files (no `slug` field in it);
    translations (`x.km.md`) have no script: scripts are read in Vietnamese."""
    found = [f"{section}/{path.stem}" for section in SECTIONS
             for path in sorted((ROOT / "content" / section).glob("*.md"))
             if path.name != "_index.md" and path.suffixes == [".md"]]
    assert len(found) >= 15
    return found


def script_of(folder: Path) -> str:
    data = (folder / "loa.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    text = data[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "Windows line ends"
    return text.replace("\r\n", "\n")


@pytest.mark.parametrize("article", sample_articles())
def test_every_sample_article_has_a_script_with_everything_in_words(sample_site, article):
    text = script_of(sample_site / article)
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0].startswith("Bài: ") and " Đăng ngày " in paragraphs[0]
    assert paragraphs[-1].startswith("Bà con vừa nghe bài: ")
    assert len(paragraphs) >= 6
    assert not re.search(r"\d", text), "numbers, dates and percentages are words"
    assert not re.search(r"https?:|www\.|\.(?:vn|com)\b|\]\(|<|>|%|\{\{", text)
    for key in GLOSSARY:
        assert not re.search(rf"(?<![^\W\d_]){re.escape(key)}(?![^\W\d_])", text), key


@pytest.mark.parametrize("article", sample_articles())
def test_the_page_ends_with_the_link_to_its_script_page_with_its_reading_time(sample_site,
                                                                              article):
    html = (sample_site / article / "index.html").read_text(encoding="utf-8")
    # for announcers, not readers: last in the article, not under its title (issue 15)
    body = next(e for e in parse_html(html).iter("article"))
    last = [e for e in body if e.tag not in ("template", "script")][-1]  # (shown)
    assert last.get("class") == "meta loudspeaker"
    link = next(last.iter("a"))
    assert link.get("href") == "loa/index.html"
    assert link.text == "Dành cho cán bộ: bản đọc trên loa"
    assert "loa.txt" not in hrefs(html)
    # at 120 syllables a minute, one per word of the script, rounded, at least one
    syllables = len([w for w in script_of(sample_site / article).replace("-", " ").split()
                     if re.search(r"[^\W_]", w)])
    minutes = max(1, math.floor(syllables / 120 + 0.5))
    assert f"(đọc khoảng {minutes} phút)" in link.tail


@pytest.mark.parametrize("article", sample_articles())
def test_the_script_page_shows_the_script_in_paragraphs_and_offers_the_file(sample_site,
                                                                             article):
    html = (sample_site / article / "loa" / "index.html").read_text(encoding="utf-8")
    tree = parse_html(html)
    script = next(e for e in tree.iter("article") if e.get("class") == "script")
    shown = ["".join(p.itertext()) for p in script.iter("p")]
    assert shown == script_of(sample_site / article).strip().split("\n\n")
    assert "../loa.txt" in hrefs(html) and "../index.html" in hrefs(html)
    assert "Tải tệp văn bản (loa.txt)" in "".join(tree.itertext())
    assert re.search(r"\.script p\{font-size:1\.375rem", html)  # large type


def test_only_articles_have_scripts(sample_site):
    made = sorted(p.parent.relative_to(sample_site).as_posix()
                  for p in sample_site.rglob("loa.txt"))
    assert made == sorted(sample_articles())
    pages = sorted(p.parent.parent.relative_to(sample_site).as_posix()
                   for p in sample_site.rglob("loa/index.html"))
    assert pages == made
    for page in ("gioi-thieu", "km/guides/cai-dat-vneid", "km/guides/chuyen-sang-4g"):
        links = hrefs((sample_site / page / "index.html").read_text(encoding="utf-8"))
        assert "loa.txt" not in links and "loa/index.html" not in links


def test_what_the_sample_scripts_say(sample_site):
    plan = script_of(sample_site / "policies" / "ke-hoach-giam-ngheo-ve-thong-tin-2024")
    assert "Kế hoạch năm hai nghìn không trăm hai mươi tư của Ủy ban nhân dân tỉnh Bạc Liêu" in plan
    assert "đến hết ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm hai mươi tư." in plan
    assert "\nPhần: Tỉnh đang ở đâu.\n" in plan and "\nMục: Giữ cho loa ấp luôn nói.\n" in plan
    # a table row by row, a figure drawn by {{ stat }} read as its words
    assert "\nTỷ lệ hộ nghèo sau rà soát: một phẩy bảy phần trăm.\n" in plan
    assert "\nTrạm phát sóng di động (BTS): một nghìn hai trăm mười lăm trạm.\n" in plan
    # a chart: its caption and table, not its drawing
    assert "\nBảng số liệu: Hạ tầng thông tin và mức sử dụng điện thoại thông minh.\n" in plan
    program = script_of(sample_site / "policies" / "chuong-trinh-giam-ngheo-ben-vung")
    assert ("Quyết định số chín mươi của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu "
            "quốc gia giảm nghèo bền vững giai đoạn hai nghìn không trăm hai mươi mốt đến hai "
            "nghìn không trăm hai mươi lăm") in program
    guide = script_of(sample_site / "guides" / "cai-dat-vneid")
    assert "\nPhần: Bước một: Chuẩn bị giấy tờ và điện thoại.\n" in guide
    assert "\nThứ hai: Gõ tìm chữ VNeID.\n" in guide
    assert "đăng nhập Cổng Dịch vụ công quốc gia để nộp hồ sơ" in guide  # a link's words
    online = script_of(sample_site / "guides" / "nop-ho-so-dich-vu-cong")
    assert "gõ đúng địa chỉ: dichvucong chấm gov chấm vn." in online
    scams = script_of(sample_site / "guides" / "nhan-biet-lua-dao-qua-dien-thoai")
    assert "Khi khẩn cấp, gọi một một ba." in scams  # a telephone number, digit by digit


def test_southern_numbers_telephones_and_a_site_glossary(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "loudspeaker_numbers: south\n",
                      encoding="utf-8")
    (site / "data" / "viet-tat.yaml").write_text('HĐND: "Hội đồng nhân dân"\n', encoding="utf-8")
    (site / "content" / "stories" / "hop-dan.md").write_text(
        '---\ntitle: "HĐND xã họp dân"\ndate: 2024-05-06\nsummary: "Có 105 hộ dự."\n---\n'
        "Có 1.005 người nghe. Cần giúp, gọi đường dây nóng 0291 3822 123 hoặc gọi 113.\n",
        encoding="utf-8")
    # (were the glossary read as datasets, its text values would fail the build)
    assert build(site, tmp_path / "out").code == 0
    text = script_of(tmp_path / "out" / "stories" / "hop-dan")
    assert text.startswith("Bài: Hội đồng nhân dân xã họp dân. Đăng ngày sáu tháng năm năm hai "
                           "ngàn không trăm hai mươi tư.\n\nCó một trăm lẻ năm hộ dự.\n\n")
    assert ("Có một ngàn không trăm lẻ năm người nghe. Cần giúp, gọi đường dây nóng không hai "
            "chín một, ba tám hai hai, một hai ba hoặc gọi một một ba.") in text


def test_a_file_in_the_way_of_a_script_is_a_collision(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "static" / "guides" / "cai-vneid").mkdir(parents=True)
    (site / "static" / "guides" / "cai-vneid" / "loa.txt").write_text("x", encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    assert ("static/guides/cai-vneid/loa.txt:1: địa chỉ /guides/cai-vneid/loa.txt đã được dùng "
            "bởi content/guides/cai-vneid.md") in result.err


def test_a_page_in_the_way_of_a_script_page_is_a_collision(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content" / "guides" / "cu.md").write_text(
        '---\ntitle: "Cũ"\ndate: 2024-01-01\naliases: ["/guides/cai-vneid/loa/"]\n---\nx\n',
        encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.code == 1
    assert "content/guides/cu.md:4:" in result.err and "/guides/cai-vneid/loa/" in result.err


def test_a_glossary_error_keeps_the_published_site(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).code == 0
    before = (out / "guides" / "cai-vneid" / "loa.txt").read_bytes()
    shutil.copytree(SITES / "invalid" / "bad-glossary", site, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expected.txt"))
    result = build(site, out)
    assert result.code == 1
    assert (out / "guides" / "cai-vneid" / "loa.txt").read_bytes() == before
