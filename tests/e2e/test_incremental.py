"""Incremental builds (issue 7, acceptance 3): a site built once, then edited step by
step, each step rebuilt into the same output folder with the same `.loa-cache/`.

After every step the rebuilt folder must equal, path for path and byte for byte, a cold
build of the same input: a copy of the site without its cache, built into a new folder.
And a file whose bytes did not change must not have been written again (same inode,
same modification time), so that rsync, a web server's cache and a USB copy see only
what really changed.

Every build runs `build.py` in its own process, as an editor runs it: the only state
carried from one build to the next is what the build keeps on disk in `.loa-cache/`.
The edits run once, in a module fixture; the two tests read what it recorded.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import ROOT, TODAY, copy_site

# What the repository's sample site is made of (the repository root is the sample site,
# but also holds Loa itself, its tests and benchmarks). Its templates/ and i18n/ are
# Loa's own theme and strings, used anyway when a site has none, so the copy leaves
# them out: the steps below add a site template and a site translation file.
SITE_PARTS = ("site_config.yaml", "content", "data", "static")
SHOWN = 8  # differing paths named in a failure message (more: "… and N more")


# --- the output tree -------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    kind: str  # "file", "dir" or "link"
    data: bytes | str  # a file's bytes, a link's target, "" for a folder
    mode: int  # permission bits: a web server must be able to read what was written
    ino: int
    mtime_ns: int

    def same_content(self, other: Entry) -> bool:
        return (self.kind, self.data, self.mode) == (other.kind, other.data, other.mode)


def snapshot(folder: Path) -> dict[str, Entry]:
    """Every file, folder and link under `folder`, by path relative to it."""
    tree: dict[str, Entry] = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            info = path.lstat()
            rel = path.relative_to(folder).as_posix()
            if stat.S_ISLNK(info.st_mode):
                kind, data = "link", os.readlink(path)
            elif stat.S_ISDIR(info.st_mode):
                kind, data, rel = "dir", "", rel + "/"
            else:
                kind, data = "file", path.read_bytes()
            tree[rel] = Entry(kind, data, stat.S_IMODE(info.st_mode), info.st_ino,
                              info.st_mtime_ns)
    return tree


def differences(got: dict[str, Entry], want: dict[str, Entry]) -> list[str]:
    """How `got` differs from `want`, one line per path, sorted by path."""
    found = []
    for rel in sorted(got.keys() | want.keys()):
        a, b = got.get(rel), want.get(rel)
        if a is None:
            found.append(f"{rel}: missing")
        elif b is None:
            found.append(f"{rel}: should not be there")
        elif a.kind != b.kind:
            found.append(f"{rel}: a {a.kind}, should be a {b.kind}")
        elif a.data != b.data:
            found.append(f"{rel}: different {'bytes' if a.kind == 'file' else 'target'}")
        elif a.mode != b.mode:
            found.append(f"{rel}: mode {a.mode:o}, should be {b.mode:o}")
    return found


def changed_paths(before: dict[str, Entry], after: dict[str, Entry]) -> set[str]:
    """Files and links added, removed or changed (folders come and go with them)."""
    return {rel for rel in before.keys() | after.keys()
            if not rel.endswith("/") and (rel not in before or rel not in after
                                          or not before[rel].same_content(after[rel]))}


def rewritten(before: dict[str, Entry], after: dict[str, Entry]) -> list[str]:
    """Files with the same bytes before and after that were nevertheless written again."""
    return sorted(rel for rel, old in before.items()
                  if old.kind == "file" and rel in after and old.same_content(after[rel])
                  and (old.ino, old.mtime_ns) != (after[rel].ino, after[rel].mtime_ns))


def listed(lines: list[str], shown: int = SHOWN) -> str:
    more = f"\n    … and {len(lines) - shown} more" if len(lines) > shown else ""
    return "".join(f"\n    {line}" for line in lines[:shown]) + more


# --- building --------------------------------------------------------------------------

def start_build(source: Path, out: Path) -> subprocess.Popen:
    """`python build.py build --explain` in a new process (it names each file it made)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--source", str(source),
         "--out", str(out), "--today", TODAY, "--explain"],
        cwd=ROOT, env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


MADE = "làm mới: "  # cli.made in i18n/vi.yaml: a file the build made again


def finish(build: subprocess.Popen, what: str) -> set[str]:
    """Wait for a build, which must succeed; the files it made again (not kept)."""
    stdout, stderr = build.communicate(timeout=120)
    if build.returncode != 0:
        pytest.fail(f"{what} exited with {build.returncode}:\n{stderr}{stdout}",
                    pytrace=False)
    return {line.removeprefix(MADE) for line in stdout.splitlines() if line.startswith(MADE)}


def made_by_the_build(path: str) -> bool:
    """Files a route makes (pages, scripts, feeds, downloads), not copies of the site's
    files, resized images or the search index's files, which are compared by bytes."""
    return (path.endswith((".html", ".txt", ".xml", ".csv", ".json"))
            and not path.startswith(("images/", "files/", "tim-kiem/i/")))


# --- the edits -------------------------------------------------------------------------

def replace_once(path: Path, old: str, new: str) -> None:
    """Replace `old`, which must occur exactly once (a changed sample fails loudly)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def nothing(site: Path) -> None:
    pass


def edit_body(site: Path) -> None:
    path = site / "content" / "stories" / "lua-tom-hong-dan.md"
    path.write_text(path.read_text(encoding="utf-8") + (
        "\nNăm nay anh Lợi còn chỉ lại cho hai nhà hàng xóm cách tìm video của cán bộ "
        "khuyến nông trên điện thoại.\n"), encoding="utf-8")


def edit_title_and_tags(site: Path) -> None:
    # A title shown in lists, related articles and search; one tag kept, one dropped
    # (its topic page loses the article), one new (a new topic page).
    path = site / "content" / "guides" / "cai-dat-vneid.md"
    replace_once(path, 'title: "Cài đặt và kích hoạt ứng dụng VNeID"',
                 'title: "Cài VNeID và kích hoạt tài khoản định danh điện tử"')
    replace_once(path, 'tags: ["dịch vụ công", "điện thoại thông minh", "chuyển đổi số"]',
                 'tags: ["dịch vụ công", "chuyển đổi số", "định danh điện tử"]')


def sources(site: Path) -> list[Path]:
    """The site's text files that may name an article (links, aliases, the menu)."""
    return [*(site / "content").rglob("*.md"), *(site / "data").glob("*.yaml"),
            site / "site_config.yaml"]


OLD_NAME, NEW_NAME = "nop-ho-so-dich-vu-cong", "nop-ho-so-truc-tuyen"


def rename_article(site: Path) -> None:
    content = site / "content"
    (content / "guides" / f"{OLD_NAME}.md").rename(content / "guides" / f"{NEW_NAME}.md")
    linking = [p for p in content.rglob("*.md")
               if f"{OLD_NAME}.md" in p.read_text(encoding="utf-8")]
    assert linking, "the renamed article should be linked to, so its links change too"
    for path in linking:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"{OLD_NAME}.md", f"{NEW_NAME}.md"), encoding="utf-8")
    for path in sources(site):
        assert OLD_NAME not in path.read_text(encoding="utf-8"), f"{path} names {OLD_NAME}"


DELETED = "hoi-phu-nu-phuong-2"


def delete_article(site: Path) -> None:
    (site / "content" / "stories" / f"{DELETED}.md").unlink()
    for path in sources(site):  # a link to it would rightly fail the build
        assert DELETED not in path.read_text(encoding="utf-8"), f"{path} names {DELETED}"


def add_article(site: Path) -> None:
    (site / "content" / "stories" / "ban-khoai-mon-qua-zalo.md").write_text(
        '---\n'
        'title: "Bán khoai môn qua nhóm Zalo của ấp"\n'
        'date: 2025-06-02\n'
        'summary: "Cô Sáu ở Hồng Dân chụp ảnh khoai môn gửi vào nhóm Zalo, bán hết '
        'trong buổi sáng."\n'
        'tags: ["nông nghiệp", "chuyển đổi số", "bán hàng qua mạng"]\n'
        'locations: ["Hồng Dân"]\n'
        'location: "Một ấp ở Hồng Dân"\n'
        '---\n\n'
        'Cô Sáu trồng khoai môn sau nhà. Trước đây cô chở ra chợ, bán không hết lại '
        'chở về.\n\n'
        '## Nhóm Zalo của ấp\n\n'
        'Con gái cô chỉ cách chụp ảnh và gửi vào nhóm, như trong '
        '[hướng dẫn tham gia nhóm Zalo an toàn](../guides/tham-gia-nhom-zalo-an-toan.md).\n',
        encoding="utf-8")


MARK = "Mẫu trang riêng của cổng tỉnh"  # text of a paragraph the site's template adds


def override_template(site: Path) -> None:
    # The site's own templates/ come before Loa's (loa/render.py): a new file there
    # replaces the theme's article.html for every article.
    theme = (ROOT / "templates" / "article.html").read_text(encoding="utf-8")
    assert theme.count("<h1>{{ title }}</h1>") == 1
    target = site / "templates" / "article.html"
    target.parent.mkdir(exist_ok=True)
    heading = "<h1>{{ title }}</h1>"
    target.write_text(theme.replace(heading, f'{heading}\n<p class="note">{MARK}</p>'),
                      encoding="utf-8")


def remove_template_override(site: Path) -> None:
    (site / "templates" / "article.html").unlink()  # back to the theme's article.html


def edit_dataset(site: Path) -> None:
    replace_once(site / "data" / "poverty.yaml", "  value: 1.7\n", "  value: 1.6\n")


def edit_glossary(site: Path) -> None:
    # The loudspeaker scripts' glossary (loa/spoken.py): only the scripts that say it change.
    replace_once(site / "data" / "viet-tat.yaml", 'UBND: "Ủy ban nhân dân"',
                 'UBND: "Ủy ban Nhân dân"')


def edit_config(site: Path) -> None:
    # The site's title, on every page. (Its `description` shows nowhere in the sample's
    # output: the home page has its own, so changing it would change no file.)
    replace_once(site / "site_config.yaml",
                 'title: "Cổng thông tin Giảm nghèo về thông tin Bạc Liêu"',
                 'title: "Cổng thông tin Giảm nghèo về thông tin tỉnh Bạc Liêu"')


def edit_static(site: Path) -> None:
    replace_once(site / "static" / "images" / "loa.svg",
                 'fill="#f6c343"', 'fill="#f0a830"')  # the sun's colour


def add_translation(site: Path) -> None:
    # A site's i18n/vi.yaml overrides Loa's strings key by key (loa/i18n.py).
    folder = site / "i18n"
    folder.mkdir(exist_ok=True)
    (folder / "vi.yaml").write_text(
        'site:\n'
        '  footer: "Trang được làm nhẹ để mở nhanh trên điện thoại, cả khi sóng yếu."\n',
        encoding="utf-8")


def add_article_translation(site: Path) -> None:
    # x.km.md beside x.md, started as a translator starts one (`build.py translate`): the
    # Khmer copy gets its own title, and every copy of the page now names the others
    subprocess.run([sys.executable, str(ROOT / "build.py"), "translate",
                    "content/guides/chuyen-sang-4g.md", "km"], cwd=site, check=True,
                   capture_output=True)
    path = site / "content" / "guides" / "chuyen-sang-4g.km.md"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(title, 'title: "ប្ដូរទៅប្រើ 4G"', 1), encoding="utf-8")


@dataclass(frozen=True)
class Step:
    name: str
    edit: Callable[[Path], None]
    # output paths this edit must add, remove or change in a cold build (a check that
    # the edit did what it is meant to, beside "something changed")
    must_change: tuple[str, ...] = ()
    # files the rebuild may make again although their bytes stay the same, because one of
    # their inputs changed in a way only making them can tell (`site` -> paths)
    also_made: Callable[[Path], set[str]] = lambda site: set()


def linking_renamed(site: Path) -> set[str]:
    # The articles that link the renamed one have a new body (the link's address); their
    # loudspeaker script, its page and leaflet are made from that body, and happen not to
    # show it.
    found = set()
    for path in (site / "content").rglob("*.md"):
        if f"{NEW_NAME}.md" in path.read_text(encoding="utf-8") and "." not in path.stem:
            folder = path.relative_to(site / "content").with_suffix("").as_posix()
            found |= {f"{folder}/loa.txt", f"{folder}/loa/index.html"}
            if folder.startswith(("guides/", "policies/")):
                found.add(f"{folder}/to-roi/index.html")
    return found


def every_script_and_article(site: Path) -> set[str]:
    # The glossary is an input of every loudspeaker script and its page; a script's
    # reading time is shown on its article.
    found = set()
    for path in (site / "content").glob("*/*.md"):
        if path.stem != "_index" and "." not in path.stem:
            folder = path.relative_to(site / "content").with_suffix("").as_posix()
            found |= {f"{folder}/loa.txt", f"{folder}/loa/index.html", f"{folder}/index.html"}
    return found


STEPS = (
    Step("nothing changed", nothing),
    Step("article body edited", edit_body, ("stories/lua-tom-hong-dan/index.html",)),
    Step("article title and tags edited", edit_title_and_tags,
         ("guides/cai-dat-vneid/index.html", "guides/index.html",
          "chu-de/dinh-danh-dien-tu/index.html", "chu-de/dien-thoai-thong-minh/index.html",
          "guides/cai-dat-vneid/to-roi/index.html", "to-roi/page/2/index.html")),
    Step("article file renamed", rename_article,
         (f"guides/{OLD_NAME}/index.html", f"guides/{NEW_NAME}/index.html",
          "guides/cai-dat-vneid/index.html", f"guides/{OLD_NAME}/to-roi/index.html",
          f"guides/{NEW_NAME}/to-roi/index.html"), linking_renamed),
    Step("article deleted", delete_article,
         (f"stories/{DELETED}/index.html", "stories/index.html")),
    Step("article added", add_article,
         ("stories/ban-khoai-mon-qua-zalo/index.html", "stories/index.html",
          "chu-de/ban-hang-qua-mang/index.html")),
    Step("site template overrides the theme's article.html", override_template,
         ("guides/chuyen-sang-4g/index.html", "policies/ho-tro-chuyen-doi-4g/index.html")),
    Step("dataset value edited", edit_dataset,
         ("thong-ke/poverty-rate/index.html", "thong-ke/poverty-rate/poverty-rate.csv",
          "index.html")),
    Step("loudspeaker glossary edited", edit_glossary,
         ("policies/ke-hoach-giam-ngheo-ve-thong-tin-2024/loa.txt",), every_script_and_article),
    Step("site_config.yaml edited", edit_config,
         ("index.html", "guides/chuyen-sang-4g/index.html")),
    Step("static file edited", edit_static, ("images/loa.svg",)),
    Step("site translation added", add_translation, ("index.html", "404.html")),
    Step("article translated into Khmer", add_article_translation,
         ("km/guides/chuyen-sang-4g/index.html", "guides/chuyen-sang-4g/index.html")),
    Step("site template override removed", remove_template_override,
         ("guides/chuyen-sang-4g/index.html",)),
)


# --- the run ---------------------------------------------------------------------------

@dataclass
class Result:
    step: Step
    mismatches: list[str]  # incremental output vs cold build
    changed: set[str]  # cold build vs the output before the step
    rewritten: list[str]  # same bytes before and after, yet written again
    marked: bool  # the site template's paragraph is in an article of the cold build
    made: set[str]  # files the rebuild made again
    also_made: set[str]  # files it may make again although their bytes stay the same
    output: set[str]  # the files of the cold build

    def __repr__(self) -> str:  # pytest prints the fixture's value with a failure
        return f"<step {self.step.name!r}>"


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> list[Result]:
    root = tmp_path_factory.mktemp("incremental")
    site = root / "site"
    site.mkdir()
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy2(source, site / part)
    out = root / "public"  # beside the site, so copy_site never copies it
    finish(start_build(site, out), "the first build")
    assert (site / ".loa-cache").is_dir(), "the build should keep its cache in the site"
    before = snapshot(out)
    results = []
    for number, step in enumerate(STEPS, 1):
        step.edit(site)
        # the same input twice: a copy without cache (the cold build, in a new folder)
        cold_site = copy_site(site, root / f"cold-{number}" / "site")
        assert not (cold_site / ".loa-cache").exists()
        cold_out = root / f"cold-{number}" / "public"
        # both at once, in their own processes: the incremental one into the same
        # output folder with the same cache, the only state kept between builds
        incremental, fresh = start_build(site, out), start_build(cold_site, cold_out)
        made = finish(incremental, f"the incremental build after step {number} ({step.name})")
        finish(fresh, f"the cold build after step {number} ({step.name})")
        after, cold = snapshot(out), snapshot(cold_out)
        shutil.rmtree(root / f"cold-{number}")  # only its snapshot is needed
        article = cold.get("guides/chuyen-sang-4g/index.html")
        results.append(Result(
            step, differences(after, cold), changed_paths(before, cold),
            rewritten(before, after),
            marked=article is not None and MARK.encode() in article.data,
            made=made, also_made=step.also_made(site), output=set(cold)))
        before = after
    return results


def test_incremental_rebuild_equals_a_cold_build_after_every_edit(journey):
    for number, result in enumerate(journey, 1):
        label = f"step {number} ({result.step.name})"
        assert not result.mismatches, (
            f"{label}: the incremental rebuild differs from a cold build of the same "
            f"input in {len(result.mismatches)} path(s):{listed(result.mismatches)}")
        # the step really changed the output (else it would prove nothing)
        if result.step.edit is nothing:
            assert not result.changed, (
                f"{label}: a cold build of an unchanged site differs from the first "
                f"build in:{listed(sorted(result.changed))}")
        else:
            assert result.changed, f"{label}: the edit changed no output file"
            missing = [p for p in result.step.must_change if p not in result.changed]
            assert not missing, (
                f"{label}: the edit should have changed these files, and did not:"
                f"{listed(missing)}\n  it changed:{listed(sorted(result.changed))}")
    marks = [r.marked for r in journey]
    override = next(i for i, r in enumerate(journey) if r.step.edit is override_template)
    removed = next(i for i, r in enumerate(journey)
                   if r.step.edit is remove_template_override)
    assert marks == [override <= i < removed for i in range(len(journey))], (
        "the site's article.html should be used from its creation to its removal only")


def test_output_files_whose_bytes_did_not_change_are_not_rewritten(journey):
    offences = [f"step {number} ({r.step.name}): {len(r.rewritten)} file(s) rewritten "
                f"with the same bytes, e.g. {', '.join(r.rewritten[:3])}"
                for number, r in enumerate(journey, 1) if r.rewritten]
    assert not offences, (
        "a rebuild wrote again files whose bytes did not change (a new inode or a new "
        "modification time):" + listed(offences, len(offences)))


def test_a_rebuild_makes_again_exactly_what_the_edit_changed(journey):
    """The pages, scripts, feeds and downloads a rebuild makes are those whose bytes the
    edit changed (present in the new output), and no others: a change costs what it
    changed. (Each step's `also_made` names the few it must make to find them
    unchanged, with the reason.)"""
    offences = []
    for number, result in enumerate(journey, 1):
        changed = {p for p in result.changed if made_by_the_build(p) and p in result.output}
        expected = changed | result.also_made
        missed, extra = sorted(expected - result.made), sorted(result.made - expected)
        if missed or extra:
            offences.append(f"step {number} ({result.step.name}): made {len(result.made)}, "
                            f"not made {missed[:5]}, made needlessly {extra[:5]}")
    assert not offences, "a rebuild made more or less than the edit required:" + listed(
        offences, len(offences))


def test_an_edit_made_during_a_failed_build_is_published_by_the_next(tmp_path):
    # A route is kept while its inputs have the digests the *published* site was made
    # from: a failed build in between (which publishes nothing) must not count.
    from helpers import SITES, build
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "public"
    assert build(site, out).code == 0
    zalo, vneid = site / "content" / "guides" / "zalo.md", site / "content" / "guides" / "cai-vneid.md"
    replace_once(zalo, 'title: "Tham gia nhóm Zalo của xã"', 'title: "Vào nhóm Zalo của xã"')
    good = vneid.read_text(encoding="utf-8")
    vneid.write_text(good.replace("date: 2024-03-05", "date: 05/03/2024"), encoding="utf-8")
    assert build(site, out).code == 1  # published nothing
    vneid.write_text(good, encoding="utf-8")
    assert build(site, out).code == 0
    page = (out / "guides" / "zalo" / "index.html").read_text(encoding="utf-8")
    assert "Vào nhóm Zalo của xã" in page and "Tham gia nhóm Zalo" not in page
