from loa.pagination import paginate


def test_pages_urls_and_neighbours():
    pages = paginate(list("abcde"), 2, "/guides/")
    assert [(p.number, p.url, p.items) for p in pages] == [
        (1, "/guides/", ("a", "b")), (2, "/guides/page/2/", ("c", "d")),
        (3, "/guides/page/3/", ("e",))]
    assert (pages[0].previous, pages[0].next) == ("", "/guides/page/2/")
    assert (pages[1].previous, pages[1].next) == ("/guides/", "/guides/page/3/")
    assert (pages[2].previous, pages[2].next) == ("/guides/page/2/", "")


def test_an_empty_list_still_has_its_page():
    pages = paginate([], 10, "/stories/")
    assert [(p.url, p.items, p.urls) for p in pages] == [("/stories/", (), ("/stories/",))]


def test_exact_fit_has_no_empty_last_page():
    assert len(paginate(list("abcd"), 2, "/x/")) == 2
