"""Translating a publication's content: which fields a translator sees, and a translated copy.

The model's fields say which text a translator translates (see :mod:`reportgen.content.walk`).
Extraction (catalogs, translation requests) and translation (building another language) both
walk the publication with :func:`units`, so they can never disagree; a text field that declares
nothing stops both (:class:`UndeclaredField`) rather than ship it untranslated.

Content is translated here, in Python, and reaches the templates as data that autoescape
escapes: a translator's ``<script>`` or a literal ``%`` stays text. It never goes through
the template's ``_()``, which would mark it safe and %-format it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from reportgen.content import model as m
from reportgen.content import walk
from reportgen.content.load import pointer
from reportgen.errors import BuildError
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


SECTION_TITLE = m.SECTION_TITLE_HELP
INLINE_HELP = (
    "Keep **bold** and *italic* markers around the same words, keep [link text](address) "
    "with the address unchanged, and keep every {placeholder} as it is: it becomes a number."
)
OPENING = "(opening)"  # where a text before the first section is, in its context


class UndeclaredField(BuildError):
    """A text field of the model declares neither Translatable, Verbatim nor Data: a bug in reportgen,
    said loudly, so that no edition ships such a field in the source language unmarked."""


def units(report: m.Report) -> Iterator[Unit]:
    """Every text a translator must translate, in reading order (as the model's fields declare it)."""
    anchors = {path: m.section_anchor(section, path) for section, path, _depth in m.walk_sections(report.sections)}
    for item in walk.texts(report):
        if item.declared is None:
            raise UndeclaredField(
                f"{pointer(item.path)} holds text, but reportgen's model does not say whether that field is "
                "translated (Translatable, Verbatim or Data in reportgen/content/model.py) — nothing was built; "
                "please report it"
            )
        if not item.translatable:
            continue
        declared = item.declared
        section, rest = _section_of(item.path)
        if item.block is None and section is None:  # the publication's own fields
            yield Unit(f"metadata|{item.path[0]}", item.text, item.path, declared.help, False)
        elif item.block is None and rest == ("title",):
            yield Unit(f"{anchors[section]}|heading", item.text, item.path, f"{item.text} · {declared.help}", False)
        else:
            where = OPENING if section is None else anchors[section]
            text = item.text
            marked = declared.inline and ("**" in text or "](" in text or "{" in text or "*" in text)
            comment = f"{where} · {declared.help}" + (f" {INLINE_HELP}" if marked else "")
            yield Unit(f"{where}|{item.block}", text, item.path, comment, declared.inline)


def _section_of(path: tuple) -> tuple[tuple | None, tuple]:
    """(the path of the innermost section holding ``path``, the rest of it); None outside sections."""
    end = 0
    while end + 1 < len(path) and path[end] == "sections" and isinstance(path[end + 1], int):
        end += 2
    return (path[:end] or None), path[end:]


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
