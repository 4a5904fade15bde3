"""The benchmark's helpers on fake numbers (timings are never asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_medians_ratios_and_table(bench):
    fake = [{"wall": w, "cpu": w / 2, "rss_mb": 100 + w, "pages": 2} for w in (3.0, 1.0, 2.0)]
    summary = bench.summarise(fake)
    assert summary == {"wall": 2.0, "cpu": 1.0, "rss_mb": 102.0, "reps": 3, "pages": 2}
    row = {
        "reportgen": summary,
        "plain": {"wall": 4.0, "cpu": 4.0, "rss_mb": 90.0},
        "chromium": {"wall": 0.5, "cpu": 1.0, "rss_mb": 900.0},
    }
    assert bench.ratios(row) == {"reportgen/plain": 0.5, "reportgen/chromium": 4.0}
    assert bench.ratios({"reportgen": summary}) == {"reportgen/plain": None, "reportgen/chromium": None}
    table = bench.format_table({"summary bn": row}, ("reportgen", "plain", "chromium"))
    last = table.splitlines()[-1]
    assert last.startswith("summary bn") and "2.00/1.00, 102" in last and "0.50" in last and "4.00" in last


def test_synthetic_publication_is_valid(bench, tmp_path):
    from reportgen.content.model import load_report

    report, _ = load_report(bench.long_publication(tmp_path, 4))
    assert len(report.sections) == 2
    report, _ = load_report(bench.multiscript_publication(tmp_path))
    assert {block.lang for block in report.sections[1].blocks} >= {"bn", "ur", "zh-Hant"}


def _rebuild_row(bench, serial, parallel, noop, command, peak):
    def sample(wall, mb=100.0):
        return {
            "wall": wall,
            "cpu": wall,
            "rss_mb": mb,
            "pages": None,
            "reps": 1,
            "files": 20,
            "skipped": 0,
            "errors": [],
        }

    row = {
        "serial": sample(serial),
        "parallel": sample(parallel, peak),
        "no-op": sample(noop),
        "no-op command": sample(command),
        "jobs": 2,
    }
    row["speed-up"] = bench.ratio(serial, parallel)
    row["no-op share"] = bench.ratio(noop, parallel)
    row["no-op command share"] = bench.ratio(command, parallel)
    return row


def test_targets_are_judged_from_the_numbers(bench):
    rows = {
        "summary ar": {"ratios": {"reportgen/plain": 0.9, "reportgen/chromium": 1.5}},
        "annual summary en-GB": {"ratios": {"reportgen/plain": 1.2, "reportgen/chromium": 3.5}},
        "survey RT5": {"ratios": {"reportgen/plain": 0.7, "reportgen/chromium": 4.5}},
        "nine scripts en-GB": {"ratios": {"reportgen/plain": 3.0, "reportgen/chromium": 9.0}},
    }
    rebuilds = {"ten locales": _rebuild_row(bench, 10.0, 5.5, 0.2, 0.6, 450.0)}
    scaling = {"30": {"wall_per_page": 0.10}, "120": {"wall_per_page": 0.11}, "240": {"wall_per_page": 0.13}}
    batches = {1: {"trusts": 50, "wall": 150.0, "rss_mb": 300.0}, 2: {"trusts": 50, "wall": 90.0, "rss_mb": 650.0}}
    starts = {"tiny build": 1.2, "help": 0.45, "reps": 5}
    verdicts = {v["target"]: v for v in bench.targets(rows, rebuilds, batches, scaling, starts)}
    every = verdicts["every sample's PDF: no slower than plain WeasyPrint (reportgen/plain <= 1)"]
    assert not every["met"] and every["measured"] == "worst 1.20 (annual summary en-GB)", "nine scripts is no sample"
    assert verdicts["survey report: at most 0.75 of plain WeasyPrint (reportgen/plain <= 0.75)"]["met"]
    chrome = verdicts["survey report: at most 4x warm Chromium (reportgen/chromium <= 4)"]
    assert not chrome["met"] and "4.50 (survey RT5)" in chrome["measured"]
    assert verdicts["annual summary: at most 4x warm Chromium (reportgen/chromium <= 4)"]["met"]
    assert verdicts["tiny publication, cold reportgen build <= 1.5 s"]["met"]
    assert not verdicts["reportgen --help <= 0.3 s"]["met"]
    batch = verdicts["survey batch: <= 2.0 s a trust on every core"]
    assert batch["met"] and batch["measured"] == "1.80 s a trust with 2 workers", "judged on every core"
    noop = verdicts["ten locales: a rebuild with nothing changed <= 5% of a full build (the command)"]
    assert not noop["met"] and noop["measured"] == "10.9% (in the library: 3.6%)", "the command is what people run"
    memory = verdicts["peak memory per worker <= 600 MB"]
    assert not memory["met"] and memory["measured"] == "650 MB", "the batch's worker counts"
    flat = verdicts["time per page flat (+-20%) from 30 to 240 pages"]
    assert flat["met"] and "18%" in flat["measured"]  # (0.13 - 0.11) / 0.11
    slow = bench.targets({}, {"x": _rebuild_row(bench, 10.0, 8.0, 1.0, 1.0, 100.0)}, {}, {})
    assert [v["met"] for v in slow] == [False, True]


def test_rebuild_table(bench):
    table = bench.format_rebuilds({"summary, ten locales": _rebuild_row(bench, 10.0, 5.0, 0.25, 0.5, 300.0)})
    last = table.splitlines()[-1]
    assert last.startswith("summary, ten locales") and "2.00" in last and "5.0%" in last and "300" in last


def test_markdown_report(bench):
    result = {
        "machine": {
            "cpus": 2,
            "cpu_model": "Test CPU",
            "ram_gb": 24,
            "platform": "Linux",
            "python": "3.11",
            "weasyprint": "70.0",
            "load_average": [0.1, 0.2, 0.3],
        },
        "reps": 3,
        "weasyprint_subsetter": "default",
        "minutes": 12.5,
        "documents": {
            "summary ar": {
                "reportgen": {"wall": 0.5, "pages": 3},
                "plain": {"wall": 0.25, "pages": 3},
                "ratios": {"reportgen/plain": 2.0, "reportgen/chromium": None},
            }
        },
        "rebuilds": {"ten locales": _rebuild_row(bench, 10.0, 5.0, 0.1, 0.4, 200.0)},
        "survey_batches": {
            "1": {"trusts": 50, "wall": 150.0, "cpu": 145.0, "rss_mb": 260.0, "failed": []},
            "2": {"trusts": 50, "wall": 90.0, "cpu": 170.0, "rss_mb": 270.0, "failed": []},
        },
        "startup": {"tiny build": 0.81, "help": 0.05, "reps": 5},
        "scaling": {"30": {"pages": 25, "wall": 2.5, "wall_per_page": 0.1, "rss_mb": 130.0}},
        "targets": [{"target": "t", "measured": "m", "met": False}],
    }
    text = bench.markdown_report(result)
    assert "2 CPUs (Test CPU), 24 GB RAM" in text and "Medians of 3 runs" in text
    assert "| summary ar | 3 | 0.50 | 0.25 | 2.00 | - |" in text
    assert "| ten locales | 20 | 10.00 | 5.00 | 2.00× | 0.10 (2.0%) | 0.40 (8.0%) | 200 |" in text
    assert "| 1 worker(s) | 150 | 3.00 | 260 | 0 |" in text and "| 2 worker(s) | 90 | 1.80 | 270 | 0 |" in text
    assert "cold `reportgen build` (HTML and PDF) 0.81 s; `reportgen --help` 0.05 s" in text
    assert "| 25 | 2.50 | 100 | 130 |" in text and "| t | m | **no** |" in text


def test_the_cycle_collector_is_paused_only_while_a_pdf_is_made():
    """The PDF stage pauses Python's cycle collector (docs/speed.md) and always gives it back."""
    import gc

    from reportgen.formats.pdf import _collector_paused

    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), _collector_paused():
        raise RuntimeError("a layout that fails")
    assert gc.isenabled()  # given back after a failure too
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()  # a caller that paused it itself keeps it paused
    finally:
        gc.enable()


def test_making_a_pdf_pauses_the_collector(monkeypatch):
    import contextlib
    import gc

    import reportgen.formats.pdf as pdf

    seen = []

    @contextlib.contextmanager
    def watching():
        with pdf.__dict__["_paused_for_test"]():
            seen.append(gc.isenabled())
            yield

    monkeypatch.setitem(pdf.__dict__, "_paused_for_test", pdf._collector_paused)
    monkeypatch.setattr(pdf, "_collector_paused", watching)
    html = '<html lang="en-GB"><head><title>t</title></head><body><h1>Hello</h1><p>Text.</p></body></html>'
    assert pdf.html_to_pdf(html, base_url="file:///tmp/", title="t", lang="en-GB").startswith(b"%PDF")
    assert seen == [False, False]  # layout and drawing, then the structure repair
    assert gc.isenabled()
