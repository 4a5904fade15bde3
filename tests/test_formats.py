"""reportgen.formats: the registry. A toy format, registered here, reaches every command without other edits."""

from __future__ import annotations

import pytest

from conftest import LETTER, LETTER_ID, web_server
from reportgen import formats
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest, default_formats
from reportgen.cli import main
from reportgen.content import walk


def plain_text(source: formats.EditionSource) -> bytes:
    """Every text a reader reads, one per line: enough to show a format is one function."""
    return "\n".join(item.text for item in walk.texts(source.report) if item.prose).encode("utf-8") + b"\n"


@pytest.fixture
def toy_format():
    saved = dict(formats.FORMATS)  # the toy stands in for the real txt format: put the registry back after
    fmt = formats.register(
        formats.OutputFormat(
            "txt", "Plain text", "plain text, one line per passage", "text/plain; charset=utf-8", plain_text
        )
    )
    yield fmt
    formats.FORMATS.clear()
    formats.FORMATS.update(saved)


@pytest.fixture
def letter(tmp_path):
    import shutil

    folder = tmp_path / LETTER_ID
    shutil.copytree(LETTER, folder)
    return folder


def test_the_built_in_formats():
    assert list(formats.FORMATS)[:2] == ["html", "pdf"]
    assert default_formats() == ("html", "pdf")
    assert formats.get("pdf").archived and not formats.get("html").archived
    assert formats.output_name("x", "ar", "pdf", "RT5") == "x.RT5.ar.pdf"
    with pytest.raises(KeyError, match="choose from: html, pdf"):
        formats.get("docx")


def test_a_toy_format_appears_in_the_build_help(toy_format, capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "txt: plain text, one line per passage" in help_text and "(default: html,pdf)" in help_text


def test_a_toy_format_builds_and_its_stamps_skip_it_next_time(toy_format, letter, tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(letter), "--format", "txt", "--out", str(out)]) == 0
    made = out / LETTER_ID / f"{LETTER_ID}.en-GB.txt"
    text = made.read_text(encoding="utf-8")
    assert "Dear" in text or len(text.splitlines()) > 3
    again = build_report(letter, BuildRequest(formats=["txt"], out_dir=out))
    assert [(o.format, o.skipped) for o in again.outputs] == [("txt", True)]
    (letter / "report.yaml").write_text((letter / "report.yaml").read_text() + "\n# changed\n")
    changed = build_report(letter, BuildRequest(formats=["txt"], out_dir=out))
    assert [(o.format, o.skipped, o.reason) for o in changed.outputs] == [("txt", False, "report.yaml changed")]


def test_a_toy_format_is_not_built_unless_asked(toy_format, letter, tmp_path):
    built = build_report(letter, BuildRequest(formats=["html"], out_dir=tmp_path / "out"))
    assert [o.format for o in built.outputs] == ["html"]
    assert "txt" not in default_formats()


def test_an_unknown_format_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit):
        main(["build", str(LETTER), "--format", "docx"])
    assert "choose from html, pdf" in capsys.readouterr().err


def test_the_web_app_lists_and_serves_a_toy_format(toy_format, tmp_path):
    import urllib.request

    with web_server(tmp_path) as (base, config):
        build_report(config.data_dir / LETTER_ID, BuildRequest(formats=["txt"], out_dir=config.out_dir))
        with urllib.request.urlopen(f"{base}/reports/{LETTER_ID}", timeout=60) as response:
            page = response.read().decode()
        assert f'href="/reports/{LETTER_ID}/out/en-GB.txt">Plain text' in page
        with urllib.request.urlopen(f"{base}/reports/{LETTER_ID}/out/en-GB.txt", timeout=60) as response:
            assert response.headers["content-type"].startswith("text/plain")
            body = response.read()
    assert body == (config.out_dir / LETTER_ID / f"{LETTER_ID}.en-GB.txt").read_bytes()
