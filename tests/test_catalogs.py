"""reportgen.i18n.catalogs: PO files read and written (only when changed), plural forms from the
Language record, our checks of a translation, and the lookup a build uses."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from reportgen.errors import InputError
from reportgen.i18n import catalogs
from reportgen.languages import LANGUAGES

GLANCE = "annual-report-2024-25-at-a-glance"


@pytest.mark.parametrize("tag", catalogs.TARGET_LANGUAGES)
def test_plural_forms_come_from_the_language_record(tag):
    catalog = Catalog(locale="en")
    catalogs.pin_plural_forms(catalog, tag)
    count, expression = LANGUAGES[tag].plural_forms
    assert catalog.num_plurals == count
    assert catalog.plural_expr == expression


@pytest.mark.parametrize(
    "msgid,msgstr,problems",
    [
        ("{people} people", "{ludzie} osób", ["placeholders {ludzie} differ from the source's {people}"]),
        ("**Bold** words", "**Pogrubione słowa", ["unbalanced ** (bold) marker"]),
        (
            "[CQC](https://www.cqc.org.uk)",
            "[CQC](https://evil.example)",
            ["links differ from the source: expected ['https://www.cqc.org.uk'], found ['https://evil.example']"],
        ),
        ("{people} people", "{people} osób", []),
        (("%(num)d fragment", "%(num)d fragments"), ("jeden fragment", "%(num)d fragmenty", "%(num)d fragmentów"), []),
    ],
)
def test_message_problems(msgid, msgstr, problems):
    assert catalogs.message_problems(msgid, msgstr) == problems


def test_a_catalog_is_rewritten_only_when_its_messages_change(tmp_path):
    path = tmp_path / "x.po"
    catalog = Catalog(locale="pl", project="x")
    catalogs.pin_plural_forms(catalog, "pl")
    catalog.add("Hello", "Cześć", context="greeting")
    assert catalogs.write_catalog(catalog, path) is True
    first = path.read_bytes()
    assert catalogs.write_catalog(catalog, path) is False, "same messages: not rewritten (no git churn)"
    assert path.read_bytes() == first
    catalog.add("Goodbye", "Do widzenia")
    assert catalogs.write_catalog(catalog, path) is True
    again = catalogs.read_catalog(path, "pl")
    assert again.get("Hello", "greeting").string == "Cześć" and again.get("Goodbye").string == "Do widzenia"
    assert again.num_plurals == 3


def test_an_unreadable_po_file_names_the_file(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text('msgid "x"\nmsgstr "y"\nnonsense here\n', encoding="utf-8")
    with pytest.raises(InputError, match="broken.po") as caught:
        catalogs.read_catalog(path, "pl")
    assert "not a readable PO file: Unknown or misformatted keyword" in str(caught.value.problems[0])


def test_an_unterminated_string_is_refused_not_read_as_empty(tmp_path):
    # Babel alone reads it as an empty translation, silently.
    path = tmp_path / "broken.po"
    path.write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    with pytest.raises(InputError, match="broken.po:2") as caught:
        catalogs.read_catalog(path, "pl")
    assert "not closed with a quote mark" in str(caught.value.problems[0])
    path.write_text('msgid "x"\nmsgstr ""\n"a \\"quoted\\" word"\n', encoding="utf-8")
    assert [m.string for m in catalogs.read_catalog(path, "pl") if m.id] == ['a "quoted" word']


def test_the_lookup_gives_translations_and_none_for_fuzzy_or_missing(translations):
    path = catalogs.po_path("pl", GLANCE)
    catalog = catalogs.read_catalog(path, "pl")
    done, fuzzy = [m for m in catalog if m.id and isinstance(m.id, str) and m.string][:2]
    fuzzy.flags.add("fuzzy")
    catalogs.write_catalog(catalog, path)
    lookup = catalogs.content_lookup("pl", GLANCE)
    assert lookup(done.context, done.id) == done.string
    assert lookup(fuzzy.context, fuzzy.id) is None, "a fuzzy entry is a suggestion, not a translation"
    assert lookup(done.context, "A text nobody has translated") is None


def test_the_lookup_refuses_a_catalog_with_problems(translations):
    path = catalogs.po_path("pl", GLANCE)
    catalog = catalogs.read_catalog(path, "pl")
    target = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string and "**" not in m.id)
    target.string = "**" + target.string
    catalogs.write_catalog(catalog, path)
    with pytest.raises(InputError, match="the catalog has problems — nothing was built") as caught:
        catalogs.content_lookup("pl", GLANCE)
    assert [p.message for p in caught.value.problems] == ["unbalanced ** (bold) marker"]
    assert caught.value.problems[0].line == target.lineno


def test_a_missing_catalog_says_how_to_request_one(translations):
    with pytest.raises(InputError) as caught:
        catalogs.content_lookup("so", "letter-to-carers-2025")
    assert "there is no Somali (so) translation of 'letter-to-carers-2025'" in str(caught.value.problems[0])
    assert "reportgen translate request data/letter-to-carers-2025 --lang so" in str(caught.value.problems[0])
