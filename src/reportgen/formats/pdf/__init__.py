"""The PDF stage: HTML → accessible PDF (PDF/UA-1) with WeasyPrint 70.

Public API::

    html_to_pdf(html, *, base_url, url_fetcher=None, font_config=None, title, lang)
        -> bytes
    MissingGlyphError

:mod:`reportgen.formats.pdf.inspect` reads a finished PDF back (structure text, elements,
structural problems).

Modules:

* :mod:`.render` — WeasyPrint render with narrowly scoped overrides that record what
  WeasyPrint does not expose, and the ``finisher`` deciding Artifacts / ActualText;
* :mod:`.unicode` — glyph → text mapping (ToUnicode repair, ActualText);
* :mod:`.tagging` — structure tree repair on the finished PDF (pikepdf);
* :mod:`.inspect` — reading a tagged PDF back, checks.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time

from reportgen.formats.pdf.pages import fit_pages
from reportgen.formats.pdf.render import (
    Recording,
    check_weasyprint_version,
    find_artifacts,
    make_finisher,
    weasyprint_overrides,
)
from reportgen.formats.pdf.standards import PDF_STANDARDS
from reportgen.formats.pdf.tagging import repair_structure

__all__ = ["html_to_pdf", "MissingGlyphError"]

LOGGER = logging.getLogger("reportgen.formats.pdf")

PDF_VARIANT = "pdf/ua-1"
NOTDEF_MESSAGE = ".notdef glyph rendered"
MISSING_ALT_MESSAGE = "has no required alt description"


class MissingGlyphError(Exception):
    """Some characters have no glyph in any available font: no PDF is produced."""

    def __init__(self, characters):
        self.characters = tuple(characters)
        listed = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in self.characters)
        super().__init__(f"no font can draw these characters: {listed}")


class _WeasyPrintLog(logging.Handler):
    """Watches WeasyPrint's log during one render."""

    def __init__(self, recording):
        super().__init__(level=logging.WARNING)
        self.recording = recording
        self.missing = []

    def emit(self, record):
        message = str(record.msg)
        if message.startswith(NOTDEF_MESSAGE):
            char = record.args[0] if record.args else "?"
            if char not in self.missing:
                self.missing.append(char)

    def filter(self, record):  # used as a logger filter too
        # WeasyPrint reports decorative images (alt="") as missing their alt text:
        # we draw them as Artifacts, so that error is wrong; drop it.
        if MISSING_ALT_MESSAGE in str(record.msg) and record.args:
            return record.args[0] not in self.recording.decorative_sources
        return True


@contextlib.contextmanager
def _watch_weasyprint_log(recording):
    logger = logging.getLogger("weasyprint")
    watcher = _WeasyPrintLog(recording)
    old_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.addHandler(watcher)
    logger.addFilter(watcher)
    try:
        yield watcher
    finally:
        logger.removeFilter(watcher)
        logger.removeHandler(watcher)
        logger.setLevel(old_level)


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector paused while one document is laid out and drawn.

    Layout makes millions of short-lived objects; each collection of the oldest generation then
    walks every object the warm process keeps (fonts, parsed stylesheets, templates), which took
    about a sixth of the survey's PDF time. Nearly everything a layout makes is freed by reference
    counting as it goes (the peak memory of a survey build is the same either way, measured); the
    collector runs again as soon as the document is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(
    html: str,
    *,
    base_url: str,
    url_fetcher=None,
    font_config=None,
    title: str,
    lang: str,
    standard: str = "ua-1",
) -> bytes:
    """Render HTML to an accessible PDF/UA-1 document and return its bytes.

    ``title`` becomes the document title (Info /Title, XMP dc:title, shown in the
    title bar); ``lang`` the document language (catalog /Lang). ``url_fetcher`` and
    ``font_config`` are passed to WeasyPrint. Raises :class:`MissingGlyphError` if
    any character had to be drawn as .notdef. ``standard`` is a name in
    :data:`~reportgen.formats.pdf.standards.PDF_STANDARDS`.
    """
    check_weasyprint_version()
    import weasyprint

    if not title or not title.strip():
        raise ValueError("a PDF needs a title")
    if not lang or not lang.strip():
        raise ValueError("a PDF needs a language")

    if standard not in PDF_STANDARDS:
        raise ValueError(f"unknown PDF standard {standard!r} — choose from: {', '.join(PDF_STANDARDS)}")
    started = time.perf_counter()
    recording = Recording()
    with _collector_paused(), _watch_weasyprint_log(recording) as log:
        source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)

        def layout(extra_css: str = ""):
            sheets = [weasyprint.CSS(string=extra_css, font_config=font_config)] if extra_css else None
            return source.render(font_config=font_config, pdf_variant=PDF_VARIANT, stylesheets=sheets)

        document = fit_pages(layout(), layout)  # no page holding only a few lines, where layout can help
        document.metadata.title = title
        document.metadata.lang = lang
        find_artifacts(document, recording)
        with weasyprint_overrides(recording):
            pdf_bytes = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=make_finisher(recording))
    missing = list(dict.fromkeys(log.missing + recording.missing))
    if missing:
        raise MissingGlyphError(missing)
    rendered = time.perf_counter()
    with _collector_paused():
        result = repair_structure(pdf_bytes, recording, lang=lang, standard=PDF_STANDARDS[standard])
    LOGGER.info(
        "PDF %r: %d pages, %d bytes, %d runs with ActualText; render %.2fs, structure repair %.2fs",
        title,
        len(document.pages),
        len(result),
        recording.actual_texts,
        rendered - started,
        time.perf_counter() - rendered,
    )
    return result
