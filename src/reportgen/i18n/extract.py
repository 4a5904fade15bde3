"""Babel extraction method for publication files (``report.yaml``).

Registered as the Babel extractor ``reportgen_yaml`` (see pyproject.toml), so
``pybabel extract -F translations/reports.cfg`` and ``reportgen i18n extract`` both use it.
Each message carries a context (the section and block kind, stable when other blocks move)
and a translator comment saying where it sits and what must be kept.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.content.load import RawReport, parse_yaml
from reportgen.content.model import validate_report
from reportgen.errors import InputError
from reportgen.i18n.translate import units


def extract_report_yaml(fileobj, keywords, comment_tags, options):  # noqa: ARG001 - Babel's signature
    """Yield ``(lineno, funcname, messages, comments)`` for every translatable text."""
    name = getattr(fileobj, "name", "report.yaml")
    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    data, lines = parse_yaml(text, str(name))
    folder = Path(name).resolve().parent
    raw = RawReport(folder=folder, source=Path(name), data=data, lines=lines)
    try:
        report = validate_report(raw)
    except InputError:
        raise
    for unit in units(report):
        yield raw.line_of(unit.path) or 0, "pgettext", (unit.context, unit.text), [unit.comment]
