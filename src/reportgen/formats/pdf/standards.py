"""The accessibility standards a PDF can be made to: one entry per ``--pdf-standard`` choice.

Like WeasyPrint's ``pdf.VARIANTS``: a name, what it changes, and the function (run on the
finished, repaired PDF) that makes the change. ``ua-1`` changes nothing: its files are the
ones reportgen has always made. ``ua-2`` is :mod:`reportgen.formats.pdf.ua2`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfStandard:
    name: str  # "ua-2": the --pdf-standard value
    label: str  # for help text and docs
    changes: str  # what the variant does on top of the PDF/UA-1 file
    finisher: str | None = None  # "module:function" taking (pikepdf.Pdf, recording), or None


PDF_STANDARDS: dict[str, PdfStandard] = {
    "ua-1": PdfStandard("ua-1", "PDF/UA-1 (ISO 14289-1), PDF 1.7", "nothing: the tagged PDF as always"),
    "ua-2": PdfStandard(
        "ua-2",
        "PDF/UA-2 (ISO 14289-2:2024) and WTPDF 1.0, PDF 2.0",
        "PDF 2.0 file; pdfuaid part 2 rev 2024 and WTPDF declared in XMP; structure tree in the "
        "PDF 2.0 namespace (role map for PDF 1.7 types); ListNumbering on lists; outline items "
        "and internal links with structure destinations",
        "reportgen.formats.pdf.ua2:apply_ua2",
    ),
}
