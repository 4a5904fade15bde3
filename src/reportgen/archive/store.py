"""The archive: every published PDF kept for good, and a catalogue to find it again.

Takes finished archival PDFs with what is known about them (:class:`Entry`) and stores
them; answers questions about what was published, gives files back, and checks itself.
One of the two stages that touch disk (with ``build``'s writer).

Layout under the archive root::

    objects/ab/cdef…    the files, named by the SHA-256 of their bytes (read-only)
    catalogue.sqlite    the catalogue (SQLite, WAL): objects, versions, publish events
    tmp/                files being written (a temporary name, then a hard link)

Safety, in the order a publish happens:

1. each file is written to ``tmp/``, flushed and fsync'd, then hard-linked to its
   content address. A link never replaces an existing file, so an object is never
   overwritten, and a reader never sees half a file;
2. the catalogue rows of the whole publish go in one ``BEGIN IMMEDIATE`` transaction
   (one writer at a time; the others wait up to :data:`BUSY_TIMEOUT_S`).

A process killed before the commit leaves at most an object the catalogue does not name
yet ("stray"): harmless, reused by the next publish of the same bytes, and reported by
:meth:`Archive.verify` as a note, not a problem. Nothing in the archive is derived from a
path the data chose: objects are named by hashes, and report ids and language tags are
checked against strict patterns before use.

Every archival PDF carries its report id, language, period and source hash in its XMP
(:mod:`reportgen.formats.pdf.archival`), so :meth:`Archive.rebuild` can remake a lost catalogue
from the objects alone (what was only in the catalogue — who published, when exactly,
check results — is then marked as unknown).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from reportgen.errors import Finding, InputError, ReportgenError, Severity
from reportgen.files import open_atomically, write_temporary

LOG = logging.getLogger("reportgen.archive")

SCHEMA_VERSION = 1
CATALOGUE = "catalogue.sqlite"
BUSY_TIMEOUT_S = 60
DEFAULT_ROOT = "archive"

SHA256 = re.compile(r"^[0-9a-f]{64}$")
REPORT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # the model's Slug
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, pages INTEGER, stored_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    report_id TEXT NOT NULL, lang TEXT NOT NULL, version INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES objects(sha256),
    title TEXT NOT NULL, period TEXT, report_date TEXT, source_hash TEXT, generator TEXT,
    published_at TEXT NOT NULL, publisher TEXT NOT NULL, checks TEXT,
    PRIMARY KEY (report_id, lang, version));
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, publisher TEXT NOT NULL,
    report_id TEXT NOT NULL, lang TEXT NOT NULL, version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('archived', 'unchanged')), checks TEXT);
CREATE INDEX IF NOT EXISTS versions_published ON versions (published_at);
"""


def _checkpoint(stage: str) -> None:
    """Called at each step of a publish. Tests replace it to kill the process right there."""


# -- errors and results ------------------------------------------------------------------


class ArchiveError(ReportgenError):
    """Something about the archive the user can act on."""

    exit_code = 1


class NotInArchiveError(ArchiveError):
    """Asked for a publication, language or version that is not there."""

    exit_code = 2


class CatalogueError(ArchiveError):
    """The catalogue is missing, unreadable or not ours: it can be rebuilt from the files."""


class Status(str, Enum):
    ARCHIVED = "archived"  # a new version was stored
    UNCHANGED = "unchanged"  # the same bytes as the latest version: recorded, nothing new stored
    REFUSED = "refused"  # (publish) the checks failed: nothing stored


@dataclass(frozen=True)
class Entry:
    """One archival PDF to store, with what the catalogue records about it."""

    report_id: str
    lang: str
    title: str
    data: bytes
    pages: int
    publisher: str
    period: str | None = None
    report_date: str | None = None  # the publication's own date (report.yaml ``published``)
    source_hash: str | None = None
    generator: str | None = None
    checks: object = None  # JSON-serialisable check results


@dataclass(frozen=True)
class Stored:
    """What :meth:`Archive.store` did with one entry."""

    report_id: str
    lang: str
    status: Status
    version: int
    sha256: str
    size: int


@dataclass(frozen=True)
class Version:
    """One catalogue row: a version of a publication in one language."""

    report_id: str
    lang: str
    version: int
    sha256: str
    size: int
    pages: int | None
    title: str
    period: str | None
    report_date: str | None
    source_hash: str | None
    generator: str | None
    published_at: str
    publisher: str
    checks: object

    @property
    def file_name(self) -> str:
        return f"{self.report_id}.{self.lang}.v{self.version}.pdf"


@dataclass(frozen=True)
class Event:
    at: str
    publisher: str
    report_id: str
    lang: str
    version: int
    status: Status


@dataclass(frozen=True)
class History:
    report_id: str
    versions: tuple[Version, ...]
    events: tuple[Event, ...]


# The rules of Archive.verify's findings (errors.Finding.rule); the sha256 is the pointer.
MISSING = "missing"  # the catalogue names a file that is not there
CORRUPT = "corrupt"  # the file's bytes no longer match its hash
ORPHAN_ROW = "orphan-row"  # a version row whose object the catalogue never recorded
STRAY = "stray"  # a file the catalogue does not name (left by an interrupted publish): a note


@dataclass(frozen=True)
class VerifyResult:
    checked: int  # objects whose bytes were hashed
    problems: tuple[Finding, ...]
    notes: tuple[Finding, ...] = ()  # warnings

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RebuildResult:
    catalogue: Path
    versions: int
    skipped: tuple[str, ...] = ()  # objects that could not be catalogued, and why
    moved_aside: tuple[Path, ...] = field(default_factory=tuple)


# -- helpers -----------------------------------------------------------------------------


def now_utc() -> str:
    return dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_name(report_id: str, lang: str) -> None:
    """Refuse ids and tags that could be anything but a plain name (they end up in file names)."""
    if not REPORT_ID.match(report_id or ""):
        raise ArchiveError(f"'{report_id}' is not a publication id (lower case letters, digits and hyphens)")
    if not LANG_TAG.match(lang or ""):
        raise ArchiveError(f"'{lang}' is not a language tag (e.g. en-GB, ar, zh-Hant)")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _row_version(row) -> Version:
    return Version(*row[:13], json.loads(row[13]) if row[13] else None)


VERSION_COLUMNS = (
    "v.report_id, v.lang, v.version, v.sha256, o.size, o.pages, v.title, v.period, v.report_date, "
    "v.source_hash, v.generator, v.published_at, v.publisher, v.checks"
)


class Archive:
    """An archive root: content-addressed files plus the SQLite catalogue."""

    def __init__(self, root: str | Path = DEFAULT_ROOT):
        self.root = Path(root).absolute()
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.catalogue = self.root / CATALOGUE

    # -- files ----------------------------------------------------------------------------
    def object_path(self, sha256: str) -> Path:
        """Where the file with this hash lives. Only a well-formed hash makes a path."""
        if not SHA256.match(sha256 or ""):
            raise ArchiveError(f"'{sha256}' is not a SHA-256 hash")
        return self.objects / sha256[:2] / sha256[2:]

    def _put_object(self, sha256: str, data: bytes) -> bool:
        """Store bytes under their hash. False if already there (never overwritten)."""
        path = self.object_path(sha256)
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        temp = write_temporary(self.tmp, f"{sha256[:12]}.", data, 0o444)
        try:
            _checkpoint("object-temp-written")
            try:
                os.link(temp, path)  # unlike rename, a link never replaces an existing file
            except FileExistsError:  # another publish stored the same bytes just now
                return False
            _fsync_dir(path.parent)
            return True
        finally:
            temp.unlink(missing_ok=True)

    def _iter_object_files(self) -> Iterable[tuple[str, Path]]:
        if not self.objects.is_dir():
            return
        for folder in sorted(self.objects.iterdir()):
            if not folder.is_dir():
                yield folder.name, folder
                continue
            for path in sorted(folder.iterdir()):
                yield folder.name + path.name, path

    def _has_objects(self) -> bool:
        return any(True for _ in self._iter_object_files())

    # -- catalogue ------------------------------------------------------------------------
    @contextmanager
    def _connect(self, *, create: bool = False, catalogue: Path | None = None):
        """An open catalogue; raises :class:`CatalogueError` if it is missing or damaged.

        ``catalogue`` opens another file with the same schema (rebuild stages one).
        """
        if catalogue is None and not self.catalogue.exists():
            if self._has_objects():
                raise CatalogueError(
                    f"{self.catalogue}: the catalogue is missing but the archive holds files — "
                    f"rebuild it from them: reportgen archive rebuild --archive {self.root}"
                )
            if not create:
                raise NotInArchiveError(f"{self.root}: no archive here yet (reportgen publish creates one)")
            self.root.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(catalogue or self.catalogue, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
            connection.execute("PRAGMA synchronous = FULL")  # a commit survives a power cut
            connection.execute("PRAGMA foreign_keys = ON")
            if create:
                with self._transaction(connection):
                    for statement in filter(str.strip, SCHEMA.split(";")):
                        connection.execute(statement)
                    connection.execute(
                        "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                    )
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or row[0] != str(SCHEMA_VERSION):
                raise CatalogueError(
                    f"{self.catalogue}: catalogue schema {row[0] if row else 'unknown'} is not the one this "
                    f"reportgen reads ({SCHEMA_VERSION}) — rebuild it: reportgen archive rebuild --archive {self.root}"
                )
            yield connection
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError) or "locked" in str(exc) or "busy" in str(exc):
                raise
            raise self._damaged(exc) from None
        finally:
            connection.close()

    def _damaged(self, exc) -> CatalogueError:
        return CatalogueError(
            f"{self.catalogue}: the catalogue cannot be read ({exc}) — the archived files are safe; rebuild the "
            f"catalogue from them: reportgen archive rebuild --archive {self.root}"
        )

    @staticmethod
    @contextmanager
    def _transaction(connection):
        connection.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlocks
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def check_catalogue(self, *, create: bool = False) -> None:
        """Raise :class:`CatalogueError` now if the catalogue is damaged (before a long build)."""
        with self._connect(create=create):
            pass

    # -- publish --------------------------------------------------------------------------
    def store(self, entries: Sequence[Entry]) -> list[Stored]:
        """Store the entries of one publish: files first, then all catalogue rows at once.

        An entry whose bytes equal the latest version of its report and language is
        recorded as :attr:`Status.UNCHANGED`; otherwise it becomes the next version.
        """
        for entry in entries:
            check_name(entry.report_id, entry.lang)
        self.check_catalogue(create=True)  # a broken catalogue: say so before writing anything
        hashes = [sha256_of(entry.data) for entry in entries]
        for entry, sha in zip(entries, hashes, strict=True):
            self._put_object(sha, entry.data)
        _checkpoint("objects-written")
        results = []
        at = now_utc()
        with self._connect(create=True) as connection, self._transaction(connection):
            for entry, sha in zip(entries, hashes, strict=True):
                connection.execute(
                    "INSERT OR IGNORE INTO objects VALUES (?, ?, ?, ?)", (sha, len(entry.data), entry.pages, at)
                )
                latest = connection.execute(
                    "SELECT version, sha256 FROM versions WHERE report_id = ? AND lang = ? "
                    "ORDER BY version DESC LIMIT 1",
                    (entry.report_id, entry.lang),
                ).fetchone()
                checks = json.dumps(entry.checks, ensure_ascii=False, sort_keys=True)
                if latest and latest[1] == sha:
                    status, version = Status.UNCHANGED, latest[0]
                else:
                    status, version = Status.ARCHIVED, (latest[0] + 1 if latest else 1)
                    connection.execute(
                        "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            entry.report_id,
                            entry.lang,
                            version,
                            sha,
                            entry.title,
                            entry.period,
                            entry.report_date,
                            entry.source_hash,
                            entry.generator,
                            at,
                            entry.publisher,
                            checks,
                        ),
                    )
                connection.execute(
                    "INSERT INTO events (at, publisher, report_id, lang, version, status, checks) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (at, entry.publisher, entry.report_id, entry.lang, version, status.value, checks),
                )
                results.append(Stored(entry.report_id, entry.lang, status, version, sha, len(entry.data)))
            _checkpoint("before-commit")
        _checkpoint("committed")
        LOG.info("stored %d file(s) in %s", len(results), self.root)
        return results

    # -- finding things -------------------------------------------------------------------
    def search(
        self,
        *,
        report: str | None = None,
        lang: str | None = None,
        period: str | None = None,
        since: str | None = None,
        until: str | None = None,
        latest_only: bool = False,
    ) -> list[Version]:
        """Versions matching every filter given.

        ``report`` matches part of the id or title; ``since``/``until`` are dates
        (YYYY-MM-DD, inclusive) of archiving.
        """
        where, args = [], []
        if report:
            where.append("(v.report_id LIKE ? OR v.title LIKE ?)")
            args += [f"%{report}%"] * 2
        if lang:
            where.append("lower(v.lang) = lower(?)")
            args.append(lang)
        if period:
            where.append("v.period = ?")
            args.append(period)
        if since:
            where.append("v.published_at >= ?")
            args.append(_check_date(since))
        if until:
            where.append("v.published_at < ?")
            args.append((dt.date.fromisoformat(_check_date(until)) + dt.timedelta(days=1)).isoformat())
        if latest_only:
            where.append(
                "v.version = (SELECT max(version) FROM versions w WHERE w.report_id = v.report_id AND w.lang = v.lang)"
            )
        sql = (
            f"SELECT {VERSION_COLUMNS} FROM versions v LEFT JOIN objects o USING (sha256)"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY v.report_id, v.lang, v.version"
        )
        with self._connect() as connection:
            return [_row_version(row) for row in connection.execute(sql, args)]

    def history(self, report_id: str, lang: str | None = None) -> History:
        """Every version of a publication (all languages, or one) and every publish of it."""
        with self._connect() as connection:
            args = [report_id] + ([lang] if lang else [])
            versions = [
                _row_version(row)
                for row in connection.execute(
                    f"SELECT {VERSION_COLUMNS} FROM versions v LEFT JOIN objects o USING (sha256) "
                    f"WHERE v.report_id = ?{' AND v.lang = ?' if lang else ''} ORDER BY v.lang, v.version",
                    args,
                )
            ]
            events = [
                Event(*row[:5], Status(row[5]))
                for row in connection.execute(
                    "SELECT at, publisher, report_id, lang, version, status FROM events "
                    f"WHERE report_id = ?{' AND lang = ?' if lang else ''} ORDER BY id",
                    args,
                )
            ]
        if not versions:
            raise NotInArchiveError(
                f"'{report_id}'{f' in {lang}' if lang else ''} is not in the archive "
                "(reportgen archive list shows what is)"
            )
        return History(report_id, tuple(versions), tuple(events))

    def find(self, report_id: str, lang: str, version: int | None = None) -> Version:
        versions = [v for v in self.history(report_id, lang).versions]
        if version is None:
            return versions[-1]
        for candidate in versions:
            if candidate.version == version:
                return candidate
        raise NotInArchiveError(
            f"{report_id} in {lang} has no version {version} (versions: {', '.join(str(v.version) for v in versions)})"
        )

    def read(self, version: Version) -> bytes:
        """The archived bytes, checked against their hash on the way out."""
        path = self.object_path(version.sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ArchiveError(
                f"{path}: the archived file of {version.file_name} is missing "
                "(reportgen archive verify lists every problem)"
            ) from None
        if sha256_of(data) != version.sha256:
            raise ArchiveError(
                f"{path}: the archived file of {version.file_name} is corrupt — its bytes no "
                "longer match its hash (reportgen archive verify; restore it from a backup)"
            )
        return data

    def get(
        self, report_id: str, lang: str, version: int | None = None, out: str | Path | None = None
    ) -> tuple[Version, Path | None, bytes]:
        """A version's bytes (latest if ``version`` is None), also written to ``out`` if given."""
        from reportgen.files import write_atomically

        found = self.find(report_id, lang, version)
        data = self.read(found)
        path = None
        if out is not None:
            path = Path(out)
            if path.is_dir():
                check_name(found.report_id, found.lang)
                path = path / found.file_name
            write_atomically(path, data)
        return found, path, data

    # -- checking -------------------------------------------------------------------------
    def verify(self) -> VerifyResult:
        """Re-hash every file; list missing and corrupt files, orphan rows and stray files."""
        with self._connect() as connection:
            objects = dict(connection.execute("SELECT sha256, size FROM objects").fetchall())
            orphans = connection.execute(
                "SELECT report_id, lang, version, sha256 FROM versions WHERE sha256 NOT IN (SELECT sha256 FROM objects)"
            ).fetchall()
            integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
        problems = []
        if integrity != "ok":
            problems.append(Finding(str(self.catalogue), None, "", integrity, CORRUPT))
        problems += [
            Finding(
                str(self.catalogue),
                None,
                sha,
                f"{rid} {lang} v{ver}: the catalogue names a file it never stored",
                ORPHAN_ROW,
            )
            for rid, lang, ver, sha in orphans
        ]
        for sha, size in sorted(objects.items()):
            path = self.object_path(sha)
            if not path.is_file():
                problems.append(Finding(str(path), None, sha, "missing", MISSING))
                continue
            data = path.read_bytes()
            if len(data) != size or sha256_of(data) != sha:
                problems.append(Finding(str(path), None, sha, "bytes do not match the hash", CORRUPT))
        notes = [
            Finding(
                str(path),
                None,
                name,
                "not in the catalogue (left by an interrupted publish, or put there by hand)",
                STRAY,
                Severity.WARNING,
            )
            for name, path in self._iter_object_files()
            if name not in objects
        ]
        return VerifyResult(len(objects), tuple(problems), tuple(notes))

    # -- export ---------------------------------------------------------------------------
    def export(self, dest: str | Path, **filters) -> tuple[Path, int]:
        """A zip of the matching versions with ``manifest.json`` describing each file."""
        versions = self.search(**filters)
        if not versions:
            raise NotInArchiveError("nothing in the archive matches — nothing exported")
        dest = Path(dest)
        manifest = {"format": "reportgen-archive-export/1", "exported_at": now_utc(), "files": []}
        with open_atomically(dest) as stream, zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as bundle:
            for version in versions:
                check_name(version.report_id, version.lang)
                member = f"files/{version.report_id}/{version.file_name}"
                bundle.writestr(member, self.read(version))
                manifest["files"].append({"path": member, **asdict(version)})
            bundle.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        return dest, len(versions)

    # -- repair ---------------------------------------------------------------------------
    def rebuild(self) -> RebuildResult:
        """Remake the catalogue from the stored files; the old one is moved aside, not deleted.

        Each archival PDF names its report, language, period and source hash in its XMP.
        Versions are numbered in the order the files were stored (their modification time).
        Who published and the check results were only in the catalogue: they are recorded as
        unknown. Run it while no publish is under way.
        """
        from reportgen.formats.pdf.archival import read_provenance

        found, skipped = [], []
        for name, path in self._iter_object_files():
            if not SHA256.match(name) or not path.is_file():
                skipped.append(f"{path}: not an archive object")
                continue
            data = path.read_bytes()
            if sha256_of(data) != name:
                skipped.append(f"{path}: corrupt (bytes do not match the hash) — restore it from a backup")
                continue
            try:
                meta = read_provenance(data)
            except Exception as exc:  # not a PDF we can read: keep going, say which
                skipped.append(f"{path}: unreadable ({type(exc).__name__})")
                continue
            if not meta.get("reportId") or not meta.get("language"):
                skipped.append(f"{path}: carries no reportgen provenance")
                continue
            try:
                check_name(meta["reportId"], meta["language"])
            except ArchiveError as exc:
                skipped.append(f"{path}: {exc}")
                continue
            stored_at = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            found.append((stored_at, name, len(data), meta))
        self.root.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.root, prefix=".catalogue.", suffix=".rebuild")
        os.close(handle)
        Path(temp).unlink()
        counters: dict[tuple[str, str], int] = {}
        try:
            with self._connect(create=True, catalogue=Path(temp)) as connection, self._transaction(connection):
                for stored_at, sha, size, meta in sorted(found):
                    key = (meta["reportId"], meta["language"])
                    counters[key] = counters.get(key, 0) + 1
                    connection.execute(
                        "INSERT INTO objects VALUES (?, ?, ?, ?)",
                        (sha, size, int(meta.get("pages", 0)) or None, stored_at),
                    )
                    connection.execute(
                        "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            *key,
                            counters[key],
                            sha,
                            meta.get("title", ""),
                            meta.get("period"),
                            meta.get("published"),
                            meta.get("sourceHash"),
                            meta.get("generator"),
                            stored_at,
                            "unknown (catalogue rebuilt)",
                            None,
                        ),
                    )
            moved = self._move_aside()
            os.replace(temp, self.catalogue)
            _fsync_dir(self.root)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(temp + suffix).unlink(missing_ok=True)
        return RebuildResult(self.catalogue, sum(counters.values()), tuple(skipped), moved)

    def _move_aside(self) -> tuple[Path, ...]:
        """The old catalogue and its WAL files get a dated name (a stale WAL must not meet the new file)."""
        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
        moved = []
        for suffix in ("", "-wal", "-shm"):
            path = Path(str(self.catalogue) + suffix)
            if path.exists():
                target = self.root / f"{CATALOGUE}.before-rebuild-{stamp}{suffix}"
                os.replace(path, target)
                moved.append(target)
        return tuple(moved)


def _check_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"'{value}' is not a date — write it as YYYY-MM-DD") from None
