"""Fuzzing, bounded in time: every reader of untrusted text either reads it or refuses it with
a ReportgenError that names the file — never another exception, never for long.

Hypothesis generates the inputs: YAML built from the characters YAML gives meaning to and
from mutated copies of a real publication, inline Markdown, CSV tables, and returned PO and
XLIFF files mutated from a real translation request. The runs are derandomised, so CI sees
the same inputs every time; ``REPORTGEN_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py`` runs a
longer, random search (a failure prints the smallest input that causes it).
"""

from __future__ import annotations

import os
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from reportgen.content.load import parse_yaml, read_csv_table
from reportgen.content.markup import inline_html
from reportgen.content.model import load_report
from reportgen.errors import ReportgenError
from reportgen.i18n import handoff

LONG_RUN = int(os.environ.get("REPORTGEN_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 150,
    derandomize=not LONG_RUN,
    database=None,
    deadline=None,  # each example is timed below, against a bound of our own
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SECONDS_PER_INPUT = 3.0

LETTER = (DATA.parent / "tests" / "fixtures" / "letter" / "report.yaml").read_text(encoding="utf-8")

# The characters YAML gives a meaning to, with a few words and the start of a tag.
YAML_PIECES = st.sampled_from(
    [":", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!", "!", "|", ">", "'", '"', "#",
     "?", "%", "@", "`", "---", "...", "title", "blocks", "type", "paragraph", "text", "1", ".nan", "~",
     "\t", "\\", "\x00", "\u202e", "é", "ب"]
)  # fmt: skip


def yaml_like():
    return st.lists(YAML_PIECES, max_size=80).map("".join)


def mutated(text: str):
    """``text`` with a few slices replaced, deleted or repeated."""

    @st.composite
    def build(draw):
        result = text
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(0, len(result)))
            end = draw(st.integers(start, min(len(result), start + 40)))
            replacement = draw(st.one_of(yaml_like(), st.text(max_size=10), st.just(result[start:end] * 3)))
            result = result[:start] + replacement + result[end:]
        return result

    return build()


def bounded(call, *args):
    """Run ``call``; only a ReportgenError may escape, and the whole call must be quick."""
    started = time.perf_counter()
    try:
        return call(*args)
    except ReportgenError as exc:
        assert str(exc).strip(), "a refusal must say something"
        return exc
    finally:
        assert time.perf_counter() - started < SECONDS_PER_INPUT, f"took more than {SECONDS_PER_INPUT} s"


@FUZZ
@given(st.one_of(yaml_like(), st.text(max_size=300)))
def test_the_yaml_reader_reads_or_refuses_anything(text):
    outcome = bounded(parse_yaml, text, "fuzz.yaml")
    if isinstance(outcome, ReportgenError):
        assert all(p.source == "fuzz.yaml" for p in outcome.problems), "every problem names the file"


@FUZZ
@given(mutated(LETTER))
def test_a_damaged_publication_is_read_or_refused_with_its_file(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "report.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome = bounded(load_report, folder)
    if isinstance(outcome, ReportgenError):
        assert "report.yaml" in str(outcome)


ALLOWED_TAG = re.compile(r'</?(strong|em|code|br|span|bdi|a)(\s+(href|class|dir|lang)="[^"<>]*")*>')


@FUZZ
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(
    ["<script>", "</a>", "[", "](", ")", "**", "*", "_", "`", "javascript:", "{x}", "<", ">", "&", '"', "\\", "x"]
), max_size=40).map("".join)))  # fmt: skip
def test_inline_markdown_never_lets_markup_through(text):
    html = str(bounded(inline_html, text, {"x": "<b>value</b>"}))
    assert "<" not in ALLOWED_TAG.sub("", html), f"markup came through: {html!r}"


CSV_PIECES = st.sampled_from(
    ['"', ",", "\n", "\r\n", " ", "a", "1", "2.5", "nan", "inf", "\x00", "é", '""', "score", "name"]
)


@FUZZ
@given(st.lists(CSV_PIECES, max_size=120).map("".join))
def test_the_csv_reader_reads_or_refuses_anything(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    path.write_text("name,score\n" + text, encoding="utf-8")
    outcome = bounded(read_csv_table, path, ["name", "score"], "table.csv")
    if not isinstance(outcome, ReportgenError):
        assert all(set(row) >= {"name", "score"} for row in outcome)


@pytest.fixture(scope="module")
def returned_files():
    """A real Polish translation request's PO and XLIFF texts, to mutate."""
    report, raw = load_report(DATA / "cqc-community-mental-health-news-2025")
    files = handoff.request_contents(report, raw, "pl").files
    po = next(data for name, data in files.items() if name.endswith(".po"))
    xlf = next(data for name, data in files.items() if name.endswith(".xlf"))
    return po.decode("utf-8"), xlf.decode("utf-8")


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_a_damaged_returned_translation_is_read_or_refused(returned_files, tmp_path_factory, suffix):
    source = returned_files[0 if suffix == ".po" else 1]

    @FUZZ
    @given(mutated(source))
    def check(text):
        path = tmp_path_factory.mktemp("returned") / f"returned{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        outcome = bounded(handoff.read_returned, path)
        if isinstance(outcome, ReportgenError):
            assert path.name in str(outcome)
        else:
            bounded(handoff.validate_returned, outcome)

    check()
