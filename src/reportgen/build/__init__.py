"""Build: publication folders in, files in out/ — planned, made on warm workers, written whole.

* :mod:`.request` — :class:`~.request.BuildRequest`, the one options object, and the results;
* :mod:`.plan` — which files are up to date (:mod:`.stamps` records what each was made from);
* :mod:`.edition` — one language made in memory, in every format asked for;
* :mod:`.tasks` and :mod:`.workers` — the work cut per language and run on warm processes;
* :mod:`.core` — :func:`~.core.build_reports`: all of it, then every file written together;
* :mod:`.batch` — one publication per value of its data (every trust);
* :mod:`.requests` — a translation request folder with its PDF proof.
"""
