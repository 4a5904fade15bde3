"""The exception family, and the one format every problem is reported in.

A problem names the file, the line, the field path inside the file and what is wrong,
with what to do about it: ``path:line: field.path: message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    source: str  # file path as the user gave it (relative where possible)
    line: int | None  # 1-based line in ``source``; None when it has no meaningful line
    pointer: str  # field path, e.g. ``sections[2].blocks[4].alt``; "" for the whole file
    message: str  # what is wrong — and what to do
    kind: str = ""  # machine-readable reason (e.g. ``numbered_title``), for the checker's rule ids

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.pointer}: {self.message}" if self.pointer else f"{where}: {self.message}"


class ReportgenError(Exception):
    """Base class: anything the user can fix. The CLI turns it into a message and exit code."""

    exit_code = 1

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        head = self.args[0]
        if not self.problems:
            return head
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


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
        problem = Problem(str(source), line, pointer, message)
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
