"""The exception family, and the one type every problem and finding is reported as.

A :class:`Finding` names the file, the line, the field path inside the file and what is
wrong, with what to do about it — ``path:line: field.path: message`` — and, where it applies,
the rule it breaks, its severity, the PDF page, the language edition and a waiver's reason.
Load errors, the checker, publish and the archive's verify all report Findings, and all
print them with its one formatter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

# Control characters (ESC starts a terminal escape sequence) and the bidirectional embedding
# and override characters (which reorder what a terminal shows) are written as visible
# escapes in every message: text quoted from a publication can then neither recolour nor
# rewrite the terminal it is read in. Right-to-left marks (U+200E, U+200F) stay: Arabic and
# Urdu text needs them and they move nothing else.
_HIDDEN = {
    **{c: f"\\x{c:02x}" for c in range(0x20) if chr(c) not in "\n\t"},
    0x7F: "\\x7f",
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}

# A message lists at most this many problems; the rest are counted. A file with 100,000 bad
# entries should say so in a screenful, not in 100,000 lines.
MAX_PROBLEMS_SHOWN = 50


def printable(text: str) -> str:
    """``text`` with control and bidi-override characters written as visible escapes (\\x1b)."""
    return text.translate(_HIDDEN)


class Severity(str, Enum):
    ERROR = "error"  # must be fixed: stops a build, a check or a publish
    WARNING = "warning"  # shown, stops nothing


@dataclass(frozen=True)
class Finding:
    """One thing wrong, located as precisely as we can."""

    source: str  # file path as the user gave it (relative where possible)
    line: int | None  # 1-based line in ``source``; None when it has no meaningful line
    pointer: str  # field path, e.g. ``sections[2].blocks[4].alt``; "" for the whole file
    message: str  # what is wrong — and what to do
    rule: str = ""  # machine-readable: a check rule's id, or the reason a load refused (``numbered_title``)
    severity: Severity = Severity.ERROR
    page: int | None = None  # 1-based, for findings in a PDF
    lang: str | None = None  # the language edition it is about, when it is about one
    waived: str | None = None  # the reason, when a waiver covers it

    @property
    def location(self) -> str:
        """``source:line (page N): pointer`` — as much of it as is known."""
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        if self.page is not None:
            where += f" (page {self.page})"
        return f"{where}: {self.pointer}" if self.pointer else where

    def __str__(self) -> str:
        return printable(f"{self.location}: {self.message}" if self.location else self.message)

    def as_dict(self) -> dict:
        """Plain data (JSON, the archive's catalogue)."""
        return {**asdict(self), "severity": self.severity.value}

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        known = {name: data.get(name) for name in cls.__dataclass_fields__ if name in data}
        known["severity"] = Severity(known.get("severity") or "error")
        return cls(**{"source": "", "line": None, "pointer": "", "message": "", **known})


class ReportgenError(Exception):
    """Base class: anything the user can fix. The CLI turns it into a message and exit code."""

    exit_code = 1

    def __init__(self, message: str, problems: tuple[Finding, ...] = ()):
        super().__init__(message)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        head = printable(str(self.args[0]))
        if not self.problems:
            return head
        shown = [f"  {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            shown.append(f"  … and {hidden:,} more problems like these (fix the ones above first, then try again)")
        return "\n".join([head, *shown])


class InputError(ReportgenError):
    """The publication's own files are wrong: bad YAML, a missing field, a file outside the folder."""

    exit_code = 2

    @classmethod
    def single(
        cls,
        source: str | Path,
        message: str,
        line: int | None = None,
        pointer: str = "",
        headline: str = "the publication cannot be built",
    ):
        problem = Finding(str(source), line, pointer, message)
        return cls(f"{source}: {headline}", (problem,))


class FontCoverageError(ReportgenError):
    """A passage uses a character that none of its language's fonts can draw."""

    exit_code = 3


class UnsafeResourceError(ReportgenError):
    """Rendering asked for a resource outside the places it may read from."""

    exit_code = 2


class BuildError(ReportgenError):
    """Rendering failed for a reason that is not the input's fault."""

    exit_code = 1


class OutOfTime(BaseException):  # noqa: N818 - not an error of the input's or ours: the clock ran out
    """Raised by the build's timer (:func:`reportgen.build.tasks.time_limit`). A BaseException,
    so that no ``except Exception`` on the way can swallow it; code that catches BaseException
    (the PDF stage) lets it through."""
