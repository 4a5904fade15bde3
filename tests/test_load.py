"""Reading report.yaml: libyaml's fast parser gives exactly what the pure-Python one gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.content import load

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(ROOT.glob("data/*/report.yaml")) + sorted(ROOT.glob("tests/fixtures/bad/*/report.yaml"))


@pytest.mark.skipif(load._FAST_LOADER is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_fast_and_pure_parsers_agree_on_data_lines_and_errors(path, monkeypatch):
    def parse():
        try:
            return load.parse_yaml(load.read_text_file(path, "report.yaml"), str(path))
        except load.InputError as exc:
            return str(exc)

    fast = parse()
    monkeypatch.setattr(load, "_FAST_LOADER", None)
    assert parse() == fast
