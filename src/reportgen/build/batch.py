"""Batch: one publication built once per value of a variable — every trust of a national table.

Takes a publication folder and the variable (``trust``); returns a :class:`BatchResult`
saying, per value, whether its files were built, unchanged (built again, the same bytes as
the files already there), up to date (not built: nothing they are made from had changed,
see :mod:`reportgen.build.stamps`) or failed, and why. Each value is built in a warm worker
process (:mod:`reportgen.build.workers`); a failure is that value's alone. With a Dask scheduler
address the same work runs on a cluster (``pip install 'reportgen[cluster]'``); without
one, a local process pool needs nothing extra.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.build.workers import WarmPool
from reportgen.errors import InputError, ReportgenError

LOG = logging.getLogger("reportgen.build.batch")


class Outcome(str, Enum):
    BUILT = "built"
    UNCHANGED = "unchanged"  # built again, and the bytes came out the same
    UP_TO_DATE = "up to date"  # not built: nothing it is made from had changed
    FAILED = "failed"


@dataclass(frozen=True)
class Task:
    """One value of the variable: the publication's build request, narrowed to that value."""

    folder: str
    value: str
    request: BuildRequest


@dataclass(frozen=True)
class VariantResult:
    value: str
    outcome: Outcome
    files: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class BatchResult:
    report_id: str
    axis: str
    results: tuple[VariantResult, ...]

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome is outcome for r in self.results)

    @property
    def failed(self) -> list[VariantResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]


def variants_of(folder: str | Path, axis: str) -> tuple[str, list[str]]:
    """(report id, the values of ``axis``) for a publication that declares data for it."""
    from reportgen.content.model import load_report
    from reportgen.survey.variants import variant_values

    report, raw = load_report(folder)
    return report.id, variant_values(report, raw, axis)


def build_variant(task: Task) -> VariantResult:
    """Build one value's files. Runs in a worker: never raises, always says what happened."""
    try:
        result = build_report(task.folder, task.request)
    except ReportgenError as exc:
        return VariantResult(task.value, Outcome.FAILED, reason=_short(exc))
    except Exception as exc:  # a bug: said, not hidden, and the other values go on
        LOG.debug("internal error building %s", task.value, exc_info=True)
        return VariantResult(task.value, Outcome.FAILED, reason=f"internal error ({type(exc).__name__}: {exc})")
    files = tuple(str(output.path) for output in result.outputs)
    if all(output.skipped for output in result.outputs):
        return VariantResult(task.value, Outcome.UP_TO_DATE, files, reason="inputs unchanged since the last build")
    changed = any(output.changed for output in result.outputs)
    return VariantResult(task.value, Outcome.BUILT if changed else Outcome.UNCHANGED, files)


def _short(exc: ReportgenError) -> str:
    if exc.problems:
        first = exc.problems[0]
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        return f"{first}{more}"
    return str(exc).splitlines()[0]


def build_batch(
    folder: str | Path,
    request: BuildRequest | None = None,
    *,
    axis: str,
    scheduler: str | None = None,
    progress: Callable[[int, int, VariantResult], None] | None = None,
) -> BatchResult:
    """Build the publication for every value of ``axis``; ``progress(done, total, result)`` after each.

    ``request.jobs`` is the number of values built at once (default: one per core); each value's
    own languages are built one after another in its worker.
    """
    request = request or BuildRequest(jobs=None)
    jobs = request.jobs
    report_id, values = variants_of(folder, axis)
    if not values:
        raise InputError.single(folder, f"the data has no {axis} to build for")
    request = request.replace(out_dir=request.output_root, jobs=1)  # said here: a cluster worker has no settings
    tasks = [Task(str(folder), value, request.replace(variant=((axis, value),))) for value in values]
    results: dict[str, VariantResult] = {}

    def done(result: VariantResult) -> None:
        results[result.value] = result
        if progress:
            progress(len(results), len(tasks), result)

    if scheduler:
        _run_on_cluster(scheduler, tasks, done)
    else:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
        with WarmPool(workers) as pool:  # each worker keeps WeasyPrint, fonts and the survey table loaded
            for result in pool.map_unordered(build_variant, tasks):
                done(result)
    return BatchResult(report_id, axis, tuple(results[value] for value in values))


def _run_on_cluster(address: str, tasks: list[Task], done) -> None:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise InputError.single(
            "--scheduler", "running on a Dask cluster needs dask.distributed: pip install 'reportgen[cluster]'"
        ) from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise InputError.single("--scheduler", f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        futures = client.map(build_variant, tasks, pure=False)
        for future in dask_completed(futures):
            done(future.result())
