"""The tagged PDF of one edition: the print page, its fonts subset, laid out by WeasyPrint.

WeasyPrint may read only the publication's folder, reportgen's assets and the font cache
(:class:`~reportgen.formats.pdf.fetch.FolderFetcher`); a refused resource stops the render.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reportgen.content.load import display_path
from reportgen.errors import BuildError, OutOfTime, UnsafeResourceError
from reportgen.fonts import coverage
from reportgen.formats import EditionSource
from reportgen.formats.html import page
from reportgen.render.html import ASSETS_DIR, Medium

LOG = logging.getLogger("reportgen.formats.pdf")


def print_html(
    source: EditionSource, *, subset_fonts: bool | str = True, extra_css: str = ""
) -> tuple[str, list[Path]]:
    """The page WeasyPrint lays out, checked for glyph coverage, and the extra folders it reads.

    With ``subset_fonts`` the fonts worth it are cut down to the page's characters first
    (cached on disk, see :mod:`reportgen.fonts.subsets`) and the print CSS points at the
    subsets; ``"all"`` subsets every font. ``extra_css`` is laid over the print styles.
    """
    html = page(source, Medium.PRINT, extra_css=extra_css)
    coverage.check_coverage(html, source.lang, display_path(source.folder / "report.yaml"))
    if not subset_fonts:
        return html, []
    from reportgen.fonts import subsets  # fontTools: only when a PDF is made

    try:
        faces = subsets.document_faces(html, source.lang, every_font=subset_fonts == "all")
    except OSError as exc:  # an unwritable cache only costs time: WeasyPrint gets the full fonts
        LOG.warning("font subset cache unavailable (%s): using the full fonts", exc)
        return html, []
    if not faces:
        return html, []
    return page(source, Medium.PRINT, faces, extra_css), sorted({face.path.parent for face in faces})


def render(source: EditionSource, *, subset_fonts: bool | str = True, extra_css: str = "") -> bytes:
    """HTML for print → PDF/UA-1 bytes, reading only from the folder, the assets and the font cache."""
    from reportgen.formats.pdf import MissingGlyphError, html_to_pdf  # WeasyPrint: only when a PDF is made
    from reportgen.formats.pdf.fetch import FolderFetcher

    folder = source.folder
    html, font_roots = print_html(source, subset_fonts=subset_fonts, extra_css=extra_css)
    fetcher = FolderFetcher([folder, ASSETS_DIR, *font_roots])
    try:
        return html_to_pdf(
            html,
            base_url=folder.as_uri() + "/",
            url_fetcher=fetcher,
            title=str(source.report.title),
            lang=source.lang,
            standard=source.pdf_standard,
        )
    except MissingGlyphError as exc:
        raise BuildError(f"{display_path(folder)}: {exc}") from None
    except BaseException as exc:  # WeasyPrint's FatalURLFetchingError is a BaseException
        if fetcher.refused:
            raise UnsafeResourceError(
                f"{display_path(folder)}: the publication asks for a resource it may not use: "
                f"{fetcher.refused[0]} — put the file in the publication's folder"
            ) from None
        if isinstance(exc, (KeyboardInterrupt, SystemExit, OutOfTime)):
            raise
        raise BuildError(f"{display_path(folder)}: the PDF could not be made: {exc}") from exc
