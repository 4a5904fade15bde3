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
    row = {"reportgen": summary, "plain": {"wall": 4.0, "cpu": 4.0, "rss_mb": 90.0},
           "chromium": {"wall": 0.5, "cpu": 1.0, "rss_mb": 900.0}}
    assert bench.ratios(row) == {"reportgen/plain": 0.5, "reportgen/chromium": 4.0}
    assert bench.ratios({"reportgen": summary}) == {"reportgen/plain": None, "reportgen/chromium": None}
    table = bench.format_table({"summary bn": row}, ("reportgen", "plain", "chromium"))
    last = table.splitlines()[-1]
    assert last.startswith("summary bn") and "2.00/1.00, 102" in last and "0.50" in last and "4.00" in last


def test_synthetic_publication_is_valid(bench, tmp_path):
    from reportgen.model import load_report

    report, _ = load_report(bench.long_publication(tmp_path, 4))
    assert len(report.sections) == 2
    report, _ = load_report(bench.multiscript_publication(tmp_path))
    assert {block.lang for block in report.sections[1].blocks} >= {"bn", "ur", "zh-Hant"}
