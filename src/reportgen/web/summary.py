"""What the pages show of a publication: its state per language (translation coverage, last
build, published version and whether it is current) and its last check. Read from the data,
translations, output and archive roots; nothing here writes except :func:`remember_check`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from reportgen.archive.publish import source_files, source_hash
from reportgen.archive.store import Archive
from reportgen.check.formats import as_json
from reportgen.content.model import load_report
from reportgen.errors import ReportgenError
from reportgen.files import write_atomically
from reportgen.formats import FORMATS, output_name
from reportgen.i18n.catalogs import coverage, extract_content, po_path
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE
from reportgen.survey.variants import default_variant_name
from reportgen.web import Config

CHECKS_DIR = ".checks"  # under the out dir: the last check of each publication, as `reportgen check --format json`


def publications(config: Config) -> dict[str, Path]:
    """The publications: folder name → folder, for every data dir folder with a report.yaml."""
    return {path.parent.name: path.parent for path in sorted(config.data_dir.glob("*/report.yaml"))}


def language_name(tag: str) -> str:
    return f"{LANGUAGES[tag].english_name} ({tag})"


def last_check(config: Config, name: str) -> dict | None:
    path = config.out_dir / CHECKS_DIR / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remember_check(config: Config, name: str, lang: str, result) -> None:
    record = {**as_json(result), "checked_lang": lang, "at": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    write_atomically(
        config.out_dir / CHECKS_DIR / f"{name}.json",
        (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )


def summarise(config: Config, name: str, folder: Path) -> dict:
    """A publication's state per language: coverage, last build, published or not."""
    try:
        report, raw = load_report(folder)
    except ReportgenError as exc:  # shown on the pages, so the other publications stay usable
        return {
            "name": name,
            "id": name,
            "title": name,
            "language": SOURCE_LANGUAGE,
            "period": None,
            "languages": [],
            "check": last_check(config, name),
            "error": exc.args[0] if exc.args else str(exc),
            "problems": exc.problems,
        }
    template = extract_content(raw.source)
    try:
        latest = {
            v.lang: v
            for v in Archive(config.archive_dir).search(report=report.id, latest_only=True)
            if v.report_id == report.id
        }
    except ReportgenError:
        latest = {}
    rows = []
    for tag in LANGUAGES:
        if tag == report.language:
            cover = None
        else:
            cover = coverage(template, tag, report.id, config.translations_dir)
        built = {}
        for fmt in FORMATS:
            path = config.out_dir / report.id / output_name(report.id, tag, fmt, default_variant_name(report))
            if path.is_file():
                built[fmt] = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        version = latest.get(tag)
        published = None
        if version is not None:
            try:
                current = (
                    source_hash(source_files(raw.folder, report.id, tag))
                    if tag == report.language or po_path(tag, report.id, config.translations_dir).exists()
                    else None
                )
            except ReportgenError:  # a link or a pipe among its files: publish says so; the page stays up
                current = None
            published = {
                "version": version.version,
                "current": current == version.source_hash,
                "at": version.published_at,
            }
        rows.append(
            {
                "tag": tag,
                "name": language_name(tag),
                "source": tag == report.language,
                "coverage": cover,
                "built": built,
                "published": published,
            }
        )
    return {
        "name": name,
        "id": report.id,
        "title": str(report.title),
        "language": report.language,
        "period": report.period,
        "languages": rows,
        "check": last_check(config, name),
        "error": None,
        "problems": (),
    }


def offered(summary: dict) -> list[dict]:
    """Languages worth listing: the source, and any with a catalog, a build or an archived version."""
    return [
        row
        for row in summary["languages"]
        if row["source"] or (row["coverage"] and row["coverage"].exists) or row["built"] or row["published"]
    ]
