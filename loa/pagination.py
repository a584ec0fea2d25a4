"""Splitting a list page: page 1 at the list's own URL, page n at `page/n/`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Pager(Generic[T]):
    number: int  # 1-based
    url: str
    items: tuple[T, ...]
    urls: tuple[str, ...]  # every page's URL, in order

    @property
    def previous(self) -> str:
        return self.urls[self.number - 2] if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.urls[self.number] if self.number < len(self.urls) else ""


def page_url(list_url: str, number: int) -> str:
    return list_url if number == 1 else f"{list_url}page/{number}/"


def paginate(items: Sequence[T], per_page: int, list_url: str) -> list[Pager[T]]:
    """Always at least one page, so an empty section still has its list page."""
    count = max(1, -(-len(items) // per_page))
    urls = tuple(page_url(list_url, n) for n in range(1, count + 1))
    return [Pager(n, urls[n - 1], tuple(items[(n - 1) * per_page:n * per_page]), urls)
            for n in range(1, count + 1)]
