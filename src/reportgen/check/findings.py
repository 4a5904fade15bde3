"""What a check returns: findings, each tied to a rule and a place, and the waivers applied."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportgen.check.rules import RULES, Severity


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # what is wrong here and how to fix it
    source: str  # file as the user would type it (report.yaml, a CSV, a catalog, an output)
    line: int | None = None
    pointer: str = ""  # field path in the source, e.g. sections[2].blocks[4].alt
    page: int | None = None  # 1-based, for PDF findings
    lang: str | None = None  # the language edition the finding is about, when it is about one
    waived: str | None = None  # the reason, when a waiver covers this finding

    @property
    def location(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        if self.page is not None:
            where += f" (page {self.page})"
        return f"{where}: {self.pointer}" if self.pointer else where


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
    return Finding(rule, severity or RULES[rule].severity, message, source, line, pointer, **extra)


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
