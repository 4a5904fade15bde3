"""Translation rules: is each language edition complete, current, reviewed and safe to build?

Takes a validated ``Report`` and the languages to look at; returns findings located in the
catalog files (file, line, msgid). A language asked for explicitly must be complete (an
error otherwise, as the build would refuse it); other languages that have a catalog are
reported as warnings, so an unfinished translation never blocks the English edition.
"""

from __future__ import annotations

import re

from reportgen.check.content import PLACEHOLDERS, SYMBOL_BULLET
from reportgen.check.findings import finding
from reportgen.content import model as m
from reportgen.content.load import display_path
from reportgen.content.rules import Severity
from reportgen.errors import Finding
from reportgen.i18n import catalogs
from reportgen.i18n.translate import translate_report, units
from reportgen.languages import find_language


def check_translations(report: m.Report, source: str, langs: list[str], required: set[str]) -> list[Finding]:
    found: list[Finding] = []
    contexts = {(unit.context, unit.text) for unit in units(report)}
    for lang in langs:
        if lang == report.language:
            continue
        name = find_language(lang).english_name
        severity = Severity.ERROR if lang in required else Severity.WARNING
        path = catalogs.po_path(lang, report.id)
        shown = display_path(path)
        if not path.exists():
            found.append(
                finding(
                    "translation-missing",
                    f"there is no {name} translation — request one with: "
                    f"reportgen translate request {display_path(report_folder(source))} --lang {lang}",
                    shown,
                    severity=severity,
                    lang=lang,
                )
            )
            continue
        catalog = catalogs.read_catalog(path, lang)
        problems = catalogs.check_catalog(catalog, path)
        for problem in problems:
            found.append(
                finding(
                    "translation-invalid",
                    f"{problem.message} — correct the translation",
                    problem.source,
                    problem.line,
                    problem.pointer,
                    lang=lang,
                )
            )
        ui_missing = catalogs.missing_ui(lang)
        if ui_missing:
            ui = display_path(catalogs.po_path(lang, catalogs.UI_DOMAIN))
            found.append(
                finding(
                    "translation-missing",
                    f"{len(ui_missing)} of reportgen's own labels are not "
                    f"translated into {name}, e.g. {ui_missing[0]!r}",
                    ui,
                    severity=severity,
                    lang=lang,
                )
            )
        if not problems:
            lookup = catalogs.content_lookup(lang, report.id)
            missing = translate_report(report, lookup, lang).missing
            if missing:
                examples = "; ".join(repr(unit.text[:40]) for unit in missing[:3])
                found.append(
                    finding(
                        "translation-missing",
                        f"{len(missing)} passage(s) are not translated into "
                        f"{name}, e.g. {examples} — request them: reportgen translate request "
                        f"{display_path(report_folder(source))} --lang {lang}",
                        shown,
                        severity=severity,
                        lang=lang,
                    )
                )
        fuzzy = [msg for msg in catalog if msg.id and msg.fuzzy and (msg.context, msg.id) in contexts]
        if fuzzy:
            found.append(
                finding(
                    "translation-stale",
                    f"{len(fuzzy)} {name} translation(s) are marked fuzzy: the "
                    "English changed since they were translated, and they are not used until "
                    f"reviewed (first at line {fuzzy[0].lineno})",
                    shown,
                    fuzzy[0].lineno,
                    lang=lang,
                )
            )
        if catalogs.REVIEW_NOTICE in (catalog.header_comment or ""):
            found.append(
                finding(
                    "translation-stale",
                    f"the {name} translation is a draft {catalogs.REVIEW_NOTICE} — have it reviewed before publishing",
                    shown,
                    1,
                    lang=lang,
                )
            )
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            for string in strings:
                found.extend(_text_findings(string, message, shown, lang))
    return found


def _text_findings(string: str, message, shown: str, lang: str) -> list[Finding]:
    """Placeholders and typed bullets that a translator added (not in the English)."""
    source = message.id if isinstance(message.id, str) else message.id[0]
    out = []
    for pattern, what in PLACEHOLDERS:
        match = pattern.search(string)
        if match and not pattern.search(source):
            out.append(
                finding(
                    "placeholder",
                    f"'{match.group(0)}' is {what} left in the translation — ask the translator for the final text",
                    shown,
                    message.lineno,
                    catalogs._label(message),
                    lang=lang,
                )
            )
            break
    if SYMBOL_BULLET.match(string) and not SYMBOL_BULLET.match(source):
        out.append(
            finding(
                "symbol-bullet",
                "the translation starts with a typed bullet symbol — remove it (the list draws its own bullets)",
                shown,
                message.lineno,
                catalogs._label(message),
                lang=lang,
            )
        )
    return out


def report_folder(source: str):
    from pathlib import Path

    return Path(re.sub(r"report\.yaml$", "", source) or ".")
