"""Model stage: raw data → a typed, validated :class:`Report`.

Takes the :class:`~reportgen.content.load.RawReport` of a folder and returns a frozen ``Report``,
or raises :class:`~reportgen.errors.InputError` listing every problem found, each with the
file, the line, the field path and what is expected. The same classes generate
``docs/report.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import typing
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
from reportgen.content.figures import FileProblem, check_image
from reportgen.content.load import RawReport, display_path, load_report_folder, pointer, read_csv_table, resolve_inside
from reportgen.content.rules import RULES
from reportgen.content.walk import Data, Translatable, Verbatim, block_type
from reportgen.errors import Finding, InputError
from reportgen.languages import LANGUAGES, find_language

SECTION_TITLE_HELP = "Section heading."
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
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


# --- blocks -----------------------------------------------------------------------------


class Paragraph(Strict):
    type: Literal["paragraph"]
    text: Annotated[Inline, Translatable("Paragraph.", inline=True)]
    lang: Annotated[LangTag | None, Data("a language tag")] = Field(
        None, description="Language of this passage, if not the publication's."
    )


class ListStyle(str, Enum):
    bullet = "bullet"
    numbered = "numbered"


class ListItem(Strict):
    text: Annotated[Inline, Translatable("List item.", inline=True)]
    style: ListStyle | None = Field(None, description="Style of the nested list; default: the parent's.")
    items: Annotated[list[Inline | ListItem], Translatable("List item.", inline=True)] = Field(default_factory=list)


class ListBlock(Strict):
    type: Literal["list"]
    style: ListStyle = ListStyle.bullet
    items: Annotated[list[Inline | ListItem], Translatable("List item.", inline=True)] = Field(min_length=1)


class QuoteRole(str, Enum):
    quote = "quote"
    vision = "vision"


class Quote(Strict):
    type: Literal["quote"]
    text: Annotated[Inline, Translatable("Quotation; a blank line separates paragraphs.", inline=True)] = Field(
        description="The quotation; a blank line starts a new paragraph."
    )
    attribution: Annotated[Text | None, Translatable("Who is quoted, or what the statement is.")] = None
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


KEY_FIGURE_HELP = "Label under a number on a tile (the number is added separately), or the small note under it."


class KeyFigure(Quantity):
    label: Annotated[Text, Translatable(KEY_FIGURE_HELP)]
    note: Annotated[Text | None, Translatable(KEY_FIGURE_HELP)] = None


class KeyFigures(Strict):
    type: Literal["key_figures"]
    caption: Annotated[Text | None, Translatable("Caption of the key figures.")] = None
    items: list[KeyFigure] = Field(min_length=1)


class ColumnType(str, Enum):
    text = "text"
    number = "number"
    percent = "percent"


class Column(Strict):
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$"), Data("the column's name in the rows")]
    label: Annotated[Text, Translatable("Column heading.")]
    type: ColumnType = ColumnType.text
    row_header: bool = False


Cell = Union[float, str, None]


class Table(Strict):
    type: Literal["table"]
    caption: Annotated[Text, Translatable("Table caption.")]
    columns: list[Column] = Field(min_length=1)
    notes: Annotated[Inline | None, Translatable("Note under the table.", inline=True)] = None
    empty: Annotated[Text, Translatable("Text of an empty table cell.")] = Field(
        "No data", description="What an empty cell says."
    )
    rows: Annotated[list[dict[str, Cell]] | None, Translatable("Table cell.", cells=True)] = Field(
        None, description="Rows written here; or use csv."
    )
    csv: Annotated[str | None, Data("a file name")] = Field(None, description="A CSV file in the publication's folder.")

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
    csv_rows_from: Annotated[SkipJsonSchema[str | None], Data("a file name")] = Field(None, exclude=True)

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
    """The cell as a number a reader can be given; None if it is not one ('nan' and 'inf' are not)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", "").strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


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
    label: Annotated[Text, Translatable("Column heading: a year or a service.")] = Field(
        description="What the column compares: a year, a service."
    )
    ratings: dict[Domain, Rating]


class CqcRatings(Strict):
    type: Literal["cqc_ratings"]
    caption: Annotated[Text, Translatable("Caption of the CQC ratings table.")]
    columns: list[RatingsColumn] = Field(min_length=1)

    @property
    def domains(self) -> list[Domain]:
        """The domains rated in any column, in the CQC's order (overall last)."""
        return [d for d in Domain if any(d in column.ratings for column in self.columns)]


class Picture(Strict):
    """An image file in the publication's folder, with its text alternative (or marked decorative)."""

    src: Annotated[str, Data("a file name")] = Field(
        description="An image file (PNG, JPEG or SVG) in the publication's folder."
    )
    alt: Annotated[Text | None, Translatable("Text alternative of a picture, read by screen readers.")] = Field(
        None, description="What the image shows and why it is there."
    )
    decorative: bool = Field(False, description="True for an image that adds nothing a reader needs.")

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
        try:
            check_image(path)
        except FileProblem as exc:
            raise _problem("bad_image", f"image '{src}' {exc}") from None
        return src

    @model_validator(mode="after")
    def _alt_or_decorative(self) -> Picture:
        if self.decorative and self.alt:
            raise _problem(
                "alt_and_decorative", "an image is either decorative (no alt) or has alt text — not both", "alt"
            )
        if not self.decorative and not self.alt:
            raise _problem("missing_alt", "alt is missing — describe the image, or set decorative: true", "alt")
        return self


class Figure(Picture):
    type: Literal["figure"]
    caption: Annotated[Inline | None, Translatable("Caption under a picture.", inline=True)] = None


class Signature(Strict):
    name: Annotated[Text, Verbatim("a person's name")]
    role: Annotated[Text, Translatable("Job title under a signature (the name stays as it is).")]
    image: Picture | None = Field(
        None, description="A picture of the signature (PNG, JPEG or SVG), shown above the name; alt: whose it is."
    )


class Signatures(Strict):
    type: Literal["signatures"]
    items: list[Signature] = Field(min_length=1)


class ContactDetails(Strict):
    name: Annotated[Text | None, Verbatim("a name")] = None
    organisation: Annotated[Text | None, Verbatim("an organisation's name")] = None
    address: Annotated[list[Text], Verbatim("a postal address")] = Field(default_factory=list)
    phone: Annotated[
        Annotated[str, Field(pattern=r"^\+?[0-9 ]{6,20}$")] | None, Verbatim("a phone number", prose=False)
    ] = None
    email: Annotated[
        Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None, Verbatim("an email address", prose=False)
    ] = None
    website: Annotated[
        Annotated[str, Field(pattern=r"^https?://\S+$")] | None, Verbatim("a web address", prose=False)
    ] = None


class SocialLink(Strict):
    label: Annotated[Text, Translatable("Social media link text.")]
    url: Annotated[str, Field(pattern=r"^https?://\S+$"), Data("a web address")]


class Contact(ContactDetails):
    type: Literal["contact"]
    intro: Annotated[Inline | None, Translatable("Sentence before the contact details.", inline=True)] = None
    social: list[SocialLink] = Field(default_factory=list)


class LanguageEntry(Strict):
    """One language the publication is offered in, written in that language: never translated."""

    lang: Annotated[LangTag, Data("a language tag")]
    name: Annotated[Text, Verbatim("the language's name")] = Field(
        description="The language's name in the publication's language."
    )
    native_name: Annotated[Text, Verbatim("the language's name in itself", prose=False)] = Field(
        description="The language's name in itself."
    )
    text: Annotated[Inline, Verbatim("already written in that language")] = Field(
        description="The message, written in that language."
    )


class Languages(Strict):
    type: Literal["languages"]
    intro: Annotated[Inline | None, Translatable("Sentence before the list of languages.", inline=True)] = None
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


EASY_READ_TEXT_HELP = (
    "Easy Read: one short idea beside its picture, in short sentences of everyday words "
    "(at most 15 words each); keep it as short and plain in the translation."
)


class EasyReadItem(Strict):
    """One idea of an Easy Read page: its picture on the left (right in right-to-left languages), the words on the right."""

    picture: Picture | None = Field(
        None,
        description="The picture beside the words: src, and alt text if it shows something the words do not "
        "say, or decorative: true if it only shows what the words beside it say. One picture per idea.",
    )
    text: Annotated[Inline, Translatable(EASY_READ_TEXT_HELP, inline=True)] = Field(
        description="One idea, in one to three short sentences (at most 15 words each)."
    )


class EasyRead(Strict):
    """Easy Read: a column of pictures, each with one short idea beside it. kind: easy_read only."""

    type: Literal["easy_read"]
    items: list[EasyReadItem] = Field(min_length=1)


InnerBlock = Annotated[
    Paragraph | ListBlock | Quote | KeyFigures | Table | CqcRatings | Figure | Signatures | Contact | Languages,
    Field(discriminator="type"),
]


class Callout(Strict):
    type: Literal["callout"]
    title: Annotated[Text | None, Translatable("Title of a box of text.")] = None
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
    | SurveyResults
    | EasyRead,
    Field(discriminator="type"),
]
# Every block type, by the name report.yaml writes it with: derived from the Block union, so a
# new block class is registered by adding it there (its fields declare what is translated).
BLOCKS: dict[str, type[Strict]] = {block_type(cls): cls for cls in typing.get_args(typing.get_args(Block)[0])}
BLOCK_TYPES = tuple(BLOCKS)


# --- sections and the report ------------------------------------------------------------


class Section(Strict):
    title: Annotated[Text, Translatable(SECTION_TITLE_HELP)]
    id: Annotated[Slug | None, Data("an anchor")] = Field(
        None, description="Anchor for links to this section; made from the title if omitted."
    )
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

    rule: Annotated[
        str, AfterValidator(_check_rule), Field(description="The rule's id, e.g. long-sentence."), Data("a rule id")
    ]
    at: Annotated[
        str,
        Data("a field path"),
        Field(
            min_length=1,
            description="Field path the waiver covers, e.g. sections[2].blocks[0].text "
            "(everything under it), or a file name for output rules.",
        ),
    ]
    reason: Annotated[
        Text,
        Field(min_length=10, description="Why the rule does not apply here, for the record."),
        Data("a decision on record, not publication text"),
    ]


class CheckSettings(Strict):
    """Thresholds of the plain-English rules, for this publication."""

    reading_ease: float = Field(40, ge=0, le=100, description="Lowest Flesch reading ease of an English paragraph.")
    sentence_words: int = Field(25, ge=10, le=100, description="Most words in a sentence.")


class SurveySource(Strict):
    """The national survey table a benchmark report is computed from (CSV files in the folder)."""

    results: Annotated[str, Data("a file name")] = Field(
        "national-results.csv", description="One row per trust, question and year."
    )
    questions: Annotated[str, Data("a file name")] = Field("questions.csv", description="One row per scored question.")
    section_bands: Annotated[str, Data("a file name")] = Field(
        "section-bands.csv", description="Band of each section score per trust and year."
    )
    trusts: Annotated[str, Data("a file name")] = Field(
        "trusts.csv", description="Each trust's name and the contact printed on its poster."
    )
    year: int = Field(description="The survey year this report is about.")
    trust: Annotated[str, Data("a trust's code")] = Field(
        description="The trust built when no --for-each is given, by its code, e.g. RT5."
    )


class Recipient(Strict):
    """Who a letter is to: printed at the head of the letter, under the letterhead."""

    name: Annotated[
        Text,
        Translatable("Who a letter is to: a person's name stays as written; a group (All our staff) is translated."),
    ] = Field(description="A person's name, or a group such as 'Everyone who works with us'.")
    address: Annotated[list[Text], Verbatim("a postal address")] = Field(
        default_factory=list, description="Lines of the postal address, if the letter is posted."
    )


class Kind(str, Enum):
    report = "report"
    news = "news"
    letter = "letter"
    newsletter = "newsletter"
    easy_read = "easy_read"


class Report(Strict):
    """A publication: metadata and nested sections of typed blocks."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False, title="reportgen publication"
    )

    format: Literal[1] = Field(description="Version of this format.")
    id: Annotated[Slug, Data("the publication's id")]
    kind: Kind = Kind.report
    language: Annotated[LangTag, Data("a language tag")] = Field(
        "en-GB", description="Language the publication is written in."
    )
    title: Annotated[Text, Translatable("Title of the publication.")]
    subtitle: Annotated[Text | None, Translatable("Subtitle of the publication.")] = None
    organisation: Annotated[Text, Verbatim("the organisation's name")]
    period: Annotated[Text | None, Verbatim("a period such as 2024/25, written the same in every language")] = None
    published: dt.date
    description: Annotated[Text, Translatable("Short description (document properties and search).")]
    publisher: Annotated[Text, Translatable("Who publishes the publication.")]
    keywords: Annotated[
        list[Text], Verbatim("search keywords, kept the same in every edition so the archive finds them all")
    ] = Field(default_factory=list)
    contents: bool | None = Field(None, description="Show a table of contents; default: yes for reports.")
    cover_image: Picture | None = Field(
        None, description="A report's cover picture: src, and alt (or decorative: true). Reports only."
    )
    edition: int | None = Field(None, ge=1, le=9999, description="A newsletter's issue number, e.g. 12.")
    recipient: Recipient | None = Field(None, description="Who a letter is to. Letters only.")
    reference: Annotated[Text | None, Verbatim("a letter's reference, written the same in every language")] = Field(
        None, description="A letter's reference, e.g. CEO/2025/07. Letters only."
    )
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
    waivers: Annotated[list[Waiver], Data("decisions on record, not publication text")] = Field(
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

    @model_validator(mode="after")
    def _fields_of_the_kind(self) -> Report:
        for name, kinds in _KIND_FIELDS.items():
            if getattr(self, name) is not None and self.kind not in kinds:
                needed = " or ".join(f"kind: {k.value}" for k in kinds)
                raise _problem(
                    "field_for_other_kind",
                    f"{name} is only used by {needed} (this publication is kind: {self.kind.value}) — remove it",
                    name,
                )
        if self.kind is Kind.letter and self.contents:
            raise _problem("letter_contents", "a letter has no contents list — remove contents: true", "contents")
        return self

    @property
    def show_contents(self) -> bool:
        if not self.sections or self.kind is Kind.letter:
            return False
        return self.kind is Kind.report if self.contents is None else self.contents


def _top_blocks(report: Report):
    """(field path, block) of the blocks directly in the publication and in its sections (a callout
    holds no easy_read block: its inner blocks cannot be one)."""
    for index, block in enumerate(report.blocks):
        yield ("blocks", index), block
    for section, path, _depth in walk_sections(report.sections):
        for index, block in enumerate(section.blocks):
            yield (*path, "blocks", index), block


_KIND_FIELDS = {
    "cover_image": (Kind.report,),
    "edition": (Kind.newsletter,),
    "recipient": (Kind.letter,),
    "reference": (Kind.letter,),
}


# --- validation with positions ----------------------------------------------------------


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_TYPE_WORDS = {
    "string_type": "expected text",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a number a reader can be given (not 'nan' or 'inf')",
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
    "easy_read": EasyRead,
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
    if report.kind is not Kind.easy_read:
        for path, block in _top_blocks(report):
            if block.type == "easy_read":
                problems.append(
                    Finding(
                        source,
                        raw.line_of(path),
                        pointer(path),
                        f"an easy_read block is only for kind: easy_read (this publication is kind: "
                        f"{report.kind.value}) — set kind: easy_read, or write it as paragraphs and figures",
                        "easy_read_for_other_kind",
                    )
                )
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
