"""reportgen.build: the frozen BuildRequest, the plan made before any work, and writes that are
all or nothing (a failing format or language leaves no partial files)."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from reportgen import formats
from reportgen.build.core import build_report
from reportgen.build.plan import plan
from reportgen.build.request import BuildRequest
from reportgen.errors import BuildError
from reportgen.settings import current

GLANCE = "annual-report-2024-25-at-a-glance"


def files_in(folder):
    """Every file under ``folder`` with its hash (the stamps included), to compare before and after."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- BuildRequest -------------------------------------------------------------------------


def test_a_request_is_frozen_and_normalised():
    request = BuildRequest(langs=["en-GB", "ar"], formats=["pdf"], out_dir="somewhere", variant={"trust": "RT5"})
    assert request.langs == ("en-GB", "ar") and request.formats == ("pdf",)
    assert request.out_dir.name == "somewhere" and request.variant == (("trust", "RT5"),)
    assert request.variant_map == {"trust": "RT5"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.force = True  # type: ignore[misc]
    changed = request.replace(force=True)
    assert changed.force and not request.force and changed.langs == request.langs
    assert hash(request) == hash(
        BuildRequest.of(langs=("en-GB", "ar"), formats=("pdf",), out_dir="somewhere", variant={"trust": "RT5"})
    )


def test_a_request_defaults_to_the_registry_and_the_settings():
    request = BuildRequest()
    assert request.format_names == ("html", "pdf")
    assert request.output_root == current().out_dir
    assert request.variant_map is None and request.jobs == 1


def test_an_unknown_format_is_refused_when_the_request_is_made():
    with pytest.raises(KeyError, match="unknown format 'docx' — choose from: html, pdf"):
        BuildRequest(formats=["html", "docx"])


# -- plan ---------------------------------------------------------------------------------


def test_a_plan_before_the_first_build_has_one_task_per_language(copy_sample, tmp_path):
    folder = copy_sample(GLANCE)
    request = BuildRequest(langs=["en-GB", "ar", "pl"], formats=["html"], out_dir=tmp_path / "out")
    first = plan(folder, request)
    assert first.report_id == GLANCE and first.langs == ["en-GB", "ar", "pl"]
    assert not first.up_to_date
    assert [(t.lang, t.formats) for t in first.tasks()] == [("en-GB", ("html",)), ("ar", ("html",)), ("pl", ("html",))]
    assert first.path("ar", "html") == tmp_path / "out" / GLANCE / f"{GLANCE}.ar.html"
    assert not (tmp_path / "out").exists(), "planning writes nothing"
    build_report(folder, request)
    again = plan(folder, request)
    assert again.up_to_date and again.tasks() == []
    forced = plan(folder, request.replace(force=True))
    assert not forced.up_to_date and len(forced.tasks()) == 3


# -- all or nothing -----------------------------------------------------------------------


def fails_in_arabic(source: formats.EditionSource) -> bytes:
    if source.lang == "ar":
        raise ValueError("this toy format cannot do Arabic")
    return b"fine\n"


@pytest.fixture
def failing_format():
    yield formats.register(formats.OutputFormat("fails", "Failing", "fails in Arabic", "text/plain", fails_in_arabic))
    formats.unregister("fails")


@pytest.mark.expect_warnings
def test_a_failing_format_leaves_no_partial_files(failing_format, copy_sample, tmp_path):
    folder = copy_sample(GLANCE)
    out = tmp_path / "out"
    request = BuildRequest(langs=["en-GB", "ar"], formats=["html", "fails"], out_dir=out)
    with pytest.raises(BuildError, match=r"\(ar\): internal error \(ValueError: this toy format cannot do Arabic\)"):
        build_report(folder, request)
    assert files_in(out) == {}, "the English HTML and toy file were made, but must not be written"


@pytest.mark.expect_warnings
def test_a_failed_rebuild_keeps_every_earlier_file_as_it_was(failing_format, copy_sample, tmp_path):
    folder = copy_sample(GLANCE)
    out = tmp_path / "out"
    build_report(folder, BuildRequest(langs=["en-GB", "ar"], formats=["html"], out_dir=out))
    before = files_in(out)
    assert f"{GLANCE}/{GLANCE}.en-GB.html" in before and f"{GLANCE}/{GLANCE}.ar.html" in before
    report = folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(BuildError):
        build_report(folder, BuildRequest(langs=["en-GB", "ar"], formats=["html", "fails"], out_dir=out))
    assert files_in(out) == before
