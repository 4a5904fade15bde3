"""The trust's languages: one record per language holding every fact reportgen needs of it.

Adding a language is one entry in :data:`LANGUAGES`. Every stage reads it — the model (which
tags a passage may declare), the catalogs (plural forms, Babel's locale name), formatting
(digits, compact style), rendering (direction, fonts, line height, counter style), the font
cache (which digits CSS may generate) and the font check (which Debian package to install) —
so it sits at the foundation, beside the errors, and imports nothing of reportgen.

Fontconfig's own fallback picks poor faces (Kufi for body Arabic, Japanese glyph variants
for Traditional Chinese), so every language names its faces, and every stack ends in Noto
Sans, which carries the punctuation and symbols (% £ € • – “ ”) the script faces lack.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Direction(str, Enum):
    LTR = "ltr"
    RTL = "rtl"


WESTERN_DIGITS = "0123456789"


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47
    english_name: str
    native_name: str
    direction: Direction
    fonts: tuple[str, ...]  # font families, most specific first; always ends in Noto Sans
    plural_forms: tuple[int, str]  # gettext's nplurals and plural expression (see below)
    line_height: float = 1.5
    font_package: str = "fonts-noto-core"  # the Debian package that provides ``fonts``
    digits: str = WESTERN_DIGITS  # the digits formatted numbers, dates and page numbers are written with
    script_digits: str = WESTERN_DIGITS  # the script's own digits, which a reader's text or CSS may use
    counter_style: str = "decimal"  # CSS counter style for page numbers and numbered lists, in ``digits``
    long_compact: bool = False  # write compact numbers in words ("8.6 thousand"), not abbreviations
    braille_table: str | None = (
        None  # liblouis table(s), comma-separated (/usr/share/liblouis/tables); None: none exists
    )
    script: str = "LATIN"  # how Unicode names its letters (ARABIC LETTER …): a returned translation must be in it

    @property
    def css_class(self) -> str:
        return "lang-" + self.tag.lower()

    @property
    def locale(self) -> str:
        """Babel's and gettext's name for the language: zh-Hant → zh_Hant (the catalog folder)."""
        return self.tag.replace("-", "_")


# Digits: each language uses the digits CLDR names as its default numbering system. For
# Bengali that is the Bengali digits (০–৯), used throughout print in Bangladesh and West
# Bengal. For Arabic, CLDR's default is now Western digits (latn): readers in the UK come
# from countries that use either, and the phone numbers, postcodes and web addresses they
# must type are in Western digits anyway. Urdu, Hindi, Gujarati and Punjabi: CLDR's default
# is Western digits, as in most current print in Pakistan and India. Phone numbers and
# emails in the text are never converted: they are written as they must be dialled and typed.
#
# Plural forms: pinned to the standard gettext expressions that translators' tools use.
# Babel 2.18 wrote a different order of forms for Arabic (python-babel #816: n=11 picked form
# 5 where gettext, CLDR's order and CAT tools expect form 4); 2.19 agrees, the pin stays.
#
# Compact numbers: CLDR's short compact forms for Bengali and Hindi are abbreviations readers
# find cryptic ("৮.৬ হা", "£45.3 क॰"); these languages get the long forms ("৮.৬ হাজার",
# "£45.3 करोड़").
#
# Braille: English in Unified English Braille grade 2 (contracted), as RNIB and UKAAF produce
# it; the other languages in the tables liblouis ships (mostly uncontracted grade 1); Somali
# has no liblouis table, so braille_table is None and a braille build says so (docs/braille.md).
LANGUAGES: dict[str, Language] = {
    lang.tag: lang
    for lang in (
        Language(
            "en-GB",
            "English",
            "English",
            Direction.LTR,
            ("Noto Sans",),
            (2, "(n != 1)"),
            braille_table="en-ueb-g2.ctb",
        ),
        Language(
            "ar",
            "Arabic",
            "العربية",
            Direction.RTL,
            ("Noto Naskh Arabic", "Noto Sans"),
            (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)"),
            line_height=1.8,
            script_digits="٠١٢٣٤٥٦٧٨٩",
            braille_table="ar-ar-g1.utb",
            script="ARABIC",
        ),
        Language(
            "bn",
            "Bengali",
            "বাংলা",
            Direction.LTR,
            ("Noto Sans Bengali", "Noto Sans"),
            (2, "(n > 1)"),
            line_height=1.7,
            digits="০১২৩৪৫৬৭৮৯",
            script_digits="০১২৩৪৫৬৭৮৯",
            counter_style="bengali",
            long_compact=True,
            braille_table="bn.tbl",
            script="BENGALI",
        ),
        Language(
            "zh-Hant",
            "Traditional Chinese",
            "繁體中文",
            Direction.LTR,
            ("Noto Sans CJK TC", "Noto Sans"),
            (1, "0"),
            line_height=1.6,
            font_package="fonts-noto-cjk",
            braille_table="zh-tw.ctb",
            script="CJK",
        ),
        Language(
            "gu",
            "Gujarati",
            "ગુજરાતી",
            Direction.LTR,
            ("Noto Sans Gujarati", "Noto Sans"),
            (2, "(n > 1)"),
            line_height=1.7,
            script_digits="૦૧૨૩૪૫૬૭૮૯",
            braille_table="gu.tbl",
            script="GUJARATI",
        ),
        Language(
            "hi",
            "Hindi",
            "हिन्दी",
            Direction.LTR,
            ("Noto Sans Devanagari", "Noto Sans"),
            (2, "(n > 1)"),
            line_height=1.7,
            script_digits="०१२३४५६७८९",
            long_compact=True,
            braille_table="hi.tbl",
            script="DEVANAGARI",
        ),
        Language(
            "pl",
            "Polish",
            "Polski",
            Direction.LTR,
            ("Noto Sans",),
            (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2)"),
            braille_table="Pl-Pl-g1.utb",
        ),
        Language(
            "pa",
            "Punjabi",
            "ਪੰਜਾਬੀ",
            Direction.LTR,
            ("Noto Sans Gurmukhi", "Noto Sans"),
            (2, "(n > 1)"),
            line_height=1.7,
            script_digits="੦੧੨੩੪੫੬੭੮੯",
            braille_table="pa.tbl",
            script="GURMUKHI",
        ),
        Language("so", "Somali", "Soomaali", Direction.LTR, ("Noto Sans",), (2, "(n != 1)")),
        Language(
            "ur",
            "Urdu",
            "اردو",
            Direction.RTL,
            ("Noto Nastaliq Urdu", "Noto Sans"),
            (2, "(n != 1)"),
            line_height=2.2,
            script_digits="۰۱۲۳۴۵۶۷۸۹",
            braille_table="ur-pk-g1.utb,en-ueb-g1.ctb",  # the Urdu table has no Latin letters or ASCII signs
            script="ARABIC",
        ),
    )
}

SOURCE_LANGUAGE = "en-GB"


def find_language(tag: str) -> Language | None:
    """The language for a BCP 47 tag, matched exactly or by a known tag's canonical case.

    No prefix matching: ``pa-Arab`` (Shahmukhi) is not ``pa`` (Gurmukhi), and ``zh-Hant-HK``
    is not silently ``zh-Hant``.
    """
    for known in LANGUAGES.values():
        if known.tag.lower() == tag.lower():
            return known
    return None


def language(tag: str) -> Language:
    found = find_language(tag)
    if found is None:
        raise KeyError(tag)
    return found
