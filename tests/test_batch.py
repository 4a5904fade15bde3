"""reportgen.build.batch: one publication built for every value of its data (every trust), each
value's outcome said — built, unchanged, up to date or failed, and why — without stopping the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import LETTER
from reportgen.build.batch import BatchResult, Outcome, Task, VariantResult, build_batch, build_variant, variants_of
from reportgen.build.request import BuildRequest
from reportgen.errors import InputError

FIXTURE = Path(__file__).parent / "fixtures" / "survey"
TRUSTS = ["AAA", "BBB", "CCC", "DDD"]


@pytest.fixture
def survey(tmp_path):
    folder = tmp_path / "survey"
    shutil.copytree(FIXTURE, folder)
    return folder


def task(folder, value, out, **options):
    request = BuildRequest(formats=["html"], out_dir=out, variant=(("trust", value),), **options)
    return Task(str(folder), value, request)


def test_the_values_of_an_axis_come_from_the_data(survey):
    assert variants_of(survey, "trust") == ("survey-fixture", TRUSTS)


def test_a_publication_without_the_data_is_refused():
    with pytest.raises(InputError) as caught:
        build_batch(LETTER, BuildRequest(formats=["html"]), axis="trust")
    [problem] = caught.value.problems
    assert problem.message == (
        "this publication has no data table to build for each trust — "
        "--for-each works with publications that declare survey: data"
    )


def test_one_value_is_built_then_up_to_date_then_unchanged_when_forced(survey, tmp_path):
    out = tmp_path / "out"
    first = build_variant(task(survey, "CCC", out))
    path = str(out / "survey-fixture" / "survey-fixture.CCC.en-GB.html")
    assert first == VariantResult("CCC", Outcome.BUILT, (path,))
    again = build_variant(task(survey, "CCC", out))
    assert again == VariantResult("CCC", Outcome.UP_TO_DATE, (path,), "inputs unchanged since the last build")
    forced = build_variant(task(survey, "CCC", out, force=True))
    assert (forced.outcome, forced.files) == (Outcome.UNCHANGED, (path,))


def test_a_failing_value_says_why_and_never_raises(survey, tmp_path):
    trusts = survey / "trusts.csv"
    trusts.write_text(trusts.read_text().replace("BBB,Beta Trust,true,the survey lead,", "BBB,Beta Trust,true,,"))
    failed = build_variant(task(survey, "BBB", tmp_path / "out"))
    assert failed.outcome is Outcome.FAILED and failed.files == ()
    assert "trusts.csv:3: contact: trust BBB has no contact" in failed.reason
    unknown = build_variant(task(survey, "ZZZ", tmp_path / "out"))
    assert unknown.outcome is Outcome.FAILED and "ZZZ" in unknown.reason


def test_the_batch_reports_every_value_in_order_with_progress(survey, tmp_path):
    seen = []
    result = build_batch(
        survey,
        BuildRequest(formats=["html"], out_dir=tmp_path / "out", jobs=1),
        axis="trust",
        progress=lambda done, total, r: seen.append((done, total, r.value)),
    )
    assert isinstance(result, BatchResult) and (result.report_id, result.axis) == ("survey-fixture", "trust")
    assert [(r.value, r.outcome) for r in result.results] == [(t, Outcome.BUILT) for t in TRUSTS]
    assert [(done, total) for done, total, _ in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(value for *_, value in seen) == TRUSTS
    assert result.count(Outcome.BUILT) == 4 and result.failed == []
