"""Render HTML with WeasyPrint 70 while recording what the accessibility layer needs.

WeasyPrint has public seams for some of this (``finisher``, ``url_fetcher``,
``FontConfiguration``) but none for: the text each glyph stands for, the marked-content
property lists, and which HTML box each structure element comes from. For those,
:func:`weasyprint_overrides` replaces five names for the duration of one
``write_pdf`` call, and puts the originals back on exit, even on error:

* ``weasyprint.draw.text.draw_first_line`` — wrapped: after WeasyPrint draws a line,
  the glyphs and clusters of that line are read back (:mod:`.unicode`).
* ``weasyprint.pdf.build_fonts_dictionary`` — wrapped: repairs ``Font.to_unicode``
  from the recorded clusters before WeasyPrint writes the ToUnicode maps.
* ``weasyprint.pdf.stream.Stream.marked`` — replaced by an equivalent that writes the
  same ``/Tag <</MCID n>> BDC``, but keeps the tag and property list as objects that are
  serialised late, so the finisher can turn a sequence into an Artifact or give it an
  ``/ActualText`` once everything is known.
* ``weasyprint.pdf.tags._build_box_tree`` — wrapped: records, for every structure
  element WeasyPrint creates, the box (and HTML element) it was made from. The
  recursion looks the name up in the module globals, so the wrapper sees every box.
* ``weasyprint.svg.text`` (and its entries in ``weasyprint.svg.TAGS``) — wrapped: SVG text
  that is not placed letter by letter is drawn as one run (:mod:`.svgtext`), shaped whole and
  with its spaces, instead of one layout per character.

Then the public ``finisher`` seam applies the marked-content decisions, before the PDF
is serialised. The structure tree itself is repaired afterwards by :mod:`.tagging`.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass, field

from reportgen.formats.pdf import unicode as unicode_map

LOGGER = logging.getLogger("reportgen.formats.pdf")

SUPPORTED_WEASYPRINT = "70."
SVG_NS = "{http://www.w3.org/2000/svg}"

_active = False


def check_weasyprint_version():
    """Refuse to run with a WeasyPrint whose internals we have not checked."""
    import weasyprint

    if not weasyprint.__version__.startswith(SUPPORTED_WEASYPRINT):
        raise RuntimeError(
            f"reportgen.formats.pdf supports WeasyPrint {SUPPORTED_WEASYPRINT}x only (it "
            f"replaces some of its internals); found WeasyPrint "
            f"{weasyprint.__version__}. Check reportgen/formats/pdf/render.py against the new "
            "version before changing the pin."
        )


# ---------------------------------------------------------------------------------------
# What is recorded


@dataclass
class ElementInfo:
    """What the structure tree repair needs to know about one structure element."""

    role: str
    key: tuple | None  # fragments of one box share it (page or line breaks)
    lang: str | None  # computed language of the box
    artifact: bool = False  # made from decorative content or a repeated header
    alt: str | None = None  # Figure: text alternative
    scope: str | None = None  # TH: 'Row' or 'Column'
    link_name: str | None = None  # Link: what the link is for
    page: int = 0
    anchor: str | None = None  # the HTML element's id: what internal links point at


@dataclass
class Artifact:
    kind: str  # 'Pagination' or 'Layout'
    subtype: str | None = None  # 'Header', 'Footer'


class MarkTag:
    """A marked-content tag name serialised late (pydyf calls str() on it)."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return f"/{self.name}"


@dataclass
class Mark:
    tag: MarkTag
    properties: object  # pydyf.Dictionary, serialised late
    stream: object


@dataclass
class Recording:
    artifacts: dict = field(default_factory=dict)  # box -> Artifact
    decorative_sources: set = field(default_factory=set)
    marks: dict = field(default_factory=dict)  # box -> Mark
    lines: dict = field(default_factory=dict)  # text box -> unicode.DrawnLine
    clusters: list = field(default_factory=list)  # unicode.Cluster
    shared_clusters: dict = field(default_factory=dict)  # for unicode.read_first_line
    mappings: dict = field(default_factory=dict)  # font hash -> {glyph: text}
    elements: dict = field(default_factory=dict)  # object number -> ElementInfo
    artifact_mcids: set = field(default_factory=set)  # (page index, mcid)
    actual_texts: int = 0
    missing: list = field(default_factory=list)  # characters drawn as .notdef


# ---------------------------------------------------------------------------------------
# Looking at boxes and HTML elements


def _normalise(text):
    return re.sub(r"\s+", " ", text or "").strip()


def _attr(element, name):
    return (element.attrib.get(name) or "").strip() if element is not None else ""


def is_decorative(box):
    """A replaced box (image, inline SVG) that only decorates: drawn as an Artifact."""
    from weasyprint.formatting_structure import boxes

    if not isinstance(box, boxes.ReplacedBox) or box.element is None:
        return False
    element = box.element
    if _attr(element, "aria-hidden").lower() == "true":
        return True
    if _attr(element, "role").lower() in ("presentation", "none"):
        return True
    if box.element_tag != "img" or _attr(element, "aria-label"):
        return False
    return "alt" in element.attrib and not _attr(element, "alt")


def alternative_text(element):
    """Text alternative of an image or inline SVG, as HTML/SVG accessibility defines."""
    if element is None:
        return None
    label = _normalise(_attr(element, "aria-label"))
    if label:
        return label
    if element.tag in (f"{SVG_NS}svg", "svg"):
        for title in (element.find(f"{SVG_NS}title"), element.find("title")):
            if title is not None:
                text = _normalise("".join(title.itertext()))
                if text:
                    return text
    alt = _normalise(_attr(element, "alt"))
    return alt or _normalise(_attr(element, "title")) or None


def link_name(element):
    """What a link is for: its text (or its images' text), plus aria-label and title."""
    if element is None:
        return None
    text = _normalise("".join(element.itertext()))
    if not text:
        text = _normalise(
            " ".join(
                alternative_text(child) or ""
                for child in element.iter()
                if child is not element and child.tag in ("img", f"{SVG_NS}svg")
            )
        )
    parts = [text] if text else []
    for extra in (_normalise(_attr(element, "aria-label")), _normalise(_attr(element, "title"))):
        if extra and not any(extra.casefold() in part.casefold() for part in parts):
            parts.append(extra)
    if parts:
        return " – ".join(parts)
    href = _attr(element, "href")
    LOGGER.warning("link to %s has no text, aria-label or title", href or "?")
    return f"Link to {href}" if href else "Link"


def _scope(element):
    scope = _attr(element, "scope").lower()
    return "Row" if scope in ("row", "rowgroup") else "Column"


def describe_element(box, element, page_number, recording):
    role = str(element["S"])[1:]
    html = box.element
    key = None
    if html is not None:
        key = (id(html), box.element_tag, role)
    info = ElementInfo(
        role=role,
        key=key,
        lang=box.style["lang"] if box.style else None,
        artifact=box in recording.artifacts,
        page=page_number,
        anchor=_attr(html, "id") or None,
    )
    if role == "Figure":
        info.alt = alternative_text(html)
    elif role == "TH":
        info.scope = _scope(html)
    elif role == "Link":
        info.link_name = link_name(html)
    return info


def find_artifacts(document, recording):
    """Before drawing: boxes whose content is an Artifact.

    Margin boxes (running headers and footers), decorative images, and the copies of a
    table's header and footer rows repeated on the pages after the first.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    seen_groups = set()

    def walk(box, artifact):
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if artifact is None:
            if isinstance(box, boxes.MarginBox):
                keyword = box.at_keyword or ""
                subtype = (
                    "Header" if keyword.startswith("@top") else "Footer" if keyword.startswith("@bottom") else None
                )
                artifact = Artifact("Pagination", subtype)
            elif (
                isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer) and box.element is not None
            ):
                if id(box.element) in seen_groups:
                    artifact = Artifact("Pagination")
                seen_groups.add(id(box.element))
            elif is_decorative(box):
                artifact = Artifact("Layout")
                if box.element_tag == "img":
                    recording.decorative_sources.add(box.element.attrib.get("src", "unknown"))
        if artifact is not None:
            recording.artifacts[box] = artifact
        for child in getattr(box, "children", ()) or ():
            walk(child, artifact)

    for page in document.pages:
        walk(page._page_box, None)


# ---------------------------------------------------------------------------------------
# The overrides


@contextlib.contextmanager
def weasyprint_overrides(recording):
    """Replace five WeasyPrint internals for one render; always restore them."""
    global _active
    check_weasyprint_version()
    if _active:
        raise RuntimeError("reportgen.formats.pdf renders cannot be nested")

    import pydyf
    import weasyprint.draw.text as draw_text
    import weasyprint.pdf as weasy_pdf
    import weasyprint.pdf.stream as weasy_stream
    import weasyprint.pdf.tags as weasy_tags
    import weasyprint.svg as weasy_svg
    from weasyprint.layout.absolute import AbsolutePlaceholder

    from reportgen.formats.pdf import svgtext

    original_draw_first_line = draw_text.draw_first_line
    original_build_fonts = weasy_pdf.build_fonts_dictionary
    original_marked = weasy_stream.Stream.marked
    original_build_box_tree = weasy_tags._build_box_tree
    original_svg_text = weasy_svg.text
    svg_text = svgtext.make_text(original_svg_text)
    svg_text_tags = [tag for tag, drawer in weasy_svg.TAGS.items() if drawer is original_svg_text]

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        result = original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        # Same early exits as the original: nothing drawn.
        if textbox.text.strip() and textbox.style["font_size"] >= 1e-6:
            line = unicode_map.read_first_line(stream, textbox, recording.shared_clusters)
            recording.lines[textbox] = line
            recording.clusters.extend(line.clusters)
            recording.missing.extend(line.missing)
        return result

    def build_fonts_dictionary(pdf, fonts, compress, subset, options):
        recording.mappings = unicode_map.repair_to_unicode(fonts, recording.clusters)
        return original_build_fonts(pdf, fonts, compress, subset, options)

    @contextlib.contextmanager
    def marked(self, box, tag):
        if self._tags is None:
            yield
            return
        mcid = len(self._tags)
        assert box not in self._tags
        self._tags[box] = {"tag": tag, "mcid": mcid}
        mark = Mark(MarkTag(tag), pydyf.Dictionary({"MCID": mcid}), self)
        self.stream.extend((mark.tag, mark.properties, b"BDC"))
        recording.marks[box] = mark
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(self)

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        real_box = box._box if isinstance(box, AbsolutePlaceholder) else box
        for element in original_build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
            if element.number not in recording.elements:
                recording.elements[element.number] = describe_element(real_box, element, page_number, recording)
            yield element

    _active = True
    try:
        draw_text.draw_first_line = draw_first_line
        weasy_pdf.build_fonts_dictionary = build_fonts_dictionary
        weasy_stream.Stream.marked = marked
        weasy_tags._build_box_tree = build_box_tree
        # svg/__init__ compares TAGS entries with its global ``text``: both must change together.
        weasy_svg.text = svg_text
        weasy_svg.TAGS.update(dict.fromkeys(svg_text_tags, svg_text))
        yield recording
    finally:
        weasy_svg.TAGS.update(dict.fromkeys(svg_text_tags, original_svg_text))
        weasy_svg.text = original_svg_text
        weasy_tags._build_box_tree = original_build_box_tree
        weasy_stream.Stream.marked = original_marked
        weasy_pdf.build_fonts_dictionary = original_build_fonts
        draw_text.draw_first_line = original_draw_first_line
        _active = False


# Structure elements that only group other elements: white space drawn directly in them
# (between inline-block list items, say) is layout, not content.
GROUPING_ROLES = frozenset({"L", "LI", "Table", "THead", "TBody", "TFoot", "TR"})


def _holders(pdf):
    """(page reference, MCID) → the pydyf structure element holding that MCID."""
    import pydyf

    holders = {}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem":
            for kid in obj.get("K") or ():
                if isinstance(kid, int):
                    holders[(obj.get("Pg"), kid)] = obj
    return holders


def _context_role(pdf, holder):
    """Role of the element a text run is read in (the parent of its own Span)."""
    role = str(holder.get("S", "/NonStruct"))[1:]
    if role == "Span" and list(holder.get("K") or ()) and "P" in holder:
        number = int(bytes(holder["P"]).split()[0])
        if 0 < number < len(pdf.objects):
            return str(pdf.objects[number].get("S", "/NonStruct"))[1:]
    return role


def make_finisher(recording):
    """WeasyPrint ``finisher``: decide Artifacts and ActualText on marked content.

    * content of margin boxes, decorative images and repeated table headers becomes
      ``/Artifact`` (no MCID);
    * a text run whose glyphs do not decode to its text gets ``/ActualText``;
    * a line that the layout hyphenated gets ``/ActualText`` ending in a soft hyphen (U+00AD)
      instead of the drawn hyphen, so the word is read whole;
    * a run of white space (not drawn: WeasyPrint skips it) gets ``/ActualText ( )``
      so the words it separates stay apart, unless it sits directly in a list or table
      grouping element, where it is only layout and becomes an Artifact.
    """
    import pydyf
    from weasyprint.formatting_structure import boxes

    def finisher(document, pdf):
        pages = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]
        page_of_stream = {page.get("Contents"): (index, page.reference) for index, page in enumerate(pages)}
        holders = None
        for box, mark in recording.marks.items():
            page_index, page_reference = page_of_stream.get(mark.stream.reference, (None, None))
            artifact = recording.artifacts.get(box)
            if artifact is None and isinstance(box, boxes.TextBox) and (not box.text.strip()):
                if holders is None:
                    holders = _holders(pdf)
                holder = holders.get((page_reference, mark.properties["MCID"]))
                if holder is not None and _context_role(pdf, holder) in GROUPING_ROLES:
                    artifact = Artifact("Layout")
                else:
                    mark.properties["ActualText"] = pydyf.String(" ")
                    continue
            if artifact is not None:
                recording.artifact_mcids.add((page_index, mark.properties["MCID"]))
                mark.tag.name = "Artifact"
                mark.properties.clear()
                mark.properties["Type"] = f"/{artifact.kind}"
                if artifact.subtype:
                    mark.properties["Subtype"] = f"/{artifact.subtype}"
                continue
            line = recording.lines.get(box)
            if line is not None:
                actual = unicode_map.actual_text_for(line, recording.mappings)
                hyphen = box.style["hyphenate_character"] if box.style["hyphens"] == "auto" else ""
                if hyphen and line.text.endswith(hyphen):
                    # A hyphen the layout added at the end of a line (hyphens: auto) is a soft
                    # hyphen to a reader (ISO 32000-1, 14.8.2.2.3): the word reads whole.
                    actual = (actual if actual is not None else line.text)[: -len(hyphen)] + "\u00ad"
                if actual is not None:
                    mark.properties["ActualText"] = pydyf.String(actual)
                    recording.actual_texts += 1

    return finisher
