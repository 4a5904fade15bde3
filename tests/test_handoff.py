"""Translation requests and imports, with a simulated translator editing PO and XLIFF."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import DATA
from reportgen.build.requests import make_request
from reportgen.cli import main
from reportgen.i18n import catalogs, handoff

NEWS = DATA / "cqc-community-mental-health-news-2025"
NEWS_ID = "cqc-community-mental-health-news-2025"
Q = "{urn:oasis:names:tc:xliff:document:1.2}"


def snapshot(folder):
    return {
        p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def translate_like_a_translator(text: str) -> str:
    """Pretend Polish: words changed, placeholders, link addresses and ** kept."""
    return "PL: " + re.sub(r"\[([^\]]+)\]", lambda m: "[" + m.group(1).upper() + "]", text)


@pytest.fixture
def request_package(tmp_path, translations):
    return make_request(NEWS, "pl", tmp_path / "requests")


def test_request_holds_po_xliff_word_count_glossary_and_proof(request_package):
    folder = request_package.folder
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{NEWS_ID}.pl.po", f"{NEWS_ID}.pl.xlf", "glossary.csv", "request.json", "proof.pdf"])
    summary = json.loads((folder / "request.json").read_text())
    po = read_po((folder / f"{NEWS_ID}.pl.po").open("rb"))
    source_words = sum(handoff.count_words(m.id) for m in po if m.id)
    assert summary["source_words"] == source_words > 500 and summary["entries"] == len([m for m in po if m.id])
    assert all(m.context and m.auto_comments for m in po if m.id), "msgctxt and #. comments are kept"
    xliff = ET.parse(folder / f"{NEWS_ID}.pl.xlf").getroot()
    assert xliff.get("version") == "1.2"
    units = xliff.findall(f".//{Q}trans-unit")
    assert len(units) == summary["entries"] and all(u.get("resname") for u in units)
    assert (folder / "proof.pdf").read_bytes().startswith(b"%PDF")
    glossary = (folder / "glossary.csv").read_text()
    assert "Leicestershire Partnership NHS Trust,keep" in glossary and "Requires improvement,consistent" in glossary


def test_word_count_ignores_markup_and_placeholders():
    assert handoff.count_words("**Around** {staff} staff took part in [the survey](https://x.nhs.uk).") == 7


def test_filled_po_imports_and_builds(request_package, tmp_path, translations):
    path = request_package.folder / f"{NEWS_ID}.pl.po"
    catalog = read_po(path.open("rb"))
    for message in catalog:
        if message.id:
            message.string = translate_like_a_translator(message.id)
    write_po(path.open("wb"), catalog)
    assert main(["translate", "import", str(path), "--lang", "pl"]) == 0
    out = tmp_path / "out"
    assert main(["build", str(NEWS), "--lang", "pl", "--format", "html", "--out", str(out)]) == 0
    html = (out / NEWS_ID / f"{NEWS_ID}.pl.html").read_text()
    assert 'lang="pl"' in html and "PL: What the inspectors found" in html
    assert 'href="https://www.cqc.org.uk/provider/RT5"' in html  # the address survived translation


def test_filled_xliff_imports(request_package, translations):
    path = request_package.folder / f"{NEWS_ID}.pl.xlf"
    tree = ET.parse(path)
    for unit in tree.getroot().iter(f"{Q}trans-unit"):
        target = unit.find(f"{Q}target")
        target.text = translate_like_a_translator(unit.findtext(f"{Q}source"))
        target.set("state", "translated")
    tree.write(path, encoding="utf-8", xml_declaration=True)
    result = handoff.import_translation(path)
    assert result.lang == "pl" and result.merged > 30
    merged = read_po(catalogs.po_path("pl", NEWS_ID).open("rb"))
    assert all(m.string.startswith("PL: ") for m in merged if m.id)


def _po_with(request_package, change):
    path = request_package.folder / f"{NEWS_ID}.pl.po"
    catalog = read_po(path.open("rb"))
    for message in catalog:
        if message.id:
            message.string = translate_like_a_translator(message.id)
    change(catalog)
    write_po(path.open("wb"), catalog)
    return path


def _first(catalog, predicate):
    return next(m for m in catalog if m.id and predicate(m))


@pytest.mark.parametrize(
    "case,change,message",
    [
        (
            "broken link address",
            lambda c: setattr(_first(c, lambda m: "](" in m.id), "string", "PL: [CQC](https://evil.example)"),
            "links differ from the source",
        ),
        (
            "unbalanced bold",
            lambda c: setattr(_first(c, lambda m: "](" not in m.id), "string", "PL: **pogrubione"),
            "unbalanced ** (bold) marker",
        ),
        ("empty entry", lambda c: setattr(_first(c, lambda m: True), "string", ""), "has no translation"),
        ("wrong language", lambda c: setattr(c, "locale", "de"), "none of the trust's languages"),
        (
            "changed source",
            lambda c: setattr(_first(c, lambda m: True), "id", "A text that is not in the publication"),
            "is not in the current text",
        ),
    ],
)
def test_bad_po_is_refused_and_nothing_changes(request_package, translations, capsys, case, change, message):
    before = snapshot(translations)
    path = _po_with(request_package, change)
    assert main(["translate", "import", str(path)]) == 2, case
    err = capsys.readouterr().err
    assert message in err, err
    assert "nothing was imported" in err, err
    if case != "wrong language":  # the language is the file's, not an entry's
        assert re.search(rf"{re.escape(path.name)}:\d+: entry ", err), err
    assert snapshot(translations) == before


def test_broken_placeholder_is_refused(tmp_path, translations, capsys):
    package = make_request(DATA / "annual-report-2024-25-at-a-glance", "pl", tmp_path / "r")
    before = snapshot(translations)
    path = next(p for p in package.folder.glob("*.po"))
    catalog = read_po(path.open("rb"))
    # The Polish catalog of this publication is finished, so the request has nothing pending:
    # the returned file is built from the finished catalog instead.
    assert [m.id for m in catalog if m.id] == []
    po = catalogs.po_path("pl", "annual-report-2024-25-at-a-glance")
    full = read_po(po.open("rb"))
    target = next(m for m in full if m.id and "{people}" in m.id)
    returned = tmp_path / "returned.po"
    single = catalogs.Catalog(locale="pl", project="annual-report-2024-25-at-a-glance")
    single.add(target.id, target.id.replace("{people}", "{ludzie}"), context=target.context)
    write_po(returned.open("wb"), single)
    assert main(["translate", "import", str(returned)]) == 2
    assert "placeholders {ludzie} differ from the source's {people}" in capsys.readouterr().err
    assert snapshot(translations) == before


def test_missing_plural_form_is_refused(tmp_path, translations, capsys):
    ui = read_po(catalogs.po_path("pl", "ui").open("rb"))
    plural = next(m for m in ui if isinstance(m.id, (list, tuple)))
    returned = tmp_path / "ui.pl.po"
    single = catalogs.Catalog(locale="pl", project="ui")
    single.add(plural.id, ("%(num)d fragment", "%(num)d fragmenty", ""), context=plural.context)
    write_po(returned.open("wb"), single)
    before = snapshot(translations)
    assert main(["translate", "import", str(returned)]) == 2
    assert "needs 3 plural forms in pl, found 2" in capsys.readouterr().err
    assert snapshot(translations) == before


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("broken.po", b'msgid "x"\nmsgstr "y\n', "broken.po:2: not valid PO syntax"),
        (
            "twice.po",
            b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
            'twice.po:4: the entry "a" is given twice (first on line 1)',
        ),
        ("broken.xlf", b"<xliff version='1.2'><file>", "not well-formed XML"),
        (
            "entity.xlf",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff/>',
            "DOCTYPE or entities are refused",
        ),
        ("empty.po", b"", "the file is empty"),
        ("notes.txt", b"hello", "expected a .po or .xlf file"),
    ],
)
def test_malformed_files_are_refused(tmp_path, translations, capsys, name, content, message):
    before = snapshot(translations)
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["translate", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert snapshot(translations) == before


def test_wrong_target_language_in_xliff(request_package, translations, capsys):
    text = (
        (request_package.folder / f"{NEWS_ID}.pl.xlf")
        .read_text()
        .replace('target-language="pl"', 'target-language="pa"')
    )
    path = request_package.folder / "returned.xlf"  # a name that says no language: the header is all there is
    path.write_text(text)
    before = snapshot(translations)
    assert main(["translate", "import", str(path), "--lang", "pl"]) == 2
    assert "the file is in pa, but pl was expected" in capsys.readouterr().err
    assert snapshot(translations) == before


def test_header_and_name_must_name_one_language(request_package, translations, capsys):
    """A Polish request whose header was changed to Arabic is not merged into the Arabic catalog."""
    path = request_package.folder / f"{NEWS_ID}.pl.po"
    path.write_text(path.read_text(encoding="utf-8").replace("Language: pl", "Language: ar"), encoding="utf-8")
    before = snapshot(translations)
    assert main(["translate", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "header says it is in ar (Arabic), but its name says pl (Polish)" in err and "Traceback" not in err
    assert snapshot(translations) == before


def test_translations_must_be_in_the_languages_script(request_package, translations, capsys):
    """Polish text sent back as Arabic (header and name both changed) is refused by its letters."""
    polish = request_package.folder / f"{NEWS_ID}.pl.po"
    catalog = read_po(polish.open("rb"))
    for message in catalog:
        if message.id and not message.pluralizable:
            message.string = "Zażółć gęślą jaźń — tłumaczenie po polsku"
    catalog.locale = "ar"
    path = request_package.folder / f"{NEWS_ID}.ar.po"
    with path.open("wb") as handle:
        write_po(handle, catalog)
    before = snapshot(translations)
    assert main(["translate", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "written in Latin letters, not Arabic" in err and "Traceback" not in err
    assert snapshot(translations) == before


def test_a_utf16_xliff_gets_the_same_entity_refusal(request_package, translations, capsys):
    text = (request_package.folder / f"{NEWS_ID}.pl.xlf").read_text(encoding="utf-8")
    declared = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
        '<?xml version="1.0" encoding="UTF-16"?>', ""
    )
    hostile = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY e "PLANTED">]>\n' + declared
    path = request_package.folder / "returned.pl.xlf"
    path.write_bytes(hostile.encode("utf-16"))  # with a byte-order mark, as Windows tools write it
    before = snapshot(translations)
    assert main(["translate", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "DOCTYPE or entities are refused" in err
    assert snapshot(translations) == before


def _status_row(out: str, domain: str, tag: str) -> list[str]:
    [row] = [line.split() for line in out.splitlines() if line.split()[:2] == [domain, tag]]
    return row


def test_status_reports_percent_translated(translations, capsys):
    assert main(["i18n", "status", str(NEWS)]) == 0
    out = capsys.readouterr().out
    assert _status_row(out, "ui", "pl")[2:4] == ["100%", "0%"]
    assert _status_row(out, NEWS_ID, "pl")[2:] == ["0%", "0%", "no", "catalog"]


def test_status_counts_empty_and_fuzzy_entries(translations, capsys):
    """Empty 3 entries and mark 2 fuzzy in the private ui.po: the percentages are exactly those."""
    path = catalogs.po_path("pl", "ui")
    ui = read_po(path.open("rb"))
    singles = [m for m in ui if m.id and isinstance(m.id, str)]
    for message in singles[:3]:
        message.string = ""
    for message in singles[3:5]:
        message.flags.add("fuzzy")
    write_po(path.open("wb"), ui)
    assert main(["i18n", "status", str(NEWS)]) == 0
    row = _status_row(capsys.readouterr().out, "ui", "pl")
    total = len({(m.id, m.context) for m in read_po(catalogs.pot_path("ui").open("rb")) if m.id})
    assert row[2:4] == [f"{100 * (total - 5) / total:.0f}%", f"{100 * 2 / total:.0f}%"], (row, total)
