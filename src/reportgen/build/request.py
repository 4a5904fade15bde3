"""What a build is asked to do (:class:`BuildRequest`), and what it did (:class:`BuildResult`).

One frozen request travels from the CLI, the web app or the batch down to every worker: the
languages, formats, variant, output folder and switches, said once. Settings that are not
about this build (roots, publisher, epoch) are in :mod:`reportgen.settings`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportgen import formats as registry
from reportgen.formats.pdf.standards import PDF_STANDARDS
from reportgen.settings import current


def default_formats() -> tuple[str, ...]:
    """The formats built when none are named: those registered as made by default."""
    return tuple(name for name, fmt in registry.FORMATS.items() if fmt.by_default)


@dataclass(frozen=True)
class BuildRequest:
    """One build's options. ``None`` means "the default": the source language, the default
    formats, the settings' output folder, one worker process."""

    langs: tuple[str, ...] | None = None  # tags, or ("all",): the source and every translation
    formats: tuple[str, ...] | None = None  # names in reportgen.formats.FORMATS
    out_dir: Path | None = None
    allow_partial: bool = False  # show untranslated passages in the source language, marked
    variant: tuple[tuple[str, str], ...] = ()  # e.g. (("trust", "RT5"),): one value of the data
    force: bool = False  # build even files whose inputs have not changed
    jobs: int | None = 1  # worker processes; None: one per core
    pdf_standard: str = "ua-1"  # a name in reportgen.formats.pdf.standards.PDF_STANDARDS

    def __post_init__(self):
        if self.langs is not None and not isinstance(self.langs, tuple):
            object.__setattr__(self, "langs", tuple(self.langs))
        if self.formats is not None:
            object.__setattr__(self, "formats", tuple(self.formats))
            for name in self.formats:
                registry.get(name)  # KeyError naming the choices
        if self.pdf_standard not in PDF_STANDARDS:
            raise KeyError(f"unknown PDF standard {self.pdf_standard!r} — choose from: {', '.join(PDF_STANDARDS)}")
        if self.out_dir is not None and not isinstance(self.out_dir, Path):
            object.__setattr__(self, "out_dir", Path(self.out_dir))
        if isinstance(self.variant, Mapping):
            object.__setattr__(self, "variant", tuple(self.variant.items()))
        elif not isinstance(self.variant, tuple):
            object.__setattr__(self, "variant", tuple(self.variant))

    def replace(self, **changes) -> BuildRequest:
        return dataclasses.replace(self, **changes)

    @classmethod
    def of(cls, *, variant: Mapping[str, str] | Iterable | None = None, **options) -> BuildRequest:
        return cls(variant=tuple(dict(variant or {}).items()), **options)

    @property
    def format_names(self) -> tuple[str, ...]:
        return self.formats if self.formats is not None else default_formats()

    @property
    def output_root(self) -> Path:
        return self.out_dir if self.out_dir is not None else current().out_dir

    @property
    def variant_map(self) -> dict[str, str] | None:
        return dict(self.variant) or None


@dataclass(frozen=True)
class Output:
    lang: str
    format: str  # a name in reportgen.formats.FORMATS
    path: Path
    size: int
    changed: bool = True  # False when the file already held exactly these bytes
    skipped: bool = False  # True when its inputs had not changed: it was not built at all
    reason: str = ""  # why it was built ("report.yaml changed") or skipped ("up to date")


@dataclass(frozen=True)
class BuildResult:
    report_id: str
    title: str
    outputs: tuple[Output, ...]
    untranslated: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang → source texts shown instead
