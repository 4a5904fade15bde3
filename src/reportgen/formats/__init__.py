"""Output formats: the one registry every command reads.

Each format reportgen can make is one :class:`OutputFormat` in :data:`FORMATS`: its name (as
typed after ``--format``), file suffix, media type, a short label for people, the function that
turns one localised edition into bytes, whether ``publish`` archives it, and which output checks
apply to it. The CLI's ``--format`` choices and help, the web app's download links, the batch,
the incremental stamps and ``check`` all iterate over this registry, so a new format is one module
with a renderer and one :func:`register` call.

Renderers are named by a dotted path (``"module:function"``) and imported when first used: a
build with nothing to do must not import WeasyPrint. A test may register a callable directly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportgen.content.model import Report


@dataclass(frozen=True)
class EditionSource:
    """What a renderer is given: one publication, already in ``lang``, and its folder."""

    report: Report  # translated, and specialised to its variant (e.g. one trust)
    folder: Path  # the publication's folder: the only place its files may come from
    source: str  # report.yaml as shown in messages
    lang: str
    untranslated: int = 0  # passages shown in the source language (the page says so)
    extra: dict[str, Any] = field(default_factory=dict)  # template variables from the data
    pdf_standard: str = "ua-1"  # a name in reportgen.formats.pdf.standards.PDF_STANDARDS


Renderer = Callable[[EditionSource], bytes]


@dataclass(frozen=True)
class OutputFormat:
    """One kind of file reportgen makes from a publication."""

    name: str  # "pdf": --format value, and the last part of the file name
    title: str  # "PDF": what people call it, in links and lists
    label: str  # "tagged PDF (PDF/UA-1)": for help text
    media_type: str
    renderer: str | Renderer  # "package.module:function", or the function itself
    archived: bool = False  # publish keeps it in the archive (made PDF/A-3a: the PDF only, today)
    by_default: bool = False  # built when no --format is given
    checks: tuple[str, ...] = ()  # output checks that apply (see reportgen.check.outputs.CHECKS)
    relative_cost: float = 1.0  # seconds per 20 kB of report.yaml, to schedule before a first build
    file_suffix: str | None = None  # end of the file name if not the name: "large-print.pdf", braille: "brf"
    always_checked: bool = True  # check and publish build it to run its checks (False: slow, only when built)
    settings: tuple[str, ...] = ()  # Settings fields that shape its bytes: stamped, so a change rebuilds it
    # "module:function" (lang → why it cannot be made in that language, or None); None: every language
    unavailable: str | None = None

    @property
    def suffix(self) -> str:
        return "." + (self.file_suffix or self.name)

    def render(self, source: EditionSource) -> bytes:
        return self.load()(source)

    def why_not(self, lang: str) -> str | None:
        """Why this format cannot be made in ``lang`` (e.g. no braille table), or None if it can."""
        if self.unavailable is None:
            return None
        module, _, function = self.unavailable.partition(":")
        return getattr(importlib.import_module(module), function)(lang)

    def load(self) -> Renderer:
        if callable(self.renderer):
            return self.renderer
        module, _, function = self.renderer.partition(":")
        return getattr(importlib.import_module(module), function)


FORMATS: dict[str, OutputFormat] = {}


def register(fmt: OutputFormat) -> OutputFormat:
    """Add a format (or replace one of the same name); returns it."""
    FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    FORMATS.pop(name, None)


def get(name: str) -> OutputFormat:
    """The format called ``name``; KeyError names the choices."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} — choose from: {', '.join(FORMATS)}") from None


def names() -> list[str]:
    return list(FORMATS)


def output_name(report_id: str, lang: str, fmt: str, variant: str | None = None) -> str:
    """``<id>[.<variant>].<lang>.<format>``: the one spelling of an output file's name."""
    stem = f"{report_id}.{variant}" if variant else report_id
    return f"{stem}.{lang}{get(fmt).suffix}"


register(
    OutputFormat(
        "html",
        "Web page",
        "accessible web page (WCAG 2.2 AA)",
        "text/html; charset=utf-8",
        "reportgen.formats.html:render",
        by_default=True,
        checks=("html-structure", "axe"),
        relative_cost=1.0,
    )
)
register(
    OutputFormat(
        "pdf",
        "PDF",
        "tagged PDF (PDF/UA-1)",
        "application/pdf",
        "reportgen.formats.pdf.edition:render",
        archived=True,
        by_default=True,
        checks=("pdf-structure", "pdf-ua", "pdf-pages"),
        relative_cost=10.0,
    )
)
register(
    OutputFormat(
        "txt",
        "Plain text",
        "plain text (UTF-8), for email and screen readers",
        "text/plain; charset=utf-8",
        "reportgen.formats.text:render",
        relative_cost=1.0,
    )
)
register(
    OutputFormat(
        "large-print",
        "Large print PDF",
        "large print PDF (18 pt, after UKAAF guidance; PDF/UA-1)",
        "application/pdf",
        "reportgen.formats.pdf.large_print:render",
        checks=("pdf-structure", "pdf-ua", "pdf-pages"),
        relative_cost=12.0,
        file_suffix="large-print.pdf",
        always_checked=False,
        settings=("large_print_pt",),
    )
)
register(
    OutputFormat(
        "braille",
        "Braille (BRF)",
        "braille ready file (BRF, 40 cells x 25 lines; English in UEB grade 2)",
        "application/x-brf",
        "reportgen.formats.braille:render",
        file_suffix="brf",
        unavailable="reportgen.formats.braille:unavailable",
        always_checked=False,
        relative_cost=0.5,
    )
)
register(
    OutputFormat(
        "braille-proof",
        "Braille proof (text)",
        "the braille translated back into print, page by page, for a sighted check",
        "text/plain; charset=utf-8",
        "reportgen.formats.braille:render_proof",
        file_suffix="brf.txt",
        unavailable="reportgen.formats.braille:unavailable",
        always_checked=False,
        relative_cost=0.5,
    )
)
register(
    OutputFormat(
        "epub",
        "EPUB",
        "e-book (EPUB 3.3, EPUB Accessibility 1.1, WCAG 2.2 AA)",
        "application/epub+zip",
        "reportgen.formats.epub:render",
        always_checked=False,
        relative_cost=11.0,  # the print PDF is laid out too, for its page numbers
    )
)
