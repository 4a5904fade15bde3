"""Work that takes seconds or minutes (build, check, publish, translation requests)
runs in a pool of worker processes, so the server keeps answering while it runs.

Each job calls one library function in a worker and records its status (queued, running,
done, failed) and its result for the pages. Results and errors come back as plain data:
a :class:`~reportgen.errors.ReportgenError` does not survive pickling with its problems, so
the worker turns it into a message and a list of :class:`~reportgen.errors.Finding`.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import secrets
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import Enum

from reportgen.errors import ReportgenError
from reportgen.settings import Settings, activate


class JobStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    id: str
    kind: str  # build, check, publish
    folder: str  # the publication's folder name in the data dir
    lang: str
    started: float = field(default_factory=time.time)
    future: Future | None = None

    @property
    def status(self) -> JobStatus:
        if self.future is None or not self.future.done():
            return JobStatus.RUNNING if self.future is not None and self.future.running() else JobStatus.QUEUED
        outcome = self.future.result() if not self.future.exception() else ("crash", repr(self.future.exception()))
        return JobStatus.DONE if outcome[0] == "ok" else JobStatus.FAILED

    @property
    def outcome(self):
        """("ok", result) or ("error", message, problems) or ("crash", text); None while running."""
        if self.future is None or not self.future.done():
            return None
        if self.future.exception():
            return ("crash", repr(self.future.exception()))
        return self.future.result()


def _init_worker(settings: Settings) -> None:
    # The server's settings (the data, translations, out and archive roots) are this worker's too.
    activate(settings)
    from reportgen.build.workers import warm_up

    warm_up()  # WeasyPrint and fontconfig loaded once; the worker keeps them for every job


def call(function_path: str, *args, **kwargs):
    """Run ``module:function`` in a worker; return ("ok", result) or ("error", message, problems)."""
    import importlib
    import logging

    # WeasyPrint reports CSS it ignores at warning level: for developers, not for the pages.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    module, name = function_path.split(":")
    function = getattr(importlib.import_module(module), name)
    try:
        return ("ok", function(*args, **kwargs))
    except ReportgenError as exc:
        return ("error", exc.args[0] if exc.args else str(exc), tuple(exc.problems))


class Jobs:
    """The worker pool and the jobs it has run since the server started."""

    def __init__(self, workers: int, settings: Settings):
        # spawn, not fork: the server has threads (its thread pool), and a forked child would
        # inherit their locks mid-use.
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(settings,),
        )
        self.jobs: dict[str, Job] = {}

    def submit(self, kind: str, folder: str, lang: str, function_path: str, *args, **kwargs) -> Job:
        job = Job(secrets.token_hex(8), kind, folder, lang)
        job.future = self.pool.submit(call, function_path, *args, **kwargs)
        self.jobs[job.id] = job
        return job

    async def run(self, function_path: str, *args, **kwargs):
        """Run in a worker and wait for it without blocking the server."""
        return await asyncio.wrap_future(self.pool.submit(call, function_path, *args, **kwargs))

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id) if isinstance(job_id, str) else None

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the worker processes now and wait until they have gone (the resource tracker follows).

        Called when the server stops (Ctrl+C, SIGTERM). A job still running is abandoned: builds
        and the archive write atomically, so it leaves nothing half-done. Waiting matters: uvicorn
        ends by raising the signal again, which kills this process without running exit handlers,
        so workers that were only asked to stop would be left running on their own.
        """
        processes = list((self.pool._processes or {}).values())  # the executor has no public list
        for process in processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1)
        # The executor's own thread sees its workers gone, fails what was queued and ends; only
        # shutdown(wait=True) waits for it (a first call without waiting would forget the thread).
        self.pool.shutdown(wait=True, cancel_futures=True)
        # Free the pool's queues now, so that their semaphores are removed and struck off the
        # resource tracker's list before this process is killed: the tracker then has nothing
        # to clean up (or to report as leaked) and exits as soon as this process has gone.
        del processes
        gc.collect()
