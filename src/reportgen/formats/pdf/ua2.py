"""PDF/UA-2 (ISO 14289-2:2024) and WTPDF 1.0: the repaired PDF/UA-1 file made a PDF 2.0 one.

Runs on the open, repaired file (:func:`reportgen.formats.pdf.tagging.repair_structure`) and
keeps every UA-1 repair (ToUnicode, ActualText, /Lang, Artifacts, Alt, table headers). Adds:

* identification: PDF 2.0 (header and catalog /Version), XMP ``pdfuaid:part`` 2 and
  ``pdfuaid:rev`` 2024, and the WTPDF accessibility declaration (``pdfd:declarations``);
* the structure tree in the PDF 2.0 namespace: ``/Namespaces`` on the root, ``/NS`` on every
  element; types PDF 2.0 dropped stay in the PDF 1.7 namespace, role-mapped to PDF 2.0 ones;
  ``H`` becomes the numbered heading its level says;
* ``ListNumbering`` on every list whose items have labels (Decimal for ``<ol>``, Disc else);
* structure destinations: every outline item and internal link becomes a GoTo action with
  ``/SD`` (the heading or target element) and ``/D`` (the page destination, for older
  readers; ISO 32000-2 12.6.4.2 lets a GoTo action carry both).
"""

from __future__ import annotations

import logging
import re

from pikepdf import Array, Dictionary, Name, String

from reportgen.formats.pdf.tagging import _is_element, _kids

LOGGER = logging.getLogger("reportgen.formats.pdf")

PDF2_NS = "http://iso.org/pdf2/ssn"
PDF1_NS = "http://iso.org/pdf/ssn"
WTPDF_ACCESSIBILITY = "http://pdfa.org/declarations/wtpdf#accessibility1.0"
PDFD_NS = "http://pdfa.org/declarations/"

# ISO 32000-2 14.8.4 standard structure types.
PDF2_TYPES = frozenset(
    "Document DocumentFragment Part Sect Div Aside NonStruct P H1 H2 H3 H4 H5 H6 H Title FENote "
    "Sub Lbl Span Em Strong Link Annot Form Ruby RB RT RP Warichu WT WP L LI LBody Table TR TH TD "
    "THead TBody TFoot Caption Figure Formula Artifact".split()
)
# PDF 1.7 types that PDF 2.0 no longer has, and the PDF 2.0 type each is read as (Annex L).
PDF1_ONLY = {
    "Art": "Sect",
    "BlockQuote": "Div",
    "TOC": "L",
    "TOCI": "LI",
    "Index": "Sect",
    "Note": "FENote",
    "Reference": "Span",
    "BibEntry": "P",
    "Code": "Span",
    "Quote": "Span",
    "Private": "NonStruct",
}
LIST_NUMBERING = {"ol": "Decimal", "ul": "Disc"}


def _role(element):
    return str(element.get("/S", "/NonStruct"))[1:]


def _walk(root):
    stack = [kid for kid in reversed(_kids(root)) if _is_element(kid)]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(kid for kid in reversed(_kids(element)) if _is_element(kid))


def _info(recording, element):
    if not element.is_indirect or element.objgen[1] != 0:
        return None
    return recording.elements.get(element.objgen[0])


def _identify(pdf):
    """Catalog /Version and XMP: PDF/UA-2 and WTPDF."""
    pdf.Root.Version = Name("/2.0")
    packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
    packet, count = re.subn(
        r'pdfuaid:part="1"',
        'pdfuaid:part="2" pdfuaid:rev="2024"',
        packet,
    )
    if count != 1:
        raise RuntimeError("WeasyPrint's XMP has no pdfuaid:part 1 to change (has WeasyPrint changed?)")
    declaration = (
        f'<rdf:Description rdf:about="" xmlns:pdfd="{PDFD_NS}"><pdfd:declarations><rdf:Bag>'
        f'<rdf:li rdf:parseType="Resource"><pdfd:conformsTo>{WTPDF_ACCESSIBILITY}</pdfd:conformsTo>'
        "</rdf:li></rdf:Bag></pdfd:declarations></rdf:Description>"
    )
    packet = packet.replace("</rdf:RDF>", declaration + "</rdf:RDF>", 1)
    pdf.Root.Metadata.write(packet.encode("utf-8"))


def _namespaces(pdf, tree):
    root = pdf.Root.StructTreeRoot
    pdf2 = pdf.make_indirect(Dictionary(Type=Name.Namespace, NS=String(PDF2_NS)))
    role_map = Dictionary({"/" + old: Array([Name("/" + new), pdf2]) for old, new in PDF1_ONLY.items()})
    pdf1 = pdf.make_indirect(Dictionary(Type=Name.Namespace, NS=String(PDF1_NS), RoleMapNS=role_map))
    used_pdf1 = False
    unknown = set()
    for element, level in tree:
        role = _role(element)
        if role == "H":
            element.S = Name(f"/H{min(max(level, 1), 6)}")
            role = _role(element)
        if role in PDF2_TYPES:
            element.NS = pdf2
        elif role in PDF1_ONLY:
            element.NS = pdf1
            used_pdf1 = True
        else:
            unknown.add(role)
    if unknown:
        raise RuntimeError(f"structure types with no PDF 2.0 meaning: {', '.join(sorted(unknown))}")
    root.Namespaces = Array([pdf2, pdf1] if used_pdf1 else [pdf2])


def _caption_wrappers(elements):
    """A NonStruct holding a Caption (a <figure> around a quote) becomes a Div.

    NonStruct is transparent: its Caption would be read as a child of the section around it,
    in the middle of it (rule 8.2.5.27). A Div keeps the caption with what it captions.
    """
    for element in elements:
        if _role(element) == "NonStruct" and any(_is_element(k) and _role(k) == "Caption" for k in _kids(element)):
            element.S = Name.Div


def _heading_levels(elements):
    """(element, heading level for a bare H) in tree order: one more than the last numbered heading."""
    last = 0
    for element in elements:
        role = _role(element)
        if len(role) == 2 and role[0] == "H" and role[1].isdigit():
            last = int(role[1])
            yield element, last
        elif role == "H":
            yield element, last + 1 if last else 1
        else:
            yield element, 0


def _list_numbering(elements, recording):
    for element in elements:
        if _role(element) != "L":
            continue
        labelled = any(
            _is_element(kid) and _role(kid) == "Lbl"
            for item in _kids(element)
            if _is_element(item) and _role(item) == "LI"
            for kid in _kids(item)
        )
        if not labelled:
            continue
        info = _info(recording, element)
        tag = info.key[1] if info is not None and info.key else None
        attribute = Dictionary(O=Name.List, ListNumbering=Name("/" + LIST_NUMBERING.get(tag, "Disc")))
        existing = element.get("/A")
        if existing is None:
            element.A = attribute
        elif isinstance(existing, Array):
            element.A = Array([*existing, attribute])
        else:
            element.A = Array([existing, attribute])


def _first_page(element):
    """The page (object id) where an element's first content is drawn."""
    if "/Pg" in element:
        return element.Pg.objgen
    for kid in _kids(element):
        if _is_element(kid):
            page = _first_page(kid)
            if page is not None:
                return page
        elif isinstance(kid, Dictionary) and "/Pg" in kid:
            return kid.Pg.objgen
    return None


def _named_destinations(pdf):
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    found = {}

    def leaf(node):
        flat = node.get("/Names")
        if flat is not None:
            for index in range(0, len(flat), 2):
                found[str(flat[index])] = flat[index + 1]
        for kid in node.get("/Kids", ()):
            leaf(kid)

    if dests is not None:
        leaf(dests)
    return found


def _position(destination):
    return (destination[0].objgen, round(float(destination[3]), 1)) if len(destination) >= 4 else None


def _structure_destinations(pdf, elements, recording):
    """GoTo actions with /SD (and /D kept) for outline items and internal links."""
    by_anchor = {}
    for element in elements:
        info = _info(recording, element)
        if info is not None and info.anchor and info.anchor not in by_anchor:
            by_anchor[info.anchor] = element
    named = _named_destinations(pdf)
    by_position = {}
    for name, destination in named.items():
        if name in by_anchor and isinstance(destination, Array):
            by_position.setdefault(_position(destination), by_anchor[name])

    def structure_destination(element, destination):
        return Array([element, *list(destination)[1:]])

    def go_to(holder, element, destination):
        holder.A = Dictionary(S=Name.GoTo, D=destination, SD=structure_destination(element, destination))
        if "/Dest" in holder:
            del holder["/Dest"]

    missing = 0
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.First] if outlines is not None and "/First" in outlines else []
    items = []
    while stack:  # depth first: the order of the headings they come from
        item = stack.pop()
        items.append(item)
        if "/Next" in item:
            stack.append(item.Next)
        if "/First" in item:
            stack.append(item.First)
    # WeasyPrint makes one outline item per heading, in order: the nth item is the nth heading
    # (checked against its page), for headings with no id to find them by.
    headings = [e for e in elements if re.fullmatch(r"H[1-6]", _role(e))]
    in_order = dict(zip(map(id, items), headings, strict=True)) if len(headings) == len(items) else {}
    for item in items:
        destination = item.get("/Dest")
        if isinstance(destination, (String, Name)):
            element, destination = by_anchor.get(str(destination)), named.get(str(destination))
        else:
            element = by_position.get(_position(destination)) if isinstance(destination, Array) else None
            heading = in_order.get(id(item))
            if element is None and heading is not None and _first_page(heading) == destination[0].objgen:
                element = heading
        if element is None or destination is None:
            missing += 1
            continue
        go_to(item, element, destination)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            destination = annotation.get("/Dest")
            if destination is None:
                continue
            if isinstance(destination, (String, Name)):
                name = str(destination)
                element, destination = by_anchor.get(name.lstrip("/")), named.get(name.lstrip("/"))
            else:
                element = by_position.get(_position(destination))
            if element is None or destination is None:
                missing += 1
                continue
            go_to(annotation, element, destination)
    if missing:
        LOGGER.warning("%d outline item(s) or link(s) have no structure element to point at", missing)


def apply_ua2(pdf, recording):
    """Make the open, repaired PDF a PDF/UA-2 file; returns the save options it needs."""
    _identify(pdf)
    root = pdf.Root.StructTreeRoot
    _caption_wrappers(list(_walk(root)))
    tree = list(_heading_levels(list(_walk(root))))
    _namespaces(pdf, tree)
    elements = [element for element, _level in tree]
    _list_numbering(elements, recording)
    _structure_destinations(pdf, elements, recording)
    return {"force_version": "2.0"}
