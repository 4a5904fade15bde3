"""The trust's languages: BCP 47 tag, direction, font stack and line height for each.

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


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47
    english_name: str
    native_name: str
    direction: Direction
    fonts: tuple[str, ...]  # font families, most specific first; always ends in Noto Sans
    line_height: float = 1.5
    font_package: str = "fonts-noto-core"  # the Debian package that provides ``fonts``
    digits: str = "0123456789"  # the digits formatted numbers and dates are written with

    @property
    def counter_style(self) -> str:
        """CSS counter style for page numbers and numbered lists, in the same digits."""
        return "bengali" if self.digits == BENGALI_DIGITS else "decimal"

    @property
    def css_class(self) -> str:
        return "lang-" + self.tag.lower()


def _lang(
    tag,
    english,
    native,
    fonts,
    direction=Direction.LTR,
    line_height=1.5,
    package="fonts-noto-core",
    digits="0123456789",
):
    return Language(tag, english, native, direction, (*fonts, "Noto Sans"), line_height, package, digits)


# Digits: each language uses the digits CLDR names as its default numbering system. For
# Bengali that is the Bengali digits (০–৯), used throughout print in Bangladesh and West
# Bengal. For Arabic, CLDR's default is now Western digits (latn): readers in the UK come
# from countries that use either, and the phone numbers, postcodes and web addresses they
# must type are in Western digits anyway. Urdu, Hindi, Gujarati and Punjabi: CLDR's default
# is Western digits, as in most current print in Pakistan and India. Phone numbers and
# emails in the text are never converted: they are written as they must be dialled and typed.
BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"


LANGUAGES: dict[str, Language] = {
    lang.tag: lang
    for lang in (
        _lang("en-GB", "English", "English", ()),
        _lang("ar", "Arabic", "العربية", ("Noto Naskh Arabic",), Direction.RTL, 1.8),
        _lang("bn", "Bengali", "বাংলা", ("Noto Sans Bengali",), line_height=1.7, digits=BENGALI_DIGITS),
        _lang(
            "zh-Hant",
            "Traditional Chinese",
            "繁體中文",
            ("Noto Sans CJK TC",),
            line_height=1.6,
            package="fonts-noto-cjk",
        ),
        _lang("gu", "Gujarati", "ગુજરાતી", ("Noto Sans Gujarati",), line_height=1.7),
        _lang("hi", "Hindi", "हिन्दी", ("Noto Sans Devanagari",), line_height=1.7),
        _lang("pl", "Polish", "Polski", ()),
        _lang("pa", "Punjabi", "ਪੰਜਾਬੀ", ("Noto Sans Gurmukhi",), line_height=1.7),
        _lang("so", "Somali", "Soomaali", ()),
        _lang("ur", "Urdu", "اردو", ("Noto Nastaliq Urdu",), Direction.RTL, 2.2),
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
