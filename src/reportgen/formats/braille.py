"""Braille: the edition as a braille ready file (BRF), and its proof translated back into print.

Takes the same print page as the PDF (so every number, date and label reads as there) and
lays its text out in braille after UKAAF's braille presentation guidance (docs/braille.md):
40 cells by 25 lines, the braille page number at the top right of every page, the title
centred, headings with a blank line before them and never left alone at the foot of a page,
paragraphs starting in cell 3, list items in cell 1 with their runovers in cell 3 (two cells
deeper per level of nesting), tables as one "label: value" item per row, pictures and charts
as their text alternative. The translation is liblouis's, with the table the language's
:class:`~reportgen.languages.Language` record names (English: UEB grade 2); numbers come out
as braille numbers. A BRF holds each cell as one North American ASCII braille character;
lines end in CR LF and each page in a form feed.

The proof (``braille-proof``) is the braille back-translated by liblouis, page by page, so a
sighted officer can see what a braille reader will read.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from reportgen.errors import BuildError
from reportgen.formats import EditionSource
from reportgen.languages import language

LOG = logging.getLogger("reportgen.formats")

CELLS = 40  # cells per line
LINES = 25  # lines per page, the page number's line included
# North American ASCII braille: the character for each of the 64 six-dot cells, in the order
# of Unicode's braille patterns (U+2800 + dots as bits 1..6).
BRF_CHARACTERS = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
# Print typography that braille tables often lack, written the plain way first.
PLAIN = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2022": "",
    "\u00b7": ",",
}


@dataclass(frozen=True)
class Unit:
    """One block of text as braille lays it out."""

    marked: str  # the text, each passage in another language between LANG_START tag LANG_TEXT … LANG_END
    first: int = 0  # cells left empty before its first line
    runover: int = 0  # … and before every later line
    heading: int = 0  # heading level (0: not a heading)
    centred: bool = False
    blank_before: bool = False

    @property
    def text(self) -> str:
        return PASSAGE.sub(lambda m: m.group(2), self.marked)


# A passage in another language (lang="…" in the page) is written with that language's table.
LANG_START, LANG_TEXT, LANG_END = "\ue000", "\ue001", "\ue002"
PASSAGE = re.compile(f"{LANG_START}([^{LANG_TEXT}]*){LANG_TEXT}([^{LANG_END}]*){LANG_END}")


@dataclass(frozen=True)
class Line:
    cells: str  # Unicode braille, padded with its indent
    unit: int  # index of the unit it belongs to (-1: the page number line)


# --- the text, from the page -----------------------------------------------------------------

SKIPPED_CLASSES = {"skip-link", "running-title", "contents", "chart-download", "decorative"}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "caption"}


class _Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []


class _Tree(HTMLParser):
    VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = _Node("root", {})

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(_Node(tag, attrs, self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def _skipped(node: _Node) -> bool:
    classes = set((node.attrs.get("class") or "").split())
    return (
        node.tag in ("head", "style", "script", "svg")
        or node.attrs.get("aria-hidden") == "true"
        or bool(classes & SKIPPED_CLASSES)
    )


def _inline(node) -> str:
    """The words of an inline passage: links with their address, pictures by their alt text."""
    if isinstance(node, str):
        return node
    if _skipped(node):
        return ""
    if node.tag == "br":
        return " "
    if node.tag == "img":
        return node.attrs.get("alt") or ""
    words = "".join(_inline(child) for child in node.children)
    href = node.attrs.get("href") or ""
    if node.tag == "a" and href.startswith(("http://", "https://")):
        shown = href.split("://", 1)[1].rstrip("/")
        if shown not in words:
            words += f" ({shown})"
    if node.attrs.get("lang") and LANG_START not in words:
        words = f"{LANG_START}{node.attrs['lang']}{LANG_TEXT}{words}{LANG_END}"
    return words


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def units_of(html: str) -> list[Unit]:
    """The page's text in reading order, as braille lays it out."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    units: list[Unit] = []

    def add(text, **layout):
        text = _clean(text)
        if text:
            units.append(Unit(text, **layout))

    def walk(node: _Node, depth: int):
        for child in node.children:
            if isinstance(child, str):
                add(child)
                continue
            if _skipped(child):
                continue
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                level = int(tag[1])
                add(_inline(child), heading=level, centred=level <= 2, blank_before=bool(units))
            elif tag in ("ul", "ol"):
                number = 0
                for item in child.children:
                    if isinstance(item, _Node) and item.tag == "li":
                        number += 1
                        words = "".join(_inline(c) for c in item.children if not _is_list(c))
                        label = f"{number}. " if tag == "ol" else ""
                        add(label + words, first=2 * depth, runover=2 * depth + 2)
                        for nested in item.children:
                            if _is_list(nested):
                                walk(_wrap(nested), depth + 1)
            elif tag == "table":
                _table(child, add)
            elif tag == "img":
                add(child.attrs.get("alt") or "", first=2)
            elif tag in BLOCK_TAGS:
                add(_inline(child), first=2)
            else:
                walk(child, depth)

    walk(tree.root, 0)
    return units


def _is_list(node) -> bool:
    return isinstance(node, _Node) and node.tag in ("ul", "ol")


def _wrap(node: _Node) -> _Node:
    holder = _Node("div", {})
    holder.children.append(node)
    return holder


def _rows(node: _Node):
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                yield child
            else:
                yield from _rows(child)


def _table(node: _Node, add) -> None:
    """A table read aloud: its caption, then each row as "label: value" items."""
    caption = next((c for c in node.children if isinstance(c, _Node) and c.tag == "caption"), None)
    if caption is not None:
        add(_inline(caption), first=2)
    rows = [[_clean(_inline(cell)) for cell in row.children if isinstance(cell, _Node)] for row in _rows(node)]
    if not rows:
        return
    header, body = rows[0], rows[1:]
    for row in body:
        pairs = [f"{label}: {value}" if label else value for label, value in zip(header, row, strict=False)]
        add("; ".join(pairs), first=0, runover=2)


# --- braille ---------------------------------------------------------------------------------


def _louis():
    try:
        import louis
    except (ImportError, OSError) as exc:
        raise BuildError(
            f"braille needs liblouis, which is not available here ({exc}) — run make setup, which installs "
            "the Debian packages liblouis-data and python3-louis and makes louis reachable from .venv"
        ) from None
    return louis


def table_for(lang: str) -> str:
    """The liblouis table of ``lang``, or a BuildError saying there is none and what to do."""
    record = language(lang)
    if record.braille_table is None:
        raise BuildError(
            f"there is no braille for {record.english_name} ({record.tag}): liblouis, the braille translator, "
            f"has no {record.english_name} table — offer the reader English braille "
            f"(reportgen build … --lang en-GB --format braille), or {record.english_name} in another format "
            "(large print, audio, the web page read by a screen reader)"
        )
    return record.braille_table


def unavailable(lang: str) -> str | None:
    """Why there can be no braille in ``lang`` (the registry asks before planning), or None."""
    try:
        table_for(lang)
    except BuildError as exc:
        return str(exc)
    return None


def _tables(table: str) -> list[str]:
    """liblouis's table list: Unicode braille cells out (and in), then the language's table(s)."""
    return ["unicode.dis", *table.split(",")]


@cache
def _defined(table: str, char: str) -> bool:
    """The table writes ``char`` in six-dot cells (some tables write a few characters with dots 7-8)."""
    louis = _louis()
    cells = louis.translateString(_tables(table), char, mode=louis.noUndefined).strip()
    return bool(cells) and all(0x2800 <= ord(c) < 0x2840 for c in cells)


def _prepare(text: str, table: str, lang: str) -> str:
    """Text the table can write: plain typography where the table lacks it; what is left out, said."""
    text = unicodedata.normalize("NFC", text)
    # Braille numbers are the same in every table's script; some tables (bn) only know Western digits.
    text = "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)
    out, missing = [], set()
    for char in text:
        if char.isspace() or _defined(table, char):
            out.append(" " if char.isspace() else char)
        elif char in PLAIN and all(_defined(table, c) for c in PLAIN[char] if not c.isspace()):
            out.append(PLAIN[char])
        else:
            missing.add(char)
    if missing:
        _LEFT_OUT.setdefault((lang, table), set()).update(missing)
    return "".join(out)


_LEFT_OUT: dict[tuple[str, str], set[str]] = {}  # (lang, table) → characters left out of this edition


def _say_left_out(source_name: str) -> None:
    """One warning per language and table for the whole edition, not one per passage."""
    for (lang, table), chars in sorted(_LEFT_OUT.items()):
        LOG.warning(
            "%s: braille (%s, %s): left out %s, which the braille table cannot write (see docs/braille.md)",
            source_name,
            lang,
            table,
            ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(chars)),
        )
    _LEFT_OUT.clear()


# Email and web addresses: in a language other than English they are written in UEB grade 1,
# letter for letter, as they must be typed (the other tables write some of their signs, @ among
# them, with dots 7 and 8, which a BRF cannot hold).
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://[\w./?=&%#~+-]*[\w/]|www\.[\w-]+(?:\.[\w-]+)+", re.ASCII)
ADDRESS_TABLE = "en-ueb-g1.ctb"


def translate_marked(marked: str, table: str, lang: str) -> str:
    """A unit's text in braille, each passage in another language with that language's table.

    A language with no table (Somali) is written letter for letter in UEB grade 1: its script
    is the Latin alphabet."""
    cells, start = "", 0
    for match in PASSAGE.finditer(marked):
        cells += translate(marked[start : match.start()], table, lang)
        other = language(match.group(1)).tag if match.group(1) else lang
        other_table = table if other == lang else (language(other).braille_table or ADDRESS_TABLE)
        cells += translate(match.group(2), other_table, other)
        start = match.end()
    return cells + translate(marked[start:], table, lang)


def translate(text: str, table: str, lang: str) -> str:
    """``text`` in Unicode braille (six dots), by liblouis."""
    louis = _louis()
    if table.startswith("en-"):
        parts = [(text, table)]
    else:
        parts, start = [], 0
        for match in ADDRESS.finditer(text):
            parts += [(text[start : match.start()], table), (match.group(), ADDRESS_TABLE)]
            start = match.end()
        parts.append((text[start:], table))
    cells = ""
    for part, part_table in parts:
        if part:
            lead = " " if part[0].isspace() else ""
            trail = " " if part[-1].isspace() and part.strip() else ""
            body = (
                louis.translateString(_tables(part_table), _prepare(part.strip(), part_table, lang))
                if part.strip()
                else ""
            )
            cells += lead + body + trail
    cells = cells.replace(" ", "\u2800")
    odd = sorted({c for c in cells if not 0x2800 <= ord(c) < 0x2840})
    if odd:
        raise BuildError(
            f"braille ({lang}): liblouis wrote cells a BRF cannot hold ({''.join(odd)!r}) — please report it"
        )
    return cells


def _wrap_cells(cells: str, first: int, runover: int, centred: bool) -> list[str]:
    """Lines of at most CELLS cells, broken at braille spaces (a word longer than a line is cut)."""
    words = [w for w in cells.split("\u2800") if w]
    lines, current, indent = [], "", first
    for word in words:
        while len(word) > CELLS - indent:
            if current:
                lines.append(_pad(current, indent, centred))
                current, indent = "", runover
                continue
            lines.append(_pad(word[: CELLS - indent], indent, centred))
            word, indent = word[CELLS - indent :], runover
        candidate = f"{current}\u2800{word}" if current else word
        if len(candidate) <= CELLS - indent:
            current = candidate
        else:
            lines.append(_pad(current, indent, centred))
            current, indent = word, runover
    if current:
        lines.append(_pad(current, indent, centred))
    return lines


def _pad(cells: str, indent: int, centred: bool) -> str:
    if centred:
        indent = max(0, (CELLS - len(cells)) // 2)
    return "\u2800" * indent + cells


@dataclass(frozen=True)
class Braille:
    pages: tuple[tuple[Line, ...], ...]
    units: tuple[Unit, ...]
    table: str


def braille_of(source: EditionSource) -> Braille:
    """The edition laid out in braille pages."""
    from reportgen.formats.html import page
    from reportgen.render.html import Medium

    _LEFT_OUT.clear()

    table = table_for(source.lang)
    units = units_of(page(source, Medium.PRINT))
    body = LINES - 1  # the first line of every page carries its number
    pages: list[list[Line]] = [[]]
    for index, unit in enumerate(units):
        lines = _wrap_cells(translate_marked(unit.marked, table, source.lang), unit.first, unit.runover, unit.centred)
        current = pages[-1]
        blank = unit.blank_before and bool(current)
        needed = len(lines) + blank
        # A heading is never the last thing on a page: it keeps its first line of text with it.
        if unit.heading and index + 1 < len(units):
            needed += 1
        if current and len(current) + min(needed, body) > body:
            pages.append([])
            current, blank = pages[-1], False
        if blank:
            current.append(Line("", index))
        for line in lines:
            if len(current) == body:
                pages.append([])
                current = pages[-1]
            current.append(Line(line, index))
        if unit.heading == 1 and index + 1 < len(units) and len(current) < body:
            current.append(Line("", index))  # the title stands apart
    numbered = []
    for number, lines in enumerate(pages, start=1):
        label = translate(str(number), table, source.lang)
        numbered.append((Line(_pad(label, CELLS - len(label), False), -1), *lines))
    return Braille(tuple(numbered), tuple(units), table)


def brf_text(cells: str) -> str:
    return "".join(BRF_CHARACTERS[ord(c) - 0x2800] for c in cells).rstrip()


def render(source: EditionSource) -> bytes:
    """The BRF: ASCII braille, lines ending in CR LF, every page ending in a form feed."""
    braille = braille_of(source)
    _say_left_out(source.source)
    pages = ["".join(brf_text(line.cells) + "\r\n" for line in page) + "\f" for page in braille.pages]
    return "".join(pages).encode("ascii")


def render_proof(source: EditionSource) -> bytes:
    """The braille translated back into print by liblouis, page by page, laid out as in braille."""
    louis = _louis()
    braille = braille_of(source)
    _LEFT_OUT.clear()  # said once, by the BRF itself
    digits = language(source.lang).digits
    out = []
    for number, page in enumerate(braille.pages, start=1):
        out.append(f"--- braille page {number} ---")
        segments: list[tuple[int, list[str]]] = []
        for line in page[1:]:
            if not line.cells:
                segments.append((-2, []))
            elif segments and segments[-1][0] == line.unit:
                segments[-1][1].append(line.cells)
            else:
                segments.append((line.unit, [line.cells]))
        for unit, lines in segments:
            if unit == -2:
                out.append("")
                continue
            indent = len(lines[0]) - len(lines[0].lstrip("\u2800"))
            cells = "\u2800".join(line.strip("\u2800") for line in lines).replace("\u2800", " ")
            text = louis.backTranslateString(_tables(braille.table), cells)
            text = "".join(c if unicodedata.decimal(c, None) is None else digits[unicodedata.decimal(c)] for c in text)
            out.append(" " * indent + text)
        out.append("")
    return "\n".join(out).encode("utf-8")
