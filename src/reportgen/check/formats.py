"""Ways to show a check's result: a table for people, JSON and SARIF 2.1.0 for CI."""

from __future__ import annotations

import textwrap
from collections import Counter

from reportgen import __version__
from reportgen.check.findings import CheckResult
from reportgen.content.rules import RULES, Severity
from reportgen.errors import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
COLOURS = {"error": "\033[1;31m", "warning": "\033[33m", "waived": "\033[2m", "bold": "\033[1m", "end": "\033[0m"}


def _label(item: Finding) -> str:
    return "waived" if item.waived else item.severity.value


def as_table(result: CheckResult, *, colour: bool = False, width: int = 100) -> str:
    """Findings grouped by file, one block each: severity and rule, place, message, waiver."""

    def paint(text: str, kind: str) -> str:
        return f"{COLOURS[kind]}{text}{COLOURS['end']}" if colour else text

    lines = [
        paint(f"Checked {result.title} ({result.report_id})", "bold")
        + f" — {', '.join(result.languages) or 'content only'}"
        + ("" if result.outputs_checked else " (HTML and PDF not built)")
    ]
    current = None
    for item in result.findings:
        if item.source != current:
            current = item.source
            lines += ["", paint(current, "bold")]
        where = f"line {item.line}" if item.line else ""
        if item.page is not None:
            where = (where + ", " if where else "") + f"page {item.page}"
        if item.lang:
            where = (where + ", " if where else "") + item.lang
        head = f"  {paint(f'{_label(item):7}', _label(item))} {item.rule:20} {where}"
        lines.append(head.rstrip())
        if item.pointer:
            lines.append(f"          at {item.pointer}")
        lines += textwrap.wrap(item.message, width=width, initial_indent="          ", subsequent_indent="          ")
        if item.waived:
            lines.append(paint(f"          waived: {item.waived}", "waived"))
    summary = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s), {len(result.waived)} waived"
    counts = Counter(item.rule for item in result.findings if not item.waived)
    if counts:
        lines += ["", "By rule: " + ", ".join(f"{rule} {n}" for rule, n in counts.most_common())]
    verdict = paint("FAILED", "error") if result.errors else paint("passed", "bold")
    lines += ["", f"{verdict}: {summary}" + (" — fix the errors before publishing" if result.errors else "")]
    return "\n".join(lines)


def as_json(result: CheckResult) -> dict:
    return {
        "report": result.report_id,
        "title": result.title,
        "source": result.source,
        "languages": list(result.languages),
        "outputs_checked": result.outputs_checked,
        "passed": result.passed,
        "summary": {"errors": len(result.errors), "warnings": len(result.warnings), "waived": len(result.waived)},
        "findings": [f.as_dict() for f in result.findings],
    }


def as_sarif(result: CheckResult) -> dict:
    """SARIF 2.1.0: one run, the rule registry as the driver's rules, waivers as suppressions."""
    rule_ids = list(RULES)
    results = []
    for item in result.findings:
        physical = {"artifactLocation": {"uri": item.source}}
        if item.line:
            physical["region"] = {"startLine": item.line}
        location: dict = {"physicalLocation": physical}
        if item.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": item.pointer, "kind": "member"}]
        entry = {
            "ruleId": item.rule,
            "ruleIndex": rule_ids.index(item.rule),
            "level": "error" if item.severity is Severity.ERROR else "warning",
            "message": {"text": item.message},
            "locations": [location],
        }
        properties = {k: v for k, v in (("page", item.page), ("lang", item.lang)) if v is not None}
        if properties:
            entry["properties"] = properties
        if item.waived:
            entry["suppressions"] = [{"kind": "inSource", "justification": item.waived}]
        results.append(entry)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "reportgen check",
                        "version": __version__,
                        "informationUri": "https://github.com/reportgen/reportgen/blob/main/docs/checks.md",
                        "rules": [
                            {
                                "id": rule.id,
                                "name": rule.id.title().replace("-", ""),
                                "shortDescription": {"text": rule.title},
                                "fullDescription": {"text": rule.fix},
                                "defaultConfiguration": {
                                    "level": "error" if rule.severity is Severity.ERROR else "warning"
                                },
                                "properties": {"scope": rule.scope.value},
                            }
                            for rule in RULES.values()
                        ],
                    }
                },
                "results": results,
            }
        ],
    }


def rules_markdown() -> str:
    """The rule registry as a Markdown table (docs/checks.md keeps a copy; a test compares)."""
    lines = ["| rule | severity | looks at | what it finds | what to do |", "|---|---|---|---|---|"]
    for rule in RULES.values():
        lines.append(f"| `{rule.id}` | {rule.severity.value} | {rule.scope.value} | {rule.title} | {rule.fix} |")
    return "\n".join(lines) + "\n"
