"""The web page: one self-contained HTML file (images embedded), checked for glyph coverage."""

from __future__ import annotations

from reportgen.fonts import coverage
from reportgen.formats import EditionSource
from reportgen.render.html import Medium, render_html


def page(source: EditionSource, medium: Medium, font_faces=None, extra_css: str = "") -> str:
    """The edition as one HTML page for ``medium`` (every format that starts from HTML uses this)."""
    return render_html(
        source.report,
        source.folder,
        lang=source.lang,
        medium=medium,
        untranslated=source.untranslated,
        extra=source.extra,
        font_faces=font_faces,
        extra_css=extra_css,
    )


def render(source: EditionSource) -> bytes:
    html = page(source, Medium.SCREEN)
    coverage.check_coverage(html, source.lang, source.source)
    return html.encode("utf-8")
