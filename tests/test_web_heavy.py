"""Heavy pages stay bounded: the import page over a returned file with thousands of problems,
and the publications page over many publications (issue 14, item 8)."""

from __future__ import annotations

import time

import pytest

from conftest import LETTER_ID, web_server
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
