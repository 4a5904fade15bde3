"""The multilingual summary edition in all ten locales: HTML and PDF as accessible as English.

Every locale: HTML with the right lang/dir and 0 axe-core violations; a PDF that passes
PDF/UA-1, whose /Lang is the locale, whose structure text holds every translated passage in
order, and whose embedded fonts are the ones the locale's stack names.
"""

from __future__ import annotations

import re

import pikepdf
import pytest

from conftest import DATA, axe_violations, describe
from reportgen.content import markup
from reportgen.content.model import load_report
from reportgen.formats.pdf import inspect
from reportgen.i18n import catalogs
from reportgen.i18n import formatting as i18n
from reportgen.i18n.translate import translate_report, units
from reportgen.languages import LANGUAGES

SUMMARY = DATA / "annual-report-2024-25-at-a-glance"


def squash(name: str) -> str:
    return re.sub(r"[\s-]", "", name).lower()


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    from reportgen.build.core import build_report
    from reportgen.build.request import BuildRequest

    result = build_report(SUMMARY, BuildRequest(langs=["all"], out_dir=tmp_path_factory.mktemp("summary")))
    built = {}
    for output in result.outputs:
        built.setdefault(output.lang, {})[output.format] = output.path
    return built


def test_all_ten_locales_are_built(editions):
    assert sorted(editions) == sorted(LANGUAGES)


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def expected_passages(tag):
    report, _ = load_report(SUMMARY)
    if tag != report.language:
        report = translate_report(report, catalogs.content_lookup(tag, report.id), tag).report
    values = {name: i18n.format_quantity(q, tag) for name, q in report.values.items()}
    texts = []
    for unit in units(report):
        if unit.context.startswith("metadata|"):
            continue
        texts.extend(normalise(markup.plain_text(p, values)) for p in re.split(r"\n\s*\n", unit.text) if p.strip())
    return texts


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_html_language_direction_and_axe(tag, editions, browser):
    html = editions[tag]["html"].read_text(encoding="utf-8")
    direction = LANGUAGES[tag].direction.value
    assert f'<html lang="{tag}" dir="{direction}"' in html
    violations = axe_violations(browser, editions[tag]["html"])
    assert violations == [], describe(violations)


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_pdf_is_pdf_ua_in_its_language_with_its_fonts(tag, editions):
    page = pytest.importorskip("page")
    path = editions[tag]["pdf"]
    result = page.validate_pdf(str(path), profile="ua1")
    assert result.is_compliant, [f"{f.rule_id}: {f.message}" for f in result.failures[:10]]
    assert inspect.problems(path) == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == tag
        fonts = set()
        for page_obj in pdf.pages:
            for font in (page_obj.Resources.get("/Font") or {}).values():
                fonts.add(str(font.get("/BaseFont", "")).split("+")[-1])
    expected = squash(LANGUAGES[tag].fonts[0])  # the locale's own face, e.g. Noto Nastaliq Urdu
    assert any(squash(name).startswith(expected) for name in fonts), fonts
    assert not any(
        squash(name).startswith(("notokufi", "notosanscjkjp", "notosanscjksc", "notosanscjkkr", "dejavu"))
        for name in fonts
    ), fonts


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_pdf_text_is_every_translated_passage_in_order(tag, editions):
    text = normalise(inspect.structure_text(editions[tag]["pdf"]))
    position = 0
    for passage in expected_passages(tag):
        found = text.find(passage, position)
        assert found >= 0, f"{tag}: not found after {position}: {passage[:80]!r}"
        position = found + len(passage)
