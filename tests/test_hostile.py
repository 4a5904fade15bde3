"""Hostile input (issue 14): every attack ends quickly in a clear error, or in a correct build."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from babel.messages.pofile import read_po, write_po

from conftest import DATA
from reportgen.cli import main
from reportgen.i18n import catalogs

GLANCE = DATA / "annual-report-2024-25-at-a-glance"
SCRIPT = "<script>alert('ui.po')</script>"


def snapshot(folder):
    return {
        p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def reportgen(*args, env=None, timeout=60):
    """Run reportgen as the comms team would, with a generous time bound."""
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def returned_ui_po(tmp_path, translations: dict[str, str]):
    """A returned ui.po for Polish: the current catalog with some translations changed."""
    catalog = read_po(catalogs.po_path("pl", "ui").open("rb"))
    catalog.project = "ui"
    for msgid, text in translations.items():
        catalog[msgid].string = text
    path = tmp_path / "returned.pl.po"
    with path.open("wb") as out:
        write_po(out, catalog)
    return path


def test_ui_translation_with_a_script_is_refused_naming_file_line_and_message(tmp_path, translations, capsys):
    before = snapshot(translations)
    path = returned_ui_po(tmp_path, {"Skip to main content": SCRIPT})
    assert main(["translate", "import", str(path)]) == 2
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text == 'msgid "Skip to main content"')
    assert "returned.pl.po" in err
    assert f":{line}" in err, err
    assert "'Skip to main content'" in err
    assert "contains markup" in err
    assert snapshot(translations) == before


def test_ui_translation_with_a_foreign_placeholder_is_refused(tmp_path, translations, capsys):
    before = snapshot(translations)
    path = returned_ui_po(tmp_path, {"Website:": "Strona %s %(secret)s:"})
    assert main(["translate", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "%(secret)s" in err and "'Website:'" in err
    assert snapshot(translations) == before


def test_markup_already_in_a_catalog_is_shown_as_text_and_100_percent_builds(tmp_path, translations):
    """A catalog edited by hand (not imported) still cannot put markup into a page; a literal %
    in a translation is a percent sign, not a crash."""
    po = translations / "pl" / "LC_MESSAGES" / "ui.po"
    catalog = read_po(po.open("rb"))
    catalog["Skip to main content"].string = SCRIPT + " 100%"
    catalog["Website:"].string = '" onmouseover="alert(1)'
    with po.open("wb") as out:
        write_po(out, catalog)
    out = tmp_path / "out"
    run = reportgen("build", str(GLANCE), "--lang", "pl", "--format", "html", "--out", str(out))
    assert run.returncode == 0, run.stderr
    page = next(out.rglob("*.pl.html")).read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;ui.po&#39;)&lt;/script&gt; 100%" in page
    assert 'onmouseover="' not in page
