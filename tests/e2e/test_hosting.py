"""The hosting recipes of docs/, proven rather than only written.

Debian's nginx serves a built site under /portal/ with docs/nginx.conf itself (only its
address and folder changed) and is asked over real HTTP what a phone would ask: the
precompressed copies, the cache headers, the 404 page, an old address, the sub-path.
The Pages workflows are checked against their published schemas and run as a host runs
them, and what docs/hosting.md says of the copies is compared with the copies made.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin

import brotli
import pytest
import yaml

from helpers import ROOT, SITES, build, copy_site, free_port, make_photo, parse_html, wait_for

DOCS = ROOT / "docs"
PREFIX = "/portal/"
BASE_URL = "https://giamngheo.example.gov.vn/portal/"
IMMUTABLE = "public, max-age=31536000, immutable"
BROTLI_MODULE = "ngx_http_brotli_static_module.so"

# An article with a photo, so that the build makes resized copies named by their hash.
PHOTO_ARTICLE = """---
title: "Ảnh chụp ở ruộng"
date: 2024-05-01
summary: "Một tấm ảnh chụp bằng điện thoại."
image: /images/ruong.jpg
image_alt: "Cánh đồng lúa tôm ở Phước Long"
---
Ruộng lúa tôm sau mùa mưa.
"""

# What nginx needs around docs/nginx.conf's `server` block, every path in the test's own
# folder. As root, the master would start its workers as `nobody`, who may not read the
# test's private temporary folder: they run as root instead.
MAIN_CONFIG = """\
{user}{modules}pid {run}/nginx.pid;
error_log {run}/error.log;
events {{
    worker_connections 64;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run}/access.log;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
{server}
}}
"""


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def decoded(self) -> bytes:
        """The body as the browser reads it, whatever encoding the server chose."""
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            return gzip.decompress(self.body)
        if encoding == "br":
            return brotli.decompress(self.body)
        assert encoding is None, encoding
        return self.body


@dataclass
class Hosted:
    """The site built with base_url under /portal/, served by nginx on 127.0.0.1."""

    out: Path
    port: int
    brotli: bool  # whether nginx has the brotli_static module (detected, not assumed)

    def get(self, path: str, accept: str | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            # without a header of ours http.client asks for `identity`
            connection.request("GET", path, headers={"Accept-Encoding": accept} if accept else {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def files(self) -> list[str]:
        """Every published file (not the .gz/.br copies), relative to the site's folder."""
        return sorted(p.relative_to(self.out).as_posix() for p in self.out.rglob("*")
                      if p.is_file() and p.suffix not in (".gz", ".br"))


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK)
                                      else None)
    if found is None:
        pytest.fail("nginx is missing: run sh tests/install.sh")
    return found


def brotli_module(nginx: str) -> Path | None:
    """Debian's brotli_static module, if it is installed where this nginx keeps modules."""
    configure = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    folder = re.search(r"--modules-path=(\S+)", configure)
    module = Path(folder.group(1) if folder else "/usr/lib/nginx/modules") / BROTLI_MODULE
    return module if module.is_file() else None


def server_block(port: int, out: Path, brotli_static: bool) -> str:
    """docs/nginx.conf with only its address and folder changed (and, where nginx lacks
    the module, its brotli_static line taken out, as its comment tells a reader to)."""
    config = (DOCS / "nginx.conf").read_text(encoding="utf-8")
    changes = {"listen 80;": f"listen 127.0.0.1:{port};",
               "alias /srv/loa/public/;": f"alias {out}/;"}
    if not brotli_static:
        changes["brotli_static on;"] = ""
    for old, new in changes.items():
        assert config.count(old) == 1, f"docs/nginx.conf no longer says `{old}` once"
        config = config.replace(old, new)
    return config


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> Iterator[Hosted]:
    nginx = nginx_binary()
    root = tmp_path_factory.mktemp("hosting")
    site = copy_site(SITES / "minimal", root / "site")
    make_photo(site / "static" / "images" / "ruong.jpg", 900, 1200)
    (site / "content" / "stories" / "anh-ruong.md").write_text(PHOTO_ARTICLE, encoding="utf-8")
    out = root / "public"
    result = build(site, out, "--base-url", BASE_URL)
    assert result.code == 0, result.err

    run, port, module = root / "nginx", free_port(), brotli_module(nginx)
    run.mkdir()
    config = run / "nginx.conf"
    config.write_text(MAIN_CONFIG.format(
        user="user root;\n" if os.geteuid() == 0 else "",
        modules=f"load_module {module};\n" if module else "",
        run=run, server=server_block(port, out, module is not None)), encoding="utf-8")
    log = (run / "stderr.log").open("wb")
    process = subprocess.Popen([nginx, "-p", f"{run}/", "-e", str(run / "error.log"),
                                "-c", str(config), "-g", "daemon off;"],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    try:
        # nginx writes its pid file once it listens
        wait_for(lambda: process.poll() is not None or (run / "nginx.pid").exists(), 30,
                 "nginx did not start")
        if process.poll() is not None:
            pytest.fail("nginx stopped:\n" + (run / "stderr.log").read_text(errors="replace"))
        yield Hosted(out, port, module is not None)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def named_by_content(name: str, content: bytes) -> bool:
    """Whether a dot-separated part of the file's name is a hash of its bytes (SHA-256 in
    hex or base64url, or BLAKE2b in hex, cut to that part's length): such a name can never
    be given to other bytes, so the file may be kept for good."""
    sha256 = hashlib.sha256(content).digest()
    for part in name.split(".")[1:-1]:
        size = len(part)
        if size < 6:
            continue
        hashes = {sha256.hex()[:size], base64.urlsafe_b64encode(sha256).decode()[:size]}
        if size % 2 == 0 and size <= 128:
            hashes.add(hashlib.blake2b(content, digest_size=size // 2).hexdigest())
        if part in hashes:
            return True
    return False


def test_every_file_is_served_as_built_under_the_sub_path(hosted):
    files = hosted.files()
    assert "index.html" in files and "404.html" in files
    for path in files:
        answer = hosted.get(PREFIX + path)
        assert (answer.status, answer.headers.get("Content-Encoding")) == (200, None), path
        assert answer.body == (hosted.out / path).read_bytes(), path
        if path.endswith("index.html"):  # the folder's own address gives its page
            folder = hosted.get(PREFIX + path.removesuffix("index.html"))
            assert (folder.status, folder.body) == (200, answer.body), path


def test_the_address_without_its_last_slash_leads_to_the_portal(hosted):
    answer = hosted.get(PREFIX.rstrip("/"))
    assert answer.status == 301
    assert urljoin(hosted.url("/portal"), answer.headers["Location"]) == hosted.url(PREFIX)


def test_only_the_sub_path_is_the_portal(hosted):
    for path in ("/index.html", "/guides/", "/404.html"):
        answer = hosted.get(path)
        assert answer.status == 404, path
        assert answer.body != (hosted.out / "404.html").read_bytes(), path


def sent_copy(hosted: Hosted, path: str, accept: str | None) -> str | None:
    """Which copy the server should send for `accept`: the smallest it has (Brotli when
    it has the module), whatever order the browser names them in."""
    accepted = {e.strip() for e in (accept or "").split(",")}
    for encoding, suffix, offered in (("br", ".br", hosted.brotli), ("gzip", ".gz", True)):
        if encoding in accepted and offered and (hosted.out / (path + suffix)).is_file():
            return encoding
    return None


def test_precompressed_copies_are_sent_as_they_are(hosted):
    packed = [p for p in hosted.files() if (hosted.out / (p + ".gz")).is_file()]
    assert {"index.html", "404.html", "sw.js", "atom.xml", "sitemap.xml"} <= set(packed)
    assert all((hosted.out / (p + ".br")).is_file() for p in packed)
    sent = set()
    for path in packed:
        plain = (hosted.out / path).read_bytes()
        for accept in (None, "gzip", "br", "br, gzip", "gzip, br"):
            answer = hosted.get(PREFIX + path, accept)
            encoding = sent_copy(hosted, path, accept)
            sent.add(encoding)
            assert answer.status == 200, (path, accept)
            assert answer.headers.get("Content-Encoding") == encoding, (path, accept)
            if encoding:
                suffix = {"br": ".br", "gzip": ".gz"}[encoding]
                assert answer.body == (hosted.out / (path + suffix)).read_bytes(), (path, accept)
            assert answer.decoded() == plain, (path, accept)
            # a cache between the server and the phone keeps each copy for its own readers
            assert answer.headers.get("Vary") == "Accept-Encoding", (path, accept)
    assert sent == ({None, "gzip", "br"} if hosted.brotli else {None, "gzip"})


def test_a_file_without_copies_is_sent_plain_to_any_browser(hosted):
    plain = [p for p in hosted.files() if not (hosted.out / (p + ".gz")).exists()
             and not (hosted.out / (p + ".br")).exists()]
    assert "robots.txt" in plain
    for path in plain:
        answer = hosted.get(PREFIX + path, "br, gzip")
        assert answer.headers.get("Content-Encoding") is None, path
        assert answer.body == (hosted.out / path).read_bytes(), path


def test_only_files_named_by_their_content_are_kept_for_a_year(hosted):
    fingerprinted = []
    for path in hosted.files():
        forever = named_by_content(path.rsplit("/", 1)[-1], (hosted.out / path).read_bytes())
        if forever:
            fingerprinted.append(path)
        for accept in (None, "br, gzip"):
            answer = hosted.get(PREFIX + path, accept)
            expected = IMMUTABLE if forever else "no-cache"
            assert answer.headers.get("Cache-Control") == expected, (path, accept)
    # every kind the build names by content is among them: the test cannot pass on none
    kinds = {"resized photo": r"images/ruong-360\.[0-9a-f]{10}\.webp",
             "photo fallback": r"images/ruong-360\.[0-9a-f]{10}\.jpg",
             "link preview card": r"images/ruong-chia-se\.[0-9a-f]{10}\.jpg",
             "listen player": r"nghe\.[0-9a-f]{12}\.js",
             "search script": r"tim-kiem/loa-search\.[0-9a-f]{10}\.js",
             "search shard": r"tim-kiem/i/[0-9]+\.[\w-]{6}\.js",
             "search rows": r"tim-kiem/i/m[0-9]+\.[\w-]{6}\.js",
             "search manifest": r"tim-kiem/i/manifest\.[\w-]{6}\.js"}
    missing = [kind for kind, pattern in kinds.items()
               if not any(re.fullmatch(pattern, path) for path in fingerprinted)]
    assert missing == []


def immutable_pattern(doc: str, context: str) -> str:
    """The pattern a recipe in docs/ gives the files it keeps for a year (`context`
    is the regular expression around it, a group where the pattern is)."""
    found = re.findall(context, (DOCS / doc).read_text(encoding="utf-8"))
    assert len(found) == 1, f"docs/{doc}: {context}"
    return found[0]


def test_apache_and_caddy_keep_the_same_files_for_a_year(hosted):
    """Not served here: their patterns, read as Apache (a file's name, or its copy's)
    and Caddy (the path under /portal/) read them, pick exactly the files nginx keeps."""
    year = r'\s*[^\n]*Cache-Control "public, max-age=31536000, immutable"'
    apache = immutable_pattern("apache.htaccess", r'<FilesMatch "([^"]+)">' + year)
    caddy = immutable_pattern("Caddyfile", r'@fingerprinted path_regexp "([^"]+)"')
    assert immutable_pattern("Caddyfile", r'@revalidated not path_regexp "([^"]+)"') == caddy
    for path in hosted.files():
        forever = named_by_content(path.rsplit("/", 1)[-1], (hosted.out / path).read_bytes())
        assert bool(re.search(caddy, "/" + path)) == forever, path
        for suffix in ("", ".gz", ".br"):
            if (hosted.out / (path + suffix)).is_file():
                name = path.rsplit("/", 1)[-1] + suffix
                assert bool(re.search(apache, name)) == forever, name


def test_text_files_say_they_are_utf8(hosted):
    texts = [p for p in hosted.files() if p.endswith((".html", ".css", ".js", ".svg", ".xml",
                                                      ".json", ".csv", ".txt"))]
    assert {".txt", ".csv", ".json", ".svg"} <= {Path(p).suffix for p in texts}
    for path in texts:
        kind = hosted.get(PREFIX + path, "br, gzip").headers["Content-Type"]
        assert kind.endswith("; charset=utf-8"), (path, kind)
        if path.endswith(".csv"):  # not in nginx's mime.types: docs/nginx.conf names it
            assert kind == "text/csv; charset=utf-8"


def test_a_missing_page_at_any_depth_is_the_404_page_with_status_404(hosted):
    not_found = (hosted.out / "404.html").read_bytes()
    links = [a.get("href") for a in parse_html(not_found.decode()).iter("a")]
    for path in ("/portal/khong-co/", "/portal/guides/khong-co/trang/nay/",
                 "/portal/guides/khong-co.html", "/portal/images/anh-360.0123456789.webp"):
        for accept in (None, "br, gzip"):
            answer = hosted.get(path, accept)
            assert answer.status == 404, (path, accept)
            assert answer.decoded() == not_found, (path, accept)
            # a name that may yet be published is never remembered as missing for a year
            assert "immutable" not in answer.headers.get("Cache-Control", ""), path
        # its links start from the site's path (base_url's), so they work from any depth
        followed = {urljoin(path, link) for link in links if not link.startswith("#")}
        assert len(followed) >= 5
        for target in followed:
            assert target.startswith(PREFIX), (path, target)
            assert hosted.get(target).status == 200, (path, target)


def refresh_target(page: bytes) -> str:
    """Where a meta refresh page sends the browser (`0; url=…`)."""
    for meta in parse_html(page.decode()).iter("meta"):
        if meta.get("http-equiv", "").lower() == "refresh":
            return re.fullmatch(r"\s*0\s*;\s*url=(.+)", meta.get("content")).group(1)
    pytest.fail("no meta refresh")


def test_an_old_address_leads_to_the_article(hosted):
    # tests/sites/minimal/content/guides/cai-vneid.md: aliases: ["/cu/vneid/"]. Like Hugo's
    # aliases, the old address is a page that sends the browser on (any host can serve it).
    old = PREFIX + "cu/vneid/"
    answer = hosted.get(old)
    assert answer.status == 200
    target = urljoin(old, refresh_target(answer.body))
    assert target == PREFIX + "guides/cai-vneid/index.html"
    article = hosted.get(target)
    assert article.status == 200
    assert article.body == (hosted.out / "guides/cai-vneid/index.html").read_bytes()
    # the old address written without its last slash reaches it too
    bare = hosted.get(old.rstrip("/"))
    assert bare.status == 301
    assert urljoin(hosted.url(old), bare.headers["Location"]) == hosted.url(old)


def test_the_hosting_doc_describes_the_copies_the_build_makes(hosted):
    """docs/hosting.md's gzip level, Brotli quality and size floor, checked on the bytes."""
    doc = (DOCS / "hosting.md").read_text(encoding="utf-8")

    def said(pattern: str) -> int:  # the one figure the page gives, wherever it says it
        [figure] = {int(found.replace(",", "")) for found in re.findall(pattern, doc)}
        return figure

    level, quality = said(r"gzip level (\d+)"), said(r"Brotli quality (\d+)")
    floor = said(r"of ([\d,]+) bytes or more")
    copies = sorted(p.relative_to(hosted.out).as_posix() for p in hosted.out.rglob("*.[gb][zr]"))
    assert len(copies) >= 10
    for copy in copies:
        path, suffix = copy.rsplit(".", 1)
        plain, packed = (hosted.out / path).read_bytes(), (hosted.out / copy).read_bytes()
        assert len(plain) >= floor, copy
        if suffix == "gz":
            assert packed == gzip.compress(plain, compresslevel=level, mtime=0), copy
        else:  # a window no larger than the file (loa/assets.py): one of 10 to 24 bits
            assert any(packed == brotli.compress(plain, quality=quality, lgwin=window)
                       for window in range(10, 25)), copy
    pages = [p for p in hosted.files() if p.endswith(".html")]
    for page in pages:
        big = (hosted.out / page).stat().st_size >= floor
        assert (hosted.out / (page + ".gz")).is_file() == big, page


def workflow(name: str) -> dict:
    return yaml.safe_load((DOCS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, schema", [("github-pages.yml", "vendor.github-workflows"),
                                          ("gitlab-pages.yml", "vendor.gitlab-ci")])
def test_the_pages_workflows_follow_their_published_schemas(name, schema):
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail("check-jsonschema is missing: run sh tests/install.sh")
    # the schemas come with check-jsonschema: nothing is fetched
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                              schema, str(DOCS / name)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def github_steps(flow: dict) -> tuple[list[str], str]:
    """The commands of the build job, and the folder it uploads for Pages to publish."""
    steps = flow["jobs"]["build"]["steps"]
    upload = next(s for s in steps
                  if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    deploy = flow["jobs"]["deploy"]["steps"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy)
    return [s["run"] for s in steps if "run" in s], upload["with"]["path"]


def gitlab_steps(flow: dict) -> tuple[list[str], str]:
    job = flow["pages"]  # GitLab publishes what the job of this name leaves
    [folder] = job["artifacts"]["paths"]
    return job["script"], folder


@pytest.mark.parametrize("name, read, variable", [
    ("github-pages.yml", github_steps, "${{ steps.pages.outputs.base_url }}"),
    ("gitlab-pages.yml", gitlab_steps, "$CI_PAGES_URL")])
def test_the_pages_workflows_build_what_they_publish(tmp_path, name, read, variable):
    """The workflow installs Loa's requirements, then its build command, run as the host's
    runner would in a portal's repository (with the address the host gives), writes the
    folder the workflow publishes."""
    commands, folder = read(workflow(name))
    assert commands[:-1] == ["python -m pip install -r requirements.txt"], commands
    command = commands[-1]
    address = "https://tinh.example.io/cong-thong-tin"  # as hosts give it: no last slash
    assert command.startswith("python build.py ") and variable in command, command
    command = command.replace(variable, address).replace(
        "python build.py", f"{sys.executable} {ROOT / 'build.py'}", 1)
    site = copy_site(SITES / "minimal", tmp_path / "site")
    ran = subprocess.run(command, shell=True, cwd=site, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    home = (site / folder / "index.html").read_text(encoding="utf-8")
    canonical = [link.get("href") for link in parse_html(home).iter("link")
                 if link.get("rel") == "canonical"]
    assert canonical == [address + "/"]
