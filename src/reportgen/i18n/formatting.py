"""Locale formatting: numbers, percentages, currency and dates through Babel/CLDR.

Numbers and dates never sit inside text that a translator sees; templates call these
functions with the value and the output locale.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_compact_decimal, format_currency, format_decimal

from reportgen.content.model import Qualifier, Quantity, Unit
from reportgen.languages import WESTERN_DIGITS, language


def localise_digits(text: str, tag: str) -> str:
    """Write Western digits in the language's own digits where it uses them (see languages.py)."""
    digits = language(tag).digits
    return text if digits == WESTERN_DIGITS else text.translate(str.maketrans("0123456789", digits))


def babel_locale(tag: str) -> Locale:
    return Locale.parse(tag.replace("-", "_"))


def _half_up(value: float, digits: int) -> Decimal:
    """Round half up, as publications do (Python's round() rounds half to even)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _english_compact(text: str, tag: str) -> str:
    # NHS house style writes thousands and millions as k and m (8.6k, £453.3m); CLDR's
    # English compact forms use K and M.
    if tag.split("-")[0] == "en":
        return text.replace("K", "k").replace("M", "m").replace("B", "bn")
    return text


def format_quantity(figure: Quantity, tag: str) -> str:
    """A stated number as the locale writes it: 8.6k, £453.3m, 89%, 100+."""
    locale = babel_locale(tag)
    long_compact = language(tag).long_compact
    digits = figure.fraction_digits
    # A whole number must stay an int: CLDR picks plural forms by visible decimals, and
    # 1000000.0 would make Polish write "1 miliona" instead of "1 milion".
    value = int(figure.value) if float(figure.value).is_integer() else figure.value
    figure = figure.model_copy(update={"value": value})
    if figure.unit is Unit.percent:
        text = format_percent_number(figure.value, digits, tag)
    elif figure.unit is Unit.GBP:
        if figure.compact and long_compact:
            from babel.numbers import get_currency_symbol

            words = format_compact_decimal(figure.value, format_type="long", locale=locale, fraction_digits=digits)
            text = get_currency_symbol("GBP", locale=locale) + words
        elif figure.compact:
            text = _english_compact(
                format_compact_currency(figure.value, "GBP", locale=locale, fraction_digits=digits), tag
            )
        else:
            text = format_currency(_half_up(figure.value, digits), "GBP", locale=locale, format_type="standard")
    else:
        if figure.compact:
            if (figure.compact == "long" or long_compact) and "long" in locale.compact_decimal_formats:
                text = format_compact_decimal(figure.value, format_type="long", locale=locale, fraction_digits=digits)
            else:
                text = _english_compact(
                    format_compact_decimal(figure.value, locale=locale, fraction_digits=digits), tag
                )
        else:
            text = format_number(figure.value, tag, digits)
    if figure.qualifier is Qualifier.more_than:
        text = f"{text}+"
    return localise_digits(text, tag)


def _with_digits(pattern: str, digits: int) -> str:
    """The locale's own pattern (its grouping, its sign placement) with our number of decimals.

    '#,##,##0.###' (Hindi) → '#,##,##0.0'; '#,##0%' → '#,##0.0%'.
    """
    positive = pattern.split(";")[0]
    match = re.match(r"^(.*?)([#,0]+)(?:\.[0#]+)?(.*)$", positive)
    prefix, integer, suffix = match.groups()
    return prefix + integer + ("." + "0" * digits if digits else "") + suffix


def format_percent_number(value: float, digits: int, tag: str) -> str:
    """``58.4`` (a percentage already) → '58.4%' in the locale's pattern, keeping the precision."""
    from babel.numbers import format_percent

    locale = babel_locale(tag)
    pattern = _with_digits(locale.percent_formats[None].pattern, digits)
    return localise_digits(format_percent(_half_up(value, digits) / 100, format=pattern, locale=locale), tag)


def format_number(value: float, tag: str, digits: int | None = None) -> str:
    """A number in the locale's grouping (lakh/crore for Indian languages) and decimal sign."""
    if digits is None:
        digits = 0 if float(value).is_integer() else len(str(value).split(".")[1])
    locale = babel_locale(tag)
    pattern = _with_digits(locale.decimal_formats[None].pattern, digits)
    return localise_digits(format_decimal(_half_up(value, digits), format=pattern, locale=locale), tag)


def format_long_date(day: dt.date, tag: str) -> str:
    return localise_digits(format_date(day, format="long", locale=babel_locale(tag)), tag)
