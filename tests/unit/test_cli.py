"""The command line's own behaviour: colour only on a terminal, the progress bar."""
import io
import sys
from pathlib import Path

from loa import cli, i18n
from loa.errors import WARNING, problem

WORDS = i18n.load("vi")
PROBLEMS = [problem("content/a.md", 3, "field_date", field="date", value="x", suggestion="y"),
            problem("content/b.md", 1, "summary_missing", level=WARNING)]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def printed(monkeypatch, stream, **env):
    for name in ("NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stderr", stream)
    cli._print(PROBLEMS, WORDS)
    return stream.getvalue().splitlines()


def test_colour_on_a_terminal(monkeypatch):
    lines = printed(monkeypatch, Terminal())
    assert lines[0].startswith("\033[1;31mcontent/a.md:3\033[0m: trường 'date'")
    assert lines[1].startswith("\033[1;33mcontent/b.md:1\033[0m: cảnh báo:")


def test_plain_in_files_ci_and_with_no_color(monkeypatch):
    for stream, env in ((io.StringIO(), {}), (Terminal(), {"NO_COLOR": "1"}),
                        (Terminal(), {"TERM": "dumb"})):
        lines = printed(monkeypatch, stream, **env)
        assert lines[0].startswith("content/a.md:3: trường 'date'") and "\033" not in "".join(lines)


def test_progress_bar_follows_the_stages(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stderr", Terminal())
    bar = cli._Bar(WORDS)
    for done in range(1, 4):
        bar("markdown", done, 3)
    assert bar.bar.n == 3 and bar.bar.total == 3 and bar.bar.desc.startswith("Đang đọc")
    bar("pages", 1, 10)
    assert bar.bar.n == 1 and bar.bar.total == 10
    bar.close()
    assert bar.bar is None


def test_new_gives_a_long_title_a_file_name_file_systems_take(tmp_path):
    from helpers import SITES, copy_site, run_cli
    site = copy_site(SITES / "minimal", tmp_path / "site")
    title = "Hướng dẫn " + "rất dài " * 60  # 490 characters
    result = run_cli("new", "--source", site, "guides", title)
    assert result.code == 0, result.err
    made = Path(result.out.strip())
    assert len(made.name) <= 83 and made.name.endswith(".md") and "-" in made.stem
    assert title.strip() in made.read_text(encoding="utf-8")


def test_translate_takes_only_a_language_of_the_site(tmp_path):
    from helpers import SITES, copy_site, run_cli
    site = copy_site(SITES / "minimal", tmp_path / "site")
    result = run_cli("translate", "--source", site, "content/guides/zalo.md", "../../x")
    assert result.code == 2 and "Traceback" not in result.err
    assert not list(tmp_path.rglob("*.x.md")) and not (tmp_path / "x.md").exists()
