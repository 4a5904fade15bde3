"""Plain text: the edition as UTF-8 text, for email and for readers who ask for "electronic" format.

Made from the same HTML page as the web page (so numbers, dates and placeholders read exactly
as there): headings underlined (``=`` for the title, ``-`` below it), paragraphs wrapped at 72
columns (never inside a word), lists with bullets or numbers and their nesting, tables as one
"label: value" record per row, links written out ("text (https://…)"), pictures and charts as
their text alternative, and a passage in another language kept with its language named
("[In Polish] …"). Right-to-left text stays in logical order, as plain text should.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reportgen.formats import EditionSource
from reportgen.formats.html import page
from reportgen.languages import find_language
from reportgen.render.html import Medium

WIDTH = 72
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "figcaption", "dt", "dd", "blockquote", "tr"}
SKIPPED = {"style", "script", "head", "template"}
VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "col", "area", "base", "embed", "track"}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width font: wide (CJK) characters two, marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def language_name(tag: str, page_lang: str) -> str:
    """The language's name as the reader of the page calls it (English name if Babel lacks it)."""
    from babel import Locale, UnknownLocaleError

    found = find_language(tag)
    try:
        name = Locale.parse(page_lang.replace("-", "_")).languages.get(tag.split("-")[0])
    except (UnknownLocaleError, ValueError):
        name = None
    return name or (found.english_name if found else tag)


@dataclass
class _Table:
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)  # (text, is a header cell)
    cell: list[str] | None = None
    cell_header: bool = False
    in_head: bool = False


class _TextWriter(HTMLParser):
    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.out: list[str] = []  # finished blocks, each already laid out
        self.buffer: list[str] = []  # inline text of the open block
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang) of open elements
        self.lists: list[list] = []  # [kind, counter] of open lists
        self.skip = 0
        self.links: list[str | None] = []
        self.link_start: list[int] = []
        self.tables: list[_Table] = []
        self.svg = 0
        self.svg_text: list[str] = []
        self.svg_capture = False
        self.marked_lang: list[str] = []

    # --- helpers ---------------------------------------------------------------------

    def _lang(self) -> str:
        for _tag, lang in reversed(self.stack):
            if lang:
                return lang
        return self.page_lang

    def _flush(self, tag: str | None = None) -> None:
        text = re.sub(r"[ \t\r\n\u00a0]+", lambda m: "\u00a0" if m.group(0) == "\u00a0" else " ", "".join(self.buffer))
        text = text.strip(" ")
        self.buffer = []
        if not text:
            return
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.append(text)
            return
        self._emit(text, tag)

    def _emit(self, text: str, tag: str | None) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = _wrap(text, "", "")
            rule = "=" if tag == "h1" else "-"
            self.out.append(f"{heading}\n{rule * max(3, *(display_width(line) for line in heading.splitlines()))}")
        elif self.lists and any(t == "li" for t, _ in self.stack):
            depth = len(self.lists) - 1
            kind = self.lists[-1]
            marker = f"{kind[1]}." if kind[0] == "ol" else "*"
            indent = "  " * depth
            first = indent + (f"{marker} " if not kind[2] else " " * (len(marker) + 1))
            kind[2] = True
            self.out.append(_wrap(text, first, indent + " " * (len(marker) + 1)))
        elif tag == "blockquote" or any(t == "blockquote" for t, _ in self.stack):
            self.out.append(_wrap(text, "  ", "  "))
        else:
            self.out.append(_wrap(text, "", ""))

    # --- parser callbacks ------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip or tag in SKIPPED:
            if tag not in VOID:
                self.skip += 1
            return
        if self.svg:
            if tag != "svg" and tag not in VOID:
                self.stack.append((tag, None))
            if tag in ("title", "desc"):
                self.svg_capture = True
            if tag == "svg":
                self.svg += 1
            return
        if tag == "svg":
            self._flush()
            self.svg = 1
            self.svg_text = []
            return
        if tag == "img":
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self._flush()
                self._emit(alt, None)
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        if (tag == "nav" and "contents" in (attrs.get("class") or "")) or "skip-link" in (attrs.get("class") or ""):
            self.skip += 1  # the contents list and the skip link: nothing to follow in a text file
            return
        if tag in BLOCKS or tag in ("ul", "ol", "table", "div", "section", "figure", "dl", "header", "footer"):
            self._flush()
        lang = attrs.get("lang")
        if tag != "span" and lang and lang != self._lang() and lang.split("-")[0] != self.page_lang.split("-")[0]:
            self.buffer.append(f"[In {language_name(lang, self.page_lang)}] ")
        if tag not in VOID:
            self.stack.append((tag, lang))
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0, True])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            self.lists[-1][2] = False  # the next text starts with the item's bullet or number
        elif tag == "a":
            href = attrs.get("href") or ""
            self.links.append(href)
            self.link_start.append(len("".join(self.buffer)))
        elif tag == "table":
            self.tables.append(_Table())
        elif self.tables:
            table = self.tables[-1]
            if tag == "thead":
                table.in_head = True
            elif tag == "tr" and not table.in_head:
                table.rows.append([])
            elif tag in ("td", "th"):
                table.cell = []
                table.cell_header = tag == "th"

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1
            return
        if self.svg:
            if tag == "svg":
                self.svg -= 1
                if not self.svg:
                    text = " ".join(t for t in self.svg_text if t)
                    if text:
                        self._emit(text, None)
                return
            if tag in ("title", "desc"):
                self.svg_capture = False
            if self.stack and self.stack[-1][0] == tag:
                self.stack.pop()
            return
        if tag in VOID:
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            start = self.link_start.pop()
            shown = "".join(self.buffer)[start:].strip()
            address = href.removeprefix("mailto:").removeprefix("tel:")
            bare = re.sub(r"^https?://", "", address).rstrip("/")
            if href and not href.startswith("#") and shown not in (address, bare, href) and bare not in shown:
                self.buffer.append(f" ({address})")
        if self.tables:
            table = self.tables[-1]
            if tag in ("td", "th") and table.cell is not None:
                self._flush()
                text = " ".join(table.cell)
                table.cell = None
                if table.in_head:
                    table.headers.append(text)
                elif table.rows:
                    table.rows[-1].append((text, table.cell_header))
            elif tag == "caption":
                table.caption = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
                self.buffer = []
            elif tag == "thead":
                table.in_head = False
            elif tag == "table":
                self.tables.pop()
                self._emit_table(table)
        if tag in BLOCKS or tag in ("ul", "ol", "div", "section", "figure", "dl", "header", "footer"):
            self._flush(tag)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        # close up to the matching element (the page's HTML is well formed; be lenient anyway)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.skip:
            return
        if self.svg:
            if self.svg_capture:
                self.svg_text.append(re.sub(r"\s+", " ", data).strip())
            return
        self.buffer.append(data)

    def _emit_table(self, table: _Table) -> None:
        if table.caption:
            self.out.append(_wrap(table.caption, "", ""))
        for row in table.rows:
            lines = []
            for index, (text, is_header) in enumerate(row):
                label = table.headers[index] if index < len(table.headers) else ""
                if is_header and index == 0:
                    lines.append(_wrap(f"{label}: {text}" if label else text, "* ", "  "))
                else:
                    lines.append(_wrap(f"{label}: {text}" if label else text, "  " if lines else "* ", "    "))
            if lines:
                self.out.append("\n".join(lines))

    def close(self):
        super().close()
        self._flush()

    def text(self) -> str:
        blocks = [b.rstrip() for b in self.out if b.strip()]
        return "\n\n".join(blocks) + "\n"


def _wrap(text: str, first: str, rest: str) -> str:
    lines = []
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        lines.append(
            textwrap.fill(
                part,
                WIDTH,
                initial_indent=first if not lines else rest,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            ).replace("\u00a0", " ")
        )
    return "\n".join(lines)


def html_to_text(html: str, lang: str) -> str:
    """The plain text of one of reportgen's HTML pages (see the module's docstring)."""
    writer = _TextWriter(lang)
    writer.feed(html)
    writer.close()
    return writer.text()


def render(source: EditionSource) -> bytes:
    return html_to_text(page(source, Medium.PRINT), source.lang).encode("utf-8")
