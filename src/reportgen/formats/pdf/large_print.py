"""The large print PDF: the tagged PDF of the edition, laid out for readers with low vision.

After UKAAF's guidance (G003 "Creating clear print and large print documents", MS03): the body
text at 18 pt (``REPORTGEN_LARGE_PRINT_PT`` may raise it; never below 16), headings larger,
sans serif, left aligned, no italics or underlining (emphasis in bold), generous spacing, A4,
tables that never shrink (a table of more than two columns becomes one record per row), large
page numbers. It is the same pipeline as the PDF (and passes the same PDF/UA-1 checks), with
``templates/assets/large-print.css`` over the print styles: not a photocopy-style enlargement.
"""

from __future__ import annotations

import dataclasses
import math

from reportgen import settings
from reportgen.errors import BuildError
from reportgen.formats import EditionSource
from reportgen.formats.pdf import edition
from reportgen.render.html import read_asset

SMALLEST_PT = 16.0  # UKAAF: large print is 16 pt or more


def body_size() -> float:
    """The body text size in pt from the settings; refused clearly if not a number or below 16."""
    size = settings.current().large_print_pt
    if isinstance(size, str) or not math.isfinite(size):
        raise BuildError(
            f"REPORTGEN_LARGE_PRINT_PT is '{size}' — give the large print text size as a number of points, e.g. 18"
        )
    if size < SMALLEST_PT:
        raise BuildError(
            f"REPORTGEN_LARGE_PRINT_PT is {size:g} — large print text must be at least {SMALLEST_PT:g} pt "
            "(UKAAF guidance); leave it unset for 18 pt"
        )
    return float(size)


def stylesheet(size: float) -> str:
    """The large print styles for body text of ``size`` pt."""
    footer = f"font-size: {size:g}pt; color: #212b32; font-weight: 700;"
    return (
        f"html {{ font-size: {size:g}pt; }}\n"
        f"@page {{ size: A4; margin: 18mm 16mm {max(24, size * 1.6):g}mm; "
        f"@bottom-left {{ {footer} }} @bottom-right {{ {footer} }} }}\n" + read_asset("large-print.css")
    )


def render(source: EditionSource) -> bytes:
    size = body_size()
    large = dataclasses.replace(source, extra={**source.extra, "large_print": True})
    return edition.render(large, extra_css=stylesheet(size))
