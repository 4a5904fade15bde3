"""The survey benchmark report: calculations worked by hand on a small table, loading errors,
the pages of one trust, and the batch over every trust (processes and a Dask LocalCluster).

tests/fixtures/survey: four trusts. AAA is a full trust (Q6 scores 6.25: half up gives 6.3);
BBB has 29 respondents for Q6 (suppressed; its section 1 too); CCC is full; DDD has fewer than
30 respondents everywhere. Q13 and Q29 are new this year (no trends).
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CHROMIUM, axe_violations, describe
from reportgen.build.batch import Outcome, build_batch
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.errors import InputError
from reportgen.survey import calc
from reportgen.survey.data import load_survey

FIXTURE = Path(__file__).parent / "fixtures" / "survey"


@pytest.fixture(scope="module")
def survey():
    return load_survey(FIXTURE)


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "survey"
    shutil.copytree(FIXTURE, target)
    return target


# --- calculations -------------------------------------------------------------------------


def test_publish_rounds_half_up():
    assert round(6.25, 1) == 6.2  # what the survey does not do
    assert calc.publish(6.25) == Decimal("6.3") and calc.publish(6.35) == Decimal("6.4")
    assert calc.publish(6.2499) == Decimal("6.2") and calc.publish(6.625) == Decimal("6.6")


def test_suppression_at_29_and_30():
    assert calc.suppression_reason(29) == "fewer than 30 respondents (29)"
    assert calc.suppression_reason(30) is None


def test_national_figures_leave_out_suppressed_trusts(survey):
    q6 = calc.national(survey, "Q6", 2025)  # AAA 6.25 and CCC 7.25; BBB (29) and DDD (10) left out
    assert (q6.average, q6.lowest, q6.highest) == (6.75, 6.25, 7.25)
    q7 = calc.national(survey, "Q7", 2025)  # AAA has exactly 30: counted
    assert (q7.average, q7.lowest, q7.highest) == (7.0, 6.0, 8.0)


def test_section_scores_are_means_of_unrounded_question_scores(survey):
    assert calc.section_score(survey, "AAA", 2025, 1).score == 6.625  # (6.25 + 7.0) / 2, published 6.6
    assert calc.publish(calc.section_score(survey, "AAA", 2025, 1).score) == Decimal("6.6")
    assert calc.section_score(survey, "AAA", 2025, 2).score == 6.5
    blocked = calc.section_score(survey, "BBB", 2025, 1)
    assert blocked.score is None and blocked.reason == "fewer than 30 respondents answered Q6"


def test_best_and_worst_by_difference_from_the_national_average(survey):
    # AAA: Q13 +1.0, Q7 0.0, Q6 -0.5, Q9 -1.33, Q29 -2.0
    assert calc.best_and_worst(survey, "AAA", 2025) == (
        ["Q13", "Q7", "Q6", "Q9", "Q29"],
        ["Q29", "Q9", "Q6", "Q7", "Q13"],
    )
    assert calc.best_and_worst(survey, "AAA", 2025, n=2) == (["Q13", "Q7"], ["Q29", "Q9"])


def test_ties_go_to_the_question_that_comes_first(survey):
    # BBB: Q9 +0.67, Q13 0.0, Q29 0.0 (a tie), Q7 -1.0; Q6 is suppressed
    best, worst = calc.best_and_worst(survey, "BBB", 2025)
    assert best == ["Q9", "Q13", "Q29", "Q7"] and worst == ["Q7", "Q13", "Q29", "Q9"]


def test_a_trust_with_every_question_suppressed(survey):
    assert calc.best_and_worst(survey, "DDD", 2025) == ([], [])
    assert calc.band_counts(survey, "DDD", 2025) == {}
    assert all(calc.section_score(survey, "DDD", 2025, n).score is None for n, _ in calc.sections(survey))


def test_band_counts(survey):
    assert calc.band_counts(survey, "AAA", 2025) == {"about_same": 2, "worse": 1, "better": 1, "much_worse": 1}


def test_change_over_time_with_missing_earlier_years(survey):
    trends = {t.question_id: t for t in calc.change_over_time(survey, "AAA", 2025)}
    assert set(trends) == {"Q6", "Q7", "Q9"}, "Q13 and Q29 are new: not compared"
    q6 = trends["Q6"]
    assert q6.years == (2023, 2024, 2025) and q6.trust_scores == (5.5, 6.0, 6.25)
    assert q6.national_averages == (5.5, 6.25, 6.75)
    assert q6.changes == ((2024, "No change"), (2023, "Increase"))
    assert trends["Q7"].years == (2024, 2025) and trends["Q7"].changes == ((2024, "No change"),)
    assert trends["Q9"].trust_scores == (None, 6.0, 5.0), "no 2023 row for Q9"
    assert trends["Q9"].national_averages[:2] == (None, 6.25)
    assert abs(trends["Q9"].national_averages[2] - 19 / 3) < 1e-9
    assert trends["Q9"].changes == ((2024, "Decrease"), (2023, "No change"))


# --- loading --------------------------------------------------------------------------------

BAD = {
    "score out of range": (
        "national-results.csv",
        "AAA,Alpha Trust,false,2025,Q6,62,6.25,",
        "AAA,Alpha Trust,false,2025,Q6,62,11,",
        ":2: score: 11 is outside 0–10",
    ),
    "negative respondents": (
        "national-results.csv",
        "AAA,Alpha Trust,false,2025,Q7,30,",
        "AAA,Alpha Trust,false,2025,Q7,-3,",
        ":3: respondents: -3 is outside 0–1000000",
    ),
    "unknown band": (
        "national-results.csv",
        "7.0,about_same,no_change,",
        "7.0,fine,no_change,",
        ":3: band: unknown band 'fine'",
    ),
    "unknown question": (
        "national-results.csv",
        "2025,Q9,100",
        "2025,Q99,100",
        ":4: question_id: unknown question 'Q99'",
    ),
    "duplicate row": (
        "national-results.csv",
        "AAA,Alpha Trust,false,2024,Q7,",
        "AAA,Alpha Trust,false,2025,Q7,",
        ":8: question_id: a second row for the same trust, question (Q7) and year",
    ),
    "two names": (
        "national-results.csv",
        "BBB,Beta Trust,true,2024,Q6",
        "BBB,Beta NHS Trust,true,2024,Q6",
        "trust_name: trust BBB has more than one name",
    ),
    "missing column": (
        "questions.csv",
        "section_number,section,question_id,question_text,comparable_from",
        "section_number,section,question_id,text,comparable_from",
        ":1: question_text: missing column",
    ),
    "not a number": (
        "section-bands.csv",
        "AAA,2025,1,about_same",
        "AAA,2025,one,about_same",
        ":2: section_number: 'one' is not a whole number",
    ),
}


WHOLE_TABLE = {"missing column"}


@pytest.mark.expect_warnings
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_survey_data_names_file_line_and_column(case, tmp_path):
    name, old, new, expected = BAD[case]
    folder = copy_fixture(tmp_path)
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    try:
        loaded = load_survey(folder)
    except InputError as exc:  # a problem of the whole table: nothing can be built
        message = str(exc)
        assert case in WHOLE_TABLE, f"{case} should be the problem of one trust only"
    else:  # a problem of one trust's row: that trust alone cannot be built
        assert case not in WHOLE_TABLE, f"{case} should stop everything"
        message = "\n".join(str(p) for items in loaded.problems.values() for p in items)
    assert name in message and expected in message, message


# --- the pages of one trust -------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("survey-out")
    return build_report(FIXTURE, BuildRequest.of(out_dir=out, variant={"trust": "AAA"}))


def _html(result) -> str:
    return next(o.path for o in result.outputs if o.format == "html").read_text()


def test_charts_carry_their_numbers_in_words(built):
    html = _html(built)
    assert (
        'alt="Q29. Did you get the help you needed?: Your trust 3.0; national average 5.0; range 3.0 to 7.0; '
        'much worse than expected"' in html
    )
    assert 'alt="Q6. Were you offered support while waiting?: Your trust 6.3;' in html, "6.25 is published as 6.3"
    assert html.count('download="AAA-2025-') >= 5, "every chart's data can be downloaded as CSV"
    assert "<caption>Data for this chart</caption>" in html


def test_poster_contact_comes_from_data(built):
    html = _html(built)
    assert "please contact:" in html and "the Patient Experience team" in html and "0116 295 0903" in html
    assert "INSERT" not in html and "Synthetic data" not in html, "AAA is not synthetic"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (make setup)")
def test_survey_page_has_no_axe_violations(built, browser):
    path = next(o.path for o in built.outputs if o.format == "html")
    violations = axe_violations(browser, path)
    assert violations == [], describe(violations)


def test_survey_pdf_is_pdf_ua_with_chart_figures(built):
    import page

    from reportgen.formats.pdf.inspect import elements, problems

    pdf = next(o.path for o in built.outputs if o.format == "pdf")
    assert page.validate_pdf(str(pdf), profile="ua1").is_compliant
    assert problems(pdf.read_bytes()) == []
    figures = [e.alt for e in elements(pdf.read_bytes()) if e.role == "Figure"]
    assert any("Your trust 3.0; national average 5.0; range 3.0 to 7.0" in (alt or "") for alt in figures), figures


def test_a_missing_contact_is_an_error_not_a_placeholder(tmp_path):
    folder = copy_fixture(tmp_path)
    path = folder / "trusts.csv"
    path.write_text(path.read_text().replace("0116 295 0903,alpha@nhs.example", ","))
    with pytest.raises(InputError) as caught:
        build_report(folder, BuildRequest.of(out_dir=tmp_path / "out", variant={"trust": "AAA"}))
    assert "trusts.csv:2: phone: trust AAA has neither phone nor email" in str(caught.value)
    assert not (tmp_path / "out").exists()


# --- the batch ----------------------------------------------------------------------------------


def test_batch_builds_every_trust_and_one_bad_trust_fails_alone(tmp_path, capsys):
    from reportgen.cli import main

    folder = copy_fixture(tmp_path)
    path = folder / "trusts.csv"
    path.write_text(path.read_text().replace("BBB,Beta Trust,true,the survey lead,", "BBB,Beta Trust,true,,"))
    out = tmp_path / "out"
    assert (
        main(["build", str(folder), "--for-each", "trust", "--format", "html", "--out", str(out), "--jobs", "2"]) == 1
    )
    captured = capsys.readouterr()
    assert "3 built, 0 unchanged, 0 up to date, 1 failed" in captured.out
    assert "BBB: failed — " in captured.out and "trusts.csv:3: contact: trust BBB has no contact" in captured.out
    assert sorted(p.name for p in (out / "survey-fixture").iterdir() if not p.name.startswith(".")) == [
        "survey-fixture.AAA.en-GB.html",
        "survey-fixture.CCC.en-GB.html",
        "survey-fixture.DDD.en-GB.html",
    ]
    assert "Synthetic data" in (out / "survey-fixture" / "survey-fixture.CCC.en-GB.html").read_text()
    assert "[4/4]" in captured.err, "progress is shown"
    # the same again: nothing to do, and it says so
    assert main(["build", str(folder), "--for-each", "trust", "--format", "html", "--out", str(out)]) == 1
    assert "0 built, 0 unchanged, 3 up to date, 1 failed" in capsys.readouterr().out
    # forced: built again, the same bytes, nothing rewritten
    assert main(["build", str(folder), "--for-each", "trust", "--format", "html", "--out", str(out), "--force"]) == 1
    assert "0 built, 3 unchanged, 0 up to date, 1 failed" in capsys.readouterr().out


@pytest.mark.expect_warnings
def test_a_bad_row_fails_its_trust_alone(tmp_path, capsys):
    from reportgen.cli import main

    folder = copy_fixture(tmp_path)
    path = folder / "national-results.csv"
    path.write_text(
        path.read_text().replace("CCC,Gamma Trust,true,2025,Q7,120,8.0,", "CCC,Gamma Trust,true,2025,Q7,120,80,")
    )
    assert main(["build", str(folder), "--for-each", "trust", "--format", "html", "--out", str(tmp_path / "o")]) == 1
    out = capsys.readouterr().out
    assert "3 built, 0 unchanged, 0 up to date, 1 failed" in out
    assert "CCC: failed — " in out and "national-results.csv:19: score: 80 is outside 0–10" in out


def test_batch_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        result = build_batch(
            FIXTURE,
            BuildRequest(formats=["html"], out_dir=tmp_path),
            axis="trust",
            scheduler=cluster.scheduler_address,
        )
    assert [(r.value, r.outcome) for r in result.results] == [
        (code, Outcome.BUILT) for code in ("AAA", "BBB", "CCC", "DDD")
    ]


def test_for_each_on_a_publication_without_data_is_refused(capsys):
    from reportgen.cli import main

    assert main(["build", str(Path(__file__).parent / "fixtures" / "letter"), "--for-each", "trust"]) == 2
    assert "no data table to build for each trust" in capsys.readouterr().err
