"""Times related-article scoring at 1,000 and 10,000 articles (and more, if asked).

    python bench/related.py [--n 1000 10000]

Pages are made in memory with a realistic spread of tags and places (a few tags on
most articles, a long tail of rare ones), so only `taxonomy.terms` and
`taxonomy.related` are measured. The work is linear: time per article stays flat.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loa.models import DEFAULT_TAXONOMIES, Page  # noqa: E402
from loa.taxonomy import related, terms  # noqa: E402

TAGS = [f"chủ đề {i}" for i in range(40)]
PLACES = [f"xã {i}" for i in range(60)]


def pages(n: int) -> list[Page]:
    pick = random.Random(20241129)
    made = []
    for i in range(n):
        tags = {TAGS[min(int(pick.paretovariate(1.2)) - 1, 39)] for _ in range(pick.randint(1, 4))}
        places = set(pick.sample(PLACES, pick.randint(1, 3)))
        made.append(Page(kind="article", source=f"content/g/bai-{i}.md", section="g",
                         slug=f"bai-{i}", url=f"/g/bai-{i}/", title=f"Bài {i}",
                         date=dt.date(2019, 1, 1) + dt.timedelta(days=pick.randint(0, 2800)),
                         tags=tuple(sorted(tags)), locations=tuple(sorted(places))))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"{'articles':>9} {'terms s':>8} {'related s':>10} {'µs/article':>11}")
    for n in args.n:
        made = pages(n)
        started = time.perf_counter()
        found = [t for taxonomy in DEFAULT_TAXONOMIES for t in terms(made, taxonomy)]
        middle = time.perf_counter()
        related(made, found)
        ended = time.perf_counter()
        print(f"{n:>9} {middle - started:>8.3f} {ended - middle:>10.3f} "
              f"{(ended - started) / n * 1e6:>11.1f}")


if __name__ == "__main__":
    main()
