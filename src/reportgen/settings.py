"""Settings: everything reportgen takes from its environment, read in one place, once.

A shell (the command line, the web app) builds one :class:`Settings` from the environment
and its own options and makes it the active one with :func:`use`; worker processes are
handed the same object and activate it before their first task. Every stage asks
:func:`current` — no module reads ``os.environ`` on its own, so what a build does depends
only on its options and these settings, wherever it runs.

Environment variables (all optional):

Where a workspace was found (:mod:`reportgen.workspace`, ``reportgen.toml``), its values come
first and the environment overrides them.

``REPORTGEN_DATA``          the publications (default: the workspace's, else the project's ``data/``)
``REPORTGEN_TRANSLATIONS``  the catalogs (default: the project's ``translations/``)
``REPORTGEN_OUT``           built files (default: ``out``)
``REPORTGEN_ARCHIVE``       the archive (default: ``archive``)
``REPORTGEN_CACHE``         caches such as font subsets (default: ``~/.cache/reportgen``)
``REPORTGEN_PUBLISHER``     who publishes (default: the user name)
``REPORTGEN_FONT_SUBSETTER`` ``fonttools`` to subset fonts with fontTools even where HarfBuzz can
``REPORTGEN_BUILD_SECONDS``  the most one language of one publication may take to build (default 600)
``SOURCE_DATE_EPOCH``       the time stamp of catalogs and archived files (reproducible builds)
``NO_COLOR``                no colour in terminal output
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from reportgen.resources import DEFAULT_DATA_DIR, DEFAULT_TRANSLATIONS_DIR
from reportgen.workspace import Organisation, Workspace


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    translations_dir: Path = DEFAULT_TRANSLATIONS_DIR
    out_dir: Path = Path("out")
    archive_dir: Path = Path("archive")
    cache_dir: Path = Path.home() / ".cache" / "reportgen"
    publisher: str | None = None
    source_date_epoch: int | None = None
    font_subsetter: str = "auto"  # "auto": HarfBuzz where WeasyPrint has it; "fonttools": always fontTools
    colour: bool = True
    templates_dir: Path | None = None  # the workspace's templates, overriding the built-in ones file by file
    default_languages: tuple[str, ...] = ()  # what a build makes when no --lang is given (empty: the source's)
    organisation: Organisation = Organisation()
    workspace_root: Path | None = None
    large_print_pt: float | str = 18.0  # large print body text in pt (≥ 16); a str: not a number, refused when used
    build_seconds: float = 600.0  # wall-clock limit for one language of one publication (all its formats)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, workspace: Workspace | None = None, **overrides
    ) -> Settings:
        """Settings from ``workspace``, then ``environ`` (default: this process's environment); ``overrides`` that are not None win."""
        env = os.environ if environ is None else environ
        values: dict = {}
        if workspace is not None:
            values.update(
                data_dir=workspace.publications,
                translations_dir=workspace.translations,
                out_dir=workspace.out,
                archive_dir=workspace.archive,
                templates_dir=workspace.templates,
                default_languages=workspace.languages,
                organisation=workspace.organisation,
                workspace_root=workspace.root,
            )
        for name, variable in (
            ("data_dir", "REPORTGEN_DATA"),
            ("translations_dir", "REPORTGEN_TRANSLATIONS"),
            ("out_dir", "REPORTGEN_OUT"),
            ("archive_dir", "REPORTGEN_ARCHIVE"),
            ("cache_dir", "REPORTGEN_CACHE"),
        ):
            if env.get(variable):
                values[name] = Path(env[variable])
        if env.get("REPORTGEN_PUBLISHER"):
            values["publisher"] = env["REPORTGEN_PUBLISHER"]
        epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            values["source_date_epoch"] = int(epoch)
        if env.get("REPORTGEN_FONT_SUBSETTER") == "fonttools":
            values["font_subsetter"] = "fonttools"
        size = env.get("REPORTGEN_LARGE_PRINT_PT", "").strip()
        if size:
            try:
                values["large_print_pt"] = float(size)
            except ValueError:
                values["large_print_pt"] = size  # not a number: the large print build says so
        seconds = env.get("REPORTGEN_BUILD_SECONDS", "").strip()
        if seconds:
            try:
                values["build_seconds"] = max(1.0, float(seconds))
            except ValueError:
                pass  # not a number: the default limit stays
        if "NO_COLOR" in env:
            values["colour"] = False
        values.update({key: value for key, value in overrides.items() if value is not None})
        for name in ("data_dir", "translations_dir", "out_dir", "archive_dir", "cache_dir"):
            values[name] = Path(values.get(name, getattr(cls, name)))
        return cls(**values)

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)


_ACTIVE: Settings | None = None


def current() -> Settings:
    """The active settings; made from the environment the first time, if no shell made them."""
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = Settings.from_environment()
    return _ACTIVE


def activate(settings: Settings) -> None:
    """Make ``settings`` the active ones for this process (a worker's initialiser calls this)."""
    global _ACTIVE
    _ACTIVE = settings


@contextlib.contextmanager
def use(settings: Settings) -> Iterator[Settings]:
    """``settings`` active for the duration of the block, then the previous ones again."""
    global _ACTIVE
    previous = _ACTIVE
    _ACTIVE = settings
    try:
        yield settings
    finally:
        _ACTIVE = previous
