"""The large print PDF: the tagged PDF of the edition, laid out for readers with low vision.

After UKAAF's guidance (G003 "Creating clear print and large print documents", MS03): the body
text at 18 pt (``REPORTGEN_LARGE_PRINT_PT`` may raise it; never below 16), headings larger,
sans serif, left aligned, no italics or underlining (emphasis in bold), generous spacing, A4,
tables that never shrink (a table of more than two columns becomes one record per row), charts
drawn again with their lettering at the body size, large page numbers. It is the same pipeline as the PDF (and passes the same PDF/UA-1 checks), with
``templates/assets/large-print.css`` over the print styles: not a photocopy-style enlargement.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from pathlib import Path

from pydantic import BaseModel

from reportgen import settings
from reportgen.content.load import display_path
from reportgen.content.model import Figure
from reportgen.errors import BuildError
from reportgen.formats import EditionSource
from reportgen.formats.pdf import edition
from reportgen.languages import Direction, find_language
from reportgen.render.html import read_asset

LOG = logging.getLogger("reportgen.formats.large_print")
SMALLEST_PT = 16.0  # UKAAF: large print is 16 pt or more
CONTENT_WIDTH_PT = (210 - 2 * 16) / 25.4 * 72  # A4 less the margins below: a picture's widest
FONT_SIZE = re.compile(r"font-size\s*[=:]\s*[\"']?\s*([0-9.]+)")
SVG_WIDTH = re.compile(r"<svg\b[^>]*?\bviewBox=[\"'][-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)")


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


def stylesheet(size: float, rtl: bool = False) -> str:
    """The large print styles for body text of ``size`` pt (``rtl``: the page number is on the left)."""
    footer = f"font-size: {size:g}pt; color: #212b32; font-weight: 700;"
    number, title = ("left", "right") if rtl else ("right", "left")
    return (
        f"html {{ font-size: {size:g}pt; }}\n"
        f"@page {{ size: A4; margin: 18mm 16mm {max(24, size * 1.6):g}mm; "
        f"@bottom-{title} {{ {footer} line-height: 1.3; }} @bottom-{number} {{ {footer} white-space: nowrap; }} }}\n"
        + read_asset("large-print.css")
    )


def _figures(node):
    if isinstance(node, Figure):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _figures(getattr(node, name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _figures(item)


def smallest_lettering(path: Path) -> float | None:
    """The smallest lettering of an SVG picture drawn across the page, in pt (None: no text, or not SVG)."""
    if path.suffix.lower() != ".svg":
        return None
    svg = path.read_text(encoding="utf-8", errors="replace")
    sizes = [float(size) for size in FONT_SIZE.findall(svg) if float(size) > 0]
    width = SVG_WIDTH.search(svg)
    if not sizes or not width or float(width.group(1)) <= 0:
        return None
    return min(sizes) * CONTENT_WIDTH_PT / float(width.group(1))


def unreadable_pictures(source: EditionSource) -> set[str]:
    """Pictures whose lettering would stay under 16 pt even across the page: given as their words."""
    unreadable = set()
    for figure in _figures(source.report):
        lettering = smallest_lettering((source.folder / figure.src).resolve())
        if lettering is not None and lettering < SMALLEST_PT:
            unreadable.add(figure.src)
            LOG.warning(
                "%s: in large print the picture %s is given as its text alternative: its smallest lettering "
                "would be %.1f pt across the page (at least %g pt is needed) — draw a version with larger lettering",
                display_path(source.folder / "report.yaml"),
                figure.src,
                lettering,
                SMALLEST_PT,
            )
    return unreadable


def render(source: EditionSource) -> bytes:
    size = body_size()
    extra = {
        "large_print": True,
        "large_print_unreadable": unreadable_pictures(source),
        # survey charts are drawn again so that their smallest lettering is the body size across the page
        "large_print_pt": size,
        "large_print_width_pt": CONTENT_WIDTH_PT,
    }
    large = dataclasses.replace(source, extra={**source.extra, **extra})
    rtl = find_language(source.lang).direction is Direction.RTL
    return edition.render(large, extra_css=stylesheet(size, rtl))
