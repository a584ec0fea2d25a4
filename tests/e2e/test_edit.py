"""`build.py edit` over real HTTP on 127.0.0.1: the web editor's page, its configuration,
Decap's script from the installed package, and its local backend (decap-server) behind
the preview server. (The form itself is driven in tests/browser/test_editor_form.py.)"""
from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from helpers import (EDITOR_PARTS, ROOT, SITES, Editing, copy_site, run_cli, wait_for,
                     with_editor)

from loa import decap, editor
from loa.config import load as load_config
from loa.i18n import load as load_words


SAVE = {"commitMessage": "Lưu bài", "useWorkflow": False, "status": "draft"}  # as the form sends


def get(server: Editing, path: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(server.base + path, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def api(server: Editing, action: str, host: str | None = None, **params) -> tuple[int, object]:
    return post(server, {"Content-Type": "application/json", **({"Host": host} if host else {})},
                action, **params)


def post(server: Editing, headers: dict[str, str], action: str, **params
         ) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("POST", "/admin/api/v1", headers=headers, body=json.dumps(
            {"action": action, "params": {"branch": "main", **params}}))
        response = connection.getresponse()
        body = response.read()
        try:
            return response.status, json.loads(body)
        except ValueError:
            return response.status, body.decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_editor_page_its_configuration_and_decaps_script(editing):
    status, headers, page = get(editing, "admin/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = page.decode("utf-8")
    assert '<meta name="robots" content="noindex,nofollow">' in text
    assert 'rel="cms-config-url"' in text and "livereload" not in text  # (no reload mid-form)
    scripts = re.findall(r'<script src="([^"]+)"', text)
    assert scripts == ["loa-editor.js", "decap/decap-cms.js"]  # nothing from a CDN
    status, _, script = get(editing, "admin/decap/decap-cms.js")
    dist = EDITOR_PARTS / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
    assert status == 200 and script == dist.read_bytes()
    status, _, body = get(editing, "admin/config.yml")
    config, _ = load_config(editing.site)
    assert status == 200 and yaml.safe_load(body) == editor.decap_config(
        config, load_words("vi"))
    status, _, css = get(editing, "admin/preview.css")
    assert status == 200 and b"--brand" in css  # the site's own style, for the preview
    # the preview is served beside it, as `serve` does
    assert get(editing, "guides/zalo/index.html")[0] == 200


def test_a_section_lists_its_articles_and_a_save_is_built_and_served(editing):
    status, entries = api(editing, "entriesByFolder", folder="content/guides",
                          extension="md", depth=1)
    assert status == 200
    assert sorted(e["file"]["path"] for e in entries) == [  # not guides/_index.md
        "content/guides/cai-vneid.md", "content/guides/zalo.md"]
    text = "---\ntitle: \"Dùng Zalo: gọi video\"\ndate: 2024-06-01\n---\n\nGọi video cho con.\n"
    status, _ = api(editing, "persistEntry", options=SAVE, assets=[],
                    dataFiles=[{"path": "content/guides/goi-video.md", "raw": text,
                                "slug": "goi-video"}])
    assert status == 200
    assert (editing.site / "content/guides/goi-video.md").read_text(encoding="utf-8") == text
    # the preview builds it (the form's save is a save like any other)
    wait_for(lambda: get(editing, "guides/goi-video/index.html")[0] == 200, 30,
             f"the saved article was not served:\n{editing.said()}")
    assert "Gọi video cho con." in get(editing, "guides/goi-video/index.html")[2].decode()


def test_the_build_s_problems_are_given_to_the_editor_s_page(editing):
    assert json.loads(get(editing, "admin/problems.json")[2]) == {"problems": []}
    article = editing.site / "content/guides/zalo.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "date: 2024-05-01", "date: 01/05/2024"), encoding="utf-8")

    def problems():
        return json.loads(get(editing, "admin/problems.json")[2])["problems"]
    found = wait_for(problems, 30, "no problem was reported")
    assert found[0][0] == "content/guides/zalo.md:3" and "2024-05-01" in found[0][1]


def test_another_host_cannot_reach_the_backend(editing):
    """DNS rebinding: a page of another site, its name pointed at 127.0.0.1, would write
    the site's files through the backend; it is refused before it gets there."""
    status, _ = api(editing, "persistEntry", host="evil.example:80", options=SAVE,
                    assets=[], dataFiles=[{
                        "path": "content/guides/x.md", "raw": "---\ntitle: x\n---\n",
                        "slug": "x"}])
    assert status == 403 and not (editing.site / "content/guides/x.md").exists()
    assert get(editing, "admin/config.yml")[0] == 200  # (its own name still works)


@pytest.mark.parametrize("headers", [
    {"Content-Type": "application/json", "Origin": "http://evil.example"},
    {"Content-Type": "text/plain", "Origin": "null"},
    {"Content-Type": "text/plain"}], ids=["other origin", "form from a file", "no JSON"])
def test_another_site_s_page_cannot_write_through_the_backend(editing, headers):
    """CSRF: a page of any site the official opens can post to 127.0.0.1 (its Host is an
    address, allowed); it says where it comes from, and cannot post JSON unasked."""
    status, _ = post(editing, headers, "persistEntry", options=SAVE, assets=[], dataFiles=[{
        "path": "content/guides/x.md", "raw": "---\ntitle: x\n---\n", "slug": "x"}])
    assert status == 403 and not (editing.site / "content/guides/x.md").exists()
    own = {"Content-Type": "application/json", "Origin": editing.base.rstrip("/")}
    status, entries = post(editing, own, "entriesByFolder", folder="content/guides",
                           extension="md", depth=1)
    assert status == 200 and len(entries) == 2  # (the editor's own page still can)


def test_stopping_edit_stops_the_backend(tmp_path):
    site = with_editor(copy_site(SITES / "minimal", tmp_path / "site"))
    server = Editing(site)
    children = {int(p) for p in Path(f"/proc/{server.process.pid}/task/{server.process.pid}"
                                     "/children").read_text().split()}
    assert children, "edit started no backend"
    server.stop()
    wait_for(lambda: not any(Path(f"/proc/{c}").exists() for c in children), 15,
             "decap-server outlived edit")


def test_without_node_edit_says_what_to_install(tmp_path, monkeypatch):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    run = run_cli("edit", "--source", site)
    assert run.code == 2
    assert "Node.js" in run.err and "python build.py edit --install" in run.err


def test_not_installed_edit_says_how_to_install(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    run = run_cli("edit", "--source", site)
    assert run.code == 2 and "python build.py edit --install" in run.err
    assert not (site / ".loa-cache").exists()  # nothing was built or started


def test_the_tests_install_the_versions_edit_installs():
    install = (ROOT / "tests" / "install.sh").read_text(encoding="utf-8")
    named = re.search(r'NPM_PACKAGES="([^"]+)"', install)[1].split()
    assert set(decap.PACKAGES) <= set(named)
    for package in decap.PACKAGES:
        name, version = package.rsplit("@", 1)
        found = json.loads((EDITOR_PARTS / "node_modules" / name / "package.json").read_text())
        assert found["version"] == version

