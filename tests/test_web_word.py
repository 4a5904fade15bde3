"""New publication from a Word file (reportgen serve): upload, the import report on the
publication's page, refusals with their message, CSRF, the size limit, axe-core clean."""

from __future__ import annotations

import re

import pytest

from conftest import describe, page_violations, web_server
from reportgen.content.docx import MAX_DOCX_BYTES
from test_docx_import import make_docx
from test_web import Client


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with web_server(tmp_path_factory.mktemp("word")) as (base, config):
        yield base, config


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("drafts")
    return make_docx(tmp / "Community review.docx"), make_docx(tmp / "tracked.docx", tracked=True)


def test_home_page_links_to_the_word_import(site):
    base, _config = site
    status, page, _ = Client(base).get("/")
    assert status == 200 and '<a href="/new/word">New publication from a Word file</a>' in page


def test_upload_makes_the_folder_and_the_page_shows_the_import_report(site, drafts):
    base, config = site
    client = Client(base)
    token = client.token("/new/word")
    status, _page, headers = client.upload(
        "/new/word/import", {"csrf_token": token, "name": ""}, "Community review.docx", drafts[0].read_bytes()
    )
    assert status == 303, _page[:2000]
    assert headers["Location"] == "/reports/community-review?imported=word"
    assert (config.data_dir / "community-review" / "report.yaml").is_file()
    status, page, _ = client.get(headers["Location"])
    assert status == 200
    assert "Imported from Community_review.docx" in page
    assert "the picture picture-2.png has no description in Word" in page
    assert "paragraphs 25–26, under &#39;Pictures&#39;" in page
    assert re.search(r"report.yaml:9 organisation</span> — missing — this field is required", page)  # as the CLI says
    again = client.upload(
        "/new/word/import", {"csrf_token": token, "name": "community-review"}, "x.docx", drafts[0].read_bytes()
    )
    assert again[0] == 400 and "There is already a publication folder called community-review" in again[1]


@pytest.mark.parametrize(
    ("name", "file_name", "which", "status", "expected"),
    [
        ("tracked", "tracked.docx", 1, 422, "accept or reject them first"),
        ("notes", "notes.txt", 0, 400, "must be a Word document saved as .docx"),
        ("Bad Name!", "a.docx", 0, 400, "Use lower case letters, digits and hyphens only"),
    ],
)
def test_refusals_say_why_and_make_nothing(site, drafts, name, file_name, which, status, expected):
    base, config = site
    before = sorted(p.name for p in config.data_dir.iterdir())
    client = Client(base)
    answer = client.upload(
        "/new/word/import",
        {"csrf_token": client.token("/new/word"), "name": name},
        file_name,
        drafts[which].read_bytes(),
    )
    assert answer[0] == status and expected in answer[1]
    assert re.search(r'aria-invalid="true"', answer[1])
    assert sorted(p.name for p in config.data_dir.iterdir()) == before


def test_without_the_form_token_nothing_is_imported(site, drafts):
    base, config = site
    client = Client(base)
    client.get("/new/word")
    status, page, _ = client.upload("/new/word/import", {"name": "no-token"}, "a.docx", drafts[0].read_bytes())
    assert status == 403 and "security token" in page
    assert not (config.data_dir / "no-token").exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(site):
    base, _config = site
    client = Client(base)
    token = client.token("/new/word")
    status, page, _ = client.request(
        "/new/word/import",
        b"x" * 16,
        {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(9 * MAX_DOCX_BYTES)},
    )
    assert status == 413 and "larger than 50 MB" in page
    assert token


def test_word_pages_have_no_axe_violations_and_work_by_keyboard(site, drafts, browser, tmp_path):
    base, config = site
    page = browser.new_page()
    try:
        page.goto(base + "/new/word")
        assert page_violations(page) == [], describe(page_violations(page))
        page.focus("button[type=submit]")
        page.keyboard.press("Enter")  # nothing chosen: the error summary
        page.wait_for_selector(".error-summary")
        assert "Choose the Word file" in page.inner_text(".error-summary")
        assert page_violations(page) == [], describe(page_violations(page))
        page.set_input_files("#word-file", str(drafts[0]))
        page.fill("#word-name", "keyboard-import")
        page.focus("button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#word-import-title")
        assert page.url.endswith("/reports/keyboard-import?imported=word")
        assert page_violations(page) == [], describe(page_violations(page))
    finally:
        page.close()
    assert (config.data_dir / "keyboard-import" / "picture-1.png").is_file()
