"""`build.py serve` as an editor uses it, over real HTTP on 127.0.0.1, in its own process."""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest
from tornado import httpclient, websocket

from helpers import ROOT, SITES, Running, copy_site, run_cli, wait_for

from loa import output
from loa.cache import Cache

STARTED = "Xem trước tại"
REBUILT = "Đã dựng lại"
ERROR_PAGE = "Chưa dựng được trang"
PAGE = "guides/zalo/index.html"
ARTICLE = Path("content/guides/zalo.md")
# `build.py serve` with a fault that a test switches on by writing its name into the file
# named by LOA_FAULT: "bug" (an exception of Loa's own while a page is published), or
# "ENOSPC" (the disk is full; the error names no file, as a buffered write's does not).
FAULTY = """
import errno, os, sys
from pathlib import Path
from loa import output
from loa.cli import main

switch = Path(os.environ["LOA_FAULT"])
put = output.Publisher.put

def faulty_put(self, *args, **kwargs):
    fault = switch.read_text() if switch.exists() else ""
    if fault == "bug":
        raise RuntimeError("a fault injected by the test")
    if fault == "ENOSPC":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return put(self, *args, **kwargs)

output.Publisher.put = faulty_put
sys.exit(main(sys.argv[1:]))
"""


class Served(Running):
    def __init__(self, site: Path, fault: Path | None = None) -> None:
        """`fault`: run with the fault FAULTY, switched by that file."""
        super().__init__("serve", site, STARTED,
                         program=["-c", FAULTY] if fault else ["build.py"],
                         env={"LOA_FAULT": str(fault or "")})

    def rebuilds(self) -> int:
        return sum(REBUILT in line for line in self.lines)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def ask(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """GET `path` exactly as written (no quoting), with `headers` (a Host of its own)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def page_once(self, status: int, *words: str) -> str:
        """PAGE once it is answered with `status` and says `words` (a rebuild takes a moment)."""
        def answered() -> str | None:
            found, page = self.get(PAGE)
            return page if found == status and all(w in page for w in words) else None
        return wait_for(answered, 10, f"{PAGE} was not {status} with {words}:\n{self.said()}")


@pytest.fixture
def start(tmp_path) -> Iterator[Callable[..., Served]]:
    """Serve a copy of the minimal site (with `templates/`, for a template to be saved in)."""
    servers: list[Served] = []

    def start(fault: Path | None = None) -> Served:
        site = copy_site(SITES / "minimal", tmp_path / "site")
        (site / "templates").mkdir()
        servers.append(Served(site, fault))
        return servers[-1]
    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def served(start) -> Served:
    return start()


def edit(site: Path, old: str, new: str) -> None:
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_edit_break_fix_without_the_server_ever_stopping(served):
    status, page = served.get(PAGE)
    assert status == 200 and "Hỏi cán bộ ấp" in page
    # A save shows on the page (how fast is measured by bench/serve.py, never asserted)
    edit(served.site, "Hỏi cán bộ ấp", "Hỏi trưởng ấp")
    wait_for(lambda: "Hỏi trưởng ấp" in served.get(PAGE)[1], 10, "the edit did not show")
    # Broken front matter: every page shows the problem with its file and line.
    edit(served.site, "date: 2024-05-01", "date: 01/05/2024")
    page = served.page_once(500, "zalo.md:3</code>:")
    assert "01/05/2024" in page and "2024-05-01" in page
    assert "zalo.md:3</code>:" in served.get("index.html")[1]  # the other pages say it too
    # Fixed: the page comes back by itself.
    edit(served.site, "date: 01/05/2024", "date: 2024-05-01")
    assert "Hỏi trưởng ấp" in served.page_once(200)
    assert served.process.poll() is None  # still serving


def test_a_burst_of_ten_saves_rebuilds_once(served):
    before = served.rebuilds()
    existing = sorted((served.site / "content").rglob("*.md"))
    new = [served.site / "content" / "stories" / f"moi-{i}.md" for i in range(10 - len(existing))]
    texts = {path: path.read_text(encoding="utf-8") + "\nThêm một dòng.\n" for path in existing}
    texts.update({path: f"---\ntitle: \"Bài mới {i}\"\ndate: 2024-06-0{i + 1}\n---\nChào.\n"
                  for i, path in enumerate(new)})
    assert len(texts) == 10
    for attempt in range(3):  # a machine busy with other work may stretch a burst
        started = time.monotonic()
        for path, text in texts.items():  # spread over the 100 ms, as an editor's "save all" is
            path.write_text(text + "\n" * attempt, encoding="utf-8")
            time.sleep(0.008)
        burst = time.monotonic() - started
        wait_for(lambda: served.rebuilds() > before, 10, "no rebuild after the burst")
        time.sleep(1.5)  # room for a second rebuild, were the watcher to make one
        if burst < 0.1:
            break
        before = served.rebuilds()
    assert burst < 0.1, f"no burst of saves took under 100 ms (the last {burst:.2f} s)"
    assert served.rebuilds() == before + 1, "".join(served.lines)


def test_only_the_preview_folder_is_served_and_reload_is_never_written(served):
    for path in ("/../site_config.yaml", "/%2e%2e/site_config.yaml", "/..%2fsite_config.yaml",
                 "//etc/passwd", "/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd", "/%2e%2e/",
                 "/..\\site_config.yaml", "/%5c..%5csite_config.yaml",
                 "/%252e%252e/site_config.yaml", "/%2e%2e%2f%2e%2e%2fsite/site_config.yaml"):
        status, body = served.ask(path)
        assert status == 404, path
        assert b"sections:" not in body and b"root:" not in body
    status, page = served.get(PAGE)
    assert status == 200 and "livereload.js" in page  # added as the page is served
    written = served.site / ".loa-cache" / "preview" / PAGE
    assert "livereload" not in written.read_text(encoding="utf-8")


def test_the_server_listens_on_loopback_only(served):
    """Read from the kernel's table of listening sockets, without sending anything."""
    def listening() -> list[str]:
        found = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for row in Path(table).read_text().splitlines()[1:]:
                local, state = row.split()[1], row.split()[3]
                address, port = local.rsplit(":", 1)
                if state == "0A" and int(port, 16) == served.port:  # 0A: LISTEN
                    found.append(address)
        return found
    assert wait_for(listening, 5, "no listening socket") == ["0100007F"]  # 127.0.0.1 only


def test_a_template_that_raises_shows_the_error_page_until_it_is_fixed(served):
    """Whether Loa reports it as the template's problem or takes it for a fault of its own,
    a template that raises is said in the page and in one line, and the server serves on."""
    theme = (ROOT / "templates" / "article.html").read_text(encoding="utf-8")
    assert "<h1>{{ title }}</h1>" in theme
    template = served.site / "templates" / "article.html"
    template.write_text(theme.replace("<h1>{{ title }}</h1>", "<h1>{{ 1 // 0 }}</h1>"),
                        encoding="utf-8")
    page = served.page_once(500, ERROR_PAGE)
    # the place in monospace, the words in the body's font (tone marks break in monospace)
    line = theme[:theme.index("<h1>{{ title }}</h1>")].count("\n") + 1
    assert f"<li><code>templates/article.html:{line}</code>: lỗi trong mẫu trang" in page, page
    assert served.get("index.html")[0] == 500  # every page says so
    assert "Traceback" not in served.said()
    template.write_text(theme, encoding="utf-8")
    assert "Tham gia nhóm Zalo" in served.page_once(200)
    assert served.process.poll() is None


@contextlib.contextmanager
def a_save_fails(served: Served, *words: str) -> Iterator[str]:
    """Save the article: every page must turn into the error page saying `words` (given
    to the block, which takes the cause away); then save again: the page must come back,
    the server never having stopped nor printed a traceback."""
    edit(served.site, "Hỏi cán bộ ấp", "Hỏi trưởng ấp")
    yield served.page_once(500, ERROR_PAGE, *words)
    edit(served.site, "Hỏi trưởng ấp", "Hỏi cán bộ ấp")
    assert "Hỏi cán bộ ấp" in served.page_once(200)
    assert "Traceback" not in served.said() and served.process.poll() is None


def test_a_fault_of_loa_is_shown_with_its_traceback_saved_and_survived(start, tmp_path):
    fault = tmp_path / "fault"
    served = start(fault)
    fault.write_text("bug")
    with a_save_fails(served, "Lỗi của chính Loa") as page:
        saved = sorted((served.site / ".loa-cache").glob("loa-error-*.txt"))
        assert saved and str(saved[-1]) in page
        assert "RuntimeError: a fault injected by the test" in saved[-1].read_text("utf-8")
        assert any("Lỗi của chính Loa" in line and str(saved[-1]) in line
                   for line in served.lines), served.said()  # one line in the terminal
        fault.unlink()


def test_a_full_disk_is_a_plain_problem_not_a_fault_of_loa(start, tmp_path):
    fault = tmp_path / "fault"
    served = start(fault)
    fault.write_text("ENOSPC")
    with a_save_fails(served, "ổ đĩa đã đầy") as page:
        assert ".loa-cache/preview" in page  # (a write that fails names no file: the folder)
        assert "Lỗi của chính Loa" not in page
        assert not list((served.site / ".loa-cache").glob("loa-error-*.txt"))
        fault.unlink()


def test_another_build_holding_the_preview_folder_is_a_problem_not_a_crash(served):
    held = output.Publisher(served.site / ".loa-cache" / "preview", Cache(None),
                            precompress=False)
    with a_save_fails(served, "một tiến trình Loa khác"):
        held.close()


def test_malformed_paths_are_bad_requests_and_impossible_ones_not_found(served):
    for path in ("/%00", "/guides/%00/index.html", "/%zz", "/guides/%c3%28/", "/%", "/a%0"):
        assert served.ask(path)[0] == 400, path
    for path in ("/" + "a" * 5000, "/" + "a/" * 2500, "/" + "a" * 300 + "/index.html",
                 "/guides/" + "%C4%91" * 200 + "/"):  # 200 × đ: 400 bytes
        status, body = served.ask(path)
        assert status == 404 and b"<html" in body, path  # the site's own 404 page
    assert "Traceback" not in served.said()
    assert served.get(PAGE)[0] == 200


def handshake(port: int, host: str, origin: str) -> int:
    """The status of a request to open the live-reload socket (101: opened)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/livereload", headers={
            "Host": host, "Origin": origin, "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_request_naming_another_host_is_refused(served):
    """DNS rebinding: a page of evil.example, whose name then points at 127.0.0.1, may read
    whatever its own origin serves; refused, it reads nothing of the preview."""
    port = served.port
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}",
                 f"localhost.evil.example:{port}", f"127.0.0.2.nip.io:{port}"):
        status, body = served.ask("/" + PAGE, {"Host": host})
        assert status == 403 and "127.0.0.1" in body.decode("utf-8"), host
        assert b"Zalo" not in body
        assert served.ask("/livereload.js", {"Host": host})[0] == 403, host
        assert handshake(port, host, f"http://{host}") == 403, host
    for host in (f"127.0.0.1:{port}@evil.example", f"127.0.0.1:x{port}", ""):  # (""; empty)
        status, body = served.ask("/" + PAGE, {"Host": host})
        assert status in (400, 403) and b"Zalo" not in body, host  # (400: tornado's own check)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert served.ask("/" + PAGE, {"Host": host})[0] == 200, host
        assert handshake(port, host, f"http://{host}") == 101, host
    # A page of another site may not listen either (cross-site WebSocket hijacking).
    assert handshake(port, f"127.0.0.1:{port}", "http://evil.example") == 403
    assert "Traceback" not in served.said()


def test_a_save_tells_the_open_page_to_reload(served):
    async def reload_message() -> dict:
        page = await websocket.websocket_connect(httpclient.HTTPRequest(
            f"ws://127.0.0.1:{served.port}/livereload",
            headers={"Origin": f"http://127.0.0.1:{served.port}"}))
        page.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        assert json.loads(await page.read_message())["command"] == "hello"
        page.write_message(json.dumps({"command": "info", "url": f"/{PAGE}"}))
        await asyncio.sleep(0.2)  # (the server counts the page as open once it read that)
        edit(served.site, "Hỏi cán bộ ấp", "Hỏi trưởng ấp")
        message = await asyncio.wait_for(page.read_message(), 10)
        page.close()
        return json.loads(message)
    # (in a thread of its own: an earlier test's event loop may still be set on this one)
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        reloaded = thread.submit(asyncio.run, reload_message()).result()
    assert reloaded["command"] == "reload"
    assert "Hỏi trưởng ấp" in served.get(PAGE)[1]


def test_a_port_taken_is_said_in_plain_words(served):
    run = run_cli("serve", "--source", served.site, "--port", str(served.port),
                  "--out", served.site / "other-preview")
    assert run.code == 2
    assert f"Cổng {served.port} đang có chương trình khác dùng" in run.err
    assert f"--port {served.port + 1}" in run.err and "Traceback" not in run.err
