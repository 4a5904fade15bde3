"""Build: every stale file of several publications, made on warm workers, then written.

plan (:mod:`.plan`: which files are up to date) → tasks (:mod:`.tasks`: one per language,
run by :mod:`.workers`) → write. Everything for a publication's requested languages and formats
is produced in memory first; its files are written only when all of it succeeded, and then
all together: every file goes to a temporary name beside its target first, and only when all
are there are they renamed into place, so a failed or interrupted build leaves either the old
files or the new ones, never half of each.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reportgen.build import stamps
from reportgen.build.plan import Plan, plan
from reportgen.build.request import BuildRequest, BuildResult, Output
from reportgen.build.tasks import Made, run_task
from reportgen.build.workers import run_tasks
from reportgen.content.load import display_path
from reportgen.errors import ReportgenError
from reportgen.files import temporary_beside

LOG = logging.getLogger("reportgen.build")


@dataclass(frozen=True)
class Built:
    """One publication's outcome in :func:`build_reports`: the result, or the error to report."""

    folder: Path
    result: BuildResult | None
    error: ReportgenError | None = None


def build_reports(folders, request: BuildRequest | None = None, *, progress=None) -> list[Built]:
    """Build several publications: every stale (publication, language) over ``request.jobs`` warm workers.

    Files whose inputs have not changed since they were built are skipped (see
    :mod:`reportgen.build.stamps`; ``request.force`` builds them anyway). Each publication is
    all-or-nothing: its files are written only when every one of its languages built; one
    publication's failure does not stop the others. ``progress(made)`` after each task.
    """
    request = request or BuildRequest()
    plans: list[Plan] = []
    outcomes: dict[Path, Built] = {}
    order = list(dict.fromkeys(Path(folder) for folder in folders))
    for folder in order:
        try:
            plans.append(plan(folder, request))
        except ReportgenError as exc:
            outcomes[folder] = Built(folder, None, exc)
    tasks = [task for each in plans for task in each.tasks()]
    made_by_plan: dict[str, list[Made]] = {}
    for made in run_tasks(run_task, tasks, jobs=request.jobs, progress=progress):
        made_by_plan.setdefault(made.task.folder, []).append(made)
    for folder, each in zip([f for f in order if f not in outcomes], plans, strict=True):
        try:
            outcomes[folder] = Built(folder, _finish(each, made_by_plan.get(str(each.folder), [])))
        except ReportgenError as exc:
            outcomes[folder] = Built(folder, None, exc)
    return [outcomes[folder] for folder in order]


def build_report(folder: str | Path, request: BuildRequest | None = None) -> BuildResult:
    """Build one publication in the request's languages and formats into ``<out>/<id>/``.

    ``request.variant`` picks one value of the publication's data, e.g. ``(("trust", "RT5"),)`` for
    the survey report (see :mod:`reportgen.survey.variants`). Every language is translated and
    rendered (and checked) before anything is written; a file whose inputs have not changed since
    it was built is skipped (unless ``force``), and one whose bytes would not change is not
    rewritten. ``jobs`` > 1 spreads the languages over warm worker processes.
    """
    (built,) = build_reports([folder], request)
    if built.error is not None:
        raise built.error
    return built.result


def _finish(each: Plan, made: list[Made]) -> BuildResult:
    """Write a publication's files if every language built, with their stamps; else raise."""
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
    files = {(m.task.lang, fmt): (data, m) for m in made for fmt, data in m.files}
    outputs, untranslated, writes = [], {}, []
    for lang in each.langs:
        for fmt in each.formats:
            if (lang, fmt) in each.not_made:
                LOG.warning("%s: not made: %s", display_path(each.path(lang, fmt)), each.not_made[lang, fmt])
                continue
            decision = each.decisions[lang, fmt]
            path = each.path(lang, fmt)
            if decision.fresh:
                outputs.append(
                    Output(lang, fmt, path, path.stat().st_size, changed=False, skipped=True, reason=decision.reason)
                )
                missing = decision.untranslated
            else:
                data, m = files[lang, fmt]
                same = path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
                outputs.append(Output(lang, fmt, path, len(data), changed=not same, reason=decision.reason))
                missing = m.untranslated
                writes.append((path, None if same else data, each.inputs[lang, fmt], missing, m))
            if missing:
                untranslated[lang] = missing
    _write_all(writes)
    built = sum(not o.skipped for o in outputs)
    LOG.info("built %s: %d file(s), %d up to date", each.report_id, built, len(outputs) - built)
    return BuildResult(each.report_id, each.title, tuple(outputs), untranslated)


def _write_all(writes) -> None:
    """Every new file to a temporary name first, then all renamed; then the stamps.

    A file that already holds exactly its new bytes is not rewritten (builds are reproducible).
    If anything fails before the renames, the temporary files are removed and no output changes.
    """
    staged = []
    try:
        for path, data, *_ in writes:
            if data is not None:
                staged.append((temporary_beside(path, data), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    for path, data, inputs, missing, m in writes:
        written = data if data is not None else path.read_bytes()
        stamps.record(path, written, inputs, untranslated=missing, seconds=m.seconds / len(m.files))
