"""Pseudo-translation: every visible string of a page goes through a catalog.

All msgstr of a language are replaced by the source text in «brackets». Any visible text on
the built page that is not bracketed must be something that is deliberately not translated
(names, addresses, numbers formatted by Babel, phone numbers, emails, web addresses).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from conftest import DATA
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.content.model import load_report
from reportgen.i18n import catalogs
from reportgen.i18n.formatting import format_quantity

SUMMARY = DATA / "annual-report-2024-25-at-a-glance"


BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "caption", "figcaption", "a", "span"}


class VisibleText(HTMLParser):
    """The text of each innermost block (paragraph, heading, cell, tile part), whole."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.stack: list[list[str]] = []
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.skip += 1
        if tag in BLOCKS and tag not in ("a", "span"):
            self.stack.append([])

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.skip -= 1
        if tag in BLOCKS and tag not in ("a", "span") and self.stack:
            text = " ".join("".join(self.stack.pop()).split())
            if text:
                self.texts.append(text)

    def handle_data(self, data):
        if not self.skip and self.stack:
            self.stack[-1].append(data)


def bracket(text: str) -> str:
    # Keep placeholders and link addresses intact: only the words change.
    return "«" + text + "»"


def test_every_visible_string_is_translated(tmp_path, translations):
    for domain in ("ui", SUMMARY.name):
        path = catalogs.po_path("pl", domain)
        catalog = read_po(path.open("rb"), locale="pl")
        for message in catalog:
            if isinstance(message.id, (list, tuple)):
                message.string = tuple(bracket(message.id[min(i, 1)]) for i in range(3))
            elif message.id:
                message.string = bracket(message.id)
        catalogs.pin_plural_forms(catalog, "pl")
        catalogs.write_catalog(catalog, path)

    result = build_report(SUMMARY, BuildRequest(langs=["pl"], formats=["html"], out_dir=tmp_path / "out"))
    parser = VisibleText()
    parser.feed(result.outputs[0].path.read_text(encoding="utf-8"))

    report, _ = load_report(SUMMARY)
    contact = report.contact
    # Deliberately not translated: names and addresses (glossary), and numbers Babel formats.
    figures = [item for s in report.sections for b in s.blocks if b.type == "key_figures" for item in b.items]
    numbers = {" ".join(format_quantity(q, "pl").split()) for q in [*report.values.values(), *figures]}
    fixed = {report.organisation, contact.name, contact.organisation, *contact.address, *numbers}
    untranslated = []
    for text in parser.texts:
        words = text
        for known in sorted(fixed, key=len, reverse=True):
            words = words.replace(known, " ")
        words = re.sub(r"«[^»]*»|\S+@\S+|https?://\S+|www\.\S+|[\d\s.,:·/\-–()+]+", " ", words).strip()
        words = re.sub(r"\b\d+ [a-ząćęłńóśźż]+ \d{4}\b", " ", words).strip()  # a date formatted by Babel
        if words:
            untranslated.append(text)
    assert untranslated == [], untranslated
