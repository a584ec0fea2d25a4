"""Helpers shared by the tests: the project root, running the CLI in-process, copying sites.

Imported as `from helpers import …` (tests/ is on the path through tests/conftest.py).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import json
import io
import multiprocessing
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
TODAY = "2026-11-29"  # builds in tests are dated, so future-dated pages behave the same any day

sys.path.insert(0, str(ROOT))

from loa.cli import main  # noqa: E402
from loa.decap import free_port  # noqa: E402


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Run:
    """Run `build.py ARGS` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def build(source: Path, out: Path, *extra: str) -> Run:
    return run_cli("build", "--source", source, "--out", out, "--today", TODAY, *extra)


def in_child(act: Callable[[], Run], before: Callable[[], None], seconds: float) -> Run:
    """`act()` in a forked child, after `before()` (a fault injected, a file forbidden);
    fails the test on a hang (the child is killed after `seconds`) or on an exception
    escaping it, with the traceback an editor would have seen."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            before()
            send.send(("ran", act()))
        except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
            send.send(("raised", traceback.format_exc()))

    process = context.Process(target=child, daemon=True)
    process.start()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"still running after {seconds} s: a hang")
        outcome, value = receive.recv()
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
    if outcome == "raised":
        pytest.fail(f"raised instead of reporting a problem:\n{value}")
    return value


def copy_site(source: Path, target: Path) -> Path:
    """A writable copy of a site folder (tests never touch the checked-in ones)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("public", ".loa-*"))
    return target


def make_photo(path: Path, width: int = 3000, height: int = 4000) -> Path:
    """A phone-camera-like JPEG: detail at every scale (harder to compress than most
    photos), EXIF with GPS, stored sideways.

    It is saved as height x width pixels with EXIF orientation 6 ("turn 90° to show"),
    as phones do, so a correct pipeline shows it width x height, upright.
    """
    from PIL import Image, ImageDraw, ImageFilter

    stored = (height, width)
    picture = Image.linear_gradient("L").resize(stored).convert("RGB")
    coarse = Image.effect_noise((stored[0] // 10, stored[1] // 10), 60).resize(
        stored, Image.Resampling.BICUBIC).convert("RGB")
    picture = Image.blend(picture, coarse, 0.4)
    picture = Image.blend(picture, Image.effect_noise(stored, 40).convert("RGB"), 0.3)
    draw = ImageDraw.Draw(picture)
    for i in range(60):
        x, y = (i * 397) % stored[0], (i * 613) % stored[1]
        draw.ellipse((x, y, x + 180 + i * 7, y + 120 + i * 5),
                     fill=((i * 40) % 256, (i * 90) % 256, (i * 150) % 256))
    picture = picture.filter(ImageFilter.GaussianBlur(0.6))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "Loa test camera"  # Make
    exif[0x8825] = {1: "N", 2: (9.0, 17.0, 42.0), 3: "E", 4: (105.0, 43.0, 26.0)}  # GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", quality=92, exif=exif)
    return path


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def parse_html(html: str):
    """A page as an ElementTree, read by an HTML parser the way a browser reads it
    (the output is minified: attribute quotes are gone, so plain string matching is brittle)."""
    import xml.etree.ElementTree as ET
    from html.parser import HTMLParser

    root = ET.Element("document")
    stack = [root]

    class Builder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            element = ET.SubElement(stack[-1], tag, {k: v or "" for k, v in attrs})
            if tag not in VOID:
                stack.append(element)

        def handle_startendtag(self, tag, attrs):
            ET.SubElement(stack[-1], tag, {k: v or "" for k, v in attrs})

        def handle_endtag(self, tag):
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    return

        def handle_data(self, data):
            parent = stack[-1]
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + data
            else:
                parent.text = (parent.text or "") + data

    Builder(convert_charrefs=True).feed(html)
    return root


# The one script on every page (templates/base.html): it shows the offline notice and,
# over http(s), registers the service worker. Tests that keep scripts out of pages allow
# this one, recognised by how it starts, and on articles the listen button's: a script
# that fetches the button's player (`nghe.<hash>.js`, in a <template>) only when the
# phone has a voice for the text.
OFFLINE_SCRIPT = "(function(n,e){function u(){e.hidden=n.onLine}"
PRINT_SCRIPT = "(function(b){b.hidden=!window.print"  # a leaflet's print button
LISTEN_SCRIPT = "(function(d,S,T,L){function f(){T.b||"
PLAYER = re.compile(r"(\.\./)*nghe\.[0-9a-f]{12}\.js")


def scripts_but_loas(tree) -> list[str]:
    """The text of every <script> of a parsed page (or its src) but Loa's own: the
    offline one, and the listen button's with its player."""
    found = [("".join(s.itertext()), s.get("src") or "") for s in tree.iter("script")]
    return [text or src for text, src in found
            if not text.startswith((OFFLINE_SCRIPT, LISTEN_SCRIPT))
            and not (src and not text and PLAYER.fullmatch(src))]


def hrefs(html: str) -> list[str]:
    return [a.get("href") for a in parse_html(html).iter("a") if a.get("href")]


# A `contact` block of site_config.yaml with every field (issue 15, point 2).
CONTACT_YAML = """\
contact:
  agency: "Sở Khoa học và Công nghệ"
  address: "Số 1, phường 1"
  phone: "0291 3822 123"
  email: "lienhe@example.gov.vn"
  zalo: "https://zalo.me/1234567890"
  hours: "Thứ Hai đến thứ Sáu"
  person: "Ông Nguyễn Văn A"
"""


# Pages of the sample site that browser tests visit: one of each kind. The policy and
# the guide articles both carry a lead image; the policy leaflet is of an expired policy.
SAMPLE_PAGES = {
    "home": "index.html",
    "section list": "policies/index.html",
    "policy article": "policies/ho-tro-chuyen-doi-4g/index.html",
    "guide article": "guides/chuyen-sang-4g/index.html",
    "statistics list": "thong-ke/index.html",
    "dataset": "thong-ke/infrastructure-coverage/index.html",
    "404": "404.html",
    "khmer article": "km/guides/cai-dat-vneid/index.html",  # translated
    "khmer copy": "km/guides/chuyen-sang-4g/index.html",  # not translated: Vietnamese text
    "english home": "en/index.html",
    "guide leaflet": "guides/cai-dat-vneid/to-roi/index.html",
    "policy leaflet": "policies/ke-hoach-giam-ngheo-ve-thong-tin-2024/to-roi/index.html",
    "leaflet list": "to-roi/index.html",
    "contact page": "lien-he/index.html",
}


def open_page(page, url: str):
    """page.goto that insists on a successful answer."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    return response


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output clean
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/ serving `directory` on a free port, stopped on exit."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free one
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# A 1,000-article site: sentences from the sample content, a Markov chain over its words
# mixed with a larger made-up vocabulary (more distinct word pairs than real text has).
def search_corpus(count: int = 1000, seed: int = 7):
    import random
    import unicodedata

    from loa import search
    from loa.search import SearchDoc

    rng = random.Random(seed)
    text = " ".join(p.read_text(encoding="utf-8").split("---", 2)[-1]
                    for p in sorted((ROOT / "content").rglob("*.md")))
    sample = search.words(unicodedata.normalize("NFC", text))
    sample = [unicodedata.normalize("NFC", w) for w in sample]
    following: dict[str, list[str]] = {}
    for a, b in zip(sample, sample[1:]):
        following.setdefault(a, []).append(b)
    onsets = "b c ch d đ g gh h k kh l m n ng nh p ph qu r s t th tr v x".split()
    rhymes = "a à á ả ã ạ an ang anh ao ay âm ân ăn ê ênh i im in inh o oa oan ôi ông ơn u ung ư ưa ươi".split()
    extra = [rng.choice(onsets) + rng.choice(rhymes) for _ in range(6000)]

    def sentence(n: int) -> str:
        word, out = rng.choice(sample), []
        for _ in range(n):
            out.append(word)
            if rng.random() < 0.25:
                word = extra[int(len(extra) ** rng.random()) - 1]  # Zipf-like
            else:
                word = rng.choice(following.get(word) or sample)
        return " ".join(out)

    sections = ["Chính sách", "Gương thoát nghèo", "Hướng dẫn"]
    return [SearchDoc(f"/s{i % 3}/bai-viet-so-{i}/", sentence(rng.randint(6, 14)).capitalize(),
                      sections[i % 3], f"{1 + i % 28:02d}/{1 + i % 12:02d}/2024",
                      sentence(rng.randint(20, 35)), sentence(rng.randint(300, 900)),
                      (sentence(2), sentence(1)))
            for i in range(count)]


def search_for(page, query: str) -> list[str]:
    """Type a query in the search page's box, press Enter, and return the titles shown
    (the client signals 'loa:results' on the results list once it has drawn them)."""
    page.evaluate("""() => { window.__done = new Promise(r => document.getElementById(
        'search-results').addEventListener('loa:results', r, {once: true})) }""")
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.evaluate("() => window.__done")
    return page.locator("#search-results li > a").all_inner_texts()


@functools.cache
def bench_corpus():
    """bench/corpus.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# --- the web editor (`edit`) ---

# tests/install.sh installs Decap CMS and decap-server here, at loa/decap.py's versions.
EDITOR_PARTS = ROOT / "tests" / ".node"


def wait_for(check: Callable[[], object], seconds: float, what: str) -> object:
    """Poll `check` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"after {seconds} s: {what}")
        time.sleep(0.05)


def with_editor(site: Path) -> Path:
    """`site` with the editor installed, as `edit --install` leaves it (the packages of
    tests/install.sh, linked rather than installed again)."""
    if not (EDITOR_PARTS / "node_modules" / "decap-server").is_dir():
        pytest.fail("Decap CMS is missing: run sh tests/install.sh")
    (site / ".loa-editor").symlink_to(EDITOR_PARTS, target_is_directory=True)
    return site


class Running:
    """`build.py COMMAND --source SITE` serving on a free port of 127.0.0.1, in its own
    process, what it prints kept; `program` runs instead of build.py (a launcher that
    injects a fault), with `env` added to the environment."""

    def __init__(self, command: str, site: Path, started: str, seconds: float = 30,
                 program: Sequence[str] = ("build.py",), env: dict[str, str] | None = None
                 ) -> None:
        self.site, self.port, self.lines = site, free_port(), []
        self.base = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-u", *program, command, "--source", str(site),
             "--port", str(self.port), "--today", TODAY],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})})
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: any(started in line for line in self.lines)
                 or self.process.poll() is not None, seconds, f"{command} did not start")
        if self.process.poll() is not None:
            pytest.fail(f"{command} stopped:\n{self.said()}")

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def said(self) -> str:
        return "".join(self.lines)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Editing(Running):
    """`build.py edit` on `site` (the editor installed: `with_editor`)."""

    def __init__(self, site: Path) -> None:
        super().__init__("edit", site, "Soạn bài tại", seconds=60)


# --- the W3C Nu Html Checker ---

# npm's vnu-jar, installed by tests/install.sh; it needs java. All files go to one java
# process, since the JVM start is the slow part.
JAR = ROOT / "tests" / ".node/node_modules/vnu-jar/build/dist/vnu.jar"


def _vnu_command() -> list[str]:
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: run sh tests/install.sh (it installs npm's vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found, the Nu Html Checker needs it: apt-get install default-jre-headless")
    return [java, "-jar", str(JAR), "--errors-only", "--format", "json"]


def validate(files: list[Path]) -> list[dict]:
    """The error messages vnu reports for FILES (an empty list when they are all valid)."""
    assert files, "nothing to validate"
    done = subprocess.run(
        [*_vnu_command(), *map(str, files)], capture_output=True, text=True, timeout=300
    )
    report = (done.stderr.strip() or done.stdout.strip())  # vnu writes its JSON to stderr
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert done.returncode == (1 if errors else 0), f"vnu exit {done.returncode}: {report[:2000]}"
    return errors
