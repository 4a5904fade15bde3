"""reportgen.content.walk and the model's field declarations: every text is translatable, verbatim or data."""

from __future__ import annotations

import inspect

import pytest
from pydantic import BaseModel

from conftest import DATA, ROOT
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.content import model as m
from reportgen.content import walk
from reportgen.errors import BuildError
from reportgen.i18n import translate

GLANCE = DATA / "annual-report-2024-25-at-a-glance"


def model_classes():
    return [
        cls
        for _name, cls in inspect.getmembers(m, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == m.__name__
    ]


def test_every_text_field_of_the_model_declares_what_it_is():
    undeclared = [
        f"{cls.__name__}.{name}"
        for cls in model_classes()
        for name in cls.model_fields
        if walk.shape(cls, name).strings and walk.declaration(cls, name) is None
    ]
    assert undeclared == [], "these fields hold text but declare neither Translatable, Verbatim nor Data: " + ", ".join(
        undeclared
    )


def test_the_check_above_finds_a_field_that_forgets_its_declaration():
    class Careless(m.Strict):
        type: str = "x"
        caption: m.Text

    assert walk.shape(Careless, "caption").strings and walk.declaration(Careless, "caption") is None


def test_blocks_are_derived_from_the_block_union_and_each_has_a_template():
    union = {walk.block_type(cls) for cls in model_classes() if walk.block_type(cls)}
    assert set(m.BLOCKS) == union  # every block class is in the registry (and nothing else)
    assert m.BLOCKS["quote"] is m.Quote
    missing = [name for name in m.BLOCKS if not (ROOT / "templates" / "blocks" / f"_{name}.html").is_file()]
    assert missing == []


def test_the_walker_reads_raw_data_as_the_model_declares_it():
    raw = {
        "title": "Hello",
        "id": "not-prose",
        "blocks": [
            {"type": "paragraph", "text": "Words", "lang": "pl"},
            {"type": "figure", "src": "picture.png", "alt": "A picture"},
            {"type": "unknown-type", "text": "skipped: the model reports the type"},
        ],
        "contact": {"phone": "0116 295 0903", "name": "Comms team"},
    }
    found = {item.path: item for item in walk.texts(raw, m.Report)}
    assert set(found) == {
        ("title",),
        ("blocks", 0, "text"),
        ("blocks", 1, "alt"),
        ("contact", "phone"),
        ("contact", "name"),
    }
    assert found["blocks", 0, "text"].lang == "pl" and found["blocks", 0, "text"].block == "paragraph"
    assert not found["contact", "phone"].prose and found["contact", "name"].prose
    assert not found["contact", "name"].translatable and found["blocks", 1, "alt"].translatable


def test_table_cells_of_text_columns_are_for_the_translator_and_numbers_are_not():
    table = {
        "type": "table",
        "caption": "Beds",
        "columns": [{"key": "ward", "label": "Ward"}, {"key": "beds", "label": "Beds", "type": "number"}],
        "rows": [{"ward": "Beaumont", "beds": "20"}],
    }
    cells = {item.path[-1]: item.translatable for item in walk.texts(table, m.Table) if "rows" in item.path}
    assert cells == {"ward": True, "beds": False}


def test_units_follow_the_declarations(monkeypatch):
    report, _raw = m.load_report(GLANCE)
    quotes = [u for u in translate.units(report) if u.context.endswith("|quote")]
    assert quotes and all("Quotation" in u.comment or "quoted" in u.comment for u in quotes)


def test_a_translated_build_refuses_a_text_field_without_a_declaration(monkeypatch, tmp_path, translations):
    """The issue's silent fallback: a block whose text the translation step does not know is refused."""
    field = m.Quote.model_fields["text"]
    monkeypatch.setattr(field, "metadata", [x for x in field.metadata if not isinstance(x, walk.Translatable)])
    out = tmp_path / "out"
    with pytest.raises(BuildError) as raised:
        build_report(GLANCE, BuildRequest(langs=["ar"], formats=["html"], out_dir=out))
    assert "text" in str(raised.value) and "does not say whether that field is translated" in str(raised.value)
    assert not out.exists() or not any(out.rglob("*.html"))
    # the source language does not translate, so it still builds
    built = build_report(GLANCE, BuildRequest(formats=["html"], out_dir=out))
    assert [o.lang for o in built.outputs] == ["en-GB"]
