"""SVG text is drawn a run at a time (formats/pdf/svgtext.py): shaped whole, with its spaces."""

import base64
import io
import subprocess

import pikepdf
import pytest

from reportgen.formats.pdf import html_to_pdf, svgtext
from reportgen.formats.pdf.inspect import elements


def chart_pdf(*texts: str) -> bytes:
    svg = "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='120'>" + "".join(texts) + "</svg>"
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    html = f"<html lang='en-GB'><body><h1>Chart</h1><figure><img src='{uri}' alt='A chart'></figure></body></html>"
    return html_to_pdf(html, base_url=".", title="Chart", lang="en-GB")


def figure_text(data: bytes) -> str:
    return next(element.text for element in elements(data) if element.role == "Figure")


def text_shows(data: bytes) -> int:
    """How many text-showing operators the chart's form XObjects hold."""
    count = 0
    with pikepdf.open(io.BytesIO(data)) as pdf:
        seen = set()

        def walk(holder):
            nonlocal count
            resources = holder.get("/Resources") or {}
            for operands, operator in pikepdf.parse_content_stream(holder):
                if str(operator) in ("Tj", "TJ"):
                    count += 1
                if str(operator) == "Do":
                    xobject = resources.get("/XObject", {}).get(operands[0])
                    if xobject is not None and xobject.objgen not in seen:
                        seen.add(xobject.objgen)
                        walk(xobject)

        for page in pdf.pages:
            walk(page.obj)
    return count


LABEL = "<text x='200' y='40' font-size='12' text-anchor='middle' font-family='Noto Sans'>Your trust 8.9 — About the same</text>"


def test_a_chart_label_keeps_its_words_and_spaces_in_the_pdf_text():
    # Drawn letter by letter, a space draws no glyph and the label read "Yourtrust8.9—Aboutthesame".
    assert figure_text(chart_pdf(LABEL)) == "Your trust 8.9 — About the same"


def test_a_label_is_one_text_run_not_one_per_letter():
    # The heading is one run; the label must be one more, not one per character (31).
    assert text_shows(chart_pdf(LABEL)) == 2


def test_arabic_label_is_shaped_as_a_word_and_reads_in_logical_order(tmp_path):
    arabic = "<text x='390' y='80' font-size='14' direction='rtl' font-family='Noto Sans Arabic'>مرحبا بكم</text>"
    data = chart_pdf(arabic)
    path = tmp_path / "arabic.pdf"
    path.write_bytes(data)
    shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "مرحبا بكم" in shown.replace("\u202b", "").replace("\u202c", "")
    # One run, shaped as a whole: drawn one character at a time, every letter took its
    # isolated form and the word came out left to right.
    assert text_shows(data) == 2


@pytest.mark.parametrize(
    "attributes",
    ["x='10 20 30 40'", "rotate='10'", "textLength='200'", "letter-spacing='2'", "dx='1 2 3'"],
)
def test_text_placed_letter_by_letter_keeps_weasyprints_own_drawing(attributes):
    node = f"<text {attributes} y='40' font-size='12' font-family='Noto Sans'>abcd</text>"
    data = chart_pdf(node)
    assert text_shows(data) == 1 + 4  # the heading, then each letter on its own
    assert figure_text(data).replace(" ", "") == "abcd"


def test_tspans_continue_where_the_previous_run_ended():
    node = (
        "<text x='10' y='40' font-size='12' font-family='Noto Sans'>"
        "<tspan>Lowest </tspan><tspan font-weight='700'>4.2</tspan></text>"
    )
    data = chart_pdf(node)
    assert figure_text(data) == "Lowest 4.2"
    assert text_shows(data) == 3


def test_the_fast_path_decision():
    class Node:
        def __init__(self, text, tag="text", **attrib):
            self.text, self.tag, self.attrib = text, tag, attrib

        def get(self, name, default=None):
            return self.attrib.get(name, default)

    assert svgtext.drawn_as_run(Node("label", x="4", y="5"))
    assert not svgtext.drawn_as_run(Node(""))
    assert not svgtext.drawn_as_run(Node("label", tag="textPath"))
    assert not svgtext.drawn_as_run(Node("label", x="1 2"))
    assert not svgtext.drawn_as_run(Node("label", rotate="0 10"))
