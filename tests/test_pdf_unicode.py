"""Glyph → text mapping, and the WeasyPrint overrides that make it possible."""

import re

import pytest
import weasyprint
import weasyprint.draw.text
import weasyprint.pdf
import weasyprint.pdf.stream
import weasyprint.pdf.tags
import weasyprint.svg

from reportgen.formats.pdf import html_to_pdf, render
from reportgen.formats.pdf.inspect import elements, problems
from reportgen.formats.pdf.unicode import (
    REPLACEMENT,
    Cluster,
    DrawnLine,
    actual_text_for,
    choose_mapping,
    repair_to_unicode,
)


class Reverse:
    """Fake reverse cmap: glyph id → characters it is the nominal glyph of."""

    def __init__(self, mapping=None):
        self.mapping = mapping or {}

    def get(self, glyph_id):
        return set(self.mapping.get(glyph_id, ()))


def test_glyph_drawn_alone_stands_for_its_cluster():
    clusters = [Cluster("F", "ffi", (7,)), Cluster("F", "ffi", (7,)), Cluster("F", "x", (7,))]
    assert choose_mapping(7, clusters, Reverse()) == "ffi"


def test_part_of_a_cluster_stands_for_its_nominal_character():
    # Bengali কো: drawn as e-kar, ka, aa-kar; the vowel sign glyphs are nominal for
    # characters that are not in the (precomposed) text.
    reverse = Reverse({1: "ে", 2: "ক", 3: "া"})
    cluster = Cluster("F", "কো", (1, 2, 3))
    assert choose_mapping(2, [cluster], reverse) == "ক"
    assert choose_mapping(1, [cluster], reverse) == "ে"


def test_part_of_a_cluster_without_nominal_character():
    # A conjunct glyph with a nominal glyph beside it takes what is left of the text;
    # a mark glyph with nothing left takes the cluster's text.
    reverse = Reverse({2: "ি"})
    cluster = Cluster("F", "কি", (2, 10))
    assert choose_mapping(10, [cluster], reverse) == "ক"
    dots = Cluster("F", "ب", (20, 21))
    assert choose_mapping(21, [dots], Reverse({})) in ("ب",)


class FakeFont:
    def __init__(self, font_hash, to_unicode):
        self.hash = font_hash
        self.to_unicode = to_unicode
        self.file_content = b"not a font"
        self.index = 0
        self.family = "Fake"


def test_repair_fills_every_glyph_and_shares_by_hash():
    first = FakeFont("A", {1: "", 2: "b", 3: ""})
    second = FakeFont("A", {1: ""})
    clusters = [Cluster("A", "ab", (1, 2)), Cluster("A", "a", (1,))]
    mappings = repair_to_unicode({"k1": first, "k2": second}, clusters)
    assert first.to_unicode == {1: "a", 2: "b", 3: REPLACEMENT}
    assert second.to_unicode == {1: "a"}
    assert mappings == {"A": {1: "a", 2: "b", 3: REPLACEMENT}}


def test_actual_text_only_when_glyphs_do_not_give_the_text():
    mappings = {"A": {1: "a", 2: "b"}}
    assert actual_text_for(DrawnLine("ab", [("A", 1), ("A", 2)]), mappings) is None
    assert actual_text_for(DrawnLine("ab", [("A", 2), ("A", 1)]), mappings) == "ab"
    assert actual_text_for(DrawnLine("", []), mappings) is None


@pytest.mark.parametrize(
    ("lang", "word", "font", "direction"),
    [
        ("pa", "ਰਿਪੋਰਟ", "Noto Sans Gurmukhi", "ltr"),
        ("ur", "صحت", "Noto Nastaliq Urdu", "rtl"),
        ("bn", "প্রতিবেদন", "Noto Sans Bengali", "ltr"),
        ("hi", "रिपोर्ट", "Noto Sans Devanagari", "ltr"),
    ],
)
def test_complex_script_words_read_back(lang, word, font, direction):
    html = (
        f'<html lang="en"><body><h1>Words</h1>'
        f'<p lang="{lang}" dir="{direction}" style="font-family: \'{font}\'">{word}</p>'
        "</body></html>"
    )
    data = html_to_pdf(html, base_url=".", title="Words", lang="en")
    paragraph = [e for e in elements(data) if e.role == "P"][0]
    assert (paragraph.lang, paragraph.text) == (lang, word)
    assert problems(data) == []


# --- the overrides ----------------------------------------------------------------------


def originals():
    return (
        weasyprint.draw.text.draw_first_line,
        weasyprint.pdf.build_fonts_dictionary,
        weasyprint.pdf.stream.Stream.marked,
        weasyprint.pdf.tags._build_box_tree,
        weasyprint.svg.text,
        dict(weasyprint.svg.TAGS),
    )


def test_overrides_are_restored_even_on_error():
    before = originals()
    with pytest.raises(ZeroDivisionError):
        with render.weasyprint_overrides(render.Recording()):
            assert originals() != before
            raise ZeroDivisionError
    assert originals() == before


def test_overrides_cannot_nest():
    before = originals()
    with render.weasyprint_overrides(render.Recording()):
        with pytest.raises(RuntimeError, match="nested"):
            with render.weasyprint_overrides(render.Recording()):
                pass
    assert originals() == before


def test_render_restores_weasyprint():
    before = originals()
    html_to_pdf("<html><body><h1>x</h1></body></html>", base_url=".", title="x", lang="en")
    assert originals() == before


def test_other_weasyprint_versions_are_refused(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match=re.escape("WeasyPrint 70.x only")):
        html_to_pdf("<p>x</p>", base_url=".", title="x", lang="en")
