"""Heavy pages stay bounded: the import page over a returned file with thousands of problems,
and the publications page over many publications (issue 14, item 8)."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from conftest import LETTER, LETTER_ID, axe_violations, describe, web_server
from reportgen.errors import Finding
from reportgen.i18n.handoff import Entry
from reportgen.web import imports
from test_web import Client


def one_line_xliff(units: int) -> bytes:
    """A returned XLIFF on a single line whose every unit is unknown to the letter (a problem each)."""
    body = "".join(
        f'<trans-unit id="u{i}"><source xml:lang="en-GB">Sentence number {i}</source>'
        f'<target xml:lang="pl">Zdanie {i}</target></trans-unit>'
        for i in range(units)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
        f'<file original="{LETTER_ID}" source-language="en-GB" target-language="pl" datatype="plaintext">'
        f"<body>{body}</body></file></xliff>"
    ).encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("heavy")
    with web_server(root) as (base, config):
        yield base, config


def test_a_one_line_xliff_of_4000_units_answers_quickly_with_a_capped_list(site):
    base, config = site
    before = sorted(p.read_bytes() for p in config.translations_dir.rglob("*.po"))
    client = Client(base)
    token = client.token(f"/reports/{LETTER_ID}/translations")
    start = time.monotonic()
    status, html, _ = client.upload(
        f"/reports/{LETTER_ID}/translations/import",
        {"csrf_token": token, "lang": "pl"},
        f"{LETTER_ID}.pl.xlf",
        one_line_xliff(4000),
    )
    took = time.monotonic() - start
    assert status == 422 and "Nothing was imported" in html
    assert took < 15, f"the import page took {took:.1f} s"  # a guard, not a benchmark: it was 121 s
    listed = html.count("is not in the current text of the publication")
    assert listed == imports.MAX_PROBLEMS, listed
    assert "…and 3,900 more problem(s)" in html
    assert "Entries with a problem (the first 100 of 4,000)" in html
    assert len(html) < 200_000, len(html)
    assert sorted(p.read_bytes() for p in config.translations_dir.rglob("*.po")) == before


def test_each_problem_is_listed_once_next_to_its_entry():
    entries = [Entry(None, f"text {i}", (f"tekst {i}",), 1) for i in range(3)] + [Entry(None, "text 0", ("x",), 1)]
    label = imports._entry_label
    problems = (
        Finding("f.xlf", None, "", "the file is in de, but pl was expected"),
        Finding("f.xlf", 1, label(entries[1]), "has no translation"),
        Finding("f.xlf", 1, label(entries[3]), "appears twice in the file"),
    )
    page = imports.page_of(None, "2 problems", entries, problems)
    assert [m.message for m in page.general] == ["the file is in de, but pl was expected"]
    by_text = {row.entry.msgid: [p.message for p in row.problems] for row in page.rows if row.problems}
    assert by_text == {"text 1": ["has no translation"], "text 0": ["appears twice in the file"]}
    assert page.listed_problems == page.problems == 3 and page.unlisted_rows == 0


def test_the_publications_page_lists_a_page_at_a_time(site, browser):
    base, config = site
    from reportgen.web.routes.publications import PAGE_SIZE

    copies = [config.data_dir / f"copy-{i:02}" for i in range(2 * PAGE_SIZE + 4)]  # 45 with the letter
    for folder in copies:
        shutil.copytree(LETTER, folder)
    try:
        client = Client(base)
        start = time.monotonic()
        status, first, _ = client.get("/")
        took = time.monotonic() - start
        assert status == 200 and took < 15, took
        assert len(re.findall(r'<section class="card"', first)) == PAGE_SIZE
        assert f"Publications 1–{PAGE_SIZE} of 45 (page 1 of 3)" in first
        assert 'href="/?page=2" rel="next"' in first and "(25 more)" in first and 'rel="prev"' not in first
        status, last, _ = client.get("/?page=3")
        assert status == 200 and len(re.findall(r'<section class="card"', last)) == 5
        assert "Publications 41–45 of 45" in last and 'href="/?page=2" rel="prev"' in last and 'rel="next"' not in last
        assert "copy-43" in last and "copy-43" not in first
        for wrong in ("/?page=4", "/?page=0", "/?page=x"):
            status, html, _ = client.get(wrong)
            assert status == 404 and "there are 3" in html, wrong
        violations = axe_violations(browser, base + "/?page=2")  # both the previous and the next link
        assert not violations, describe(violations)
    finally:
        for folder in copies:
            shutil.rmtree(folder)
    status, html, _ = Client(base).get("/")
    assert status == 200 and 'rel="next"' not in html and "Publications 1–" not in html
