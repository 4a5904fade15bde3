"""Editing in the browser (reportgen serve): forms from report.yaml, the CLI's validation
messages next to their fields, saving with comments kept, the history, a refused concurrent
save, translations marked out of date, and hostile forms. One server for the module."""

from __future__ import annotations

import html as html_lib
import re
import time

import pytest

from conftest import LETTER_ID, ROOT, describe, page_violations, web_server
from reportgen.cli import main
from reportgen.content.load import REPORT_FILE
from reportgen.web.routes import editor
from test_web import Client

EDIT = f"/reports/{LETTER_ID}/edit"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with web_server(tmp_path_factory.mktemp("editor")) as (base, config):
        yield base, config


def report_file(config):
    return config.data_dir / LETTER_ID / REPORT_FILE


def open_editor(client):
    status, page, _ = client.get(EDIT)
    assert status == 200
    fields = {
        name: html_lib.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))
        for name in ("csrf_token", "base", "draft")
    }
    return page, fields


def post(client, fields, **changes):
    return client.post(EDIT, {**fields, **changes})


def test_edit_a_paragraph_keeps_comments_and_records_who_and_when(site):
    base, config = site
    client = Client(base)
    _page, fields = open_editor(client)
    status, _html, headers = post(client, fields, **{"f:blocks[0].text": "Dear carers and families,"})
    assert status == 303, _html[:2000]
    text = report_file(config).read_text(encoding="utf-8")
    assert "text: Dear carers and families,\n" in text
    assert text.startswith("# A letter uses the same blocks as a report"), "the author's comment is kept"
    assert text.index("organisation:") < text.index("blocks:"), "the order of fields is kept"
    status, page, _ = client.get(headers["Location"])
    assert "Saved as version" in page
    history = editor.versions(config, LETTER_ID)
    assert history[0]["note"].startswith("as it was before")
    assert history[-1]["user"] and re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", history[-1]["at"])
    assert main(["check", str(config.data_dir / LETTER_ID), "--content-only"]) == 0


def test_an_emptied_required_field_shows_the_cli_message_next_to_it(site, tmp_path):
    base, config = site
    client = Client(base)
    before = report_file(config).read_text(encoding="utf-8")
    _page, fields = open_editor(client)
    status, page, _ = post(client, fields, **{"f:title": ""})
    assert status == 422
    assert report_file(config).read_text(encoding="utf-8") == before, "nothing saved"
    # the same message as the command line's for the same file
    broken = tmp_path / "letter"
    broken.mkdir()
    (broken / REPORT_FILE).write_text(before.replace("title: Carers – our promise to you", 'title: ""'))
    problems = editor.problems_of(broken, (broken / REPORT_FILE).read_text())
    message = next(p.message for p in problems if p.pointer == "title")
    assert '<a href="#f-title">title: ' in page and html_lib.escape(message, quote=False) in html_lib.unescape(page)
    assert re.search(
        r'id="f-title-error-1".*?</p>\s*<input type="text" id="f-title"[^>]*aria-invalid="true"', page, re.S
    )


def test_add_move_remove_blocks_then_save(site):
    base, config = site
    client = Client(base)
    _page, fields = open_editor(client)
    status, page, _ = post(client, fields, action="add-block:blocks")
    assert status == 200 and "not saved yet" in page
    assert "New paragraph" not in report_file(config).read_text(encoding="utf-8")
    draft = html_lib.unescape(re.search(r'name="draft" value="([^"]*)"', page).group(1))
    assert draft.count("type: paragraph") == fields["draft"].count("type: paragraph") + 1
    last = draft.count("- type:") - 1
    status, page, _ = post(client, {**fields, "draft": draft}, action=f"up:blocks[{last}]")
    draft = html_lib.unescape(re.search(r'name="draft" value="([^"]*)"', page).group(1))
    status, page, _ = post(client, {**fields, "draft": draft}, **{f"f:blocks[{last - 1}].text": "A new paragraph."})
    assert status == 303, page[:3000]
    text = report_file(config).read_text(encoding="utf-8")
    assert text.index("A new paragraph.") < text.index("type: contact")
    _page, fields = open_editor(client)
    status, _page, _ = post(client, fields, action=f"remove:blocks[{last - 1}]")
    draft = html_lib.unescape(re.search(r'name="draft" value="([^"]*)"', _page).group(1))
    assert "A new paragraph." not in draft


def test_a_second_save_from_an_older_version_is_refused_and_shows_what_changed(site):
    base, config = site
    first, second = Client(base), Client(base)
    _p, first_fields = open_editor(first)
    _p, second_fields = open_editor(second)
    assert post(first, first_fields, **{"f:blocks[1].text": "First person's words."})[0] == 303
    status, page, _ = post(second, second_fields, **{"f:blocks[1].text": "Second person's words."})
    assert status == 409 and "Someone else saved" in page
    assert "+    text: First person&#39;s words." in page or "First person&#39;s words." in page
    text = report_file(config).read_text(encoding="utf-8")
    assert "First person's words." in text and "Second person's words." not in text


def test_an_earlier_version_is_restored_as_a_new_save(site):
    base, config = site
    client = Client(base)
    original = editor.version_text(config, LETTER_ID, 0)
    count = len(editor.versions(config, LETTER_ID))
    status, page, _ = client.get(f"{EDIT}/versions/0")
    assert status == 200 and "Restore version 0" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    base_sha = re.search(r'name="base" value="([^"]+)"', page).group(1)
    status, _html, _ = client.post(f"{EDIT}/versions/0/restore", {"csrf_token": token, "base": base_sha})
    assert status == 303
    assert report_file(config).read_text(encoding="utf-8") == original
    history = editor.versions(config, LETTER_ID)
    assert len(history) == count + 1 and history[-1]["note"] == "restored version 0"


def test_changed_source_text_marks_translations_out_of_date(site):
    from reportgen.i18n.catalogs import extract_content, new_catalog, po_path, write_catalog

    base, config = site
    template = extract_content(report_file(config))
    catalog = new_catalog(template, "pl", LETTER_ID)
    for message in catalog:
        if message.id:
            message.string = "Tłumaczenie: " + str(message.id)
    write_catalog(catalog, po_path("pl", LETTER_ID, config.translations_dir))
    client = Client(base)
    _page, fields = open_editor(client)
    status, _html, headers = post(client, fields, **{"f:blocks[1].text": "Words that changed after translation."})
    assert status == 303
    _status, page, _ = client.get(headers["Location"])
    assert "Translations now out of date" in page and ("Polski" in page or "Polish" in page)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"f:blocks[0].text": "x" * 200_000}, "one field takes at most"),
        ({"f:../../etc/passwd": "x"}, "is not a place in the publication"),
        ({"f:blocks[3000].text": "x"}, "which the publication does not have"),
        ({"action": "remove:../x"}, "is not a place in the publication"),
        ({"draft": "format: 1\nblocks:\n" + "  - {type: paragraph, text: a}\n" * 3000}, "2,000"),
    ],
    ids=["huge-field", "path-ish-name", "unknown-block", "path-ish-action", "thousands-of-blocks"],
)
def test_a_hostile_form_is_refused_quickly_with_a_clear_message(site, changes, expected):
    base, config = site
    client = Client(base)
    before = report_file(config).read_text(encoding="utf-8")
    _page, fields = open_editor(client)
    started = time.monotonic()
    status, page, _ = post(client, fields, **changes)
    assert time.monotonic() - started < 5
    assert status == 400 and expected in html_lib.unescape(page) and "Nothing was saved" in page
    assert report_file(config).read_text(encoding="utf-8") == before


def test_editor_pages_by_keyboard_have_no_axe_violations(site, browser):
    base, config = site
    page = browser.new_page()
    try:
        page.goto(base + EDIT)
        assert page_violations(page) == [], describe(page_violations(page))
        page.fill("#f-title", "")
        page.focus("button[value=save]")
        page.keyboard.press("Enter")
        page.wait_for_selector(".error-summary")
        assert page_violations(page) == [], describe(page_violations(page))
        page.focus('.error-summary a[href="#f-title"]')
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "f-title"
        page.keyboard.type("Carers – our promise to you")
        page.focus("button[value=preview]")
        page.keyboard.press("Enter")
        page.wait_for_selector("iframe.editor-preview")
        frame = page.frame_locator("iframe.editor-preview")
        assert "Carers – our promise to you" in frame.locator("h1").first.inner_text()
        assert page_violations(page) == [], describe(page_violations(page))
        page.focus("button[value=save]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#editor-message")
        assert "Saved as version" in page.inner_text("#editor-message")
        page.fill("#f-blocks-0-text", "Dear carer, live preview,")  # with JavaScript the preview follows the typing
        page.frame_locator("iframe.editor-preview").get_by_text("live preview").wait_for(timeout=10_000)
        other = Client(base)  # someone else saves while this page is open
        _p, other_fields = open_editor(other)
        assert post(other, other_fields, **{"f:blocks[3].text": "Someone else's change."})[0] == 303
        page.fill("#f-blocks-0-text", "Dear carer, too late,")
        page.focus("button[value=save]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#conflict")
        assert "Someone else's change." in page.inner_text("#conflict")
        assert page_violations(page) == [], describe(page_violations(page))
        page.goto(base + f"{EDIT}/versions/0")
        assert page_violations(page) == [], describe(page_violations(page))
    finally:
        page.close()
    out = config.out_dir / "editor-build"
    assert main(["build", str(config.data_dir / LETTER_ID), "--format", "html", "--out", str(out)]) == 0


def test_two_saves_at_the_same_moment_one_is_refused(site):
    import concurrent.futures

    base, config = site
    clients = [Client(base), Client(base)]
    forms = [open_editor(c)[1] for c in clients]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda i: post(clients[i], forms[i], **{"f:blocks[0].text": f"Same moment {i}."})[0], range(2))
        )
    assert sorted(results) == [303, 409]


def test_an_unknown_version_is_not_found(site):
    status, page, _ = Client(site[0]).get(f"{EDIT}/versions/999")
    assert status == 404 and "no version 999" in page


@pytest.mark.parametrize("folder", sorted(p.parent.name for p in (ROOT / "data").glob("*/report.yaml")))
def test_saving_an_unchanged_form_leaves_every_sample_as_it_was(folder):
    from starlette.datastructures import FormData

    text = (ROOT / "data" / folder / REPORT_FILE).read_text(encoding="utf-8")
    data = editor.load_text(text, REPORT_FILE)

    def leaves(node):
        if node["kind"] == "leaf":
            yield node
        else:
            for child in node["children"]:
                yield from leaves(child)

    form = FormData([("f:" + leaf["place"], leaf["value"]) for leaf in leaves(editor.tree(data))])
    assert len(form) < editor.MAX_FIELDS
    assert editor.dump_text(editor.apply_form(form, text, REPORT_FILE)) == text


def test_the_preview_of_a_survey_report_has_its_figures_from_its_data():
    folder = ROOT / "data" / "cmh-survey-2025"
    page = editor._preview_html(folder, (folder / REPORT_FILE).read_text(encoding="utf-8"))
    assert "<h1" in page and "Community mental health survey" in page


def test_what_is_saved_keeps_the_loaders_size_limit(tmp_path):
    from reportgen.content.load import MAX_REPORT_BYTES

    text = "format: 1\ntitle: Big\nblocks:\n  - type: paragraph\n    text: " + "x" * MAX_REPORT_BYTES + "\n"
    problems = editor.problems_of(tmp_path, text)
    assert len(problems) == 1 and "may be at most 2 MB" in problems[0].message
