"""The command line: build, check, new, translate, serve, edit, pack, init. Parsing and
printing only.

Exit codes: 0 success, 1 problems in the site (every one printed as
`path:line: problem — fix`), 2 a usage error.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import errno
import gc
import os
import signal
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence, TextIO

from tqdm import tqdm

from . import config as config_stage
from . import __version__, builtin, content, decap
from . import i18n, languages, markdown, output, pack, parallel, pipeline, render
from .cache import Cache
from .cache import FOLDER as CACHE_FOLDER
from .config import CONFIG_FILE
from .errors import ERROR, Diagnostic, has_errors, os_problem, problem
from .models import BuildOptions, BuildResult, Config
from .frontmatter import read_yaml, split
from .text import format_number, read_text, slug

COMMANDS = ("build", "check", "new", "translate", "serve", "edit", "pack", "init")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a YYYY-MM-DD date") from None


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes (1 or more)")
    return jobs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Loa: build the portal.")
    parser.add_argument("--version", action="version", version=f"loa {__version__}")
    sub = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, default=Path("."),
                        help="site folder holding site_config.yaml (default: here)")
    common.add_argument("--lang", default="vi", help="language of messages (vi, en)")
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument("--drafts", action="store_true", help="include draft pages")
    content.add_argument("--future", action="store_true", help="include pages dated later")
    content.add_argument("--base-url", help="absolute address of the site, for feeds")
    content.add_argument("--today", type=_date, help="build as if today were YYYY-MM-DD")
    content.add_argument("--jobs", "-j", type=_jobs, default=parallel.default_jobs(),
                         help="worker processes (default: one per core; small sites use one)")
    build = sub.add_parser("build", parents=[common, content], help="build the site")
    build.add_argument("--out", type=Path, help="output folder (default: <source>/public)")
    build.add_argument("--explain", action="store_true",
                       help="name every file made again (the others were kept as they were)")
    check = sub.add_parser("check", parents=[common, content], help="check, write nothing")
    check.add_argument("--strict", action="store_true", help="warnings count as errors")
    new = sub.add_parser("new", parents=[common], help="start a new article")
    new.add_argument("section")
    new.add_argument("title")
    new.add_argument("--today", type=_date, help="date the article YYYY-MM-DD (default: today)")
    translate = sub.add_parser("translate", parents=[common],
                               help="start a translation of an article (x.km.md beside x.md)")
    translate.add_argument("file", type=Path, help="the article, e.g. content/guides/x.md")
    translate.add_argument("language", help="one of the site's other languages, e.g. km")
    previews = {}
    for name, told in (("serve", "preview with live reload"),
                       ("edit", "the web editor at /admin/, beside the preview")):
        previews[name] = preview = sub.add_parser(name, parents=[common, content], help=told)
        preview.add_argument("--port", type=int, default=8000)
        preview.add_argument("--host", default="127.0.0.1")
        preview.add_argument("--out", type=Path,
                             help="preview folder (default: <source>/.loa-cache/preview)")
    previews["edit"].add_argument("--install", action="store_true",
                                  help="install the editor (pinned npm packages) into .loa-editor/")
    packer = sub.add_parser("pack", parents=[common, content],
                            help="one zip of the site (or of a section) to read offline")
    packer.add_argument("section", nargs="?", default="",
                        help="pack only this section (default: the whole site)")
    packer.add_argument("--out", type=Path,
                        help="the zip (default: <source>/loa-pack.zip, loa-pack-SECTION.zip)")
    init = sub.add_parser("init", help="start a new portal in FOLDER (never over a file)")
    init.add_argument("folder", type=Path)
    init.add_argument("--province",
                      help='the province\'s name, e.g. "Bạc Liêu" (asked if not given)')
    init.add_argument("--lang", default="vi", help="language of messages (vi, en)")
    return parser


def _colour(stream: TextIO) -> bool:
    """Colour on a terminal; plain text in CI, in files and when NO_COLOR is set."""
    return (stream.isatty() and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb")


def _print(diagnostics: Sequence[Diagnostic], words: i18n.Translations) -> None:
    colour = _colour(sys.stderr)
    for d in sorted(diagnostics, key=lambda d: (d.path, d.line, d.key)):
        line = words.diagnostic(d)
        if colour:
            where, _, rest = line.partition(": ")
            tint = "31" if d.level == ERROR else "33"  # red, yellow
            line = f"\033[1;{tint}m{where}\033[0m: {rest}"
        print(line, file=sys.stderr)


class _Bar:
    """A progress bar on stderr, shown only when a build takes over a second on a terminal."""

    def __init__(self, words: i18n.Translations) -> None:
        self.words = words
        self.bar: tqdm | None = None
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, delay=1.0, leave=False, file=sys.stderr,
                            disable=not _colour(sys.stderr), unit="",
                            desc=self.words(f"cli.stage.{stage}"))
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _load(args: argparse.Namespace) -> tuple[Config | None, list[Diagnostic]]:
    """The configuration (None when nothing can be built) and its problems."""
    config, found = config_stage.load(args.source)
    if config is not None and getattr(args, "base_url", None):
        fixed, more = config_stage.parse_base_url(args.base_url)
        found += more
        config = dataclasses.replace(config, base_url=fixed)
    return config, found


def _check_all(args: argparse.Namespace, words: i18n.Translations, options: BuildOptions,
               sink: pipeline.Sink) -> tuple[BuildResult | None, list[Diagnostic]]:
    """Every check of a build, configuration included; prints every problem found."""
    config, found = _load(args)
    result = None
    if config is not None:
        result = pipeline.build(config, options, i18n.load(config.language, config.root), sink)
        found += result.diagnostics
    _print(found, words)
    return result, found


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(today=args.today or dt.date.today(), drafts=args.drafts,
                        future=args.future, cache_dir=args.source / CACHE_FOLDER,
                        jobs=args.jobs)


def cmd_build(args: argparse.Namespace, words: i18n.Translations) -> int:
    started = time.perf_counter()
    out_dir = args.out or args.source / "public"
    refused = output.check_target(out_dir, args.source)
    if refused:
        _print(refused, words)
        return 2
    options = _options(args)
    cache = Cache(options.cache_dir)
    config, found = _load(args)
    inputs = pipeline.inputs_key(config, options) if config is not None else ""
    try:
        publisher = output.Publisher(out_dir, cache)
    except output.OutputBusy as busy:
        _print([busy.diagnostic], words)
        return 1
    with publisher:
        known = publisher.up_to_date(inputs) if inputs and not has_errors(found) else None
        if known is not None:  # the same inputs as the build that made out_dir: nothing to do
            result, files = known
            _print(found + list(result.diagnostics), words)
        else:
            bar = _Bar(words)
            try:
                result, found = _check_all(args, words,
                                           dataclasses.replace(options, progress=bar), publisher)
            finally:
                bar.close()
            if result is None or has_errors(found):
                print(words("cli.failed", count=sum(d.level == ERROR for d in found),
                            out=out_dir), file=sys.stderr)
                return 1
            files = len(result.written)
            publisher.commit(result.written, inputs,
                             (dataclasses.replace(result, written=(), rendered=(),
                                                  made_from=None), files),
                             result.made_from)
    seconds = format_number(time.perf_counter() - started, 2)
    if args.explain:
        for path in sorted(result.rendered):
            print(words("cli.made", path=path))
    print(words("cli.built", pages=result.pages, files=files, made=len(result.rendered),
                out=out_dir, seconds=seconds))
    _print_weights(result, words)
    return 0


def _print_weights(result: BuildResult, words: i18n.Translations) -> None:
    """One line on what pages cost a reader: the median and the heaviest."""
    if not result.weights:
        return
    totals = sorted(w.total for w in result.weights)
    heaviest = max(result.weights, key=lambda w: (w.total, w.path))
    firsts = sorted(w.html for w in result.weights)
    print(words("cli.weights", median=format_number(round(statistics.median(totals))),
                first=format_number(round(statistics.median(firsts))), page=heaviest.path,
                size=format_number(heaviest.total), max_first=format_number(firsts[-1])))


def cmd_check(args: argparse.Namespace, words: i18n.Translations) -> int:
    # the same build, less the .gz/.br copies that nothing would write; the site's cache
    # is read, and what the check makes is kept in a folder of its own, deleted after
    with tempfile.TemporaryDirectory(prefix="loa-check-") as scratch:
        options = _options(args)
        options = dataclasses.replace(options, precompress=False, cache_dir=Path(scratch),
                                      cache_also=options.cache_dir)
        _, found = _check_all(args, words, options, pipeline.Nowhere())
    errors = sum(d.level == ERROR for d in found)
    warnings = len(found) - errors
    print(words("cli.checked", errors=errors, warnings=warnings))
    return 1 if errors or (args.strict and warnings) else 0


NEW_NAME_CHARS = 80  # a new article's file name, cut at a word (its title stays whole)


def _file_slug(title: str) -> str:
    """The file name `new` gives an article: its title's slug, cut at a hyphen when it
    is long (a 480-character title once made a name no file system takes)."""
    made = slug(title)
    if len(made) <= NEW_NAME_CHARS:
        return made
    return made[:NEW_NAME_CHARS + 1].rsplit("-", 1)[0] or made[:NEW_NAME_CHARS]


def cmd_new(args: argparse.Namespace, words: i18n.Translations) -> int:
    config, found = _load(args)
    if config is None:
        _print(found, words)
        return 1
    if config.section(args.section) is None:
        _print([problem("site_config.yaml", 0, "unknown_section", section=args.section,
                        known=", ".join(s.name for s in config.sections))], words)
        return 2
    name = _file_slug(args.title)
    path = args.source / "content" / args.section / f"{name}.md"
    if not name or path.exists():
        _print([problem(path.relative_to(args.source).as_posix(), 0,
                        "new_exists" if name else "slug_empty", value=args.title)], words)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    type_ = config.section(args.section).type
    hints = {key.rpartition(".")[2]: text for key, text in words.strings.items()
             if key.startswith("editor.hint.")}
    path.write_text(content.scaffold(args.title, args.today or dt.date.today(), type_, hints),
                    encoding="utf-8")
    print(path.as_posix())
    return 0


def cmd_translate(args: argparse.Namespace, words: i18n.Translations) -> int:
    """Start `x.<language>.md` beside `x.md`: the original's words to replace, each
    heading already carrying the id links to it name."""
    config, found = _load(args)
    if config is None:
        _print(found, words)
        return 1
    # the file as given from here, or from the site folder
    file = next((f for f in (Path.cwd() / args.file, args.source / args.file) if f.is_file()),
                args.source / args.file)
    try:
        shown = file.resolve().relative_to((args.source / "content").resolve()).as_posix()
    except ValueError:
        shown = ""
    is_original = shown.endswith(".md") and not content.language_of(
        f"content/{shown}", config)[0] and file.is_file()
    if not is_original:
        _print([problem(str(args.file), 0, "translate_source", value=args.file)], words)
        return 2
    if args.language not in {lang.code for lang in config.languages}:
        _print([problem(f"content/{shown[:-3]}.{args.language}.md", 0, "translation_language",
                        language=args.language,
                        known=", ".join(lang.code for lang in config.languages) or "-")],
               words)
        return 2
    # (only a language of the site gets here: its code is letters, never a path)
    target = file.with_name(f"{file.name[:-3]}.{args.language}.md")
    if target.exists():
        _print([problem(f"content/{shown[:-3]}.{args.language}.md", 0, "new_exists")], words)
        return 1
    text, found = read_text(file, f"content/{shown}")
    parts, more = split(text, f"content/{shown}") if text is not None else (None, [])
    doc, most = read_yaml(parts.yaml_text, f"content/{shown}", offset=1) if parts else (None, [])
    if doc is None or not isinstance(doc.data, dict):
        _print(found + more + most, words)
        return 1
    note = words("cli.translate_note", language=args.language, original=file.name)
    layout = render.theme_names(render.environment(config.root, words))
    target.write_text(languages.scaffold(doc.data, parts.body,
                                         markdown.heading_ids(parts.body, layout), note),
                      encoding="utf-8")
    print(target.as_posix())
    return 0


def cmd_serve(args: argparse.Namespace, words: i18n.Translations,
              editing: tuple[Path, int] | None = None) -> int:
    from . import serve  # livereload (tornado) loads only when serving
    out_dir = args.out or args.source / CACHE_FOLDER / "preview"
    refused = output.check_target(out_dir, args.source)
    if refused:
        _print(refused, words)
        return 2
    options = dataclasses.replace(_options(args), precompress=False)
    try:
        return serve.run(args.source, out_dir, args.host, args.port, options, words, editing)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(words("cli.port_taken", port=args.port, other=args.port + 1), file=sys.stderr)
        return 2


def cmd_edit(args: argparse.Namespace, words: i18n.Translations) -> int:
    """`serve`, with the web editor at /admin/ and its local backend beside it; or, with
    --install, the editor's pinned packages installed."""
    if decap.node() is None:
        print(words("cli.edit_no_node"), file=sys.stderr)
        return 2
    if args.install:
        return 0 if decap.install(args.source) == 0 else 1
    parts = decap.installed(args.source)
    if parts is None:
        print(words("cli.edit_not_installed"), file=sys.stderr)
        return 2
    port = decap.free_port()
    backend = decap.start_server(parts, args.source, port)
    # stopped (not only interrupted) by a service manager or a closed terminal, edit stops
    # its backend too, which would otherwise go on writing the site's files
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        return cmd_serve(args, words, editing=(parts.script, port))
    finally:
        backend.terminate()
        backend.wait(10)


def cmd_init(args: argparse.Namespace, words: i18n.Translations) -> int:
    """A new portal in `args.folder`: the settings named for the province, the three
    sections with one example article each, a dataset; Loa itself stays where it is."""
    province = (args.province or "").strip()
    if not province and sys.stdin.isatty():
        province = input(words("cli.init_ask")).strip()
    if not province or any(c in province for c in '"\\$\n'):
        print(words("cli.init_province"), file=sys.stderr)
        return 2
    starter = builtin.STARTER
    files = {path.relative_to(starter).as_posix(): string.Template(path.read_text(
        encoding="utf-8")).safe_substitute(province=province).encode("utf-8")
             for path in sorted(starter.rglob("*")) if path.is_file()}
    taken = output.create_files(args.folder, files)
    if taken:
        print(words("cli.init_taken", folder=args.folder, files=", ".join(taken)),
              file=sys.stderr)
        return 1
    print(words("cli.init_done", folder=args.folder))
    return 0


def cmd_pack(args: argparse.Namespace, words: i18n.Translations) -> int:
    """Build into a temporary folder, keep what a reader can reach, zip it; the zip is
    written only when the build succeeded (an old one stays as it was otherwise)."""
    started = time.perf_counter()
    config, found = _load(args)
    if config is None:
        _print(found, words)
        return 1
    if args.section and config.section(args.section) is None:
        _print([problem(CONFIG_FILE, 0, "pack_unknown_section", section=args.section,
                        known=", ".join(s.name for s in config.sections))], words)
        return 2
    name = f"loa-pack-{args.section}.zip" if args.section else "loa-pack.zip"
    target = args.out or args.source / name
    if target.is_dir():
        _print([problem(str(target), 0, "pack_out_folder")], words)
        return 2
    # a pack is read from a file manager: links must end in index.html
    config = dataclasses.replace(config, links_to_index_html=True)
    bar = _Bar(words)
    options = dataclasses.replace(_options(args), precompress=False, progress=bar)
    with tempfile.TemporaryDirectory(prefix="loa-pack-") as scratch:
        site = Path(scratch) / "site"
        with output.Publisher(site, Cache(None), precompress=False) as publisher:
            try:
                result = pipeline.build(config, options,
                                        i18n.load(config.language, config.root), publisher)
            finally:
                bar.close()
            found += result.diagnostics
            _print(found, words)
            if has_errors(found):
                print(words("cli.pack_failed", count=sum(d.level == ERROR for d in found),
                            out=target), file=sys.stderr)
                return 1
            publisher.commit(result.written, made_from=result.made_from)

        def read(path: str) -> bytes | None:
            file = site / path
            return file.read_bytes() if file.is_file() else None

        def listing(folder: str) -> list[str]:
            found = site / folder
            return sorted(f"{folder}{file.name}" for file in found.iterdir()
                          if file.is_file()) if found.is_dir() else []

        packed = pack.collect(read, args.section, config.base_url, listing)
    data = pack.zip_bytes(packed.files, options.today)
    output.replace_file(target, data)
    print(words("cli.packed", pages=packed.pages, files=len(packed.files),
                size=format_number(len(data)), out=target,
                seconds=format_number(time.perf_counter() - started, 2)))
    return 0


# Python's cycle collector looks at every object each time 700 more were made than freed;
# a build holds millions (the site's pages, records, routes), so it spent a quarter of
# a one-article rebuild at 10,000 articles scanning them (5.1 s -> 4.1 s with these
# thresholds, the same peak memory: a build's garbage is freed by reference counting).
GC_THRESHOLDS = (100_000, 50, 100)


def main(argv: Sequence[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    try:
        words = i18n.load(args.lang)
    except FileNotFoundError:
        print(f"unknown language for messages: {args.lang}", file=sys.stderr)
        return 2
    handler = {"build": cmd_build, "check": cmd_check, "new": cmd_new,
               "translate": cmd_translate, "serve": cmd_serve, "edit": cmd_edit,
               "pack": cmd_pack, "init": cmd_init}
    # Whatever the site's files or the machine do (a file that cannot be read, a full
    # disk, a folder that is read-only) is told as `path: problem — fix`; only a fault of
    # Loa's own prints a short request to report it, its traceback kept in a file.
    try:
        return handler[args.command](args, words)
    except KeyboardInterrupt:
        print(words("cli.interrupted"), file=sys.stderr)
        return 130
    except OSError as error:
        _print([os_problem(error)], words)
        return 1
    except Exception:  # noqa: BLE001 (see above)
        saved = output.save_traceback(getattr(args, "source", Path(".")))
        print(words("cli.bug", file=saved), file=sys.stderr)
        return 3
