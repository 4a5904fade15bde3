"""Importing a returned .po or .xlf file for the Translations page: the import itself, and what
the page lists of it, bounded.

The page lists the file's entries, each with its problems. Problems are matched to entries in
one pass (a dictionary keyed by line and entry, not every problem against every entry), and at
most :data:`MAX_ROWS` entries and :data:`MAX_PROBLEMS` problems are listed, with how many more
there are: a returned file of 4,000 units with a problem each is a page of 100 problems, not of
16 million comparisons. :func:`import_upload` runs in a thread (``run_in_threadpool``), never on
the server's event loop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import Finding, ReportgenError
from reportgen.i18n.handoff import Entry, ImportResult, _entry_label, import_translation, read_returned

MAX_ROWS = 100  # entries listed on the page
MAX_PROBLEMS = 100  # problems listed on the page (for the file as a whole and for its entries together)

# Two imports into the same catalog at once would each merge into what was there before and
# the second write would drop the first: imports run one at a time (they take well under a second).
_IMPORTING = threading.Lock()


@dataclass
class Row:
    entry: Entry
    problems: list[Finding] = field(default_factory=list)  # those listed
    unlisted: int = 0  # its problems beyond the page's limit


@dataclass
class ImportPage:
    """What the import page shows: the result, the problems of the whole file and the entries."""

    result: ImportResult | None  # None when nothing was imported
    message: str  # why nothing was imported ("" when imported)
    general: list[Finding]  # problems of the file as a whole (listed ones)
    rows: list[Row]  # the entries listed
    entries: int  # entries in the file
    problems: int  # problems in all
    listed_problems: int
    only_problem_rows: bool  # the file has more entries than are listed, so only those with problems are
    problem_rows: int  # entries that have a problem

    @property
    def unlisted_problems(self) -> int:
        return self.problems - self.listed_problems

    @property
    def unlisted_rows(self) -> int:
        return (self.problem_rows if self.only_problem_rows else self.entries) - len(self.rows)


def import_upload(path: Path, tag: str) -> ImportPage:
    """Import ``path`` (a returned file) into ``tag``'s catalog, all of it or nothing; what the page lists."""
    try:
        entries = read_returned(path).entries
    except ReportgenError:
        entries = ()  # import_translation below says why
    with _IMPORTING:
        try:
            result, message, problems = import_translation(path, tag), "", ()
        except ReportgenError as exc:
            result, message, problems = None, exc.args[0] if exc.args else str(exc), tuple(exc.problems)
    return page_of(result, message, entries, problems)


def page_of(result, message: str, entries, problems) -> ImportPage:
    """Problems matched to the entries they are about in one pass, and the page's limits applied."""
    by_entry: dict[tuple, list[Finding]] = {}
    for problem in problems:
        by_entry.setdefault((problem.line, problem.pointer), []).append(problem)
    rows = []
    for entry in entries:
        # Entries that share a line and a label (a one-line file with a repeated text) share their
        # problems: the first of them shows them all, each problem is listed once.
        rows.append(Row(entry, by_entry.pop((entry.line, _entry_label(entry)), [])))
    unmatched = set(by_entry)  # about the file as a whole, or about no entry listed
    general = [problem for problem in problems if (problem.line, problem.pointer) in unmatched]
    budget = MAX_PROBLEMS
    listed_general, budget = general[:budget], max(0, budget - len(general))
    problem_rows = [row for row in rows if row.problems]
    only_problem_rows = len(rows) > MAX_ROWS and bool(problems)
    shown = (problem_rows if only_problem_rows else rows)[:MAX_ROWS]
    for row in shown:
        listed, budget = row.problems[:budget], max(0, budget - len(row.problems))
        row.unlisted, row.problems = len(row.problems) - len(listed), listed
    listed_problems = len(listed_general) + sum(len(row.problems) for row in shown)
    if only_problem_rows:
        # rows beyond the problem budget would show no message: leave them for the next upload
        shown = [row for row in shown if row.problems]
    return ImportPage(
        result=result,
        message=message,
        general=listed_general,
        rows=shown,
        entries=len(entries),
        problems=len(problems),
        listed_problems=listed_problems,
        only_problem_rows=only_problem_rows,
        problem_rows=len(problem_rows),
    )
