"""Build: strings the stages together for one publication, and writes the results.

load → model → render → (font coverage) → pdf → write. Everything for every requested
language and format is produced in memory and checked first; files are written only when
all of it succeeded, each through a temporary file and a rename, so a failed build leaves
no half-written output.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from . import fonts
from .errors import BuildError, InputError, Problem, UnsafeResourceError
from .fetch import FolderFetcher
from .load import display_path
from .locales import LANGUAGES, find_language
from .model import Report, load_report
from .render import ASSETS_DIR, Target, render_html
from .write import write_atomically

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
    changed: bool = True  # False when the file already held exactly these bytes


@dataclass(frozen=True)
class BuildResult:
    report_id: str
    title: str
    outputs: tuple[Output, ...]
    untranslated: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang → source texts shown instead


@dataclass(frozen=True)
class Edition:
    """One language of a publication, built in memory: nothing is written."""

    lang: str
    report: Report  # the localised publication
    html: str | None  # the web page (None when not asked for)
    pdf: bytes | None  # PDF/UA-1 (None when not asked for)
    untranslated: tuple[str, ...] = ()


def output_name(report: Report, lang: str, fmt: Format, variant: str | None = None) -> str:
    return f"{report.id}.{variant}.{lang}.{fmt.value}" if variant else f"{report.id}.{lang}.{fmt.value}"


def languages_to_build(report: Report, requested: list[str] | None, source: str) -> list[str]:
    """The languages to build: as asked, or 'all' = the source and every translated language."""
    from .catalogs import po_path

    if requested and "all" in requested:
        return [report.language] + [t for t in LANGUAGES if t != report.language and po_path(t, report.id).exists()]
    tags = []
    for tag in requested or [report.language]:
        lang = find_language(tag)
        if lang is None:
            raise InputError.single(source, f"unknown language '{tag}' — choose from: {', '.join(LANGUAGES)} or all")
        tags.append(lang.tag)
    return tags


def localise(report: Report, lang: str, *, allow_partial: bool, source: str, raw=None):
    """The publication in ``lang``: translated content, or an error listing what is missing."""
    from .catalogs import UI_DOMAIN, content_lookup, missing_ui, po_path
    from .load import pointer
    from .translate import translate_report

    if lang == report.language:
        return report, ()
    lookup = content_lookup(lang, report.id)  # first: no catalog at all is the likelier news
    ui_missing = missing_ui(lang)
    if ui_missing:
        name = find_language(lang).english_name
        raise InputError.single(
            display_path(po_path(lang, UI_DOMAIN)),
            f"{len(ui_missing)} of reportgen's own labels are not translated into {name} ({lang}), e.g. "
            f"{ui_missing[0]!r} — the page furniture must be complete: translate translations/"
            f"{po_path(lang, UI_DOMAIN).parent.parent.name}/LC_MESSAGES/ui.po (reportgen translate request)",
        )
    translation = translate_report(report, lookup, lang)
    if translation.missing and not allow_partial:
        name = find_language(lang).english_name
        problems = tuple(
            Problem(source, raw.line_of(unit.path) if raw else None, pointer(unit.path),
                    f"not translated into {name}: {unit.text[:60]!r}")
            for unit in translation.missing
        )
        raise InputError(
            f"{source}: {len(problems)} passage(s) have no {name} ({lang}) translation — nothing was built. "
            "Translate them (reportgen translate request), or build with --allow-partial to show them in English",
            problems[:20],
        )
    if translation.missing:
        LOG.warning("%s: %d passage(s) shown in %s because they are not translated into %s",
                    report.id, len(translation.missing), report.language, lang)
    return translation.report, tuple(unit.text for unit in translation.missing)


def print_html(report: Report, folder: Path, lang: str, untranslated: int = 0, extra: dict | None = None,
               *, subset_fonts: bool = True) -> tuple[str, list[Path]]:
    """The page WeasyPrint lays out, checked for glyph coverage, and the extra folders it reads.

    With ``subset_fonts`` the fonts are cut down to the page's characters first (cached on
    disk, see :mod:`reportgen.fontcache`) and the print CSS points at the subsets.
    """
    html = render_html(report, folder, lang=lang, target=Target.PDF, untranslated=untranslated, extra=extra)
    fonts.check_coverage(html, lang, display_path(folder / "report.yaml"))
    if not subset_fonts:
        return html, []
    from . import fontcache

    try:
        faces = fontcache.document_faces(html, lang)
    except OSError as exc:  # an unwritable cache only costs time: WeasyPrint gets the full fonts
        LOG.warning("font subset cache unavailable (%s): using the full fonts", exc)
        return html, []
    html = render_html(report, folder, lang=lang, target=Target.PDF, untranslated=untranslated, extra=extra,
                       font_faces=faces)
    return html, sorted({face.path.parent for face in faces})


def render_pdf(report: Report, folder: Path, lang: str, untranslated: int = 0, extra: dict | None = None,
               *, subset_fonts: bool = True) -> bytes:
    """HTML for print → PDF/UA-1 bytes, reading only from the folder, the assets and the font cache."""
    from .pdf import MissingGlyphError, html_to_pdf

    html, font_roots = print_html(report, folder, lang, untranslated, extra, subset_fonts=subset_fonts)
    fetcher = FolderFetcher([folder, ASSETS_DIR, *font_roots])
    try:
        return html_to_pdf(
            html,
            base_url=folder.as_uri() + "/",
            url_fetcher=fetcher,
            title=str(report.title),
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


def build_edition(report: Report, raw, lang: str, *, allow_partial: bool = False) -> Edition:
    """Translate, render and check one language of a loaded publication; return the bytes.

    For callers that store the result elsewhere (``publish``); raises like :func:`build_report`.
    """
    from .datasets import prepare_variant

    chosen = prepare_variant(report, raw, None)  # a survey report: its own trust
    localised = localise(report, lang, allow_partial=allow_partial, source=display_path(raw.source), raw=raw)
    return _render_edition(raw, chosen, lang, localised, (Format.HTML, Format.PDF))


def _render_edition(raw, chosen, lang: str, localised, formats) -> Edition:
    """One localised edition of the chosen variant as HTML and/or PDF (None for a format not asked)."""
    edition, missing = localised
    edition = chosen.specialise(edition)
    extra = chosen.context(lang)
    html = pdf = None
    if Format.HTML in formats:
        html = render_html(edition, raw.folder, lang=lang, target=Target.HTML, untranslated=len(missing), extra=extra)
        fonts.check_coverage(html, lang, display_path(raw.source))
    if Format.PDF in formats:
        pdf = render_pdf(edition, raw.folder, lang, untranslated=len(missing), extra=extra)
    return Edition(lang, edition, html, pdf, tuple(missing))


def build_report(
    folder: str | Path,
    *,
    langs: list[str] | None = None,
    formats: list[Format] | None = None,
    out_dir: str | Path = "out",
    allow_partial: bool = False,
    variant: dict[str, str] | None = None,
) -> BuildResult:
    """Build one publication in the given languages and formats into ``out_dir/<id>/``.

    ``variant`` picks one value of the publication's data, e.g. ``{"trust": "RT5"}`` for the
    survey report (see :mod:`reportgen.datasets`). Every language is translated and rendered
    (and checked) before anything is written; a file whose bytes would not change is not
    rewritten.
    """
    from .datasets import prepare_variant

    folder = Path(folder)
    report, raw = load_report(folder)
    folder = raw.folder
    source = display_path(raw.source)
    formats = formats or [Format.HTML, Format.PDF]
    chosen = prepare_variant(report, raw, variant)
    pending: list[tuple[str, Format, bytes]] = []
    localised = {lang: localise(report, lang, allow_partial=allow_partial, source=source, raw=raw)
                 for lang in languages_to_build(report, langs, source)}
    for lang, pair in localised.items():
        made = _render_edition(raw, chosen, lang, pair, formats)
        if made.html is not None:
            pending.append((lang, Format.HTML, made.html.encode("utf-8")))
        if made.pdf is not None:
            pending.append((lang, Format.PDF, made.pdf))
    target_dir = Path(out_dir) / report.id
    outputs = tuple(
        _write(target_dir / output_name(report, lang, fmt, chosen.name), data, lang, fmt)
        for lang, fmt, data in pending
    )
    LOG.info("built %s: %d file(s)", report.id, len(outputs))
    return BuildResult(report.id, report.title, outputs,
                       {lang: missing for lang, (_edition, missing) in localised.items() if missing})


def _write(path: Path, data: bytes, lang: str, fmt: Format) -> Output:
    """Write a file unless it already holds exactly these bytes (builds are reproducible)."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return Output(lang, fmt, path, len(data), changed=False)
    return Output(lang, fmt, write_atomically(path, data), len(data))
