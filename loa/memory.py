"""What builds remember, for the next build: rows of the cache (`cache.Rows`), kept in
the process too when builds follow each other in it (serve), so that they read nothing
again. Each record says what it was made from, so a stale one is never used: a file by
its size, time and inode (as make(1) sees files), the rest by digests.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import search
from .cache import CODE_DIGEST, Cache, Rows


@dataclass
class Memory:
    """What a build remembers for the next, row by row in the cache: kept in this process
    too when builds follow each other in it (serve), so that they read nothing again."""

    reads: Rows  # Markdown file -> (its size, time and inode; what was asked; its page)
    bodies: Rows  # page URL -> (its file's size, time and inode; what else it is made
    # from; what Markdown made of it)
    asked: Rows  # page URL -> what its Markdown looked up (markdown.Asked), read only when
    # what links and figures resolve against changed
    state: Rows  # the search index (SEARCH_STATE), and what links resolved against (LINKS)
    shards: Rows  # the search index's postings, shard by shard

    @classmethod
    def of(cls, cache: Cache) -> Memory:
        """What the cache remembers, for this version of Loa's code only (a record made by
        other code may hold other fields); what other versions left is dropped."""
        tables = [f"{name} {CODE_DIGEST}"
                  for name in ("reads", "bodies", "asked", "state", "shards")]
        cache.drop_tables_but(tables)
        return cls(*(Rows(cache, name) for name in tables))

    def save(self) -> None:
        for rows in (self.reads, self.bodies, self.asked, self.state, self.shards):
            rows.save()


class ShardRows:
    """The search index's shards as rows of the cache (search.ShardStore)."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def get(self, number: int) -> search.Postings | None:
        found = self.rows.get(str(number))
        return found if isinstance(found, search.Postings) else None

    def put(self, number: int, postings: search.Postings) -> None:
        self.rows.put(str(number), postings)



def file_stat(file: Path) -> tuple[int, int, int] | None:
    """A file as make(1) sees it: a change of size, time or inode is a change."""
    try:
        found = os.stat(file)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


SEARCH_STATE = "index"  # rows of Memory.state: the search index,
LINKS = "links"  # and a digest of what links and figures resolved against
