"""The only module that writes: a temp folder beside the output, then a swap.

The new site is written in full into `.loa-tmp-*` next to the output folder and
renamed into place only when every file is written, so a failed or interrupted
build leaves the published site exactly as it was. No path may leave the folder.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import Diagnostic, problem
from .models import OutputFile
from .urls import is_safe_output_path


def check_target(out_dir: Path, site_root: Path) -> list[Diagnostic]:
    """Refuse an output folder that would swallow the site or someone's files."""
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out) or any(
            out.is_relative_to(root / name) for name in ("content", "templates", "static", "data")):
        return [problem(str(out_dir), 0, "out_overlaps_site")]
    if out.exists() and not out.is_dir():
        return [problem(str(out_dir), 0, "out_not_folder")]
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        return [problem(str(out_dir), 0, "out_not_a_site")]
    return []


def _write_tree(outputs: Iterable[OutputFile], folder: Path) -> None:
    base = folder.resolve()
    for output in outputs:
        if not is_safe_output_path(output.path):
            raise ValueError(f"refusing to write outside the output folder: {output.path!r}")
        target = (base / output.path).resolve()
        if not target.is_relative_to(base):
            raise ValueError(f"refusing to write outside the output folder: {output.path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.content)


def write(outputs: Iterable[OutputFile], out_dir: Path) -> None:
    """Replace `out_dir` with exactly `outputs`, or leave it untouched on failure."""
    out_dir = Path(os.path.abspath(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".loa-tmp-", dir=out_dir.parent))
    try:
        _write_tree(outputs, temp)
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o777 & ~umask)  # mkdtemp makes it private; a web server must read it
        if not out_dir.exists():
            temp.rename(out_dir)
            return
        old = Path(tempfile.mkdtemp(prefix=".loa-old-", dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
        try:
            temp.rename(out_dir)
        except OSError:
            old.rename(out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
