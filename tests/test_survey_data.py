"""reportgen.survey.data: the national survey table loaded into checked frames — types, order,
every problem of every file together, and a bad row left out as its own trust's problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.survey.data import load_survey

FIXTURE = Path(__file__).parent / "fixtures" / "survey"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "survey"
    shutil.copytree(FIXTURE, target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_table_is_typed_and_in_questionnaire_order():
    survey = load_survey(FIXTURE)
    assert list(survey.questions["question_id"])[:4] == ["Q6", "Q7", "Q9", "Q13"]
    assert list(survey.questions["order"]) == list(range(len(survey.questions)))
    assert str(survey.results["year"].dtype) == "int64" and str(survey.results["respondents"].dtype) == "int64"
    assert survey.results["synthetic"].dtype == bool
    assert survey.trust_name("AAA") == "Alpha Trust"
    assert survey.is_synthetic("BBB") and not survey.is_synthetic("AAA")
    assert survey.problems == {}
    first = survey.results.iloc[0]
    assert (first["trust_code"], first["question_id"], first["score"]) == ("AAA", "Q6", 6.25)


def test_problems_in_several_files_are_reported_together(folder):
    replace(folder / "questions.csv", "1,Support while waiting,Q7,", "1,Support when waiting,Q7,")
    replace(folder / "section-bands.csv", "AAA,2025,2,somewhat_worse", "AAA,2025,2,terrible")
    with pytest.raises(InputError, match="2 problem\\(s\\) in the survey data — nothing was built") as caught:
        load_survey(folder)
    said = sorted(str(p) for p in caught.value.problems)
    assert any("questions.csv" in s and "section: section 1 has more than one name" in s for s in said), said
    assert any("section-bands.csv:3: band: unknown band 'terrible'" in s for s in said), said


@pytest.mark.expect_warnings
def test_a_bad_row_is_left_out_and_only_its_trust_has_the_problem(folder):
    replace(
        folder / "national-results.csv", "AAA,Alpha Trust,false,2025,Q7,30,7.0,", "AAA,Alpha Trust,false,2025,Q7,30,70,"
    )
    survey = load_survey(folder)
    assert list(survey.problems) == ["AAA"]
    [problem] = survey.problems["AAA"]
    assert (problem.line, problem.pointer) == (3, "score") and "70 is outside 0–10" in problem.message
    aaa = survey.results[survey.results["trust_code"] == "AAA"]
    assert ("Q7", 2025) not in set(zip(aaa["question_id"], aaa["year"], strict=True))
    assert ("Q6", 2025) in set(zip(aaa["question_id"], aaa["year"], strict=True))
    assert len(survey.results) == len(load_survey(FIXTURE).results) - 1


def test_the_files_can_have_other_names(folder):
    (folder / "national-results.csv").rename(folder / "results-2025.csv")
    with pytest.raises(InputError):
        load_survey(folder)
    survey = load_survey(folder, {"results": "results-2025.csv"})
    assert survey.trust_name("CCC") == "Gamma Trust"


def test_a_row_with_an_extra_cell_is_refused_not_shifted(folder):
    """pandas would take the first cell as an index and shift every value one column along."""
    replace(
        folder / "national-results.csv",
        "AAA,Alpha Trust,false,2025,Q7,30,7.0,",
        "AAA,Alpha Trust,false,2025,Q7,30,7.0,,",
    )
    with pytest.raises(InputError) as caught:
        load_survey(folder)
    [problem] = [p for p in caught.value.problems if "national-results.csv" in str(p)]
    assert problem.line == 3 and "more cells than columns" in problem.message, str(problem)
