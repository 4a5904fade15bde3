"""Easy Read (kind: easy_read): the sample builds, stays accessible, keeps its text at 16pt or
more, tags its pictures, lays each picture beside its idea, and the Easy Read checks hold."""

from __future__ import annotations

import pikepdf
import pytest

from conftest import DATA, axe_violations, describe, output_path
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.check import check_report
from reportgen.content.model import load_report
from reportgen.errors import InputError
from test_large_print import font_names, text_sizes

SAMPLE = DATA / "cqc-news-easy-read-2025"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("easy-read")
    result = build_report(SAMPLE, BuildRequest(out_dir=out))
    return output_path(result, "html"), output_path(result, "pdf")


def pictures(report):
    """Every Easy Read item's picture of the publication, in reading order."""
    found = []
    for section in report.sections:
        for block in section.blocks:
            if block.type == "easy_read":
                found += [item.picture for item in block.items]
    return found


def structure_figures(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every Figure element of the structure tree, in order."""
    found = []

    def walk(node):
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == "/Figure":
                    found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_the_sample_builds_in_html_and_pdf(built):
    html, pdf = built
    page = html.read_text(encoding="utf-8")
    assert 'class="easy-read-item"' in page and "kind-easy_read" in page
    with pikepdf.open(pdf) as document:
        assert 1 <= len(document.pages) <= 24


def test_html_has_no_axe_violations(browser, built):
    violations = axe_violations(browser, built[0])
    assert not violations, describe(violations)


def test_pdf_passes_pdf_ua_1(built):
    page = pytest.importorskip("page")
    result = page.validate_pdf(str(built[1]), profile="ua1")
    assert result.is_compliant, "\n".join(f"{f.rule_id}: {f.message}" for f in result.failures[:20])


def test_no_text_in_the_pdf_is_under_16_pt_and_none_is_italic(built):
    with pikepdf.open(built[1]) as pdf:
        sizes = text_sizes(pdf)
        fonts = font_names(pdf)
    assert sizes, "no text found in the PDF"
    small = sorted({(round(size, 1), page) for size, page in sizes if size < 16 - 0.01})
    assert not small, f"text under 16pt (size, page): {small[:10]}"
    assert not [name for name in fonts if "Italic" in name or "Oblique" in name], fonts


def test_pictures_are_figures_with_their_alt_text_or_artifacts(built):
    report, _raw = load_report(SAMPLE)
    shown = pictures(report)
    described = [p.alt for p in shown if not p.decorative]
    assert described and len(described) < len(shown), "the sample has pictures of both kinds"
    with pikepdf.open(built[1]) as pdf:
        figures = structure_figures(pdf)
        alts = [str(figure.get("/Alt", "")) for figure in figures]
    # the decorative pictures are Artifacts, outside the structure tree: only the described are Figures
    assert alts == described


def test_each_picture_is_at_the_start_of_its_line_left_or_right_to_left(browser, built):
    page = browser.new_page()
    try:
        page.goto(built[0].as_uri())
        sides = """() => [...document.querySelectorAll('.easy-read-item')].map(item => {
            const picture = item.querySelector('.easy-read-picture').getBoundingClientRect();
            const text = item.querySelector('.easy-read-text').getBoundingClientRect();
            const overlap = Math.min(picture.bottom, text.bottom) - Math.max(picture.top, text.top);
            return [picture.right <= text.left, picture.left >= text.right, overlap > 0];
        })"""
        left_to_right = page.evaluate(sides)
        page.evaluate("document.documentElement.dir = 'rtl'")
        right_to_left = page.evaluate(sides)
    finally:
        page.close()
    assert left_to_right and all(left and beside for left, _right, beside in left_to_right), left_to_right
    assert all(right and beside for _left, right, beside in right_to_left), right_to_left


def test_html_text_is_at_least_16_pt(browser, built):
    page = browser.new_page()
    try:
        page.goto(built[0].as_uri())
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.easy-read-text, main p')].map(e => "
            "parseFloat(getComputedStyle(e).fontSize))"
        )
    finally:
        page.close()
    assert sizes and min(sizes) * 0.75 >= 16, sorted(set(sizes))  # CSS px → pt


def test_the_sample_passes_the_easy_read_checks():
    result = check_report(SAMPLE, outputs=False)
    assert result.passed
    assert not [f for f in result.findings if f.rule.startswith("easy-read") or f.rule == "long-sentence"], [
        f.message for f in result.findings
    ]


def _publication(tmp_path, kind: str, blocks: str):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "chart.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"
    )
    (tmp_path / "report.yaml").write_text(
        f"""format: 1
id: easy-read-fixture
kind: {kind}
title: Easy Read fixture
organisation: Leicestershire Partnership NHS Trust
published: 2025-06-09
publisher: Communications team
description: A small Easy Read publication for one test.
contact: {{organisation: Leicestershire Partnership NHS Trust}}
sections:
  - title: About this
    blocks:
{blocks}
""",
        encoding="utf-8",
    )
    return tmp_path


def test_a_long_sentence_is_reported_at_its_item(tmp_path):
    folder = _publication(
        tmp_path,
        "easy_read",
        "      - type: easy_read\n        items:\n"
        "          - {picture: {src: chart.svg, decorative: true}, text: 'A short one.'}\n"
        "          - picture: {src: chart.svg, decorative: true}\n"
        "            text: We will write to you again when we know the date of your next visit here.\n",
    )
    found = [f for f in check_report(folder, outputs=False).findings if f.rule == "easy-read-sentence"]
    assert len(found) == 1
    assert found[0].pointer == "sections[0].blocks[0].items[1].text" and found[0].line == 17
    assert "16 words" in found[0].message and "at most 15" in found[0].message


def test_a_picture_alone_and_alt_text_that_repeats_the_words_are_reported(tmp_path):
    folder = _publication(
        tmp_path,
        "easy_read",
        "      - {type: figure, src: chart.svg, alt: 'A black square'}\n"
        "      - {type: easy_read, items: [{picture: {src: chart.svg, alt: 'We will phone you.'}, "
        "text: 'We will phone you.'}]}\n",
    )
    found = {(f.rule, f.pointer) for f in check_report(folder, outputs=False).findings}
    assert ("easy-read-picture", "sections[0].blocks[0]") in found
    assert ("alt-repeats-caption", "sections[0].blocks[1].items[0].picture.alt") in found


def test_an_easy_read_block_in_another_kind_is_refused_at_its_place(tmp_path):
    folder = _publication(
        tmp_path,
        "news",
        "      - {type: easy_read, items: [{picture: {src: chart.svg, decorative: true}, text: 'Hi.'}]}\n",
    )
    with pytest.raises(InputError) as refused:
        load_report(folder)
    (problem,) = refused.value.problems
    assert problem.pointer == "sections[0].blocks[0]" and problem.line == 13
    assert "only for kind: easy_read" in problem.message and "kind: news" in problem.message


def test_an_easy_read_picture_needs_alt_text_or_decorative(tmp_path):
    folder = _publication(
        tmp_path, "easy_read", "      - {type: easy_read, items: [{picture: {src: chart.svg}, text: 'Hi.'}]}\n"
    )
    with pytest.raises(InputError) as refused:
        load_report(folder)
    (problem,) = refused.value.problems
    assert problem.pointer == "sections[0].blocks[0].items[0].picture.alt"
    assert "describe the image, or set decorative: true" in problem.message


def test_emphasis_is_bold_never_italic_in_print(tmp_path):
    folder = _publication(
        tmp_path / "italic",
        "easy_read",
        "      - {type: easy_read, items: [{picture: {src: chart.svg, decorative: true}, text: 'We will *phone* you.'}]}\n",
    )
    result = build_report(folder, BuildRequest(out_dir=tmp_path / "out", formats=("pdf",)))
    with pikepdf.open(output_path(result, "pdf")) as pdf:
        fonts = font_names(pdf)
    assert [name for name in fonts if "Bold" in name], fonts
    assert not [name for name in fonts if "Italic" in name or "Oblique" in name], fonts
