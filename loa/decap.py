"""Decap CMS's own parts, installed and started: the editor's script (npm `decap-cms`) and
its local backend (npm `decap-server`), which reads and writes the site's files.

Both are pinned and live in the site's `.loa-editor/` folder (`edit --install` puts them
there; nothing is fetched from a CDN). The local backend listens on 127.0.0.1 only, on a
free port, and is reached through the preview server (`serve`), whose Host check stands
in front of it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

FOLDER = ".loa-editor"
PACKAGES = ("decap-cms@3.16.3", "decap-server@3.11.3")


@dataclass(frozen=True)
class Parts:
    script: Path  # the folder of decap-cms.js and the chunks it loads
    server: Path  # decap-server's entry point, run by node
    node: str


def folder(root: Path) -> Path:
    return root / FOLDER


def node() -> str | None:
    return shutil.which("node")


def installed(root: Path) -> Parts | None:
    """The installed parts, or None when `edit --install` has not run (or Node is gone)."""
    modules = folder(root).resolve() / "node_modules"
    script = modules / "decap-cms" / "dist"
    server = modules / "decap-server" / "dist" / "index.js"
    found = node()
    if found is None or not (script / "decap-cms.js").is_file() or not server.is_file():
        return None
    return Parts(script, server, found)


def script_files(parts: Parts) -> list[Path]:
    """What the editor's page loads of Decap's: its script and the chunks that script
    loads as it needs them (not the source maps, nor the copy built for bundlers)."""
    return sorted(path for path in parts.script.iterdir()
                  if path.name == "decap-cms.js" or path.name.endswith(
                      (".decap-cms.js", ".wasm")))


def install(root: Path) -> int:
    """npm install of the pinned packages into .loa-editor/ (npm's own output shown)."""
    return subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix",
                           str(folder(root)), *PACKAGES]).returncode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(parts: Parts, root: Path, port: int) -> subprocess.Popen:
    """decap-server on 127.0.0.1:`port`, reading and writing `root`'s files ("fs" mode:
    no Git needed), quiet but for its warnings."""
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(root.resolve()), "LOG_LEVEL": "warn"}
    # (its working folder: it reads a .env file from there, which must not be the site's)
    return subprocess.Popen([parts.node, str(parts.server)], env=env, cwd=folder(root))
