"""Model stage: raw data → a typed, validated :class:`Report`.

Takes the :class:`~reportgen.content.load.RawReport` of a folder and returns a frozen ``Report``,
or raises :class:`~reportgen.errors.InputError` listing every problem found, each with the
file, the line, the field path and what is expected. The same classes generate
``docs/report.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from reportgen.content import markup
from reportgen.content.load import RawReport, display_path, load_report_folder, pointer, read_csv_table, resolve_inside
from reportgen.content.rules import RULES
from reportgen.errors import Finding, InputError
from reportgen.languages import LANGUAGES, find_language

FORMAT_VERSION = 1
MAX_SECTION_DEPTH = 5  # the title is h1; sections take h2 … h6
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".svg"}


def _problem(kind: str, message: str, field: str | None = None) -> PydanticCustomError:
    """A validation problem; ``field`` names the field it is about when raised for a whole object."""
    return PydanticCustomError(kind, message, {"field": field} if field else None)


def _check_inline(text: str) -> str:
    for link in markup.links(text):
        problem = markup.link_problem(link)
        if problem:
            raise _problem("bad_link", problem)
    return text


def _check_plain(text: str) -> str:
    if not text.strip():
        raise _problem("empty_text", "is empty — write the text, or remove the field")
    return text


def _check_lang(tag: str) -> str:
    if find_language(tag) is None:
        known = ", ".join(LANGUAGES)
        raise _problem("unknown_language", f"unknown language '{tag}' — expected one of: {known}")
    return find_language(tag).tag


Text = Annotated[str, AfterValidator(_check_plain), Field(description="Plain text.")]
Inline = Annotated[
    str,
    AfterValidator(_check_plain),
    AfterValidator(_check_inline),
    Field(description="Text with inline Markdown: **bold**, *italic*, [descriptive link text](https://…)."),
]
LangTag = Annotated[str, AfterValidator(_check_lang), Field(description="BCP 47 language tag.")]
Slug = Annotated[
    str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", description="Lower case letters, digits and hyphens.")
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- blocks -----------------------------------------------------------------------------


class Paragraph(Strict):
    type: Literal["paragraph"]
    text: Inline
    lang: LangTag | None = Field(None, description="Language of this passage, if not the publication's.")


class ListStyle(str, Enum):
    bullet = "bullet"
    numbered = "numbered"


class ListItem(Strict):
    text: Inline
    style: ListStyle | None = Field(None, description="Style of the nested list; default: the parent's.")
    items: list[Inline | ListItem] = Field(default_factory=list)


class ListBlock(Strict):
    type: Literal["list"]
    style: ListStyle = ListStyle.bullet
    items: list[Inline | ListItem] = Field(min_length=1)


class QuoteRole(str, Enum):
    quote = "quote"
    vision = "vision"


class Quote(Strict):
    type: Literal["quote"]
    text: Inline = Field(description="The quotation; a blank line starts a new paragraph.")
    attribution: Text | None = None
    role: QuoteRole = QuoteRole.quote

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]


class Unit(str, Enum):
    count = "count"
    percent = "percent"
    GBP = "GBP"


class Qualifier(str, Enum):
    more_than = "more_than"
    about = "about"


class Quantity(Strict):
    """A number the publication states; each language formats it in its own way."""

    value: float = Field(description="The number itself: 8600, 89 (for 89%), 453300000 (for £453.3m).")
    unit: Unit = Unit.count
    compact: Union[bool, Literal["long"]] = Field(
        False, description="true writes 8,600 as 8.6k and 453,300,000 as 453.3m; long writes 1,000,000 as 1 million."
    )
    fraction_digits: int = Field(0, ge=0, le=3)
    qualifier: Qualifier | None = None


class KeyFigure(Quantity):
    label: Text
    note: Text | None = None


class KeyFigures(Strict):
    type: Literal["key_figures"]
    caption: Text | None = None
    items: list[KeyFigure] = Field(min_length=1)


class ColumnType(str, Enum):
    text = "text"
    number = "number"
    percent = "percent"


class Column(Strict):
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")]
    label: Text
    type: ColumnType = ColumnType.text
    row_header: bool = False


Cell = Union[float, str, None]


class Table(Strict):
    type: Literal["table"]
    caption: Text
    columns: list[Column] = Field(min_length=1)
    rows: list[dict[str, Cell]] | None = Field(None, description="Rows written here; or use csv.")
    csv: str | None = Field(None, description="A CSV file in the publication's folder.")
    empty: Text = Field("No data", description="What an empty cell says.")
    notes: Inline | None = None

    @model_validator(mode="before")
    @classmethod
    def _load_csv(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or not data.get("csv"):
            return data
        if data.get("rows") is not None:
            raise _problem("rows_and_csv", "give either rows or csv, not both", "csv")
        folder: Path | None = (info.context or {}).get("folder")
        name = str(data["csv"])
        path = resolve_inside(folder, name) if folder else None
        if path is None:
            raise _problem(
                "outside", f"csv '{name}' is outside the publication's folder — put the file in the folder", "csv"
            )
        if not path.is_file():
            raise _problem("missing_file", f"csv file '{name}' not found in {display_path(folder)}", "csv")
        keys = [c.get("key") for c in data.get("columns") or [] if isinstance(c, dict)]
        try:
            rows = read_csv_table(path, [k for k in keys if k], name)
        except InputError as exc:
            raise _problem("bad_csv", "; ".join(str(p) for p in exc.problems) or str(exc), "csv") from None
        return {**data, "rows": rows, "csv_rows_from": name}

    # Set by _load_csv only (authors write csv:); kept out of the published schema.
    csv_rows_from: SkipJsonSchema[str | None] = Field(None, exclude=True)

    @model_validator(mode="after")
    def _check_rows(self) -> Table:
        if self.rows is None:
            raise _problem("no_rows", "a table needs rows (written here) or csv (a file name)")
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise _problem("duplicate_column", "two columns have the same key — keys must differ")
        if sum(c.row_header for c in self.columns) > 1:
            raise _problem("row_headers", "only one column can be row_header: true")
        where = f"{self.csv_rows_from}: row" if self.csv_rows_from else "rows"
        first_row_line = 2 if self.csv_rows_from else 0
        for index, row in enumerate(self.rows):
            label = f"{where} {index + first_row_line}" if self.csv_rows_from else f"rows[{index}]"
            unknown = [k for k in row if k not in keys]
            if unknown:
                hint = _did_you_mean(unknown[0], keys)
                raise _problem(
                    "unknown_cell", f"{label}: unknown column '{unknown[0]}'{hint} — columns are: {', '.join(keys)}"
                )
            for column in self.columns:
                value = row.get(column.key)
                if column.type is not ColumnType.text and value is not None and _number(value) is None:
                    raise _problem(
                        "not_a_number",
                        f"{label}, column '{column.key}': '{value}' is not a number — write digits only (e.g. 58.4)",
                    )
        return self

    def cell(self, row: dict[str, Cell], column: Column) -> Cell:
        value = row.get(column.key)
        if column.type is not ColumnType.text and value is not None:
            return _number(value)
        return value


def _number(value: Cell) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


class Domain(str, Enum):
    safe = "safe"
    effective = "effective"
    caring = "caring"
    responsive = "responsive"
    well_led = "well_led"
    overall = "overall"


class Rating(str, Enum):
    outstanding = "outstanding"
    good = "good"
    requires_improvement = "requires_improvement"
    inadequate = "inadequate"
    not_rated = "not_rated"


class RatingsColumn(Strict):
    label: Text = Field(description="What the column compares: a year, a service.")
    ratings: dict[Domain, Rating]


class CqcRatings(Strict):
    type: Literal["cqc_ratings"]
    caption: Text
    columns: list[RatingsColumn] = Field(min_length=1)

    @property
    def domains(self) -> list[Domain]:
        """The domains rated in any column, in the CQC's order (overall last)."""
        return [d for d in Domain if any(d in column.ratings for column in self.columns)]


class Figure(Strict):
    type: Literal["figure"]
    src: str = Field(description="An image file (PNG, JPEG or SVG) in the publication's folder.")
    alt: Text | None = Field(None, description="What the image shows and why it is there.")
    decorative: bool = Field(False, description="True for an image that adds nothing a reader needs.")
    caption: Inline | None = None

    @field_validator("src")
    @classmethod
    def _src_inside(cls, src: str, info: ValidationInfo) -> str:
        folder: Path | None = (info.context or {}).get("folder")
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src):
            raise _problem(
                "remote_image",
                f"'{src}' is not a file in the publication's folder — download the image and put it in the folder",
            )
        path = resolve_inside(folder, src) if folder else None
        if path is None:
            raise _problem("outside", f"'{src}' is outside the publication's folder — put the image in the folder")
        if path.suffix.lower() not in IMAGE_TYPES:
            raise _problem("image_type", f"'{src}' is not a PNG, JPEG or SVG image")
        if not path.is_file():
            raise _problem("missing_file", f"image '{src}' not found in {display_path(folder)}")
        return src

    @model_validator(mode="after")
    def _alt_or_decorative(self) -> Figure:
        if self.decorative and self.alt:
            raise _problem(
                "alt_and_decorative", "an image is either decorative (no alt) or has alt text — not both", "alt"
            )
        if not self.decorative and not self.alt:
            raise _problem("missing_alt", "alt is missing — describe the image, or set decorative: true", "alt")
        return self


class Signature(Strict):
    name: Text
    role: Text


class Signatures(Strict):
    type: Literal["signatures"]
    items: list[Signature] = Field(min_length=1)


class ContactDetails(Strict):
    name: Text | None = None
    organisation: Text | None = None
    address: list[Text] = Field(default_factory=list)
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ]{6,20}$")] | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    website: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class SocialLink(Strict):
    label: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]


class Contact(ContactDetails):
    type: Literal["contact"]
    intro: Inline | None = None
    social: list[SocialLink] = Field(default_factory=list)


class LanguageEntry(Strict):
    lang: LangTag
    name: Text = Field(description="The language's name in the publication's language.")
    native_name: Text = Field(description="The language's name in itself.")
    text: Inline = Field(description="The message, written in that language.")


class Languages(Strict):
    type: Literal["languages"]
    intro: Inline | None = None
    items: list[LanguageEntry] = Field(min_length=1)


class SurveyPart(str, Enum):
    summary = "summary"  # number of questions in each band
    best_worst = "best_worst"  # top and bottom five against the national average, with charts
    poster = "poster"  # the results poster: where experience is best, where it could improve
    benchmarks = "benchmarks"  # every section and question: range charts with their tables
    trends = "trends"  # change over time, with significance
    comparison = "comparison"  # the questions in each band other than "about the same"


class SurveyResults(Strict):
    """Results computed from the publication's survey data for the trust being built."""

    type: Literal["survey_results"]
    part: SurveyPart


InnerBlock = Annotated[
    Paragraph | ListBlock | Quote | KeyFigures | Table | CqcRatings | Figure | Signatures | Contact | Languages,
    Field(discriminator="type"),
]


class Callout(Strict):
    type: Literal["callout"]
    title: Text | None = None
    blocks: list[InnerBlock] = Field(min_length=1)


Block = Annotated[
    Paragraph
    | ListBlock
    | Quote
    | KeyFigures
    | Table
    | CqcRatings
    | Figure
    | Callout
    | Signatures
    | Contact
    | Languages
    | SurveyResults,
    Field(discriminator="type"),
]
BLOCK_TYPES = (
    "paragraph",
    "list",
    "quote",
    "key_figures",
    "table",
    "cqc_ratings",
    "figure",
    "callout",
    "signatures",
    "contact",
    "languages",
    "survey_results",
)


# --- sections and the report ------------------------------------------------------------


class Section(Strict):
    title: Text
    id: Slug | None = Field(None, description="Anchor for links to this section; made from the title if omitted.")
    blocks: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def _plain_title(cls, title: str) -> str:
        if re.search(r"\*\*|__|^#+\s", title):
            raise _problem(
                "formatted_title", "headings are plain text — remove ** and # (heading style comes from the theme)"
            )
        if re.match(r"^\(?(\d+|[ivx]+|[a-z])[.)]\s", title):
            raise _problem(
                "numbered_title",
                f"'{title}' starts with a list number — a numbered item belongs in a list, not in a heading",
            )
        return title

    @model_validator(mode="after")
    def _not_empty(self) -> Section:
        if not self.blocks and not self.sections:
            raise _problem("empty_section", "this section has no blocks and no sections — add its content or remove it")
        return self


def _check_rule(rule: str) -> str:
    if rule not in RULES:
        raise _problem(
            "unknown_rule", f"unknown rule '{rule}'{_did_you_mean(rule, RULES)} — see docs/checks.md for the rules"
        )
    return rule


class Waiver(Strict):
    """A decision not to follow a content rule at one place, with the reason on record."""

    rule: Annotated[str, AfterValidator(_check_rule), Field(description="The rule's id, e.g. long-sentence.")]
    at: Annotated[
        str,
        Field(
            min_length=1,
            description="Field path the waiver covers, e.g. sections[2].blocks[0].text "
            "(everything under it), or a file name for output rules.",
        ),
    ]
    reason: Annotated[Text, Field(min_length=10, description="Why the rule does not apply here, for the record.")]


class CheckSettings(Strict):
    """Thresholds of the plain-English rules, for this publication."""

    reading_ease: float = Field(40, ge=0, le=100, description="Lowest Flesch reading ease of an English paragraph.")
    sentence_words: int = Field(25, ge=10, le=100, description="Most words in a sentence.")


class SurveySource(Strict):
    """The national survey table a benchmark report is computed from (CSV files in the folder)."""

    results: str = Field("national-results.csv", description="One row per trust, question and year.")
    questions: str = Field("questions.csv", description="One row per scored question.")
    section_bands: str = Field("section-bands.csv", description="Band of each section score per trust and year.")
    trusts: str = Field("trusts.csv", description="Each trust's name and the contact printed on its poster.")
    year: int = Field(description="The survey year this report is about.")
    trust: str = Field(description="The trust built when no --for-each is given, by its code, e.g. RT5.")


class Kind(str, Enum):
    report = "report"
    news = "news"
    letter = "letter"
    newsletter = "newsletter"


class Report(Strict):
    """A publication: metadata and nested sections of typed blocks."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, title="reportgen publication")

    format: Literal[1] = Field(description="Version of this format.")
    id: Slug
    kind: Kind = Kind.report
    language: LangTag = Field("en-GB", description="Language the publication is written in.")
    title: Text
    subtitle: Text | None = None
    organisation: Text
    period: Text | None = None
    published: dt.date
    publisher: Text
    description: Text
    keywords: list[Text] = Field(default_factory=list)
    contents: bool | None = Field(None, description="Show a table of contents; default: yes for reports.")
    contact: ContactDetails
    values: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Quantity] = Field(
        default_factory=dict,
        description="Numbers used in the text as {name}: formatted for each language, never retyped by translators.",
    )
    blocks: list[Block] = Field(
        default_factory=list,
        description="Blocks before the first section: a news item's opening, a letter's body.",
    )
    sections: list[Section] = Field(default_factory=list)
    survey: SurveySource | None = Field(None, description="Survey data the report's results are computed from.")
    checks: CheckSettings = Field(default_factory=CheckSettings, description="Thresholds of the content checks.")
    waivers: list[Waiver] = Field(
        default_factory=list,
        description="Content-check rules deliberately not followed at one place, each with its reason.",
    )

    @model_validator(mode="after")
    def _has_content(self) -> Report:
        if not self.blocks and not self.sections:
            raise _problem(
                "no_content", "the publication has no blocks and no sections — write its content", "sections"
            )
        return self

    @property
    def show_contents(self) -> bool:
        if not self.sections:
            return False
        return self.kind is Kind.report if self.contents is None else self.contents


# --- validation with positions ----------------------------------------------------------


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_TYPE_WORDS = {
    "string_type": "expected text",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected fields (name: value)",
    "model_type": "expected fields (name: value)",
    "model_attributes_type": "expected fields (name: value)",
    "date_type": "expected a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
}


def _clean_loc(loc: tuple) -> tuple:
    """Drop the discriminator names and union branch labels pydantic puts in locations."""
    out: list = []
    for part in loc:
        if isinstance(part, str) and (part in BLOCK_TYPES and out and isinstance(out[-1], int)):
            continue
        if isinstance(part, str) and (
            part in ("str", "ListItem", "function-after[_check_inline(), function-after[_check_plain(), str]]")
            or part.startswith("function-")
        ):
            continue
        out.append(part)
    return tuple(out)


def _message(error: dict, loc: tuple, model_fields: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        if loc and loc[-1] == "alt":
            return "alt is missing — describe the image, or set decorative: true"
        return "missing — this field is required"
    if kind == "extra_forbidden":
        allowed = model_fields.get(loc[:-1], ())
        return f"unknown field '{loc[-1]}'{_did_you_mean(loc[-1], allowed)} — remove it or correct its name"
    if kind == "union_tag_invalid":
        return f"unknown block type '{ctx.get('tag')}'{_did_you_mean(ctx.get('tag'), BLOCK_TYPES)} — expected one of: {', '.join(BLOCK_TYPES)}"
    if kind == "union_tag_not_found":
        return f"this block has no 'type' — expected one of: {', '.join(BLOCK_TYPES)}"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}"
    if kind == "enum":
        return f"'{error.get('input')}' is not allowed — expected one of: {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return f"'{error.get('input')}' is not in the expected form ({_pattern_words(loc)})"
    if kind == "too_short":
        return "is empty — it needs at least one entry"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{error['msg'].lower()}"
    if kind in _TYPE_WORDS:
        got = error.get("input")
        shown = f" (got {type(got).__name__} {got!r})" if not isinstance(got, (dict, list)) else ""
        return _TYPE_WORDS[kind] + shown
    return error["msg"]


def _pattern_words(loc: tuple) -> str:
    field = loc[-1] if loc else ""
    return {
        "id": "lower case letters, digits and hyphens, e.g. annual-report-2024-25",
        "email": "an email address",
        "phone": "digits and spaces, e.g. 0116 225 6000",
        "website": "a web address starting with https://",
        "url": "a web address starting with https://",
        "key": "letters, digits and _",
    }.get(field, "see docs/authoring.md")


def validate_report(raw: RawReport) -> Report:
    """Validate raw data into a Report, or raise InputError listing every problem."""
    source = display_path(raw.source)
    try:
        report = Report.model_validate(raw.data, context={"folder": raw.folder})
    except ValidationError as exc:
        problems = []
        seen = set()
        for error in exc.errors(include_url=False):
            loc = _clean_loc(error["loc"])
            if (error.get("ctx") or {}).get("field"):
                loc = (*loc, error["ctx"]["field"])
            fields = _model_fields_at(raw.data, loc[:-1]) if error["type"] == "extra_forbidden" else ()
            message = _message(error, loc, {loc[:-1]: fields})
            key = (loc, message)
            if key in seen:
                continue
            seen.add(key)
            problems.append(Finding(source, raw.line_of(loc), pointer(loc), message, error["type"]))
        problems.sort(key=lambda p: (p.line or 0, p.pointer))
        raise InputError(f"{source}: {len(problems)} problem(s) — nothing was built", tuple(problems)) from None
    problems = _check_cross_references(report, raw, source)
    if problems:
        raise InputError(f"{source}: {len(problems)} problem(s) — nothing was built", tuple(problems))
    return report


def _model_fields_at(data: Any, loc: tuple) -> list[str]:
    """Field names allowed at ``loc``, found by walking the model along the data."""
    model: Any = Report
    node = data
    for part in loc:
        node = node[part] if isinstance(node, (dict, list)) else None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return []
        model = _inner_model(field.annotation, node)
    if isinstance(node, dict) and "type" in node:
        model = _BLOCK_MODELS.get(node["type"], model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _inner_model(annotation, node):
    import typing

    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _inner_model(arg, node) if typing.get_args(arg) else None
        if inner is not None:
            return inner
    if isinstance(node, dict) and "type" in node:
        return _BLOCK_MODELS.get(node["type"])
    return None


_BLOCK_MODELS = {
    "paragraph": Paragraph,
    "list": ListBlock,
    "quote": Quote,
    "key_figures": KeyFigures,
    "table": Table,
    "cqc_ratings": CqcRatings,
    "figure": Figure,
    "callout": Callout,
    "signatures": Signatures,
    "contact": Contact,
    "languages": Languages,
    "survey_results": SurveyResults,
}


def walk_sections(sections, path=("sections",), depth=1):
    """Yield (section, field path, depth) for every section, in reading order."""
    for index, section in enumerate(sections):
        here = (*path, index)
        yield section, here, depth
        yield from walk_sections(section.sections, (*here, "sections"), depth + 1)


def section_anchor(section: Section, path: tuple) -> str:
    if section.id:
        return section.id
    slug = re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-")
    return slug or "section-" + "-".join(str(p) for p in path if isinstance(p, int))


def _check_cross_references(report: Report, raw: RawReport, source: str) -> list[Finding]:
    problems = []
    anchors: dict[str, tuple] = {}
    for section, path, depth in walk_sections(report.sections):
        if depth > MAX_SECTION_DEPTH:
            problems.append(
                Finding(
                    source,
                    raw.line_of(path),
                    pointer(path),
                    f"sections nest {depth} deep; at most {MAX_SECTION_DEPTH} levels are possible (headings stop at level 6)",
                    "too_deep",
                )
            )
        anchor = section_anchor(section, path)
        if anchor in anchors and section.id:
            problems.append(
                Finding(
                    source,
                    raw.line_of((*path, "id")),
                    pointer((*path, "id")),
                    f"id '{anchor}' is used twice — ids must differ",
                    "duplicate_id",
                )
            )
        anchors.setdefault(anchor, path)
    for text, path in _inline_texts(raw.data, ()):
        for name in markup.placeholders(text):
            if name not in report.values:
                problems.append(
                    Finding(
                        source,
                        raw.line_of(path),
                        pointer(path),
                        f"{{{name}}} is not one of this publication's values{_did_you_mean(name, report.values)} — add it under values: or correct the name",
                        "unknown_value",
                    )
                )
        for link in markup.links(text):
            if link.href.startswith("#") and link.href[1:] not in anchors:
                problems.append(
                    Finding(
                        source,
                        raw.line_of(path),
                        pointer(path),
                        f"link '{link.text}' goes to '{link.href}', which is no section of this publication{_did_you_mean(link.href[1:], anchors)}",
                        "bad_anchor",
                    )
                )
    return problems


def _inline_texts(node, path):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _inline_texts(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _inline_texts(value, (*path, index))
    elif isinstance(node, str) and ("](" in node or "{" in node):
        yield node, path


def load_report(folder: str | Path) -> tuple[Report, RawReport]:
    """Load and validate a publication folder."""
    raw = load_report_folder(folder)
    return validate_report(raw), raw


def json_schema() -> dict:
    schema = Report.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/reportgen/reportgen/docs/report.schema.json"
    return schema
