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
- Before anything serves a request (the live-reload socket too), its Host must name
  this server and its path must be one a browser sends; else 403 or 400, in a line.
- `edit` serves the web editor beside the preview, at /admin/: Decap CMS, its
  configuration written from Loa's schema at each request (`editor.decap_config`), the
  build's problems for its bar, and its local backend (decap-server, on 127.0.0.1)
  behind the same Host check.
"""
from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import os
import re
import sys
import threading
from http import HTTPStatus
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote_to_bytes

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import Watcher
import yaml
from tornado import httpclient, httputil, ioloop, routing, web
from tornado.websocket import WebSocketHandler

from . import config as config_stage
from . import editor, i18n, output, pipeline, render
from .memory import Memory
from .cache import Cache
from .errors import ERROR, os_problem
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
        # what every page shows instead, while there are any: (`path:line` or "", words)
        self.problems: list[tuple[str, str]] = []
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
            self._failed(*self.words.diagnostic_parts(busy.diagnostic))
        except OSError as error:
            if error.filename is None:  # a failed write often names no file (a buffered
                # one fails as it is closed): name the preview, which was being written
                error = OSError(error.errno, error.strerror, str(self.out_dir))
            self._failed(*self.words.diagnostic_parts(os_problem(error)))
        except Exception:  # noqa: BLE001 (a fault of Loa's own: said, and served on)
            self._failed("", self.words("serve.bug", file=output.save_traceback(self.root)),
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
            self._show([self.words.diagnostic_parts(d) for d in errors])
            if errors or config is None:
                print(self.words("serve.failed", count=len(errors)), flush=True)
                return
            publisher.commit(result.written, made_from=result.made_from)
            self.published = publisher.after
        print(self.words("cli.rebuilt", pages=result.pages, made=len(result.rendered)),
              flush=True)

    def _show(self, problems: list[tuple[str, str]], advice: str = "serve.error_help") -> None:
        """What every page shows until a build succeeds (no problems: the pages)."""
        self.problems, self.advice = problems, self.words(advice)

    def _failed(self, where: str, said: str, advice: str = "serve.error_help") -> None:
        print(f"{where}: {said}" if where else said, file=sys.stderr, flush=True)
        self._show([(where, said)], advice)
        self._forget()

    def error_page(self) -> bytes:
        # (only the place in monospace: tone marks break in many monospace fonts)
        items = "".join(f"<li>{f'<code>{html.escape(where)}</code>: ' if where else ''}"
                        f"{html.escape(said)}</li>" for where, said in self.problems)
        return (f'<!doctype html><html lang="{self.words.lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width,initial-scale=1">'
                f"<title>{html.escape(self.words('serve.error_title'))}</title></head>"
                f'<body style="font:1.0625rem/1.6 system-ui,sans-serif;margin:1rem">'
                f"<h1>{html.escape(self.words('serve.error_title'))}</h1>"
                f"<p>{html.escape(self.advice)}</p><ol>{items}</ol>"
                f"</body></html>").encode("utf-8")

    def app(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """WSGI: files of the preview folder only; the problems instead of any page. (A
        path that is no path was refused before: see `refusal`.)"""
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        found = self.find(path)
        is_page = path.endswith(("/", ".html")) or (found is not None and found.suffix == ".html")
        if self.problems and is_page:
            return self._send(start_response, "500 Internal Server Error", "text/html",
                              self.error_page())
        body = _read(found)
        if found is None or body is None:
            return self._send(start_response, "404 Not Found", "text/html",
                              _read(self.find("404.html")) or b"404")
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return self._send(start_response, "200 OK", kind, body)

    def find(self, path: str) -> Path | None:
        """The file of the preview folder that `path` names (a folder: its index.html),
        or None: none there, one outside the folder, or a name no file system holds (a
        5,000-byte one, a NUL), which the file system only answers with an error."""
        base = Path(os.path.realpath(self.out_dir))
        try:
            target = Path(os.path.realpath(base / path.lstrip("/")))
            if target.is_dir():
                target = Path(os.path.realpath(target / "index.html"))
            return target if target.is_relative_to(base) and target.is_file() else None
        except (OSError, ValueError):
            return None

    @staticmethod
    def _send(start_response: StartResponse, status: str, kind: str, body: bytes
              ) -> list[bytes]:
        if kind.startswith("text/") or kind in ("application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


def _read(file: Path | None) -> bytes | None:
    try:
        return file.read_bytes() if file is not None else None
    except OSError:  # (gone since it was found, or unreadable: not there to be served)
        return None


# --- who may ask ---

# A Host header: a name or an IPv4 address, or an IPv6 one in brackets; then the port.
HOST = re.compile(r"(?:\[(?P<bracketed>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]+))(?::[0-9]{1,5})?")
BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")  # a % that does not start %2F


def names_this_server(host: str, names: frozenset[str]) -> bool:
    """Whether a Host header names this server: an IP address, or one of `names`
    (localhost, and the name given with --host). DNS rebinding needs a name: a page of
    evil.example, whose name is then pointed at 127.0.0.1, may read what its own origin
    serves, and its requests say `Host: evil.example`. An address cannot be pointed
    elsewhere. (Vite's and webpack's dev servers decide the same way.) The port is not
    compared: a browser sends the one it connected to, and a tunnel may change it."""
    found = HOST.fullmatch(host.lower())
    if found is None:
        return False
    name = found["bracketed"] or found["name"]
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def well_formed(path: str) -> bool:
    """Whether a request's path is one a browser sends: from the root, each % starting
    an escape (%2F), naming UTF-8 text with no NUL. (`path` as sent, each byte a
    character, as tornado reads the request line.)"""
    if not path.startswith("/") or BAD_ESCAPE.search(path):
        return False
    try:
        return "\0" not in unquote_to_bytes(path.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        return False


def refusal(host: str, path: str, names: frozenset[str]) -> HTTPStatus | None:
    """How a request is refused before anything serves it, if it is."""
    if not names_this_server(host, names):
        return HTTPStatus.FORBIDDEN
    if not well_formed(path):
        return HTTPStatus.BAD_REQUEST
    return None


class Refused(routing.Matcher):
    """The first rule of the server: it matches the requests to refuse, and says how."""

    def __init__(self, names: frozenset[str], reasons: dict[HTTPStatus, str]) -> None:
        self.names, self.reasons = names, reasons

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        status = refusal(request.host, request.path, self.names)
        return None if status is None else {
            "target_kwargs": {"status": status, "reason": self.reasons[status]}}


class Refusal(web.RequestHandler):
    """A refused request's answer, whatever its method: its status, and a line saying why."""

    def initialize(self, status: HTTPStatus, reason: str) -> None:
        self.status, self.reason = status, reason

    def prepare(self) -> None:
        self.set_status(self.status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self.reason)


class ReloadSocket(LiveReloadHandler):
    """livereload's socket, opened only from a page of this server: livereload lets any
    page open it, and its messages say when the editor saves."""

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)  # tornado's: the same host


# Added before </head> as pages are served: livereload.js, from the server the page came
# from (and so the socket it opens).
RELOAD_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
                 b's.src="/livereload.js?port="+(location.port||80);'
                 b"document.head.appendChild(s)})()</script>")


# --- the web editor (`edit`) ---

class Admin(web.RequestHandler):
    """/admin/: Decap CMS's page, its configuration, its preview's stylesheet, Loa's
    script beside it, and the problems of the last build."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def get(self, name: str) -> None:
        preview = self.preview
        self.set_header("Cache-Control", "no-store")
        if name == "problems.json":
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"problems": preview.problems}, ensure_ascii=False))
            return
        name = "" if name == "index.html" else name
        config, _ = config_stage.load(preview.root)
        if name not in editor.ADMIN_FILES or config is None:  # (no configuration: the
            raise web.HTTPError(404)  # bar and the preview say why)
        self.set_header("Content-Type", f"{editor.ADMIN_FILES[name]}; charset=utf-8")
        self.finish(editor.admin_file(name, config, preview.words,
                                      render.environment(preview.root, preview.words),
                                      problems="problems.json"))


class Backend(web.RequestHandler):
    """/admin/api/v1: decap-server's answers, from the port it listens on. Articles'
    lists leave out what their forms are not for (`editor.listed`); a save of the
    contact block changes that block only (`editor.merge_contact`)."""

    def initialize(self, port: int, root: Path) -> None:
        self.url, self.root = f"http://127.0.0.1:{port}/api/v1", root

    def _asked(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The request as read (a mapping) and its parameters (a mapping); empty ones
        when it is no such thing."""
        try:
            asked = json.loads(self.request.body)
        except ValueError:
            return {}, {}
        asked = asked if isinstance(asked, dict) else {}
        params = asked.get("params")
        return asked, params if isinstance(params, dict) else {}

    def _forwarded(self, asked: dict[str, Any], params: dict[str, Any]) -> bytes:
        """The request, but a save of site_config.yaml keeps the file's other lines."""
        files = params.get("dataFiles")
        if asked.get("action") != "persistEntry" or not isinstance(files, list):
            return self.request.body
        for file in files:
            if isinstance(file, dict) and file.get("path") == editor.CONFIG_FILE:
                original = (self.root / editor.CONFIG_FILE).read_text(encoding="utf-8")
                file["raw"] = editor.merge_contact(original, str(file.get("raw", "")))
        return json.dumps(asked, ensure_ascii=False).encode("utf-8")

    async def post(self) -> None:
        # Only the editor's own page may write the site's files: another site's page
        # can post to 127.0.0.1 too, but says where it comes from (Origin), and cannot
        # send JSON without asking first (a CORS preflight, which is never answered).
        origin = self.request.headers.get("Origin")
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if (origin and origin != f"{self.request.protocol}://{self.request.host}") or \
                kind != "application/json":
            raise web.HTTPError(403)
        asked, params = self._asked()
        try:
            response = await httpclient.AsyncHTTPClient().fetch(
                self.url, method="POST", body=self._forwarded(asked, params), raise_error=False,
                headers={"Content-Type": "application/json"}, request_timeout=120)
        except OSError as error:  # (decap-server gone: the editor says it cannot save)
            self.set_status(502)
            self.finish({"error": str(error)})
            return
        body = response.body or b""
        if response.code == 200 and asked.get("action") == "entriesByFolder":
            extension = str(params.get("extension") or "md")
            body = json.dumps([e for e in json.loads(body) if editor.listed(
                e.get("file", {}).get("path", ""), extension)], ensure_ascii=False
                ).encode("utf-8")
        self.set_status(response.code if response.code >= 200 else 502)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(body)


def editor_rules(preview: Preview, script: Path, port: int) -> list[Any]:
    return [(r"/admin/api/v1", Backend, {"port": port, "root": preview.root}),
            (r"/admin/decap/(.*)", web.StaticFileHandler, {"path": str(script)}),
            (r"/admin", web.RedirectHandler, {"url": "/admin/"}),
            (r"/admin/([a-z.-]*)", Admin, {"preview": preview})]


class PreviewServer(Server):
    """livereload's server, its handlers behind one rule that refuses what must not be
    served (livereload offers no hook in front of its own handlers)."""

    def __init__(self, preview: Preview, watcher: Watcher, more: list[Any] = ()) -> None:
        super().__init__(app=preview.app, watcher=watcher)
        self.words = preview.words
        self.more = list(more)  # rules before the preview's files (the editor's)

    def application(self, port: int, host: str, liveport: int | None = None,
                    debug: bool | None = None, live_css: bool = True) -> None:
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        reasons = {HTTPStatus.FORBIDDEN: self.words("serve.wrong_host",
                                                    url=f"http://{host}:{port}/"),
                   HTTPStatus.BAD_REQUEST: self.words("serve.bad_request")}
        names = frozenset({"localhost", host.strip("[]").lower()})
        web.Application([
            routing.Rule(Refused(names, reasons), Refusal),
            (r"/livereload", ReloadSocket),
            (r"/livereload\.js", LiveReloadJSHandler),
            *self.more,
            (r".*", web.FallbackHandler,
             {"fallback": LiveScriptContainer(self.app, RELOAD_SCRIPT)}),
        ]).listen(port, address=host)


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
        words: i18n.Translations, editing: tuple[Path, int] | None = None) -> int:
    """Serve the preview; with `editing` (Decap's script folder, decap-server's port),
    the web editor too."""
    preview = Preview(root, out_dir, options, words)
    watcher = SiteWatcher(preview)
    watcher.begin(ioloop.IOLoop.current())
    preview.rebuild()
    server = PreviewServer(preview, watcher,
                           editor_rules(preview, *editing) if editing else [])
    # Said once the loop runs, that is once the port is listening: never before.
    said = words("cli.editing" if editing else "cli.serving", url=f"http://{host}:{port}/")
    ioloop.IOLoop.current().add_callback(lambda: print(said, flush=True))
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=None)
    finally:
        watcher.stop.set()
    return 0
