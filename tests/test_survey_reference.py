"""Every figure the reference report publishes about Leicestershire Partnership NHS Trust (RT5)
comes out identical: read from the reference text, compared with the calculations and with
the built page.

The reference is ../shared/reference/community-mental-health-survey-benchmark-2025.txt (a
text extract of the published PDF). The test reads its tables, section scores, top and
bottom five, bands, respondents per year and significance with regular expressions, so a
change to the data or the calculations that alters any published figure fails here.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.render.charts import BANDS
from reportgen.survey import calc
from reportgen.survey.data import load_survey

# The reference publications sit beside the project (../shared/reference), or where
# REPORTGEN_REFERENCE says; a clone elsewhere on this machine finds them at /work/shared.
_NAME = "community-mental-health-survey-benchmark-2025.txt"
REFERENCE = next(
    (
        path
        for path in (
            Path(os.environ.get("REPORTGEN_REFERENCE", "/nonexistent")) / _NAME,
            ROOT.parent / "shared" / "reference" / _NAME,
            Path("/work/shared/reference") / _NAME,
        )
        if path.is_file()
    ),
    ROOT.parent / "shared" / "reference" / _NAME,
)
DATA = ROOT / "data" / "cmh-survey-2025"
LPT, YEAR = "RT5", 2025
BAND_WORDS = {band.label.lower(): key for key, band in BANDS.items()}

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="the reference publications are not on this machine")


@pytest.fixture(scope="module")
def text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def survey():
    return load_survey(DATA)


def _benchmarking(text: str) -> str:
    return text[
        text.index("How to interpret benchmarking in this report (continued)") : text.index("\nChange over time\n")
    ]


def _by_section(part: str):
    """(section number, the text of that section) in order."""
    pieces = re.split(r"^Section (\d+)\. [^\n]*$", part, flags=re.M)
    return [(int(pieces[i]), pieces[i + 1]) for i in range(1, len(pieces), 2)]


def test_question_tables(text, survey):
    """Respondents, trust score, national average, lowest and highest of every table."""
    rows = calc.trust_results(survey, LPT, YEAR)
    checked = 0
    for number, body in _by_section(_benchmarking(text)):
        ids = list(survey.questions.loc[survey.questions["section_number"] == number, "question_id"])
        for match in re.finditer(r"^(\d+)\t(\d+\.\d)\t(\d+\.\d)\t(\d+\.\d)\t(\d+\.\d)$", body, flags=re.M):
            respondents, score, average, lowest, highest = match.groups()
            candidates = [q for q in ids if rows.at[q, "respondents"] == int(respondents)]
            assert len(candidates) == 1, f"section {number}: {respondents} respondents matches {candidates}"
            question = candidates[0]
            national = calc.national(survey, question, YEAR)
            got = tuple(
                str(calc.publish(v))
                for v in (rows.at[question, "score"], national.average, national.lowest, national.highest)
            )
            assert got == (score, average, lowest, highest), question
            checked += 1
    assert checked == 19


def test_section_scores_and_bands(text, survey):
    found = re.findall(
        r"^Section (\d+)\. (?![^\n]*continued)[^\n]*\n(?:.*\n)*?Your trust section score = (\d+\.\d) ([^\n]+)$",
        text,
        flags=re.M,
    )
    assert len(found) == 12
    for number, score, band in found:
        result = calc.section_score(survey, LPT, YEAR, int(number))
        assert str(calc.publish(result.score)) == score, number
        assert calc.section_band(survey, LPT, YEAR, int(number)) == BAND_WORDS[band.strip().lower()], number


def test_top_and_bottom_five_in_order(text, survey):
    top = text[
        text.index("Top five scores (compared with national average)") : text.index("Bottom five scores (compared")
    ]
    bottom = text[text.index("Bottom five scores (compared") : text.index("NHS Community Mental Health Survey\n")]
    best, worst = calc.best_and_worst(survey, LPT, YEAR)
    for block, ids in ((top, best), (bottom, worst)):
        assert re.findall(r"^(Q\d+(?:_\d)?)\.", block, flags=re.M) == ids
        scores = re.findall(r"^(\d+\.\d)$", block, flags=re.M)
        rows = calc.trust_results(survey, LPT, YEAR)
        assert scores == [str(calc.publish(rows.at[q, "score"])) for q in ids]


def test_bands_in_comparison_to_other_trusts(text, survey):
    part = text[text.index("Comparison to other trusts: where your trust has performed much better") :]
    rows = calc.trust_results(survey, LPT, YEAR)
    for label, key in BAND_WORDS.items():
        if key == "about_same":
            continue
        start = part.index(f"\n{BANDS[key].label}\n")
        block = part[start : part.find("Comparison to other trusts:", start)]
        listed = re.findall(r"^- (Q\d+(?:_\d)?)\.", block, flags=re.M)
        assert listed == [q for q in rows.index if rows.at[q, "band"] == key], label


def test_respondents_per_year_and_significance(text, survey):
    part = text[text.index("\nChange over time\n") : text.index("\nComparison to other trusts\n")]
    results = survey.results[survey.results["trust_code"] == LPT]
    # a block: its significance lines (some followed by a line of dashes), then its respondents
    blocks = re.findall(
        r"((?:Significant change 2025 vs (?:2024|2023)\s+\S+(?: \S+)?\s+(?:-+\s+-+\s+)?)+)(?:(?!Significant).)*?"
        r"Number of respondents: ([^\n]+)",
        part,
        flags=re.S,
    )
    assert len(blocks) == 20
    # Section 5's one chart has no significance lines in the extract: its respondents alone.
    therapy = results[results["question_id"] == "Q25"].set_index("year")["respondents"].to_dict()
    assert "Number of respondents: 2024: 61; 2025: 73" in part and therapy == {2024: 61, 2025: 73}
    for changes, counts in blocks:
        years = dict((int(y), int(n)) for y, n in re.findall(r"(\d{4}): (\d+)", counts))
        matching = [
            q
            for q in results["question_id"].unique()
            if all(
                ((results["question_id"] == q) & (results["year"] == y) & (results["respondents"] == n)).any()
                for y, n in years.items()
            )
        ]
        assert len(matching) == 1, (counts, matching)
        row = results[(results["question_id"] == matching[0]) & (results["year"] == YEAR)].iloc[0]
        said = dict(re.findall(r"Significant change 2025 vs (2024|2023)\s+(Decrease|Increase|No change)", changes))
        assert calc.CHANGE_WORDS[row["change_vs_2024"]] == said["2024"], matching[0]
        if "2023" in said:
            assert calc.CHANGE_WORDS[row["change_vs_2023"]] == said["2023"], matching[0]


def test_who_took_part(text):
    with open(DATA / "trusts.csv", encoding="utf-8") as stream:
        lpt = next(row for row in csv.DictReader(stream) if row["trust_code"] == LPT)
    assert f"{lpt['invited']} invited to take part" in text and f"{lpt['completed']} completed" in text
    assert f"{lpt['response_rate']}% response rate" in text
    assert f"{lpt['previous_response_rate']}% response rate for your trust in 2024" in text


def test_the_built_report_shows_the_reference_figures(tmp_path, survey):
    result = build_report(DATA, BuildRequest(out_dir=tmp_path, formats=["html"]))
    html = result.outputs[0].path.read_text(encoding="utf-8").replace("&#39;", "'")
    assert "Community Mental Health Survey 2025 benchmark report: Leicestershire Partnership NHS Trust" in html
    assert "Your trust's section score: 6.2 — Somewhat worse than expected" in html
    assert "Your trust's section score: 3.8 — Worse than expected" in html
    assert (
        'alt="Q29. Thinking about the last time you contacted NHS mental health crisis support, did you get the '
        'help you needed?: Your trust 3.4; national average 5.3; range 3.4 to 6.7; worse than expected"'
    ) in html
    assert "the Patient Experience and Involvement team" in html and "INSERT" not in html
    assert "Synthetic data" not in html and "the other trusts are synthetic (made up)" in html
    top = html[html.index("Top five scores compared") : html.index("Bottom five scores compared")]
    assert re.findall(r"<strong>(Q\d+(?:_\d)?)\.</strong>", top) == ["Q25", "Q6", "Q13", "Q19", "Q21_2"]


def test_a_batch_of_all_fifty_trusts(tmp_path):
    """Every trust of the national table builds (HTML here; make demo builds the PDFs too)."""
    from reportgen.build.batch import Outcome, build_batch

    result = build_batch(DATA, BuildRequest(formats=["html"], out_dir=tmp_path, jobs=2), axis="trust")
    assert len(result.results) == 50 and result.count(Outcome.BUILT) == 50, result.failed
    folder = tmp_path / "cmh-survey-2025"
    synthetic = (folder / "cmh-survey-2025.SYN07.en-GB.html").read_text(encoding="utf-8")
    assert "Synthetic data." in synthetic and "Synthetic Trust 07" in synthetic
    empty = (folder / "cmh-survey-2025.SYN49.en-GB.html").read_text(encoding="utf-8")
    assert "No question has a score for this trust: too few people answered." in empty
