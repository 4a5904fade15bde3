"""The published JSON Schema is current and accepts the sample publications."""

import json

import jsonschema
import yaml

from conftest import ROOT, SAMPLES
from reportgen.content.model import json_schema

SCHEMA = ROOT / "docs" / "report.schema.json"


def test_schema_file_is_up_to_date():
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json_schema(), "run: make schema"


def test_samples_validate_against_the_schema():
    validator = jsonschema.Draft202012Validator(json_schema())
    for folder in SAMPLES:
        data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
        data["published"] = data["published"].isoformat()
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, f"{folder.name}: {errors[0].message} at {list(errors[0].path)}"


def test_schema_rejects_an_unknown_block_type():
    validator = jsonschema.Draft202012Validator(json_schema())
    data = {
        "format": 1,
        "id": "x",
        "title": "t",
        "organisation": "o",
        "published": "2025-01-01",
        "publisher": "p",
        "description": "d",
        "contact": {},
        "sections": [{"title": "s", "blocks": [{"type": "heading", "text": "x"}]}],
    }
    # The same document with a known block type is valid, so the error below is the block type's.
    valid = {**data, "sections": [{"title": "s", "blocks": [{"type": "paragraph", "text": "x"}]}]}
    assert list(validator.iter_errors(valid)) == []
    [error] = validator.iter_errors(data)
    assert list(error.absolute_path) == ["sections", 0, "blocks", 0]
    assert error.validator == "oneOf"
    assert "heading" in error.message
    block_types = set(json_schema()["$defs"]["Section"]["properties"]["blocks"]["items"]["discriminator"]["mapping"])
    assert "paragraph" in block_types and "heading" not in block_types
