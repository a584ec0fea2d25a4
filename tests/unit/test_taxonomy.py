import datetime as dt

from loa.models import DEFAULT_TAXONOMIES, Page
from loa.taxonomy import FANOUT, related, terms

TAGS, PLACES = DEFAULT_TAXONOMIES


def page(name, day, tags=(), places=()):
    return Page(kind="article", source=f"content/g/{name}.md", section="g", slug=name,
                url=f"/g/{name}/", title=name, date=dt.date(2024, 1, day), tags=tuple(tags),
                locations=tuple(places))


def test_terms_merge_spellings_and_list_pages_newest_first():
    pages = [page("a", 1, ["4G", "Dịch vụ công"]), page("b", 3, ["4g"]), page("c", 2, ["4G"])]
    found = terms(pages, TAGS)
    assert [(t.name, t.slug, t.url) for t in found] == [
        ("4G", "4g", "/chu-de/4g/"), ("Dịch vụ công", "dich-vu-cong", "/chu-de/dich-vu-cong/")]
    assert [p.title for p in found[0].pages] == ["b", "c", "a"]
    assert [t.url for t in terms(pages + [page("d", 4, places=["Phước Long"])], PLACES)] == [
        "/dia-ban/phuoc-long/"]


def test_related_by_shared_terms_then_recency():
    pages = [page("a", 1, ["x", "y"], ["P"]), page("b", 2, ["x", "y"]), page("c", 9, ["x"]),
             page("d", 5, ["y"], ["P"]), page("e", 8, ["z"])]
    found = related(pages, terms(pages, TAGS) + terms(pages, PLACES))
    assert [p.title for p in found["/g/a/"]] == ["d", "b", "c"]  # d: y+P, b: x+y, c: x
    assert [p.title for p in found["/g/e/"]] == []
    assert len(related(pages, terms(pages, TAGS), limit=1)["/g/a/"]) == 1


def test_related_scores_at_most_fanout_candidates_per_term(monkeypatch):
    """Count every candidate the real function scores: at most FANOUT per term of each
    page, so the work is linear in the number of pages (a tag on every page included)."""
    from collections import Counter

    from loa import taxonomy
    scored = []

    class Counting(Counter):
        def __setitem__(self, key, value):
            scored.append(key)
            super().__setitem__(key, value)

    for n in (1_000, 10_000):
        pages = [page(f"p{i}", 1 + i % 28, ["chung", f"t{i % 50}"], [f"xa{i % 30}"])
                 for i in range(n)]
        all_terms = terms(pages, TAGS) + terms(pages, PLACES)
        scored.clear()
        monkeypatch.setattr(taxonomy, "Counter", Counting)
        related(pages, all_terms)
        monkeypatch.undo()
        assert len(scored) <= n * 3 * FANOUT  # 3 terms a page
        assert len(scored) < n * n / 20 if n == 10_000 else True
