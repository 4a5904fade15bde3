"""The survey report's pages for one trust: figures from the calculations, words, and charts.

Takes a validated publication with ``survey:`` data and a trust code; returns a
:class:`~reportgen.survey.Variant` whose template context holds a :class:`SurveyView` —
everything the survey templates show, already computed and formatted for the language:
band counts, best and worst five, every section and question with its range chart, change
over time with trend charts, and the questions in each band. Nothing here writes files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from io import StringIO
from pathlib import Path

from reportgen.colours import brand_graphics_colour
from reportgen.content.load import RawReport, display_path
from reportgen.content.model import Report
from reportgen.errors import Finding, InputError
from reportgen.i18n.formatting import format_number
from reportgen.render import charts
from reportgen.settings import current
from reportgen.survey import Variant, calc
from reportgen.survey.data import Survey, load_survey

SUPPRESSION_THRESHOLD = 30
BAND_ORDER = tuple(charts.BANDS)  # best to worst


@dataclass(frozen=True)
class Contact:
    text: str  # who to contact, e.g. "the Patient Experience team"
    phone: str | None
    email: str | None
    invited: int | None = None  # who took part (trusts.csv): people invited, questionnaires completed,
    completed: int | None = None  # the adjusted response rate this year and last year (per cent)
    response_rate: int | None = None
    previous_response_rate: int | None = None


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: str
    section: str
    respondents: int
    score: str | None  # published, one decimal; None when suppressed
    band: str | None
    suppressed: str | None  # why no score is shown
    chart: charts.Chart
    csv_name: str


@dataclass(frozen=True)
class SectionView:
    number: int
    name: str
    score: str | None
    band: str | None
    reason: str | None
    chart: charts.Chart
    csv_name: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class TrendView:
    id: str
    text: str
    changes: tuple[tuple[int, str], ...]  # (earlier year, "No change" / "Increase" / "Decrease")
    chart: charts.Chart
    csv_name: str


@dataclass(frozen=True)
class TrendSection:
    number: int
    name: str
    questions: tuple[TrendView, ...]


@dataclass(frozen=True)
class SurveyView:
    trust_code: str
    trust_name: str
    synthetic: bool  # this trust's figures are made up
    others_synthetic: bool  # the national figures are computed with made-up trusts
    contact: Contact
    year: int
    band_counts: tuple[tuple[str, int], ...]
    best: tuple[QuestionView, ...]
    worst: tuple[QuestionView, ...]
    sections: tuple[SectionView, ...]
    trends: tuple[TrendSection, ...]
    comparison: tuple[tuple[str, tuple[QuestionView, ...]], ...]


@lru_cache(maxsize=4)
def _load(folder: Path, results: str, questions: str, section_bands: str) -> Survey:
    return load_survey(folder, {"results": results, "questions": questions, "section_bands": section_bands})


def survey_of(report: Report, raw: RawReport) -> Survey:
    source = report.survey
    return _load(raw.folder, source.results, source.questions, source.section_bands)


def trust_codes(report: Report, raw: RawReport) -> list[str]:
    survey = survey_of(report, raw)
    return list(dict.fromkeys([*survey.results["trust_code"], *survey.problems]))


def survey_variant(report: Report, raw: RawReport, trust: str | None) -> Variant:
    survey = survey_of(report, raw)
    code = trust or report.survey.trust
    if code in survey.problems:
        problems = survey.problems[code]
        raise InputError(
            f"{display_path(raw.folder)}: {len(problems)} row(s) of trust {code} have problems — it was not built",
            problems,
        )
    known = trust_codes(report, raw)
    if code not in known:
        raise InputError.single(
            display_path(raw.source),
            f"trust '{code}' is not in the survey data — known trusts include {', '.join(known[:5])}",
            raw.line_of(("survey", "trust")),
            "survey.trust",
        )
    contact = _contact(report, raw, code)
    name = survey.trust_name(code)

    def context(lang: str) -> dict:
        if lang != report.language:
            # No silent fallback: the chart, table and poster words are not in any catalog yet.
            raise InputError.single(
                display_path(raw.source),
                f"the survey report's own words (charts, tables, "
                f"poster) are not translated yet — build it in {report.language}",
            )
        return {"survey": build_view(survey, code, name, contact, report.survey.year, lang)}

    return Variant(code, name, context)


def _contact(report: Report, raw: RawReport, code: str) -> Contact:
    """The trust's contact for its poster: a missing one is an error, never a placeholder in print."""
    import pandas as pd

    path = raw.folder / report.survey.trusts
    shown = display_path(path)
    if not path.is_file():
        raise InputError.single(
            shown,
            "the file of trust contacts is missing — it gives each trust's contact for "
            "its results poster (columns trust_code, contact, phone, email)",
        )
    from reportgen.content.figures import FileProblem, check_csv_shape

    try:
        text = path.read_text(encoding="utf-8")
        check_csv_shape(text)
    except UnicodeDecodeError:
        raise InputError.single(shown, "the file of trust contacts is not UTF-8 text — save it as UTF-8 CSV") from None
    except FileProblem as exc:
        raise InputError.single(shown, f"the file of trust contacts: {exc}", exc.line) from None
    table = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, index_col=False, on_bad_lines="error")
    rows = table.index[table.get("trust_code", pd.Series(dtype=str)) == code].tolist()
    if not rows:
        raise InputError.single(
            shown, f"no contact for trust {code} — add a row with its contact for the poster", pointer="trust_code"
        )
    row = table.loc[rows[0]]
    line = rows[0] + 2  # the header is line 1
    text = str(row.get("contact", "")).strip()
    phone = str(row.get("phone", "")).strip() or None
    email = str(row.get("email", "")).strip() or None
    problems = []
    if not text:
        problems.append(
            Finding(
                shown,
                line,
                "contact",
                f"trust {code} has no contact — write who answers questions "
                "about the results (it is printed on the poster)",
            )
        )
    if not (phone or email):
        problems.append(Finding(shown, line, "phone", f"trust {code} has neither phone nor email — give at least one"))
    counts = {}
    for column in ("invited", "completed", "response_rate", "previous_response_rate"):
        value = str(row.get(column, "")).strip()
        if value and not value.isdigit():
            problems.append(Finding(shown, line, column, f"'{value}' is not a whole number"))
        counts[column] = int(value) if value.isdigit() else None
    if problems:
        raise InputError(f"{shown}: the poster of {code} cannot be made", tuple(problems))
    return Contact(text, phone, email, **counts)


def build_view(survey: Survey, trust: str, name: str, contact: Contact, year: int, lang: str) -> SurveyView:
    def number(value: float) -> str:
        return format_number(value, lang, 1)

    trust_colour = brand_graphics_colour(current().organisation.colours) or charts.TRUST

    def chart_id(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

    questions = survey.questions.set_index("question_id")
    rows = calc.trust_results(survey, trust, year)
    views: dict[str, QuestionView] = {}
    for qid, row in rows.iterrows():
        national = calc.national(survey, qid, year)
        suppressed = calc.suppression_reason(row["respondents"])
        band = None if suppressed else charts.BANDS[row["band"]].label if row["band"] in charts.BANDS else None
        text = str(questions.loc[qid, "question_text"])
        chart = charts.range_chart(
            title=f"{qid}. {text}",
            score=None if suppressed else row["score"],
            average=national.average,
            lowest=national.lowest,
            highest=national.highest,
            band=None if suppressed else row["band"],
            number=number,
            chart_id=chart_id(qid),
            trust_colour=trust_colour,
        )
        views[qid] = QuestionView(
            qid,
            text,
            str(questions.loc[qid, "section"]),
            int(row["respondents"]),
            None if suppressed else number(row["score"]),
            band,
            suppressed,
            chart,
            f"{trust}-{year}-{qid}.csv",
        )
    sections = []
    for number_, section in calc.sections(survey):
        ids = [qid for qid in questions.index[questions["section_number"] == number_] if qid in views]
        result = calc.section_score(survey, trust, year, number_)
        national = calc.national_section(survey, year, number_)
        band_key = calc.section_band(survey, trust, year, number_)
        chart = charts.range_chart(
            title=f"Section {number_}. {section}",
            score=result.score,
            average=national.average,
            lowest=national.lowest,
            highest=national.highest,
            band=band_key,
            number=number,
            chart_id=f"section-{number_}",
            trust_colour=trust_colour,
        )
        sections.append(
            SectionView(
                number_,
                section,
                None if result.score is None else number(result.score),
                charts.BANDS[band_key].label if band_key in charts.BANDS and result.score is not None else None,
                result.reason,
                chart,
                f"{trust}-{year}-section-{number_}.csv",
                tuple(views[q] for q in ids),
            )
        )
    best_ids, worst_ids = calc.best_and_worst(survey, trust, year)
    counts = calc.band_counts(survey, trust, year)
    trends = []
    for number_, section in calc.sections(survey):
        items = []
        for trend in calc.change_over_time(survey, trust, year, section=number_):
            chart = charts.trend_chart(
                title=f"{trend.question_id}. {questions.loc[trend.question_id, 'question_text']}",
                years=trend.years,
                trust=trend.trust_scores,
                average=trend.national_averages,
                number=number,
                chart_id=f"trend-{chart_id(trend.question_id)}",
                trust_colour=trust_colour,
                note="; ".join(
                    f"Significant change {year} vs {earlier}: {change}" for earlier, change in trend.changes
                ),
            )
            items.append(
                TrendView(
                    trend.question_id,
                    str(questions.loc[trend.question_id, "question_text"]),
                    tuple(trend.changes),
                    chart,
                    f"{trust}-trend-{trend.question_id}.csv",
                )
            )
        trends.append(TrendSection(number_, section, tuple(items)))
    comparison = tuple(
        (
            charts.BANDS[key].label,
            tuple(v for v in views.values() if not v.suppressed and rows.loc[v.id, "band"] == key),
        )
        for key in BAND_ORDER
        if key != "about_same"
    )
    return SurveyView(
        trust,
        name,
        survey.is_synthetic(trust),
        bool(survey.results["synthetic"].any()),
        contact,
        year,
        tuple((charts.BANDS[key].label, counts.get(key, 0)) for key in BAND_ORDER),
        tuple(views[q] for q in best_ids),
        tuple(views[q] for q in worst_ids),
        tuple(sections),
        tuple(trends),
        comparison,
    )
