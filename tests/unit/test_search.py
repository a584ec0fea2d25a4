"""The search index: folding and tokens (the JS client repeats them: see
tests/browser/test_search_page.py), tone keys, the bucket hash, the files `build` makes,
and what the first query costs on a 1,000-article site."""
import ast
import gzip
import json
import re
import unicodedata

import pytest

from helpers import ROOT, search_corpus
from loa import parallel, search
from loa.search import SearchDoc, fnv1a, fold, tokens, tone_key

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731

# The strings both sides must cut the same way (the browser test feeds them to the JS).
TRICKY = {
    "Hỗ trợ điện thoại 4G cho hộ nghèo": ["ho", "tro", "dien", "thoai", "4g", "cho", "ho", "ngheo"],
    NFD("Hỗ trợ điện thoại"): ["ho", "tro", "dien", "thoai"],
    "ĐĂNG KÝ tài khoản VNeID": ["dang", "ky", "tai", "khoan", "vneid"],
    "Đồng đồng ĐỒNG dong": ["dong", "dong", "dong", "dong"],
    "ma mà má mả mã mạ": ["ma"] * 6,
    "Ơ ư ă â ê ô": ["o", "u", "a", "a", "e", "o"],
    "hòa hoà HÒA HOÀ": ["hoa"] * 4,
    "thủy thuỷ": ["thuy", "thuy"],
    "Quyết định 90/QĐ-TTg": ["quyet", "dinh", "90", "qd", "ttg"],
    "90/qd-ttg": ["90", "qd", "ttg"],
    "Nghị định 07/2021/NĐ-CP;42/2022/nđ-cp.": ["nghi", "dinh", "07", "2021", "nd", "cp", "42",
                                                "2022", "nd", "cp"],
    "1.215 hộ, tỷ lệ 1,7% (năm 2024).": ["1.215", "ho", "ty", "le", "1,7", "nam", "2024"],
    "3,5 triệu; 1.234.567,89 đồng": ["3,5", "trieu", "1.234.567,89", "dong"],
    "v1.2 a.b ,5 1,,2 7. 8,": ["v1.2", "a", "b", "5", "1", "2", "7", "8"],
    "“Hỗ trợ” (4G), …điện-thoại! «Zalo»\u00a0nhóm—xã": ["ho", "tro", "4g", "dien", "thoai", "zalo",
                                                      "nhom", "xa"],
    "Zalo👍nhóm\u200bẤp\tbà_con": ["zalo", "nhom", "ap", "ba", "con"],
    "Ｚａｌｏ！Sóc Trăng": ["ｚａｌｏ", "soc", "trang"],
    "Loa ấp và bà con Khmer ភាសាខ្មែរ": ["loa", "ap", "va", "ba", "con", "khmer", "ភាសាខ្មែរ"],
    "": [],
    " \n\t—…": [],
}


@pytest.mark.parametrize("text, expected", TRICKY.items())
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_fold():
    assert fold("Hỗ trợ ĐIỆN THOẠI") == "ho tro dien thoai"
    assert fold(NFD("Hỗ trợ")) == fold("Hỗ trợ") == "ho tro"
    assert fold("Đ đ") == "d d"
    assert fold("90/QĐ-TTg") == "90/qd-ttg"


def test_nfc_and_nfd_give_the_same_words():
    for text in TRICKY:
        assert search.words(text) == search.words(NFD(text)) == search.words(
            unicodedata.normalize("NFC", text))


def test_tone_keys():
    tones = [tone_key(w) for w in "ma mà má mả mã mạ".split()]
    assert tones == ["ma", "ma2", "ma1", "ma3", "ma4", "ma5"]
    assert tone_key("hòa") == tone_key("hoà") == tone_key("HOÀ") == tone_key(NFD("hòa")) == "hoa2"
    assert tone_key("thủy") == tone_key("thuỷ") == "thuy3"
    # vowel marks and đ are letters, not tones
    assert len({tone_key(w) for w in ("hồ", "hỗ", "hộ", "hổ", "ho", "hô", "hơ")}) == 7
    assert tone_key("hỗ") == "hô4" and tone_key("trợ") == "trơ5"
    assert tone_key("Đồng") == "đông2" != tone_key("dồng")


def test_fnv1a_matches_the_published_vectors():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
    assert fnv1a("hỗ") == fnv1a("h\u1ed7")  # over UTF-8


def test_plain_text():
    html = ('<h2 id="b">Bước&nbsp;1</h2><p>Mở <strong>CH Play</strong>,<br>tìm &quot;VNeID&quot;</p>'
            '<script>var x = "no";</script><figure><svg><text>99</text></svg>'
            '<figcaption>Tỷ lệ</figcaption></figure><img src="a.png" alt="Cái loa"><ul><li>a</li>'
            '<li>b</li></ul>')
    text = search.plain_text(html)
    assert text == 'Bước 1\nMở CH Play,\ntìm "VNeID"\nTỷ lệ\nCái loa\na\nb'


DOCS = [
    SearchDoc("/policies/ho-tro-4g/", "Hỗ trợ điện thoại 4G cho hộ nghèo", "Chính sách", "05/01/2024",
              "Mỗi hộ nghèo được nhận một máy 4G.", "Theo Quyết định 90/QĐ-TTg, hộ nghèo được hỗ trợ.",
              ("90/QĐ-TTg", "4g", "Phước Long")),
    SearchDoc("/guides/vneid/", "Đăng ký tài khoản VNeID", "Hướng dẫn", "08/04/2024", "",
              "Mang thẻ căn cước đến công an xã. " * 30, ("dịch vụ công",)),
    SearchDoc("/stories/ho/", "Hồ trở lại đầy nước", "Gương thoát nghèo", "", "Nước hồ trở lại.",
              "Hồ trở lại. Hò hẹn bên hồ.", ()),
]


def unwrapped(script: bytes) -> bytes:
    """The JSON an index file (`loaSearch.put(<JSON>)`) hands the client."""
    assert script.startswith(b"loaSearch.put(") and script.endswith(b")")
    return script[len(b"loaSearch.put("):-1]


def index_file(index, stem):
    """The JSON of index file `stem` ("3", "m0"), found by its name in the manifest."""
    folder = index.script.rpartition("/")[0] + "/" + index.settings["index"]
    manifest = json.loads(unwrapped(index.files[folder + index.settings["manifest"]]))
    kind, number = ("m", int(stem[1:])) if stem.startswith("m") else ("b", int(stem))
    name = manifest[kind][number * search.NAME_CHARS:(number + 1) * search.NAME_CHARS]
    return unwrapped(index.files[f"{folder}{stem}.{name}.js"])


def test_build_files_and_settings():
    index = search.build(DOCS)
    folder = "tim-kiem/i/"
    assert index.settings["index"] == "i/"
    assert re.fullmatch(r"manifest\.[\w-]{6}\.js", index.settings["manifest"])
    assert re.fullmatch(r"tim-kiem/loa-search\.[0-9a-f]{10}\.js", index.script)
    assert index.files[index.script].startswith(b"(function")
    buckets = int(index.settings["buckets"])
    assert buckets == 16 and index.settings["docs"] == "3" and index.settings["chunk"] == "5"
    names = {p.removeprefix(folder) for p in index.files if p != index.script}
    assert len(names) == buckets + 2  # the shards, one chunk of rows, the manifest
    assert all(re.fullmatch(r"(m?\d+|manifest)\.[\w-]{6}\.js", n) for n in names)
    manifest = json.loads(unwrapped(index.files[folder + index.settings["manifest"]]))
    assert len(manifest["b"]) == 6 * buckets and len(manifest["m"]) == 6
    rows = json.loads(index_file(index, "m0"))
    # sorted by URL: guides, policies, stories; URLs relative to the search page
    assert [r[0] for r in rows] == ["../guides/vneid/index.html", "../policies/ho-tro-4g/index.html",
                                    "../stories/ho/index.html"]
    assert rows[1] == ["../policies/ho-tro-4g/index.html", "Hỗ trợ điện thoại 4G cho hộ nghèo",
                       "Chính sách", "05/01/2024", "Mỗi hộ nghèo được nhận một máy 4G."]
    assert rows[0][4].startswith("Mang thẻ căn cước") and rows[0][4].endswith("…")  # no summary
    assert len(rows[0][4]) <= search.SUMMARY_CHARS + 1

    def entry(term):
        return json.loads(index_file(index, str(fnv1a(term) % buckets)))[term]

    gaps, weights, keys, masks = entry("ho")
    assert gaps == [1, 1]  # docs 1 and 2
    assert keys == sorted(["hô4", "hô5", "hô2", "ho2"])  # hỗ hộ | hồ hò
    bits = {k: 1 << i for i, k in enumerate(keys)}
    assert masks == [bits["hô4"] | bits["hô5"], bits["hô2"] | bits["ho2"]]
    assert weights == [10 + 3 + 2, 10 + 3 + 3]  # title, summary, body (times found)
    assert entry("ho tro") == [[1, 1]]  # pairs: only where they are
    assert entry("90 qd") == [[1]]
    assert entry("90") == [[1], 6 + 1, ["90"]]  # keyword, body
    assert entry("vneid") == [[0], 10, ["vneid"]]
    assert entry("can") == [[0], 5, ["căn"]]  # body, 30 times: capped


UNSAFE = ['" \\" \\ \'', "</script><script>alert(1)</script>", "</SCRIPT", "a\u2028b\u2029c",
          "<!-- x -->", "\u00a0 \U0001F44D"]


@pytest.mark.parametrize("text", UNSAFE)
def test_an_index_file_is_a_script_that_only_hands_over_its_data(text):
    """What a title holds must never end the script or the string it is in: no raw
    U+2028/U+2029 (line ends in older phones' JavaScript), no `</`; the JSON inside
    still reads back to the same text (the browser test runs such titles)."""
    index = search.build([SearchDoc("/x/", text, text, "", text, text, (text,))])
    for path, data in index.files.items():
        if path == index.script:
            continue
        body = unwrapped(data)
        assert b"\xe2\x80\xa8" not in body and b"\xe2\x80\xa9" not in body and b"</" not in body
        assert b"loaSearch.put(" not in body and b"\n" not in body
        json.loads(body)
    assert json.loads(index_file(index, "m0"))[0][1:3] == [text, text]


def test_build_is_deterministic_and_named_by_content():
    first, again = search.build(DOCS), search.build(list(reversed(DOCS)))
    assert first.files == again.files and first.settings == again.settings
    changed = search.build(DOCS[:2])
    assert changed.settings["manifest"] != first.settings["manifest"]
    assert changed.script == first.script


def test_the_client_reads_names_as_long_as_the_index_writes_them():
    source = search.SCRIPT_SOURCE.read_text(encoding="utf-8")
    width = re.search(r"substr\(n \* (\d+), (\d+)\)", source)
    assert width and {int(width.group(1)), int(width.group(2))} == {search.NAME_CHARS}


def test_build_under_another_page_without_index_html():
    index = search.build(DOCS, page_url="/tim/", index_html=False)
    assert index.script.startswith("tim/loa-search.")
    assert json.loads(index_file(index, "m0"))[0][0] == "../guides/vneid/"


def _docs_and_analyses(docs):
    docs = sorted(docs, key=lambda d: d.url)
    analyses = {f"{d.url}|{hash(d.text)}": search.analyse(d) for d in docs}
    keys = [f"{d.url}|{hash(d.text)}" for d in docs]
    return [(d.url, key, search.row(d, "/tim-kiem/", True)) for d, key in zip(docs, keys)], \
        analyses


def test_an_edited_document_rewrites_only_the_files_it_touches():
    docs = sorted(search_corpus(300), key=lambda d: d.url)
    entries, analyses = _docs_and_analyses(docs)
    before = search.published(search.index(entries, analyses.__getitem__))
    edited = list(docs)
    edited[150] = SearchDoc(edited[150].url, edited[150].title, edited[150].section,
                            edited[150].date, edited[150].summary,
                            edited[150].text + " Một câu thêm về khoai môn.", edited[150].keywords)
    new_entries, new_analyses = _docs_and_analyses(edited)
    analyses.update(new_analyses)
    previous = search.index(entries, analyses.__getitem__)
    updated = search.published(search.index(new_entries, analyses.__getitem__, previous))
    fresh = search.published(search.index(new_entries, analyses.__getitem__))
    assert updated.files == fresh.files and updated.settings == fresh.settings
    kept = set(before.paths) & set(updated.paths)
    changed = set(updated.paths) - set(before.paths)
    assert 0 < len(changed) <= 12 < len(kept)  # a few shards, a chunk, the manifest


def test_documents_added_or_removed_make_the_index_anew():
    docs = sorted(search_corpus(60), key=lambda d: d.url)
    entries, analyses = _docs_and_analyses(docs)
    previous = search.index(entries, analyses.__getitem__)
    fewer = entries[:30] + entries[31:]
    updated = search.published(search.index(fewer, analyses.__getitem__, previous))
    assert updated.files == search.published(search.index(fewer, analyses.__getitem__)).files


def test_module_is_pure():
    tree = ast.parse((ROOT / "loa" / "search.py").read_text(encoding="utf-8"))
    imported = {n.module or alias.name for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.level == 1 for alias in n.names}
    assert imported <= {"models", "text", "urls", "errors", "parallel", "builtin"}
    called = {getattr(n.func, "attr", getattr(n.func, "id", "")) for n in ast.walk(tree)
              if isinstance(n, ast.Call)}
    assert not called & {"open", "write_bytes", "write_text", "mkdir", "unlink"}


def test_client_is_small():
    script = search.client_script(search.SCRIPT_SOURCE.read_text(encoding="utf-8")).encode()
    size = len(gzip.compress(script, 9))
    print(f"client: {len(script)} bytes, {size} gzip")
    assert size <= 5_000


def test_inline_loader_is_tiny():
    html = (ROOT / "templates" / "search.html").read_text(encoding="utf-8")
    snippet = re.search(r"<script>.*?</script>", html, re.S).group(0)
    assert "src" in snippet and len(snippet.encode()) < 300


def test_first_query_on_a_thousand_articles_stays_small():
    index = search.build(search_corpus())
    buckets = int(index.settings["buckets"])
    gz = {path: len(gzip.compress(data, 9)) for path, data in index.files.items()}
    shard = {n: len(gzip.compress(index_file(index, str(n)), 9)) for n in range(buckets)}
    shards = sorted(shard.values())
    chunks = sorted((size for path, size in gz.items() if "/i/m" in path), reverse=True)
    manifest = gz["tim-kiem/i/" + index.settings["manifest"]]
    worst_results = sum(chunks[:10])  # ten results in ten different files
    print(f"\n1,000 docs: {buckets} buckets, gzip median {shards[len(shards) // 2]}, "
          f"largest {shards[-1]}; metadata files largest {chunks[0]}; "
          f"index {sum(gz.values()) // 1000} KB gzip in {len(gz)} files")
    for query in ("ho tro dien thoai", "dang ky tai khoan vneid", "chuyen doi so cho ho ngheo"):
        terms = tokens(query)
        terms += [f"{a} {b}" for a, b in zip(terms, terms[1:])]
        needed = {fnv1a(t) % buckets for t in terms}
        total = gz[index.script] + manifest + sum(shard[n] for n in needed) + worst_results
        print(f"{query!r}: {len(needed)} buckets, at most {total} bytes gzip in all")
        assert total <= 50_000


def test_terms_encoded_by_two_workers_make_the_same_files(monkeypatch):
    entries, analyses = _docs_and_analyses(search_corpus(200))
    monkeypatch.setattr(search, "ENCODE_CHUNK", 10)  # enough chunks for two workers
    made = search.index(entries, analyses.__getitem__, jobs=1)
    terms = sum(len(p.weights) + len(p.pairs) for p in made.store.shards.values())
    assert parallel.workers_for(-(-terms // 10), 2) == 2
    assert search.published(search.index(entries, analyses.__getitem__, jobs=2)).files == \
        search.published(made).files


def test_pairs_come_from_the_opening_words_of_a_body_only():
    filler = " ".join(["lúa"] * search.BODY_PAIRS)
    doc = SearchDoc("/x/", "Tiêu đề", "", "", "", f"đầu bài {filler} cuối bài")
    analysis = search.analyse(doc)
    assert "dau bai" in analysis.pairs and "lua lua" in analysis.pairs
    assert "cuoi bai" not in analysis.pairs  # past the opening words: no pair
    assert {"cuoi", "bai"} <= {token for token, _ in analysis.weights}  # still found


def test_an_update_cut_short_is_never_taken_for_a_whole_one():
    docs = sorted(search_corpus(120), key=lambda d: d.url)
    entries, analyses = _docs_and_analyses(docs)

    class Failing(search.InMemory):
        fail_after = None

        def get(self, number):
            if self.fail_after is not None:
                if self.fail_after == 0:
                    raise OSError("the disk went away")
                self.fail_after -= 1
            return super().get(number)

    store = Failing()
    previous = search.index(entries, analyses.__getitem__, store=store)
    edited = [SearchDoc(d.url, d.title + " sửa", d.section, d.date, d.summary, d.text + " thêm",
                        d.keywords) if i % 40 == 0 else d for i, d in enumerate(docs)]
    new_entries, new_analyses = _docs_and_analyses(edited)
    analyses.update(new_analyses)
    store.fail_after = 5  # a few shards updated, then a failure
    with pytest.raises(OSError):
        search.index(new_entries, analyses.__getitem__, previous, store=store)
    store.fail_after = None
    again = search.index(new_entries, analyses.__getitem__, previous, store=store)
    fresh = search.index(new_entries, analyses.__getitem__)
    assert search.published(again).files == search.published(fresh).files
