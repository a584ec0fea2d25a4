"""Python-Markdown's own CPU on a site's bodies: the floor a Loa build cannot go under.

    python bench/markdown_floor.py SITE

Reads every Markdown file of SITE/content, splits off its front matter with Loa's own
`loa.frontmatter.split`, then converts each body with one `markdown.Markdown` (the
extensions Loa uses), reset between bodies as Loa's converter does. Only the conversions
are timed, in CPU seconds (`time.process_time`): reading, splitting and importing are not.
Prints one JSON line: {"bodies": …, "cpu": …, "wall": …}.

bench/run.py runs this in its own process, so that nothing imported or warmed by the
benchmark itself flatters (or burdens) the figure.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

from loa.frontmatter import split  # noqa: E402

# Loa's own list (loa/markdown.py), with plain `toc` for its heading-id extension.
EXTENSIONS = ["tables", "fenced_code", "attr_list", "sane_lists", "toc"]


def bodies(site: Path) -> list[str]:
    """The body of every Markdown file under content/, in a fixed order."""
    found = []
    for path in sorted((site / "content").rglob("*.md")):
        parts, problems = split(path.read_text(encoding="utf-8"), str(path))
        if parts is None:
            raise SystemExit(f"{path}: no front matter to split off ({problems})")
        found.append(parts.body)
    return found


def convert_all(texts: list[str]) -> tuple[float, float]:
    """CPU and wall seconds to convert every text, one Markdown object reset between them."""
    converter = markdown.Markdown(extensions=EXTENSIONS)
    cpu, wall = time.process_time(), time.perf_counter()
    for text in texts:
        converter.reset().convert(text)
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit(__doc__.split("\n\n")[1])
    texts = bodies(Path(argv[0]))
    cpu, wall = convert_all(texts)
    print(json.dumps({"bodies": len(texts), "cpu": cpu, "wall": wall,
                      "markdown": markdown.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
