"""The patient-survey benchmark report: the national table (data), its calculations (calc),
the pages of one trust (view), and the variants a publication is built in (variants).

:class:`Variant` is here, below both :mod:`.variants` (which picks one) and :mod:`.view`
(which makes the survey's), so neither imports the other at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.content.model import Report


@dataclass(frozen=True)
class Variant:
    name: str | None = None  # e.g. "RT5"; None for a publication built once
    title: str | None = None  # appended to the title of every edition, e.g. the trust's name
    make_context: Callable[[str], dict] = field(default=lambda lang: {})

    def context(self, lang: str) -> dict:
        return self.make_context(lang)

    def specialise(self, edition: Report) -> Report:
        if not self.title:
            return edition
        return edition.model_copy(update={"title": f"{edition.title}: {self.title}"})
