"""Survey calculations: pure functions over a loaded :class:`~reportgen.survey.data.Survey`.

* a question's score is shown only when at least 30 people answered it; a section's only
  when every question in it is shown;
* the national average, lowest and highest are over the trusts whose score is shown;
* a section score is the mean of the section's *unrounded* question scores;
* published figures have one decimal, rounded half up from the unrounded value (the
  survey prints 6.25 as 6.3, where Python's round() gives 6.2);
* best and worst five: the trust's score minus the national average, unrounded; ties go to
  the question that comes first in the questionnaire. Sorting by that difference also gives
  the survey's rule for a trust with no score above (or below) average: the closest ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from reportgen.survey.data import Survey

THRESHOLD = 30
CHANGE_WORDS = {"increase": "Increase", "decrease": "Decrease", "no_change": "No change"}


@dataclass(frozen=True)
class National:
    average: float
    lowest: float
    highest: float


@dataclass(frozen=True)
class SectionScore:
    score: float | None  # unrounded
    reason: str | None  # why there is no score


@dataclass(frozen=True)
class Trend:
    question_id: str
    years: tuple[int, ...]
    trust_scores: tuple[float | None, ...]
    national_averages: tuple[float | None, ...]
    changes: tuple[tuple[int, str], ...]  # (earlier year, "Increase" / "Decrease" / "No change")


def publish(value: float) -> Decimal:
    """One decimal, half up, from the unrounded value (repr keeps the float's shortest form)."""
    return Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def suppression_reason(respondents: int) -> str | None:
    if respondents < THRESHOLD:
        return f"fewer than {THRESHOLD} respondents ({respondents})"
    return None


def _shown(results: pd.DataFrame) -> pd.DataFrame:
    return results[(results["respondents"] >= THRESHOLD) & results["score"].notna()]


def _cached(survey: Survey, key: tuple, compute):
    if key not in survey.cache:
        survey.cache[key] = compute()
    return survey.cache[key]


def trust_results(survey: Survey, trust: str, year: int) -> pd.DataFrame:
    """The trust's rows for a year, indexed by question id, in questionnaire order."""

    def compute():
        by_trust = _cached(
            survey, ("by-trust-year",), lambda: dict(iter(survey.results.groupby(["trust_code", "year"])))
        )
        rows = by_trust.get((trust, year), survey.results.iloc[0:0])
        order = survey.questions.set_index("question_id")["order"]
        return rows.assign(order=rows["question_id"].map(order)).sort_values("order").set_index("question_id")

    return _cached(survey, ("trust", trust, year), compute)


def national(survey: Survey, question: str, year: int) -> National:
    def compute():
        shown = _shown(survey.results[survey.results["year"] == year])
        table = shown.groupby("question_id")["score"].agg(["mean", "min", "max"])
        return {q: National(float(r["mean"]), float(r["min"]), float(r["max"])) for q, r in table.iterrows()}

    return _cached(survey, ("national", year), compute)[question]


def sections(survey: Survey) -> list[tuple[int, str]]:
    pairs = survey.questions[["section_number", "section"]].drop_duplicates("section_number")
    return [(int(n), str(s)) for n, s in pairs.sort_values("section_number").itertuples(index=False)]


def _section_questions(survey: Survey, number: int) -> list[str]:
    return list(survey.questions.loc[survey.questions["section_number"] == number, "question_id"])


def section_score(survey: Survey, trust: str, year: int, number: int) -> SectionScore:
    rows = trust_results(survey, trust, year)
    ids = [q for q in _section_questions(survey, number) if q in rows.index]
    if not ids:
        return SectionScore(None, "the trust has no results for this section")
    short = [q for q in ids if rows.at[q, "respondents"] < THRESHOLD]
    if short:
        return SectionScore(None, f"fewer than {THRESHOLD} respondents answered {', '.join(short)}")
    return SectionScore(float(rows.loc[ids, "score"].mean()), None)


def national_section(survey: Survey, year: int, number: int) -> National:
    def compute():
        scores = [
            section_score(survey, code, year, number).score
            for code in survey.results.loc[survey.results["year"] == year, "trust_code"].unique()
        ]
        shown = pd.Series([s for s in scores if s is not None], dtype=float)
        return National(float(shown.mean()), float(shown.min()), float(shown.max()))

    return _cached(survey, ("national-section", year, number), compute)


def section_band(survey: Survey, trust: str, year: int, number: int) -> str | None:
    bands = survey.section_bands
    rows = bands[(bands["trust_code"] == trust) & (bands["year"] == year) & (bands["section_number"] == number)]
    return str(rows["band"].iloc[0]) if len(rows) else None


def differences(survey: Survey, trust: str, year: int) -> pd.Series:
    """Trust score minus national average, unrounded, for every question with a shown score."""
    rows = _shown(trust_results(survey, trust, year).reset_index()).set_index("question_id")
    return pd.Series({q: rows.at[q, "score"] - national(survey, q, year).average for q in rows.index}, dtype=float)


def best_and_worst(survey: Survey, trust: str, year: int, n: int = 5) -> tuple[list[str], list[str]]:
    diff = differences(survey, trust, year)
    order = survey.questions.set_index("question_id")["order"]
    frame = pd.DataFrame({"diff": diff, "order": order.reindex(diff.index)})
    best = frame.sort_values(["diff", "order"], ascending=[False, True]).index[:n]
    worst = frame.sort_values(["diff", "order"], ascending=[True, True]).index[:n]
    return list(best), list(worst)


def band_counts(survey: Survey, trust: str, year: int) -> dict[str, int]:
    rows = _shown(trust_results(survey, trust, year).reset_index())
    return {str(k): int(v) for k, v in rows["band"].replace("", pd.NA).dropna().value_counts().items()}


def change_over_time(survey: Survey, trust: str, year: int, *, section: int | None = None) -> list[Trend]:
    """Questions comparable with earlier years: the trust's and the national scores per year."""
    questions = survey.questions
    if section is not None:
        questions = questions[questions["section_number"] == section]
    everyone = survey.results
    mine = everyone[everyone["trust_code"] == trust].set_index(["question_id", "year"])
    trends = []
    for question, since in questions[["question_id", "comparable_from"]].itertuples(index=False):
        if pd.isna(since) or (question, year) not in mine.index:
            continue
        years = tuple(range(int(since), year + 1))
        scores = []
        for y in years:
            row = mine.loc[(question, y)] if (question, y) in mine.index else None
            scores.append(None if row is None or row["respondents"] < THRESHOLD else float(row["score"]))
        averages = []
        for y in years:
            shown = _shown(everyone[(everyone["question_id"] == question) & (everyone["year"] == y)])
            averages.append(float(shown["score"].mean()) if len(shown) else None)
        current = mine.loc[(question, year)]
        changes = tuple(
            (y, CHANGE_WORDS[current[f"change_vs_{y}"]])
            for y in (year - 1, year - 2)
            if y in years and f"change_vs_{y}" in current and current[f"change_vs_{y}"] in CHANGE_WORDS
        )
        trends.append(Trend(question, years, tuple(scores), tuple(averages), changes))
    return trends
