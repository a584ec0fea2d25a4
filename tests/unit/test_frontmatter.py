import subprocess
import sys
from pathlib import Path

from loa.frontmatter import MAX_DEPTH, read_yaml, split

ROOT = Path(__file__).resolve().parents[2]


def keys(found):
    return [(d.line, d.key) for d in found]


def test_split_gives_yaml_body_and_body_line():
    parts, found = split("---\ntitle: x\ndate: 2024-01-05\n---\nBody\n", "a.md")
    assert found == []
    assert parts.yaml_text == "title: x\ndate: 2024-01-05"
    assert parts.body == "Body\n"
    assert parts.body_line == 5


def test_split_problems():
    assert keys(split("", "a.md")[1]) == [(1, "file_empty")]
    assert keys(split("  \n\n", "a.md")[1]) == [(1, "file_empty")]
    assert keys(split("title: x\n", "a.md")[1]) == [(1, "frontmatter_missing")]
    assert keys(split("---\ntitle: x\nbody\n", "a.md")[1]) == [(1, "frontmatter_unclosed")]


def test_dates_stay_text_and_lines_are_kept():
    doc, found = read_yaml("title: Xin chào\ndate: 2024-02-30\ntags:\n  - a\n  - b\n", "a.md",
                           offset=1)
    assert found == []
    assert doc.data == {"title": "Xin chào", "date": "2024-02-30", "tags": ["a", "b"]}
    assert doc.line("title") == 2
    assert doc.line("tags", 1) == 6
    assert doc.line("nothing", default=9) == 9


def test_unquoted_colon_gets_its_own_hint():
    doc, found = read_yaml("title: Bước 2: Đăng ký\n", "a.md", offset=1)
    assert doc is None
    assert keys(found) == [(2, "yaml_colon")]


def test_tab_gets_its_own_hint():
    assert keys(read_yaml("title: x\n\ttags: y\n", "a.md")[1])[0][1] == "yaml_tab"


def test_unclosed_list_is_a_syntax_error_with_a_line():
    doc, found = read_yaml("title: x\ntags: [a, b\ndate: 2024-01-01\n", "a.md", offset=1)
    assert doc is None and found[0].key == "yaml_syntax" and found[0].line >= 3


def test_duplicate_key_is_reported():
    _, found = read_yaml("title: a\ntitle: b\n", "a.md", offset=1)
    assert keys(found) == [(3, "yaml_duplicate_key")]


def test_alias_bomb_is_refused_at_once():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]" for i in range(1, 9)]
    doc, found = read_yaml("\n".join(lines), "bomb.yaml", offset=1)
    assert doc is None  # 10**9 leaves: never expanded, never walked
    assert [(d.line, d.key) for d in found] == [(2, "yaml_alias")]  # where &a0 is set


def test_a_value_starting_with_an_ampersand_in_quotes_is_fine():
    doc, found = read_yaml('title: "&amp; *sao*"\n', "a.md")
    assert found == [] and doc.data == {"title": "&amp; *sao*"}


def test_python_tags_are_refused():
    doc, found = read_yaml("x: !!python/object/apply:os.system ['echo hi']\n", "a.md")
    assert doc is None and found[0].key == "yaml_syntax"


def test_nesting_deeper_than_the_limit_is_refused_at_its_line():
    deep = "[" * 500 + "1" + "]" * 500  # went through, then broke pickling (RecursionError)
    doc, found = read_yaml(f"title: x\nparams:\n  a: {deep}\n", "a.md", offset=1)
    assert doc is None and keys(found) == [(4, "yaml_too_deep")]
    nested = "".join("  " * depth + f"k{depth}:\n" for depth in range(MAX_DEPTH + 5))
    assert keys(read_yaml(nested, "a.yaml")[1]) == [(MAX_DEPTH + 1, "yaml_too_deep")]
    fits = "x: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)
    assert read_yaml(fits, "a.yaml")[1] == []


def test_nesting_that_would_crash_the_yaml_library_is_refused():
    # libyaml builds nodes recursively in C: 100,000 brackets crashed the interpreter
    code = ("from loa.frontmatter import read_yaml; "
            "print(read_yaml('x: ' + '[' * 1_000_000, 'a.md')[1][0].key)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert (run.returncode, run.stdout.strip()) == (0, "yaml_too_deep"), run.stderr[-500:]


def test_keys_yaml_reads_as_numbers_booleans_or_null_keep_their_lines():
    doc, found = read_yaml("a: 1\n0000: x\nyes: y\n~: z\n0x1F: w\n2024: v\n", "a.yaml")
    assert found == [] and doc.data == {"a": 1, 0: "x", True: "y", None: "z", 31: "w", 2024: "v"}
    assert [doc.line(key) for key in doc.data] == [1, 2, 3, 4, 5, 6]
    assert [key for key, in doc.lines] == ["a", "0000", "yes", "~", "0x1F", "2024"]  # as written
    doc, _ = read_yaml("rows:\n  0001: [a, b]\n", "a.yaml")
    assert doc.line("rows", 1, 1) == 2 and doc.line("rows", "0001", 1) == 2
