"""reportgen check: the reference flaws, the sample publications, outputs, theme, translations, CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT, SAMPLES, output_path
from reportgen.check import RULES, Severity, check_report
from reportgen.check.formats import as_json, as_sarif, as_table
from reportgen.check.outputs import axe_findings, html_findings, pdf_findings
from reportgen.check.pages import stranded_pages
from reportgen.check.readability import flesch_reading_ease, sentences, syllables
from reportgen.check.theme import check_theme, contrast
from reportgen.cli import main
from reportgen.i18n.catalogs import po_path, read_catalog, write_catalog

FIXTURES = Path(__file__).parent / "fixtures"
FLAWS = FIXTURES / "check" / "reference-flaws"
GLANCE = ROOT / "data" / "annual-report-2024-25-at-a-glance"
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (make setup)")


def by_rule(result) -> dict[str, list]:
    found: dict[str, list] = {}
    for item in result.findings:
        found.setdefault(item.rule, []).append(item)
    return found


# --- the reference publications ---------------------------------------------------------


def test_the_reference_flaws_are_caught():
    """Placeholder on the survey poster, 'here' and '#' links, list number as heading, ✓ bullets."""
    result = check_report(FLAWS, outputs=False)
    found = by_rule(result)
    assert "[INSERT TRUST CONTACT DETAILS]" in found["placeholder"][0].message
    assert {f.pointer for f in found["link-target"]} == {"sections[0].blocks[1].text", "sections[3].blocks[0].text"}
    assert "'here'" in found["link-text"][0].message
    assert found["heading-number"][0].pointer == "sections[2].title"
    assert len(found["symbol-bullet"]) == 3
    assert not result.passed and all(f.severity is Severity.ERROR for f in result.errors)
    assert all(f.line for f in result.findings), "every finding has its line"


@needs_chromium
@pytest.mark.parametrize("folder", SAMPLES, ids=[p.name for p in SAMPLES])
def test_the_sample_publications_pass_with_no_errors(folder, browser):
    result = check_report(folder, browser=browser)
    assert result.outputs_checked and result.languages == ("en-GB",)
    assert result.errors == [], as_table(result)


def test_every_translation_of_the_summary_passes_its_content_checks():
    result = check_report(GLANCE, langs=["all"], outputs=False)
    assert len(result.languages) == 10
    assert result.errors == [], as_table(result)
    stale = by_rule(result)["translation-stale"]
    assert {f.lang for f in stale} == set(result.languages) - {"en-GB"}, "the drafts await review: said per language"


# --- outputs ----------------------------------------------------------------------------


def test_heading_and_table_rules_on_html():
    bad = "<h1>Report</h1><h3>Skipped</h3><table><tr><td>1</td></tr></table>"
    found = {f.rule: f for f in html_findings(bad, "x.html", "en-GB")}
    assert "level 3 after level 1" in found["heading-skip"].message
    assert {
        f.message.split(" has ")[1] for f in html_findings(bad, "x.html", "en-GB") if f.rule == "table-headers"
    } == {"no caption — give it one", "no header cells (th) — label its columns"}
    good = "<h1>Report</h1><h2>Next</h2><table><caption>Beds</caption><tr><th>Ward</th></tr></table>"
    assert html_findings(good, "x.html", "en-GB") == []


@needs_chromium
def test_axe_violations_become_findings(browser):
    bad = (
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main><h1>x</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    found = axe_findings(bad, "x.en-GB.html", "en-GB", browser)
    assert any("[image-alt]" in f.message and f.rule == "html-axe" for f in found), found
    good = bad.replace("<img ", '<img alt="A blue dot" ')
    assert axe_findings(good, "x.en-GB.html", "en-GB", browser) == []


def test_pdf_ua_failures_become_findings_with_pages(tmp_path, built_samples):
    import weasyprint

    untagged = weasyprint.HTML(string="<html lang=en><title>t</title><p>Text</p></html>").write_pdf()
    found = pdf_findings(untagged, "x.pdf", "en-GB")
    assert {"pdf-ua", "pdf-structure"} <= {f.rule for f in found}
    assert any(f.page == 1 for f in found if f.rule == "pdf-ua"), "page numbers are given where known"
    good = output_path(built_samples["annual-report-2024-25-at-a-glance"], "pdf").read_bytes()
    assert pdf_findings(good, "x.pdf", "en-GB") == []


def _pages(*lines: int, title: bool = False) -> bytes:
    """A tagged PDF of pages holding that many lines each (the first under an H1 if ``title``)."""
    import weasyprint

    body = "".join(
        f"<div style='break-before: page'>{'<h1>Title</h1>' if title and not n else ''}"
        + "".join(f"<p style='margin: 0'>Line {i} of page {n + 1}.</p>" for i in range(count))
        + "</div>"
        for n, count in enumerate(lines)
    )
    return weasyprint.HTML(string=f"<html lang=en><title>t</title>{body}</html>").write_pdf(pdf_variant="pdf/ua-1")


def test_stranded_pages_are_warned_of_with_their_page_number():
    found = stranded_pages(_pages(40, 3, 40), "x.en-GB.pdf", "en-GB")
    assert [(f.rule, f.page, f.severity) for f in found] == [("stranded-page", 2, Severity.WARNING)]
    assert "page 2 of 3 holds only 'Line 0 of page 2. Line 1 of …' (7% of a full page)" in found[0].message
    assert [f.page for f in stranded_pages(_pages(40, 30, 3), "x.pdf", "en-GB")] == [3], "a short document's end"
    assert stranded_pages(_pages(40, 12, 40), "x.pdf", "en-GB") == [], "a third of a page is not stranded"


def test_a_title_page_the_end_of_a_long_document_and_a_single_page_may_be_short():
    assert stranded_pages(_pages(3, 40, title=True), "x.pdf", "en-GB") == []
    assert stranded_pages(_pages(*[40] * 7, 3), "x.pdf", "en-GB") == [], "eight pages: a long document"
    assert stranded_pages(_pages(3), "x.pdf", "en-GB") == []


def test_an_edition_that_cannot_be_built_is_an_error():
    result = check_report(FIXTURES / "letter", langs=["pl"], outputs=True)
    found = by_rule(result)
    assert found["build"][0].lang == "pl" and "Polish" in found["build"][0].message
    assert found["translation-missing"][0].severity is Severity.ERROR, "a language asked for must be complete"


# --- theme ------------------------------------------------------------------------------


def test_theme_contrast():
    assert round(contrast("#005eb8", "#ffffff"), 1) == 6.4
    assert check_theme() == [], "the project's theme passes"
    faint = ":root { --rating-good: #9fd5b0; }\n.callout { color: #999999; background: #ffffff; }\n"
    found = check_theme(faint, "theme.css")
    assert {f.message.split(":")[0] for f in found} == {"text colour of '.callout'", "graphics colour --rating-good"}
    assert next(f for f in found if ".callout" in f.message).line == 2


# --- translations -----------------------------------------------------------------------


def _edit(tag: str, change) -> None:
    path = po_path(tag, GLANCE.name)
    catalog = read_catalog(path, tag)
    change(next(m for m in catalog if m.id and m.context and m.context.endswith("|list") and m.string))
    write_catalog(catalog, path)


def test_translation_rules_fire_on_a_broken_catalog(translations):
    result = check_report(GLANCE, outputs=False)
    assert not [f for f in result.findings if f.rule.startswith("translation-") and f.rule != "translation-stale"]

    def missing(message):
        message.string = ""

    _edit("pl", missing)
    _edit("so", lambda message: setattr(message, "string", message.string + " TODO"))
    _edit("gu", lambda message: message.flags.add("fuzzy"))
    _edit("hi", lambda message: setattr(message, "string", message.string + " {nonsense}"))
    found = by_rule(check_report(GLANCE, outputs=False))
    # A fuzzy entry is not used, so Gujarati is also missing a passage until it is reviewed.
    assert [f.lang for f in found["translation-missing"]] == ["gu", "pl"]
    assert found["translation-missing"][0].severity is Severity.WARNING, "not asked for: a warning"
    assert any(f.lang == "so" and "TODO" in f.message for f in found["placeholder"])
    assert any(f.lang == "gu" and "fuzzy" in f.message for f in found["translation-stale"])
    assert [f.lang for f in found["translation-invalid"]] == ["hi"]
    assert found["translation-invalid"][0].source.endswith("hi/LC_MESSAGES/annual-report-2024-25-at-a-glance.po")
    asked = by_rule(check_report(GLANCE, langs=["pl"], outputs=False))
    assert {f.lang: f.severity for f in asked["translation-missing"]} == {"pl": Severity.ERROR, "gu": Severity.WARNING}


# --- plain English ------------------------------------------------------------------------


def test_syllables_and_reading_ease():
    assert [syllables(w) for w in ("care", "patients", "community", "made", "used", "table")] == [1, 2, 4, 1, 1, 2]
    assert sentences("We met Dr. Patel, e.g. at 9.30 today. Then we left.") == [
        "We met Dr. Patel, e.g. at 9.30 today.",
        "Then we left.",
    ]
    plain = "We listened to you. " * 8
    assert flesch_reading_ease(plain) > 90
    assert flesch_reading_ease("Short text.") is None, "too short to judge"


# --- command line and formats -------------------------------------------------------------


def test_cli_exit_status_and_table(capsys):
    assert main(["check", str(FLAWS), "--content-only"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: 8 error(s)" in out and "line 16" in out and "\033[" not in out, "no colour when not a terminal"
    assert main(["check", str(GLANCE), "--content-only"]) == 0
    assert "passed" in capsys.readouterr().out


def test_json_and_sarif(tmp_path, capsys):
    import jsonschema

    assert main(["check", str(FLAWS), "--content-only", "--format", "json", "--out", str(tmp_path / "r.json")]) == 1
    assert "Wrote" in capsys.readouterr().out
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"]["errors"] == 8 and data["findings"][0]["source"].endswith("report.yaml")
    assert main(["check", str(FLAWS), "--content-only", "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    schema = json.loads((FIXTURES / "sarif-2.1.0-rtm.5.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]
    assert {r["ruleId"] for r in results} <= set(RULES)
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 0


def test_waivers_show_in_every_format(tmp_path):
    folder = tmp_path / "waived"
    folder.mkdir()
    text = (FLAWS / "report.yaml").read_text()
    text += (
        "waivers:\n  - rule: symbol-bullet\n    at: sections[1].blocks[1]\n"
        "    reason: The ticks are part of the poster's design, agreed with the patient panel.\n"
    )
    (folder / "report.yaml").write_text(text)
    result = check_report(folder, outputs=False)
    assert len(result.waived) == 3 and len(result.errors) == 5
    assert "waived: The ticks are part" in as_table(result)
    assert as_json(result)["summary"]["waived"] == 3
    suppressed = [r for r in as_sarif(result)["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 3 and suppressed[0]["suppressions"][0]["justification"].startswith("The ticks")
    coloured = as_table(result, colour=True)
    assert "\033[1;31m" in coloured


def test_a_folder_without_report_yaml_is_a_clear_error(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "report.yaml" in err and "Traceback" not in err


def test_docs_list_every_rule(capsys):
    assert main(["check", "--rules"]) == 0
    table = capsys.readouterr().out
    assert table in (ROOT / "docs" / "checks.md").read_text(encoding="utf-8"), "run: reportgen check --rules"
    assert table.count("\n| `") == len(RULES)
