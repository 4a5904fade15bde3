"""Golden outputs: every sample, in every language and format, byte for byte as approved.

The hashes in tests/golden/outputs.json were recorded before the restructuring into stage
packages, so a change to the code that moves things around must not change a single byte of
what a reader gets. A deliberate change to the output is approved with ``make approve-golden``
(REPORTGEN_APPROVE_GOLDEN=1), and its commit says which outputs changed and why.
"""

from __future__ import annotations

import hashlib
import json
import os

from conftest import ROOT, SAMPLES
from reportgen.cli import main

GOLDEN = ROOT / "tests" / "golden" / "outputs.json"


def built_hashes(out) -> dict[str, str]:
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".stamps" not in path.parts
    }


def test_every_sample_in_every_language_is_byte_identical_to_the_approved_outputs(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", *map(str, SAMPLES), "--lang", "all", "--out", str(out)]) == 0, capsys.readouterr().err
    found = built_hashes(out)
    record = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if os.environ.get("REPORTGEN_APPROVE_GOLDEN") == "1":
        record["outputs"] = found
        GOLDEN.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    expected = record["outputs"]
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(name for name in set(expected) & set(found) if expected[name] != found[name])
    assert not (missing or extra or changed), (
        f"outputs differ from tests/golden/outputs.json — changed: {changed}; not built: {missing}; new: {extra}. "
        "If the change is deliberate: make approve-golden, and say why in the commit."
    )
