"""Translating a publication's content: which fields a translator sees, and a translated copy.

One registry, :data:`TRANSLATABLE`, says which fields of which block are text for a
translator. Extraction (catalogs, translation requests) and translation (building another
language) both walk the publication with :func:`units`, so they can never disagree.

Content is translated here, in Python, and reaches the templates as data that autoescape
escapes: a translator's ``<script>`` or a literal ``%`` stays text. It never goes through
the template's ``_()``, which would mark it safe and %-format it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from reportgen.content import model as m
from reportgen.languages import SOURCE_LANGUAGE


class Untranslated(str):
    """Source-language text shown because its translation is missing (``--allow-partial``).

    Templates wrap it in an element with ``lang`` and ``dir`` of the source language so that
    screen readers switch voice, and the PDF gets /Lang on that passage.
    """

    lang = SOURCE_LANGUAGE


@dataclass(frozen=True)
class Unit:
    """One text a translator translates."""

    context: str  # msgctxt: where it sits, stable when other blocks move
    text: str  # msgid: the source text
    path: tuple  # field path in report.yaml, for line numbers and messages
    comment: str  # what a translator needs to know (#. in PO, <note> in XLIFF)
    inline: bool  # inline Markdown: markers and {placeholders} must be kept


KIND_WORDS = {
    "paragraph": "a paragraph",
    "list": "a list item",
    "quote": "a quotation",
    "key_figures": "a key figure tile",
    "table": "a table",
    "cqc_ratings": "a CQC ratings table",
    "figure": "a picture",
    "callout": "a box of text",
    "signatures": "a signature",
    "contact": "contact details",
    "languages": "the list of other languages",
}

# Per block kind: (field path inside the block, inline?, what the translator is told).
# A "*" walks into every item of a list.
TRANSLATABLE: dict[str, tuple[tuple[str, bool, str], ...]] = {
    "paragraph": (("text", True, "Paragraph."),),
    "list": (("items", True, "List item."),),
    "quote": (
        ("text", True, "Quotation; a blank line separates paragraphs."),
        ("attribution", False, "Who is quoted, or what the statement is."),
    ),
    "key_figures": (
        ("caption", False, "Caption of the key figures."),
        (
            "items.*.label+note",
            False,
            "Label under a number on a tile (the number is added separately), or the small note under it.",
        ),
    ),
    "table": (
        ("caption", False, "Table caption."),
        ("columns.*.label", False, "Column heading."),
        ("notes", True, "Note under the table."),
        ("empty", False, "Text of an empty table cell."),
        ("rows", False, "Table cell."),
    ),
    "cqc_ratings": (
        ("caption", False, "Caption of the CQC ratings table."),
        ("columns.*.label", False, "Column heading: a year or a service."),
    ),
    "figure": (
        ("alt", False, "Text alternative of a picture, read by screen readers."),
        ("caption", True, "Caption under a picture."),
    ),
    "callout": (("title", False, "Title of a box of text."),),
    "signatures": (("items.*.role", False, "Job title under a signature (the name stays as it is)."),),
    "contact": (
        ("intro", True, "Sentence before the contact details."),
        ("social.*.label", False, "Social media link text."),
    ),
    "languages": (("intro", True, "Sentence before the list of languages."),),
}
METADATA_FIELDS = (
    ("title", "Title of the publication."),
    ("subtitle", "Subtitle of the publication."),
    ("description", "Short description (document properties and search)."),
    ("publisher", "Who publishes the publication."),
)
SECTION_TITLE = "Section heading."
INLINE_HELP = (
    "Keep **bold** and *italic* markers around the same words, keep [link text](address) "
    "with the address unchanged, and keep every {placeholder} as it is: it becomes a number."
)


def _get(obj, name):
    return getattr(obj, name) if isinstance(obj, BaseModel) else obj.get(name)


def _walk_field(obj, parts: list[str], path: tuple) -> Iterator[tuple[tuple, str]]:
    """Yield (path, text) for the field ``parts`` under ``obj`` (lists expanded)."""
    if not parts:
        if isinstance(obj, str):
            yield path, obj
        elif isinstance(obj, m.ListItem):
            yield (*path, "text"), obj.text
            for index, item in enumerate(obj.items):
                yield from _walk_field(item, [], (*path, "items", index))
        elif isinstance(obj, list):
            for index, item in enumerate(obj):
                yield from _walk_field(item, [], (*path, index))
        return
    head, rest = parts[0], parts[1:]
    if "+" in head:  # several fields of one item, in reading order
        for name in head.split("+"):
            yield from _walk_field(obj, [name, *rest], path)
        return
    if head == "*":
        for index, item in enumerate(obj or []):
            yield from _walk_field(item, rest, (*path, index))
        return
    value = _get(obj, head)
    if value is None:
        return
    if head == "rows":  # table cells: text columns only; numbers are formatted, not translated
        text_columns = [c.key for c in obj.columns if c.type is m.ColumnType.text]
        for index, row in enumerate(value):
            for key in text_columns:
                if isinstance(row.get(key), str):
                    yield (*path, "rows", index, key), row[key]
        return
    yield from _walk_field(value, rest, (*path, head))


def _block_units(block, path: tuple, where: str) -> Iterator[Unit]:
    for field, inline, help_text in TRANSLATABLE.get(block.type, ()):
        for field_path, text in _walk_field(block, field.split("."), path):
            if not text.strip():
                continue
            comment = f"{where} · {help_text}" + (
                f" {INLINE_HELP}" if inline and ("**" in text or "](" in text or "{" in text or "*" in text) else ""
            )
            yield Unit(f"{where}|{block.type}", text, field_path, comment, inline)
    if isinstance(block, m.Callout):
        for index, inner in enumerate(block.blocks):
            yield from _block_units(inner, (*path, "blocks", index), where)


def units(report: m.Report) -> Iterator[Unit]:
    """Every text a translator must translate, in reading order."""
    for name, help_text in METADATA_FIELDS:
        text = getattr(report, name)
        if text:
            yield Unit(f"metadata|{name}", text, (name,), help_text, False)
    for index, block in enumerate(report.blocks):
        yield from _block_units(block, ("blocks", index), "(opening)")
    for section, path, _depth in m.walk_sections(report.sections):
        anchor = m.section_anchor(section, path)
        yield Unit(f"{anchor}|heading", section.title, (*path, "title"), f"{section.title} · {SECTION_TITLE}", False)
        for index, block in enumerate(section.blocks):
            yield from _block_units(block, (*path, "blocks", index), anchor)


Lookup = Callable[[str, str], "str | None"]  # (context, source text) → translation or None


@dataclass(frozen=True)
class Translation:
    report: m.Report
    missing: tuple[Unit, ...]  # shown in the source language (only with allow_partial)


def translate_report(report: m.Report, lookup: Lookup, lang: str) -> Translation:
    """A copy of ``report`` with every translatable text replaced by its translation.

    A text with no translation stays in the source language as :class:`Untranslated`;
    the caller decides whether that is allowed.
    """
    replacements: dict[tuple, str] = {}
    missing = []
    for unit in units(report):
        translated = lookup(unit.context, unit.text)
        if translated:
            replacements[unit.path] = translated
        else:
            replacements[unit.path] = Untranslated(unit.text)
            missing.append(unit)
    data = _replace(report, (), replacements)
    return Translation(data.model_copy(update={"language": lang}), tuple(missing))


def _replace(obj, path: tuple, replacements: dict[tuple, str]):
    """Rebuild ``obj`` with the texts at the given paths replaced (no re-validation)."""
    if path in replacements and isinstance(obj, str):
        return replacements[path]
    if isinstance(obj, BaseModel):
        updates = {}
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            new = _replace(value, (*path, name), replacements)
            if new is not value:
                updates[name] = new
        return obj.model_copy(update=updates) if updates else obj
    if isinstance(obj, list):
        new_items = [_replace(item, (*path, index), replacements) for index, item in enumerate(obj)]
        return new_items if any(a is not b for a, b in zip(new_items, obj, strict=True)) else obj
    if isinstance(obj, dict):
        new_dict = {key: _replace(value, (*path, key), replacements) for key, value in obj.items()}
        return new_dict if any(new_dict[k] is not obj[k] for k in obj) else obj
    return obj
