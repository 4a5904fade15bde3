"""reportgen serve in Debian's Chromium: the whole translation-to-archive flow, axe-core on
every page of it, and one flow by keyboard alone.

Request a Polish translation of (a copy of) the letter → fill the downloaded PO like a
translator → upload it → build → publish → find it in the archive → download it and compare
the bytes with the archive's own file.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po, write_po
from playwright.sync_api import expect

from conftest import LETTER_ID, asgi_request, describe, page_violations, web_server
from reportgen.archive.store import Archive

TIMEOUT = 120_000  # ms: a build or publish on two shared cores


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with web_server(tmp_path_factory.mktemp("web")) as (base, config):
        yield base, config


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site[0], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def assert_accessible(page, seen: list):
    page.wait_for_load_state()  # axe on the whole page, not the part parsed so far
    violations = page_violations(page)
    assert not violations, f"{page.url}:\n{describe(violations)}"
    seen.append(page.url)


def wait_for_job(page):
    """The job page updates itself (JavaScript polling), says so and moves focus to the result heading."""
    page.wait_for_load_state()  # the job page has loaded, not just started to
    running = page.locator("#job[data-finished='no']").count() == 1
    page.wait_for_selector("#job-result", timeout=TIMEOUT)
    if running:  # (a job that failed at once is finished when its page first loads)
        page.wait_for_function("document.activeElement && document.activeElement.id === 'job-result'")
        assert re.search(r"Finished|did not work", page.locator("#live-status").inner_text())


def test_translate_build_publish_and_download_from_the_archive(page, site, tmp_path):
    base, config = site
    seen: list[str] = []
    page.goto("/")
    assert_accessible(page, seen)
    page.get_by_role("link", name="Carers – our promise to you").click()
    assert_accessible(page, seen)
    page.get_by_role("link", name="Translations of this publication").click()
    assert_accessible(page, seen)

    # A form error is shown in a summary linked to its field.
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".error-summary a[href='#upload-file']")).to_be_visible()
    assert_accessible(page, seen)

    page.get_by_label("Language to translate into").select_option("pl")
    page.get_by_role("button", name="Prepare the request").click()
    words = int(re.search(r"(\d+) source word", page.locator("#word-count").inner_text()).group(1))
    assert words > 50
    assert_accessible(page, seen)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"{LETTER_ID}.pl.po").click()
    catalog = read_po(open(download.value.path(), "rb"))
    for message in catalog:
        if message.id:
            message.string = "PL: " + message.id
    filled = tmp_path / f"{LETTER_ID}.pl.po"
    with open(filled, "wb") as stream:
        write_po(stream, catalog, width=0)

    page.get_by_role("link", name="Back to translations").click()
    page.get_by_label("Language of the file").select_option("pl")
    page.get_by_label("Returned file (.po or .xlf)").set_input_files(filled)
    page.get_by_role("button", name="Check and import").click()
    assert "Imported 9 translation(s)" in page.locator("#import-result").inner_text()
    expect(page.locator("table.entries .tag-green")).to_have_count(9)
    assert_accessible(page, seen)

    page.get_by_role("link", name="Back to Carers – our promise to you").click()
    page.get_by_label("Language to build").select_option("pl")
    page.get_by_role("button", name="Build").click()
    expect(page.locator("#job-progress, #job-result")).to_have_count(1)  # running, or already finished
    assert_accessible(page, seen)  # while running, or already finished
    wait_for_job(page)
    assert page.locator("#job-result").inner_text() == "Finished"
    assert_accessible(page, seen)
    page.get_by_role("link", name="Preview the web page in Polish (pl)").click()
    frame = page.frame_locator("iframe.preview")
    assert "PL: " in frame.locator("body").inner_text()
    assert_accessible(page, seen)

    page.get_by_role("link", name="Carers – our promise to you").click()
    page.get_by_label("Language to build").select_option("ar")  # not translated: refused, with the reasons
    page.get_by_role("button", name="Build").click()
    wait_for_job(page)
    assert page.locator("#job-result").inner_text() == "It did not work"
    assert page.locator("ul.problems li").count() >= 1
    assert_accessible(page, seen)

    page.get_by_role("link", name="Back to Carers – our promise to you").click()
    page.get_by_label("Language to check").select_option("pl")
    page.get_by_label("Check the files only").check()
    page.get_by_role("button", name="Check").click()
    wait_for_job(page)
    assert re.search(r"\d+ error\(s\), \d+ warning\(s\)", page.locator("#check-summary").inner_text())
    assert_accessible(page, seen)
    page.get_by_role("link", name="Back to Carers – our promise to you").click()
    page.get_by_role("link", name="See the findings of the last check").click()  # kept in out/.checks/
    assert "Polish (pl)" in page.locator("main > p.meta").inner_text()
    expect(page.locator("#check-summary")).to_have_count(1)
    assert_accessible(page, seen)

    page.get_by_role("link", name="Back to Carers – our promise to you").click()
    page.get_by_label("Language to publish").select_option("pl")
    page.get_by_role("button", name="Publish").click()
    wait_for_job(page)
    assert "archived" in page.locator("main").inner_text(), page.locator("main").inner_text()
    assert_accessible(page, seen)

    page.get_by_role("link", name="See it in the archive").click()
    assert_accessible(page, seen)
    page.goto("/archive")
    page.get_by_label("Publication (part of its id or title)").fill("carers")
    page.get_by_label("Language", exact=True).select_option("pl")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table.archive tbody tr")).to_have_count(1)
    assert_accessible(page, seen)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"{LETTER_ID}.pl.v1.pdf").click()
    archive = Archive(config.archive_dir)
    expected = archive.read(archive.find(LETTER_ID, "pl", 1))
    assert open(download.value.path(), "rb").read() == expected

    page.get_by_role("button", name="Verify the archive").click()
    assert "all intact" in page.locator("#verify-result").inner_text()
    assert_accessible(page, seen)

    page.goto(f"/reports/{LETTER_ID}")  # the state now shows it
    row = page.get_by_role("row", name=re.compile("Polish"))
    assert "100%" in row.inner_text() and "published, current" in row.inner_text()
    page.goto("/no-such-page")
    assert_accessible(page, seen)
    assert len(seen) >= 17


def test_sign_in_page_is_accessible(page, site, tmp_path):
    from reportgen.web import Config, create_app
    from reportgen.web.auth import hash_password

    base, config = site
    passwords = tmp_path / "passwords"
    passwords.write_text(hash_password("jo", "x", iterations=1000) + "\n")
    app = create_app(Config(**{**config.__dict__, "password_file": passwords}))
    _status, _headers, html = asgi_request(app, "/sign-in")
    page.goto("/static/web.css")  # same origin, so the page's styles load
    page.set_content(html)
    violations = page_violations(page)
    assert not violations, describe(violations)


def press_until_focused(page, test: str, limit: int = 40) -> None:
    """Tab until the focused element passes ``test`` (a JS expression about ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return
    raise AssertionError(f"never reached an element where {test}")


def test_keyboard_only_build(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert skip == "Skip to main content"
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect(); return [r.x, r.width]; })()"
    )
    assert box[0] >= 0 and box[1] > 0, "the skip link is visible when focused"
    focus_style = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert focus_style == "rgb(255, 235, 59)", "focus is visible (yellow)"
    page.keyboard.press("Enter")
    press_until_focused(page, "el.textContent === 'Carers – our promise to you'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reports/{LETTER_ID}")
    press_until_focused(page, "el.id === 'build-lang'")
    press_until_focused(page, "el.tagName === 'BUTTON' && el.textContent === 'Build'")
    page.keyboard.press("Enter")
    wait_for_job(page)
    assert page.locator("#job-result").inner_text() == "Finished"
    press_until_focused(page, "el.textContent.startsWith('Preview the web page in English')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/preview/en-GB")
    assert page.locator("iframe.preview").count() == 1
