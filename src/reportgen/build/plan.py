"""Planning a build: which files of a publication are up to date, decided before any work.

No rendering happens here. When every file is up to date the publication is not even
validated again (its files are byte for byte those of a build that passed, the stamps say
so): only its id, language and title are read. Otherwise it is loaded and checked in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen import formats as registry
from reportgen.build import stamps
from reportgen.build.edition import load_once, resolve_languages
from reportgen.build.request import BuildRequest
from reportgen.build.tasks import Task
from reportgen.content.load import MAX_REPORT_BYTES, REPORT_FILE, display_path, read_text_file
from reportgen.errors import InputError, ReportgenError
from reportgen.languages import SOURCE_LANGUAGE


@dataclass
class Plan:
    """One publication to build: what each of its files needs."""

    folder: Path
    report_id: str
    title: str
    request: BuildRequest
    variant_name: str | None  # the part of the file names that says which variant
    langs: list[str]
    inputs: dict = field(default_factory=dict)  # (lang, format) → inputs
    decisions: dict = field(default_factory=dict)  # (lang, format) → stamps.Decision
    not_made: dict = field(default_factory=dict)  # (lang, format) → why that format cannot be made in it

    @property
    def formats(self) -> tuple[str, ...]:
        return self.request.format_names

    @property
    def target_dir(self) -> Path:
        return self.request.output_root / self.report_id

    def path(self, lang: str, fmt: str) -> Path:
        return self.target_dir / registry.output_name(self.report_id, lang, fmt, self.variant_name)

    @property
    def up_to_date(self) -> bool:
        return all(decision.fresh for decision in self.decisions.values())

    def tasks(self) -> list[Task]:
        """One task per language with a file to (re)build, with every stale format of it."""
        tasks = []
        for lang in self.langs:
            stale = tuple(
                fmt for fmt in self.formats if (lang, fmt) in self.decisions and not self.decisions[lang, fmt].fresh
            )
            if not stale:
                continue
            last = [self.decisions[lang, fmt].seconds for fmt in stale]
            expected = sum(t for t in last if t) or self._guess_seconds(stale)
            tasks.append(Task(str(self.folder), lang, stale, self.request, expected))
        return tasks

    def _guess_seconds(self, formats) -> float:
        """Before a first build: longer sources take longer, PDFs far longer than HTML."""
        size = (self.folder / REPORT_FILE).stat().st_size
        return size / 20_000 * sum(registry.get(name).relative_cost for name in formats)


def plan(folder: str | Path, request: BuildRequest) -> Plan:
    """Decide which files of one publication are up to date, checking it when any is not."""
    from reportgen.survey.variants import AXES, default_variant_name

    folder = Path(folder)
    unknown = [axis for axis, _ in request.variant if axis not in AXES]
    if not request.force and not unknown:
        identity = _identity(folder)
        if identity is not None:
            report_id, language, title, trust = identity
            try:
                quick = _decide(folder, report_id, language, title, trust, request.replace(force=False))
            except ReportgenError:
                quick = None  # e.g. an unknown language: said by the full check below
            if quick is not None and quick.up_to_date:
                return quick
    report, raw = load_once(folder)  # the serial build and the workers forked after this reuse it
    if unknown:
        raise InputError.single(
            display_path(raw.source), f"cannot build for each '{unknown[0]}' — choose from: {', '.join(AXES)}"
        )
    return _decide(raw.folder, report.id, report.language, report.title, default_variant_name(report), request)


def _identity(folder: Path) -> tuple[str, str, str, str | None] | None:
    """(id, language, title, survey trust) read straight from report.yaml; None if anything is odd."""
    import yaml

    path = folder / REPORT_FILE if folder.name != REPORT_FILE else folder
    try:
        # read_text_file: a named pipe or an oversized file is refused at once, not waited on
        text = read_text_file(path, REPORT_FILE, MAX_REPORT_BYTES)
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
    folder: Path, report_id: str, language: str, title: str, default_trust: str | None, request: BuildRequest
) -> Plan:
    source = display_path(folder / REPORT_FILE)
    variant_name = request.variant[0][1] if request.variant else default_trust
    result = Plan(
        folder.resolve(),
        report_id,
        title,
        request,
        variant_name,
        resolve_languages(report_id, language, request.langs, source),
    )
    shared = stamps.shared_inputs(result.folder, request.output_root)
    alone = len(result.langs) == 1 and len(result.formats) == 1
    for lang in result.langs:
        for fmt in result.formats:
            reason = None if alone else registry.get(fmt).why_not(lang)
            if reason:  # asked for with others (--lang all, --format all): the rest is made, this is said
                result.not_made[lang, fmt] = reason  # said by the build, with what it made
                continue
            inputs = stamps.edition_inputs(
                shared,
                lang=lang,
                fmt=fmt,
                report_id=report_id,
                source_language=language,
                variant=variant_name,
                allow_partial=request.allow_partial,
                pdf_standard=request.pdf_standard if fmt == "pdf" else None,
            )
            result.inputs[lang, fmt] = inputs
            result.decisions[lang, fmt] = stamps.decide(result.path(lang, fmt), inputs, force=request.force)
    return result
