"""`build.py serve`: a preview on 127.0.0.1 that rebuilds after every burst of saves.

- The build stays warm in this process: the pages read, the bodies rendered, the
  search index and the cache's connection are kept between rebuilds (a
  `Memory`), so a save costs the routes it touched, not a cold start.
- The site's folders are watched by the kernel (inotify, through watchfiles), not
  walked: one rebuild starts once a burst of saves has been quiet for QUIET seconds,
  however many files it touched.
- A failed rebuild keeps the last good pages on disk, and every page asked for
  shows the problems instead (`path:line: problem — fix`), until a save fixes them;
  the browser then reloads by itself.
- A rebuild that raises is told the same way, in one line and on every page: what the
  machine said (a full disk, another build writing the preview) in the editor's words,
  a fault of Loa's own as a request to report it, its traceback saved to a file.
- Only files inside the preview folder are served. The live-reload script is added
  to pages as they are served, never written into them.
"""
from __future__ import annotations

import html
import mimetypes
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from . import cli
from . import config as config_stage
from . import i18n, output, pipeline
from .memory import Memory
from .cache import Cache
from .errors import ERROR
from .models import BuildOptions

WATCHED = ("content", "data", "templates", "static", "i18n", "site_config.yaml")
QUIET = 0.05  # a burst of saves is over when nothing changed for this long (seconds)
LONGEST_BURST = 1.0  # a rebuild starts after this long even while saves go on (seconds)
TICK = 200  # ms: how often the watcher looks up from the kernel (a new folder? stopped?)

StartResponse = Callable[[str, list[tuple[str, str]]], object]


class Preview:
    """The preview's state: where the last good pages are and what the last build found."""

    def __init__(self, root: Path, out_dir: Path, options: BuildOptions,
                 words: i18n.Translations) -> None:
        self.root, self.out_dir, self.options, self.words = root, out_dir, options, words
        self.problems: list[str] = []  # what every page shows instead, while there are any
        self.advice = words("serve.error_help")  # and what to do about them
        self._forget()

    def _forget(self) -> None:
        """Start the next build from what is on disk. Kept between builds, the warm state
        (`Memory`, and the preview folder as the last publish left it) would be trusted
        after a build that raised half-way, or another process that wrote the folder."""
        self.memory = Memory.of(Cache(self.options.cache_dir))
        self.published: output.Published | None = None

    def rebuild(self) -> None:
        """A build, warm; its pages replace the preview only when it succeeded. What it
        raises is a problem like the site's: the machine's in plain words, a fault of
        Loa's own as a request to report it (the traceback in a file)."""
        try:
            self._build()
        except output.OutputBusy as busy:
            self._failed(self.words.diagnostic(busy.diagnostic))
        except OSError as error:
            if error.filename is None:  # a failed write often names no file (a buffered
                # one fails as it is closed): name the preview, which was being written
                error = OSError(error.errno, error.strerror, str(self.out_dir))
            self._failed(self.words.diagnostic(cli.os_problem(error)))
        except Exception:  # noqa: BLE001 (a fault of Loa's own: said, and served on)
            self._failed(self.words("serve.bug", file=cli._save_traceback(self.root)),
                         "serve.bug_help")

    def _build(self) -> None:
        config, found = config_stage.load(self.root)
        with output.Publisher(self.out_dir, self.memory.reads.cache, precompress=False,
                              known=self.published) as publisher:
            if config is not None:
                result = pipeline.build(config, self.options,
                                        i18n.load(config.language, config.root), publisher,
                                        self.memory)
                found += result.diagnostics
            for diagnostic in found:
                print(self.words.diagnostic(diagnostic), file=sys.stderr, flush=True)
            errors = [d for d in found if d.level == ERROR]
            self._show([self.words.diagnostic(d) for d in errors])
            if errors or config is None:
                print(self.words("serve.failed", count=len(errors)), flush=True)
                return
            publisher.commit(result.written, made_from=result.made_from)
            self.published = publisher.after
        print(self.words("cli.rebuilt", pages=result.pages, made=len(result.rendered)),
              flush=True)

    def _show(self, problems: list[str], advice: str = "serve.error_help") -> None:
        """What every page shows until a build succeeds (no problems: the pages)."""
        self.problems, self.advice = problems, self.words(advice)

    def _failed(self, problem: str, advice: str = "serve.error_help") -> None:
        print(problem, file=sys.stderr, flush=True)
        self._show([problem], advice)
        self._forget()

    def error_page(self) -> bytes:
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in self.problems)
        return (f'<!doctype html><html lang="{self.words.lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                f"<title>{html.escape(self.words('serve.error_title'))}</title></head>"
                f'<body style="font:1.0625rem/1.6 system-ui,sans-serif;margin:1rem">'
                f"<h1>{html.escape(self.words('serve.error_title'))}</h1>"
                f"<p>{html.escape(self.advice)}</p><ol>{items}</ol>"
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


def watched(root: Path) -> list[Path]:
    return [root / name for name in WATCHED if (root / name).exists()]


class SiteWatcher(Watcher):
    """The kernel's word on the site's files (watchfiles, in a thread of its own), handed
    to the server's loop: one rebuild per burst of saves. A folder made later
    (templates/, i18n/) is watched from then on."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self._tasks = {"site": None}  # livereload watches the working folder when empty
        self.stop = threading.Event()
        self.ready = threading.Event()  # the kernel watches: no save can be missed now
        self.pending = False  # a rebuild is waiting its turn on the loop

    def watch(self, *args: object, **kwargs: object) -> None:
        pass  # the site's folders are watched as a whole

    def examine(self) -> tuple[None, None]:
        self._changes.clear()  # livereload's own start-up signal: nothing to do with it
        return None, None

    def begin(self, loop: ioloop.IOLoop) -> None:
        """Watch from now on (before the first build: a save during it is not missed);
        every burst of saves schedules a rebuild on `loop`."""
        threading.Thread(target=self._watch, args=(loop,), name="watch", daemon=True).start()
        self.ready.wait(10)

    def start(self, callback: Callable[[], None]) -> bool:
        return True  # (watching since `begin`) livereload then starts no poller of its own

    def _watch(self, loop: ioloop.IOLoop) -> None:
        while not self.stop.is_set():
            paths = watched(self.preview.root)
            for changes in watchfiles.watch(*paths, step=int(QUIET * 1000),
                                            debounce=int(LONGEST_BURST * 1000),
                                            rust_timeout=TICK, yield_on_timeout=True,
                                            stop_event=self.stop):
                self.ready.set()  # (the first yield comes once the watches are in place)
                moved = watched(self.preview.root) != paths  # a new top folder: watch it too
                if (changes or moved) and not self.pending:
                    self.pending = True
                    loop.add_callback(self._rebuild)
                if moved:
                    break

    def _rebuild(self) -> None:
        self.pending = False  # (saves made while it runs ask for one more)
        self.preview.rebuild()
        LiveReloadHandler.reload_waiters(path="*")


def run(root: Path, out_dir: Path, host: str, port: int, options: BuildOptions,
        words: i18n.Translations) -> int:
    preview = Preview(root, out_dir, options, words)
    watcher = SiteWatcher(preview)
    watcher.begin(ioloop.IOLoop.current())
    preview.rebuild()
    server = Server(app=preview.app, watcher=watcher)
    # Said once the loop runs, that is once the port is listening: never before.
    ioloop.IOLoop.current().add_callback(
        lambda: print(words("cli.serving", url=f"http://{host}:{port}/"), flush=True))
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=None)
    finally:
        watcher.stop.set()
    return 0
