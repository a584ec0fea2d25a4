"""`build.py serve` as an editor uses it, over real HTTP on 127.0.0.1, in its own process."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from helpers import ROOT, SITES, TODAY, copy_site

STARTED = "Xem trước tại"
REBUILT = "Đã dựng lại"
PAGE = "guides/zalo/index.html"
ARTICLE = Path("content/guides/zalo.md")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


class Served:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.port = free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-u", "build.py", "serve", "--source", str(site),
             "--port", str(self.port), "--today", TODAY],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: any(STARTED in line for line in self.lines), 30,
                 f"the server did not start:\n{''.join(self.lines)}")

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def rebuilds(self) -> int:
        return sum(REBUILT in line for line in self.lines)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    server = Served(copy_site(SITES / "minimal", tmp_path / "site"))
    try:
        yield server
    finally:
        server.stop()


def edit(site: Path, old: str, new: str) -> None:
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_edit_break_fix_without_the_server_ever_stopping(served):
    status, page = served.get(PAGE)
    assert status == 200 and "Hỏi cán bộ ấp" in page
    # A save shows on the page within 2 s (the promise to editors).
    edit(served.site, "Hỏi cán bộ ấp", "Hỏi trưởng ấp")
    wait_for(lambda: "Hỏi trưởng ấp" in served.get(PAGE)[1], 2, "the edit did not show")
    # Broken front matter: every page shows the problem with its file and line.
    edit(served.site, "date: 2024-05-01", "date: 01/05/2024")
    status, page = wait_for(lambda: (lambda r: r if "zalo.md:3:" in r[1] else None)(
        served.get(PAGE)), 5, "no error page")
    assert status == 500 and "01/05/2024" in page and "2024-05-01" in page
    assert "zalo.md:3:" in served.get("index.html")[1]  # the other pages say it too
    # Fixed: the page comes back by itself.
    edit(served.site, "date: 01/05/2024", "date: 2024-05-01")
    status, page = wait_for(lambda: (lambda r: r if r[0] == 200 else None)(served.get(PAGE)), 5,
                            "the page did not come back")
    assert "Hỏi trưởng ấp" in page
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
                 "//etc/passwd"):
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 404, path
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
