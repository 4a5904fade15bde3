"""Handing work to a translator and taking it back safely.

``request_contents`` makes a package for one publication and language, in memory (the build
stage adds the proof and writes it: :func:`reportgen.build.requests.make_request`): only the texts that
are new or changed since the last translation (with fuzzy suggestions from the existing
catalog), as PO (CAT tools import it natively; ``#.`` comments and msgctxt kept) and as
XLIFF 1.2 (context kept in ``resname`` and a context group), a word count (agencies price
per source word), a glossary of fixed terms, and a PDF proof of the current text.

``import_translation`` validates a returned PO or XLIFF file completely — well-formed, the
right language and publication, every entry still in the current text, placeholders,
inline markup and links unchanged, every plural form the language needs, nothing empty —
and merges only if there is no problem at all. Catalogs are written atomically.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from reportgen.content import markup
from reportgen.content.load import display_path
from reportgen.content.model import load_report
from reportgen.errors import Finding, InputError
from reportgen.i18n import catalogs
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE, find_language

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
ET.register_namespace("", XLIFF_NS)
MAX_IMPORT_BYTES = 10 * 1024 * 1024
IMPORT_FAILED = "nothing was imported"


def unit_id(context: str | None, msgid) -> str:
    """A stable id for a text: the same context and source text give the same id."""
    key = (context or "") + "\x04" + (msgid if isinstance(msgid, str) else "\x00".join(msgid))
    return "u" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def count_words(text: str) -> int:
    """Source words as agencies count them: markup and {placeholders} are not words."""
    plain = catalogs.PLACEHOLDER.sub(" ", markup.plain_text(text))
    return len(re.findall(r"\w+(?:[’'-]\w+)*", plain))


# --- requests ----------------------------------------------------------------------------


def pending_messages(template: Catalog, tag: str, domain: str) -> Catalog:
    """The template's messages a translator still has to do, with fuzzy suggestions."""
    path = catalogs.po_path(tag, domain)
    if path.exists():
        current = catalogs.read_catalog(path, tag)
        current.update(template, no_fuzzy_matching=False, update_header_comment=False)
    else:
        current = catalogs.new_catalog(template, tag, domain)
    request = Catalog(
        locale=catalogs.locale_dir(tag),
        domain=domain,
        project=domain,
        version=template.version,
        charset="utf-8",
        fuzzy=False,
        creation_date=template.creation_date,
        msgid_bugs_address=template.msgid_bugs_address,
        language_team=f"{tag}",
        last_translator="",
    )
    request.header_comment = (
        f"# Translation request: {domain}, into {find_language(tag).english_name} ({tag}).\n"
        "# Translate every msgstr. Keep {placeholders}, %(placeholders)s, **bold** markers and the\n"
        "# addresses in [link text](address). Entries marked fuzzy hold a suggestion from an earlier\n"
        "# translation of a similar text: check it and remove the fuzzy flag."
    )
    catalogs.pin_plural_forms(request, tag)
    for message in current:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            request.add(
                message.id,
                message.string,
                message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                previous_id=message.previous_id,
                context=message.context,
            )
    return request


@dataclass(frozen=True)
class RequestContents:
    """A translation request, in memory: every file of the package but the proof."""

    lang: str
    report_id: str
    entries: int
    words: int
    files: dict[str, bytes]  # file name → bytes, in the order they are listed


PROOF = "proof.pdf"  # laid out by the build stage (reportgen.build.requests), which adds it


def request_contents(report, raw, lang: str) -> RequestContents:
    """The package for one publication and language: PO and XLIFF of what is pending, glossary, summary."""
    tag = _target(lang)
    domain = report.id
    template = catalogs.extract_content(raw.source)
    request = pending_messages(template, tag, domain)
    files: dict[str, bytes] = {}
    requests = [(domain, request)]
    ui_request = pending_messages(catalogs.extract_ui(), tag, catalogs.UI_DOMAIN)
    if any(m.id for m in ui_request):  # the page furniture is not translated yet either
        requests.append((catalogs.UI_DOMAIN, ui_request))
    for name, pending in requests:
        buffer = io.BytesIO()
        write_po(buffer, pending, width=0, include_previous=True)
        files[f"{name}.{tag}.po"] = buffer.getvalue()
        files[f"{name}.{tag}.xlf"] = to_xliff(pending, name, tag)

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["term", "rule", "translation", "note"])
    writer.writerows(glossary_rows(report, tag))
    files["glossary.csv"] = text.getvalue().encode("utf-8")

    entries = [m for _name, pending in requests for m in pending if m.id]
    words = sum(count_words(m.id if isinstance(m.id, str) else " ".join(m.id)) for m in entries)
    summary = {
        "publication": domain,
        "title": report.title,
        "source_language": report.language,
        "target_language": tag,
        "entries": len(entries),
        "fuzzy_suggestions": sum(1 for m in entries if m.fuzzy),
        "source_words": words,
        "files": [*files, PROOF],
        "instructions": "Translate each PO file or its XLIFF twin (not both) and return them; "
        "they are imported with: reportgen translate import FILE",
    }
    files["request.json"] = (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode()
    return RequestContents(tag, domain, len(entries), words, files)


GLOSSARY_FIXED = [
    ("Leicestershire Partnership NHS Trust", "keep", "Organisation name: keep in English."),
    ("LPT", "keep", "Short name of the trust: keep."),
    ("NHS", "keep", "Keep 'NHS'; translate what it stands for where it is spelt out."),
    ("CQC", "keep", "Keep 'CQC'; translate 'Care Quality Commission' followed by (CQC)."),
    ("NHFT", "keep", "Short name of Northamptonshire Healthcare Foundation Trust: keep."),
    ("Northamptonshire Healthcare Foundation Trust", "keep", "Organisation name: keep in English."),
    ("Together we thrive", "keep", "Name of the Group strategy: keep; a translation may follow in brackets."),
    ("People Promise", "keep", "Name of the NHS People Promise: keep."),
    ("addresses", "keep", "Postal addresses, emails, phone numbers and web addresses stay as written."),
]


def glossary_rows(report, tag: str) -> list[list[str]]:
    """Fixed terms, and the CQC words with the translation already used (kept consistent)."""
    rows = [[term, rule, term if rule == "keep" else "", note] for term, rule, note in GLOSSARY_FIXED]
    ui = None
    path = catalogs.po_path(tag, catalogs.UI_DOMAIN)
    if path.exists():
        ui = catalogs.read_catalog(path, tag)
    for word in [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Not rated",
        "Safe",
        "Effective",
        "Caring",
        "Responsive",
        "Well-led",
        "Overall",
    ]:
        message = ui.get(word) if ui else None
        rows.append(
            [
                word,
                "consistent",
                (message.string if message and not message.fuzzy else "") or "",
                "CQC rating or domain: use exactly this translation everywhere.",
            ]
        )
    return rows


def to_xliff(request: Catalog, domain: str, tag: str) -> bytes:
    """XLIFF 1.2 with the context a PO file carries (msgctxt, comments, suggestions)."""
    q = f"{{{XLIFF_NS}}}"
    root = ET.Element(f"{q}xliff", {"version": "1.2"})
    file = ET.SubElement(
        root,
        f"{q}file",
        {
            "original": domain,
            "source-language": SOURCE_LANGUAGE,
            "target-language": tag,
            "datatype": "plaintext",
            "tool-id": "reportgen",
        },
    )
    header = ET.SubElement(file, f"{q}header")
    ET.SubElement(header, f"{q}tool", {"tool-id": "reportgen", "tool-name": "reportgen"})
    body = ET.SubElement(file, f"{q}body")
    for message in request:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        parent = body
        if len(ids) > 1:
            parent = ET.SubElement(
                body, f"{q}group", {"id": unit_id(message.context, message.id), "restype": "x-gettext-plurals"}
            )
        forms = LANGUAGES[tag].plural_forms[0] if len(ids) > 1 else 1
        for index in range(forms):
            source_text = ids[0] if index == 0 or len(ids) == 1 else ids[-1]
            attrs = {"id": unit_id(message.context, message.id) + (f"[{index}]" if len(ids) > 1 else "")}
            if message.context:
                attrs["resname"] = message.context
            unit = ET.SubElement(parent, f"{q}trans-unit", attrs)
            ET.SubElement(unit, f"{q}source", {"xml:lang": SOURCE_LANGUAGE}).text = source_text
            suggestion = strings[index] if index < len(strings) else ""
            target = ET.SubElement(
                unit,
                f"{q}target",
                {
                    "xml:lang": tag,
                    "state": "needs-review-translation" if message.fuzzy and suggestion else "needs-translation",
                },
            )
            target.text = suggestion if message.fuzzy and suggestion else ""
            if message.fuzzy and message.previous_id:
                previous = (
                    message.previous_id[0] if isinstance(message.previous_id, (list, tuple)) else message.previous_id
                )
                alt = ET.SubElement(unit, f"{q}alt-trans", {"origin": "previous translation"})
                ET.SubElement(alt, f"{q}source").text = previous
                ET.SubElement(alt, f"{q}target", {"xml:lang": tag}).text = suggestion
            if message.context:
                group = ET.SubElement(unit, f"{q}context-group", {"purpose": "information"})
                ET.SubElement(group, f"{q}context", {"context-type": "x-gettext-msgctxt"}).text = message.context
            for comment in message.auto_comments:
                ET.SubElement(unit, f"{q}note", {"from": "developer"}).text = comment
            for filename, lineno in message.locations:
                ET.SubElement(unit, f"{q}note", {"from": "location"}).text = (
                    f"{filename}:{lineno}" if lineno else filename
                )
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


# --- imports -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: object  # str, or tuple (singular, plural)
    strings: tuple[str, ...]
    line: int | None
    fuzzy: bool = False


@dataclass(frozen=True)
class Returned:
    source: str
    domain: str
    lang: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ImportResult:
    domain: str
    lang: str
    merged: int
    catalog: Path


def _target(lang: str) -> str:
    found = find_language(lang)
    if found is None or found.tag == SOURCE_LANGUAGE:
        targets = ", ".join(t for t in LANGUAGES if t != SOURCE_LANGUAGE)
        raise InputError.single(
            "--lang",
            f"'{lang}' is not a language we translate into — choose from: {targets}",
            headline="unknown language",
        )
    return found.tag


def read_returned(path: Path) -> Returned:
    """Parse a returned PO or XLIFF file, refusing anything malformed."""
    shown = display_path(path)
    if not path.is_file():
        raise InputError.single(shown, "file not found", headline=IMPORT_FAILED)
    data = path.read_bytes()
    if not data.strip():
        raise InputError.single(shown, "the file is empty", headline=IMPORT_FAILED)
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError.single(
            shown, f"the file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB", headline=IMPORT_FAILED
        )
    if path.suffix.lower() in (".xlf", ".xliff"):
        returned = _read_xliff(data, shown)
    elif path.suffix.lower() == ".po":
        returned = _read_po(data, shown)
    else:
        raise InputError.single(
            shown, "expected a .po or .xlf file returned from a translation request", headline=IMPORT_FAILED
        )
    _check_language_agrees(path.name, returned)
    return returned


def _language_in_name(name: str) -> str | None:
    """The language a request's file name carries (``letter.pl.po`` → pl), if any."""
    for part in name.split(".")[1:-1]:
        found = find_language(part.replace("_", "-"))
        if found is not None:
            return found.tag
    return None


# Text that is the same in every language: placeholders, markup, links, e-mail and web addresses.
_NOT_WORDS = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]*>|\]\([^)]*\)|\S+@\S+|https?://\S+|www\.\S+")
MIN_LETTERS_TO_JUDGE_SCRIPT = 30


def scripts_used(texts) -> dict[str, int]:
    """How many letters of each script (as Unicode names it: LATIN, ARABIC, CJK …) the texts hold."""
    counts: dict[str, int] = {}
    for text in texts:
        for char in _NOT_WORDS.sub(" ", text):
            if unicodedata.category(char).startswith("L"):
                script = unicodedata.name(char, "?").split(" ", 1)[0]
                counts[script] = counts.get(script, 0) + 1
    return counts


def _check_language_agrees(name: str, returned: Returned) -> None:
    """The file's header, its name and its text must name one language: a Polish request
    whose header was changed to Arabic must not be merged into the Arabic catalog."""
    shown, claimed = returned.source, returned.lang
    named = _language_in_name(name)
    if named is not None and named != claimed:
        raise InputError.single(
            shown,
            f"the file's header says it is in {claimed} ({LANGUAGES[claimed].english_name}), but its name says "
            f"{named} ({LANGUAGES[named].english_name}) — check you chose the right file; nothing was imported",
            headline=IMPORT_FAILED,
        )
    counts = scripts_used(string for entry in returned.entries for string in entry.strings)
    total = sum(counts.values())
    expected = LANGUAGES[claimed].script
    if total >= MIN_LETTERS_TO_JUDGE_SCRIPT and counts.get(expected, 0) < 0.2 * total:
        found = max(counts, key=counts.get)
        raise InputError.single(
            shown,
            f"the file's header says it is in {claimed} ({LANGUAGES[claimed].english_name}), but its translations "
            f"are written in {found.title()} letters, not {expected.title()} — check the file and its "
            "'Language' header; nothing was imported",
            headline=IMPORT_FAILED,
        )


PO_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
PO_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(.*)$")


def po_syntax_problems(text: str, shown: str) -> list[Finding]:
    """A strict look at PO syntax: Babel's reader quietly accepts an unterminated string
    (as empty) and keeps only one of two identical entries, losing a translation."""
    problems, seen = [], {}
    context = msgid = None
    entry_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword = PO_KEYWORD.match(line)
        value = keyword.group(2).strip() if keyword else line
        if not PO_STRING.match(value):
            problems.append(Finding(shown, number, "", 'not valid PO syntax: expected a keyword and a "quoted string"'))
            continue
        if keyword:
            name = keyword.group(1)
            if name == "msgctxt":
                context, entry_line = value, number
            elif name == "msgid":
                msgid = value
                entry_line = entry_line if context is not None else number
                key = (context, msgid)
                if msgid != '""' and key in seen:
                    problems.append(
                        Finding(shown, number, "", f"the entry {msgid[:40]} is given twice (first on line {seen[key]})")
                    )
                seen.setdefault(key, number)
            elif name.startswith("msgstr"):
                context = None
    return problems


def _read_po(data: bytes, shown: str) -> Returned:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError.single(shown, "not UTF-8 text — save the PO file as UTF-8", headline=IMPORT_FAILED) from None
    problems = po_syntax_problems(text, shown)
    if problems:
        raise InputError(f"{shown}: not a well-formed PO file — {IMPORT_FAILED}", tuple(problems[:20]))
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except Exception as exc:
        raise InputError.single(shown, f"not a well-formed PO file: {exc}", headline=IMPORT_FAILED) from None
    lang = _lang_of(str(catalog.locale_identifier or ""), shown, "the PO header 'Language'")
    domain = catalog.project
    entries = tuple(
        Entry(
            m.context,
            m.id,
            tuple(m.string) if isinstance(m.string, (list, tuple)) else (m.string or "",),
            m.lineno,
            m.fuzzy,
        )
        for m in catalog
        if m.id
    )
    return Returned(shown, domain, lang, entries)


def _lang_of(value: str, shown: str, where: str) -> str:
    tag = value.replace("_", "-")
    found = find_language(tag)
    if not value or found is None:
        raise InputError.single(
            shown,
            f"{where} says '{value or 'nothing'}', which is none of the trust's languages",
            headline=IMPORT_FAILED,
        )
    return found.tag


# Byte-order marks, longest first (UTF-32's little-endian mark begins with UTF-16's).
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)


def _xml_text(data: bytes, shown: str) -> str:
    """An XML file's text: UTF-8, or the encoding its byte-order mark names. The checks on
    DOCTYPE and entities then look at text, so no encoding can hide them."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError.single(
            shown, "not UTF-8 text — save the XLIFF file as UTF-8 (as it was sent)", headline=IMPORT_FAILED
        ) from None


def _read_xliff(data: bytes, shown: str) -> Returned:
    text = _xml_text(data, shown)
    if "<!DOCTYPE" in text or "<!ENTITY" in text or "\x00" in text:
        raise InputError.single(shown, "XLIFF files with a DOCTYPE or entities are refused", headline=IMPORT_FAILED)
    try:
        root = ET.fromstring(text)  # text, not bytes: an encoding named in the XML declaration is not obeyed
    except ET.ParseError as exc:
        raise InputError.single(
            shown, f"not well-formed XML: {exc}", exc.position[0] if exc.position else None, headline=IMPORT_FAILED
        ) from None
    q = f"{{{XLIFF_NS}}}"
    if root.tag != f"{q}xliff" or root.get("version") != "1.2":
        raise InputError.single(
            shown, "not an XLIFF 1.2 file from a reportgen translation request", headline=IMPORT_FAILED
        )
    files = root.findall(f"{q}file")
    if len(files) != 1:
        raise InputError.single(shown, "expected exactly one <file> element", headline=IMPORT_FAILED)
    file = files[0]
    lang = _lang_of(file.get("target-language", ""), shown, "target-language")
    lines = _xml_lines(text)
    entries: list[Entry] = []
    body = file.find(f"{q}body")
    for child in list(body) if body is not None else []:
        if child.tag == f"{q}group" and child.get("restype") == "x-gettext-plurals":
            units = child.findall(f"{q}trans-unit")
            if not units:
                continue
            context = units[0].get("resname")
            sources = [u.findtext(f"{q}source") or "" for u in units]
            msgid = (sources[0], sources[1] if len(sources) > 1 else sources[0])
            strings = tuple((u.findtext(f"{q}target") or "") for u in units)
            entries.append(Entry(context, msgid, strings, lines.get(child.get("id"))))
        elif child.tag == f"{q}trans-unit":
            target = child.find(f"{q}target")
            entries.append(
                Entry(
                    child.get("resname"),
                    child.findtext(f"{q}source") or "",
                    ((target.text or "") if target is not None else "",),
                    lines.get(child.get("id")),
                    target is not None and target.get("state") == "needs-review-translation",
                )
            )
    return Returned(shown, file.get("original", ""), lang, tuple(entries))


def _xml_lines(text: str) -> dict[str, int]:
    """Line of each element id, for messages (ElementTree keeps no positions)."""
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in re.finditer(r'\bid="([^"]+)"', line):
            lines.setdefault(match.group(1), number)
    return lines


def validate_returned(returned: Returned, expected_lang: str | None = None) -> tuple[list[Finding], Catalog]:
    """Every problem with a returned file; the current template of its publication."""
    problems: list[Finding] = []
    source = returned.source

    def problem(line, label, text):
        problems.append(Finding(source, line, label, text))

    if expected_lang and _target(expected_lang) != returned.lang:
        problem(None, "", f"the file is in {returned.lang}, but {expected_lang} was expected")
    if returned.lang == SOURCE_LANGUAGE:
        problem(None, "", f"the target language is the source language ({SOURCE_LANGUAGE})")
    template = _template_for(returned.domain)
    if template is None:
        reports = [path.parent.name for path in catalogs.report_files()] + [catalogs.UI_DOMAIN]
        problem(None, "", f"'{returned.domain}' is not a publication in data/ (known: {', '.join(sorted(reports))})")
        return problems, Catalog()
    forms = LANGUAGES[returned.lang].plural_forms[0]
    seen = set()
    for entry in returned.entries:
        label = _entry_label(entry)
        key = (entry.msgid, entry.context)
        if key in seen:
            problem(entry.line, label, "appears twice in the file")
        seen.add(key)
        current = template.get(entry.msgid, entry.context)
        if current is None:
            problem(
                entry.line,
                label,
                "is not in the current text of the publication (it changed since the request?) — ask for a new request",
            )
            continue
        if entry.fuzzy:
            problem(entry.line, label, "is still marked fuzzy — check the suggestion and remove the fuzzy mark")
        plural = isinstance(entry.msgid, (list, tuple))
        if plural and len([s for s in entry.strings if s]) < forms:
            problem(
                entry.line,
                label,
                f"needs {forms} plural forms in {returned.lang}, found {len([s for s in entry.strings if s])}",
            )
        elif not any(s.strip() for s in entry.strings):
            problem(entry.line, label, "has no translation")
        for text in catalogs.message_problems(entry.msgid, list(entry.strings)):
            problem(entry.line, label, text)
        if returned.domain == catalogs.UI_DOMAIN:
            for text in ui_message_problems(entry.msgid, entry.strings):
                problem(entry.line, label, text)
    return problems, template


# Interface messages are plain text: no HTML tags or character references, and no % directive
# other than the source's %(name)s placeholders (a lone % sign, as in "100%", is fine).
UI_MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
UI_DIRECTIVE = re.compile(r"%%|%\([^)]*\)\w?|%[sdif]\b")


def ui_message_problems(msgid, strings) -> list[str]:
    """Why a translation of an interface message cannot be used: markup the source does not
    have, or % directives that are not the source's placeholders."""
    ids = msgid if isinstance(msgid, (list, tuple)) else [msgid]
    allowed = set().union(*(catalogs.PLACEHOLDER.findall(i) for i in ids))
    problems = []
    for string in strings:
        if UI_MARKUP.search(string) and not any(UI_MARKUP.search(i) for i in ids):
            start = UI_MARKUP.search(string).start()
            found = string[start : start + 24]
            problems.append(
                f"contains markup ({found!r}), which interface text may not have — translate the words only"
            )
        odd = sorted({d for d in UI_DIRECTIVE.findall(string) if d not in allowed and d != "%%"})
        if odd:
            problems.append(
                f"contains {', '.join(odd)}, which is not a placeholder of the source text "
                f"(allowed: {', '.join(sorted(allowed)) or 'none'}; write a percent sign as %)"
            )
    return problems


def _template_for(domain: str) -> Catalog | None:
    """The current template of a domain: the UI, or a publication in data/."""
    if domain == catalogs.UI_DOMAIN:
        return catalogs.extract_ui()
    for path in catalogs.report_files():
        report, raw = load_report(path.parent)
        if report.id == domain:
            return catalogs.extract_content(raw.source)
    return None


def _entry_label(entry: Entry) -> str:
    msgid = entry.msgid[0] if isinstance(entry.msgid, (list, tuple)) else entry.msgid
    short = msgid if len(msgid) <= 40 else msgid[:37] + "…"
    return f"entry {short!r}" + (f" ({entry.context})" if entry.context else "")


def import_translation(path: Path, expected_lang: str | None = None) -> ImportResult:
    """Validate a returned file and merge it into the catalog — all of it, or nothing."""
    returned = read_returned(Path(path))
    problems, template = validate_returned(returned, expected_lang)
    if problems:
        raise InputError(f"{returned.source}: {len(problems)} problem(s) — nothing was imported", tuple(problems))
    catalog = catalogs.merged_catalog(template, returned.lang, returned.domain)
    for entry in returned.entries:
        message = catalog.get(entry.msgid, entry.context)
        message.string = entry.strings if isinstance(entry.msgid, (list, tuple)) else entry.strings[0]
        message.flags.discard("fuzzy")
        message.previous_id = []
    target = catalogs.po_path(returned.lang, returned.domain)
    catalogs.write_catalog(catalog, target)
    return ImportResult(returned.domain, returned.lang, len(returned.entries), target)
