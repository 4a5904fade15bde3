"""The large print PDF: PDF/UA-1 like the PDF, no text under 16 pt, no italics, tables not shrunk."""

from __future__ import annotations

import io
import math

import pikepdf
import pytest

from conftest import DATA
from reportgen import settings
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.check.outputs import run_checks
from reportgen.errors import BuildError
from reportgen.formats import output_name
from reportgen.formats.pdf.inspect import structure_text

GLANCE = DATA / "annual-report-2024-25-at-a-glance"
SUMMARY = DATA / "annual-report-summary-2024-25"


def _mul(a, b):
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def text_sizes(pdf: pikepdf.Pdf) -> list[tuple[float, int]]:
    """(size in pt as drawn, page number) of every text-showing operator, Form XObjects included.

    The size is the Tf size scaled by the text matrix and the CTM (their vertical scale).
    """
    found = []

    def walk(stream, resources, ctm, number):
        saved, tm, size = [], [1, 0, 0, 1, 0, 0], 0.0
        for operands, op in pikepdf.parse_content_stream(stream):
            op = str(op)
            if op == "q":
                saved.append(ctm)
            elif op == "Q":
                ctm = saved.pop()
            elif op == "cm":
                ctm = _mul([float(x) for x in operands], ctm)
            elif op == "BT":
                tm = [1, 0, 0, 1, 0, 0]
            elif op == "Tm":
                tm = [float(x) for x in operands]
            elif op == "Tf":
                size = float(operands[1])
            elif op in ("Tj", "TJ", "'", '"'):
                matrix = _mul(tm, ctm)
                found.append((size * math.hypot(matrix[2], matrix[3]), number))
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.Subtype == "/Form":
                    matrix = [float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources", resources), _mul(matrix, ctm), number)

    for number, page in enumerate(pdf.pages, 1):
        walk(page, page.Resources, [1, 0, 0, 1, 0, 0], number)
    return found


def font_names(pdf: pikepdf.Pdf) -> set[str]:
    names = set()
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            names.add(str(font.get("/BaseFont", "")))
    return names


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("large")
    glance = build_report(GLANCE, BuildRequest(out_dir=out, formats=("large-print",), langs=("en-GB", "ar")))
    summary = build_report(SUMMARY, BuildRequest(out_dir=out, formats=("large-print",)))
    return {(r.report_id, o.lang): o.path for r in (glance, summary) for o in r.outputs}


def test_file_name():
    assert output_name("x", "ar", "large-print") == "x.ar.large-print.pdf"


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_pdf_ua_like_the_pdf(built, lang):
    path = built[("annual-report-2024-25-at-a-glance", lang)]
    assert path.name == f"annual-report-2024-25-at-a-glance.{lang}.large-print.pdf"
    findings = run_checks({"large-print": path.read_bytes()}, "annual-report-2024-25-at-a-glance", lang)
    assert findings == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.MarkInfo.Marked
        assert all(float(page.MediaBox[2]) == pytest.approx(595.28, abs=0.5) for page in pdf.pages)  # A4


@pytest.mark.parametrize(
    "key",
    [
        ("annual-report-2024-25-at-a-glance", "en-GB"),
        ("annual-report-2024-25-at-a-glance", "ar"),
        ("annual-report-summary-2024-25", "en-GB"),
    ],
)
def test_no_text_under_16_pt_and_no_italics(built, key):
    with pikepdf.open(built[key]) as pdf:
        sizes = text_sizes(pdf)
        assert len(sizes) > 50
        small = [(round(size, 2), page) for size, page in sizes if size < 16 - 0.01]
        assert not small, small[:10]
        assert min(size for size, _ in sizes) == pytest.approx(18, abs=0.01)  # the default body size
        names = font_names(pdf)
        assert names
        assert not [n for n in names if "italic" in n.lower() or "oblique" in n.lower()], names


def test_a_wide_table_becomes_records_and_keeps_its_size(tmp_path):
    import shutil

    import yaml

    folder = tmp_path / "wide"
    shutil.copytree(DATA / "cqc-community-mental-health-news-2025", folder)
    data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    data["id"] = "wide"
    columns = [{"key": "service", "label": "Service", "row_header": True}]
    columns += [{"key": f"y{year}", "label": f"Waiting weeks {year}", "type": "number"} for year in range(2019, 2026)]
    rows = [
        {"service": f"Service {n}", **{f"y{year}": n * 10 + year - 2019 for year in range(2019, 2026)}} for n in (1, 2)
    ]
    data["blocks"].append({"type": "table", "caption": "Waiting times by year", "columns": columns, "rows": rows})
    (folder / "report.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build_report(folder, BuildRequest(out_dir=tmp_path / "out", formats=("large-print",)))
    data = result.outputs[0].path.read_bytes()
    assert run_checks({"large-print": data}, "wide", "en-GB") == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert min(size for size, _ in text_sizes(pdf)) == pytest.approx(18, abs=0.01)
    text = " ".join(structure_text(data).split())
    # one record per row: every cell with its column's label, in reading order
    assert "Service 2" in text and "Waiting weeks 2025" in text
    import subprocess

    page_text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode().split()
    )
    assert "Service: Service 1 Waiting weeks 2019: 10 Waiting weeks 2020: 11" in page_text


def test_size_setting(tmp_path, active_settings):
    from reportgen.formats.pdf.large_print import body_size

    with settings.use(active_settings.replace(large_print_pt=20.0)):
        assert body_size() == 20.0
        result = build_report(GLANCE, BuildRequest(out_dir=tmp_path, formats=("large-print",)))
        with pikepdf.open(io.BytesIO(result.outputs[0].path.read_bytes())) as pdf:
            assert min(size for size, _ in text_sizes(pdf)) == pytest.approx(20, abs=0.01)
    for bad, words in ((14.0, "at least 16 pt"), ("big", "as a number of points")):
        with settings.use(active_settings.replace(large_print_pt=bad)):
            with pytest.raises(BuildError, match=words):
                body_size()


def test_a_picture_with_small_lettering_is_given_as_its_words(built):
    from reportgen.formats.pdf.large_print import smallest_lettering

    assert smallest_lettering(SUMMARY / "step-up-to-great-goals.svg") == pytest.approx(19 * 504.57 / 640, abs=0.05)
    text = " ".join(structure_text(built[("annual-report-summary-2024-25", "en-GB")].read_bytes()).split())
    assert "Step up to Great has four goals: great outcomes, great care" in text


def test_the_size_setting_is_stamped_so_a_change_rebuilds(active_settings):
    from reportgen.build.stamps import edition_inputs

    def inputs(fmt):
        options = dict(lang="en-GB", report_id="x", source_language="en-GB", variant=None, allow_partial=False)
        return edition_inputs({}, fmt=fmt, **options)

    with settings.use(active_settings.replace(large_print_pt=20.0)):
        assert inputs("large-print")["setting/large_print_pt"] == "20.0"
        assert "setting/large_print_pt" not in inputs("pdf")  # the PDF does not depend on it


SURVEY = DATA / "cmh-survey-2025"


@pytest.fixture(scope="module")
def survey_large(tmp_path_factory):
    out = tmp_path_factory.mktemp("survey-large")
    (output,) = build_report(SURVEY, BuildRequest(out_dir=out, formats=("large-print",))).outputs
    return output.path


def test_survey_charts_are_drawn_again_with_large_lettering(survey_large):
    """Charts are not hidden in large print: they are drawn with their lettering at the body size."""
    import subprocess

    data = survey_large.read_bytes()
    assert run_checks({"large-print": data}, "cmh-survey-2025", "en-GB") == []
    with pikepdf.open(survey_large) as pdf:
        sizes = text_sizes(pdf)
    small = [(round(size, 2), page) for size, page in sizes if size < 16 - 0.01]
    assert not small, small[:10]
    text = subprocess.run(["pdftotext", str(survey_large), "-"], capture_output=True, text=True, check=True).stdout
    # the words only the pictures carry: range charts' legends, trend charts' legends
    assert text.count("(- - -)") > 60
    assert "Range 7.6–9.3" in text


def test_a_chart_lettered_for_large_print_keeps_its_data_and_its_smallest_text_at_the_size():
    from reportgen.formats.pdf.large_print import CONTENT_WIDTH_PT, FONT_SIZE, SVG_WIDTH
    from reportgen.render import charts

    for chart in (
        charts.range_chart(title="Q1", score=4.9, average=6.1, lowest=2.0, highest=9.5, band="somewhat_worse"),
        charts.trend_chart(title="Q2", years=[2023, 2024, 2025], trust=[6.0, None, 7.1], average=[6.5, 6.6, 6.4]),
    ):
        large = chart.lettered(18, CONTENT_WIDTH_PT)
        assert large.alt == chart.alt and large.table == chart.table
        width = float(SVG_WIDTH.search(large.svg).group(1))
        smallest = min(float(size) for size in FONT_SIZE.findall(large.svg)) * CONTENT_WIDTH_PT / width
        assert smallest == pytest.approx(18, abs=0.1)
        before = min(float(size) for size in FONT_SIZE.findall(chart.svg)) * CONTENT_WIDTH_PT / width
        assert before < 16  # why large print needs it
        assert chart.lettered(before, CONTENT_WIDTH_PT) is chart  # already large enough: unchanged
