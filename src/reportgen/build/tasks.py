"""A build cut into tasks: one publication, one language, every stale format of it.

:func:`run_task` is what a worker process runs (:mod:`reportgen.build.workers` schedules
them). It never raises: it returns the files made, or the error to report, so one
language's failure is said clearly and never loses the others' work.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from reportgen import errors, settings
from reportgen.build.request import BuildRequest
from reportgen.build.workers import peak_mb
from reportgen.errors import ReportgenError

LOG = logging.getLogger("reportgen.build")


@dataclass(frozen=True)
class Task:
    """One language of one publication (and variant), in the formats that need building."""

    folder: str
    lang: str
    formats: tuple[str, ...]
    request: BuildRequest
    expected_seconds: float = 0.0  # from the last build: longest first


@dataclass(frozen=True)
class Failure:
    """A ReportgenError carried back from a worker (exceptions with extra fields do not pickle)."""

    kind: str
    message: str
    problems: tuple = ()

    def error(self) -> ReportgenError:
        cls = getattr(errors, self.kind, None)
        if not (isinstance(cls, type) and issubclass(cls, ReportgenError)):
            cls = errors.BuildError
        return cls(self.message, self.problems)


@dataclass(frozen=True)
class Made:
    """What a task produced: (format, bytes) per file, or the failure."""

    task: Task
    files: tuple[tuple[str, bytes], ...] = ()
    untranslated: tuple[str, ...] = ()
    seconds: float = 0.0
    peak_mb: float = 0.0  # the worker process's peak memory so far
    failure: Failure | None = None
    worker: int = field(default_factory=os.getpid)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the block with :class:`errors.OutOfTime` after ``seconds`` of wall-clock time.

    A timer signal, so it reaches a build stuck in a loop anywhere in Python code. Signals
    can only be set in a process's main thread (a worker process's task, the command line);
    elsewhere the block runs unbounded, as before."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):  # noqa: ARG001 - the signal handler's signature
        raise errors.OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_task(task: Task) -> Made:
    """Build one task's files in memory. Never raises."""
    from reportgen.build.edition import build_language

    started = time.perf_counter()
    limit = settings.current().build_seconds
    try:
        with time_limit(limit):
            edition = build_language(
                task.folder,
                task.lang,
                task.formats,
                variant=task.request.variant_map,
                allow_partial=task.request.allow_partial,
                pdf_standard=task.request.pdf_standard,
            )
    except errors.OutOfTime:
        failure = Failure(
            "InputError",
            f"{task.folder} ({task.lang}): stopped after {limit:g} seconds, the most one language of one "
            "publication may take to build — it is probably far too large (split it into several "
            "publications) or holds a picture too complex to draw; a much larger publication can be "
            "given more time with REPORTGEN_BUILD_SECONDS",
        )
    except ReportgenError as exc:
        failure = Failure(type(exc).__name__, exc.args[0], tuple(exc.problems))
    except Exception as exc:  # a bug: said, not hidden, and the other tasks go on
        LOG.debug("internal error building %s %s", task.folder, task.lang, exc_info=True)
        failure = Failure(
            "BuildError",
            f"{task.folder} ({task.lang}): internal error ({type(exc).__name__}: {exc}) — please report it",
        )
    else:
        files = tuple((name, edition.files[name]) for name in task.formats)
        return Made(task, files, edition.untranslated, time.perf_counter() - started, peak_mb())
    return Made(task, seconds=time.perf_counter() - started, peak_mb=peak_mb(), failure=failure)
