"""End-to-end tests of the PDF stage on tests/fixtures/pdf/multilingual.html.

The fixture is rendered once per module with :func:`reportgen.formats.pdf.html_to_pdf`; each
test checks one accessibility requirement on the result, through page-validation or
:mod:`reportgen.formats.pdf.inspect`. The last tests render the same fixture with WeasyPrint
alone, to show the problems the PDF stage exists to fix (if one of them starts to pass,
a WeasyPrint upgrade fixed it: revisit the override concerned).
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import page
import pikepdf
import pytest
import weasyprint

from reportgen.formats.pdf import MissingGlyphError, html_to_pdf
from reportgen.formats.pdf.inspect import artifacts, elements, problems, structure_text

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
FIXTURE = FIXTURES / "multilingual.html"
# Deliberately not the HTML <title>, so the test sees which one wins.
TITLE = "Accessible publication test (PDF stage fixture)"
LANG = "en-GB"

PASSAGES = {
    "ar": "إذا كنت بحاجة إلى هذه المعلومات بلغة أو تنسيق آخر، يرجى إرسال بريد إلكتروني "
    "إلى: lpt.patientinformation@nhs.net.",
    "bn": "আপনার যদি এই তথ্য অন্য কোনো ভাষা বা ফরম্যাটে প্রয়োজন হয়, অনুগ্রহ করে 0116 295 "
    "0903 নম্বরে ফোন করুন অথবা ইমেইল করুন: lpt.patientinformation@nhs.net.",
    "zh-Hant": "如果您需要以其他語言或格式獲取此資訊，請致電 0116 295 0903 或發送電子郵件至："
    "lpt.patientinformation@nhs.net.",
    "gu": "જો તમને આ માહિતી બીજી ભાષા અથવા ફોર્મેટમાં જોઈએ હોય, તો કૃપા કરીને 0116 295 0903 "
    "પર ફોન કરો અથવા ઇમેઇલ કરો: lpt.patientinformation@nhs.net.",
    "hi": "यदि आपको यह जानकारी किसी अन्य भाषा या प्रारूप में चाहिए, तो कृपया 0116 295 0903 पर "
    "फोन करें या ईमेल करें: lpt.patientinformation@nhs.net",
    "pl": "Jeśli potrzebujesz tych informacji w innym języku lub formacie, zadzwoń pod numer "
    "0116 295 0903 lub wyślij e-mail na adres: lpt.patientinformation@nhs.net.",
    "pa": "ਜੇ ਤੁਹਾਨੂੰ ਇਹ ਜਾਣਕਾਰੀ ਕਿਸੇ ਹੋਰ ਭਾਸ਼ਾ ਜਾਂ ਫਾਰਮੈਟ ਵਿੱਚ ਚਾਹੀਦੀ ਹੋਵੇ, ਤਾਂ ਕਿਰਪਾ ਕਰਕੇ 0116 "
    "295 0903 'ਤੇ ਫੋਨ ਕਰੋ ਜਾਂ ਈਮੇਲ ਕਰੋ: lpt.patientinformation@nhs.net",
    "so": "Haddii aad u baahan tahay macluumaadkan luqad kale ama qaab kale, fadlan wac "
    "0116 295 0903 ama iimayl u dir: lpt.patientinformation@nhs.net.",
    "ur": "اگر آپ کو یہ معلومات کسی اور زبان یا فارمیٹ میں درکار ہوں، تو براہ کرم ای میل "
    "کریں: lpt.patientinformation@nhs.net.",
}


def normalise(text):
    return re.sub(r"\s+", " ", text or "").strip()


class _Paragraphs(HTMLParser):
    """Text of every <p> of an HTML file, in order."""

    def __init__(self):
        super().__init__()
        self.paragraphs, self.depth, self.current = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1
            if not self.depth:
                self.paragraphs.append(normalise("".join(self.current)))
                self.current = []

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)


def fixture_paragraphs():
    parser = _Paragraphs()
    parser.feed(FIXTURE.read_text(encoding="utf-8"))
    return [text for text in parser.paragraphs if text]


def render(html, **kwargs):
    kwargs.setdefault("base_url", f"{FIXTURES}/")
    kwargs.setdefault("title", TITLE)
    kwargs.setdefault("lang", LANG)
    return html_to_pdf(html, **kwargs)


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory):
    data = render(FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("pdf") / "multilingual.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def tree(pdf_path):
    return list(elements(pdf_path))


# --- (a) (b) the whole document ---------------------------------------------------------


def test_page_validation_ua1_compliant(pdf_path):
    report = page.validate_pdf(pdf_path, profile="ua1")
    failures = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.is_compliant, "\n".join(failures)


def test_no_structural_problems(pdf_path):
    assert problems(pdf_path) == []


# --- (c) (d) text and languages ---------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(PASSAGES))
def test_passage_is_an_element_with_its_language(tree, lang):
    candidates = [e for e in tree if e.lang == lang]
    assert [e.role for e in candidates] == ["P"], (
        f"expected one P with /Lang {lang}, found {[(e.role, e.text) for e in candidates]}"
    )
    assert normalise(candidates[0].text) == normalise(PASSAGES[lang])
    # Nothing inside it claims another language.
    index = tree.index(candidates[0])
    inside = []
    for element in tree[index + 1 :]:
        if element.depth <= candidates[0].depth:
            break
        inside.append(element)
    assert all(e.effective_lang == lang for e in inside)


def test_main_text_is_in_document_language(tree):
    headings = [e for e in tree if e.role in ("H1", "H2", "H3")]
    assert headings and all(e.effective_lang == LANG for e in headings)


def test_structure_text_has_every_paragraph_in_order(pdf_path):
    text = normalise(structure_text(pdf_path))
    position = 0
    for paragraph in fixture_paragraphs():
        found = text.find(paragraph, position)
        assert found >= 0, f"missing (or out of order): {paragraph[:80]!r}"
        position = found + len(paragraph)


def test_every_glyph_maps_to_text(pdf_path):
    # ToUnicode entries exist and are non-empty for every glyph drawn.
    assert not [p for p in problems(pdf_path) if "ToUnicode" in p]


# --- (e) metadata -----------------------------------------------------------------------


def test_document_metadata(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.Root.Lang) == LANG
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == TITLE
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)
        assert TITLE in xmp and "dc:title" in xmp
        with pdf.open_outline() as outline:
            titles = []

            def walk(items):
                for item in items:
                    titles.append(item.title)
                    walk(item.children)

            walk(outline.root)
    assert titles[:2] == ["Accessible publication test", "Lists"]
    assert "About this report" in titles and "Other languages" in titles


def test_title_and_language_come_from_arguments():
    html = "<html><head><title>HTML title</title></head><body><h1>Croeso</h1></body></html>"
    data = render(html, title="Adroddiad blynyddol", lang="cy")
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "cy"
        assert str(pdf.docinfo.Title) == "Adroddiad blynyddol"
        assert "Adroddiad blynyddol" in pdf.Root.Metadata.read_bytes().decode()


# --- (f) images -------------------------------------------------------------------------


def test_figures_have_alt_and_decorative_image_is_artifact(pdf_path, tree):
    figures = [e for e in tree if e.role == "Figure"]
    assert sorted(e.alt for e in figures) == [
        "Bar chart: appointments rose in each of the last three years.",
        "Blue circle marking a completed step",
    ]
    # The decorative image (alt="") is drawn, on page 1, as a Layout artifact.
    drawn = [a for a in artifacts(pdf_path) if a.type == "Layout" and a.drawing]
    assert [(a.page, a.text) for a in drawn] == [(1, "")]


# --- (g) running header and footer ------------------------------------------------------


def test_margin_boxes_are_pagination_artifacts(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        page_count = len(pdf.pages)
    footers = [a for a in artifacts(pdf_path) if a.type == "Pagination"]
    assert [(a.page, a.subtype, a.text) for a in footers] == [
        (n, "Footer", f"Page {n} of {page_count}") for n in range(1, page_count + 1)
    ]
    assert "Page 1 of" not in structure_text(pdf_path)


# --- (h) page breaks --------------------------------------------------------------------


def test_paragraph_across_pages_is_one_element(tree):
    long_paragraph = next(p for p in fixture_paragraphs() if len(p) > 2000)
    matches = [e for e in tree if e.role == "P" and normalise(e.text).startswith(long_paragraph[:60])]
    assert len(matches) == 1
    assert len(matches[0].pages) >= 2, "the fixture paragraph no longer crosses a page"
    assert normalise(matches[0].text) == long_paragraph
    # The <main> element is one Part, whatever the number of pages.
    assert [e.role for e in tree if e.depth == 1] == ["Part"]


# --- lists, tables, links ---------------------------------------------------------------


def test_lists_are_l_li_lbl_lbody(tree):
    lists = [e for e in tree if e.role == "L"]
    assert len(lists) == 4
    for element in lists:
        assert set(element.kids_roles) <= {"LI", "Caption"}, element.kids_roles
    items = [e for e in tree if e.role == "LI"]
    assert len(items) == 10
    for item in items:
        assert item.kids_roles in (("Lbl", "LBody"), ("LBody",)), item.kids_roles
    # The nested list is in the body of its item; the loose <li><p> in an LBody.
    bodies = [e for e in tree if e.role == "LBody"]
    assert any("L" in b.kids_roles and b.text.startswith("Learning disability") for b in bodies)
    assert any(b.kids_roles == ("P",) for b in bodies)


def test_white_space_between_inline_elements_is_kept(tree):
    # "<strong>8.6k</strong> <span>staff</span>": the space is a text box WeasyPrint
    # does not draw; it is read as a space, and between inline-block list items it is
    # layout (an Artifact), not a child of the L.
    items = [normalise(e.text) for e in tree if e.role == "LI"]
    assert "8.6k staff" in items and "234k active caseloads" in items


def test_table_headers_have_scope_and_cells_have_headers(tree):
    headers = [e for e in tree if e.role == "TH"]
    scopes = {normalise(h.text): str(h.attributes.get("Scope")) for h in headers}
    assert scopes == {
        "Service": "/Column",
        "Appointments": "/Column",
        "Change": "/Column",
        "Community health": "/Row",
        "Mental health": "/Row",
        "Learning disability": "/Row",
    }
    ids = {h.id for h in headers}
    cells = [e for e in tree if e.role == "TD"]
    assert len(cells) == 6
    for cell in cells:
        refs = {str(r) for r in cell.attributes["Headers"]}
        assert refs and refs <= ids


def test_link_annotations_describe_their_purpose(pdf_path, tree):
    contents = []
    with pikepdf.open(pdf_path) as pdf:
        for pdf_page in pdf.pages:
            for annotation in pdf_page.obj.get("/Annots", []):
                if annotation.Subtype == "/Link":
                    contents.append(str(annotation.Contents))
    assert sorted(set(contents)) == [
        "NHS website service search",
        "list of services above",
        "patient information team by email",
    ]
    links = [e for e in tree if e.role == "Link"]
    assert [normalise(link.text) for link in links] == [
        "NHS website service search",
        "patient information team by email",
        "list of services above",
    ]


# --- (i) missing glyphs -----------------------------------------------------------------


def _uncovered_character():
    """A character no installed font has (checked with fontconfig when available)."""
    for codepoint in (0x1F9FF, 0xE000, 0x10FFFD):
        if shutil.which("fc-list") is None:
            return chr(codepoint)
        covered = subprocess.run(
            ["fc-list", f":charset={codepoint:x}", "family"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if not covered:
            return chr(codepoint)
    pytest.skip("every candidate character is covered by an installed font")


def test_missing_glyph_raises(tmp_path):
    char = _uncovered_character()
    html = f'<html lang="en"><body><h1>Symbols</h1><p>Amulet: {char}</p></body></html>'
    with pytest.raises(MissingGlyphError) as error:
        render(html)
    assert f"U+{ord(char):04X}" in str(error.value)
    assert error.value.characters == (char,)


def test_render_prints_nothing(capfd):
    render('<html lang="en"><body><h1>Quiet</h1><p>Nothing printed.</p></body></html>')
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# --- WeasyPrint alone (documents the problems fixed above) ------------------------------


@pytest.fixture(scope="module")
def weasyprint_only(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "weasyprint-only.pdf"
    weasyprint.HTML(FIXTURE).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


def test_weasyprint_alone_is_not_compliant(weasyprint_only):
    report = page.validate_pdf(weasyprint_only, profile="ua1")
    assert not report.is_compliant
    rules = {failure.rule_id for failure in report.failures}
    assert "PDFUA1-LI-KIDS-001" in rules
    assert "PDFUA1-FONT-UNICODE-MAPPING-001" in rules


def test_weasyprint_alone_has_the_known_problems(weasyprint_only):
    found = "\n".join(problems(weasyprint_only))
    assert "empty ToUnicode entry" in found
    assert "holds P (only Lbl and LBody are allowed)" in found
    assert "unreachable from the StructTreeRoot" in found  # margin boxes
    assert "Figure on page 1 has no /Alt" in found  # decorative image, SVG
    assert "which is only an address" in found  # link /Contents
    tree = list(elements(weasyprint_only))
    assert not any(e.lang for e in tree)  # no /Lang on elements
    assert len([e for e in tree if e.role == "Part"]) > 1  # split at page breaks


def test_table_across_pages_is_one_table_with_one_header(tmp_path):
    rows = "".join(f'<tr><th scope="row">Ward {n}</th><td>{n * 7}</td></tr>' for n in range(1, 81))
    html = (
        '<html lang="en-GB"><head><style>@page { size: A5 }</style></head><body>'
        "<h1>Beds</h1><table><caption>Beds by ward</caption><thead><tr>"
        '<th scope="col">Ward</th><th scope="col">Beds</th></tr></thead>'
        f'<tbody>{rows}</tbody><tfoot><tr><th scope="row">Total</th><td>22680</td>'
        "</tr></tfoot></table></body></html>"
    )
    path = tmp_path / "table.pdf"
    path.write_bytes(render(html))
    tree = list(elements(path))
    assert [e.role for e in tree if e.role in ("Table", "THead", "TBody", "TFoot")] == [
        "Table",
        "THead",
        "TBody",
        "TFoot",
    ]
    assert len([e for e in tree if e.role == "TR"]) == 82
    table = next(e for e in tree if e.role == "Table")
    assert len(table.pages) >= 2, "the table no longer crosses a page"
    # The header row repeated at the top of later pages is a pagination artifact.
    later_pages = list(range(2, len(table.pages) + 1))
    repeated = [a for a in artifacts(path) if a.type == "Pagination"]
    assert [a.page for a in repeated if "Ward" in a.text] == later_pages
    assert [a.page for a in repeated if "Total" in a.text] == later_pages
    column_ids = {e.id for e in tree if e.role == "TH" and e.text in ("Ward", "Beds")}
    for cell in (e for e in tree if e.role == "TD"):
        refs = {str(r) for r in cell.attributes["Headers"]}
        assert len(refs & column_ids) == 1, (cell.text, refs)
    assert problems(path) == []
    report = page.validate_pdf(path, profile="ua1")
    assert report.is_compliant, [f.message for f in report.failures]


def test_url_fetcher_and_font_config_are_used():
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class Fetcher(URLFetcher):
        def __init__(self):
            super().__init__()
            self.urls = []

        def fetch(self, url, headers=None):
            self.urls.append(url)
            return super().fetch(url, headers)

    class Fonts(FontConfiguration):
        faces = []

        def add_font_face(self, rule_descriptors, url_fetcher):
            self.faces.append(rule_descriptors["font_family"])
            return super().add_font_face(rule_descriptors, url_fetcher)

    font_file = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans:style=Regular"], capture_output=True, text=True
    ).stdout
    if not font_file.endswith((".ttf", ".otf")):
        pytest.skip("no Noto Sans font file found")
    html = (
        '<html lang="en"><head><style>@font-face { font-family: Fixture; '
        f'src: url("file://{font_file}") }} body {{ font-family: Fixture }}</style>'
        '</head><body><h1>Chart</h1><img src="chart.svg" alt="A chart"></body></html>'
    )
    fetcher, fonts = Fetcher(), Fonts()
    data = render(html, url_fetcher=fetcher, font_config=fonts)
    assert any(url.endswith("/chart.svg") for url in fetcher.urls)
    assert fonts.faces == ["Fixture"]
    assert [e.alt for e in elements(data) if e.role == "Figure"] == ["A chart"]
