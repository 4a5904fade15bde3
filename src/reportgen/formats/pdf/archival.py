"""The archival copy: our PDF/UA-1 output made PDF/A-3a as well, carrying its own sources.

Takes the bytes :func:`reportgen.formats.pdf.html_to_pdf` returned (tagged PDF/UA-1) and returns
one file that claims, and meets, both PDF/A-3a (ISO 19005-3, level a: tagged) and PDF/UA-1
(ISO 14289-1). WeasyPrint writes one variant per file, so this stage adds what PDF/A needs
on top of the accessible file, without touching its structure tree, fonts or content:

* an sRGB output intent (the ICC profile WeasyPrint itself embeds for PDF/A, see
  :func:`srgb_profile`), and a blending colour space on pages that use transparency;
* the print flag on every annotation;
* one XMP packet with both identifications (``pdfaid`` part 3 / A, ``pdfuaid`` part 1),
  the PDF/A extension schemas declaring ``pdfuaid`` and our own provenance properties
  (PDF/A allows no undeclared XMP property), title, language, dates — and the same
  values in the document information dictionary, which PDF/A requires to agree;
* the publication's sources as associated files (PDF/A-3: ``/AF`` on the catalog, each
  file specification with ``/F``, ``/UF``, ``/AFRelationship``, a MIME ``/Subtype`` and
  ``/Params``), so the PDF says what it was made from.

Everything is deterministic — dates come from the caller, the file identifier from the
content — so the same input gives the same bytes and re-publishing is recognisably a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

import pikepdf
from pikepdf import Array, Dictionary, Name, String

__all__ = ["Attachment", "PROVENANCE_NS", "make_archival", "read_provenance", "srgb_profile"]

# Our own XMP namespace: what the archive needs to rebuild its catalogue from the file alone.
PROVENANCE_NS = "https://github.com/reportgen/reportgen/ns/provenance/1.0/"
PROVENANCE_PREFIX = "reportgen"
PROVENANCE_FIELDS = {  # XMP property → what it holds (the extension schema's description)
    "reportId": "Identifier of the publication (report.yaml id)",
    "language": "BCP 47 tag of the language of this edition",
    "period": "Period the publication covers, e.g. 2024/25",
    "published": "Publication date given in report.yaml (ISO 8601)",
    "sourceHash": "SHA-256 of everything the PDF was made from (publication folder, templates, catalogs, generator)",
    "generator": "Software that made the PDF, with versions",
}

# MIME types Python's table lacks or gets wrong on some systems.
MIME_TYPES = {
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".csv": "text/csv",
    ".po": "text/x-gettext-translation",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}

NS = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    PROVENANCE_PREFIX: PROVENANCE_NS,
}


@dataclass(frozen=True)
class Attachment:
    """A file to embed: ``name`` as shown in a PDF reader's attachments panel."""

    name: str
    data: bytes
    relationship: str = "Source"  # PDF/A-3 AFRelationship: Source, Data, Supplement, …
    description: str = ""
    mime: str | None = None  # guessed from the name when None

    @property
    def mime_type(self) -> str:
        if self.mime:
            return self.mime
        suffix = "." + self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""
        return MIME_TYPES.get(suffix) or mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def srgb_profile() -> bytes:
    """The sRGB ICC profile for the output intent.

    We use ``sRGB2014.icc`` as installed with WeasyPrint (our pinned renderer; it embeds the
    same file in its own PDF/A output) rather than keeping a copy: it is the International
    Color Consortium's sRGB v2 profile, which the ICC lets anyone copy, distribute and embed
    without restriction.
    """
    return resources.files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()


def pdf_date(when: dt.datetime) -> str:
    """Document information date, e.g. ``D:20250724000000+00'00'``."""
    when = when.astimezone(dt.UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def make_archival(
    pdf_bytes: bytes,
    *,
    attachments: Sequence[Attachment],
    created: dt.datetime,
    modified: dt.datetime | None = None,
    provenance: Mapping[str, str] | None = None,
) -> bytes:
    """PDF/UA-1 bytes → PDF/A-3a + PDF/UA-1 bytes with ``attachments`` embedded.

    ``created``/``modified`` become the document's dates (give fixed values: the
    publication's date, ``SOURCE_DATE_EPOCH`` — never "now", or builds stop being
    reproducible). ``provenance`` holds values for :data:`PROVENANCE_FIELDS`.
    Title, language and author are taken from the input PDF, which must have them.
    """
    modified = modified or created
    provenance = {k: str(v) for k, v in (provenance or {}).items() if v is not None}
    unknown = set(provenance) - set(PROVENANCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown provenance field(s): {', '.join(sorted(unknown))}")
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/StructTreeRoot" not in pdf.Root or "/Lang" not in pdf.Root:
            raise ValueError("the PDF is not tagged or has no /Lang: make it with reportgen.formats.pdf.html_to_pdf")
        info = {key: str(value) for key, value in pdf.docinfo.items() if isinstance(value, String)}
        title = info.get("/Title")
        if not title:
            raise ValueError("the PDF has no title")
        lang = str(pdf.Root.Lang)
        _add_output_intent(pdf)
        _mark_transparency(pdf)
        _print_annotations(pdf)
        _embed(pdf, attachments, modified)
        producer = f"{info.get('/Producer', 'WeasyPrint')}; pikepdf {pikepdf.__version__}"
        fields = {
            "title": title,
            "lang": lang,
            "author": info.get("/Author"),
            "subject": info.get("/Subject"),
            "keywords": info.get("/Keywords"),
            "creator": info.get("/Creator"),
            "producer": producer,
            "created": created,
            "modified": modified,
        }
        _set_docinfo(pdf, fields)
        _set_xmp(pdf, fields, provenance)
        first = io.BytesIO()
        pdf.save(
            first,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            fix_metadata_version=False,
            force_version="1.7",
            deterministic_id=True,
        )
    # Second pass, on the bytes as written: only now are the compressed streams final.
    with pikepdf.open(io.BytesIO(first.getvalue())) as pdf:
        if not _guard_stream_ends(pdf):
            return first.getvalue()
        output = io.BytesIO()
        pdf.save(
            output,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # keep every stream's bytes as they are
            fix_metadata_version=False,
            force_version="1.7",
            deterministic_id=True,
        )
        return output.getvalue()


def _guard_stream_ends(pdf) -> int:
    """Give an ASCIIHex outer layer to every stream whose bytes end with a carriage return.

    Writers put a line feed before ``endstream``; data ending in CR then reads as ``CR LF``,
    an end-of-line that PDF/A validators (page-validation, at least) take out of the stream
    and so find ``/Length`` one byte too long. Compressed data ends with such a byte about
    once in 256 streams. Hex text always ends with ``>``, and the decoded content is
    unchanged. Returns the number of streams changed.
    """
    changed = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        raw = obj.read_raw_bytes()
        if not raw.endswith(b"\r"):
            continue
        filters = obj.get("/Filter")
        filters = [] if filters is None else list(filters) if isinstance(filters, Array) else [filters]
        parms = obj.get("/DecodeParms")
        parms = [] if parms is None else list(parms) if isinstance(parms, Array) else [parms]
        parms = parms + [None] * (len(filters) - len(parms))
        obj.write(
            raw.hex().encode() + b">",
            filter=Array([Name.ASCIIHexDecode, *filters]),
            decode_parms=Array([None, *parms]) if any(p is not None for p in parms) else None,
        )
        changed += 1
    return changed


# -- output intent and colour ------------------------------------------------------------


def _add_output_intent(pdf):
    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
        RegistryName=String("http://www.color.org"),
        Info=String("sRGB IEC61966-2.1"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


def _uses_transparency(page) -> bool:
    """True if the page's graphics states or images ask for blending or soft masks."""
    resources_ = page.obj.get("/Resources", Dictionary())
    for state in resources_.get("/ExtGState", Dictionary()).values():
        if any(key in state for key in ("/SMask", "/CA", "/ca", "/BM")):
            smask = state.get("/SMask")
            if smask is not None and smask == Name.None_ and state.get("/CA", 1) == 1 and state.get("/ca", 1) == 1:
                continue
            return True
    for xobject in resources_.get("/XObject", Dictionary()).values():
        if "/SMask" in xobject or xobject.get("/Group") is not None:
            return True
    return False


def _mark_transparency(pdf):
    """PDF/A: a page with transparency needs a blending colour space in its /Group."""
    for page in pdf.pages:
        group = page.obj.get("/Group")
        if group is None and _uses_transparency(page):
            page.obj.Group = Dictionary(Type=Name.Group, S=Name.Transparency, CS=Name.DeviceRGB)
        elif group is not None and "/CS" not in group:
            group.CS = Name.DeviceRGB


def _print_annotations(pdf):
    """PDF/A: every annotation is printed (flag 3) and never hidden."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            annotation.F = 4


# -- associated files --------------------------------------------------------------------


def _embed(pdf, attachments, modified):
    specs = []
    for attachment in sorted(attachments, key=lambda a: a.name):
        stream = pdf.make_stream(attachment.data)
        stream.Type = Name.EmbeddedFile
        stream.Subtype = Name("/" + attachment.mime_type)
        stream.Params = Dictionary(
            Size=len(attachment.data),
            ModDate=String(pdf_date(modified)),
            CheckSum=String(hashlib.md5(attachment.data).digest()),
        )  # the PDF format asks for MD5
        spec = pdf.make_indirect(
            Dictionary(
                Type=Name.Filespec,
                F=String(attachment.name),
                UF=String(attachment.name),
                EF=Dictionary(F=stream, UF=stream),
                AFRelationship=Name("/" + attachment.relationship),
                Desc=String(attachment.description or attachment.name),
            )
        )
        specs.append((attachment.name, spec))
    if not specs:
        return
    pdf.Root.AF = Array([spec for _name, spec in specs])
    names = pdf.Root.get("/Names")
    if names is None:
        pdf.Root.Names = names = pdf.make_indirect(Dictionary())
    # One flat name tree leaf, in the byte order the PDF name tree requires.
    entries = sorted(specs, key=lambda item: item[0].encode("utf-16-be"))
    names.EmbeddedFiles = pdf.make_indirect(
        Dictionary(Names=Array([x for name, spec in entries for x in (String(name), spec)]))
    )


# -- metadata ----------------------------------------------------------------------------


def _set_docinfo(pdf, fields):
    """Document information, kept equal to the XMP (PDF/A checks they agree)."""
    docinfo = {
        "/Title": fields["title"],
        "/Author": fields["author"],
        "/Subject": fields["subject"],
        "/Keywords": fields["keywords"],
        "/Creator": fields["creator"],
        "/Producer": fields["producer"],
        "/CreationDate": pdf_date(fields["created"]),
        "/ModDate": pdf_date(fields["modified"]),
    }
    info = Dictionary({key: String(value) for key, value in docinfo.items() if value})
    pdf.trailer.Info = pdf.make_indirect(info)


def _alt(text):
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'


def _schema(name, uri, prefix, properties):
    items = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{escape(prop)}</pdfaProperty:name>"
        f"<pdfaProperty:valueType>{value_type}</pdfaProperty:valueType>"
        "<pdfaProperty:category>internal</pdfaProperty:category>"
        f"<pdfaProperty:description>{escape(description)}</pdfaProperty:description>"
        "</rdf:li>"
        for prop, value_type, description in properties
    )
    return (
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaSchema:schema>{escape(name)}</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{escape(uri)}</pdfaSchema:namespaceURI>"
        f"<pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{items}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li>"
    )


def xmp_packet(fields: Mapping, provenance: Mapping[str, str]) -> bytes:
    """The whole XMP packet, written out so every byte is under our control."""
    properties = [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{_alt(fields['title'])}</dc:title>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(fields['lang'])}</rdf:li></rdf:Bag></dc:language>",
    ]
    if fields.get("author"):
        properties.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(fields['author'])}</rdf:li></rdf:Seq></dc:creator>")
    if fields.get("subject"):
        properties.append(f"<dc:description>{_alt(fields['subject'])}</dc:description>")
    if fields.get("keywords"):
        properties.append(f"<pdf:Keywords>{escape(fields['keywords'])}</pdf:Keywords>")
    properties.append(f"<pdf:Producer>{escape(fields['producer'])}</pdf:Producer>")
    if fields.get("creator"):
        properties.append(f"<xmp:CreatorTool>{escape(fields['creator'])}</xmp:CreatorTool>")
    properties += [
        f"<xmp:CreateDate>{xmp_date(fields['created'])}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{xmp_date(fields['modified'])}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{xmp_date(fields['modified'])}</xmp:MetadataDate>",
    ]
    properties += [
        f"<{PROVENANCE_PREFIX}:{key}>{escape(value)}</{PROVENANCE_PREFIX}:{key}>"
        for key, value in sorted(provenance.items())
    ]
    schemas = _schema(
        "PDF/UA Universal Accessibility Schema",
        NS["pdfuaid"],
        "pdfuaid",
        [("part", "Integer", "Indicates which part of ISO 14289 standard is followed")],
    ) + _schema(
        "reportgen provenance",
        PROVENANCE_NS,
        PROVENANCE_PREFIX,
        [(key, "Text", text) for key, text in PROVENANCE_FIELDS.items()],
    )
    properties.append(f"<pdfaExtension:schemas><rdf:Bag>{schemas}</rdf:Bag></pdfaExtension:schemas>")
    namespaces = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NS.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" {namespaces}>\n'
        + "\n".join(properties)
        + '\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>'
    ).encode("utf-8")


def _set_xmp(pdf, fields, provenance):
    stream = pdf.make_stream(xmp_packet(fields, provenance))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    pdf.Root.Metadata = stream


def read_provenance(pdf_bytes: bytes) -> dict[str, str]:
    """The provenance fields and title of an archival PDF (``{}`` if it has none).

    Keys: those of :data:`PROVENANCE_FIELDS` present, plus ``title`` and ``pages``.
    """
    from xml.etree import ElementTree

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        metadata = pdf.Root.get("/Metadata")
        if metadata is None:
            return {}
        root = ElementTree.fromstring(metadata.read_bytes())
        pages = len(pdf.pages)
    found = {}
    for key in PROVENANCE_FIELDS:
        element = root.find(f".//{{{PROVENANCE_NS}}}{key}")
        if element is not None and element.text:
            found[key] = element.text
    if not found:
        return {}
    title = root.find(f".//{{{NS['dc']}}}title//{{http://www.w3.org/1999/02/22-rdf-syntax-ns#}}li")
    found["title"] = title.text if title is not None else ""
    found["pages"] = str(pages)
    return found
