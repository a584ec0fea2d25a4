"""`build.py serve`: a preview on 127.0.0.1 that rebuilds after every burst of saves.

- Every rebuild is a full build (no list or page can go stale), made fast by the
  cache, and written with the same atomic swap as `build`.
- Saves are debounced: the site's files are looked at every POLL seconds, and one
  rebuild starts once nothing has changed for QUIET seconds, however many files a
  burst touched (livereload's own watcher would rebuild once per changed file).
- A failed rebuild keeps the last good pages on disk, and every page asked for
  shows the problems instead (`path:line: problem — fix`), until a save fixes them;
  the browser then reloads by itself.
- Only files inside the preview folder are served. The live-reload script is added
  to pages as they are served, never written into them.
"""
from __future__ import annotations

import html
import mimetypes
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from . import config as config_stage
from . import i18n, output, pipeline
from .cache import Cache
from .errors import ERROR
from .models import BuildOptions

WATCHED = ("content", "data", "templates", "static", "i18n", "site_config.yaml")
POLL = 0.2  # seconds between two looks at the site's files
QUIET = 0.3  # a burst of saves is over when nothing changed for this long

StartResponse = Callable[[str, list[tuple[str, str]]], object]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every watched file with its modification time and size."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            found[str(top)] = (top.stat().st_mtime_ns, top.stat().st_size)
        for folder, _, files in os.walk(top):
            for file in files:
                path = os.path.join(folder, file)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed while we looked: the next look sees it gone
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


class Preview:
    """The preview's state: where the last good pages are and what the last build found."""

    def __init__(self, root: Path, out_dir: Path, options: BuildOptions,
                 words: i18n.Translations) -> None:
        self.root, self.out_dir, self.options, self.words = root, out_dir, options, words
        self.problems: list[str] = []

    def rebuild(self) -> None:
        """A full build; its pages replace the preview only when it succeeded."""
        config, found = config_stage.load(self.root)
        with output.Publisher(self.out_dir, Cache(self.options.cache_dir),
                              precompress=False) as publisher:
            if config is not None:
                result = pipeline.build(config, self.options,
                                        i18n.load(config.language, config.root), publisher)
                found += result.diagnostics
            for diagnostic in found:
                print(self.words.diagnostic(diagnostic), file=sys.stderr, flush=True)
            errors = [d for d in found if d.level == ERROR]
            self.problems = [self.words.diagnostic(d) for d in errors]
            if errors or config is None:
                print(self.words("serve.failed", count=len(errors)), flush=True)
                return
            publisher.commit(result.written)
        print(self.words("cli.rebuilt", pages=result.pages, made=len(result.rendered)),
              flush=True)

    def error_page(self) -> bytes:
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in self.problems)
        return (f'<!doctype html><html lang="{self.words.lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                f"<title>{html.escape(self.words('serve.error_title'))}</title></head>"
                f'<body style="font:1.0625rem/1.6 system-ui,sans-serif;margin:1rem">'
                f"<h1>{html.escape(self.words('serve.error_title'))}</h1>"
                f"<p>{html.escape(self.words('serve.error_help'))}</p><ol>{items}</ol>"
                f"</body></html>").encode("utf-8")

    def app(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """WSGI: files of the preview folder only; the problems instead of any page."""
        raw = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        path = unquote(raw).lstrip("/")
        base = self.out_dir.resolve()
        target = (base / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        is_page = target.suffix == ".html" or raw.endswith("/")
        if self.problems and is_page:
            return self._send(start_response, "500 Internal Server Error", "text/html",
                              self.error_page())
        if not target.is_relative_to(base) or not target.is_file():
            missing = base / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"404"
            return self._send(start_response, "404 Not Found", "text/html", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return self._send(start_response, "200 OK", kind, target.read_bytes())

    @staticmethod
    def _send(start_response: StartResponse, status: str, kind: str, body: bytes
              ) -> list[bytes]:
        if kind.startswith("text/") or kind in ("application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


class DebouncedWatcher(Watcher):
    """livereload's watcher, debounced: one rebuild per burst of saves."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self._tasks = {"site": None}  # livereload watches the working folder when empty
        self.seen = snapshot(preview.root)
        self.changed_at: float | None = None

    def watch(self, *args: object, **kwargs: object) -> None:
        pass  # the site's folders are watched as a whole

    def start(self, callback: Callable[[], None]) -> bool:
        ioloop.PeriodicCallback(callback, POLL * 1000).start()
        return True  # livereload then starts no poller of its own

    def examine(self) -> tuple[None, None]:
        self._changes.clear()  # livereload's own start-up signal: nothing to do with it
        now = time.monotonic()
        current = snapshot(self.preview.root)
        if current != self.seen:
            self.seen, self.changed_at = current, now
        elif self.changed_at is not None and now - self.changed_at >= QUIET:
            self.changed_at = None
            self.preview.rebuild()
            LiveReloadHandler.reload_waiters(path="*")
        return None, None  # reloading is done above, not by livereload's throttled poller


def run(root: Path, out_dir: Path, host: str, port: int, options: BuildOptions,
        words: i18n.Translations) -> int:
    preview = Preview(root, out_dir, options, words)
    preview.rebuild()
    server = Server(app=preview.app, watcher=DebouncedWatcher(preview))
    # Said once the loop runs, that is once the port is listening: never before.
    ioloop.IOLoop.current().add_callback(
        lambda: print(words("cli.serving", url=f"http://{host}:{port}/"), flush=True))
    server.serve(host=host, port=port, debug=False, open_url_delay=None)
    return 0
