"""reportgen.content.model: the typed, validated publication — block registry, section rules,
every problem collected with its line and field, sections walked in reading order."""

from __future__ import annotations

import shutil
import typing

import pydantic
import pytest

from conftest import LETTER
from reportgen.content import model
from reportgen.content.model import BLOCKS, Block, Section, load_report, section_anchor, walk_sections
from reportgen.errors import InputError

PARAGRAPH = {"type": "paragraph", "text": "Some words."}


def letter_with(tmp_path, old: str, new: str):
    """A copy of the letter fixture with one piece of its report.yaml replaced."""
    folder = tmp_path / "letter"
    shutil.copytree(LETTER, folder)
    path = folder / "report.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_blocks_are_the_block_union_by_type_name():
    union = typing.get_args(typing.get_args(Block)[0])
    assert list(BLOCKS.values()) == list(union)
    assert BLOCKS["paragraph"] is model.Paragraph and BLOCKS["list"] is model.ListBlock
    assert model.BLOCK_TYPES == tuple(BLOCKS)


def test_the_letter_loads_into_typed_blocks():
    report, _raw = load_report(LETTER)
    assert report.id == "letter-to-carers-2025" and report.kind is model.Kind.letter
    assert [b.type for b in report.blocks][:3] == ["paragraph", "paragraph", "list"]
    assert isinstance(report.blocks[2], model.ListBlock) and len(report.blocks[2].items) == 2


def test_every_problem_is_reported_together_with_its_line_and_field(tmp_path):
    folder = letter_with(
        tmp_path,
        "  - type: paragraph\n    text: Dear carer,",
        "  - type: paragraf\n    text: Dear carer,\n  - type: list\n    style: bulets\n    items: [a]",
    )
    with pytest.raises(InputError) as caught:
        load_report(folder)
    assert "2 problem(s) — nothing was built" in caught.value.args[0]
    first, second = caught.value.problems
    assert (first.line, first.pointer, first.rule) == (16, "blocks[0]", "union_tag_invalid")
    assert "unknown block type 'paragraf' (did you mean 'paragraph'?)" in first.message
    assert (second.line, second.pointer) == (19, "blocks[1].style")
    assert "'bulets' is not allowed — expected one of: 'bullet' or 'numbered'" in second.message


def test_an_unknown_field_is_refused_not_ignored(tmp_path):
    folder = letter_with(tmp_path, "    text: Dear carer,", "    text: Dear carer,\n    txet: typo")
    with pytest.raises(InputError) as caught:
        load_report(folder)
    [problem] = caught.value.problems
    assert problem.pointer == "blocks[0].txet" and problem.line == 18


@pytest.mark.parametrize(
    "title,kind",
    [("1. Introduction", "numbered_title"), ("**Bold** heading", "formatted_title"), ("## Heading", "formatted_title")],
)
def test_section_titles_are_plain_unnumbered_text(title, kind):
    with pytest.raises(pydantic.ValidationError) as caught:
        Section.model_validate({"title": title, "blocks": [PARAGRAPH]})
    assert [e["type"] for e in caught.value.errors()] == [kind]


def test_an_empty_section_is_refused():
    with pytest.raises(pydantic.ValidationError) as caught:
        Section.model_validate({"title": "Nothing here"})
    assert [e["type"] for e in caught.value.errors()] == ["empty_section"]


def test_sections_are_walked_in_reading_order_with_paths_and_depths():
    sections = [
        Section.model_validate(
            {
                "title": "One",
                "blocks": [PARAGRAPH],
                "sections": [{"title": "One point one", "sections": [{"title": "Deep", "blocks": [PARAGRAPH]}]}],
            }
        ),
        Section.model_validate({"title": "Two & more!", "id": "second", "blocks": [PARAGRAPH]}),
    ]
    walked = [(s.title, path, depth) for s, path, depth in walk_sections(sections)]
    assert walked == [
        ("One", ("sections", 0), 1),
        ("One point one", ("sections", 0, "sections", 0), 2),
        ("Deep", ("sections", 0, "sections", 0, "sections", 0), 3),
        ("Two & more!", ("sections", 1), 1),
    ]
    assert section_anchor(sections[0], ("sections", 0)) == "one"
    assert section_anchor(sections[1], ("sections", 1)) == "second"
    untitled = Section.model_validate({"title": "—", "blocks": [PARAGRAPH]})
    assert section_anchor(untitled, ("sections", 3, "sections", 1)) == "section-3-1"
