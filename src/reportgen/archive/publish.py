"""Publish: build a publication, check it, and keep what passed in the archive.

Takes a publication folder and the languages to publish; returns a :class:`PublishResult`
saying, per language, whether it was archived (a new version), unchanged (the same bytes
as the latest version) or refused (and why). Nothing is stored for a refused language.

For each language, in memory: build (``build.edition.build_edition``) → archival PDF, PDF/A-3a +
PDF/UA-1 with the sources embedded (``pdf.archival``) → checks → only then
``Archive.store``, one transaction for all the languages that passed.

A checker is any callable ``(folder, lang, files) -> list of Finding``, where ``files`` maps
each checked format's name (:mod:`reportgen.formats`) to its bytes, ``files["pdf"]`` being the
archival PDF
(:class:`reportgen.errors.Finding`, with its rule, severity and, if someone accepted it, the
waiver's reason). Any unwaived error refuses the language. By default publish runs :func:`default_checker` (the PDF
validators) and :func:`reportgen.check.check_for_publish` (everything ``reportgen check``
looks at), and records their findings, waivers and reasons included, in the catalogue.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import logging
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen import __version__, provenance
from reportgen.archive.store import DEFAULT_ROOT, Archive, Entry, Status
from reportgen.build.edition import build_edition, languages_to_build
from reportgen.build.sources import check_sizes, edition_sources, read_edition_sources
from reportgen.check import check_for_publish
from reportgen.content.load import display_path
from reportgen.content.model import load_report
from reportgen.errors import Finding, ReportgenError, Severity
from reportgen.formats import FORMATS
from reportgen.formats.pdf.archival import Attachment, make_archival
from reportgen.settings import current

LOG = logging.getLogger("reportgen.archive")

Checker = Callable[[Path, str, Mapping[str, bytes]], list[Finding]]

# The PDF profiles every archived file must pass (page-validation's names).
PDF_PROFILES = {"ua1": "PDF/UA-1", "PDF_A_3A": "PDF/A-3a"}


@dataclass(frozen=True)
class LanguageResult:
    lang: str
    status: Status
    version: int | None = None
    sha256: str | None = None
    size: int | None = None
    pages: int | None = None
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # why it was refused


@dataclass(frozen=True)
class PublishResult:
    report_id: str
    title: str
    archive: Path
    languages: tuple[LanguageResult, ...]
    head: str | None = None  # the archive's head after this publish ("seq:seal"), to keep as an anchor

    @property
    def refused(self) -> tuple[LanguageResult, ...]:
        return tuple(r for r in self.languages if r.status is Status.REFUSED)


# -- checks ------------------------------------------------------------------------------


def default_checker(folder: Path, lang: str, files: Mapping[str, bytes]) -> list[Finding]:
    """page-validation's PDF/UA-1 and PDF/A-3a profiles on the archival PDF."""
    import page

    pdf = files["pdf"]
    findings = []
    source = f"archival PDF ({lang})"
    with tempfile.TemporaryDirectory(prefix="reportgen-check-") as temp:
        path = Path(temp) / "publication.pdf"  # the validator reads a file
        path.write_bytes(pdf)
        for profile, name in PDF_PROFILES.items():
            report = page.validate_pdf(str(path), profile=profile)
            findings += [
                Finding(source, None, "", failure.message, f"{name} {failure.rule_id}", lang=lang)
                for failure in report.failures
            ]
            if not report.is_compliant and not report.failures:
                findings.append(Finding(source, None, "", f"not {name} compliant", name, lang=lang))
    return findings


default_checker.description = f"page-validation {'/'.join(PDF_PROFILES.values())}"


def combine_checkers(*checkers: Checker) -> Checker:
    """One checker that runs several and joins their findings."""

    def combined(folder, lang, files):
        return [finding for checker in checkers for finding in checker(folder, lang, files)]

    combined.description = " + ".join(_describe(c) for c in checkers)
    return combined


def _describe(checker) -> str:
    return getattr(checker, "description", None) or getattr(checker, "__qualname__", repr(checker))


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that stop a publish: errors nobody waived."""
    return [f for f in findings if f.severity is Severity.ERROR and not f.waived]


# -- provenance --------------------------------------------------------------------------


def source_files(folder: Path, report_id: str, lang: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of everything an edition is made from, named as it is hashed and embedded
    (one definition, shared with the incremental stamps:
    :func:`reportgen.build.sources.edition_sources`). Each file is read once, so the bytes hashed
    are the bytes embedded; a link, pipe or device among them refuses the publish
    (:class:`reportgen.build.sources.SourceFileError`)."""
    return read_edition_sources(folder, report_id, lang)


def source_hash(files: Sequence[tuple[str, bytes]]) -> str:
    """SHA-256 over names, sizes and bytes of the sources, and reportgen's version."""
    digest = hashlib.sha256(f"reportgen {__version__}\0".encode())
    for name, data in files:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def default_publisher() -> str:
    try:
        return current().publisher or getpass.getuser()
    except (OSError, KeyError):  # no user name for this uid (containers)
        return "unknown"


def archival_dates(published: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(created, modified): the publication's own date; modified from SOURCE_DATE_EPOCH if set."""
    created = dt.datetime.combine(published, dt.time(), tzinfo=dt.UTC)
    epoch = current().source_date_epoch
    modified = dt.datetime.fromtimestamp(epoch, tz=dt.UTC) if epoch is not None else created
    return created, modified


def _attachments(files):
    attachments = []
    for name, data in files:
        if name.startswith("templates/"):
            continue  # the house templates are the same for every publication: hashed, not embedded
        short = name.removeprefix("publication/")
        relationship = "Data" if short.endswith(".csv") else "Source"
        what = "translation catalog" if name.startswith("translations/") else "source file of this publication"
        attachments.append(Attachment(short, data, relationship, f"{what}: {short}"))
    return attachments


# -- publish -----------------------------------------------------------------------------


def make_archival_edition(report, raw, lang: str):
    """(edition, archival PDF bytes, source hash, page count) for one language."""
    import io

    import pikepdf

    checked = [name for name, fmt in FORMATS.items() if (fmt.checks and fmt.always_checked) or fmt.archived]
    files = source_files(raw.folder, report.id, lang)  # before the build: a link or a pipe stops it here
    edition = build_edition(report, raw, lang, formats=checked)
    digest = source_hash(files)
    created, modified = archival_dates(report.published)
    pdf = make_archival(
        edition.files["pdf"],
        attachments=_attachments(files),
        created=created,
        modified=modified,
        provenance={
            "reportId": report.id,
            "language": lang,
            "period": report.period,
            "published": report.published.isoformat(),
            "sourceHash": digest,
            "generator": provenance.generator(),
        },
    )
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    return edition, pdf, digest, pages


def publish_report(
    folder: str | Path,
    *,
    langs: list[str] | None = None,
    archive_root: str | Path = DEFAULT_ROOT,
    checker: Checker | None = None,
    publisher: str | None = None,
) -> PublishResult:
    """Build, check and archive a publication in the given languages (default: its own).

    Raises :class:`~reportgen.errors.InputError` when the publication itself cannot be read
    and :class:`~reportgen.archive.store.CatalogueError` when the archive is damaged; a language
    that fails to build or to pass the checks is refused, and the others go ahead.
    """
    if checker is None:
        checker = combine_checkers(default_checker, check_for_publish)
    publisher = publisher or default_publisher()
    report, raw = load_report(Path(folder))
    languages = languages_to_build(report, langs, display_path(raw.source))
    # A link, pipe or device in the publication's folder refuses the whole publish (exit 2), not one language
    check_sizes(edition_sources(raw.folder, report.id, report.language), raw.folder)  # looks (lstat) without reading
    archive = Archive(archive_root)
    archive.check_catalogue(create=True)  # before the slow part

    results: dict[str, LanguageResult] = {}
    entries: list[Entry] = []
    for lang in languages:
        try:
            edition, pdf, digest, pages = make_archival_edition(report, raw, lang)
        except ReportgenError as exc:
            results[lang] = LanguageResult(lang, Status.REFUSED, reason=f"it could not be built: {exc}")
            continue
        findings = tuple(checker(raw.folder, lang, {**edition.files, "pdf": pdf}))
        stopping = blocking(findings)
        if stopping:
            results[lang] = LanguageResult(
                lang,
                Status.REFUSED,
                pages=pages,
                findings=findings,
                reason=f"{len(stopping)} check(s) failed, e.g. {stopping[0].rule}: {stopping[0].message}",
            )
            continue
        results[lang] = LanguageResult(lang, Status.ARCHIVED, pages=pages, findings=findings)
        entries.append(
            Entry(
                report_id=report.id,
                lang=lang,
                title=str(edition.report.title),
                data=pdf,
                pages=pages,
                publisher=publisher,
                period=report.period,
                report_date=report.published.isoformat(),
                source_hash=digest,
                generator=provenance.generator(),
                checks={"checker": _describe(checker), "findings": [f.as_dict() for f in findings]},
            )
        )
    for stored in archive.store(entries) if entries else ():
        previous = results[stored.lang]
        results[stored.lang] = LanguageResult(
            stored.lang, stored.status, stored.version, stored.sha256, stored.size, previous.pages, previous.findings
        )
    LOG.info("published %s: %s", report.id, ", ".join(f"{r.lang} {r.status.value}" for r in results.values()))
    return PublishResult(
        report.id, str(report.title), archive.root, tuple(results[lang] for lang in languages), archive.last_head
    )
