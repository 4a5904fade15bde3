"""Inline text: a little Markdown (bold, italic, links) → safe HTML.

Report content is data. Raw HTML in it is shown as text, never interpreted; links may only
go to the web, to an email address, to a phone number, or to a section of the same
publication. Runs that must keep left-to-right order inside right-to-left text (emails,
phone numbers, URLs) are wrapped in their own element with ``dir="ltr"``: WeasyPrint
honours that (it ignores ``unicode-bidi: isolate``), browsers treat it as an isolate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

ALLOWED_SCHEMES = ("https://", "http://", "mailto:", "tel:")

# UK phone numbers as comms write them: 0116 295 0903, 0116 225 6000, +44 116 295 0903.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?|0)\d{2,4}(?:[ \u00a0]\d{3,4}){1,2}(?![\w])")
EMAIL = re.compile(r"(?<![\w.@])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<![.])")
URL = re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<>]+[^\s<>.,;:!?)]")
LTR_RUN = re.compile(f"{PHONE.pattern}|{EMAIL.pattern}|{URL.pattern}")
# A number or date in the text is a placeholder, {name}, filled in per language.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False}).enable(
        ["emphasis", "link", "escape", "newline", "backticks"]
    )
    # Let every link through the parser so that link_problem() refuses bad schemes with a
    # message, instead of markdown-it quietly printing them as text.
    parser.validateLink = lambda url: True
    return parser


def _tokens(text: str):
    return _parser().parseInline(text)[0].children or []


def links(text: str) -> list[Link]:
    """Every link in an inline text, with the text a reader sees."""
    tokens = _tokens(text)
    return [
        Link(str(token.attrGet("href") or ""), _label(tokens, index))
        for index, token in enumerate(tokens)
        if token.type == "link_open"
    ]


def link_problem(link: Link) -> str | None:
    """Why a link cannot be published as it is, or None."""
    if not link.text:
        return f"link to '{link.href}' has no text — write what the reader will find there"
    if not link.href or link.href == "#":
        return f"link '{link.text}' goes nowhere ('{link.href or 'empty'}') — give the web address, or remove the link"
    if link.href.startswith("#"):
        return None
    if not link.href.startswith(ALLOWED_SCHEMES):
        return (
            f"link '{link.text}' goes to '{link.href}' — links must start with https://, "
            "http://, mailto: or tel:, or be #section-id"
        )
    return None


def placeholders(text: str) -> list[str]:
    """Names of the {placeholders} in a text, in order."""
    return PLACEHOLDER.findall(text)


def fill(text: str, values: Mapping[str, str] | None) -> str:
    """Replace {name} by its formatted value (plain text)."""
    if not values:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def plain_text(text: str, values: Mapping[str, str] | None = None) -> str:
    """The inline text as a reader hears it: Markdown markers removed, values filled in."""
    out = []
    for token in _tokens(text):
        if token.type in ("text", "code_inline"):
            out.append(fill(token.content, values))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _ltr(text: str) -> Markup:
    """Escape text, isolating emails, phone numbers and URLs as left-to-right runs."""
    out: list = []
    last = 0
    for match in LTR_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup('<span class="ltr" dir="ltr">{}</span>').format(match.group(0)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def inline_html(text: str, values: Mapping[str, str] | None = None) -> Markup:
    """Render inline Markdown to HTML that is safe to place in a template.

    ``values`` fills the {placeholders}; they are substituted into the parsed text, so a
    value can never be read as Markdown or HTML.
    """
    html: list[Markup | str] = []
    in_link = False
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "text":
            content = fill(token.content, values)
            html.append(escape(content) if in_link else _ltr(content))
        elif kind == "code_inline":
            html.append(Markup("<code>{}</code>").format(token.content))
        elif kind == "strong_open":
            html.append(Markup("<strong>"))
        elif kind == "strong_close":
            html.append(Markup("</strong>"))
        elif kind == "em_open":
            html.append(Markup("<em>"))
        elif kind == "em_close":
            html.append(Markup("</em>"))
        elif kind == "softbreak":
            html.append(" ")
        elif kind == "hardbreak":
            html.append(Markup("<br>"))
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            # A link whose text is itself an address or number keeps left-to-right order.
            attrs = Markup(' class="ltr" dir="ltr"') if LTR_RUN.fullmatch(_label(tokens, index)) else ""
            html.append(Markup('<a href="{}"{}>').format(href, attrs))
            in_link = True
        elif kind == "link_close":
            html.append(Markup("</a>"))
            in_link = False
        else:  # pragma: no cover - the parser is configured to emit only the kinds above
            html.append(escape(token.content))
    return Markup("").join(html)


def _label(tokens, open_index: int) -> str:
    """The visible text of the link that opens at ``open_index``."""
    parts = []
    for token in tokens[open_index + 1 :]:
        if token.type == "link_close":
            break
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
    return "".join(parts).strip()
