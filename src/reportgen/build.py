"""Build: strings the stages together for one publication, and writes the results.

load → model → render → (font coverage) → pdf → write. Everything for every requested
language and format is produced in memory and checked first; files are written only when
all of it succeeded, each through a temporary file and a rename, so a failed build leaves
no half-written output.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from . import fonts
from .errors import BuildError, InputError, UnsafeResourceError
from .fetch import FolderFetcher
from .load import display_path
from .locales import find_language
from .model import Report, load_report
from .render import ASSETS_DIR, Target, render_html

LOG = logging.getLogger("reportgen.build")


class Format(str, Enum):
    HTML = "html"
    PDF = "pdf"


FORMATS = {f.value: f for f in Format}


@dataclass(frozen=True)
class Output:
    lang: str
    format: Format
    path: Path
    size: int


@dataclass(frozen=True)
class BuildResult:
    report_id: str
    title: str
    outputs: tuple[Output, ...]


def output_name(report: Report, lang: str, fmt: Format) -> str:
    return f"{report.id}.{lang}.{fmt.value}"


def _languages(report: Report, requested: list[str] | None, source: str) -> list[str]:
    tags = []
    for tag in requested or [report.language]:
        lang = find_language(tag)
        if lang is None:
            raise InputError.single(source, f"unknown language '{tag}' — try --lang {report.language}")
        if lang.tag != report.language:
            raise InputError.single(
                source,
                f"there is no {lang.english_name} ({lang.tag}) translation of this publication yet — "
                f"build --lang {report.language}, or request a translation first",
            )
        tags.append(lang.tag)
    return tags


def render_pdf(report: Report, folder: Path, lang: str) -> bytes:
    """HTML for print → PDF/UA-1 bytes, reading only from the folder and the assets."""
    from .pdf import MissingGlyphError, html_to_pdf

    html = render_html(report, folder, lang=lang, target=Target.PDF)
    fonts.check_coverage(html, lang, display_path(folder / "report.yaml"))
    fetcher = FolderFetcher([folder, ASSETS_DIR])
    try:
        return html_to_pdf(
            html,
            base_url=folder.as_uri() + "/",
            url_fetcher=fetcher,
            title=report.title,
            lang=lang,
        )
    except MissingGlyphError as exc:
        raise BuildError(f"{display_path(folder)}: {exc}") from None
    except BaseException as exc:  # WeasyPrint's FatalURLFetchingError is a BaseException
        if fetcher.refused:
            raise UnsafeResourceError(
                f"{display_path(folder)}: the publication asks for a resource it may not use: "
                f"{fetcher.refused[0]} — put the file in the publication's folder"
            ) from None
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise BuildError(f"{display_path(folder)}: the PDF could not be made: {exc}") from exc


def build_report(
    folder: str | Path,
    *,
    langs: list[str] | None = None,
    formats: list[Format] | None = None,
    out_dir: str | Path = "out",
) -> BuildResult:
    """Build one publication in the given languages and formats into ``out_dir/<id>/``."""
    folder = Path(folder)
    report, raw = load_report(folder)
    folder = raw.folder
    source = display_path(raw.source)
    formats = formats or [Format.HTML, Format.PDF]
    pending: list[tuple[str, Format, bytes]] = []
    for lang in _languages(report, langs, source):
        if Format.HTML in formats:
            html = render_html(report, folder, lang=lang, target=Target.HTML)
            fonts.check_coverage(html, lang, source)
            pending.append((lang, Format.HTML, html.encode("utf-8")))
        if Format.PDF in formats:
            pending.append((lang, Format.PDF, render_pdf(report, folder, lang)))
    target_dir = Path(out_dir) / report.id
    outputs = tuple(
        Output(lang, fmt, write_atomically(target_dir / output_name(report, lang, fmt), data), len(data))
        for lang, fmt, data in pending
    )
    LOG.info("built %s: %d file(s)", report.id, len(outputs))
    return BuildResult(report.id, report.title, outputs)


def write_atomically(path: Path, data: bytes) -> Path:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
