"""`check` and `build` agree on every output path: both report the same problems, from
the one place they are checked (plan.check), where once `check` said "0 lỗi" and `build`
ended in a traceback (issue 14, defects 5 and 6)."""
from __future__ import annotations

import re

import pytest

from helpers import SITES, TODAY, copy_site, run_cli

FRONT = '---\ntitle: "Bài thử"\ndate: 2024-01-01\n{extra}---\nNội dung.\n'
LONG = "a" * 300


def write(site, name, extra=""):
    (site / "content" / "guides" / name).write_text(FRONT.format(extra=extra),
                                                    encoding="utf-8")


CASES = {
    "a 300-character slug": lambda s: write(s, "dai.md", f'slug: "{LONG}"\n'),
    "a 300-character tag": lambda s: write(s, "the.md", f'tags: ["{LONG}"]\n'),
    "a 300-character alias segment": lambda s: write(s, "bidanh.md",
                                                     f'aliases: ["/cu/{LONG}/"]\n'),
    "an alias under a page's file": lambda s: write(
        s, "duoi.md", 'aliases: ["/guides/zalo/index.html/x.html"]\n'),
    "a static file where a folder must go": lambda s: (
        (s / "static" / "guides").mkdir(), (s / "static" / "guides" / "zalo").write_text("x")),
    "an alias over robots.txt": lambda s: write(s, "robot.md", 'aliases: ["/robots.txt"]\n'),
    "a tag Windows keeps for a device": lambda s: write(s, "thiet-bi.md", 'tags: ["con"]\n'),
    "two static files that differ only in capitals": lambda s: (
        (s / "static" / "Logo.png").write_bytes(b"x"), (s / "static" / "logo.png").write_bytes(b"x")),
    "a page at the search page's address": lambda s: (s / "content" / "tim-kiem.md").write_text(
        FRONT.format(extra=""), encoding="utf-8"),
    "statistics and topics named as a section and the search page": lambda s: (
        s / "site_config.yaml").write_text(
        (s / "site_config.yaml").read_text(encoding="utf-8") + "stats_path: guides\n"
        'taxonomies:\n  - field: tags\n    path: tim-kiem\n    title: "Chủ đề"\n',
        encoding="utf-8"),
}


def problems(result) -> list[str]:
    """The error lines of a run (warnings aside), as `path:line: problem`."""
    return sorted(line.split(" — ")[0] for line in result.err.splitlines()
                  if re.match(r"\S+:\d+: (?!cảnh báo)", line))


@pytest.mark.parametrize("case", CASES)
def test_check_and_build_report_the_same_path_problems(tmp_path, case):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    CASES[case](site)
    checked = run_cli("check", "--source", site, "--today", TODAY)
    built = run_cli("build", "--source", site, "--out", tmp_path / "out", "--today", TODAY)
    assert checked.code == built.code == 1, (checked.err, built.err)
    assert "Traceback" not in checked.err + built.err
    assert problems(checked) and problems(checked) == problems(built)
    assert not (tmp_path / "out").exists()  # nothing published
