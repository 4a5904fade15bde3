"""The archival PDF: PDF/A-3a and PDF/UA-1 in one file, its sources inside, reproducible.

Built once per module: the English summary edition (31 pages, ~5 s) and the Arabic
at-a-glance edition (a translated, right-to-left language, with catalogs embedded).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import page
import pikepdf
import pytest

from reportgen.archive.publish import make_archival_edition
from reportgen.content.model import load_report

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = {
    "summary-en": ("annual-report-summary-2024-25", "en-GB"),
    "glance-ar": ("annual-report-2024-25-at-a-glance", "ar"),
}


@pytest.fixture(scope="module")
def archival(tmp_path_factory):
    """{name: (pdf path, source folder, lang)} for each edition, made archival."""
    out = tmp_path_factory.mktemp("archival")
    made = {}
    for name, (report_id, lang) in EDITIONS.items():
        folder = ROOT / "data" / report_id
        report, raw = load_report(folder)
        _edition, pdf, _digest, _pages = make_archival_edition(report, raw, lang)
        path = out / f"{name}.pdf"
        path.write_bytes(pdf)
        made[name] = (path, folder, lang)
    return made


@pytest.mark.parametrize("name", EDITIONS)
@pytest.mark.parametrize("profile", ["PDF_A_3A", "ua1"])
def test_archival_pdf_passes_pdfa3a_and_pdfua1(archival, name, profile):
    report = page.validate_pdf(str(archival[name][0]), profile=profile)
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


@pytest.mark.parametrize("name", EDITIONS)
def test_sources_are_embedded_as_associated_files(archival, name):
    path, folder, lang = archival[name]
    with pikepdf.open(path) as pdf:
        specs = list(pdf.Root.AF)
        names = [str(spec.UF) for spec in specs]
        assert "report.yaml" in names
        for spec in specs:
            assert spec.Type == pikepdf.Name.Filespec and str(spec.F) == str(spec.UF)
            assert spec.AFRelationship in (pikepdf.Name.Source, pikepdf.Name.Data)
            assert "/Subtype" in spec.EF.F and "/ModDate" in spec.EF.F.Params
        embedded = {str(spec.UF): spec.EF.F.read_bytes() for spec in specs}
        assert dict(pdf.attachments.items()).keys() == embedded.keys()  # the name tree lists the same files
    assert embedded["report.yaml"] == (folder / "report.yaml").read_bytes()
    for csv in folder.glob("*.csv"):
        assert embedded[csv.name] == csv.read_bytes()
    catalogs = [n for n in embedded if n.startswith("translations/")]
    if lang == "en-GB":
        assert catalogs == []
    else:
        assert sorted(catalogs) == [
            f"translations/{lang}/LC_MESSAGES/{folder.name}.po",
            f"translations/{lang}/LC_MESSAGES/ui.po",
        ]


@pytest.mark.parametrize("name", EDITIONS)
def test_title_language_tags_and_identification_survive(archival, name):
    path, folder, lang = archival[name]
    report, _raw = load_report(folder)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert pdf.Root.OutputIntents[0].S == pikepdf.Name.GTS_PDFA1
        title = str(pdf.docinfo.Title)
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "A"
            assert xmp["pdfuaid:part"] == "1"
            assert set(xmp["dc:language"]) == {lang}
            assert xmp["xmp:CreateDate"].startswith(report.published.isoformat())
    if lang == "en-GB":
        assert title == report.title


def test_builds_are_reproducible_across_processes(tmp_path):
    """Same input, two fresh processes with different hash seeds: byte-identical PDFs."""
    script = (
        "import sys, hashlib; from reportgen.content.model import load_report; "
        "from reportgen.build.edition import build_edition; from reportgen.archive.publish import make_archival_edition; "
        "report, raw = load_report(sys.argv[1]); "
        "print(hashlib.sha256(build_edition(report, raw, 'en-GB').files['pdf']).hexdigest(), "
        "hashlib.sha256(make_archival_edition(report, raw, 'en-GB')[1]).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        run = subprocess.run(
            [sys.executable, "-c", script, str(ROOT / "tests" / "fixtures" / "letter")],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_modification_date_follows_source_date_epoch(active_settings):
    from reportgen import settings
    from reportgen.archive.publish import archival_dates

    with settings.use(active_settings.replace(source_date_epoch=1767225600)):  # 2026-01-01
        created, modified = archival_dates(dt.date(2025, 7, 24))
    assert created.isoformat() == "2025-07-24T00:00:00+00:00"
    assert modified.isoformat() == "2026-01-01T00:00:00+00:00"


def test_provenance_reads_back(archival):
    from reportgen.formats.pdf.archival import read_provenance

    meta = read_provenance(archival["glance-ar"][0].read_bytes())
    assert meta["reportId"] == "annual-report-2024-25-at-a-glance" and meta["language"] == "ar"
    assert meta["period"] == "2024/25" and len(meta["sourceHash"]) == 64 and int(meta["pages"]) >= 2


def test_make_archival_refuses_an_untagged_pdf():
    from reportgen.formats.pdf.archival import make_archival

    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    with pytest.raises(ValueError, match="not tagged"):
        make_archival(buffer.getvalue(), attachments=[], created=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


def test_stream_data_ending_in_carriage_return_gets_a_hex_layer():
    """Compressed bytes ending in CR read as CR LF before endstream: /Length looks one too long."""
    from reportgen.formats.pdf.archival import _guard_stream_ends

    with pikepdf.new() as pdf:
        stream = pdf.make_stream(b"")
        stream.write(b"x\x9c\r", filter=pikepdf.Name.FlateDecode)  # raw bytes as a compressor might end them
        plain = pdf.make_stream(b"text\n")
        assert _guard_stream_ends(pdf) == 1
        assert stream.read_raw_bytes().endswith(b">") and list(stream.Filter) == ["/ASCIIHexDecode", "/FlateDecode"]
        assert plain.read_raw_bytes() == b"text\n"
