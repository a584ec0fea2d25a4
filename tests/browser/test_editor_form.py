"""The web editor (`build.py edit`) as a commune official uses it, in Chromium: Decap CMS
at /admin/, its local backend (decap-server) writing the site's files, and the preview
building what was saved. Locators are the Vietnamese words the form shows (an optional
field's label ends "(không bắt buộc)")."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from helpers import TODAY, Editing, make_photo, run_cli, wait_for

from loa.text import slug

TITLE = "Quyết định 90: hỗ trợ hộ nghèo ở Phước Long"


@pytest.fixture
def admin(new_page, editing):
    """The editor's page, open at its list of collections."""
    page = new_page(1280, 900, js=True)
    page.goto(editing.base + "admin/")
    page.get_by_role("link", name="Chính sách").first.wait_for(timeout=30_000)
    return page


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text
    return yaml.safe_load(text.split("---\n")[1])


def save(page) -> None:
    """Save as the form does: 'Công bố', then 'Công bố ngay', until it says it is saved."""
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()


def saved(page) -> None:
    page.get_by_text("Mục đã được lưu").first.wait_for(timeout=30_000)


def preview(editing: Editing, path: str, words: str) -> None:
    import urllib.error
    import urllib.request

    def shown() -> bool:
        try:
            with urllib.request.urlopen(editing.base + path, timeout=5) as response:
                return words in response.read().decode("utf-8")
        except urllib.error.URLError:
            return False
    wait_for(shown, 30, f"{path} did not show {words!r}:\n{editing.said()}")


def test_a_policy_made_in_the_form_is_a_file_that_builds(admin, editing, tmp_path):
    page = admin
    page.goto(editing.base + "admin/#/collections/policies/new")
    page.get_by_label("Tiêu đề", exact=True).fill(TITLE)
    page.get_by_label("Ngày đăng", exact=True).fill("2024-05-01")
    page.get_by_label("Số hiệu", exact=True).fill("90/QĐ-TTg")
    page.get_by_label("Cơ quan ban hành", exact=True).fill("Thủ tướng Chính phủ")
    page.get_by_label("Ngày ban hành", exact=True).fill("2024-04-20")
    page.get_by_label("Chủ đề (không bắt buộc)", exact=True).fill("giảm nghèo, chuyển đổi số")
    photo = make_photo(tmp_path / "anh-ho-ngheo.jpg", 800, 600)
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator("input[type=file]").set_input_files(photo)
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label("Lời mô tả ảnh (không bắt buộc)", exact=True).fill("Cán bộ xã trao điện thoại cho hộ nghèo")
    body = page.locator("[data-slate-editor=true]")
    body.click()
    page.keyboard.type("Hộ nghèo được hỗ trợ 2.000.000 đồng để mua điện thoại 4G.")
    save(page)
    saved(page)

    name = slug(TITLE)
    article = editing.site / "content" / "policies" / f"{name}.md"
    assert article.is_file(), sorted(p.name for p in article.parent.iterdir())
    fields = front_matter(article)
    assert fields["title"] == TITLE and fields["number"] == "90/QĐ-TTg"
    assert fields["date"] == dt.date(2024, 5, 1) and fields["issued"] == dt.date(2024, 4, 20)
    assert fields["tags"] == ["giảm nghèo", "chuyển đổi số"]
    assert fields["image"] == "/images/anh-ho-ngheo.jpg"
    assert fields["image_alt"] == "Cán bộ xã trao điện thoại cho hộ nghèo"
    assert (editing.site / "static" / "images" / "anh-ho-ngheo.jpg").read_bytes() == (
        photo.read_bytes())
    assert "2.000.000 đồng" in article.read_text(encoding="utf-8").split("---\n", 2)[2]
    # the file passes Loa's own check, and the preview serves its page
    run = run_cli("check", "--source", editing.site, "--today", TODAY)
    assert run.code == 0, run.err
    preview(editing, f"policies/{name}/index.html", "90/QĐ-TTg")


def test_an_existing_guide_edited_in_the_form_shows_in_the_preview(admin, editing):
    page = admin
    page.goto(editing.base + "admin/#/collections/guides/entries/zalo")
    title = page.get_by_label("Tiêu đề", exact=True)
    assert title.input_value() == "Tham gia nhóm Zalo của xã"
    # the preview beside the form is drawn with the site's own stylesheet
    styled = page.frame_locator("iframe").first.locator("link[href$='preview.css']")
    styled.wait_for(state="attached")
    assert "--brand" in page.request.get(editing.base + "admin/preview.css").text()
    title.fill("Tham gia nhóm Zalo của xã một cách an toàn")
    save(page)
    saved(page)
    fields = front_matter(editing.site / "content" / "guides" / "zalo.md")
    assert fields["title"] == "Tham gia nhóm Zalo của xã một cách an toàn"
    assert fields["date"] == dt.date(2024, 5, 1)  # the rest as it was
    assert "Hỏi cán bộ ấp." in (editing.site / "content/guides/zalo.md").read_text("utf-8")
    preview(editing, "guides/zalo/index.html", "Tham gia nhóm Zalo của xã một cách an toàn")


def test_a_required_field_left_empty_is_refused_before_any_file_is_written(admin, editing):
    page = admin
    before = sorted((editing.site / "content" / "policies").iterdir())
    page.goto(editing.base + "admin/#/collections/policies/new")
    page.get_by_label("Tiêu đề", exact=True).fill("Một chính sách chưa có số hiệu")
    page.get_by_label("Ngày đăng", exact=True).fill("2024-05-01")
    save(page)
    page.get_by_text("Bạn còn thiếu vài thông tin bắt buộc").first.wait_for()
    assert page.get_by_text("Số hiệu bắt buộc nhập").first.is_visible()
    page.wait_for_timeout(500)
    assert sorted((editing.site / "content" / "policies").iterdir()) == before


def test_a_picture_without_its_description_is_refused(admin, editing, tmp_path):
    page = admin
    before = sorted((editing.site / "content" / "guides").iterdir())
    page.goto(editing.base + "admin/#/collections/guides/new")
    page.get_by_label("Tiêu đề", exact=True).fill("Chụp ảnh giấy tờ bằng điện thoại")
    page.get_by_label("Ngày đăng", exact=True).fill("2024-05-01")
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator("input[type=file]").set_input_files(make_photo(tmp_path / "a.jpg", 400, 300))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    save(page)
    page.get_by_text("Ảnh đại diện cần lời mô tả").first.wait_for()
    page.wait_for_timeout(500)
    assert sorted((editing.site / "content" / "guides").iterdir()) == before


def test_the_contact_block_is_edited_and_the_rest_of_the_settings_kept(admin, editing):
    config = editing.site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + (
        "# who runs the portal (sample)\ncontact:\n  agency: \"Ban biên tập\"\n"), "utf-8")
    original = config.read_text(encoding="utf-8")
    page = admin
    page.goto(editing.base + "admin/#/collections/settings/entries/contact")
    phone = page.get_by_label("Điện thoại (không bắt buộc)", exact=True)
    page.get_by_text("Liên hệ (không bắt buộc)").first.wait_for()
    if not phone.is_visible():  # (Decap opens a block shown alone folded)
        page.get_by_text("Liên hệ (không bắt buộc)").first.click()
    phone.fill("0291 3822 123")
    save(page)
    saved(page)
    assert config.read_text(encoding="utf-8") == original.replace(
        '  agency: "Ban biên tập"\n', '  agency: "Ban biên tập"\n  phone: "0291 3822 123"\n')
    preview(editing, "lien-he/index.html", "tel:02913822123")


def test_the_build_s_problems_show_over_the_form(admin, editing):
    page = admin
    article = editing.site / "content" / "guides" / "zalo.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "date: 2024-05-01", "date: 01/05/2024"), encoding="utf-8")
    bar = page.locator("#loa-problems")
    bar.wait_for(state="visible", timeout=30_000)
    assert "content/guides/zalo.md:3" in bar.inner_text() and "2024-05-01" in bar.inner_text()
    article.write_text(article.read_text(encoding="utf-8").replace(
        "date: 01/05/2024", "date: 2024-05-01"), encoding="utf-8")
    bar.wait_for(state="hidden", timeout=30_000)
