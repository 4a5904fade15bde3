"""reportgen.i18n.translate: the units a translator is given, and a publication translated through a
lookup — every translatable text replaced, names and addresses kept, missing texts marked."""

from __future__ import annotations

from conftest import LETTER
from reportgen.content.model import load_report
from reportgen.i18n import translate
from reportgen.i18n.translate import Untranslated


def letter():
    return load_report(LETTER)[0]


def pseudo(context: str, text: str) -> str:
    return f"«{text.upper()}»"


def test_units_are_the_translatable_texts_in_reading_order_with_their_context():
    units = [(u.context, u.path, u.inline) for u in translate.units(letter())]
    assert units == [
        ("metadata|title", ("title",), False),
        ("metadata|description", ("description",), False),
        ("metadata|publisher", ("publisher",), False),
        ("(opening)|paragraph", ("blocks", 0, "text"), True),
        ("(opening)|paragraph", ("blocks", 1, "text"), True),
        ("(opening)|list", ("blocks", 2, "items", 0), True),
        ("(opening)|list", ("blocks", 2, "items", 1), True),
        ("(opening)|paragraph", ("blocks", 3, "text"), True),
        ("(opening)|signatures", ("blocks", 4, "items", 0, "role"), False),
    ]


def test_a_text_with_markup_tells_the_translator_what_to_keep():
    [link] = [u for u in translate.units(letter()) if "](" in u.text]
    assert translate.INLINE_HELP in link.comment
    [plain] = [u for u in translate.units(letter()) if u.text == "Dear carer,"]
    assert translate.INLINE_HELP not in plain.comment


def test_every_translatable_text_is_replaced_and_verbatim_ones_are_kept():
    source = letter()
    translation = translate.translate_report(source, pseudo, "pl")
    report = translation.report
    assert translation.missing == ()
    assert report.language == "pl" and source.language == "en-GB"
    assert report.title == "«CARERS – OUR PROMISE TO YOU»"
    assert report.blocks[0].text == "«DEAR CARER,»"
    assert report.blocks[2].items[1].startswith("«WE WILL SHARE")
    signature = report.blocks[4].items[0]
    assert signature.role == "«CHIEF EXECUTIVE»" and signature.name == "Angela Hillery", "a name is Verbatim"
    assert report.contact.address == source.contact.address and report.contact.phone == "0116 225 6000"
    assert source.title == "Carers – our promise to you", "the source report is not changed"


def test_a_missing_translation_stays_in_english_marked_untranslated():
    def partial(context: str, text: str) -> str | None:
        return None if context == "(opening)|list" else pseudo(context, text)

    translation = translate.translate_report(letter(), partial, "pl")
    assert [u.path for u in translation.missing] == [("blocks", 2, "items", 0), ("blocks", 2, "items", 1)]
    items = translation.report.blocks[2].items
    assert items == ["We will recognise you as a partner in care.", letter().blocks[2].items[1]]
    assert all(isinstance(item, Untranslated) for item in items)
    assert not isinstance(translation.report.blocks[0].text, Untranslated)
