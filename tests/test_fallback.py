"""Missing translations: fail by default; --allow-partial shows English, tagged as English."""

from __future__ import annotations

import pikepdf
import pytest
from babel.messages.pofile import read_po

from conftest import DATA
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.cli import main
from reportgen.formats.pdf import inspect
from reportgen.i18n import catalogs

SUMMARY = DATA / "annual-report-2024-25-at-a-glance"
SUMMARY_ID = "annual-report-2024-25-at-a-glance"
MISSING = "The full report and other formats"


@pytest.fixture
def partial_polish(translations):
    """Polish catalogs where every text is 'translated' except one section heading."""
    for domain in ("ui", SUMMARY_ID):
        path = catalogs.po_path("pl", domain)
        catalog = read_po(path.open("rb"), locale="pl")
        for message in catalog:
            if not message.id:
                continue
            if domain == "ui":
                if isinstance(message.id, (list, tuple)):
                    message.string = (
                        message.string if all(message.string) else (message.id[0], message.id[1], message.id[1])
                    )
                else:
                    message.string = message.string or message.id
            else:
                message.string = "" if message.id == MISSING else (message.string or f"PL {message.id}")
        catalogs.pin_plural_forms(catalog, "pl")
        catalogs.write_catalog(catalog, path)
    return translations


def test_missing_passages_fail_the_build_by_default(partial_polish, tmp_path, capsys):
    assert main(["build", str(SUMMARY), "--lang", "pl", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "1 passage(s) have no Polish (pl) translation" in err
    line = next(n for n, text in enumerate((SUMMARY / "report.yaml").read_text().splitlines(), 1) if MISSING in text)
    assert f"report.yaml:{line}: sections[3].title: not translated into Polish: '{MISSING}'" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.expect_warnings
def test_allow_partial_shows_english_tagged_as_english(partial_polish, tmp_path):
    result = build_report(
        SUMMARY, BuildRequest(langs=["pl"], formats=["html", "pdf"], out_dir=tmp_path, allow_partial=True)
    )
    assert result.untranslated == {"pl": (MISSING,)}
    html = next(o.path for o in result.outputs if o.format == "html").read_text(encoding="utf-8")
    assert f'<span lang="en-GB" dir="ltr">{MISSING}</span>' in html
    assert 'class="translation-notice"' in html
    pdf_path = next(o.path for o in result.outputs if o.format == "pdf")
    tagged = [e for e in inspect.elements(pdf_path) if e.lang == "en-GB" and e.text.strip() == MISSING]
    assert tagged, "the English heading is a structure element with /Lang en-GB"
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.Root.Lang) == "pl"


def test_incomplete_page_furniture_is_refused(tmp_path, translations, capsys):
    path = catalogs.po_path("so", "ui")
    catalog = read_po(path.open("rb"), locale="so")
    for message in catalog:  # complete, but for one label
        if message.id and not isinstance(message.id, (list, tuple)):
            message.string = message.string or message.id
        elif message.id:
            message.string = tuple(s or message.id[0] for s in message.string)
    catalog.get("Contents").string = ""
    catalogs.write_catalog(catalog, path)
    assert main(["build", str(SUMMARY), "--lang", "so", "--allow-partial", "--out", str(tmp_path / "o")]) == 2
    assert "of reportgen's own labels are not translated into Somali (so), e.g. 'Contents'" in capsys.readouterr().err
