"""Limits on report.yaml (issue 14, item 3): hostile files end fast in a clear error, never a hang.

Each attack is built as the comms team would (``reportgen build`` in its own process, with a
time bound): exit 2, a message naming the file and what is wrong, no traceback, nothing in out/.
"""

from __future__ import annotations

import os
import re

import pytest

from conftest import DATA, SAMPLES, run_build
from reportgen.content import load

TITLE = 'id: hostile\ntitle: "Hostile"\nlanguage: en-GB\n'


def billion_laughs() -> str:
    """About 1 KB of YAML that written out would hold 9⁹ (387 million) strings."""
    text = TITLE + 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = name
    return text


def build(folder, out, timeout=5):
    return run_build(folder, out, timeout)


def assert_refused(result, out, *phrases):
    assert result.returncode == 2, result.stderr
    assert "report.yaml" in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert not out.exists() or not any(out.rglob("*")), "nothing may be written when the build is refused"


def publication(tmp_path, text: str):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    return folder


def test_billion_laughs_is_refused_within_seconds(tmp_path):
    text = billion_laughs()
    assert len(text.encode()) < 1100
    result = build(publication(tmp_path, text), tmp_path / "out")
    assert_refused(result, tmp_path / "out", "too many repeated parts (YAML aliases", f"{load.MAX_YAML_VALUES:,}")


def test_an_alias_used_as_a_field_name_cannot_bypass_the_count(tmp_path):
    text = billion_laughs() + "? *i\n: x\n"
    result = build(publication(tmp_path, text), tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_a_few_aliases_still_load(tmp_path):
    folder = publication(tmp_path, TITLE + "a: &a [1, 2]\nb: *a\n")
    raw = load.load_report_folder(folder)
    assert raw.data["b"] == [1, 2]


@pytest.mark.parametrize("levels", [load.MAX_YAML_DEPTH + 5, 3000, 100_000])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, levels):
    text = TITLE + "sections: " + "[" * levels + "]" * levels + "\n"
    result = build(publication(tmp_path, text), tmp_path / "out")
    assert_refused(result, tmp_path / "out", f"nested more than {load.MAX_YAML_DEPTH} levels deep")


def test_deep_nesting_by_indentation_names_the_line(tmp_path):
    depth = load.MAX_YAML_DEPTH + 3
    text = TITLE + "deep:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(depth)) + "  " * (depth + 1) + "x\n"
    with pytest.raises(load.InputError) as caught:
        load.load_report_folder(publication(tmp_path, text))
    (problem,) = caught.value.problems
    assert "levels deep" in problem.message
    assert problem.line == 5 + load.MAX_YAML_DEPTH  # deep: on line 4, then one level a line
    assert problem.pointer.startswith("deep.k0.k1")


def test_a_long_list_is_refused_with_its_length_and_the_limit(tmp_path):
    items = load.MAX_LIST_ITEMS + 1
    text = TITLE + "sections:\n" + "- x\n" * items
    result = build(publication(tmp_path, text), tmp_path / "out")
    assert_refused(result, tmp_path / "out", f"{items:,} items", f"limit is {load.MAX_LIST_ITEMS:,}", ":5: sections:")


def test_a_named_pipe_called_report_yaml_is_refused_at_once(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    os.mkfifo(folder / "report.yaml")
    for given in (folder, folder / "report.yaml"):
        result = build(given, tmp_path / "out")
        assert_refused(result, tmp_path / "out", "named pipe, not an ordinary file")


def test_a_folder_called_report_yaml_is_refused(tmp_path):
    folder = tmp_path / "hostile"
    (folder / "report.yaml").mkdir(parents=True)
    with pytest.raises(load.InputError, match="is a folder, not an ordinary file"):
        load.load_report_folder(folder)


def test_a_device_called_report_yaml_is_refused(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "report.yaml").symlink_to("/dev/zero")
    with pytest.raises(load.InputError, match="is a device, not an ordinary file"):
        load.load_report_folder(folder)


def test_an_oversized_report_yaml_is_refused_with_its_size_and_the_limit(tmp_path):
    line = f"# {'x' * 1021}\n"  # 1 KB of comment per line
    text = TITLE + line * (load.MAX_REPORT_BYTES // len(line) + 500)
    result = build(publication(tmp_path, text), tmp_path / "out")
    assert_refused(result, tmp_path / "out", "report.yaml is 2.5 MB; the limit is 2.0 MB")


def test_a_missing_report_yaml_still_says_not_found(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(load.InputError, match="report.yaml not found"):
        load.load_report_folder(tmp_path / "empty")


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_every_sample_is_well_inside_the_limits(folder):
    raw = load.load_report_folder(folder)
    assert (folder / "report.yaml").stat().st_size < load.MAX_REPORT_BYTES / 10
    assert len(raw.lines) < load.MAX_YAML_VALUES / 10
    assert max(len(path) for path in raw.lines) < load.MAX_YAML_DEPTH / 2


@pytest.mark.parametrize(
    "samples",
    [["cmh-survey-2025"], ["cmh-survey-2025", "annual-report-summary-2024-25"]],
    ids=["in-process", "in-workers"],
)
def test_a_build_that_runs_too_long_is_stopped_with_a_clear_message(tmp_path, samples):
    """The wall-clock limit holds where the build runs in the command's own process and in
    worker processes; nothing is written, and the message names the publication and language."""
    out = tmp_path / "out"
    result = run_build(
        [DATA / name for name in samples], out, 60, "--format", "pdf", "--jobs", "2",
        env={"REPORTGEN_BUILD_SECONDS": "1"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert re.search(r"\(en-GB\): stopped after 1 seconds, the most one language of one publication", result.stderr)
    assert "REPORTGEN_BUILD_SECONDS" in result.stderr and "Traceback" not in result.stderr
    assert not list(out.rglob("*.pdf"))
