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
