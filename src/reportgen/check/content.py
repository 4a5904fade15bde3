"""Content rules: read a publication's own files and say what would mislead or exclude a reader.

Takes the raw data (so that text rules still run when the model refuses the file, and a
comms officer sees every problem in one go) and, when it validated, the typed ``Report``.
Returns :class:`~reportgen.errors.Finding` records located by file, line and field path.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from reportgen.check.findings import finding
from reportgen.check.readability import flesch_reading_ease, sentences, words
from reportgen.content import markup, walk
from reportgen.content import model as m
from reportgen.content.load import RawReport, display_path, pointer
from reportgen.errors import Finding, InputError

# Fields read as running text, where sentence length and reading ease matter.
RUNNING_TEXT = frozenset({"text", "intro", "notes", "items"})

PLACEHOLDERS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\[\s*(?:insert|add|enter|tbc|tbd|to be|placeholder|xx)\b[^\]]*\]", re.I), "a placeholder"),
    (re.compile(r"\[[A-Z][A-Z0-9 ,/&'’-]{3,}\]"), "a placeholder in capitals"),
    (re.compile(r"\b(?:TODO|FIXME|TBC|TBD)\b"), "a to-do marker"),
    (re.compile(r"\b[Xx]{3,}\b"), "a placeholder"),
    (re.compile(r"\blorem ipsum\b", re.I), "dummy text"),
    (re.compile(r"\{\{.*?\}\}|\{%.*?%\}"), "a template placeholder"),
)
VAGUE_LINK_TEXT = frozenset(
    {
        "here",
        "click here",
        "click",
        "click this",
        "this",
        "this link",
        "link",
        "read more",
        "more",
        "more info",
        "more information",
        "find out more",
        "learn more",
        "see more",
        "see here",
        "go",
        "go here",
        "details",
        "website",
        "this website",
        "this page",
        "page",
        "continue",
        "download",
        "info",
    }
)
PDF_SIZE = re.compile(r"\(\s*PDF\s*,?\s*[\d.,]+\s*[KkMmGg]i?B\s*\)")
BULLET_SYMBOLS = "✓✔☑✗✘•·▪▫■□◆◇►▶▸➢➤→⇒–—*-"
SYMBOL_BULLET = re.compile(rf"^\s*[{re.escape(BULLET_SYMBOLS)}](?=\s)|^\s*[✓✔☑✗✘•▪■►▶➢➤]")
ALL_CAPS = re.compile(r"\b[A-Z][A-Z'’-]+\b(?:[\s,:;]+\b[A-Z][A-Z'’-]+\b){2,}")
FAKE_HEADING = re.compile(r"\*\*([^*]+)\*\*")
FAKE_HEADING_WORDS = 12
# "1. ", "2) ", "(a) ", "iv. " at the start of a paragraph: a list number typed by hand
TYPED_NUMBER = re.compile(r"^\s*(\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])\s+\S", re.I)
IMAGE_FILE = re.compile(r"^[\w\-. ]+\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?)$", re.I)
GENERIC_ALT = frozenset(
    {
        "image",
        "picture",
        "photo",
        "photograph",
        "graphic",
        "chart",
        "graph",
        "logo",
        "icon",
        "decorative",
        "decoration",
        "spacer",
        "img",
        "figure",
        "diagram",
        "banner",
        "illustration",
    }
)
MAX_ALT = 250
# A number as a reader sees one: 8,600 · 58.4% · £45m — but not inside {placeholders}. Years and
# financial years (2025, 2024/25) are names of periods, written the same way in every edition.
NUMBER = re.compile(r"(?<![\w{])[£$€]?\d[\d,.]*(?:%|\s?(?:k|m|bn|million|billion)\b)?")
YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?:\s?[/–-]\s?\d{2,4})?(?!\d|[,.]\d|%)")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)

# Easy Read (kind: easy_read): the Department of Health's 2010 guidance and NHS England's ask for
# sentences of at most 15 words and documents of at most 24 pages. The page count is estimated
# from the number of items (a picture about 35 mm high beside each idea, 18pt text): measuring it
# would mean building the PDF, which --content-only must not do. Measured on
# data/cqc-news-easy-read-2025: 47 items and 7 headings on 9 A4 pages, about 5 items a page.
EASY_READ_SENTENCE_WORDS = 15
EASY_READ_MAX_PAGES = 24
EASY_READ_ITEMS_PER_PAGE = 5

KIND_RULES = {
    "bad_link": "link-target",
    "bad_anchor": "link-target",
    "numbered_title": "heading-number",
    "formatted_title": "heading-format",
    "empty_section": "empty-section",
    "missing_alt": "alt-text",
    "alt_and_decorative": "alt-text",
    "unknown_value": "placeholder",
}


TextField = walk.TextItem


def text_fields(data) -> Iterator[TextField]:
    """Every string of prose in the raw data, with its field path: the fields the model declares as
    translatable, or verbatim but read (names, addresses); never ids, file names or settings."""
    if isinstance(data, dict):
        yield from (item for item in walk.texts(data, m.Report) if item.prose)


def _field_name(path: tuple) -> str:
    return next((p for p in reversed(path) if isinstance(p, str)), "")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


class ContentChecker:
    """Runs every content rule over one publication."""

    def __init__(self, raw: RawReport, report: m.Report | None, *, settings: m.CheckSettings | None = None):
        self.raw = raw
        self.report = report
        self.source = display_path(raw.source)
        self.settings = settings or (report.checks if report else m.CheckSettings())
        language = (report.language if report else raw.data.get("language")) if isinstance(raw.data, dict) else None
        self.language = str(language or "en-GB")
        kind = (report.kind.value if report else raw.data.get("kind")) if isinstance(raw.data, dict) else None
        self.easy_read = kind == "easy_read"
        self.findings: list[Finding] = []

    def add(self, rule: str, message: str, path: tuple = (), **extra) -> None:
        self.findings.append(finding(rule, message, self.source, self.raw.line_of(path), pointer(path), **extra))

    def run(self, validation: InputError | None = None) -> list[Finding]:
        if validation is not None:
            self.from_validation(validation)
        fields = list(text_fields(self.raw.data)) if isinstance(self.raw.data, dict) else []
        for item in fields:
            if not self.placeholders(item):  # a placeholder is often in capitals: say it once
                self.capitals(item)
            self.symbol_bullets(item)
            if self.language.startswith("en") and (item.lang is None or item.lang.startswith("en")):
                self.plain_english(item)
        self.links(fields)
        for item in fields:
            self.paragraph_shape(item)
        self.figures()
        self.easy_read_pictures()
        if self.report is not None:
            self.tables()
            self.numbers_in_text()
        self.word_import()
        return self.findings

    # --- rules ------------------------------------------------------------------------

    def from_validation(self, error: InputError) -> None:
        """The model's own refusals, under the rule they belong to."""
        for problem in error.problems:
            rule = KIND_RULES.get(problem.rule, "schema")
            if problem.rule == "missing" and problem.pointer.endswith(".alt"):
                rule = "alt-text"
            self.findings.append(finding(rule, problem.message, problem.source, problem.line, problem.pointer))

    def placeholders(self, item: TextField) -> bool:
        for pattern, what in PLACEHOLDERS:
            match = pattern.search(item.text)
            if match:
                self.add(
                    "placeholder",
                    f"'{match.group(0)}' is {what} left in the text — write the real text "
                    "(or remove it) before publishing",
                    item.path,
                )
                return True
        return False

    def capitals(self, item: TextField) -> None:
        match = ALL_CAPS.search(markup.plain_text(item.text))
        if match and len(match.group(0)) >= 15:
            self.add(
                "all-caps",
                f"'{match.group(0)[:60]}' is written in capitals — write it in sentence case "
                "(use **bold** for emphasis)",
                item.path,
            )

    def symbol_bullets(self, item: TextField) -> None:
        in_list = item.block == "list" or "items" in item.path
        lines = item.text.splitlines() if not in_list else [item.text]
        for line in lines:
            match = SYMBOL_BULLET.match(line)
            if match:
                where = "this list item starts" if in_list else "a line starts"
                fix = (
                    "remove the symbol: the list draws its own bullets"
                    if in_list
                    else "make these lines a list block (type: list)"
                )
                self.add(
                    "symbol-bullet",
                    f"{where} with '{match.group(0).strip()}' typed as a bullet, which a "
                    f"screen reader reads out — {fix}",
                    item.path,
                )
                return

    def plain_english(self, item: TextField) -> None:
        if _field_name(item.path) not in RUNNING_TEXT or item.block in ("languages", None):
            return
        text = markup.plain_text(item.text, None)
        easy_read = self.easy_read or item.block == "easy_read"
        limit = EASY_READ_SENTENCE_WORDS if easy_read else self.settings.sentence_words
        for sentence in sentences(text):
            count = len(words(sentence))
            if count > limit and easy_read:
                self.add(
                    "easy-read-sentence",
                    f"a sentence of {count} words (Easy Read: at most {limit}): '{sentence[:70]}…' — split it "
                    "into short sentences of everyday words, one idea each",
                    item.path,
                )
            elif count > limit:
                self.add(
                    "long-sentence",
                    f"a sentence of {count} words (over {limit}): '{sentence[:70]}…' — split it into shorter sentences",
                    item.path,
                )
        score = flesch_reading_ease(text)
        if score is not None and score < self.settings.reading_ease:
            self.add(
                "reading-ease",
                f"reading ease {score:.0f} is below this publication's threshold "
                f"{self.settings.reading_ease:g} (Flesch; 60 and above is plain English) — use shorter "
                "sentences and everyday words, or set checks.reading_ease",
                item.path,
            )

    def paragraph_shape(self, item: TextField) -> None:
        """A bold-only short paragraph reads as a heading; a paragraph starting '1.' as a list item."""
        if item.block != "paragraph" or _field_name(item.path) != "text":
            return
        text = item.text.strip()
        bold = FAKE_HEADING.fullmatch(text)
        if (
            bold
            and len(words(bold.group(1))) <= FAKE_HEADING_WORDS
            and not bold.group(1).rstrip().endswith((".", ":", ";", "!", "?"))
        ):
            self.add(
                "fake-heading",
                f"'{markup.plain_text(text)}' is a bold line that looks like a heading, but screen readers "
                "cannot find it as one — make it a section title, or join it to the paragraph after it",
                item.path,
            )
        match = TYPED_NUMBER.match(markup.plain_text(text))
        if match:
            self.add(
                "typed-list-number",
                f"the paragraph starts with '{match.group(1)}' typed as a list number, which is not announced "
                "as a list — make these paragraphs a numbered list (type: list, style: numbered)",
                item.path,
            )

    def word_import(self) -> None:
        """What reportgen import noted (word-import.yaml), while it still applies; and every finding
        about a block that came from Word says which Word paragraph it was."""
        from reportgen.content.docx import IMPORT_REPORT, read_import_report

        record = read_import_report(self.raw.folder)
        if record is None:
            return
        name = str(record.get("source") or "the Word file")
        for note in record.get("notes") or []:
            if not isinstance(note, dict) or str(note.get("rule")) not in RULES_WITH_IMPORT_NOTES:
                continue
            at = str(note.get("at") or "")
            path = _parse_pointer(at) if at else ()
            if "was" in note and _value_at(self.raw.data, path) != note["was"]:
                continue  # dealt with since the import
            self.add(
                str(note["rule"]),
                f"{note.get('message')} ({name}, {note.get('place')}; from {IMPORT_REPORT})",
                path,
            )
        where = record.get("paragraphs")
        if not isinstance(where, dict):
            return
        for index, found in enumerate(self.findings):
            number = _word_paragraph(found.pointer, where)
            if (
                number is not None
                and "Word paragraph" not in found.message
                and f"{name}, paragraph" not in found.message
            ):
                self.findings[index] = dataclasses.replace(
                    found, message=f"{found.message} ({name}, paragraph {number})"
                )

    def links(self, fields: list[TextField]) -> None:
        seen: dict[str, tuple[str, tuple]] = {}
        for item in fields:
            if "](" not in item.text:
                continue
            for link in markup.links(item.text):
                if not link.text:
                    continue  # refused by the model as link-target
                label = _normal(link.text)
                if label in VAGUE_LINK_TEXT or label.startswith("click here"):
                    self.add(
                        "link-text",
                        f"link text '{link.text}' says nothing out of context (screen reader users "
                        "hear links listed alone) — name the destination in the link text, e.g. "
                        "'[the CQC report on our services](…)'",
                        item.path,
                    )
                elif markup.URL.fullmatch(link.text.strip()):
                    self.add(
                        "link-url-text",
                        f"link text '{link.text}' is a web address — describe where it goes "
                        "in words (the address can follow, for print readers)",
                        item.path,
                    )
                if not link.href or link.href == "#":
                    continue  # refused by the model as link-target
                first = seen.setdefault(label, (link.href, item.path))
                if first[0] != link.href:
                    self.add(
                        "link-same-text",
                        f"link text '{link.text}' also leads to '{first[0]}' (at "
                        f"{pointer(first[1])}) but here goes to '{link.href}' — give each destination its "
                        "own link text",
                        item.path,
                    )
                target = PurePosixPath(link.href.split("#")[0].split("?")[0])
                if target.suffix.lower() == ".pdf" and not PDF_SIZE.search(item.text):
                    self.add(
                        "link-pdf-size",
                        f"link '{link.text}' opens a PDF — say so with its size in the link text, e.g. '(PDF, 1.2 MB)'",
                        item.path,
                    )

    def figures(self) -> None:
        for path, block in _raw_blocks(self.raw.data):
            if block.get("type") == "figure":
                self.picture(path, block)
            elif block.get("type") == "easy_read" and isinstance(block.get("items"), list):
                for index, entry in enumerate(block["items"]):
                    picture = entry.get("picture") if isinstance(entry, dict) else None
                    if isinstance(picture, dict):
                        here = (*path, "items", index, "picture")
                        self.picture(here, picture)
                        alt, text = picture.get("alt"), entry.get("text")
                        if isinstance(alt, str) and isinstance(text, str) and _similar(alt, markup.plain_text(text)):
                            self.add(
                                "alt-repeats-caption",
                                "alt text repeats the words beside the picture, so screen reader users hear them "
                                "twice — set decorative: true (the words already say what it shows)",
                                (*here, "alt"),
                            )

    def picture(self, path: tuple, block: dict) -> None:
        """The alt text rules on one picture: a figure block, or an Easy Read item's picture."""
        if not isinstance(block.get("alt"), str):
            return
        alt = block["alt"].strip()
        src = str(block.get("src", ""))
        here = (*path, "alt")
        if IMAGE_FILE.match(alt) or alt in (Path(src).name, Path(src).stem):
            self.add(
                "alt-text",
                f"alt text '{alt}' is a file name — describe what the image shows, or set decorative: true",
                here,
            )
        elif _normal(alt) in GENERIC_ALT:
            self.add(
                "alt-text",
                f"alt text '{alt}' does not say what the image shows — describe it, or if it "
                "only decorates, remove alt and set decorative: true",
                here,
            )
        caption = block.get("caption")
        if isinstance(caption, str) and _similar(alt, markup.plain_text(caption)):
            self.add(
                "alt-repeats-caption",
                "alt text repeats the caption, so screen reader users hear it twice "
                "— make the alt text say what the picture shows",
                here,
            )
        if len(alt) > MAX_ALT:
            self.add(
                "alt-too-long",
                f"alt text has {len(alt)} characters (over {MAX_ALT}) — keep it short and "
                "put the detail in the text or a table next to the image",
                here,
            )

    def easy_read_pictures(self) -> None:
        """Easy Read: one picture beside each idea; no picture on its own; not too many pages."""
        items = 0
        for path, block in _raw_blocks(self.raw.data):
            kind = block.get("type")
            if kind == "figure" and self.easy_read:
                self.add(
                    "easy-read-picture",
                    "a picture on its own, with no idea beside it — in Easy Read each picture goes beside "
                    "the words it supports: make it the picture of an easy_read item",
                    path,
                )
            if kind != "easy_read" or not isinstance(block.get("items"), list):
                continue
            for index, entry in enumerate(block["items"]):
                items += 1
                if isinstance(entry, dict) and entry.get("picture") is None:
                    self.add(
                        "easy-read-picture",
                        "this idea has no picture beside it — Easy Read readers use the picture to find and "
                        "understand the idea: add picture: with src and alt (or decorative: true)",
                        (*path, "items", index),
                    )
        pages = math.ceil(items / EASY_READ_ITEMS_PER_PAGE)
        if self.easy_read and pages > EASY_READ_MAX_PAGES:
            self.add(
                "easy-read-length",
                f"about {pages} pages (estimated from its {items} Easy Read items, about "
                f"{EASY_READ_ITEMS_PER_PAGE} to an A4 page) — Easy Read documents keep to {EASY_READ_MAX_PAGES} "
                "pages at most: keep only what the reader needs, or split it into shorter documents",
                ("kind",),
            )

    def tables(self) -> None:
        for path, block in _model_blocks(self.report):
            if not isinstance(block, m.Table):
                continue
            rows = block.rows or []
            empty = [
                (i, c.key)
                for i, row in enumerate(rows)
                for c in block.columns
                if row.get(c.key) is None or str(row.get(c.key)).strip() == ""
            ]
            if empty:
                row, key = empty[0]
                where = f"{block.csv_rows_from} row {row + 2}" if block.csv_rows_from else f"rows[{row}]"
                self.add(
                    "table-empty-cell",
                    f"table '{block.caption}' has {len(empty)} empty cell(s), first at "
                    f"{where}, column '{key}' — they will read '{block.empty}': fill them, or waive this if that "
                    "is right",
                    path,
                )
            if len(block.columns) == 1:
                self.add(
                    "table-layout",
                    f"table '{block.caption}' has a single column — that is a list: use a list block",
                    path,
                )
            elif rows and len(rows) >= 1:
                texts = [
                    str(row.get(c.key) or "") for row in rows for c in block.columns if c.type is m.ColumnType.text
                ]
                if texts and sum(len(t) for t in texts) / len(texts) > 150:
                    self.add(
                        "table-layout",
                        f"table '{block.caption}' holds paragraphs of text in its cells — "
                        "tables are for data; use sections and paragraphs",
                        path,
                    )

    def numbers_in_text(self) -> None:
        """Digits in translatable text: each translator would have to retype and reformat them."""
        from reportgen.i18n.paths import po_path
        from reportgen.i18n.translate import units
        from reportgen.languages import LANGUAGES

        translated = any(po_path(tag, self.report.id).exists() for tag in LANGUAGES)
        hits = []
        for unit in units(self.report):
            text = markup.plain_text(unit.text, None) if unit.inline else unit.text
            text = markup.LTR_RUN.sub(" ", text)  # phone numbers, emails and addresses stay as written
            numbers = DATE.findall(text)  # dates are formatted per language: day and month order, names
            text = YEAR.sub(" ", DATE.sub(" ", text))
            numbers += [n.rstrip(".,") for n in NUMBER.findall(text) if any(ch.isdigit() for ch in n)]
            if numbers and not _is_table_cell(unit.path):
                hits.append((unit, numbers))
        if not hits:
            return
        if translated:
            for unit, numbers in hits:
                self.add(
                    "number-in-text",
                    f"'{', '.join(numbers[:3])}' written in text that is translated — declare "
                    "it under values: and write {name}, so every language formats it",
                    unit.path,
                )
        else:
            unit, numbers = hits[0]
            self.add(
                "number-in-text",
                f"{len(hits)} translatable text(s) contain numbers written as digits, the "
                f"first here ({', '.join(numbers[:3])}) — before asking for translations, declare them under "
                "values: and write {name}",
                unit.path,
            )


def _similar(a: str, b: str) -> bool:
    a, b = _normal(a), _normal(b)
    return bool(a and b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() > 0.9)


RULES_WITH_IMPORT_NOTES = frozenset({"alt-text", "spacing-paragraph", "word-unmapped", "heading-skip", "table-headers"})


def _parse_pointer(text: str) -> tuple:
    """``sections[2].blocks[4].alt`` → ``("sections", 2, "blocks", 4, "alt")``."""
    path: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        path.append(int(index) if index else name)
    return tuple(path)


def _value_at(data, path: tuple):
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _word_paragraph(at: str, where: dict) -> int | None:
    """The Word paragraph of the block ``at`` is in (the longest block path it starts with)."""
    best = None
    for block, number in where.items():
        block = str(block)
        if (at == block or at.startswith(block + ".")) and (best is None or len(block) > len(best[0])):
            best = (block, number)
    return best[1] if best and isinstance(best[1], int) else None


def _is_table_cell(path: tuple) -> bool:
    return "rows" in path


def _raw_blocks(data, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every block (a dict with a type) in the raw data."""
    if isinstance(data, dict):
        if isinstance(data.get("type"), str):
            yield path, data
        for key, value in data.items():
            yield from _raw_blocks(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _raw_blocks(value, (*path, index))


def _model_blocks(report: m.Report) -> Iterator[tuple[tuple, object]]:
    """Every block of the model, callouts opened, with its field path."""

    def blocks(items, path):
        for index, block in enumerate(items):
            here = (*path, index)
            yield here, block
            if isinstance(block, m.Callout):
                yield from blocks(block.blocks, (*here, "blocks"))

    yield from blocks(report.blocks, ("blocks",))
    for section, path, _depth in m.walk_sections(report.sections):
        yield from blocks(section.blocks, (*path, "blocks"))
