"""The command line a comms officer uses: help, build, and errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import DATA, ROOT
from reportgen.cli import main


def test_help_explains_the_build_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "REPORT_DIR" in out and "--lang" in out and "--format" in out and "--out" in out


def test_unknown_format_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(DATA / "annual-report-summary-2024-25"), "--format", "docx"])
    assert exit_info.value.code == 2
    assert "choose from html, pdf" in capsys.readouterr().err


def test_a_language_without_translation_is_refused(tmp_path, capsys):
    status = main(["build", str(DATA / "annual-report-summary-2024-25"), "--lang", "pl", "--out", str(tmp_path)])
    assert status == 2
    assert "no Polish (pl) translation" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_not_a_folder(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nowhere")]) == 2
    assert "not a publication folder" in capsys.readouterr().err


def test_python_dash_m_builds_html(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "build",
            str(DATA / "cqc-community-mental-health-news-2025"),
            "--format",
            "html",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    written = tmp_path / "cqc-community-mental-health-news-2025" / "cqc-community-mental-health-news-2025.en-GB.html"
    assert written.is_file() and str(written) in run.stdout


def test_a_reader_that_goes_away_is_not_reported_as_a_bug(tmp_path):
    """``reportgen build … | head``: the closed pipe stops the command quietly (141), with no
    "internal error, please report it", and the files were already written."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reportgen",
            "build",
            str(DATA / "cqc-community-mental-health-news-2025"),
            "--format",
            "html",
            "--out",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    process.stdout.close()  # before the command has printed anything
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert error == ""
    assert (
        tmp_path / "cqc-community-mental-health-news-2025" / "cqc-community-mental-health-news-2025.en-GB.html"
    ).is_file()


def test_format_all_means_every_registered_format():
    from reportgen.cli import _parser
    from reportgen.formats import FORMATS

    args = _parser().parse_args(["build", "somewhere", "--format", "all"])
    assert args.format == list(FORMATS)
    assert {"html", "pdf", "txt", "large-print"} <= set(args.format)
    assert _parser().parse_args(["build", "somewhere", "--format", "txt,pdf"]).format == ["txt", "pdf"]
