"""Load and validate the national survey table: CSV files → checked pandas frames.

Takes a survey folder with ``questions.csv`` (one row per scored question),
``national-results.csv`` (one row per trust × question × year, scores unrounded) and
``section-bands.csv`` (the band of each section score, as the survey publishes it); returns a
:class:`Survey`. Every problem in every file is collected and reported together, each with
its file, CSV line (the header is line 1), column and what is expected.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pandas as pd

from reportgen.content.figures import MAX_SURVEY_CSV_BYTES, MAX_SURVEY_CSV_ROWS, FileProblem, check_csv_shape
from reportgen.content.load import display_path
from reportgen.errors import Finding, InputError

BANDS = ("much_better", "better", "somewhat_better", "about_same", "somewhat_worse", "worse", "much_worse")
CHANGES = ("increase", "decrease", "no_change")
LOG = logging.getLogger("reportgen.survey")
FILES = {"questions": "questions.csv", "results": "national-results.csv", "section_bands": "section-bands.csv"}
COLUMNS = {
    "questions": ("section_number", "section", "question_id", "question_text", "comparable_from"),
    "results": (
        "trust_code",
        "trust_name",
        "synthetic",
        "year",
        "question_id",
        "respondents",
        "score",
        "band",
        "change_vs_2024",
        "change_vs_2023",
    ),
    "section_bands": ("trust_code", "year", "section_number", "band"),
}


@dataclass(frozen=True)
class Survey:
    questions: pd.DataFrame  # index: question_id, in questionnaire order
    results: pd.DataFrame
    section_bands: pd.DataFrame
    # Rows with problems, by trust: those rows are left out, and that trust cannot be built.
    problems: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    # Results of the calculations, computed once per survey (the batch asks the same for every trust).
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def trust_name(self, code: str) -> str:
        return str(self.results.loc[self.results["trust_code"] == code, "trust_name"].iloc[0])

    def is_synthetic(self, code: str) -> bool:
        return bool(self.results.loc[self.results["trust_code"] == code, "synthetic"].iloc[0])


class _Problems:
    def __init__(self):
        self.items: list[Finding] = []

    def add(self, source: str, line: int | None, column: str, message: str) -> None:
        self.items.append(Finding(source, line, column, message))

    def rows(self, source: str, frame: pd.DataFrame, mask: pd.Series, column: str, message) -> None:
        """One problem per row where ``mask`` is true (the first 20: the rest are likely the same)."""
        for index in frame.index[mask][:20]:
            value = frame.at[index, column]
            self.add(source, int(index) + 2, column, message(value) if callable(message) else message)

    def by_trust(self, sources: dict[str, pd.DataFrame]) -> tuple[list[Finding], dict[str, list[Finding]]]:
        """Split into problems of the whole table, and problems of one trust's rows."""
        whole, trusts = [], {}
        for problem in self.items:
            frame = sources.get(problem.source)
            if frame is None or problem.line is None or problem.line - 2 not in frame.index:
                whole.append(problem)
            else:
                trusts.setdefault(str(frame.at[problem.line - 2, "trust_code"]), []).append(problem)
        return whole, trusts


def _read(path: Path, kind: str, problems: _Problems) -> pd.DataFrame | None:
    shown = display_path(path)
    if not path.is_file():
        problems.add(shown, None, "", f"missing — the survey needs {path.name} ({', '.join(COLUMNS[kind])})")
        return None
    if path.stat().st_size > MAX_SURVEY_CSV_BYTES:
        problems.add(shown, None, "", f"is larger than {MAX_SURVEY_CSV_BYTES:,} bytes, the limit for survey data")
        return None
    try:
        text = path.read_text(encoding="utf-8")
        check_csv_shape(text, max_rows=MAX_SURVEY_CSV_ROWS, max_bytes=MAX_SURVEY_CSV_BYTES)
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, index_col=False, on_bad_lines="error")
    except FileProblem as exc:  # a row with more or fewer cells than the header would shift or lose figures
        problems.add(shown, exc.line, "", str(exc))
        return None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        problems.add(shown, None, "", f"not a readable UTF-8 CSV file ({exc})")
        return None
    missing = [c for c in COLUMNS[kind] if c not in frame.columns]
    if missing:
        problems.add(
            shown,
            1,
            missing[0],
            f"missing column(s) {', '.join(missing)} — the header must name: {', '.join(COLUMNS[kind])}",
        )
        return None
    return frame


def _numbers(frame, column, source, problems, *, integer=False, low=None, high=None, blank_ok=False):
    text = frame[column].str.strip()
    values = pd.to_numeric(text, errors="coerce")
    blank = text == ""
    bad = values.isna() & ~(blank & blank_ok)
    what = "a whole number" if integer else "a number"
    problems.rows(source, frame, bad, column, lambda v: f"'{v}' is not {what}")
    if integer:
        fraction = values.notna() & (values % 1 != 0)
        problems.rows(source, frame, fraction, column, lambda v: f"'{v}' is not a whole number")
    if low is not None:
        out = values.notna() & ((values < low) | (values > high))
        problems.rows(source, frame, out, column, lambda v: f"{v} is outside {low}–{high}")
    return values


def load_survey(folder: str | Path, files: dict[str, str] | None = None) -> Survey:
    """``files`` names the CSVs by kind (questions, results, section_bands); default: :data:`FILES`."""
    folder = Path(folder)
    file_names = {**FILES, **(files or {})}
    problems = _Problems()
    frames = {kind: _read(folder / name, kind, problems) for kind, name in file_names.items()}
    if problems.items:
        raise InputError(f"{display_path(folder)}: the survey data cannot be read", tuple(problems.items))
    q_src, r_src, b_src = (display_path(folder / file_names[k]) for k in ("questions", "results", "section_bands"))
    questions, results, bands = frames["questions"], frames["results"], frames["section_bands"]

    questions["section_number"] = _numbers(questions, "section_number", q_src, problems, integer=True, low=1, high=99)
    questions["comparable_from"] = _numbers(questions, "comparable_from", q_src, problems, integer=True, blank_ok=True)
    problems.rows(
        q_src,
        questions,
        questions["question_id"].duplicated(),
        "question_id",
        lambda v: f"question {v} is listed twice",
    )
    sections_of = questions.groupby("section_number")["section"].nunique()
    for number in sections_of.index[sections_of > 1]:
        problems.add(q_src, None, "section", f"section {number} has more than one name")

    for column, kwargs in (
        ("year", {"integer": True, "low": 2000, "high": 2100}),
        ("respondents", {"integer": True, "low": 0, "high": 10**6}),
        ("score", {"low": 0, "high": 10}),
    ):
        results[column] = _numbers(results, column, r_src, problems, **kwargs)
    problems.rows(
        r_src,
        results,
        ~results["synthetic"].isin(["true", "false"]),
        "synthetic",
        lambda v: f"'{v}' — write true or false",
    )
    results["synthetic"] = results["synthetic"] == "true"
    problems.rows(
        r_src,
        results,
        ~results["question_id"].isin(questions["question_id"]),
        "question_id",
        lambda v: f"unknown question '{v}' — it is not in {file_names['questions']}",
    )
    problems.rows(
        r_src,
        results,
        ~results["band"].isin(("", *BANDS)),
        "band",
        lambda v: f"unknown band '{v}' — expected one of: {', '.join(BANDS)} (or empty)",
    )
    for column in ("change_vs_2024", "change_vs_2023"):
        problems.rows(
            r_src,
            results,
            ~results[column].isin(("", *CHANGES)),
            column,
            lambda v: f"'{v}' — expected one of: {', '.join(CHANGES)} (or empty)",
        )
    key = ["trust_code", "question_id", "year"]
    problems.rows(
        r_src,
        results,
        results.duplicated(key, keep="first"),
        "question_id",
        lambda v: f"a second row for the same trust, question ({v}) and year — keep one",
    )
    names = results.groupby("trust_code")["trust_name"].nunique()
    for code in names.index[names > 1]:
        first = results.index[results["trust_code"] == code][0]
        problems.add(r_src, int(first) + 2, "trust_name", f"trust {code} has more than one name — use one")

    bands["year"] = _numbers(bands, "year", b_src, problems, integer=True, low=2000, high=2100)
    bands["section_number"] = _numbers(bands, "section_number", b_src, problems, integer=True, low=1, high=99)
    problems.rows(
        b_src,
        bands,
        ~bands["band"].isin(BANDS),
        "band",
        lambda v: f"unknown band '{v}' — expected one of: {', '.join(BANDS)}",
    )
    problems.rows(
        b_src,
        bands,
        ~bands["section_number"].isin(questions["section_number"]),
        "section_number",
        lambda v: f"unknown section {v} — it is not in {file_names['questions']}",
    )
    whole, by_trust = problems.by_trust({r_src: results, b_src: bands})
    if whole:
        raise InputError(
            f"{display_path(folder)}: {len(problems.items)} problem(s) in the survey data — nothing was built",
            tuple(problems.items),
        )
    if by_trust:
        # A bad row is its trust's problem: that trust is not built, the others are, without the bad rows.
        LOG.warning(
            "%s: rows of %s have problems and are left out (those trusts cannot be built)",
            display_path(folder),
            ", ".join(sorted(by_trust)),
        )
        bad = {p.line - 2 for items in by_trust.values() for p in items if p.source == r_src}
        results = results.drop(index=[i for i in bad if i in results.index])
        bad_bands = {p.line - 2 for items in by_trust.values() for p in items if p.source == b_src}
        bands = bands.drop(index=[i for i in bad_bands if i in bands.index])
    results["year"] = results["year"].astype(int)
    results["respondents"] = results["respondents"].astype(int)
    bands["year"] = bands["year"].astype(int)
    bands["section_number"] = bands["section_number"].astype(int)
    questions["section_number"] = questions["section_number"].astype(int)
    questions = questions.reset_index(drop=True)
    questions["order"] = range(len(questions))
    return Survey(questions, results, bands, {code: tuple(items) for code, items in by_trust.items()})
