"""Word import: a .docx file → a new publication folder (report.yaml, its pictures, word-import.yaml).

``reportgen import draft.docx DIR`` and the web app's "New publication from a Word file" call
:func:`import_docx`. It reads the document with python-docx (its styles, runs, numbering and
drawings) and maps what the content model can hold: headings to the title and nested sections,
paragraphs with bold, italic and links, lists with nesting, tables, pictures with Word's
description as their alt text, Quote styles, ``w:lang`` on runs, footnotes. Everything it cannot
map (text boxes, comments, SmartArt, embedded objects) is listed in the import report with its
place (the Word paragraph number and the nearest heading), never dropped silently; a document
with tracked changes is refused.

A .docx is a zip of XML files from someone else: before python-docx sees it, the package is
checked against :data:`LIMITS` (size, members, compression ratio) and every XML part with a
DOCTYPE or an entity declaration is refused. The folder is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.content.figures import FileProblem, check_image
from reportgen.errors import Finding, InputError
from reportgen.files import write_folder

IMPORT_REPORT = "word-import.yaml"

# Limits of a Word file (docs/limits.md). A real 200-page report with photographs is a few tens of MB.
MAX_DOCX_BYTES = 50 * 1024 * 1024  # the .docx file itself
MAX_MEMBERS = 2000  # files inside the zip
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all the files inside, unpacked
MAX_RATIO = 100  # unpacked size / packed size of one member (zip bombs reach thousands)
MAX_BLOCKS = 20000  # paragraphs and tables in the body
LIMITS = {
    "file": MAX_DOCX_BYTES,
    "members": MAX_MEMBERS,
    "uncompressed": MAX_UNCOMPRESSED,
    "ratio": MAX_RATIO,
    "blocks": MAX_BLOCKS,
}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


IMAGE_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/svg+xml": ".svg"}
HEADING = re.compile(r"^heading\s*([1-9])$", re.I)
LIST_STYLE = re.compile(r"^list\s+(bullet|number)(?:\s+([2-9]))?$", re.I)
QUOTE_STYLES = {"quote", "intense quote", "quotations"}  # LibreOffice calls its own "Quotations"
# A number or letter typed at the start of a paragraph as a list number: "1.", "2)", "(a)", "iv."
TYPED_NUMBER = re.compile(r"^\s*(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])\s+\S", re.I)
FAKE_HEADING_WORDS = 12  # a bold-only line this short, without a full stop, reads as a heading


class DocxError(InputError):
    """A Word file that cannot be imported; the message says why and what to do."""


@dataclass
class Note:
    """Something the import could not carry over as it was, or that a reader would miss."""

    rule: str  # a content rule id (rules.py)
    message: str
    place: str  # "paragraph 12, under 'Our services'"
    at: str = ""  # field path in report.yaml, where there is one
    paragraph: int | None = None
    was: Any = None  # the value at ``at`` the note is about: once it changes, the note is dealt with


@dataclass
class ImportResult:
    folder: Path
    report: dict
    notes: list[Note]
    problems: list[Finding] = field(default_factory=list)  # what validation still asks for
    pictures: int = 0


# --- the package -------------------------------------------------------------------------------


def check_package(data: bytes, name: str) -> dict[str, bytes]:
    """The XML parts of a .docx within :data:`LIMITS`, or :class:`DocxError` saying which limit."""
    if len(data) > MAX_DOCX_BYTES:
        raise DocxError(
            f"{name}: the file is {len(data) / 1024 / 1024:.0f} MB; a Word file can be at most "
            f"{MAX_DOCX_BYTES // 1024 // 1024} MB — make the pictures smaller in Word (Compress Pictures)"
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DocxError(
            f"{name}: this is not a Word document (.docx) — save it from Word as 'Word Document (*.docx)'"
        ) from None
    if len(members) > MAX_MEMBERS:
        raise DocxError(f"{name}: the file holds {len(members)} parts; a Word file can have at most {MAX_MEMBERS}")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise DocxError(
            f"{name}: unpacked, the file would be {total / 1024 / 1024:.0f} MB; at most "
            f"{MAX_UNCOMPRESSED // 1024 // 1024} MB is read — it may be damaged or built to attack"
        )
    for member in members:
        if member.file_size > MAX_RATIO * max(member.compress_size, 1) and member.file_size > 1024 * 1024:
            raise DocxError(
                f"{name}: part '{member.filename}' unpacks {member.file_size // max(member.compress_size, 1)} "
                f"times larger than it is packed (at most {MAX_RATIO}) — the file looks like a zip bomb, not a document"
            )
    names = {m.filename for m in members}
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise DocxError(f"{name}: this is a zip file but not a Word document — save it from Word as .docx")
    xml_parts: dict[str, bytes] = {}
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            text = package.read(member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            raise DocxError(f"{name}: part '{member.filename}' cannot be read — the file is damaged") from None
        if _declares_entities(text):
            raise DocxError(
                f"{name}: part '{member.filename}' declares a DOCTYPE or entities, which Word never writes — "
                "the file is refused (save it again from Word)"
            )
        xml_parts[member.filename] = text
    return xml_parts


def _declares_entities(data: bytes) -> bool:
    """A DOCTYPE or entity declaration in an XML part, in whatever encoding the part is written."""
    head = data[:4]
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        encoding = "utf-32"
    elif head.startswith(b"\x00\x00\x00") or head[1:4] == b"\x00\x00\x00":
        encoding = "utf-32-be" if head[0] == 0 else "utf-32-le"
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif head[:1] == b"\x00" or head[1:2] == b"\x00":
        encoding = "utf-16-be" if head[0] == 0 else "utf-16-le"
    else:
        encoding = None
    text = data.decode(encoding, errors="replace").encode("utf-8") if encoding else data
    return b"<!DOCTYPE" in text or b"<!ENTITY" in text


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Section:
    title: str
    depth: int
    blocks: list = field(default_factory=list)
    sections: list = field(default_factory=list)


class _Reader:
    def __init__(self, document, name: str):
        self.doc = document
        self.name = name
        self.notes: list[Note] = []
        self.pictures: dict[str, bytes] = {}
        self.paragraph_at: dict[str, int] = {}  # field path → Word paragraph number
        self.number = 0  # Word paragraph number (1-based, body paragraphs in reading order)
        self.heading = ""  # nearest heading so far
        self.title: str | None = None
        self.top: list = []  # blocks before the first section
        self.stack: list[_Section] = []  # open sections
        self.roots: list[_Section] = []
        self.footnotes: dict[str, str] = {}
        self.note_numbers: dict[str, int] = {}
        self.numbering = self._numbering_formats()
        self.langs: set[str] = set()
        self.pending_list: tuple[list, str] | None = None  # (stack of (level, items list)), style
        self.list_state: dict | None = None
        self.empty_run: list[int] = []
        self.unknown_langs: set[str] = set()
        self.anchors: dict[str, str] = {}
        self.pending_caption: tuple | None = None  # (text, block index, section) of a Caption paragraph
        self.language = self.document_language()

    def document_language(self) -> str:
        """The publication's language: the default set on the document's styles, if reportgen knows it."""
        found = self.doc.styles.element.find(f".//{_w('rPrDefault')}//{_w('lang')}")
        tag = found.get(_w("val")) if found is not None else None
        return (map_language(tag) if tag else None) or "en-GB"

    # places -------------------------------------------------------------------------------

    def place(self, number: int | None = None) -> str:
        number = self.number if number is None else number
        under = f", under '{self.heading}'" if self.heading else ", before the first heading"
        return f"paragraph {number}{under}"

    def note(self, rule: str, message: str, at: str = "", number: int | None = None, was: Any = None) -> None:
        number = self.number if number is None else number
        self.notes.append(Note(rule, message, self.place(number), at, number, was))

    # numbering ----------------------------------------------------------------------------

    def _numbering_formats(self) -> dict[tuple[str, int], str]:
        """(numId, level) → numFmt ("bullet", "decimal", …) from the numbering part."""
        formats: dict[tuple[str, int], str] = {}
        try:
            numbering = self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return formats
        abstract: dict[str, dict[int, str]] = {}
        for item in numbering.findall(_w("abstractNum")):
            levels = {}
            for lvl in item.findall(_w("lvl")):
                fmt = lvl.find(_w("numFmt"))
                levels[int(lvl.get(_w("ilvl"), "0"))] = fmt.get(_w("val")) if fmt is not None else "decimal"
            abstract[item.get(_w("abstractNumId"))] = levels
        for num in numbering.findall(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(_w("val")), {}).items():
                formats[(num.get(_w("numId")), level)] = fmt
        return formats

    def list_info(self, paragraph) -> tuple[str, int] | None:
        """("bullet" or "numbered", level) for a list paragraph, else None."""
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        match = LIST_STYLE.match(style.strip())
        ppr = paragraph._p.pPr
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        if numpr is not None:
            num = numpr.find(_w("numId"))
            lvl = numpr.find(_w("ilvl"))
            num_id = num.get(_w("val")) if num is not None else None
            if num_id and num_id != "0":
                level = int(lvl.get(_w("val"), "0")) if lvl is not None else 0
                fmt = self.numbering.get((num_id, level))
                if fmt is None and match:
                    fmt = "bullet" if match.group(1).lower() == "bullet" else "decimal"
                kind = "bullet" if fmt in (None, "bullet", "none") else "numbered"
                return kind, min(level, 8)
        if match:
            kind = "bullet" if match.group(1).lower() == "bullet" else "numbered"
            return kind, int(match.group(2) or 1) - 1
        return None

    # inline text --------------------------------------------------------------------------

    def inline(self, paragraph) -> tuple[str, str | None, bool]:
        """(Markdown text, the language set on most of its text, all text bold)."""
        from docx.text.hyperlink import Hyperlink
        from docx.text.run import Run

        pieces: list[str] = []
        langs: dict[str, int] = {}
        bold_chars = 0
        chars = 0
        for item in paragraph.iter_inner_content():
            if isinstance(item, Hyperlink):
                label = "".join(self.run_text(r) for r in item.runs).strip()
                href = item.address or ""
                if item.fragment and href:
                    href = f"{href}#{item.fragment}"
                elif item.fragment:
                    href = self.anchors.get(item.fragment, "")
                    if not href:
                        self.note(
                            "word-unmapped",
                            f"the link {_short(label)} goes to a place in the document that is not a heading "
                            f"(bookmark '{item.fragment}'): it was imported as plain text — link to a section instead",
                        )
                for run in item.runs:
                    self.count_lang(run, langs)
                if label and href:
                    pieces.append(f"[{_escape(label)}]({href.replace(' ', '%20').replace(')', '%29')})")
                elif label:
                    pieces.append(_escape(label))
                continue
            if not isinstance(item, Run):
                continue
            text = self.run_text(item)
            self.scan_run(item)
            if not text:
                continue
            self.count_lang(item, langs, len(text))
            chars += len(text.strip())
            bold, italic = _run_emphasis(item)
            if bold:
                bold_chars += len(text.strip())
            pieces.append(_emphasis(_escape(text), bold, italic))
        text = re.sub(r"[ \t]+", " ", "".join(pieces)).strip()
        text = re.sub(r"\*\*\s*\*\*", "", text)
        lang = max(langs, key=langs.get) if langs else None
        others = [tag for tag in langs if tag != lang]
        if text and others:
            names = ", ".join(tag or self.language for tag in others)
            self.note(
                "word-unmapped",
                f"part of this paragraph is in another language ({names}); reportgen sets the language of "
                "a whole paragraph — put that part in a paragraph of its own to have it read in its language",
            )
        return text, lang, chars > 0 and bold_chars == chars

    def run_text(self, run) -> str:
        out = []
        for child in run._r:
            tag = child.tag
            if tag == _w("t"):
                out.append(child.text or "")
            elif tag == _w("tab"):
                out.append(" ")
            elif tag in (_w("br"), _w("cr")):
                if child.get(_w("type")) != "page":
                    out.append(" ")
            elif tag == _w("footnoteReference"):
                out.append(self.footnote_mark(child.get(_w("id"))))
            elif tag == _w("noBreakHyphen"):
                out.append("-")
        return "".join(out)

    def count_lang(self, run, langs: dict[str | None, int], weight: int = 1) -> None:
        rpr = run._r.rPr
        lang = rpr.find(_w("lang")) if rpr is not None else None
        tag = lang.get(_w("val")) if lang is not None else None
        known = map_language(tag) if tag else None
        if tag and known is None and tag not in self.unknown_langs:
            self.unknown_langs.add(tag)
            self.note(
                "word-unmapped",
                f"text marked in Word as language '{tag}', which reportgen does not publish in: it was "
                "imported without a language of its own",
            )
        if known == self.language:
            known = None
        langs[known] = langs.get(known, 0) + weight

    def scan_run(self, run) -> None:
        """Report what a run holds that is not text: text boxes, SmartArt, charts, objects."""
        r = run._r
        if r.find(f".//{{{WPS}}}txbx") is not None or r.find(f".//{_w('txbxContent')}") is not None:
            inner = " ".join(t.text or "" for t in r.iter(_w("t"))).strip()
            self.note(
                "word-unmapped",
                f"a text box was not imported{': ' + _short(inner) if inner else ''} — "
                "put its text in an ordinary paragraph (or a callout) in report.yaml",
            )
            return
        for graphic in r.iter(f"{{{A}}}graphicData"):
            uri = graphic.get("uri", "")
            if uri == DGM:
                self.note("word-unmapped", "a SmartArt graphic was not imported — write its content as a list or text")
            elif uri == CHART:
                self.note(
                    "word-unmapped", "a chart was not imported — give its data as a table, or add it as a picture"
                )
        if r.find(_w("object")) is not None or r.find(_w("pict")) is not None:
            self.note("word-unmapped", "an embedded object was not imported — add its content as text or a picture")

    def footnote_mark(self, note_id: str | None) -> str:
        if note_id is None or note_id not in self.footnotes:
            return ""
        number = self.note_numbers.setdefault(note_id, len(self.note_numbers) + 1)
        return f" (note {number})"

    # pictures -----------------------------------------------------------------------------

    def pictures_in(self, paragraph) -> list[dict]:
        figures = []
        for drawing in paragraph._p.iter(_w("drawing")):
            if drawing.find(f".//{{{PIC}}}pic") is None:
                continue
            blip = drawing.find(f".//{{{A}}}blip")
            doc_pr = drawing.find(f".//{{{WP}}}docPr")
            rid = blip.get(f"{{{R}}}embed") if blip is not None else None
            part = self.doc.part.related_parts.get(rid) if rid else None
            if part is None:
                self.note("word-unmapped", "a linked picture (not stored in the file) was not imported — insert it")
                continue
            ext = IMAGE_EXTENSIONS.get(part.content_type)
            if ext is None:
                self.note(
                    "word-unmapped",
                    f"a picture of type {part.content_type} was not imported — save it as PNG or JPEG and add it",
                )
                continue
            name = f"picture-{len(self.pictures) + 1}{ext}"
            self.pictures[name] = part.blob
            alt = " ".join((doc_pr.get("descr") or "").split()) if doc_pr is not None else ""
            figure: dict[str, Any] = {"type": "figure", "src": name}
            if alt:
                figure["alt"] = alt
            elif _marked_decorative(doc_pr):
                figure["decorative"] = True
                figure["_decorative_in_word"] = True
            else:
                figure["decorative"] = True  # so the draft builds; reported as an error until described
            figures.append(figure)
        return figures

    # blocks -------------------------------------------------------------------------------

    @property
    def blocks(self) -> list:
        return self.stack[-1].blocks if self.stack else self.top

    def path_of_next_block(self) -> str:
        path = ""
        if self.stack:
            indexes = []
            siblings = self.roots
            for section in self.stack:
                indexes.append(siblings.index(section))
                siblings = section.sections
            path = "".join(f"sections[{i}]." for i in indexes)
        return f"{path}blocks[{len(self.blocks)}]"

    def add_block(self, block: dict, number: int | None = None) -> str:
        at = self.path_of_next_block()
        self.blocks.append(block)
        self.paragraph_at[at] = self.number if number is None else number
        return at

    def end_list(self) -> None:
        self.list_state = None

    def add_list_item(self, kind: str, level: int, text: str) -> None:
        state = self.list_state
        if state is None or (level == 0 and state["style"] != kind):
            block = {"type": "list", "style": kind, "items": []}
            if kind == "bullet":
                block.pop("style")
            self.add_block(block)
            state = self.list_state = {"style": kind, "levels": [(block["items"], kind)], "block": block}
        levels = state["levels"]
        level = min(level, len(levels))  # a level can only open one below the last
        del levels[level + 1 :]
        if level == len(levels):
            parent_items, parent_kind = levels[-1]
            parent = parent_items[-1] if parent_items else None
            if parent is None:
                level = len(levels) - 1
            else:
                if isinstance(parent, str):
                    parent = {"text": parent, "items": []}
                    parent_items[-1] = parent
                if kind != parent_kind:
                    parent["style"] = kind
                levels.append((parent["items"], kind))
        levels[level][0].append(text)

    def open_section(self, title: str, depth: int) -> None:
        while self.stack and self.stack[-1].depth >= depth:
            self.stack.pop()
        depth = len(self.stack) + 1 if depth > len(self.stack) + 1 else depth
        section = _Section(title, depth)
        (self.stack[-1].sections if self.stack else self.roots).append(section)
        self.stack.append(section)

    def flush_empty(self) -> None:
        run = self.empty_run
        self.empty_run = []
        if run:
            span = f"paragraphs {run[0]}–{run[-1]}" if len(run) > 1 else f"paragraph {run[0]}"
            under = f", under '{self.heading}'" if self.heading else ""
            self.notes.append(
                Note(
                    "spacing-paragraph",
                    f"{len(run)} empty paragraph(s) used for spacing were left out — in Word, set the space "
                    "before or after the paragraph instead (Layout → Spacing); screen readers announce each "
                    "empty line as 'blank'",
                    f"{span}{under}",
                    "",
                    run[0],
                )
            )

    # the walk -----------------------------------------------------------------------------

    def read(self) -> dict:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        self.read_footnotes()
        self.refuse_tracked_changes()
        self.anchors = self.heading_bookmarks()
        self.list_comments()
        count = 0
        body = self.doc.element.body
        for child in body.iterchildren():
            count += 1
            if count > MAX_BLOCKS:
                raise DocxError(f"{self.name}: more than {MAX_BLOCKS} paragraphs and tables — split the document")
            if child.tag == _w("p"):
                self.number += 1
                self.paragraph(Paragraph(child, self.doc._body))
            elif child.tag == _w("tbl"):
                self.number += 1
                self.flush_empty()
                self.end_list()
                self.table(Table(child, self.doc._body))
            elif child.tag == _w("sdt"):
                self.number += 1
                self.note(
                    "word-unmapped",
                    "a content control (e.g. a table of contents or a form field) was not imported — "
                    "reportgen makes the contents list itself; copy any other text into report.yaml",
                )
            elif child.tag in (_w("bookmarkStart"), _w("bookmarkEnd"), _w("sectPr")):
                continue
        self.empty_run = []  # empty paragraphs at the very end space nothing: nothing to report
        if self.note_numbers:
            self.end_list()
            self.stack = []
            self.open_section("Notes", 1)
            ordered = sorted(self.note_numbers, key=self.note_numbers.get)
            self.add_block({"type": "list", "style": "numbered", "items": [self.footnotes[i] for i in ordered]})
        return self.assemble()

    def paragraph(self, paragraph) -> None:
        style = ((paragraph.style.name if paragraph.style is not None else "") or "").strip()
        text, lang, all_bold = self.inline(paragraph)
        figures = self.pictures_in(paragraph)
        if not text and not figures:
            if not self.has_page_break(paragraph) and paragraph._p.find(f".//{_w('drawing')}") is None:
                self.empty_run.append(self.number)
            return
        self.flush_empty()
        heading = HEADING.match(style)
        if style.lower() == "title" and text:
            self.end_list()
            plain = _unescape_plain(text)
            if self.title is None:
                self.title = plain
                self.heading = plain
                return
            self.note("word-unmapped", f"a second Title paragraph '{plain}' became a level 1 heading")
            heading = HEADING.match("heading 1")
        if heading and text:
            self.end_list()
            depth = int(heading.group(1))
            plain = _unescape_plain(text)
            if depth > 5:
                self.note(
                    "word-unmapped",
                    f"Heading {depth} '{plain}' is deeper than reportgen's 5 levels: it became a level 5 heading",
                )
                depth = 5
            if self.stack and depth > len(self.stack) + 1:
                self.note(
                    "heading-skip",
                    f"heading '{plain}' (Heading {depth}) skips a level; it was placed one level below '{self.heading}'",
                )
            self.open_section(plain, depth)
            self.heading = plain
            return
        info = self.list_info(paragraph)
        if info and text:
            self.add_list_item(info[0], info[1], text)
            if figures:  # a picture cannot sit inside a list item: it follows the list
                self.end_list()
                for figure in figures:
                    self.figure(figure)
            return
        self.end_list()
        if text and style.lower() == "caption" and not figures:
            last = self.blocks[-1] if self.blocks else None
            if last is not None and last.get("type") == "figure" and "caption" not in last:
                last["caption"] = text  # Word's Caption style under a picture
                return
            self.pending_caption = (text, len(self.blocks), self.stack[-1] if self.stack else None)
        if text:
            if style.lower() in QUOTE_STYLES:
                self.add_block({"type": "quote", "text": text})
            else:
                block: dict[str, Any] = {"type": "paragraph", "text": text}
                if lang:
                    block["lang"] = lang
                    self.langs.add(lang)
                self.add_block(block)
        for figure in figures:
            self.figure(figure)

    def figure(self, figure: dict) -> None:
        marked = figure.pop("_decorative_in_word", False)
        at = self.add_block(figure)
        if figure.get("decorative") and not marked:
            self.note(
                "alt-text",
                f"the picture {figure['src']} has no description in Word, so it has no alt text — describe what "
                "it shows (write alt: and remove decorative: true), or confirm it only decorates (a waiver)",
                f"{at}.decorative",
                was=True,
            )

    def has_page_break(self, paragraph) -> bool:
        p = paragraph._p
        return (
            any(br.get(_w("type")) == "page" for br in p.iter(_w("br")))
            or p.find(f"{_w('pPr')}/{_w('sectPr')}") is not None
        )

    def table(self, table) -> None:
        rows = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                parts = []
                for paragraph in cell.paragraphs:
                    text, _lang, _bold = self.inline(paragraph)
                    if text:
                        parts.append(_unescape_plain(text))
                cells.append(" ".join(parts))
            rows.append(cells)
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        labels = [c.strip() for c in rows[0]]
        body = rows[1:]
        columns = []
        keys: list[str] = []
        for index, label in enumerate(labels):
            key = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_").lower() or f"column_{index + 1}"
            while key in keys:
                key = f"{key}_{index + 1}"
            keys.append(key)
            values = [r[index].strip() for r in body if r[index].strip()]
            kind = "text"
            if values and all(_as_number(v) is not None for v in values):
                kind = "percent" if all(v.endswith("%") for v in values) else "number"
            column: dict[str, Any] = {"key": key, "label": label or f"Column {index + 1}"}
            if kind != "text":
                column["type"] = kind
            if not label:
                self.note("table-headers", f"column {index + 1} of the table has no label in its first row", "")
            columns.append(column)
        out_rows = []
        for r in body:
            row: dict[str, Any] = {}
            for column, value in zip(columns, r, strict=True):
                value = value.strip()
                if not value:
                    row[column["key"]] = None
                elif column.get("type") in ("number", "percent"):
                    row[column["key"]] = _as_number(value)
                else:
                    row[column["key"]] = value
            out_rows.append(row)
        pending, self.pending_caption = self.pending_caption, None
        here = self.stack[-1] if self.stack else None
        if pending and pending[1] == len(self.blocks) - 1 and pending[2] is here:
            self.blocks.pop()  # Word's Caption paragraph just above the table is its caption
            self.paragraph_at.pop(self.path_of_next_block(), None)
            caption = _unescape_plain(pending[0])
            self.add_block({"type": "table", "caption": caption, "columns": columns, "rows": out_rows})
            return
        caption = self.heading or "Table"
        block = {"type": "table", "caption": caption, "columns": columns, "rows": out_rows}
        at = self.add_block(block)
        self.note(
            "word-unmapped",
            f"the table's caption was set to the heading above it ('{caption}') — write a caption that says what it shows",
            f"{at}.caption",
            was=caption,
        )

    def read_footnotes(self) -> None:
        from lxml import etree

        for rel in self.doc.part.rels.values():
            if rel.reltype.endswith("/footnotes") and not rel.is_external:
                root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
                for note in root.findall(_w("footnote")):
                    if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                        continue
                    text = " ".join("".join(t.text or "" for t in p.iter(_w("t"))).strip() for p in note.iter(_w("p")))
                    if text.strip():
                        self.footnotes[note.get(_w("id"))] = _escape(" ".join(text.split()))

    def heading_bookmarks(self) -> dict[str, str]:
        """Word bookmark name → the section anchor of the heading it marks (internal links, a Word TOC)."""
        anchors: dict[str, str] = {}
        for p in self.doc.element.body.iterchildren(_w("p")):
            style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
            name = self.doc.styles.element.get_by_id(style.get(_w("val"))) if style is not None else None
            style_name = name.name_val if name is not None else ""
            if not HEADING.match(style_name or ""):
                continue
            title = " ".join("".join(t.text or "" for t in p.iter(_w("t"))).split())
            for mark in p.iter(_w("bookmarkStart")):
                if title and mark.get(_w("name")):
                    anchors[mark.get(_w("name"))] = "#" + _slug(title)
        return anchors

    def refuse_tracked_changes(self) -> None:
        body = self.doc.element.body
        tracked = [
            el for tag in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange") for el in body.iter(_w(tag))
        ]
        if not tracked:
            return
        number = 0
        first = None
        for child in body.iterchildren():
            if child.tag in (_w("p"), _w("tbl")):
                number += 1
            if any(child is el or el in child.iter() for el in tracked[:1]):
                first = number
                break
        raise DocxError(
            f"{self.name}: the document has {len(tracked)} tracked change(s)"
            + (f", the first in paragraph {first}" if first else "")
            + " — in Word, accept or reject them first (Review → Accept → Accept All Changes, "
            "or Reject All), save, and import again"
        )

    def list_comments(self) -> None:
        from lxml import etree

        comments: dict[str, str] = {}
        for rel in self.doc.part.rels.values():
            if rel.reltype.endswith("/comments") and not rel.is_external:
                root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
                for comment in root.findall(_w("comment")):
                    words = " ".join("".join(t.text or "" for t in comment.iter(_w("t"))).split())
                    who = comment.get(_w("author")) or "someone"
                    comments[comment.get(_w("id"))] = f"{who}: {words}"
        if not comments:
            return
        number = 0
        heading = ""
        body = self.doc.element.body
        for child in body.iterchildren():
            if child.tag not in (_w("p"), _w("tbl")):
                continue
            number += 1
            style = child.find(f"{_w('pPr')}/{_w('pStyle')}")
            if style is not None and re.match(r"^(heading\d|title)$", (style.get(_w("val")) or "").lower()):
                heading = "".join(t.text or "" for t in child.iter(_w("t"))).strip() or heading
            for ref in child.iter(_w("commentReference")):
                text = comments.pop(ref.get(_w("id")), None)
                if text:
                    under = f", under '{heading}'" if heading else ""
                    self.notes.append(
                        Note(
                            "word-unmapped",
                            f"Word comment not imported — {_short(text, 200)}",
                            f"paragraph {number}{under}",
                            "",
                            number,
                        )
                    )
        for text in comments.values():
            self.notes.append(Note("word-unmapped", f"Word comment not imported — {_short(text, 200)}", "the document"))

    def promote_single_heading(self) -> None:
        """No Title paragraph, and the whole document under one Heading 1: that heading is the title
        (people often use Heading 1 for it), and its subsections move up a level."""
        if self.title is not None or self.top or len(self.roots) != 1:
            return
        only = self.roots[0]
        self.title = only.title
        self.top = only.blocks
        self.roots = only.sections

        def moved(at: str) -> str:
            if at.startswith("sections[0].sections["):
                return at[len("sections[0].") :]
            if at.startswith("sections[0].blocks["):
                return at[len("sections[0].") :]
            return at

        self.paragraph_at = {moved(at): number for at, number in self.paragraph_at.items()}
        for note in self.notes:
            note.at = moved(note.at)

    def assemble(self) -> dict:
        self.promote_single_heading()
        props = self.doc.core_properties
        data: dict[str, Any] = {"format": 1}
        title = self.title or (props.title or "").strip() or None
        report_id = _slug(title or Path(self.name).stem) or "imported-document"
        data["id"] = report_id[:60].strip("-")
        data["kind"] = "report"
        data["language"] = self.language
        if title:
            data["title"] = title
        if (props.subject or "").strip():
            data["description"] = props.subject.strip()
        elif (props.comments or "").strip():
            data["description"] = " ".join(props.comments.split())
        keywords = [k.strip() for k in re.split(r"[,;]", props.keywords or "") if k.strip()]
        if keywords:
            data["keywords"] = keywords
        if self.top:
            data["blocks"] = self.top
        if self.roots:
            data["sections"] = [_section_data(s) for s in self.roots]
        return data


def _marked_decorative(doc_pr) -> bool:
    """Word's 'Mark as decorative' (an a14/adec extension on the picture's properties)."""
    if doc_pr is None:
        return False
    return any(el.tag.rsplit("}", 1)[-1] == "decorative" and el.get("val") in ("1", "true") for el in doc_pr.iter())


def map_language(tag: str) -> str | None:
    """reportgen's tag for a language tag Word writes (pl-PL → pl, en-US → en-GB, zh-TW → zh-Hant)."""
    from reportgen.languages import LANGUAGES, find_language

    found = find_language(tag)
    if found is not None:
        return found.tag
    parts = tag.replace("_", "-").split("-")
    first = parts[0].lower()
    if first == "en":
        return "en-GB"
    if first == "zh":
        return "zh-Hant" if any(p.upper() in ("TW", "HK", "MO", "HANT") for p in parts[1:]) else None
    if first == "pa" and any(p.upper() in ("PK", "ARAB") for p in parts[1:]):
        return None  # Shahmukhi, not the Gurmukhi reportgen publishes
    return first if first in LANGUAGES else None


def _section_data(section: _Section) -> dict:
    out: dict[str, Any] = {"title": section.title}
    if section.blocks:
        out["blocks"] = section.blocks
    if section.sections:
        out["sections"] = [_section_data(s) for s in section.sections]
    return out


# --- helpers -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Word text as inline Markdown that shows exactly that text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _unescape_plain(text: str) -> str:
    """Inline Markdown back to plain text (headings, captions and cells are plain)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<!\\)\*+", "", text)
    return re.sub(r"\\([\\`*_\[\]<>])", r"\1", text).strip()


def _run_emphasis(run) -> tuple[bool, bool]:
    """(bold, italic) of a run: set on it, or by its character style (LibreOffice's Strong Emphasis)."""
    bold, italic = run.bold, run.italic
    style = run.style if run._r.rPr is not None and run._r.rPr.rStyle is not None else None
    while style is not None and (bold is None or italic is None):
        bold = style.font.bold if bold is None else bold
        italic = style.font.italic if italic is None else italic
        style = style.base_style
    return bool(bold), bool(italic)


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    if not text.strip() or not (bold or italic):
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    core = text.strip()
    if italic:
        core = f"*{core}*"
    if bold:
        core = f"**{core}**"
    return f"{lead}{core}{trail}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"'{text[: limit - 1]}…'" if len(text) > limit else f"'{text}'"


def _as_number(value: str) -> float | None:
    cleaned = value.replace(",", "").replace("%", "").replace("£", "").strip()
    if not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", cleaned):
        return None
    number = float(cleaned)
    return int(number) if number.is_integer() and "." not in cleaned else number


# --- the whole import ------------------------------------------------------------------------


def read_docx(data: bytes, name: str) -> tuple[dict, dict[str, bytes], list[Note], dict[str, int]]:
    """(report.yaml data, picture files, notes, field path → Word paragraph) of a .docx file's bytes."""
    check_package(data, name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocxError(
            f"{name}: this file cannot be read as a Word document ({exc}) — save it again from Word as .docx"
        ) from None
    except Exception as exc:  # lxml's XMLSyntaxError and python-docx's own: a damaged part
        raise DocxError(
            f"{name}: part of the document is damaged ({type(exc).__name__}) — save it again from Word"
        ) from None
    reader = _Reader(document, name)
    report = reader.read()
    if not report.get("blocks") and not report.get("sections"):
        raise DocxError(f"{name}: the document has no text to import")
    return report, reader.pictures, reader.notes, reader.paragraph_at


def import_docx(source: Path, folder: Path, *, force: bool = False, data: bytes | None = None) -> ImportResult:
    """Make publication ``folder`` from the Word file ``source``; the folder appears whole or not at all."""
    from reportgen.content.load import RawReport, parse_yaml
    from reportgen.content.model import validate_report

    name = Path(source).name
    if data is None:
        path = Path(source)
        if not path.is_file():
            raise DocxError(f"{source}: there is no such file — give the path of a .docx file")
        if path.stat().st_size > MAX_DOCX_BYTES:
            raise DocxError(
                f"{source}: the file is {path.stat().st_size / 1024 / 1024:.0f} MB; a Word file can be at most "
                f"{MAX_DOCX_BYTES // 1024 // 1024} MB — make the pictures smaller in Word (Compress Pictures)"
            )
        data = path.read_bytes()
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())) and not force:
        raise DocxError(
            f"{folder}: this folder already exists and is not empty — choose a new folder, or add --force to replace it"
        )
    report, pictures, notes, paragraph_at = read_docx(data, name)
    with tempfile.TemporaryDirectory(prefix="reportgen-docx-") as scratch:
        for picture, blob in pictures.items():
            target = Path(scratch) / picture
            target.write_bytes(blob)
            try:
                check_image(target)
            except FileProblem as exc:
                raise DocxError(f"{name}: picture {picture} {exc}") from None
    text = report_yaml(report, name)
    files = {"report.yaml": text.encode("utf-8"), **pictures}
    files[IMPORT_REPORT] = import_report_yaml(name, notes, paragraph_at).encode("utf-8")
    # Validate against the written text (as the build will), with pictures present: in a scratch folder.
    with tempfile.TemporaryDirectory(prefix="reportgen-docx-") as scratch:
        for file_name, blob in files.items():
            (Path(scratch) / file_name).write_bytes(blob)
        parsed, lines = parse_yaml(text, "report.yaml")
        problems: list[Finding] = []
        try:
            validate_report(RawReport(Path(scratch), Path(scratch) / "report.yaml", parsed, lines))
        except InputError as exc:
            problems = [
                Finding(str(folder / "report.yaml"), p.line, p.pointer, p.message, p.rule) for p in exc.problems
            ]
    write_folder(folder, files)
    return ImportResult(folder, report, notes, problems, len(pictures))


REQUIRED_LATER = (
    ("organisation", "the organisation's name"),
    ("published", "the date of publication, YYYY-MM-DD"),
    ("description", "one or two sentences on what the publication is (search and document properties)"),
    ("publisher", "who publishes it, e.g. Communications team, <trust>"),
    ("contact", "how readers contact you: name, email, phone…"),
)


def report_yaml(report: dict, name: str) -> str:
    head = [
        "# yaml-language-server: $schema=../../docs/report.schema.json",
        f"# Imported from the Word file {name} by reportgen import on {dt.date.today().isoformat()}.",
        f"# What could not be carried over is listed in {IMPORT_REPORT}; reportgen check lists it too.",
    ]
    missing = [(key, what) for key, what in REQUIRED_LATER if key not in report]
    if missing:
        head.append("# Still to fill in (Word does not hold them):")
        head.extend(f"#   {key}: {what}" for key, what in missing)
    body = yaml.safe_dump(report, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return "\n".join(head) + "\n" + body


def import_report_yaml(name: str, notes: list[Note], paragraph_at: dict[str, int]) -> str:
    data = {
        "source": name,
        "notes": [
            {
                **{k: v for k, v in (("rule", n.rule), ("place", n.place), ("at", n.at), ("message", n.message)) if v},
                **({"was": n.was} if n.was is not None else {}),
            }
            for n in notes
        ],
        "paragraphs": paragraph_at,
    }
    head = (
        f"# What reportgen import found in {name} that a reader would miss or that could not be carried over.\n"
        "# reportgen check shows these with the rest of its findings. 'paragraphs' maps each block of\n"
        "# report.yaml to the Word paragraph it came from. Delete this file once you have dealt with it.\n"
    )
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def read_import_report(folder: Path) -> dict | None:
    """The folder's word-import.yaml as data, or None when there is none (or it is not readable)."""
    path = Path(folder) / IMPORT_REPORT
    try:
        if not path.is_file() or path.stat().st_size > 2 * 1024 * 1024:
            return None
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None
