"""Loudspeaker scripts (loa/spoken.py): Vietnamese number words (issue 8, acceptance 2),
dates, percentages, telephone numbers, the glossary, and HTML bodies made into scripts."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loa import i18n, spoken
from loa.models import Page
from loa.spoken import (NORTH, STYLES, Glossary, Speech, date_words, integer_words,
                        number_words, parse_glossary, phone_words)

WORDS = i18n.load("vi")
SOUTH = STYLES["south"]
GLOSSARY = Glossary({"UBND": "Ủy ban nhân dân", "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
                     "MTTQ": "Mặt trận Tổ quốc", "CĐS": "chuyển đổi số", "TP": "thành phố",
                     "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ", "km": "ki-lô-mét",
                     "COVID-19": "Cô-vít mười chín"})
SPEECH = Speech(WORDS, GLOSSARY, NORTH, "Cổng thông tin thử")


def say(text: str) -> str:
    return SPEECH.say(text)


# --- acceptance 2: number words ------------------------------------------------------------

@pytest.mark.parametrize("number, words", [
    # units
    (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (9, "chín"),
    # tens: mười, then mốt, tư, lăm only after mươi
    (10, "mười"), (11, "mười một"), (14, "mười bốn"), (15, "mười lăm"), (20, "hai mươi"),
    (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"), (31, "ba mươi mốt"),
    (44, "bốn mươi tư"), (55, "năm mươi lăm"), (99, "chín mươi chín"),
    # hundreds, a lone units digit after linh
    (100, "một trăm"), (101, "một trăm linh một"), (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"), (110, "một trăm mười"), (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"), (999, "chín trăm chín mươi chín"),
    # thousands: zero hundreds are read inside a number
    (1000, "một nghìn"), (1005, "một nghìn không trăm linh năm"),
    (1050, "một nghìn không trăm năm mươi"), (1215, "một nghìn hai trăm mười lăm"),
    (2024, "hai nghìn không trăm hai mươi tư"), (10_000, "mười nghìn"),
    (21_000, "hai mươi mốt nghìn"), (100_000, "một trăm nghìn"),
    # millions and billions (tỷ), groups of zeros not read
    (1_000_000, "một triệu"), (1_000_005, "một triệu không trăm linh năm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_500_000, "một triệu năm trăm nghìn"), (2_000_000_000, "hai tỷ"),
    (2_000_000_005, "hai tỷ không trăm linh năm"), (1_000_000_000_000, "một nghìn tỷ"),
    # negatives
    (-5, "âm năm"),
])
def test_integer_words(number, words):
    assert integer_words(number) == words


def test_southern_reading_says_le_and_ngan():
    assert integer_words(105, SOUTH) == "một trăm lẻ năm"
    assert integer_words(1005, SOUTH) == "một ngàn không trăm lẻ năm"
    assert integer_words(105) == "một trăm linh năm"  # the default is the Northern one


@pytest.mark.parametrize("text, words", [
    ("1.215", "một nghìn hai trăm mười lăm"),
    ("1.000.000", "một triệu"),
    ("2.000.000.000", "hai tỷ"),
    ("1,7", "một phẩy bảy"),
    ("1,75", "một phẩy bảy mươi lăm"),  # the decimal part is read as a number…
    ("1,05", "một phẩy không năm"),  # …after its leading zeros, one by one
    ("0,005", "không phẩy không không năm"),
    ("3,14159", "ba phẩy một bốn một năm chín"),  # a long one digit by digit
    ("1.234.567,5", "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy phẩy năm"),
    ("-2,5", "âm hai phẩy năm"),
])
def test_number_words_read_vietnamese_formatting(text, words):
    assert number_words(text) == words


@pytest.mark.parametrize("text, words", [
    ("1,7%", "một phẩy bảy phần trăm"),
    ("100%", "một trăm phần trăm"),
    ("gần 80 %", "gần tám mươi phần trăm"),
    ("10–15%", "mười đến mười lăm phần trăm"),
    ("giảm -1,5%", "giảm âm một phẩy năm phần trăm"),
    ("(Đơn vị: %)", "(Đơn vị: phần trăm)"),
])
def test_percentages(text, words):
    assert say(text) == words


# --- dates, times, ranges --------------------------------------------------------------------

def test_date_words():
    assert date_words(5, 1, 2024) == "ngày năm tháng một năm hai nghìn không trăm hai mươi tư"
    assert date_words(24, 4, None) == "ngày hai mươi tư tháng tư"  # April is tháng tư


@pytest.mark.parametrize("text, words", [
    ("05/01/2024", "ngày năm tháng một năm hai nghìn không trăm hai mươi tư"),
    ("hết ngày 31/12/2024.", "hết ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm "
                             "hai mươi tư."),  # "ngày" is not said twice
    ("Ngày 18/1/2022, Thủ tướng ký", "Ngày mười tám tháng một năm hai nghìn không trăm hai "
                                     "mươi hai, Thủ tướng ký"),
    ("05.01.2024", "ngày năm tháng một năm hai nghìn không trăm hai mươi tư"),
    ("2024-04-08", "ngày tám tháng tư năm hai nghìn không trăm hai mươi tư"),
    ("tháng 5/2024", "tháng năm năm hai nghìn không trăm hai mươi tư"),
    ("5/2024", "tháng năm năm hai nghìn không trăm hai mươi tư"),
    ("ngày 18/1", "ngày mười tám tháng một"),
    ("2024-06", "tháng sáu năm hai nghìn không trăm hai mươi tư"),
    ("31/02/2024", "ba mươi mốt trên hai trên hai nghìn không trăm hai mươi tư"),  # no such day
    ("lúc 7h30", "lúc bảy giờ ba mươi phút"),
    ("từ 7h đến 11:05", "từ bảy giờ đến mười một giờ năm phút"),
])
def test_dates_and_times(text, words):
    assert say(text) == words


@pytest.mark.parametrize("text, words", [
    ("giai đoạn 2021–2025", "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không "
                            "trăm hai mươi lăm"),
    ("2022-2025", "hai nghìn không trăm hai mươi hai đến hai nghìn không trăm hai mươi lăm"),
    ("10 - 15 phút", "mười đến mười lăm phút"),
    ("78/78 ấp", "bảy mươi tám trên bảy mươi tám ấp"),
    ("thứ 4 và thứ 1, thứ 2", "thứ tư và thứ nhất, thứ hai"),
    ("mục 1.2", "mục một chấm hai"),
    ("máy 4G, 20km", "máy bốn G, hai mươi ki-lô-mét"),
    ("Phường 2", "Phường hai"),
])
def test_ranges_fractions_ordinals_and_numbers_touching_letters(text, words):
    assert say(text) == words


# --- telephone numbers -----------------------------------------------------------------------

def test_phone_words_group_by_group():
    assert phone_words("0291 3822 123") == "không hai chín một, ba tám hai hai, một hai ba"
    assert phone_words("0912345678") == "không chín một hai, ba bốn năm, sáu bảy tám"


@pytest.mark.parametrize("text, words", [
    ("Số 0291 3822 123.", "Số không hai chín một, ba tám hai hai, một hai ba."),
    ("0291.3822.123", "không hai chín một, ba tám hai hai, một hai ba"),
    ("gọi 0912345678", "gọi không chín một hai, ba bốn năm, sáu bảy tám"),
    ("đường dây nóng 1900 1234", "đường dây nóng một chín không không, một hai ba bốn"),
    ("tổng đài 18001234", "tổng đài một tám không không, một hai ba bốn"),
    ("Gọi 113 khi có trộm.", "Gọi một một ba khi có trộm."),
    ("Tổng đài: 1022", "Tổng đài: một không hai hai"),
    ("+84 291 3822 123", "cộng tám bốn, hai chín một, ba tám hai hai, một hai ba"),
    ("3822 1234", "ba tám hai hai, một hai ba bốn"),
])
def test_phone_numbers_are_read_digit_by_digit(text, words):
    assert say(text) == words


@pytest.mark.parametrize("text, words", [
    ("có 113 hộ", "có một trăm mười ba hộ"),  # no word announces a telephone number
    ("gọi 1.500 người", "gọi một nghìn năm trăm người"),  # a figure, written with dots
    ("năm 2023 2024", "năm hai nghìn không trăm hai mươi ba hai nghìn không trăm hai mươi tư"),
    ("12.500 hộ", "mười hai nghìn năm trăm hộ"),
    ("gọi 3 lần", "gọi ba lần"),
])
def test_figures_are_not_mistaken_for_phone_numbers(text, words):
    assert say(text) == words


# --- documents, addresses, the glossary ------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("Quyết định 90/QĐ-TTg phê duyệt", "Quyết định số chín mươi của Thủ tướng Chính phủ phê "
                                       "duyệt"),
    ("Nghị định 07/2021/NĐ-CP của Chính phủ", "Nghị định số bảy năm hai nghìn không trăm hai "
                                              "mươi mốt của Chính phủ"),  # said once
    ("Chính phủ ban hành Nghị định số 42/2022/NĐ-CP.", "Chính phủ ban hành Nghị định số bốn "
                                                       "mươi hai năm hai nghìn không trăm hai "
                                                       "mươi hai."),
    ("Kế hoạch 15/KH-UBND", "Kế hoạch số mười lăm của Ủy ban nhân dân"),
    ("Công văn 123/UBND-VX", "Công văn số một trăm hai mươi ba của Ủy ban nhân dân"),
])
def test_document_numbers(text, words):
    assert say(text) == words


@pytest.mark.parametrize("text, words", [
    ("vào https://dichvucong.gov.vn.", "vào dichvucong chấm gov chấm vn."),
    ("đuôi .gov.vn thôi", "đuôi chấm gov chấm vn thôi"),
    ("thư hotro@baclieu.gov.vn", "thư hotro a còng baclieu chấm gov chấm vn"),
    ("xem www.baclieu.gov.vn/tin-tuc/2024", "xem www chấm baclieu chấm gov chấm vn gạch chéo tin "
                                            "gạch ngang tuc gạch chéo hai không hai bốn"),
])
def test_web_addresses_are_said_without_their_scheme(text, words):
    assert say(text) == words


@pytest.mark.parametrize("text, words", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("UBMTTQ xã và MTTQ", "Ủy ban Mặt trận Tổ quốc xã và Mặt trận Tổ quốc"),  # longest first
    ("đẩy mạnh CĐS.", "đẩy mạnh chuyển đổi số."),
    ("TP Bạc Liêu. TP mới", "Thành phố Bạc Liêu. Thành phố mới"),  # a sentence's capital
    ("UBNDX, XUBND, Ubnd, tp", "UBNDX, XUBND, Ubnd, tp"),  # whole words, case-sensitive
    ("đi 20km", "đi hai mươi ki-lô-mét"),  # a letter edge may touch a number
    ("COVID-19", "Cô-vít mười chín"),  # an abbreviation with a number in it
])
def test_glossary_expands_whole_words_case_sensitively_longest_first(text, words):
    assert say(text) == words


def test_glossary_reads_keys_as_written():
    glossary, found = parse_glossary(
        '# chữ viết tắt\nUBND: "Ủy ban nhân dân"\nNO: "nợ"\n"4G": "bốn G"\n113: "một một ba"\n'
        'CH Play: "  cửa hàng   Play "\n', "data/viet-tat.yaml")
    assert found == []
    assert glossary.entries == {"UBND": "Ủy ban nhân dân", "NO": "nợ", "4G": "bốn G",
                                "113": "một một ba", "CH Play": "cửa hàng Play"}


@pytest.mark.parametrize("text, line, key", [
    ("UBND: \"Ủy ban nhân dân\"\nHĐND:\n", 2, "glossary_value"),
    ("UBND: \"Ủy ban nhân dân\"\nCĐS: 5\n", 2, "glossary_value"),
    ("UBND: \"Ủy ban nhân dân\"\nBHYT: [bảo hiểm]\n", 2, "glossary_value"),
    ("UBND: \"Ủy ban nhân dân\"\n\"--\": \"gạch\"\n", 2, "glossary_key"),
    ("- UBND\n- CĐS\n", 1, "glossary_not_mapping"),
    ("UBND: \"Ủy ban nhân dân\"\nCĐS: chuyển đổi: số\n", 2, "yaml_colon"),
    ("UBND: \"Ủy ban nhân dân\"\nUBND: \"khác\"\n", 2, "yaml_duplicate_key"),
])
def test_a_malformed_glossary_is_a_diagnostic_with_its_line(text, line, key):
    _, found = parse_glossary(text, "data/viet-tat.yaml")
    assert [(d.path, d.line, d.key) for d in found][:1] == [("data/viet-tat.yaml", line, key)]
    message = WORDS.diagnostic(found[0])
    assert message.startswith(f"data/viet-tat.yaml:{line}: ") and " — " in message


# --- HTML bodies -----------------------------------------------------------------------------

def paragraphs(html: str) -> list[str]:
    return [SPEECH.say(p) for p in spoken.paragraphs(html, WORDS)]


def test_headings_become_lead_ins():
    assert paragraphs('<h2 id="b">Bước 1: Tải ứng dụng</h2><p>Mở máy.</p><h3>Lưu ý</h3>') == [
        "Phần: Bước một: Tải ứng dụng.", "Mở máy.", "Mục: Lưu ý."]


def test_lists_become_sentences_and_ordered_ones_are_counted():
    html = ("<p>Cần:</p><ul><li>Thẻ căn cước</li><li>Điện thoại<ul><li>có 4G</li></ul></li></ul>"
            '<ol start="3"><li><p>Mở máy</p></li><li>Bấm <strong>Cài đặt</strong>!</li></ol>')
    assert paragraphs(html) == ["Cần:", "Thẻ căn cước.", "Điện thoại.", "có bốn G.",
                                "Thứ ba: Mở máy.", "Thứ tư: Bấm Cài đặt!"]


def test_links_keep_their_words_and_images_disappear():
    html = ('<p>Xem <a href="../../guides/cai-vneid/index.html#buoc-2">hướng dẫn cài VNeID</a>'
            ' ngay.</p><p><picture><source srcset="a.webp 360w"><img src="a.png" alt="Màn hình'
            ' đăng ký"></picture></p><figure><img src="b.png" alt="Ảnh"><figcaption>Cột loa'
            '</figcaption></figure><p>Gõ <abbr title="Ủy ban nhân dân">UBND</abbr>.</p>')
    said = paragraphs(html)
    assert said == ["Xem hướng dẫn cài VNeID ngay.", "Cột loa.", "Gõ Ủy ban nhân dân."]
    assert not any("index.html" in p or "Màn hình" in p or ".png" in p for p in said)


def test_a_table_is_read_row_by_row():
    html = ("<table><thead><tr><th>Nội dung</th><th>Kết quả</th></tr></thead><tbody>"
            "<tr><td>Hộ nghèo</td><td>1,7%</td></tr><tr><td>Trạm BTS</td><td>1.215</td></tr>"
            "</tbody></table>")
    assert paragraphs(html) == ["Bảng số liệu.", "Hộ nghèo: một phẩy bảy phần trăm.",
                                "Trạm BTS: một nghìn hai trăm mười lăm."]


def test_a_drawn_chart_is_read_as_its_caption_and_table_without_the_drawing():
    html = ('<figure class="chart"><figcaption><strong>Tỷ lệ hộ nghèo</strong> (Đơn vị: %)<br>'
            '<small>Nguồn: Tỉnh · Số liệu đến <time datetime="2024-01-01">01/01/2024</time>'
            '</small></figcaption><svg class="ch"><title>Biểu đồ</title><text>2,9%</text></svg>'
            '<table><caption>Bảng số liệu: Tỷ lệ hộ nghèo</caption><thead><tr><th scope="col">'
            'Năm</th><th scope="col">Hộ nghèo</th><th scope="col">Cận nghèo</th></tr></thead>'
            '<tbody><tr><th scope="row">2022</th><td>2,9%</td><td>3,1%</td></tr></tbody></table>'
            '</figure><p>Còn <span class="stat" title="Tỷ lệ">1,7%</span>.</p>')
    assert paragraphs(html) == [
        "Tỷ lệ hộ nghèo (Đơn vị: phần trăm). Nguồn: Tỉnh, Số liệu đến ngày một tháng một năm "
        "hai nghìn không trăm hai mươi tư.",
        "Bảng số liệu: Tỷ lệ hộ nghèo.",
        "Năm hai nghìn không trăm hai mươi hai: Hộ nghèo hai phẩy chín phần trăm, Cận nghèo ba "
        "phẩy một phần trăm.",
        "Còn một phẩy bảy phần trăm."]


def test_entities_quotes_and_definition_lists():
    html = ("<p>A &amp; B &lt;3&gt; “C”</p><dl><div><dt>Số bước</dt><dd>2</dd></div></dl>"
            "<blockquote><p>Trích 1 câu</p></blockquote><hr><pre><code>mã 7</code></pre>")
    assert paragraphs(html) == ["A & B <ba> “C”.", "Số bước: hai.", "Trích một câu.", "mã bảy."]


# --- the script ------------------------------------------------------------------------------

def article(html: str = "<p>Có 1.215 trạm.</p>", **fields) -> Page:
    values = dict(kind="article", source="content/guides/x.md", section="guides", slug="x",
                  url="/guides/x/", title="Hỗ trợ 4G năm 2024", date=dt.date(2024, 1, 5),
                  summary="UBND tỉnh hỗ trợ 100% hộ nghèo.", html=html)
    return Page(**{**values, **fields})


def test_script_opens_with_title_and_date_then_summary_body_and_closing():
    script = spoken.script(article(), SPEECH)
    assert script.text.split("\n\n") == [
        "Bài: Hỗ trợ bốn G năm hai nghìn không trăm hai mươi tư. Đăng ngày năm tháng một năm "
        "hai nghìn không trăm hai mươi tư.",
        "Ủy ban nhân dân tỉnh hỗ trợ một trăm phần trăm hộ nghèo.",
        "Có một nghìn hai trăm mười lăm trạm.",
        "Bà con vừa nghe bài: Hỗ trợ bốn G năm hai nghìn không trăm hai mươi tư, của Cổng thông "
        "tin thử. Cảm ơn bà con đã lắng nghe."]
    assert script.syllables == spoken.syllables(script.text)


def test_script_file_is_utf8_with_a_bom_and_windows_line_ends():
    data = spoken.encode("Bài: Một.\n\nHai.")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data == "\ufeffBài: Một.\r\n\r\nHai.\r\n".encode("utf-8")


def test_reading_time_at_a_loudspeakers_pace():
    assert spoken.SYLLABLES_PER_MINUTE == 120
    assert spoken.syllables("Ủy ban nhân dân, ki-lô-mét (ba) .") == 8
    assert spoken.Script("", 10).minutes == 1  # never "0 minutes"
    assert spoken.Script("", 359).minutes == 3
    assert spoken.Script("", 361).minutes == 3
    assert spoken.Script("", 420).minutes == 4
    short = spoken.script(article("<p>Bà con.</p>"), SPEECH)
    long = spoken.script(article("<p>" + "Bà con đi họp ở ấp. " * 120 + "</p>"), SPEECH)
    assert long.syllables == short.syllables - 2 + 720  # counted on the whole script
    assert long.minutes == round((short.syllables - 2 + 720) / 120)


def test_a_script_has_no_digits_urls_or_markup_left():
    html = ("<h2>Bước 1</h2><p>Gọi 0291 3822 123, vào https://a.gov.vn, ngày 05/01/2024, "
            "tăng 1,7%, 2021–2025, 90/QĐ-TTg, 7h30, 4G.</p><ul><li>1.215 trạm</li></ul>")
    text = spoken.script(article(html), SPEECH).text
    assert not any(c.isdigit() for c in text)
    assert "http" not in text and "<" not in text and "%" not in text


# --- anything at all -------------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("0123456789 .,:/-–%+hđgọiTPUBNDngàyáthứ\n()@ab")),
               max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_is_said_without_a_digit_left(text):
    said = SPEECH.say(text)
    assert not any(c in "0123456789" for c in said), said


PIECES = list("<>/=\"' abpliuoh2tdr&;#x1") + [
    "<p>", "</p>", "<li>", "</li>", "<ol start=\"x\">", "<ul>", "</ol>", "<table>", "<tr>",
    "<td>", "<th>", "</table>", "<svg>", "</svg>", "<br>", "<h2>", "</h2>", "<!--", "-->"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_markup_gives_paragraphs_without_error(pieces):
    for paragraph in spoken.paragraphs("".join(pieces), WORDS):
        assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph


def test_a_huge_number_is_read_digit_by_digit():
    assert SPEECH.say("9" * 5000) == " ".join(["chín"] * 5000)  # (int() refuses 4,300 digits)
    assert SPEECH.say("II.3, 1,2,3") == "II. ba, một phẩy hai, ba"
