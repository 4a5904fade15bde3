"""EPUB 3.3 with EPUB Accessibility 1.1 metadata: the screen page as XHTML, with the print PDF's pages.

Takes one edition and returns the ``.epub`` bytes: one XHTML content document made from the same
HTML as the web page (:func:`reportgen.formats.html.page`, charts as inline SVG with their data
tables), a ``nav.xhtml`` with the table of contents and a ``page-list`` of where each page of the
print PDF begins, the package document with the accessibility metadata, and subsets of the Noto
fonts (OFL: embedding allowed) for every script that is not Latin.

The zip is written with the standard library: EPUB needs only a ``mimetype`` entry first and stored
uncompressed, then ordinary deflated entries. A library (ebooklib) would add a dependency and make
its own choices about the navigation and metadata that EPUB Accessibility 1.1 cares about; writing
the three small XML files ourselves keeps every byte under our control and reproducible.

Page numbers: the PDF is rendered and its structure tree read (:mod:`reportgen.formats.pdf.inspect`);
each page gets a page-break marker before the first heading that begins on it. A page on which no
heading begins is marked just before the next heading (or at the end), so there is always one
``page-list`` entry per PDF page, in order.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from lxml import html as lxml_html

from reportgen.fonts import coverage
from reportgen.formats import EditionSource
from reportgen.formats.html import page
from reportgen.languages import Direction, language
from reportgen.render.html import Medium

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
EPUB_NS = "http://www.idpf.org/2007/ops"
CONTENT = "content.xhtml"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip times: the same edition makes the same bytes

# The HTML parser lowercases attribute names; SVG's are case-sensitive (only those charts use matter).
_SVG_ATTRIBUTES = {
    name.lower(): name
    for name in (
        "viewBox",
        "preserveAspectRatio",
        "textLength",
        "lengthAdjust",
        "gradientUnits",
        "gradientTransform",
        "patternUnits",
        "clipPathUnits",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "stdDeviation",
    )
}
_SVG_ELEMENTS = {name.lower(): name for name in ("clipPath", "linearGradient", "radialGradient", "textPath")}


def _x(name: str) -> str:
    """An XHTML element's qualified name, as lxml spells it."""
    return f"{{{XHTML}}}{name}"


@dataclass(frozen=True)
class PageStart:
    """Page ``number`` of the print PDF begins at (or just before) the heading ``anchor``."""

    number: int
    anchor: str | None  # None: after the last heading


def _heading_pages(pdf: bytes) -> tuple[int, list[tuple[str, int]]]:
    """(the PDF's page count, (heading text, page) for every heading in reading order)."""
    import pikepdf

    from reportgen.formats.pdf import inspect

    with pikepdf.open(io.BytesIO(pdf)) as document:
        count = len(document.pages)
        headings = [
            (_normal(element.text), element.page)
            for element in inspect.elements(document)
            if re.fullmatch(r"H[1-6]", element.role) and element.page
        ]
    return count, headings


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def page_starts(page_count: int, pdf_headings, xhtml_headings) -> list[PageStart]:
    """One :class:`PageStart` per PDF page: the first heading (by ``anchor``) that begins on it.

    ``xhtml_headings``: (anchor, text) of the content document's headings in order; the PDF's
    are matched to them in order by their text.
    """
    first_on_page: dict[int, str] = {}
    position = 0
    for text, number in pdf_headings:
        for index in range(position, len(xhtml_headings)):
            anchor, own = xhtml_headings[index]
            if _normal(own) == text:
                first_on_page.setdefault(number, anchor)
                position = index + 1
                break
    starts, pending = [], []
    for number in range(1, page_count + 1):
        if number == 1:
            starts.append(PageStart(1, xhtml_headings[0][0] if xhtml_headings else None))
        elif number in first_on_page:
            starts.extend(PageStart(n, first_on_page[number]) for n in pending)
            pending = []
            starts.append(PageStart(number, first_on_page[number]))
        else:
            pending.append(number)
    starts.extend(PageStart(n, None) for n in pending)
    return sorted(starts, key=lambda start: start.number)


def _to_xhtml_tree(html: str):
    """The HTML page as an XHTML tree (lxml, namespaced), SVG kept as SVG."""
    document = lxml_html.document_fromstring(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "svg" or any(a.tag == "svg" for a in element.iterancestors()):
            element.tag = f"{{{SVG}}}{_SVG_ELEMENTS.get(element.tag, element.tag)}"
            for name in list(element.attrib):
                if name in _SVG_ATTRIBUTES:
                    element.attrib[_SVG_ATTRIBUTES[name]] = element.attrib.pop(name)
                elif name == "xmlns":
                    del element.attrib[name]
        else:
            element.tag = _x(element.tag)
    # Rebuild with the namespace map, so the root declares XHTML as default and the epub prefix.
    root = etree.Element(_x("html"), nsmap={None: XHTML, "epub": EPUB_NS})
    for name, value in document.attrib.items():
        root.set(name, value)
    root.extend(list(document))
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("lang") is not None:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", element.get("lang"))
    return root


def _drop_downloads(root) -> None:
    """CSV downloads (data: links) are not allowed in EPUB; the chart's data table beside it stays."""
    for link in list(root.iter(_x("a"))):
        if link.get("download") is None and not (link.get("href") or "").startswith("data:"):
            continue
        holder = link.getparent()
        if holder.tag == _x("p") and len(holder) == 1 and not (holder.text or "").strip():
            holder.getparent().remove(holder)
        else:  # keep the words, without the link
            link.tag = _x("span")
            for name in ("href", "download", "type"):
                link.attrib.pop(name, None)


def _headings(root) -> list[tuple[str, str]]:
    found = []
    for element in root.iter():
        if isinstance(element.tag, str) and re.fullmatch(re.escape(_x("")) + "h[1-6]", element.tag):
            if not element.get("id"):
                element.set("id", f"heading-{len(found) + 1}")
            found.append((element.get("id"), "".join(element.itertext())))
    return found


def _mark_pages(root, starts: list[PageStart]) -> None:
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    main = root.find(".//" + _x("main"))
    for start in starts:
        marker = etree.Element(_x("span"))
        marker.set("id", f"page-{start.number}")
        marker.set(f"{{{EPUB_NS}}}type", "pagebreak")
        marker.set("role", "doc-pagebreak")
        marker.set("title", str(start.number))
        target = by_id.get(start.anchor) if start.anchor else None
        if target is None:
            main.append(marker)
        else:
            target.addprevious(marker)
    # A marker may not sit where only headings' own content may (e.g. straight in <section> is fine).


def _serialise(root) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + etree.tostring(root, encoding="utf-8")


def _nav(source: EditionSource, lang, root, starts: list[PageStart], contents_title: str) -> bytes:
    def items(level_headings):
        return "".join(
            f'<li><a href="{CONTENT}#{anchor}">{xml_escape(text)}</a></li>' for anchor, text in level_headings
        )

    sections = [
        (el.get("id"), " ".join("".join(el.itertext()).split()))
        for el in root.iter(_x("h2"))
        if el.get("id") != "contents-heading"
    ]
    title = str(source.report.title)
    toc = (
        f'<li><a href="{CONTENT}">{xml_escape(title)}</a>'
        + (f"<ol>{items(sections)}</ol>" if sections else "")
        + "</li>"
    )
    pages = "".join(f'<li><a href="{CONTENT}#page-{s.number}">{s.number}</a></li>' for s in starts)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="{EPUB_NS}" lang="{lang.tag}" xml:lang="{lang.tag}" '
        f'dir="{lang.direction.value}">\n<head><meta charset="utf-8"/><title>{xml_escape(title)}</title>\n'
        # Touch targets of at least 24 px (WCAG 2.5.8), whatever the reading system's own style.
        "<style>nav li { margin-block: 0.75em; } nav a { display: inline-block; min-height: 24px; }</style>"
        "</head>\n"
        f'<body>\n<main>\n<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-heading">'
        f'<h1 id="toc-heading">{xml_escape(contents_title)}</h1><ol>{toc}</ol></nav>\n'
        f'<nav epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden">'
        f"<ol>{pages}</ol></nav>\n</main>\n</body>\n</html>\n"
    ).encode()


def _package(source: EditionSource, lang, fonts: list[tuple[str, str]], pdf_name: str, visual: bool) -> bytes:
    report = source.report
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"reportgen:{report.id}:{source.lang}")
    modified = f"{report.published.isoformat()}T00:00:00Z"
    modes = ["textual", "visual"] if visual else ["textual"]
    features = [
        "structuralNavigation",
        "tableOfContents",
        "pageNavigation",
        "readingOrder",
        "displayTransformability",
        "alternativeText",
    ]
    summary = (
        "This publication meets WCAG 2.2 Level AA. It has headings, a table of contents and the page "
        "numbers of the print PDF. Every picture has a description; every chart has its figures in a "
        "data table. Text in another language is marked with its language."
    )
    meta = "\n    ".join(
        [
            f'<dc:identifier id="pub-id">urn:uuid:{identifier}</dc:identifier>',
            f"<dc:title>{xml_escape(str(report.title))}</dc:title>",
            f"<dc:language>{lang.tag}</dc:language>",
            f"<dc:creator>{xml_escape(str(report.publisher))}</dc:creator>",
            f"<dc:publisher>{xml_escape(str(report.publisher))}</dc:publisher>",
            f"<dc:date>{report.published.isoformat()}</dc:date>",
            f'<meta property="dcterms:modified">{modified}</meta>',
            f"<dc:source>{xml_escape(pdf_name)}</dc:source>",
            f'<meta property="pageBreakSource">{xml_escape(pdf_name)}</meta>',
            *(f'<meta property="schema:accessMode">{mode}</meta>' for mode in modes),
            '<meta property="schema:accessModeSufficient">textual</meta>',
            *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features),
            '<meta property="schema:accessibilityHazard">none</meta>',
            # The summary is in English whatever the edition's language: say so.
            f'<meta property="schema:accessibilitySummary" xml:lang="en-GB">{summary}</meta>',
            f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>',
            f'<meta property="a11y:certifiedBy">{xml_escape(str(report.publisher))}</meta>',
        ]
    )
    manifest = "\n    ".join(
        [
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
            f'<item id="content" href="{CONTENT}" media-type="application/xhtml+xml" properties="svg"/>'
            if visual
            else f'<item id="content" href="{CONTENT}" media-type="application/xhtml+xml"/>',
            *(f'<item id="font-{i}" href="{name}" media-type="{kind}"/>' for i, (name, kind) in enumerate(fonts)),
        ]
    )
    progression = ' page-progression-direction="rtl"' if lang.direction is Direction.RTL else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" '
        f'xml:lang="{lang.tag}" dir="{lang.direction.value}" '
        'prefix="a11y: http://www.idpf.org/epub/vocab/package/a11y/#">\n'
        f'  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n    {meta}\n  </metadata>\n'
        f"  <manifest>\n    {manifest}\n  </manifest>\n"
        f'  <spine{progression}>\n    <itemref idref="content"/>\n  </spine>\n</package>\n'
    ).encode()


CONTAINER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    b'  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
    b"</container>\n"
)


def _font_files(html: str, lang_tag: str) -> tuple[list[tuple[str, bytes, str]], str]:
    """Subsets of every non-Latin face the page uses: (zip name, bytes, media type), and their CSS."""
    from reportgen.fonts import subsets

    faces = [f for f in subsets.document_faces(html, lang_tag, every_font=True) if f.family != "Noto Sans"]
    files, rules = [], []
    for index, face in enumerate(faces):
        data = face.path.read_bytes()
        kind = "font/otf" if data[:4] == b"OTTO" else "font/ttf"
        name = f"fonts/font-{index}{'.otf' if kind == 'font/otf' else '.ttf'}"
        files.append((name, data, kind))
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; src: url("{name}"); '
            f"font-weight: {face.weight}; font-style: {face.style}; }}"
        )
    return files, "\n".join(rules)


def render(source: EditionSource) -> bytes:
    """One edition → EPUB 3.3 bytes (the print PDF is laid out to number the pages)."""
    from reportgen.formats import output_name
    from reportgen.formats.pdf.edition import render as render_pdf

    lang = language(source.lang)
    html = page(source, Medium.SCREEN)
    coverage.check_coverage(html, source.lang, source.source)
    fonts, font_rules = _font_files(html, source.lang)
    root = _to_xhtml_tree(html)
    style = root.find(".//" + _x("style"))
    # EPUB style sheets may not set unicode-bidi: the elements that need it (.ltr) carry dir="ltr",
    # which isolates them in every reading system.
    style.text = font_rules + "\n" + re.sub(r"unicode-bidi:\s*[a-z-]+;?\s*", "", style.text or "")
    _drop_downloads(root)
    headings = _headings(root)
    page_count, pdf_headings = _heading_pages(render_pdf(source))
    starts = page_starts(page_count, pdf_headings, headings)
    _mark_pages(root, starts)
    contents = root.find(".//" + _x("h2[@id='contents-heading']"))
    contents_title = "".join(contents.itertext()) if contents is not None else str(source.report.title)
    visual = root.find(f".//{{{SVG}}}svg") is not None or root.find(".//" + _x("img")) is not None
    pdf_name = output_name(source.report.id, source.lang, "pdf")
    entries = [
        ("META-INF/container.xml", CONTAINER),
        ("EPUB/package.opf", _package(source, lang, [(n, k) for n, _, k in fonts], pdf_name, visual)),
        ("EPUB/nav.xhtml", _nav(source, lang, root, starts, contents_title)),
        (f"EPUB/{CONTENT}", _serialise(root)),
        *((f"EPUB/{name}", data) for name, data, _ in fonts),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        mimetype = zipfile.ZipInfo("mimetype", _EPOCH)
        mimetype.compress_type = zipfile.ZIP_STORED
        archive.writestr(mimetype, b"application/epub+zip")
        for name, data in entries:
            info = zipfile.ZipInfo(name, _EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
