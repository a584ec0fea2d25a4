"""Page weight: what a page costs a reader on pre-paid mobile data.

The first response of a page (its HTML with the CSS inlined, gzip-compressed) must
fit the budget in site_config.yaml (14,600 bytes by default: the ~10 packets of
a first TCP round trip). A page over it is an error naming the page.
"""
from __future__ import annotations

import gzip

from .errors import Diagnostic, problem
from .models import Budgets, OutputFile


def gzip_size(content: bytes) -> int:
    # mtime=0 keeps the figure (and any .gz file) the same from run to run.
    return len(gzip.compress(content, compresslevel=9, mtime=0))


def check_budgets(pages: list[tuple[str, OutputFile]], budgets: Budgets) -> list[Diagnostic]:
    """(source path, HTML output) pairs in; one diagnostic per page over budget out."""
    found = []
    for source, output in pages:
        size = gzip_size(output.content)
        if size > budgets.page_gzip_bytes:
            found.append(problem(source, 0, "page_over_budget", page=output.path, size=size,
                                 budget=budgets.page_gzip_bytes))
    return found
