"""The sample site's search box, as a resident uses it: no accents, short queries."""
from __future__ import annotations

import pytest

from helpers import search_for

EXPECTED_FIRST = {
    "ho tro dien thoai": "Hỗ trợ bà con chuyển sang 4G và mua điện thoại thông minh giá thấp",
    "dang ky": "Cài đặt và kích hoạt ứng dụng VNeID",
    "Phuoc Long": "Một buổi tối của anh Tuấn, thành viên tổ công nghệ số ở Phước Long",
    "90/qd-ttg": "Chương trình giảm nghèo bền vững 2021–2025 và Dự án 6 về thông tin",
}


@pytest.mark.parametrize("query", list(EXPECTED_FIRST))
def test_typed_without_accents_the_right_article_comes_first(new_page, served_site, query):
    page = new_page(360, 740, js=True)
    page.goto(served_site + "tim-kiem/index.html")
    page.focus("#q")
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    titles = search_for(page, query)
    assert titles and titles[0] == EXPECTED_FIRST[query], titles[:5]
    # the result opens the article, under the sub-path the site is served at
    page.locator("#search-results li > a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(served_site) and page.locator("h1").inner_text() == titles[0]


def test_a_policy_out_of_force_says_so_in_the_results(new_page, served_site):
    page = new_page(360, 740, js=True)
    page.goto(served_site + "tim-kiem/index.html")
    page.focus("#q")  # (the script comes once the box is used)
    page.wait_for_function("!!(window.loaSearch && window.loaSearch.run)")
    titles = search_for(page, "ke hoach giam ngheo ve thong tin 2024")
    expired = "Kế hoạch giảm nghèo về thông tin của tỉnh năm 2024"
    assert expired in titles, titles
    items = page.locator("#search-results li")
    found = {items.nth(i).locator("a").inner_text():
             (items.nth(i).locator(".badge").all_inner_texts(),
              items.nth(i).locator("small").inner_text()) for i in range(items.count())}
    assert found[expired][0] == ["Hết hiệu lực"]
    # only policies carry one (a guide or a story is never out of force)
    assert all(section.startswith("Chính sách") for badges, section in found.values() if badges)
    assert any(not badges for badges, _ in found.values())
