"""The content-check rules: one registry, used by the checker, the output formats and the model.

Plain data: the checker (:mod:`reportgen.check`) applies the rules, its report formats list
them, and the content model checks that a waiver in report.yaml names one, which is why the
registry lives with the content and not with the checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from reportgen.errors import Severity


class Scope(str, Enum):
    CONTENT = "content"  # the publication's own files
    TRANSLATION = "translation"  # its catalogs
    OUTPUT = "output"  # the HTML and PDF made from it
    THEME = "theme"  # the project's theme


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    scope: Scope
    title: str  # what the rule looks for, in a few words
    fix: str  # what to do, in general; each finding's message is more specific


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


E, W = Severity.ERROR, Severity.WARNING
C, T, OUT, H = Scope.CONTENT, Scope.TRANSLATION, Scope.OUTPUT, Scope.THEME

RULES: dict[str, Rule] = _rules(
    # --- unfinished work
    Rule(
        "placeholder",
        E,
        C,
        "Placeholder or to-do left in the text",
        "Replace the placeholder with the real text, or remove it.",
    ),
    # --- links
    Rule(
        "link-text",
        E,
        C,
        "Link text that makes no sense out of context",
        "Write link text that says where the link goes, e.g. 'the CQC report on our services'.",
    ),
    Rule(
        "link-url-text",
        W,
        C,
        "Web address used as link text",
        "Describe the destination in words; keep the address after it only if print readers need it.",
    ),
    Rule(
        "link-same-text", E, C, "Same link text for different destinations", "Give each destination its own link text."
    ),
    Rule(
        "link-target",
        E,
        C,
        "Link that goes nowhere or to an address that cannot be published",
        "Give the full web address, email (mailto:) or phone (tel:), or #section-id.",
    ),
    Rule(
        "link-pdf-size",
        W,
        C,
        "Link to a PDF without its size",
        "Add '(PDF, 1.2 MB)' to the link text so readers know what they will download.",
    ),
    # --- images and charts
    Rule(
        "alt-text",
        E,
        C,
        "Image without a useful text alternative",
        "Describe what the image shows and why it is there, or set decorative: true.",
    ),
    Rule(
        "alt-repeats-caption",
        W,
        C,
        "Text alternative repeats the caption",
        "Make the alt text say what the picture shows; the caption is read as well.",
    ),
    Rule(
        "alt-too-long",
        W,
        C,
        "Text alternative too long to listen to",
        "Keep alt text under 250 characters; put long descriptions or data in the text or a table.",
    ),
    # --- structure
    Rule(
        "heading-number",
        E,
        C,
        "List number used as a heading",
        "Remove the number from the heading, or make the items a numbered list.",
    ),
    Rule(
        "heading-format", E, C, "Formatting marks in a heading", "Write headings as plain text; the theme styles them."
    ),
    Rule(
        "heading-skip",
        E,
        OUT,
        "Heading level skipped",
        "Nest sections one level at a time (a section's subsection is one level down).",
    ),
    Rule("empty-section", E, C, "Section with no content", "Add the section's content or remove the section."),
    Rule(
        "fake-heading",
        W,
        C,
        "Bold line used as a heading",
        "Make it a section (a real heading screen readers can jump to), or part of the paragraph after it.",
    ),
    Rule(
        "typed-list-number",
        E,
        C,
        "List number typed by hand",
        "Make the items a numbered list (type: list, style: numbered): the numbers come from the theme.",
    ),
    Rule(
        "spacing-paragraph",
        W,
        C,
        "Empty paragraphs used for spacing (in the Word file)",
        "Set the space before or after a paragraph in Word instead; the theme spaces the publication.",
    ),
    Rule(
        "word-unmapped",
        W,
        C,
        "Part of a Word file not carried over by reportgen import",
        "Add the content in report.yaml as the message says (see word-import.yaml), then delete that file.",
    ),
    # --- tables
    Rule("table-headers", E, OUT, "Table without headers or caption", "Give every table a caption and column labels."),
    Rule(
        "table-empty-cell",
        W,
        C,
        "Empty table cells",
        "Fill the cells, or confirm they are meant to say what 'empty:' says (default 'No data').",
    ),
    Rule(
        "table-layout",
        W,
        C,
        "Table that looks like layout rather than data",
        "Use paragraphs or a list for text; keep tables for data with rows and columns.",
    ),
    # --- plain English
    Rule("long-sentence", W, C, "Sentence over 25 words", "Split the sentence: aim for 15 to 20 words."),
    Rule(
        "reading-ease",
        W,
        C,
        "Paragraph hard to read (Flesch reading ease)",
        "Use shorter sentences and everyday words.",
    ),
    Rule(
        "all-caps",
        W,
        C,
        "Long run of capital letters",
        "Write in sentence case; capitals are harder to read and some screen readers spell them out.",
    ),
    Rule(
        "symbol-bullet",
        E,
        C,
        "Symbol typed as a bullet",
        "Use a list block: the bullets come from the theme and are announced as a list.",
    ),
    # --- Easy Read (kind: easy_read), after the Department of Health's 2010 guidance
    Rule(
        "easy-read-sentence",
        W,
        C,
        "Sentence over 15 words in Easy Read",
        "Split the sentence: Easy Read sentences have at most 15 words and one idea each.",
    ),
    Rule(
        "easy-read-picture",
        W,
        C,
        "Easy Read idea without its one picture beside it",
        "Give each item one picture (picture: src with alt, or decorative: true); put pictures in items, not alone.",
    ),
    Rule(
        "easy-read-length",
        W,
        C,
        "Easy Read document longer than 24 pages (estimated)",
        "Keep to what the reader needs, or split it into shorter documents of 24 pages at most.",
    ),
    # --- translation
    Rule(
        "number-in-text",
        W,
        C,
        "Number or date written in translatable text",
        "Declare the number under values: and write {name}, so each language formats it.",
    ),
    Rule(
        "translation-missing",
        E,
        T,
        "Passages not translated",
        "Ask for the translation (reportgen translate request) and import it.",
    ),
    Rule(
        "translation-stale",
        W,
        T,
        "Translation out of date or not reviewed",
        "Have the translator review the entries marked fuzzy, or the draft, and import it again.",
    ),
    Rule(
        "translation-invalid",
        E,
        T,
        "Translation that would break the publication",
        "Correct the entry in the catalog: keep placeholders, links and formatting marks.",
    ),
    # --- theme
    Rule(
        "theme-contrast",
        E,
        H,
        "Colour contrast too low",
        "Use a darker colour: text needs 4.5:1 against its background, graphics 3:1.",
    ),
    # --- the built outputs
    Rule("build", E, OUT, "The edition cannot be built", "Fix what the message names; reportgen build says the same."),
    Rule(
        "html-axe",
        E,
        OUT,
        "axe-core accessibility violation in the HTML",
        "Follow the help link of the violation; usually a template or a content fix.",
    ),
    Rule(
        "pdf-ua",
        E,
        OUT,
        "PDF/UA-1 failure (page-validation)",
        "A fault in the PDF stage or the content; see the message.",
    ),
    Rule(
        "pdf-structure",
        E,
        OUT,
        "Structure problem in the tagged PDF",
        "A fault in the PDF stage or the content; see the message.",
    ),
    Rule(
        "stranded-page",
        W,
        OUT,
        "PDF page that holds only a few lines",
        "Shorten or lengthen the text just before that page by a few lines; if the layout caused it, report it.",
    ),
    # --- the checks themselves
    Rule(
        "waiver",
        W,
        C,
        "Waiver that matches nothing or names no known rule",
        "Correct the waiver's rule and place, or remove it.",
    ),
    Rule(
        "schema",
        E,
        C,
        "report.yaml does not follow the format",
        "Correct the field as the message says (docs/authoring.md).",
    ),
)
