"""Locales: plural forms, CLDR formatting, exact locale matching, content never through _()."""

from __future__ import annotations

import datetime as dt
import gettext

import pytest
from babel import Locale
from babel.dates import format_date
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal, format_percent, get_decimal_symbol

from conftest import DATA, ROOT
from reportgen.content.model import Quantity
from reportgen.i18n import catalogs
from reportgen.i18n import formatting as i18n
from reportgen.languages import LANGUAGES, find_language

COUNTS = [0, 1, 2, 3, 5, 11, 22, 100]
CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"]
EXPECTED_FORMS = {"ar": 6, "pl": 3, "bn": 2, "gu": 2, "hi": 2, "pa": 2, "so": 2, "ur": 2, "en-GB": 2, "zh-Hant": 1}


def cldr_index(tag: str, n: int) -> int:
    """The gettext form CLDR's rule picks: categories in CLDR order, 'other' last."""
    locale = Locale.parse(tag.replace("-", "_"))
    categories = [c for c in CLDR_ORDER if c in locale.plural_form.tags or c == "other"]
    if tag == "pl":  # CLDR 'other' is for fractions only; integers use one/few/many
        categories = ["one", "few", "many"]
        return categories.index(locale.plural_form(n))
    return categories.index(locale.plural_form(n))


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_pinned_plural_forms_agree_with_cldr(tag):
    count, expression = LANGUAGES[tag].plural_forms
    assert count == EXPECTED_FORMS[tag]
    choose = gettext.c2py(expression)
    assert [choose(n) for n in COUNTS] == [cldr_index(tag, n) for n in COUNTS]


def test_arabic_header_is_pinned_and_agrees_with_the_locked_babel():
    """python-babel #816 (fixed in 2.19): 2.18's rule picked form 5 at n=11 where ours picks 4.
    The header stays pinned, so a regression in Babel fails here, not in translators' catalogs."""
    babel_rule = gettext.c2py(get_plural("ar").plural_expr)
    ours = gettext.c2py(LANGUAGES["ar"].plural_forms[1])
    assert ours(11) == 4
    assert [ours(n) for n in range(1000)] == [babel_rule(n) for n in range(1000)]


def test_catalog_headers_carry_the_pinned_plural_forms():
    for tag in catalogs.TARGET_LANGUAGES:
        text = catalogs.po_path(tag, "ui").read_text(encoding="utf-8")
        count, expression = LANGUAGES[tag].plural_forms
        assert f"Plural-Forms: nplurals={count}; plural={expression};" in text, tag


@pytest.mark.parametrize(
    "tag,expected",
    [
        ("en-GB", "1,234,567.8"),
        ("hi", "12,34,567.8"),
        ("gu", "12,34,567.8"),
        ("pa", "12,34,567.8"),
        ("pl", "1\xa0234\xa0567,8"),
        ("ar", "1,234,567.8"),
        ("zh-Hant", "1,234,567.8"),
    ],
)
def test_numbers_follow_cldr(tag, expected):
    assert i18n.format_number(1234567.8, tag) == expected
    assert expected == format_decimal(1234567.8, locale=Locale.parse(tag.replace("-", "_")))  # CLDR default pattern


@pytest.mark.parametrize(
    "tag,expected",
    [
        ("en-GB", "£453.3m"),
        ("hi", "£45.3 करोड़"),
        ("bn", "£৪৫.৩ কোটি"),
        ("gu", "£45.3\xa0કરોડ"),
        ("pa", "£45.3\xa0ਕਰੋੜ"),  # CLDR 48 (Babel 2.19) dropped the space after £: docs/translations.md
        ("pl", "453,3\xa0mln\xa0GBP"),
        ("ar", "\u200f453.3\xa0مليون\xa0UK£"),  # CLDR 48 starts with RLM: kept, docs/translations.md
        ("ur", "£45.3\xa0کروڑ"),
    ],
)
def test_compact_currency_uses_the_locales_own_units(tag, expected):
    figure = Quantity(value=453_300_000, unit="GBP", compact=True, fraction_digits=1)
    assert i18n.format_quantity(figure, tag) == expected


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_percentages_keep_the_sources_precision(tag):
    text = i18n.format_quantity(Quantity(value=58.4, unit="percent", fraction_digits=1), tag)
    # The exact CLDR decimal sign and percent pattern of each locale (Babel as locked), in the
    # language's own digits: Polish writes 58,4%, Bengali ৫৮.৪%, the others 58.4%.
    locale = Locale.parse(tag.replace("-", "_"))
    digits = find_language(tag).digits
    expected = format_percent(0.584, "#,##0.0%", locale=locale).translate(str.maketrans("0123456789", digits))
    assert get_decimal_symbol(locale) in expected
    assert text == expected, (text, expected)
    assert "%" in text


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_dates_follow_cldr(tag):
    day = dt.date(2025, 7, 24)
    expected = i18n.localise_digits(format_date(day, format="long", locale=Locale.parse(tag.replace("-", "_"))), tag)
    assert i18n.format_long_date(day, tag) == expected


def test_bengali_writes_numbers_and_dates_in_bengali_digits():
    assert i18n.format_number(1234567.8, "bn") == "১২,৩৪,৫৬৭.৮"
    assert i18n.format_long_date(dt.date(2025, 7, 24), "bn") == "২৪ জুলাই, ২০২৫"
    assert i18n.format_quantity(Quantity(value=89, unit="percent"), "bn") == "৮৯%"


def test_phone_numbers_in_text_keep_their_digits():
    from reportgen.content import markup

    html = markup.inline_html("ফোন করুন 0116 295 0903", {})
    assert "0116 295 0903" in html


def test_rounding_is_half_up_like_the_publications():
    assert i18n.format_number(6.25, "en-GB", 1) == "6.3"  # round() would give 6.2


def test_locales_are_matched_exactly_never_by_prefix():
    assert catalogs.locale_dir("zh-Hant") == "zh_Hant" and catalogs.locale_dir("en-GB") == "en_GB"
    assert find_language("zh-Hant-HK") is None  # not silently zh-Hant
    assert find_language("pa-Arab") is None  # Shahmukhi is not Gurmukhi
    assert find_language("ZH-hant").tag == "zh-Hant"


def test_building_a_language_without_a_catalog_fails(tmp_path, translations, capsys):
    from reportgen.cli import main

    status = main(
        ["build", str(DATA / "cqc-community-mental-health-news-2025"), "--lang", "so", "--out", str(tmp_path / "o")]
    )
    assert status == 2
    assert "no Somali (so) translation of 'cqc-community-mental-health-news-2025'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_region_variant_is_not_taken_for_the_language(tmp_path, capsys):
    from reportgen.cli import main

    assert (
        main(["build", str(DATA / "annual-report-2024-25-at-a-glance"), "--lang", "zh-Hant-TW", "--out", str(tmp_path)])
        == 2
    )
    assert "unknown language 'zh-Hant-TW'" in capsys.readouterr().err


def test_translated_content_is_text_not_markup(tmp_path, translations):
    """A translator's <script>, a literal % and braces come out as text."""
    from babel.messages.pofile import read_po

    from reportgen.build.core import build_report
    from reportgen.build.request import BuildRequest

    path = catalogs.po_path("pl", "annual-report-2024-25-at-a-glance")
    catalog = read_po(path.open("rb"), locale="pl")
    hostile = "<script>alert(1)</script> 100% {{ config }}"
    for message in catalog:
        if message.context == "key-messages|heading":
            message.string = hostile
        elif message.id and not message.string:
            message.string = message.id
    catalogs.pin_plural_forms(catalog, "pl")
    catalogs.write_catalog(catalog, path)
    result = build_report(
        DATA / "annual-report-2024-25-at-a-glance", BuildRequest(langs=["pl"], formats=["html"], out_dir=tmp_path)
    )
    html = result.outputs[0].path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 100% {{ config }}" in html


def test_committed_templates_are_up_to_date():
    """translations/*.pot match what extraction gives now (run: make i18n-extract)."""
    from babel.messages.pofile import read_po

    for domain, template in catalogs.templates_by_domain().items():
        path = ROOT / "translations" / f"{domain}.pot"
        committed = read_po(path.open("rb"))
        assert catalogs._fingerprint(committed) == catalogs._fingerprint(template), f"{path.name} is stale"


def test_yaml_extractor_is_registered_and_pybabel_uses_it(tmp_path):
    """pybabel extract -F translations/reports.cfg gives the same messages as reportgen i18n extract."""
    from importlib.metadata import entry_points

    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    assert any(ep.name == "reportgen_yaml" for ep in entry_points(group="babel.extractors"))
    output = tmp_path / "summary.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "translations" / "reports.cfg"),
            "-o",
            str(output),
            str(DATA / "annual-report-2024-25-at-a-glance"),
        ]
    )
    ours = catalogs.extract_content(DATA / "annual-report-2024-25-at-a-glance" / "report.yaml")
    theirs = read_po(output.open("rb"))
    assert {(m.context, m.id) for m in theirs if m.id} == {(m.context, m.id) for m in ours if m.id}
    assert all(m.auto_comments for m in theirs if m.id), "translator comments survive"


def test_compile_writes_nothing_when_a_catalog_is_wrong(translations):
    """Unlike pybabel compile (exit 1 but the .mo written), nothing is written on an error."""
    from babel.messages.pofile import read_po

    from reportgen.errors import InputError

    path = catalogs.po_path("pl", "annual-report-2024-25-at-a-glance")
    catalog = read_po(path.open("rb"), locale="pl")
    message = next(m for m in catalog if m.id and "{people}" in m.id)
    message.string = message.string.replace("{people}", "{ludzie}")
    catalogs.pin_plural_forms(catalog, "pl")
    catalogs.write_catalog(catalog, path)
    with pytest.raises(InputError) as info:
        catalogs.compile_all()
    assert "placeholders {ludzie} differ from the source's {people}" in str(info.value)
    assert not list(translations.rglob("*.mo"))
    path.write_text(path.read_text().replace("{ludzie}", "{people}"))
    assert len(catalogs.compile_all()) == len(list(translations.rglob("*.po")))  # every catalog, once fixed


@pytest.mark.parametrize("tag", list(LANGUAGES))
def test_catalog_folder_names_are_babels_without_importing_babel(tag):
    """Finding a catalog swaps the hyphen instead of asking Babel (it is on every build's
    start): the answer must stay Babel's own for every trust language."""
    assert catalogs.locale_dir(tag) == str(Locale.parse(tag.replace("-", "_")))


def test_an_unlisted_tag_still_goes_through_babel():
    assert catalogs.locale_dir("pt-BR") == "pt_BR"
    assert catalogs.locale_dir("sr-Latn-RS") == "sr_Latn_RS"
