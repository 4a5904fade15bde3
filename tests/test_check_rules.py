"""Every content rule, with a small publication that makes it fire and one that does not.

Each case is the body of a section (its blocks, in YAML), placed into the same minimal
publication; "fires" must produce a finding of the rule, "passes" must not.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reportgen.check import RULES, Scope, Severity, check_report

BASE = """\
format: 1
id: check-fixture
title: Check fixture
organisation: Leicestershire Partnership NHS Trust
published: 2025-06-09
publisher: Communications team
description: A small publication for testing one content rule.
contact: {{organisation: Leicestershire Partnership NHS Trust}}
{extra}
sections:
  - title: {title}
    blocks:
{blocks}
"""

SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"

LONG_HARD = (
    "Notwithstanding considerable organisational complexity, multidisciplinary collaboration "
    "facilitated comprehensive transformation of community-based therapeutic provision, "
    "necessitating substantial reconfiguration of operational governance arrangements. "
    "Consequently, organisational accountability mechanisms were systematically strengthened. "
    "Comprehensive evaluation demonstrated measurable improvements regarding interdisciplinary communication."
)
PLAIN = (
    "We listened to patients. They told us what works. We changed how we book visits. "
    "Now most people see us within two weeks. We will keep asking them how we are doing."
)

WORD_NONE = "source: draft.docx\nnotes: []\nparagraphs: {}\n"
WORD_SPACING = (
    "source: draft.docx\nnotes:\n- {rule: spacing-paragraph, place: 'paragraphs 3–5', "
    "message: 3 empty paragraph(s) used for spacing were left out}\nparagraphs: {}\n"
)
WORD_TEXT_BOX = (
    "source: draft.docx\nnotes:\n- {rule: word-unmapped, place: paragraph 7, at: 'sections[0]', "
    "message: a text box was not imported}\nparagraphs: {}\n"
)


def easy_read(*texts: str) -> str:
    """An easy_read block with one item per text, each with a decorative picture."""
    items = ", ".join(f"{{picture: {{src: chart.svg, decorative: true}}, text: '{text}'}}" for text in texts)
    return f"      - {{type: easy_read, items: [{items}]}}"


# rule: (fires, passes) — each a list of blocks; a dict adds title/extra overrides.
CASES = {
    "placeholder": (
        "- {type: paragraph, text: 'For help contact [INSERT TRUST CONTACT DETAILS].'}",
        "- {type: paragraph, text: 'For help call 0116 295 0903.'}",
    ),
    "link-text": (
        "- {type: paragraph, text: 'Read the report [here](https://www.cqc.org.uk).'}",
        "- {type: paragraph, text: 'Read [the CQC report on our services](https://www.cqc.org.uk).'}",
    ),
    "link-url-text": (
        "- {type: paragraph, text: 'See [https://www.cqc.org.uk](https://www.cqc.org.uk).'}",
        "- {type: paragraph, text: 'See [the CQC website](https://www.cqc.org.uk).'}",
    ),
    "link-same-text": (
        "- {type: paragraph, text: 'See [our plan](https://a.nhs.uk/plan).'}\n"
        "- {type: paragraph, text: 'Also [our plan](https://a.nhs.uk/other).'}",
        "- {type: paragraph, text: 'See [our plan](https://a.nhs.uk/plan).'}\n"
        "- {type: paragraph, text: 'Again [our plan](https://a.nhs.uk/plan).'}",
    ),
    "link-target": (
        "- {type: paragraph, text: 'Read the [sampling instructions](#).'}",
        "- {type: paragraph, text: 'Read the [sampling instructions](https://nhssurveys.org).'}",
    ),
    "link-pdf-size": (
        "- {type: paragraph, text: 'Read [the annual report](https://a.nhs.uk/report.pdf).'}",
        "- {type: paragraph, text: 'Read [the annual report (PDF, 2.4 MB)](https://a.nhs.uk/report.pdf).'}",
    ),
    "alt-text": (
        "- {type: figure, src: chart.svg, alt: chart.svg}",
        "- {type: figure, src: chart.svg, alt: 'Bar chart: 89% of patients rated care good'}",
    ),
    "alt-repeats-caption": (
        "- {type: figure, src: chart.svg, alt: 'Waiting times in 2024', caption: 'Waiting times in 2024'}",
        "- {type: figure, src: chart.svg, alt: 'Line falling from 18 to 9 weeks', caption: 'Waiting times in 2024'}",
    ),
    "alt-too-long": (
        f"- {{type: figure, src: chart.svg, alt: '{'A long description of a chart. ' * 10}'}}",
        "- {type: figure, src: chart.svg, alt: 'Line falling from 18 to 9 weeks'}",
    ),
    "heading-number": ({"title": "'1. Our year'"}, {"title": "Our year"}),
    "heading-format": ({"title": "'**Our year**'"}, {"title": "Our year"}),
    "empty-section": ({"blocks": "      []"}, "- {type: paragraph, text: 'Some content.'}"),
    "table-empty-cell": (
        "- {type: table, caption: Beds, columns: [{key: a, label: Ward}, {key: b, label: Beds}], rows: [{a: One, b: ''}, {a: Two, b: '4'}]}",
        "- {type: table, caption: Beds, columns: [{key: a, label: Ward}, {key: b, label: Beds}], rows: [{a: One, b: '3'}, {a: Two, b: '4'}]}",
    ),
    "table-layout": (
        "- {type: table, caption: Wards, columns: [{key: a, label: Ward}], rows: [{a: One}, {a: Two}]}",
        "- {type: table, caption: Beds, columns: [{key: a, label: Ward}, {key: b, label: Beds}], rows: [{a: One, b: '3'}]}",
    ),
    "long-sentence": (
        "- {type: paragraph, text: '" + " ".join(["word"] * 30) + ".'}",
        "- {type: paragraph, text: 'A short sentence. Another short one.'}",
    ),
    "reading-ease": (f"- {{type: paragraph, text: '{LONG_HARD}'}}", f"- {{type: paragraph, text: '{PLAIN}'}}"),
    "all-caps": (
        "- {type: paragraph, text: 'PLEASE READ THIS CAREFULLY before your visit.'}",
        "- {type: paragraph, text: 'Please read this carefully before your visit to the NHS.'}",
    ),
    "symbol-bullet": (
        "- {type: list, items: ['✓ Psychological therapies', '✓ Support while waiting']}",
        "- {type: list, items: ['Psychological therapies', 'Support while waiting']}",
    ),
    "number-in-text": (
        "- {type: paragraph, text: 'We employ 6,500 staff and met on 14 January.'}",
        "- {type: paragraph, text: 'We employ {staff} staff. The 2024/25 plan is out.'}",
    ),
    "waiver": (
        {"extra": "waivers: [{rule: all-caps, at: 'sections[0]', reason: 'A quoted sign must stay as written.'}]"},
        {
            "extra": "waivers: [{rule: all-caps, at: 'sections[0]', reason: 'A quoted sign must stay as written.'}]",
            "blocks": "      - {type: paragraph, text: 'The sign said KEEP THIS DOOR SHUT AT ALL TIMES.'}",
        },
    ),
    "easy-read-sentence": (
        {
            "extra": "kind: easy_read",
            "blocks": easy_read("We will write to you again when we know the date of your next visit here."),
        },
        {
            "extra": "kind: easy_read",
            "blocks": easy_read("We will write to you again when we know the date of your next visit."),
        },
    ),
    "easy-read-picture": (
        {"extra": "kind: easy_read", "blocks": "      - {type: easy_read, items: [{text: 'We will write to you.'}]}"},
        {"extra": "kind: easy_read", "blocks": easy_read("We will write to you.")},
    ),
    # ceil(items / 5) estimated pages: 121 items are 25 pages, 120 are 24 (the most Easy Read should have)
    "easy-read-length": (
        {"extra": "kind: easy_read", "blocks": easy_read(*["One short idea."] * 121)},
        {"extra": "kind: easy_read", "blocks": easy_read(*["One short idea."] * 120)},
    ),
    "schema": ("- {type: paragraph, txt: 'A typo in a field name.'}", "- {type: paragraph, text: 'Correct.'}"),
    "fake-heading": (
        "- {type: paragraph, text: '**How to book a visit**'}\n- {type: paragraph, text: 'Call us.'}",
        "- {type: paragraph, text: '**Please note:** call us first.'}",
    ),
    "typed-list-number": (
        "- {type: paragraph, text: '1. Call the team.'}\n- {type: paragraph, text: '2. Give your NHS number.'}",
        "- {type: list, style: numbered, items: ['Call the team.', 'Give your NHS number.']}",
    ),
    # reportgen import's notes (word-import.yaml): only the Word file shows these
    "spacing-paragraph": ({"files": {"word-import.yaml": WORD_SPACING}}, {"files": {"word-import.yaml": WORD_NONE}}),
    "word-unmapped": ({"files": {"word-import.yaml": WORD_TEXT_BOX}}, {"files": {"word-import.yaml": WORD_NONE}}),
}


def make(tmp_path: Path, case, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "chart.svg").write_text(SVG)
    fields = {"title": "Our year", "extra": "values: {staff: {value: 6500}}", "blocks": None}
    if isinstance(case, dict):
        case = dict(case)
        for file_name, text in case.pop("files", {}).items():
            (folder / file_name).write_text(text, encoding="utf-8")
        fields.update(case)
    else:
        fields["blocks"] = case
    if fields["blocks"] is None:
        fields["blocks"] = "- {type: paragraph, text: 'Some content.'}"
    if not fields["blocks"].startswith("      "):
        fields["blocks"] = textwrap.indent(fields["blocks"], "      ")
    (folder / "report.yaml").write_text(BASE.format(**fields), encoding="utf-8")
    return folder


def rules_found(folder: Path) -> dict[str, list]:
    result = check_report(folder, outputs=False)
    found: dict[str, list] = {}
    for item in result.findings:
        found.setdefault(item.rule, []).append(item)
    return found


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires(rule, tmp_path):
    found = rules_found(make(tmp_path, CASES[rule][0], "fires"))
    assert rule in found, f"{rule} did not fire; found {sorted(found)}"
    item = found[rule][0]
    assert item.severity is RULES[rule].severity
    assert item.source.endswith("report.yaml") and item.line, item
    assert len(item.message) > 30, "a finding says how to fix it"


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_does_not_fire_on_good_content(rule, tmp_path):
    found = rules_found(make(tmp_path, CASES[rule][1], "passes"))
    assert rule not in found, [f.message for f in found[rule]]


def test_every_content_rule_has_a_case():
    """New content rules come with their fixtures (output, theme and translation rules: other tests)."""
    content_rules = {rule.id for rule in RULES.values() if rule.scope is Scope.CONTENT}
    assert content_rules <= set(CASES), sorted(content_rules - set(CASES))


def test_a_waiver_covers_a_finding_and_keeps_its_reason(tmp_path):
    folder = make(
        tmp_path,
        {
            "extra": "waivers: [{rule: link-text, at: 'sections[0].blocks[0]', reason: 'Quoted from the regulator verbatim.'}]",
            "blocks": "      - {type: paragraph, text: 'Read it [here](https://www.cqc.org.uk).'}",
        },
        "waived",
    )
    result = check_report(folder, outputs=False)
    waived = [f for f in result.findings if f.rule == "link-text"]
    assert waived and waived[0].waived == "Quoted from the regulator verbatim."
    assert result.passed, "a waived error does not fail the check"


def test_a_waiver_needs_a_known_rule_and_a_reason(tmp_path):
    folder = make(tmp_path, {"extra": "waivers: [{rule: link-txt, at: 'sections[0]', reason: short}]"}, "bad-waiver")
    result = check_report(folder, outputs=False)
    messages = " ".join(f.message for f in result.findings if f.rule == "schema")
    assert "unknown rule 'link-txt' (did you mean 'link-text'?)" in messages
    assert "reason" in " ".join(f.pointer for f in result.findings if f.rule == "schema")


def test_rules_still_run_when_the_model_refuses_the_file(tmp_path):
    """One run lists everything: the model's refusal and the text rules' findings together."""
    folder = make(
        tmp_path,
        {
            "title": "'1. Our year'",
            "blocks": "      - {type: paragraph, text: 'Call [INSERT NUMBER] or click [here](#).'}",
        },
        "refused",
    )
    found = rules_found(folder)
    assert {"heading-number", "link-target", "placeholder"} <= set(found), sorted(found)
    assert all(f.severity is Severity.ERROR for rule in ("heading-number", "link-target") for f in found[rule])
