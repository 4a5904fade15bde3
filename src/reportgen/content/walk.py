"""Every text of a publication, visited once, as the model's own fields declare it.

Each text field of the content model says what it is, beside its type::

    text: Annotated[Inline, Translatable("Paragraph.", inline=True)]
    name: Annotated[Text, Verbatim("a person's name")]
    src: Annotated[str, Data("a file name in the publication's folder")]

* :class:`Translatable` — words a translator translates (and the content checks read);
* :class:`Verbatim` — text kept as written in every language: names, addresses (the checks
  still read it unless ``prose=False``);
* :class:`Data` — identifiers, file names, language tags, settings: not text for a reader.

:func:`texts` walks a validated publication *or* the raw data of one that failed validation
(the checker reports on both), guided by the model classes: translation, extraction for
translators and the content checks all use it, so they can never disagree. A text field with
no declaration is yielded with ``declared=None``: the translation step refuses to build
rather than ship such a field untranslated (and a test fails for every one in the model).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel


@dataclass(frozen=True)
class Translatable:
    """Words a translator translates."""

    help: str  # what the translator is told (#. in PO, <note> in XLIFF)
    inline: bool = False  # inline Markdown: markers, links and {placeholders} must be kept
    cells: bool = False  # table rows: the cells of the text columns


@dataclass(frozen=True)
class Verbatim:
    """Text a reader reads, kept as written in every language (a name, an address)."""

    why: str
    prose: bool = True  # the content checks (placeholders, capitals) read it


@dataclass(frozen=True)
class Data:
    """A string that is not text for a reader: an id, a file name, a language tag, a setting."""

    why: str


Declaration = Translatable | Verbatim | Data


@dataclass(frozen=True)
class TextItem:
    """One text of a publication, where it is and what its field declares."""

    path: tuple  # field path in report.yaml
    text: str
    declared: Translatable | Verbatim | None  # None: the field declares nothing (a bug in the model)
    block: str | None  # the type of the innermost block it belongs to, if any
    lang: str | None  # the passage's own language, if it declares one
    translatable: bool  # declared Translatable (for table cells: in a text column)

    @property
    def prose(self) -> bool:
        """Read by the content checks."""
        return isinstance(self.declared, Translatable) or (isinstance(self.declared, Verbatim) and self.declared.prose)


def declaration(cls: type[BaseModel], name: str) -> Declaration | None:
    """What field ``name`` of ``cls`` declares itself to be (None: nothing)."""
    found = [item for item in cls.model_fields[name].metadata if isinstance(item, (Translatable, Verbatim, Data))]
    return found[0] if found else None


@dataclass(frozen=True)
class _Shape:
    """What a field's annotation can hold: strings, and which model classes."""

    strings: bool
    models: tuple[type[BaseModel], ...]
    mapping: bool  # a dict of values (names → quantities, say), not a model written as a dict


@cache
def shape(cls: type[BaseModel], name: str) -> _Shape:
    strings, models, mapping = False, [], False
    pending = [cls.model_fields[name].annotation]
    while pending:
        annotation = pending.pop()
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            pending.append(typing.get_args(annotation)[0])
        elif origin in (typing.Union, types.UnionType, list, tuple):
            pending.extend(typing.get_args(annotation))
        elif origin is dict:
            mapping = True
            pending.append(typing.get_args(annotation)[1])
        elif origin is typing.Literal:
            continue  # a block's type: fixed by the schema
        elif annotation is str:
            strings = True
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            models.append(annotation)
    return _Shape(strings, tuple(dict.fromkeys(models)), mapping)


def block_type(cls: type[BaseModel]) -> str | None:
    """The ``type`` a block class is written with in report.yaml, e.g. "paragraph"; None if not a block."""
    field = cls.model_fields.get("type")
    if field is None or typing.get_origin(field.annotation) is not typing.Literal:
        return None
    return typing.get_args(field.annotation)[0]


def _get(obj, name):
    return getattr(obj, name, None) if isinstance(obj, BaseModel) else obj.get(name)


def _model_for(item, candidates: tuple[type[BaseModel], ...]) -> type[BaseModel] | None:
    if isinstance(item, BaseModel):
        return type(item)
    if not isinstance(item, dict) or not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    return next((cls for cls in candidates if block_type(cls) == item.get("type")), None)


def texts(obj, cls: type[BaseModel] | None = None, path: tuple = (), *, block=None, lang=None) -> Iterator[TextItem]:
    """Every non-empty text under ``obj`` (a model instance, or raw data shaped like ``cls``), in field order."""
    cls = cls or type(obj)
    if not isinstance(obj, (BaseModel, dict)):
        return
    here_type = block_type(cls)
    if here_type is not None:
        block = here_type
    own_lang = _get(obj, "lang") if "lang" in cls.model_fields else None
    if isinstance(own_lang, str):
        lang = own_lang
    for name in cls.model_fields:
        value = _get(obj, name)
        if value is None:
            continue
        declared = declaration(cls, name)
        if isinstance(declared, Data):
            continue
        fits = shape(cls, name)
        if isinstance(declared, Translatable) and declared.cells:
            yield from _cells(obj, value, (*path, name), declared, block, lang)
            continue
        yield from _values(value, fits, declared, (*path, name), block, lang, fits.mapping)


def _values(value, fits: _Shape, declared, path: tuple, block, lang, mapping: bool) -> Iterator[TextItem]:
    if isinstance(value, str):
        if fits.strings and value.strip():
            yield TextItem(path, value, declared, block, lang, isinstance(declared, Translatable))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _values(item, fits, declared, (*path, index), block, lang, mapping)
    elif isinstance(value, dict) and mapping:
        for key, item in value.items():
            yield from _values(item, fits, declared, (*path, key), block, lang, False)
    elif isinstance(value, (BaseModel, dict)):
        model = _model_for(value, fits.models)
        if model is not None:
            yield from texts(value, model, path, block=block, lang=lang)


def _cells(table, rows, path: tuple, declared: Translatable, block, lang) -> Iterator[TextItem]:
    """A table's string cells; those of text columns are for the translator (numbers are formatted)."""
    text_columns = set()
    for column in _get(table, "columns") or []:
        if isinstance(column, (BaseModel, dict)):
            kind = _get(column, "type")
            if kind is None or getattr(kind, "value", kind) == "text":
                text_columns.add(_get(column, "key"))
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        for key, cell in row.items():
            if isinstance(cell, str) and cell.strip():
                yield TextItem((*path, index, key), cell, declared, block, lang, key in text_columns)
