"""The web page: one self-contained HTML file (images embedded), checked for glyph coverage."""

from __future__ import annotations

from reportgen.fonts import coverage
from reportgen.formats import EditionSource
from reportgen.render.html import Medium, render_html


def render(source: EditionSource) -> bytes:
    html = render_html(
        source.report,
        source.folder,
        lang=source.lang,
        medium=Medium.SCREEN,
        untranslated=source.untranslated,
        extra=source.extra,
    )
    coverage.check_coverage(html, source.lang, source.source)
    return html.encode("utf-8")
