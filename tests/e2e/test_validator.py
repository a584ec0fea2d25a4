"""Every page of the built sample site passes the W3C Nu Html Checker (vnu.jar).

The jar is the npm package `vnu-jar`, installed by tests/install.sh into tests/.node/;
it needs java. All files go to one java process, since the JVM start is the slow part.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from helpers import validate

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
