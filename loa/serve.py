"""`build.py serve`: build, serve the output on 127.0.0.1, rebuild on every save.

Each rebuild is a full build (so no list or page can go stale) written with the
same atomic swap as `build`; a failed rebuild leaves the last good site served.
"""
from __future__ import annotations

import argparse
import sys

from livereload import Server

from . import i18n, output, pipeline
from .errors import has_errors
from .models import BuildOptions, Config

WATCHED = ("content", "data", "templates", "static", "i18n", "site_config.yaml")


def run(args: argparse.Namespace, config: Config, words: i18n.Translations,
        options: BuildOptions) -> int:
    out_dir = (args.out or args.source / "public").resolve()

    def rebuild() -> None:
        result = pipeline.build(config, options, i18n.load(config.language, config.root))
        for d in result.diagnostics:
            print(words.diagnostic(d), file=sys.stderr)
        if not has_errors(result.diagnostics):
            output.write(result.outputs, out_dir)
            print(words("cli.rebuilt", pages=result.pages), flush=True)

    rebuild()
    server = Server()
    for name in WATCHED:
        path = args.source / name
        if path.exists():
            server.watch(str(path), rebuild, delay=0.3)
    print(words("cli.serving", url=f"http://{args.host}:{args.port}/"), flush=True)
    server.serve(root=str(out_dir), host=args.host, port=args.port, open_url_delay=None)
    return 0
