"""Glyph coverage: before rendering, prove the chosen fonts can draw every character.

Takes rendered HTML; finds each text's language (nearest ``lang``) and checks every
character against the character maps of that language's font stack, as fontconfig
resolves the family names for WeasyPrint (:mod:`.fontconfig`). A character no face in the stack covers stops the build with
the language, the characters and the Debian package to install: a PDF with missing glyphs
(empty boxes a reader cannot read) is never produced.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from reportgen.errors import Finding, FontCoverageError
from reportgen.fonts.fontconfig import regular_face
from reportgen.languages import Language, find_language

LOG = logging.getLogger("reportgen.fonts")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP = {"style", "script"}


class _LangText(HTMLParser):
    """Collect the characters of an HTML page grouped by the language they are in."""

    def __init__(self, default_lang: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = [("", default_lang)]
        self.chars: dict[str, set[str]] = {}
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in VOID:
            if tag == "img" and attributes.get("alt"):
                self._add(attributes["alt"], attributes.get("lang") or self.stack[-1][1])
            return
        self.stack.append((tag, attributes.get("lang") or self.stack[-1][1]))
        if tag in SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                if tag in SKIP:
                    self.skipping -= 1
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self._add(data, self.stack[-1][1])

    def _add(self, text, lang):
        self.chars.setdefault(lang, set()).update(
            ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
        )


def characters_by_language(html: str, default_lang: str) -> dict[str, set[str]]:
    parser = _LangText(default_lang)
    parser.feed(html)
    parser.close()
    return parser.chars


@lru_cache(maxsize=64)
def font_coverage(family: str) -> frozenset[int]:
    """The code points ``family`` can draw; empty if fontconfig does not know it."""
    from fontTools.ttLib import TTFont

    found = regular_face(family)
    if found is None:
        return frozenset()
    path, index = found
    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@dataclass(frozen=True)
class Gap:
    language: Language
    characters: str
    package: str


def find_gaps(chars_by_lang: dict[str, set[str]]) -> list[Gap]:
    gaps = []
    for tag, chars in sorted(chars_by_lang.items()):
        lang = find_language(tag)
        if lang is None:
            continue  # an unknown tag never reaches here: the model refuses it
        missing = sorted(ch for ch in chars if not any(ord(ch) in font_coverage(family) for family in lang.fonts))
        if missing:
            absent = [family for family in lang.fonts if not font_coverage(family)]
            gaps.append(Gap(lang, "".join(missing), lang.font_package if absent else ""))
    return gaps


def check_coverage(html: str, default_lang: str, source: str) -> None:
    """Raise FontCoverageError if any character of ``html`` has no font in its language's stack."""
    gaps = find_gaps(characters_by_language(html, default_lang))
    if not gaps:
        return
    problems = []
    for gap in gaps:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in gap.characters[:20])
        more = f" and {len(gap.characters) - 20} more" if len(gap.characters) > 20 else ""
        stack = ", ".join(gap.language.fonts)
        if gap.package:
            fix = f"install {gap.package} (apt-get install {gap.package}), which provides the missing fonts"
        else:
            fix = (
                "the installed fonts do not have them: replace the characters, or add a font that has them "
                "to the language's stack in src/reportgen/languages.py"
            )
        problems.append(
            Finding(
                source,
                None,
                "",
                (
                    f"{gap.language.english_name} ({gap.language.tag}) text uses characters no font in its stack "
                    f"({stack}) can draw: {shown}{more} — {fix}"
                ),
            )
        )
    raise FontCoverageError("Missing glyphs — nothing was built", tuple(problems))
