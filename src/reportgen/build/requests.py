"""A translation request written as one folder: PO, XLIFF, glossary, summary and a PDF proof.

The texts come from :func:`reportgen.i18n.handoff.request_contents`; the proof is the source
edition laid out as it will be printed, so the translator sees each text in place. Everything
is made in memory first; the folder appears whole (see :func:`reportgen.files.write_folder`),
so a proof that cannot be made leaves no half package behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen import formats as registry
from reportgen.content.load import display_path
from reportgen.files import write_folder
from reportgen.i18n.handoff import PROOF, request_contents


@dataclass(frozen=True)
class RequestPackage:
    folder: Path
    lang: str
    report_id: str
    entries: int
    words: int
    files: tuple[Path, ...]


def make_request(report_dir: Path, lang: str, out_dir: Path) -> RequestPackage:
    """Write ``out_dir/<id>.<lang>/`` for a translator; replaces an earlier request of the same name."""
    from reportgen.content.model import load_report

    report, raw = load_report(report_dir)
    contents = request_contents(report, raw, lang)
    source = registry.EditionSource(report, raw.folder, display_path(raw.source), report.language)
    files = {**contents.files, PROOF: registry.get("pdf").render(source)}
    folder = write_folder(Path(out_dir) / f"{contents.report_id}.{contents.lang}", files)
    return RequestPackage(
        folder, contents.lang, contents.report_id, contents.entries, contents.words, tuple(folder / n for n in files)
    )
