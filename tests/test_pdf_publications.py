"""The sample publications' PDFs: PDF/UA-1 by an independent validator, structure by pikepdf,
and the text read back from the structure tree equal to the source, in every script."""

from __future__ import annotations

import re

import pikepdf
import pytest

from conftest import DATA, output_path
from reportgen.content import markup
from reportgen.content.model import ListItem, load_report, walk_sections
from reportgen.formats.pdf import inspect
from reportgen.i18n.formatting import format_quantity

OTHER_LANGUAGES = ["ar", "bn", "zh-Hant", "gu", "hi", "pl", "pa", "so", "ur"]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def source_passages(report) -> list[str]:
    """Every paragraph-like text of the publication, in reading order, as a reader hears it."""
    passages = []
    values = {name: format_quantity(q, report.language) for name, q in report.values.items()}

    def items(entries):
        for entry in entries:
            if isinstance(entry, ListItem):
                passages.append(markup.plain_text(entry.text, values))
                items(entry.items)
            else:
                passages.append(markup.plain_text(entry, values))

    def blocks(block_list):
        for block in block_list:
            kind = block.type
            if kind == "paragraph":
                passages.append(markup.plain_text(block.text, values))
            elif kind == "list":
                items(block.items)
            elif kind == "quote":
                passages.extend(markup.plain_text(p, values) for p in block.paragraphs)
            elif kind == "callout":
                blocks(block.blocks)
            elif kind == "languages":
                passages.extend(markup.plain_text(item.text) for item in block.items)
            elif kind == "easy_read":
                passages.extend(markup.plain_text(item.text, values) for item in block.items)

    blocks(report.blocks)
    for section, _path, _depth in walk_sections(report.sections):
        passages.append(section.title)
        blocks(section.blocks)
    return [normalise(p) for p in passages if p.strip()]


@pytest.fixture(scope="module", params=sorted(p.name for p in DATA.iterdir() if (p / "report.yaml").exists()))
def publication(request, built_samples):
    from reportgen.survey.variants import prepare_variant

    report, raw = load_report(DATA / request.param)
    report = prepare_variant(report, raw, None).specialise(report)  # the survey report: its trust in the title
    return report, output_path(built_samples[request.param], "pdf")


def test_pdf_passes_pdf_ua_1(publication):
    page = pytest.importorskip("page")
    _, path = publication
    result = page.validate_pdf(str(path), profile="ua1")
    assert result.is_compliant, "\n".join(f"{f.rule_id}: {f.message}" for f in result.failures[:20])


def test_pdf_structure_has_no_problems(publication):
    _, path = publication
    assert inspect.problems(path) == []


def test_title_language_and_outline(publication):
    report, path = publication
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == report.title
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert report.title in str(xmp.get("dc:title"))
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == [report.title]
            bookmarks = list(_outline_entries(outline.root[0].children, 1))
    # every section has its bookmark under the title's, in reading order and at its depth (the
    # contents and some blocks' headings have bookmarks of their own between them)
    remaining = iter(bookmarks)
    for section, _path, depth in walk_sections(report.sections):
        wanted = (normalise(section.title), depth)
        assert wanted in remaining, f"no bookmark {wanted} after the previous section's; outline: {bookmarks}"


def test_every_pdf_names_the_versions_that_made_it(publication):
    """Not only archived PDFs: the Creator and XMP CreatorTool list what shapes the output."""
    from reportgen.provenance import generator, versions

    _, path = publication
    with pikepdf.open(path) as pdf:
        creator = str(pdf.docinfo.Creator)
        with pdf.open_metadata() as xmp:
            tool = str(xmp.get("xmp:CreatorTool"))
    assert creator == tool == generator()
    for name, value in versions().items():
        assert f"{name} {value}" in creator


def _outline_entries(items, depth):
    for item in items:
        yield normalise(item.title), depth
        yield from _outline_entries(item.children, depth + 1)


def test_text_round_trip_in_reading_order(publication):
    report, path = publication
    text = normalise(inspect.structure_text(path))
    position = 0
    for passage in source_passages(report):
        found = text.find(passage, position)
        assert found >= 0, f"not found after position {position}: {passage[:80]!r}"
        position = found + len(passage)


def test_each_other_language_passage_is_tagged_with_its_language(built_samples):
    report, _ = load_report(DATA / "annual-report-summary-2024-25")
    languages = next(b for s, _, _ in walk_sections(report.sections) for b in s.blocks if b.type == "languages")
    expected = {item.lang: normalise(markup.plain_text(item.text)) for item in languages.items}
    assert sorted(expected) == sorted(OTHER_LANGUAGES)
    path = output_path(built_samples["annual-report-summary-2024-25"], "pdf")
    tagged = {}
    for element in inspect.elements(path):
        if element.lang in expected and normalise(element.text) == expected[element.lang]:
            tagged[element.lang] = element
    assert sorted(tagged) == sorted(OTHER_LANGUAGES), f"missing: {set(expected) - set(tagged)}"
