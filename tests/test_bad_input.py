"""Bad input: one fixture folder per failure reason (tests/fixtures/bad/*).

Each must give exit status 2, a short error naming file, line and field as expected.txt
says, no traceback, and no output file written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main

BAD = sorted((Path(__file__).parent / "fixtures" / "bad").iterdir())


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_input_is_refused_clearly(case, tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["build", str(case), "--out", str(out)])
    captured = capsys.readouterr()
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip()
    assert status == 2
    assert expected in captured.err, captured.err
    assert "Traceback" not in captured.err + captured.out
    assert len(captured.err.splitlines()) <= 4, "the error should be short"
    assert not out.exists() or not any(out.rglob("*")), "nothing may be written"


def test_every_problem_is_reported_together(tmp_path, capsys):
    folder = tmp_path / "two-problems"
    folder.mkdir()
    source = (Path(__file__).parent / "fixtures" / "bad" / "missing-alt" / "report.yaml").read_text()
    (folder / "report.yaml").write_text(source.replace("published: 2025-07-24", "published: soon"))
    (folder / "picture.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "published: expected a date" in err and "alt is missing" in err


def test_a_thousand_problems_are_counted_not_all_printed(tmp_path, capsys):
    """A file with a thousand mistakes says so in a screenful: the first 50, then how many more."""
    folder = tmp_path / "many"
    folder.mkdir()
    source = (Path(__file__).parent / "fixtures" / "bad" / "not-a-number" / "report.yaml").read_text()
    items = "".join(f"          - {{value: lots, label: figure {i}}}\n" for i in range(1000))
    head, _ = source.split("          - {value: .nan", 1)
    (folder / "report.yaml").write_text(head + items)
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 + 50 + 1, lines[:3]
    assert lines[-1] == "  … and 950 more problems like these (fix the ones above first, then try again)"
    assert "figure" not in lines[-1] and "items[49].value" in lines[-2]
