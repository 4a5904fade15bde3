"""Warm workers: many editions built on every core by processes that stay loaded.

A build is cut into *tasks* (:mod:`reportgen.build.tasks`), one per publication and language
(every format together, since they share the translated text). :class:`WarmPool` runs them
in worker processes that each, once at start:

* import WeasyPrint (about a second) and reportgen's PDF stage;
* lay out a line, so that fontconfig, Pango and HarfBuzz are loaded;

and then keep, from one document to the next, what they have read: WeasyPrint's parsed
user-agent stylesheets, the Jinja2 environments (compiled templates) per language, the
UI message list, the font-coverage tables, the survey table and every font opened.
Longest tasks go first (as measured by the last build), so a 30-page English edition
does not start last while the two-page translations wait.

This module knows nothing of what a task is: :func:`run_tasks` takes the function to run,
which must not raise (see :func:`reportgen.build.tasks.run_task`).
"""

from __future__ import annotations

import logging
import os
import resource
from collections.abc import Callable, Iterable

LOG = logging.getLogger("reportgen.build.workers")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


WARM_UP_HTML = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>warm-up</title>
<style>{css}</style></head><body><p>{text}</p></body></html>"""


def warm_up(every_script: bool = False) -> None:
    """Worker start: import WeasyPrint and the PDF stage, and lay out a line (fontconfig loads).

    ``every_script`` lays the line out in every trust language, so every font is open too
    (the benchmark does this before timing one document); a pool does not, since each
    worker opens only the fonts of the languages it happens to build.
    """
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        import weasyprint

        from reportgen.formats import pdf  # noqa: F401 - the PDF stage's own imports
        from reportgen.languages import LANGUAGES
        from reportgen.render.html import font_css

        languages = LANGUAGES.values() if every_script else [LANGUAGES["en-GB"]]
        text = " ".join(f'<span lang="{lang.tag}">{lang.native_name}</span>' for lang in languages)
        weasyprint.HTML(string=WARM_UP_HTML.format(css=font_css(), text=text)).write_pdf()
    except Exception:  # warming is an optimisation: the real build reports real problems
        LOG.debug("worker warm-up failed", exc_info=True)


class WarmPool:
    """A pool of warm worker processes; ``jobs`` of them (default: one per core)."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool = None  # a ProcessPoolExecutor, imported only when a pool is needed

    def __enter__(self) -> WarmPool:
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=warm_up)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map_unordered(self, function: Callable, items: Iterable):
        """Results of ``function(item)`` as they finish."""
        from concurrent.futures import as_completed

        assert self._pool is not None, "use WarmPool in a with block"
        futures = [self._pool.submit(function, item) for item in items]
        for future in as_completed(futures):
            yield future.result()


def run_tasks(function: Callable, tasks: list, *, jobs: int | None = None, progress: Callable | None = None) -> list:
    """``function(task)`` for every task, longest first (by ``task.expected_seconds``): in this process
    when there is one task or one job, else in a warm pool. ``progress(result)`` after each."""
    ordered = sorted(tasks, key=lambda t: -t.expected_seconds)
    workers = min(max(1, jobs or os.cpu_count() or 1), len(ordered))
    results = []
    if workers <= 1:
        for task in ordered:
            made = function(task)
            results.append(made)
            if progress:
                progress(made)
        return results
    with WarmPool(workers) as pool:
        for made in pool.map_unordered(function, ordered):
            results.append(made)
            if progress:
                progress(made)
    return results
