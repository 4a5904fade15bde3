"""Print typography on built PDFs (issue 17): no page holding only a signature or a few lines,
headings kept with their text, figures whole, hyphenation only where the language has patterns.

Each property is read back from the finished PDF (reportgen.formats.pdf.inspect), not from the CSS.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, ROOT, output_path
from reportgen.check.pages import stranded_pages
from reportgen.content.model import load_report
from reportgen.formats import EditionSource
from reportgen.formats.pdf import edition, pages
from reportgen.formats.pdf.inspect import elements, page_fills, structure_text

LETTER = ROOT / "tests" / "fixtures" / "check" / "stranded-letter"
HEADINGS_FIXTURE = ROOT / "tests" / "fixtures" / "check" / "headings-at-the-foot"
COLUMNS = ROOT / "tests" / "fixtures" / "check" / "narrow-columns"
LAST_PARAGRAPH_END = "you make a difference to us."
HEADINGS = {"H1", "H2", "H3", "H4", "H5", "H6"}
# The print keep rules for a closing, switched off: what a page looks like without them.
NO_KEEPS = "* { break-after: auto !important; break-before: auto !important; }"


def pdf_of(extra_css: str = "", folder: Path = LETTER) -> bytes:
    report, raw = load_report(folder)
    return edition.render(EditionSource(report, raw.folder, "report.yaml", "en-GB"), extra_css=extra_css)


def test_the_signature_page_also_holds_the_last_paragraph(monkeypatch):
    monkeypatch.setattr(pages, "TIGHTER", ())  # the letter may not be set tighter: it takes three pages
    fills = page_fills(pdf_of())
    assert len(fills) == 3
    last = fills[-1].text
    assert "Angela Hillery" in last and "With my thanks" in last
    assert LAST_PARAGRAPH_END in last, f"the signature stands without the paragraph before it: {last!r}"


def test_without_the_keep_rules_the_signature_is_stranded_and_the_rule_says_so(monkeypatch):
    monkeypatch.setattr(pages, "TIGHTER", ())
    pdf = pdf_of(NO_KEEPS)
    fills = page_fills(pdf)
    assert LAST_PARAGRAPH_END not in fills[-1].text and "Angela Hillery" in fills[-1].text
    found = stranded_pages(pdf, "letter.en-GB.pdf", "en-GB")
    assert [(f.rule, f.page) for f in found] == [("stranded-page", 3)]
    assert "page 3 of 3 holds only 'Angela Hillery" in found[0].message


def test_a_letter_is_set_a_little_tighter_rather_than_take_a_page_for_its_signature():
    pdf = pdf_of()
    assert len(page_fills(pdf)) == 2, "the tighter setting saves the third page"
    assert stranded_pages(pdf, "letter.en-GB.pdf", "en-GB") == []
    assert LAST_PARAGRAPH_END in structure_text(pdf)


def test_a_part_flows_on_rather_than_leave_a_page_with_one_paragraph(built_samples):
    """The survey report's 'Further information' (one paragraph) used to stand alone on page 4,
    the next part starting a page of its own; now that part opens under it."""
    pdf = output_path(built_samples["cmh-survey-2025"], "pdf").read_bytes()
    page = next(p for p in page_fills(pdf) if "Further information" in p.text)
    assert "Headline results" in page.text
    assert stranded_pages(pdf, "survey.pdf", "en-GB") == []


def headings_ending_a_page(pdf) -> list[str]:
    """Headings after which nothing but other headings is on their page (the last page aside)."""
    records = [e for e in elements(pdf) if e.text.strip() and e.pages]
    found = []
    for index, heading in enumerate(records):
        if heading.role not in HEADINGS:
            continue
        later = records[index + 1 :]
        while later and later[0].depth > heading.depth:  # the heading's own Span and Link children
            later = later[1:]
        page = heading.pages[-1]
        if later and not any(page in e.pages for e in later if e.role not in HEADINGS):
            found.append(f"{heading.text[:50]!r} (page {page})")
    return found


def test_a_heading_is_kept_with_its_text():
    """The fixture is made so that, without break-after: avoid, two headings end their pages."""
    report, raw = load_report(HEADINGS_FIXTURE)
    source = EditionSource(report, raw.folder, "report.yaml", "en-GB")
    unkept = edition.render(source, extra_css="h2 { break-after: auto !important; }")
    assert len(headings_ending_a_page(unkept)) == 2, "the fixture no longer puts headings at the foot of a page"
    assert headings_ending_a_page(edition.render(source)) == []


def test_no_sample_ends_a_page_with_a_heading_or_splits_a_figure(built_samples):
    for name, result in sorted(built_samples.items()):
        pdf = output_path(result, "pdf").read_bytes()
        assert headings_ending_a_page(pdf) == [], name
        for figure in (e for e in elements(pdf) if e.role == "Figure"):
            assert len(figure.pages) <= 1, f"{name}: figure {figure.alt!r} is split over pages {figure.pages}"


def _hyphenated_lines(pdf) -> int:
    """Lines the layout hyphenated: their /ActualText ends in a soft hyphen (see formats.pdf.render)."""
    return sum(page.text.count("\u00ad") for page in page_fills(pdf))


def test_english_is_hyphenated_in_narrow_columns_and_reads_whole():
    pdf = pdf_of(folder=COLUMNS)
    hyphenated = _hyphenated_lines(pdf)
    assert hyphenated >= 1, "two newsletter columns of long English words: some word is hyphenated"
    text = structure_text(pdf)
    assert "\u2010" not in text and "\u00ad" not in text, "a reader hears the hyphenated word whole"
    assert "Neurodevelopmental assessments" in text and "independently." in text


@pytest.mark.parametrize(
    ("sample", "lang"),
    [("lpt-newsletter-2026-spring", "ar"), ("annual-report-2024-25-at-a-glance", "pa")],
)
def test_no_hyphenation_where_the_trust_does_not_hyphenate(sample, lang, tmp_path):
    """Arabic has no Pyphen patterns; Punjabi has, but Gurmukhi is not hyphenated in print."""
    from reportgen.build.core import build_report
    from reportgen.build.request import BuildRequest

    result = build_report(DATA / sample, BuildRequest(out_dir=tmp_path, langs=(lang,), formats=("pdf",)))
    pdf = next(o.path for o in result.outputs if o.format == "pdf" and o.lang == lang).read_bytes()
    hyphenated = _hyphenated_lines(pdf)
    assert hyphenated == 0


def test_every_sample_in_its_source_language_strands_no_page(built_samples):
    for name, result in sorted(built_samples.items()):
        pdf = output_path(result, "pdf")
        assert stranded_pages(pdf.read_bytes(), pdf.name, "en-GB") == [], name


TRANSLATED = ["annual-report-2024-25-at-a-glance", "lpt-newsletter-2026-spring", "open-letter-2024-25"]


@pytest.mark.parametrize("sample", TRANSLATED)
def test_every_translation_of_the_samples_strands_no_page(sample, tmp_path):
    """Before the print rules: the summary's contact details alone on page 3 in Chinese, the letter's
    signature alone on page 2 in Bengali."""
    from reportgen.build.core import build_report
    from reportgen.build.request import BuildRequest

    result = build_report(DATA / sample, BuildRequest(out_dir=tmp_path, langs=("all",), formats=("pdf",), jobs=2))
    translated = [o for o in result.outputs if o.lang != "en-GB"]
    assert len(translated) >= 4
    found = [f for o in translated for f in stranded_pages(o.path.read_bytes(), o.path.name, o.lang)]
    assert found == [], [f.message for f in found]
