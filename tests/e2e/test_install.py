"""Loa as a province installs it: `pip install .` in a fresh virtual environment gives the
`loa` command, with its theme and words inside the package; `loa init` starts a portal
that `loa build` builds into valid pages, with no copy of Loa in it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, validate

from loa import __version__

# What a source release holds: the package, its theme and words, and how to build it.
SOURCE = ("pyproject.toml", "README.md", "requirements.txt", "loa", "templates", "i18n")


def run(*command: str | Path, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def loa(tmp_path_factory) -> Path:
    """The `loa` command of a fresh virtual environment, installed from a copy of the
    source (so that nothing else of this repository can be reached)."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp)
    run(venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check", source,
        cwd=tmp, timeout=600)
    return venv / "bin" / "loa"


def test_the_package_holds_the_theme_and_the_words(loa):
    assert run(loa, "--version", cwd=loa.parent).stdout.strip() == f"loa {__version__}"
    python = loa.parent / "python"
    where = run(python, "-c", "import loa.builtin as b; print(b.THEME); print(b.WORDS)",
                cwd=loa.parent).stdout.split()
    for folder, ours in zip(where, ("templates", "i18n")):
        installed = Path(folder)
        assert "site-packages" in installed.parts, installed
        assert sorted(p.relative_to(installed).as_posix() for p in installed.rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts) == sorted(
            p.relative_to(ROOT / ours).as_posix() for p in (ROOT / ours).rglob("*")
            if p.is_file())


def test_init_then_build_makes_a_valid_portal(loa, tmp_path):
    portal = tmp_path / "x"
    said = run(loa, "init", portal, "--province", "Bạc Liêu", cwd=tmp_path).stdout
    assert str(portal) in said
    assert not list(portal.rglob("*.py")) and not (portal / "templates").exists()
    run(loa, "build", cwd=portal)
    home = (portal / "public" / "index.html").read_text(encoding="utf-8")
    assert "Cổng thông tin Giảm nghèo về thông tin Bạc Liêu" in home
    for article in ("policies/vi-du-chinh-sach", "guides/vi-du-huong-dan",
                    "stories/vi-du-guong-thoat-ngheo"):
        assert (portal / "public" / article / "index.html").is_file(), article
    assert (portal / "public" / "thong-ke" / "index.html").is_file()
    pages = sorted((portal / "public").rglob("*.html"))
    assert validate(pages) == []
    run(loa, "check", cwd=portal)
