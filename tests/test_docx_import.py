"""reportgen import: a Word file → a publication folder that builds (docs/word.md).

The .docx files are made here with python-docx, so each test states what the document holds.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import sys
import time
import zipfile

import pytest
import yaml
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from conftest import run_build
from reportgen.content.docx import DocxError, import_docx

CLICK_HERE_URL = "https://www.leicspart.nhs.uk/services"
FILL_IN = {
    "organisation": "Leicestershire Partnership NHS Trust",
    "published": "2026-01-15",
    "publisher": "Communications team, Leicestershire Partnership NHS Trust",
    "contact": {"email": "lpt.feedback@nhs.net"},
}


def _png(colour: str) -> io.BytesIO:
    stream = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(stream, "PNG")
    stream.seek(0)
    return stream


def _hyperlink(paragraph, text: str, attribute: str, value: str) -> None:
    """A w:hyperlink holding one run of ``text``, its target in ``attribute`` (r:id or w:anchor)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn(attribute), value)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _link(paragraph, text: str, url: str) -> None:
    _hyperlink(paragraph, text, "r:id", paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))


def _lang(run, tag: str) -> None:
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    run._r.get_or_add_rPr().append(lang)


def make_docx(path, *, tracked: bool = False, extras: bool = True):
    doc = Document()
    props = doc.core_properties
    props.title = "Our community services"
    props.subject = "What our community teams did this year, and what comes next."
    props.keywords = "community services, annual review"
    doc.add_heading("Our community services 2025", 0)
    doc.add_paragraph("This review tells you what our community teams did this year.")
    doc.add_heading("Our services", 1)
    intro = doc.add_paragraph("We run ")
    intro.add_run("district nursing").bold = True
    intro.add_run(" and ")
    intro.add_run("health visiting").italic = True
    intro.add_run(" across the county. ")
    find = doc.add_paragraph("To find a service near you, ")
    _link(find, "click here", CLICK_HERE_URL)
    find.add_run(".")
    doc.add_paragraph("What people told us", style="List Bullet")
    doc.add_paragraph("Waiting times were shorter", style="List Bullet 2")
    doc.add_paragraph("Staff listened", style="List Bullet 2")
    doc.add_paragraph("What we will change", style="List Bullet")
    doc.add_heading("Our teams", 2)
    doc.add_paragraph("Each team has a lead nurse.")
    doc.add_heading("District nursing", 3)
    doc.add_paragraph("District nurses visit people at home.")
    doc.add_heading("Night visits", 4)
    doc.add_paragraph("Night visits start at 8pm.")
    doc.add_paragraph("Call the team", style="List Number")
    doc.add_paragraph("Give your NHS number", style="List Number")
    doc.add_heading("Visits in numbers", 1)
    table = doc.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Area", "Visits"), ("Leicester", "12,400"), ("Rutland", "3,100")], strict=True):
        row.cells[0].text, row.cells[1].text = cells
    doc.add_heading("Pictures", 1)
    doc.add_picture(_png("#005eb8"))
    doc.inline_shapes[0]._inline.docPr.set("descr", "A district nurse talking with a patient in her kitchen.")
    doc.add_picture(_png("#ffb81c"))  # no description in Word
    doc.add_paragraph("Thank you to everyone who helped.", style="Quote")
    polish = doc.add_paragraph()
    _lang(polish.add_run("Jeśli potrzebujesz tłumacza, zadzwoń do nas."), "pl-PL")
    if extras:
        doc.add_paragraph()
        doc.add_paragraph()
        doc.add_paragraph().add_run("Next steps").bold = True
        doc.add_paragraph("1. Book a visit online.")
    if tracked:
        changed = doc.add_paragraph("We added ")
        ins = OxmlElement("w:ins")
        ins.set(qn("w:id"), "1")
        ins.set(qn("w:author"), "Editor")
        ins.set(qn("w:date"), "2026-01-01T00:00:00Z")
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "new clinics."
        run.append(t)
        ins.append(run)
        changed._p.append(ins)
    doc.save(path)
    return path


def fill_in(folder) -> None:
    """What Word does not hold, as a comms officer adds it after the import."""
    path = folder / "report.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**data, **FILL_IN}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_tracked_changes_are_refused_and_nothing_is_written(tmp_path):
    source = make_docx(tmp_path / "draft.docx", tracked=True)
    with pytest.raises(DocxError, match=r"1 tracked change\(s\), the first in paragraph \d+ .*accept or reject them"):
        import_docx(source, tmp_path / "pub")
    assert not (tmp_path / "pub").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["draft.docx"]  # no temporary folder left behind


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docx")
    source = make_docx(tmp / "draft.docx")
    result = import_docx(source, tmp / "community")
    return result, yaml.safe_load((tmp / "community" / "report.yaml").read_text(encoding="utf-8"))


def test_structure_lands_where_it_should(imported):
    result, data = imported
    assert data["title"] == "Our community services 2025"
    assert data["description"] == "What our community teams did this year, and what comes next."
    assert data["keywords"] == ["community services", "annual review"]
    assert data["blocks"] == [
        {"type": "paragraph", "text": "This review tells you what our community teams did this year."}
    ]
    services, numbers, pictures = data["sections"]
    assert services["title"] == "Our services"
    first, link = services["blocks"][0], services["blocks"][1]
    assert first["text"] == "We run **district nursing** and *health visiting* across the county."
    assert link["text"] == f"To find a service near you, [click here]({CLICK_HERE_URL})."
    assert services["blocks"][2] == {
        "type": "list",
        "items": [
            {"text": "What people told us", "items": ["Waiting times were shorter", "Staff listened"]},
            "What we will change",
        ],
    }
    teams = services["sections"][0]
    assert teams["title"] == "Our teams"
    nursing = teams["sections"][0]
    assert nursing["title"] == "District nursing"
    night = nursing["sections"][0]
    assert night["title"] == "Night visits"
    assert night["blocks"][1] == {
        "type": "list",
        "style": "numbered",
        "items": ["Call the team", "Give your NHS number"],
    }
    table = numbers["blocks"][0]
    assert table["columns"] == [
        {"key": "area", "label": "Area"},
        {"key": "visits", "label": "Visits", "type": "number"},
    ]
    assert table["rows"] == [{"area": "Leicester", "visits": 12400}, {"area": "Rutland", "visits": 3100}]
    described, undescribed, quote, polish = pictures["blocks"][:4]
    assert described["alt"] == "A district nurse talking with a patient in her kitchen."
    assert (result.folder / described["src"]).read_bytes().startswith(b"\x89PNG")
    assert undescribed == {"type": "figure", "src": "picture-2.png", "decorative": True}
    assert quote == {"type": "quote", "text": "Thank you to everyone who helped."}
    assert polish == {"type": "paragraph", "text": "Jeśli potrzebujesz tłumacza, zadzwoń do nas.", "lang": "pl"}


def test_what_validation_still_asks_for_is_named(imported):
    result, _data = imported
    asked = {p.pointer for p in result.problems}
    assert asked == {"organisation", "published", "publisher", "contact"}
    assert all("missing" in p.message for p in result.problems)


def test_the_folder_builds_once_filled_in(imported, tmp_path):
    result, _data = imported
    fill_in(result.folder)
    done = run_build(result.folder, tmp_path / "out", 240, "--format", "html")
    assert done.returncode == 0, done.stderr
    html = next((tmp_path / "out").rglob("*.en-GB.html")).read_text(encoding="utf-8")
    assert '<p lang="pl">' in html or 'lang="pl"' in html
    assert 'alt="A district nurse talking with a patient in her kitchen."' in html


def test_cli_refuses_to_overwrite_without_force(imported, tmp_path):
    result, _data = imported
    source = make_docx(tmp_path / "again.docx")
    command = [sys.executable, "-m", "reportgen", "import", str(source), str(result.folder)]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    fresh = subprocess.run(
        [sys.executable, "-m", "reportgen", "import", str(source), str(tmp_path / "new")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fresh.returncode == 0, fresh.stderr
    assert "Still needed before it builds (4)" in fresh.stdout
    assert "the picture picture-2.png has no description in Word" in fresh.stdout


# --- hostile files: each refused within seconds, with a message, and nothing written ---------------


def _rezip(source, target, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None):
    """A copy of the .docx ``source`` with some parts replaced or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, (replace or {}).get(item.filename, old.read(item)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def plain_docx(tmp_path_factory):
    return make_docx(tmp_path_factory.mktemp("plain") / "plain.docx", extras=False)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)


def _bomb(plain, _tmp):
    bomb = io.BytesIO()
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item))
        new.writestr("word/media/bomb.bin", b"\0" * (40 * 1024 * 1024))
    return bomb.getvalue()


def _many(plain, _tmp):
    many = io.BytesIO()
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(many, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item))
        for index in range(2001):
            new.writestr(f"word/extra/part{index}.xml", b"")
    return many.getvalue()


def _hostile_case(case, plain, tmp):
    if case == "zip bomb":
        return _bomb(plain, tmp), "looks like a zip bomb"
    if case == "members":
        return _many(plain, tmp), "at most 2000"
    return {
        "entities": (
            _rezip(plain, tmp / "laughs.docx", {"word/document.xml": BILLION_LAUGHS}).read_bytes(),
            "declares a DOCTYPE or entities",
        ),
        "entities in UTF-16": (
            _rezip(
                plain,
                tmp / "laughs16.docx",
                {
                    "word/document.xml": BILLION_LAUGHS.replace(b'"1.0"?>', b'"1.0" encoding="UTF-16"?>')
                    .decode()
                    .encode("utf-16")
                },
            ).read_bytes(),
            "declares a DOCTYPE or entities",
        ),
        "not a zip": (b"%PDF-1.7 this is not a Word file", "not a Word document"),
        "zip, not Word": (_zip_of({"notes.txt": b"hello"}), "not a Word document"),
        "broken picture": (
            _rezip(
                plain, tmp / "picture.docx", {"word/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}
            ).read_bytes(),
            "picture picture-1.png",
        ),
    }[case]


def _zip_of(files: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return stream.getvalue()


@pytest.mark.parametrize(
    "case", ["zip bomb", "members", "entities", "entities in UTF-16", "not a zip", "zip, not Word", "broken picture"]
)
def test_hostile_docx_is_refused_quickly_and_writes_nothing(case, plain_docx, tmp_path):
    data, expected = _hostile_case(case, plain_docx, tmp_path)
    source = tmp_path / "hostile.docx"
    source.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(DocxError) as refused:
        import_docx(source, tmp_path / "out" / "pub")
    assert time.monotonic() - started < 5
    assert expected in str(refused.value)
    assert str(refused.value).startswith("hostile.docx: ")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_part_names_in_the_zip_never_choose_where_files_go(plain_docx, tmp_path):
    """Pictures are written under names reportgen makes; a part called ../../x.png stays unread."""
    with zipfile.ZipFile(plain_docx) as old:
        rels = old.read("word/_rels/document.xml.rels")
    evil = _rezip(
        plain_docx,
        tmp_path / "evil.docx",
        {"word/_rels/document.xml.rels": rels.replace(b'Target="media/image1.png"', b'Target="../../../evil.png"')},
        {"evil.png": _png("#000000").getvalue()},
    )
    (tmp_path / "work").mkdir()
    try:
        result = import_docx(evil, tmp_path / "work" / "pub")
    except DocxError as exc:  # python-docx may refuse the broken relationship: with a message
        assert str(exc).startswith("evil.docx: ")
    else:
        assert all(p.parent == result.folder for p in result.folder.iterdir())
        assert {p.name for p in result.folder.iterdir()} <= {
            "report.yaml",
            "word-import.yaml",
            "picture-1.png",
            "picture-2.png",
        }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.docx", "work"]


def test_an_existing_publication_is_replaced_only_with_force(plain_docx, tmp_path):
    folder = tmp_path / "pub"
    folder.mkdir()
    (folder / "report.yaml").write_text("# someone's work\n", encoding="utf-8")
    with pytest.raises(DocxError, match="already exists.*--force"):
        import_docx(plain_docx, folder)
    assert (folder / "report.yaml").read_text(encoding="utf-8") == "# someone's work\n"
    import_docx(plain_docx, folder, force=True)
    assert "Imported from the Word file plain.docx" in (folder / "report.yaml").read_text(encoding="utf-8")


# --- reportgen check: what a reader would miss, with the Word paragraph it came from ---------------


def _findings(folder):
    from reportgen.check import check_report

    return {(f.rule, f.pointer): f for f in check_report(folder, outputs=False).findings}


def test_check_names_the_word_paragraph_of_each_finding(imported):
    result, data = imported
    fill_in(result.folder)
    found = _findings(result.folder)
    pictures = data["sections"][2]["blocks"]
    link = found[("link-text", "sections[0].blocks[1].text")]
    assert "'click here'" in link.message and link.message.endswith("(draft.docx, paragraph 5)")
    alt = found[("alt-text", "sections[2].blocks[1].decorative")]
    assert "picture-2.png has no description in Word" in alt.message
    assert "paragraph 22, under 'Pictures'" in alt.message and alt.severity.value == "error"
    assert pictures[4]["text"] == "**Next steps**"
    fake = found[("fake-heading", "sections[2].blocks[4].text")]
    assert fake.message.startswith("'Next steps' is a bold line") and "(draft.docx, paragraph 27)" in fake.message
    typed = found[("typed-list-number", "sections[2].blocks[5].text")]
    assert "'1.' typed as a list number" in typed.message and "(draft.docx, paragraph 28)" in typed.message
    spacing = found[("spacing-paragraph", "")]
    assert "2 empty paragraph(s)" in spacing.message and "paragraphs 25–26, under 'Pictures'" in spacing.message


def test_an_import_note_goes_once_it_is_dealt_with(imported, tmp_path):
    result, _data = imported
    fill_in(result.folder)
    copy = tmp_path / "copy"
    shutil.copytree(result.folder, copy)
    path = copy / "report.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    figure = data["sections"][2]["blocks"][1]
    del figure["decorative"]
    figure["alt"] = "The trust's yellow banner."
    data["sections"][2]["blocks"][4]["text"] = "Next steps are below."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = _findings(copy)
    assert not [key for key in found if key[0] in ("alt-text", "fake-heading")]
    assert ("typed-list-number", "sections[2].blocks[5].text") in found  # still there: not dealt with


# --- a second producer: LibreOffice Writer writes the .docx ------------------------------------------

LO_HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Our community services</title>
<meta name="description" content="What our teams did this year."></head><body>
<h1>Our community services 2025</h1>
<p>This review tells you what our community teams did this year.</p>
<h2>Our services</h2>
<p>We run <strong>district nursing</strong> and <em>health visiting</em> across the county.</p>
<p>Read <a href="https://www.leicspart.nhs.uk/services">our list of community services</a>.</p>
<ul><li>What people told us<ul><li>Waiting times were shorter</li><li>Staff listened</li></ul></li>
<li>What we will change</li></ul>
<h3>Steps</h3>
<ol><li>Call the team</li><li>Give your NHS number</li></ol>
<table><tr><th>Area</th><th>Visits</th></tr><tr><td>Leicester</td><td>12,400</td></tr><tr><td>Rutland</td><td>3,100</td></tr></table>
<p><img src="data:image/png;base64,{png}" alt="LibreOffice drops this" width="120" height="80"></p>
<p lang="pl-PL">Jeśli potrzebujesz tłumacza, zadzwoń do nas.</p>
</body></html>
"""
# LibreOffice's HTML import keeps no alt text, so the picture's description is tested through
# an ODT (flat XML), from which LibreOffice writes Word's description field.
LO_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>Pictures of our year</dc:title></office:meta>
<office:body><office:text>
<text:p text:style-name="Title">Pictures of our year</text:p>
<text:h text:outline-level="1">Our nurses</text:h>
<text:p>Our nurses visit people at home.</text:p>
<text:p><draw:frame draw:name="Nurse" svg:width="3cm" svg:height="2cm" text:anchor-type="as-char"><draw:image>
<office:binary-data>{png}</office:binary-data></draw:image>
<svg:desc>A district nurse talking with a patient.</svg:desc></draw:frame></text:p>
<text:p text:style-name="Quotations">Thank you to everyone who helped.</text:p>
</office:text></office:body></office:document>
"""


@pytest.fixture(scope="module")
def libreoffice_docx(tmp_path_factory):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: make setup installs libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("libreoffice")
    png = base64.b64encode(_png("#005eb8").getvalue()).decode()
    (tmp / "draft.html").write_text(LO_HTML.replace("{png}", png), encoding="utf-8")
    (tmp / "pictures.fodt").write_text(LO_FODT.replace("{png}", png), encoding="utf-8")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp / "docx"),
            str(tmp / "draft.html"),
            str(tmp / "pictures.fodt"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    made = tmp / "docx" / "draft.docx", tmp / "docx" / "pictures.docx"
    assert all(p.is_file() for p in made), done.stdout + done.stderr
    return tmp, made


def test_a_libreoffice_docx_imports_and_builds(libreoffice_docx):
    tmp, (draft, pictures) = libreoffice_docx
    result = import_docx(draft, tmp / "pub")
    data = yaml.safe_load((tmp / "pub" / "report.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Our community services 2025"  # the one Heading 1 is the title
    assert data["description"] == "What our teams did this year."
    services = data["sections"][0]
    assert services["title"] == "Our services"
    assert services["blocks"][0]["text"] == "We run **district nursing** and *health visiting* across the county."
    assert (
        services["blocks"][1]["text"] == "Read [our list of community services](https://www.leicspart.nhs.uk/services)."
    )
    assert services["blocks"][2]["items"][0] == {
        "text": "What people told us",
        "items": ["Waiting times were shorter", "Staff listened"],
    }
    steps = services["sections"][0]["blocks"]
    assert steps[0] == {"type": "list", "style": "numbered", "items": ["Call the team", "Give your NHS number"]}
    assert steps[1]["rows"] == [{"area": "Leicester", "visits": 12400}, {"area": "Rutland", "visits": 3100}]
    assert steps[2] == {"type": "figure", "src": "picture-1.png", "decorative": True}
    assert [n.rule for n in result.notes if n.rule == "alt-text"] == ["alt-text"]
    assert steps[3] == {"type": "paragraph", "text": "Jeśli potrzebujesz tłumacza, zadzwoń do nas.", "lang": "pl"}
    fill_in(tmp / "pub")
    built = run_build(tmp / "pub", tmp / "out", 240, "--format", "html,pdf")
    assert built.returncode == 0, built.stderr

    described = import_docx(pictures, tmp / "pictures")
    data = yaml.safe_load((tmp / "pictures" / "report.yaml").read_text(encoding="utf-8"))
    nurses = data["sections"][0]["blocks"]
    assert nurses[1] == {"type": "figure", "src": "picture-1.png", "alt": "A district nurse talking with a patient."}
    assert nurses[2] == {"type": "quote", "text": "Thank you to everyone who helped."}
    assert not [n for n in described.notes if n.rule == "alt-text"]


def test_footnotes_become_notes_and_page_breaks_are_ignored(tmp_path):
    from docx.enum.text import WD_BREAK
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    doc = Document()
    doc.add_heading("Waiting times", 0)
    doc.add_heading("What we measured", 1)
    paragraph = doc.add_paragraph("Most people were seen within two weeks.")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run = OxmlElement("w:r")
    run.append(reference)
    paragraph._p.append(run)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("After the page break.")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Measured from referral to first visit.</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    doc.save(tmp_path / "notes.docx")
    result = import_docx(tmp_path / "notes.docx", tmp_path / "pub")
    measured, notes_section = result.report["sections"]
    assert measured["blocks"] == [
        {"type": "paragraph", "text": "Most people were seen within two weeks. (note 1)"},
        {"type": "paragraph", "text": "After the page break."},
    ]
    assert notes_section == {
        "title": "Notes",
        "blocks": [{"type": "list", "style": "numbered", "items": ["Measured from referral to first visit."]}],
    }
    assert not [n for n in result.notes if n.rule == "spacing-paragraph"]  # the page break is no spacing


def _bookmark(paragraph, name: str) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "7")
    start.set(qn("w:name"), name)
    paragraph._p.insert(1, start)


def _internal_link(paragraph, text: str, anchor: str) -> None:
    _hyperlink(paragraph, text, "w:anchor", anchor)


TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pict>'
    '<v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:t>Call 111 out of hours'
    "</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def test_what_cannot_be_mapped_is_listed_with_its_place_and_captions_links_are_kept(tmp_path):
    from lxml import etree

    doc = Document()
    doc.add_heading("Our clinics", 0)
    clinics = doc.add_heading("Where our clinics are", 1)
    _bookmark(clinics, "_Toc123")
    see = doc.add_paragraph("See ")
    _internal_link(see, "where our clinics are", "_Toc123")
    see.add_run(".")
    nowhere = doc.add_paragraph("And ")
    _internal_link(nowhere, "this place", "_Ref999")
    doc.add_paragraph("Visits by area", style="Caption")
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Area", "Visits"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Melton", "120"
    doc.add_picture(_png("#005eb8"))
    doc.inline_shapes[0]._inline.docPr.set("descr", "The Melton clinic's front door.")
    doc.add_paragraph("The Melton clinic", style="Caption")
    doc.add_picture(_png("#ffffff"))
    decorative = etree.SubElement(
        doc.inline_shapes[1]._inline.docPr, "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    )
    decorative.set("val", "1")
    commented = doc.add_paragraph("Opening hours are 9 to 5.")
    doc.add_comment(commented.runs, text="Check the Saturday hours", author="Sam")
    boxed = doc.add_paragraph("Out of hours:")
    boxed._p.append(etree.fromstring(TEXT_BOX))
    doc.save(tmp_path / "clinics.docx")

    result = import_docx(tmp_path / "clinics.docx", tmp_path / "pub")
    blocks = result.report["sections"][0]["blocks"]
    assert blocks[0]["text"] == "See [where our clinics are](#where-our-clinics-are)."
    assert blocks[1]["text"] == "And this place"
    assert blocks[2]["caption"] == "Visits by area" and blocks[2]["rows"] == [{"area": "Melton", "visits": 120}]
    assert blocks[3] == {
        "type": "figure",
        "src": "picture-1.png",
        "alt": "The Melton clinic's front door.",
        "caption": "The Melton clinic",
    }
    assert blocks[4] == {"type": "figure", "src": "picture-2.png", "decorative": True}  # marked so in Word
    notes = {(n.place, n.message.split(" — ")[0]) for n in result.notes}
    under = "under 'Where our clinics are'"
    assert notes == {
        (
            f"paragraph 4, {under}",
            "the link 'this place' goes to a place in the document that is not a heading (bookmark '_Ref999'): it was imported as plain text",
        ),
        (f"paragraph 10, {under}", "Word comment not imported"),
        (f"paragraph 11, {under}", "a text box was not imported: 'Call 111 out of hours'"),
    }
    comment = next(n for n in result.notes if "comment" in n.message)
    assert "Sam: Check the Saturday hours" in comment.message
    assert not result.problems or {p.pointer for p in result.problems} == {
        "organisation",
        "published",
        "publisher",
        "contact",
    }
