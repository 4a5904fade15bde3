"""Build: strings the stages together for one publication, and writes the results.

load → model → render → (font coverage) → pdf → write. Everything for every requested
language and format is produced in memory and checked first; files are written only when
all of it succeeded, each through a temporary file and a rename, so a failed build leaves
no half-written output.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.content.load import display_path
from reportgen.errors import BuildError, Finding, InputError, ReportgenError, UnsafeResourceError
from reportgen.files import write_atomically
from reportgen.fonts import coverage as fonts
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE, find_language

if TYPE_CHECKING:
    from reportgen.content.model import Report

LOG = logging.getLogger("reportgen.build")


def load_report(folder):
    """:func:`reportgen.content.model.load_report`, imported when first needed: a build with nothing to
    do never loads the content model (pydantic) or the templates."""
    from reportgen.content.model import load_report as load

    return load(folder)


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
    skipped: bool = False  # True when its inputs had not changed: it was not built at all
    reason: str = ""  # why it was built ("report.yaml changed") or skipped ("up to date")


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
    return _languages(report.id, report.language, requested, source)


def _languages(report_id: str, language: str, requested: list[str] | None, source: str) -> list[str]:
    from reportgen.i18n.catalogs import po_path

    if requested and "all" in requested:
        return [language] + [t for t in LANGUAGES if t != language and po_path(t, report_id).exists()]
    tags = []
    for tag in requested or [language]:
        lang = find_language(tag)
        if lang is None:
            raise InputError.single(source, f"unknown language '{tag}' — choose from: {', '.join(LANGUAGES)} or all")
        tags.append(lang.tag)
    return tags


def localise(report: Report, lang: str, *, allow_partial: bool, source: str, raw=None):
    """The publication in ``lang``: translated content, or an error listing what is missing."""
    from reportgen.content.load import pointer
    from reportgen.i18n.catalogs import UI_DOMAIN, content_lookup, missing_ui, po_path
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


def print_html(
    report: Report,
    folder: Path,
    lang: str,
    untranslated: int = 0,
    extra: dict | None = None,
    *,
    subset_fonts: bool | str = True,
) -> tuple[str, list[Path]]:
    """The page WeasyPrint lays out, checked for glyph coverage, and the extra folders it reads.

    With ``subset_fonts`` the fonts worth it are cut down to the page's characters first
    (cached on disk, see :mod:`reportgen.fonts.subsets`) and the print CSS points at the
    subsets; ``"all"`` subsets every font.
    """
    from reportgen.render.html import Target, render_html

    html = render_html(report, folder, lang=lang, target=Target.PDF, untranslated=untranslated, extra=extra)
    fonts.check_coverage(html, lang, display_path(folder / "report.yaml"))
    if not subset_fonts:
        return html, []
    from reportgen.fonts import subsets as fontcache

    try:
        faces = fontcache.document_faces(html, lang, every_font=subset_fonts == "all")
    except OSError as exc:  # an unwritable cache only costs time: WeasyPrint gets the full fonts
        LOG.warning("font subset cache unavailable (%s): using the full fonts", exc)
        return html, []
    if not faces:
        return html, []
    html = render_html(
        report, folder, lang=lang, target=Target.PDF, untranslated=untranslated, extra=extra, font_faces=faces
    )
    return html, sorted({face.path.parent for face in faces})


def render_pdf(
    report: Report,
    folder: Path,
    lang: str,
    untranslated: int = 0,
    extra: dict | None = None,
    *,
    subset_fonts: bool | str = True,
) -> bytes:
    """HTML for print → PDF/UA-1 bytes, reading only from the folder, the assets and the font cache."""
    from reportgen.formats.pdf import MissingGlyphError, html_to_pdf
    from reportgen.formats.pdf.fetch import FolderFetcher  # imports WeasyPrint: only when a PDF is made
    from reportgen.render.html import ASSETS_DIR

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
    from reportgen.survey.variants import prepare_variant

    chosen = prepare_variant(report, raw, None)  # a survey report: its own trust
    localised = localise(report, lang, allow_partial=allow_partial, source=display_path(raw.source), raw=raw)
    return _render_edition(raw, chosen, lang, localised, (Format.HTML, Format.PDF))


def _render_edition(raw, chosen, lang: str, localised, formats) -> Edition:
    """One localised edition of the chosen variant as HTML and/or PDF (None for a format not asked)."""
    from reportgen.render.html import Target, render_html

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


def build_language(
    folder: str | Path, lang: str, formats, *, variant: dict[str, str] | None = None, allow_partial: bool = False
) -> Edition:
    """One language of a publication, in memory: what a worker does for one task."""
    from reportgen.survey.variants import prepare_variant

    report, raw = _load_once(Path(folder))
    source = display_path(raw.source)
    chosen = prepare_variant(report, raw, variant)
    localised = localise(report, lang, allow_partial=allow_partial, source=source, raw=raw)
    return _render_edition(raw, chosen, lang, localised, tuple(formats))


_LOADED: dict = {}  # (folder, its files' digests) → (report, raw), in this process


def _load_once(folder: Path):
    """The loaded publication, read and checked once per process while none of its files changes.

    A worker (or a serial build) makes one language after another of the same publication;
    like a single build, they share one loaded report (translation never changes it).
    """
    from reportgen.build import stamps as incremental
    from reportgen.content.load import REPORT_FILE

    if folder.name == REPORT_FILE and folder.is_file():  # load_report takes the file too
        folder = folder.parent
    key = (str(folder.resolve()), tuple(incremental.publication_inputs(folder).items()))
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = load_report(folder)
    return _LOADED[key]


@dataclass
class _Plan:
    """One publication to build: what each of its files needs, decided before any work."""

    folder: Path
    report_id: str
    title: str
    variant: dict[str, str] | None
    variant_name: str | None
    formats: list[Format]
    allow_partial: bool
    target_dir: Path
    langs: list[str]
    inputs: dict = field(default_factory=dict)  # (lang, format) → inputs
    decisions: dict = field(default_factory=dict)  # (lang, format) → incremental.Decision

    def path(self, lang: str, fmt: Format) -> Path:
        name = self.report_id if not self.variant_name else f"{self.report_id}.{self.variant_name}"
        return self.target_dir / f"{name}.{lang}.{fmt.value}"

    @property
    def up_to_date(self) -> bool:
        return all(decision.fresh for decision in self.decisions.values())


def _plan(folder: str | Path, *, langs, formats, out_dir, allow_partial, variant, force) -> _Plan:
    """Decide which files are up to date (no rendering), checking the publication when any is not.

    When every file is up to date, the publication is not validated again: its files are
    byte for byte those of a build that passed (the stamps say so), so only its id,
    language and title are read. Otherwise it is loaded and checked in full.
    """
    from reportgen.survey.variants import AXES, default_variant_name

    folder = Path(folder)
    unknown = [axis for axis in variant or {} if axis not in AXES]
    if not force and not unknown:
        identity = _identity(folder)
        if identity is not None:
            report_id, language, title, trust = identity
            try:
                plan = _decide(
                    folder,
                    report_id,
                    language,
                    title,
                    trust,
                    langs=langs,
                    formats=formats,
                    out_dir=out_dir,
                    allow_partial=allow_partial,
                    variant=variant,
                    force=False,
                )
            except ReportgenError:
                plan = None  # e.g. an unknown language: said by the full check below
            if plan is not None and plan.up_to_date:
                return plan
    report, raw = _load_once(folder)  # the serial build and the workers forked after this reuse it
    if unknown:
        raise InputError.single(
            display_path(raw.source), f"cannot build for each '{unknown[0]}' — choose from: {', '.join(AXES)}"
        )
    return _decide(
        raw.folder,
        report.id,
        report.language,
        report.title,
        default_variant_name(report),
        langs=langs,
        formats=formats,
        out_dir=out_dir,
        allow_partial=allow_partial,
        variant=variant,
        force=force,
    )


def _identity(folder: Path) -> tuple[str, str, str, str | None] | None:
    """(id, language, title, survey trust) read straight from report.yaml; None if anything is odd."""
    import yaml

    path = folder / "report.yaml" if folder.name != "report.yaml" else folder
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        survey = data.get("survey") or {}
        identity = (
            data["id"],
            data.get("language", SOURCE_LANGUAGE),
            data["title"],
            survey.get("trust") if isinstance(survey, dict) else None,
        )
    except Exception:  # noqa: BLE001 - anything unusual: the full check will say what
        return None
    if not all(isinstance(value, str) for value in identity[:3]) or not isinstance(identity[3], (str, type(None))):
        return None
    return identity


def _decide(
    folder: Path,
    report_id: str,
    language: str,
    title: str,
    default_trust: str | None,
    *,
    langs,
    formats,
    out_dir,
    allow_partial,
    variant,
    force,
) -> _Plan:
    from reportgen.build import stamps as incremental

    source = display_path(folder / "report.yaml")
    variant_name = next(iter(variant.values())) if variant else default_trust
    plan = _Plan(
        folder.resolve(),
        report_id,
        title,
        variant,
        variant_name,
        list(formats),
        allow_partial,
        Path(out_dir) / report_id,
        _languages(report_id, language, langs, source),
    )
    shared = incremental.shared_inputs(plan.folder, Path(out_dir))
    for lang in plan.langs:
        for fmt in plan.formats:
            inputs = incremental.edition_inputs(
                shared,
                lang=lang,
                fmt=fmt.value,
                report_id=report_id,
                source_language=language,
                variant=variant_name,
                allow_partial=allow_partial,
            )
            plan.inputs[lang, fmt] = inputs
            plan.decisions[lang, fmt] = incremental.decide(plan.path(lang, fmt), inputs, force=force)
    return plan


def _tasks(plan: _Plan):
    """One task per language with a file to (re)build, with both formats if both are stale."""
    from reportgen.build.workers import Task

    tasks = []
    for lang in plan.langs:
        stale = [fmt for fmt in plan.formats if not plan.decisions[lang, fmt].fresh]
        if not stale:
            continue
        last = [plan.decisions[lang, fmt].seconds for fmt in stale]
        expected = sum(t for t in last if t) or _guess_seconds(plan, stale)
        tasks.append(
            Task(
                str(plan.folder),
                lang,
                tuple(fmt.value for fmt in stale),
                tuple(sorted((plan.variant or {}).items())),
                plan.allow_partial,
                expected,
            )
        )
    return tasks


def _guess_seconds(plan: _Plan, formats) -> float:
    """Before a first build: longer sources take longer, PDFs far longer than HTML."""
    size = (plan.folder / "report.yaml").stat().st_size
    return size / 20_000 * (1 + 10 * (Format.PDF in formats))


@dataclass(frozen=True)
class Built:
    """One publication's outcome in :func:`build_reports`: the result, or the error to report."""

    folder: Path
    result: BuildResult | None
    error: ReportgenError | None = None


def build_reports(
    folders,
    *,
    langs: list[str] | None = None,
    formats: list[Format] | None = None,
    out_dir: str | Path = "out",
    allow_partial: bool = False,
    variant: dict[str, str] | None = None,
    force: bool = False,
    jobs: int | None = 1,
    progress=None,
) -> list[Built]:
    """Build several publications: every stale (publication, language) over ``jobs`` warm workers.

    Files whose inputs have not changed since they were built are skipped (see
    :mod:`reportgen.build.stamps`; ``force`` builds them anyway). Each publication is
    all-or-nothing: its files are written only when every one of its languages built; one
    publication's failure does not stop the others. ``progress(made)`` after each task.
    """
    from reportgen.build.workers import run_tasks

    formats = formats or [Format.HTML, Format.PDF]
    plans: list[_Plan] = []
    outcomes: dict[Path, Built] = {}
    order = list(dict.fromkeys(Path(folder) for folder in folders))
    for folder in order:
        try:
            plans.append(
                _plan(
                    folder,
                    langs=langs,
                    formats=formats,
                    out_dir=out_dir,
                    allow_partial=allow_partial,
                    variant=variant,
                    force=force,
                )
            )
        except ReportgenError as exc:
            outcomes[folder] = Built(folder, None, exc)
    tasks = [task for plan in plans for task in _tasks(plan)]
    made_by_plan: dict[str, list] = {}
    for made in run_tasks(tasks, jobs=jobs, progress=progress):
        made_by_plan.setdefault(made.task.folder, []).append(made)
    for folder, plan in zip([f for f in order if f not in outcomes], plans, strict=True):
        try:
            outcomes[folder] = Built(folder, _finish(plan, made_by_plan.get(str(plan.folder), [])))
        except ReportgenError as exc:
            outcomes[folder] = Built(folder, None, exc)
    return [outcomes[folder] for folder in order]


def _finish(plan: _Plan, made: list) -> BuildResult:
    """Write a publication's files if every language built, with their stamps; else raise."""
    from reportgen.build import stamps as incremental

    failures = [m for m in made if m.failure is not None]
    if failures:
        error = failures[0].failure.error()
        if len(failures) > 1:
            others = ", ".join(m.task.lang for m in failures[1:])
            error = type(error)(
                f"{error.args[0]} (also failed: {others})",
                error.problems + tuple(p for m in failures[1:] for p in m.failure.problems),
            )
        raise error
    files = {(m.task.lang, FORMATS[fmt]): (data, m) for m in made for fmt, data in m.files}
    outputs, untranslated = [], {}
    for lang in plan.langs:
        for fmt in plan.formats:
            decision = plan.decisions[lang, fmt]
            path = plan.path(lang, fmt)
            if decision.fresh:
                outputs.append(
                    Output(lang, fmt, path, path.stat().st_size, changed=False, skipped=True, reason=decision.reason)
                )
                missing = decision.untranslated
            else:
                data, m = files[lang, fmt]
                output = _write(path, data, lang, fmt)
                outputs.append(replace(output, reason=decision.reason))
                missing = m.untranslated
                incremental.record(
                    path, data, plan.inputs[lang, fmt], untranslated=missing, seconds=m.seconds / len(m.files)
                )
            if missing:
                untranslated[lang] = missing
    built = sum(not o.skipped for o in outputs)
    LOG.info("built %s: %d file(s), %d up to date", plan.report_id, built, len(outputs) - built)
    return BuildResult(plan.report_id, plan.title, tuple(outputs), untranslated)


def build_report(
    folder: str | Path,
    *,
    langs: list[str] | None = None,
    formats: list[Format] | None = None,
    out_dir: str | Path = "out",
    allow_partial: bool = False,
    variant: dict[str, str] | None = None,
    force: bool = False,
    jobs: int | None = 1,
) -> BuildResult:
    """Build one publication in the given languages and formats into ``out_dir/<id>/``.

    ``variant`` picks one value of the publication's data, e.g. ``{"trust": "RT5"}`` for the
    survey report (see :mod:`reportgen.survey.variants`). Every language is translated and rendered
    (and checked) before anything is written; a file whose inputs have not changed since it
    was built is skipped (unless ``force``), and one whose bytes would not change is not
    rewritten. ``jobs`` > 1 spreads the languages over warm worker processes.
    """
    (built,) = build_reports(
        [folder],
        langs=langs,
        formats=formats,
        out_dir=out_dir,
        allow_partial=allow_partial,
        variant=variant,
        force=force,
        jobs=jobs,
    )
    if built.error is not None:
        raise built.error
    return built.result


def _write(path: Path, data: bytes, lang: str, fmt: Format) -> Output:
    """Write a file unless it already holds exactly these bytes (builds are reproducible)."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return Output(lang, fmt, path, len(data), changed=False)
    return Output(lang, fmt, write_atomically(path, data), len(data))
