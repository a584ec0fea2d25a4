"""Every page of the built sample site passes the W3C Nu Html Checker (vnu.jar).

The jar is the npm package `vnu-jar`, installed by tests/install.sh into tests/.node/;
it needs java. All files go to one java process, since the JVM start is the slow part.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

JAR = Path(__file__).resolve().parents[1] / ".node/node_modules/vnu-jar/build/dist/vnu.jar"


def _vnu_command() -> list[str]:
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: run sh tests/install.sh (it installs npm's vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found, the Nu Html Checker needs it: apt-get install default-jre-headless")
    return [java, "-jar", str(JAR), "--errors-only", "--format", "json"]


def validate(files: list[Path]) -> list[dict]:
    """The error messages vnu reports for FILES (an empty list when they are all valid)."""
    assert files, "nothing to validate"
    done = subprocess.run(
        [*_vnu_command(), *map(str, files)], capture_output=True, text=True, timeout=300
    )
    report = (done.stderr.strip() or done.stdout.strip())  # vnu writes its JSON to stderr
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert done.returncode == (1 if errors else 0), f"vnu exit {done.returncode}: {report[:2000]}"
    return errors


def _describe(message: dict, root: Path) -> str:
    url = message.get("url", "")
    path = Path(unquote(urlparse(url).path)) if url.startswith("file:") else Path(url)
    try:
        where = path.relative_to(root)
    except ValueError:
        where = path
    line = message.get("lastLine", message.get("firstLine", "?"))
    extract = message.get("extract", "").strip().replace("\n", " ")
    return f"{where}:{line}: {message.get('message', '').strip()}" + (
        f"\n    {extract}" if extract else ""
    )


def test_every_page_of_the_sample_site_is_valid_html(sample_site: Path):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) >= 20, f"only {len(pages)} pages built"
    errors = validate(pages)
    report = "\n".join(_describe(m, sample_site) for m in errors)
    if errors:
        print(report)
        pytest.fail(f"{len(errors)} HTML errors in {len(pages)} pages:\n{report}", pytrace=False)


BROKEN = """<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>Hỏng</title>
<style>a{text-underline-offset:.1em;colr:red}</style></head>
<body>
<p id="x">Một</p>
<p id="x">Hai</p>
<span><div>khối trong dòng</div></span>
<ul><p>không phải li</p></ul>
</body>
</html>
"""


def test_the_validator_really_reports_errors(tmp_path: Path):
    """Guards the test above against a validator that silently checks nothing."""
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    errors = validate([broken])
    text = "\n".join(_describe(m, tmp_path) for m in errors)
    assert len(errors) >= 2, f"vnu missed the deliberate errors; it said:\n{text}"
    assert any("Duplicate ID" in m.get("message", "") for m in errors), text
    assert all(m.get("url", "").endswith("broken.html") for m in errors), text
    # Inline CSS is checked too, and the checker knows current properties.
    assert any("\u201ccolr\u201d" in m.get("message", "") for m in errors), text
    assert not any("text-underline-offset" in m.get("message", "") for m in errors), text
