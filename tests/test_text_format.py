"""The plain text format: every paragraph of the source, and no markup left."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import SAMPLES
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.content import markup
from reportgen.content.walk import texts
from reportgen.formats.text import WIDTH, display_width, html_to_text


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def segments(source: str) -> list[str]:
    """The runs of a source paragraph that appear unbroken in the text (values and URLs cut them)."""
    plain = markup.plain_text(source)
    for link in markup.links(source):
        plain = plain.replace(link.text, link.text + "\x00", 1)
    parts = re.split(r"\x00|\{[a-z][a-z0-9_]*\}", plain)
    return [normal(p) for p in parts if normal(p)]


class _Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self.open, self.skip = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "p" and "skip-link" not in (dict(attrs).get("class") or ""):
            self.open = []

    def handle_endtag(self, tag):
        if tag == "p" and self.open is not None:
            self.found.append(normal("".join(self.open)))
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("txt")
    results = {}
    for folder in SAMPLES:
        langs = ("en-GB", "ar") if folder.name == "annual-report-2024-25-at-a-glance" else None
        request = BuildRequest(out_dir=out, formats=("txt",), langs=langs)
        if folder.name == "cmh-survey-2025":
            request = request.replace(variant=(("trust", "RT5"),))
        results[folder.name] = build_report(folder, request)
    return results


def _texts(result) -> dict[str, str]:
    return {o.lang: o.path.read_text(encoding="utf-8") for o in result.outputs if o.format == "txt"}


@pytest.mark.parametrize("sample", [s.name for s in SAMPLES])
def test_every_paragraph_of_the_source_is_in_the_text(built, sample):
    from reportgen.content.model import load_report

    report, _raw = load_report(SAMPLES[[s.name for s in SAMPLES].index(sample)])
    text = normal(_texts(built[sample])[report.language])
    # paragraphs, and each idea of an Easy Read publication (which has no paragraph blocks)
    paragraphs = [
        item for item in texts(report) if item.block in ("paragraph", "easy_read") and item.path[-1] == "text"
    ]
    assert paragraphs
    missing = [seg for item in paragraphs for seg in segments(item.text) if seg not in text]
    assert not missing, missing[:5]


@pytest.mark.parametrize("sample", [s.name for s in SAMPLES])
def test_no_markup_left_and_lines_fit(built, sample):
    for lang, text in _texts(built[sample]).items():
        assert "<" not in text and "**" not in text and "](" not in text, lang
        long = [line for line in text.splitlines() if display_width(line) > WIDTH and " " in line.strip()]
        assert not long, (lang, long[:3])


def test_two_languages_and_right_to_left(built):
    texts_by_lang = _texts(built["annual-report-2024-25-at-a-glance"])
    assert set(texts_by_lang) == {"en-GB", "ar"}
    assert "\u0627" in texts_by_lang["ar"]  # Arabic letters, kept in logical order


def test_every_paragraph_of_the_page_in_arabic(built, tmp_path):
    result = built["annual-report-2024-25-at-a-glance"]
    html = (
        build_report(
            SAMPLES[[s.name for s in SAMPLES].index("annual-report-2024-25-at-a-glance")],
            BuildRequest(out_dir=tmp_path, formats=("html",), langs=("ar",)),
        )
        .outputs[0]
        .path.read_text(encoding="utf-8")
    )
    parser = _Paragraphs()
    parser.feed(html)
    text = normal(_texts(result)["ar"])
    missing = [p for p in parser.found if p and p not in text and "(" not in p]
    assert not missing, missing[:5]


def test_layout():
    html = (
        '<html lang="en-GB"><body><h1>Title</h1><h2>Part</h2><p>See <a href="https://x.example/a">our page</a>'
        " and <strong>this</strong>.</p><ul><li>One<ol><li>Inner</li><li>Next</li></ol></li><li>Two</li></ul>"
        "<table><caption>Cap</caption><thead><tr><th>Name</th><th>Value</th></tr></thead>"
        '<tbody><tr><th scope="row">A</th><td>1</td></tr></tbody></table>'
        '<figure><img src="x.png" alt="A chart of beds"></figure><p lang="pl">Dzień dobry</p></body></html>'
    )
    assert html_to_text(html, "en-GB") == (
        "Title\n=====\n\nPart\n----\n\nSee our page (https://x.example/a) and this.\n\n* One\n\n  1. Inner\n\n"
        "  2. Next\n\n* Two\n\nCap\n\n* Name: A\n  Value: 1\n\nA chart of beds\n\n[In Polish] Dzień dobry\n"
    )
