"""What a check returns: findings (:class:`reportgen.errors.Finding`), each tied to a rule and a place, and the
waivers applied."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportgen.content.rules import RULES, Severity
from reportgen.errors import Finding


def finding(
    rule: str,
    message: str,
    source: str,
    line: int | None = None,
    pointer: str = "",
    *,
    severity: Severity | None = None,
    **extra,
) -> Finding:
    """A finding of ``rule``, with the rule's own severity unless told otherwise."""
    return Finding(source, line, pointer, message, rule, severity or RULES[rule].severity, **extra)


@dataclass(frozen=True)
class CheckResult:
    report_id: str
    title: str
    source: str  # report.yaml as the user would type it
    languages: tuple[str, ...]  # the language editions checked
    outputs_checked: bool  # whether HTML and PDF were built and checked
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR and not f.waived]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING and not f.waived]

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.waived]

    @property
    def passed(self) -> bool:
        return not self.errors


def covers(at: str, item: Finding) -> bool:
    """Whether a waiver's place covers a finding: the same field, anything under it, or the file."""
    for place in (item.pointer, item.source):
        if place == at or place.startswith((at + ".", at + "[")):
            return True
    return bool(item.source) and item.source.rsplit("/", 1)[-1] == at


def apply_waivers(findings: list[Finding], waivers, source: str, line_of) -> list[Finding]:
    """Mark the findings each waiver covers; a waiver that covers nothing is itself a finding."""
    out = list(findings)
    unused = []
    for index, waiver in enumerate(waivers):
        if waiver is None:
            continue
        hits = [i for i, item in enumerate(out) if item.rule == waiver.rule and covers(waiver.at, item)]
        for i in hits:
            out[i] = replace(out[i], waived=waiver.reason)
        if not hits:
            path = ("waivers", index)
            unused.append(
                finding(
                    "waiver",
                    f"waiver of '{waiver.rule}' at '{waiver.at}' matches no finding — the problem may be "
                    "fixed: remove the waiver (or correct its 'at' field path)",
                    source,
                    line_of(path),
                    f"waivers[{index}]",
                )
            )
    return out + unused
