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


def test_a_list_links_to_a_fixed_number_of_its_pages():
    from loa.views import pager_numbers
    assert pager_numbers(1, 1) == [1]
    assert pager_numbers(2, 4) == [1, 2, 3, 4]
    assert pager_numbers(1, 400) == [1, 2, 3, 0, 400]
    assert pager_numbers(200, 400) == [1, 0, 198, 199, 200, 201, 202, 0, 400]
    assert pager_numbers(400, 400) == [1, 0, 398, 399, 400]
    assert pager_numbers(4, 7) == [1, 2, 3, 4, 5, 6, 7]
    assert pager_numbers(5, 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]  # "…" never hides one number
    assert pager_numbers(6, 11) == [1, 0, 4, 5, 6, 7, 8, 0, 11]
    assert max(len(pager_numbers(n, 1000)) for n in range(1, 1001)) == 9
