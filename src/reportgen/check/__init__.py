"""The check stage: content rules, translations, theme and the built outputs, in one report.

Public API::

    check_report(folder, *, langs=None, outputs=True, settings=None) -> CheckResult
    RULES, Severity, Finding, CheckResult

A publication the model refuses is still checked: its validation problems become findings
under the rule they belong to (a "#" link is ``link-target``, a numbered heading is
``heading-number``) and the text rules run on the raw data, so one run lists everything.
Waivers in report.yaml mark findings as waived, with their reason; a waived error does not
fail the check.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reportgen.build.edition import languages_to_build
from reportgen.check.content import ContentChecker
from reportgen.check.findings import CheckResult, apply_waivers
from reportgen.check.outputs import check_outputs, open_browser, run_checks
from reportgen.check.theme import check_theme
from reportgen.check.translation import check_translations
from reportgen.content.load import display_path, load_report_folder
from reportgen.content.model import Waiver, load_report, validate_report
from reportgen.content.rules import RULES, Rule, Scope, Severity
from reportgen.errors import Finding, InputError
from reportgen.i18n.paths import po_path
from reportgen.languages import LANGUAGES

__all__ = ["check_report", "check_for_publish", "CheckResult", "Finding", "RULES", "Rule", "Scope", "Severity"]

LOG = logging.getLogger("reportgen.check")


def check_report(
    folder: str | Path, *, langs: list[str] | None = None, outputs: bool = True, settings=None, browser=None
) -> CheckResult:
    """Check one publication.

    ``langs``: the language editions to check (``["all"]`` for every translated one); by
    default the source language, with the state of every existing translation as warnings.
    ``outputs``: also build the HTML and PDF in memory and run axe-core and PDF/UA-1 on them.
    ``settings``: a :class:`~reportgen.content.model.CheckSettings` overriding the publication's own.
    Raises InputError only when there is no publication to check (no folder, no report.yaml,
    YAML that cannot be read).
    """
    raw = load_report_folder(folder)
    source = display_path(raw.source)
    try:
        report, refusal = validate_report(raw), None
    except InputError as exc:
        report, refusal = None, exc
    findings: list[Finding] = ContentChecker(raw, report, settings=settings).run(refusal)
    findings += check_theme()
    if report is None:
        findings = apply_waivers(findings, _raw_waivers(raw.data), source, raw.line_of)
        return CheckResult(
            str(raw.data.get("id", "")), str(raw.data.get("title", "")), source, (), False, _in_order(findings, source)
        )
    required = set(languages_to_build(report, langs, source)) if langs else {report.language}
    present = [tag for tag in LANGUAGES if tag != report.language and po_path(tag, report.id).exists()]
    findings += check_translations(report, source, sorted(required | set(present), key=list(LANGUAGES).index), required)
    editions = [tag for tag in LANGUAGES if tag in required]
    if outputs:
        with open_browser(browser) as opened:
            for lang in editions:
                LOG.info("checking the %s edition of %s", lang, report.id)
                findings += check_outputs(report, raw, lang, opened)
    findings = apply_waivers(findings, report.waivers, source, raw.line_of)
    return CheckResult(report.id, report.title, source, tuple(editions), outputs, _in_order(findings, source))


def check_for_publish(folder: Path, lang: str, files: dict[str, bytes]) -> list[Finding]:
    """The checks publish runs on one language edition (see reportgen.archive.publish).

    Content, theme and translation rules for ``lang``, then each format's output checks on the
    very files about to be archived; the publication's waivers apply to all of them. The PDF
    profiles themselves (PDF/UA-1, PDF/A-3a) are publish's own default checker.
    """
    report, raw = load_report(folder)
    result = check_report(folder, langs=[lang], outputs=False)
    findings = [f for f in result.findings if f.lang in (None, lang) and f.rule != "waiver"]
    findings += run_checks(files, report.id, lang, skip=("pdf-ua",))
    findings = apply_waivers(findings, report.waivers, result.source, raw.line_of)
    return list(_in_order(findings, result.source))


check_for_publish.description = "reportgen check (content, translations, theme, axe-core, PDF structure)"


def _raw_waivers(data) -> list:
    """The well-formed waivers of a file the model refused (the others are reported by the model)."""
    from pydantic import ValidationError

    waivers = []
    for entry in data.get("waivers") or [] if isinstance(data, dict) else []:
        try:
            waivers.append(Waiver.model_validate(entry))
        except ValidationError:
            waivers.append(None)  # keeps the index for the unused-waiver location
    return waivers


def _in_order(findings: list[Finding], source: str) -> tuple[Finding, ...]:
    """The publication's own file first, then catalogs and outputs; errors before warnings; by line."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    return tuple(
        sorted(
            findings,
            key=lambda f: (f.source != source, f.source, bool(f.waived), order[f.severity], f.line or 0, f.page or 0),
        )
    )
