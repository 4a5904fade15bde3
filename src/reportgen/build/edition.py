"""One language of a publication, made in memory: translate, specialise, render every format.

Nothing here writes a file. :func:`build_language` is what a worker does for one task;
:func:`build_edition` is what ``check`` and ``publish`` use to get the very bytes they judge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import formats as registry
from reportgen.build import stamps
from reportgen.content.load import REPORT_FILE, display_path, pointer
from reportgen.errors import Finding, InputError
from reportgen.i18n.paths import UI_DOMAIN, po_path
from reportgen.languages import LANGUAGES, find_language

if TYPE_CHECKING:
    from reportgen.content.model import Report

LOG = logging.getLogger("reportgen.build")


def load_report(folder):
    """:func:`reportgen.content.model.load_report`, imported when first needed: a build with nothing to
    do never loads the content model (pydantic) or the templates."""
    from reportgen.content.model import load_report as load

    return load(folder)


@dataclass(frozen=True)
class Edition:
    """One language of a publication, built in memory: nothing is written."""

    lang: str
    report: Report  # the localised publication
    files: dict[str, bytes]  # format name → the file's bytes, for the formats asked for
    untranslated: tuple[str, ...] = ()

    def text(self, fmt: str) -> str:
        """A text format's file as text (e.g. the HTML page)."""
        return self.files[fmt].decode("utf-8")


def languages_to_build(report: Report, requested: Iterable[str] | None, source: str) -> list[str]:
    """The languages to build: as asked, or 'all' = the source and every translated language."""
    return resolve_languages(report.id, report.language, requested, source)


def resolve_languages(report_id: str, language: str, requested: Iterable[str] | None, source: str) -> list[str]:
    requested = list(requested or [])
    if "all" in requested:
        return [language] + [t for t in LANGUAGES if t != language and po_path(t, report_id).exists()]
    tags = []
    for tag in requested or [language]:
        lang = find_language(tag)
        if lang is None:
            raise InputError.single(source, f"unknown language '{tag}' — choose from: {', '.join(LANGUAGES)} or all")
        tags.append(lang.tag)
    return tags


def localise(report: Report, lang: str, *, allow_partial: bool, source: str, raw=None):
    """(the publication in ``lang``, the source texts shown untranslated), or an error listing what is missing."""
    from reportgen.i18n.catalogs import content_lookup, missing_ui  # Babel: only when translating
    from reportgen.i18n.translate import translate_report

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
            Finding(
                source,
                raw.line_of(unit.path) if raw else None,
                pointer(unit.path),
                f"not translated into {name}: {unit.text[:60]!r}",
            )
            for unit in translation.missing
        )
        raise InputError(
            f"{source}: {len(problems)} passage(s) have no {name} ({lang}) translation — nothing was built. "
            "Translate them (reportgen translate request), or build with --allow-partial to show them in English",
            problems[:20],
        )
    if translation.missing:
        LOG.warning(
            "%s: %d passage(s) shown in %s because they are not translated into %s",
            report.id,
            len(translation.missing),
            report.language,
            lang,
        )
    return translation.report, tuple(unit.text for unit in translation.missing)


def render_formats(raw, chosen, lang: str, localised, formats: Iterable[str], *, pdf_standard: str = "ua-1") -> Edition:
    """One localised edition of the chosen variant in each of ``formats``."""
    report, missing = localised
    source = registry.EditionSource(
        chosen.specialise(report),
        raw.folder,
        display_path(raw.source),
        lang,
        len(missing),
        chosen.context(lang),
        pdf_standard,
    )
    files = {name: registry.get(name).render(source) for name in formats}
    return Edition(lang, source.report, files, tuple(missing))


def build_edition(report: Report, raw, lang: str, *, allow_partial: bool = False, formats=None) -> Edition:
    """Translate, render and check one language of a loaded publication, in the default formats
    (or ``formats``); return the bytes. For callers that judge or store the result (check, publish)."""
    from reportgen.survey.variants import prepare_variant

    chosen = prepare_variant(report, raw, None)  # a survey report: its own trust
    localised = localise(report, lang, allow_partial=allow_partial, source=display_path(raw.source), raw=raw)
    names = formats or [name for name, fmt in registry.FORMATS.items() if fmt.by_default]
    return render_formats(raw, chosen, lang, localised, names)


def build_language(
    folder: str | Path,
    lang: str,
    formats: Iterable[str],
    *,
    variant=None,
    allow_partial: bool = False,
    pdf_standard: str = "ua-1",
) -> Edition:
    """One language of a publication, in memory: what a worker does for one task."""
    from reportgen.survey.variants import prepare_variant

    report, raw = load_once(Path(folder))
    source = display_path(raw.source)
    chosen = prepare_variant(report, raw, variant)
    localised = localise(report, lang, allow_partial=allow_partial, source=source, raw=raw)
    return render_formats(raw, chosen, lang, localised, tuple(formats), pdf_standard=pdf_standard)


_LOADED: dict = {}  # (folder, its files' digests) → (report, raw), in this process


def load_once(folder: Path):
    """The loaded publication, read and checked once per process while none of its files changes.

    A worker (or a serial build) makes one language after another of the same publication;
    like a single build, they share one loaded report (translation never changes it).
    """
    if folder.name == REPORT_FILE and folder.is_file():  # load_report takes the file too
        folder = folder.parent
    key = (str(folder.resolve()), tuple(stamps.publication_inputs(folder).items()))
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = load_report(folder)
    return _LOADED[key]
