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
import fcntl
import hashlib
import hmac
import json
import logging
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from reportgen.archive import seal
from reportgen.errors import Finding, InputError, ReportgenError, Severity
from reportgen.files import open_atomically

LOG = logging.getLogger("reportgen.archive")

SCHEMA_VERSION = 2  # 2: every versions and events row is sealed in one hash chain (seq, prev, chain)
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
    seq INTEGER, prev TEXT, chain TEXT,
    PRIMARY KEY (report_id, lang, version));
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, publisher TEXT NOT NULL,
    report_id TEXT NOT NULL, lang TEXT NOT NULL, version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('archived', 'unchanged')), checks TEXT,
    seq INTEGER, prev TEXT, chain TEXT);
CREATE INDEX IF NOT EXISTS versions_published ON versions (published_at);
"""


def _checkpoint(stage: str) -> None:
    """Called at each step of a publish. Tests replace it to kill the process right there."""


# -- errors and results ------------------------------------------------------------------


def _use_wal(connection) -> None:
    """Switch the catalogue to write-ahead logging (once; the mode is kept in the file).

    SQLite answers "database is locked" at once, without waiting for its busy timeout, when two
    processes switch a brand-new catalogue at the same moment (two first publishes at once): try
    again for up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
TEMP_LEFTOVER = "tmp-leftover"  # a half-written file in tmp/ from a publish that was killed: a note
SEALED_LATE = "sealed-late"  # records that were sealed when an older archive was upgraded: a note


@dataclass(frozen=True)
class VerifyResult:
    checked: int  # objects whose bytes were hashed
    problems: tuple[Finding, ...]
    notes: tuple[Finding, ...] = ()  # warnings
    records: int = 0  # catalogue records whose seals were checked
    head: str | None = None  # "seq:seal" of the last record: keep it elsewhere as an anchor

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


VERSION_INSERT = (
    "report_id, lang, version, sha256, title, period, report_date, source_hash, generator, published_at, "
    "publisher, checks"
)
VERSION_COLUMNS = (
    "v.report_id, v.lang, v.version, v.sha256, o.size, o.pages, v.title, v.period, v.report_date, "
    "v.source_hash, v.generator, v.published_at, v.publisher, v.checks"
)


_FROM_ENV = object()


class Archive:
    """An archive root: content-addressed files plus the SQLite catalogue.

    ``key``: the archive key (bytes) that signs the catalogue's head (:mod:`.seal`); by default
    read from the file named by ``REPORTGEN_ARCHIVE_KEY_FILE``, if set; None for no key.
    """

    def __init__(self, root: str | Path = DEFAULT_ROOT, key: bytes | None = _FROM_ENV):
        self.root = Path(root).absolute()
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.catalogue = self.root / CATALOGUE
        if key is _FROM_ENV:
            try:
                key = seal.key_from_env(self.root)
            except ValueError as exc:
                raise ArchiveError(str(exc)) from None
        self.key = key
        self.last_head: str | None = None  # the head after this object's last store()
        self._signed = False

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
        handle, temp = self._locked_temporary(f"{sha256[:12]}.")
        try:
            with os.fdopen(handle, "wb", closefd=False) as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.fchmod(handle, 0o444)
            _checkpoint("object-temp-written")
            try:
                os.link(temp, path)  # unlike rename, a link never replaces an existing file
            except FileExistsError:  # another publish stored the same bytes just now
                return False
            _fsync_dir(path.parent)
            return True
        finally:
            temp.unlink(missing_ok=True)
            os.close(handle)  # the lock goes with it

    def _locked_temporary(self, prefix: str) -> tuple[int, Path]:
        """A new file in tmp/, held under an exclusive lock while this process writes it.

        The lock is what tells a leftover (its process was killed, so the lock is gone) from a
        file another publish is writing right now: :meth:`_clean_tmp` removes only unlocked
        files. If a cleaner took the name between creating and locking it, try another name.
        """
        self.tmp.mkdir(parents=True, exist_ok=True)
        while True:
            handle, temp = tempfile.mkstemp(dir=self.tmp, prefix=prefix, suffix=".tmp")
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                same = os.stat(temp).st_ino == os.fstat(handle).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return handle, Path(temp)
            os.close(handle)

    def _leftovers(self) -> list[Path]:
        """Files in tmp/ that no running publish holds (left by a publish that was killed)."""
        if not self.tmp.is_dir():
            return []
        found = []
        for path in sorted(self.tmp.iterdir()):
            try:
                handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                found.append(path)  # a link or something odd: not ours either way
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # another publish is writing it now
            finally:
                os.close(handle)
            found.append(path)
        return found

    def _clean_tmp(self) -> int:
        """Remove what killed publishes left in tmp/ (never a file a running publish holds)."""
        removed = 0
        for path in self._leftovers():
            try:
                handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if os.stat(path).st_ino == os.fstat(handle).st_ino:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
            finally:
                os.close(handle)
        if removed:
            LOG.info("removed %d file(s) left in %s by a publish that was stopped", removed, self.tmp)
        return removed

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
            _use_wal(connection)  # readers never block the writer
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
            if row is not None and row[0] == "1":
                self._migrate_from_1(connection)
                row = (str(SCHEMA_VERSION),)
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

    def _migrate_from_1(self, connection) -> None:
        """Schema 1 → 2, once: seal every existing record, in the order it was written, and say so.

        Records written before this moment are vouched for only from now on: a change made to
        one of them earlier cannot be seen. The upgrade is recorded in ``meta`` and reported
        by every verify as a note.
        """
        with self._transaction(connection):
            if connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "1":
                return  # another process upgraded it while this one waited for the lock
            for table in ("versions", "events"):
                for column in ("seq INTEGER", "prev TEXT", "chain TEXT"):
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
            rows = [
                (at, 0, rowid, "versions")
                for at, rowid in connection.execute("SELECT published_at, rowid FROM versions")
            ] + [(at, 1, rowid, "events") for at, rowid in connection.execute("SELECT at, id FROM events")]
            head = None
            for _at, _order, rowid, table in sorted(rows):
                head = self._seal_row(connection, table, rowid, head)
            self._set_head(connection, head)
            connection.execute(
                "INSERT OR REPLACE INTO meta VALUES ('sealed_late', ?)",
                (f"{len(rows)} {now_utc()}",),
            )
            connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        LOG.info(
            "%s: upgraded the catalogue to schema %d: sealed %d record(s)", self.catalogue, SCHEMA_VERSION, len(rows)
        )

    # -- seals ----------------------------------------------------------------------------
    @staticmethod
    def _fields(connection, table: str, rowid: int) -> tuple[str, tuple]:
        if table == "versions":
            row = connection.execute(
                f"SELECT {seal.VERSION_FIELDS} FROM versions v LEFT JOIN objects o USING (sha256) WHERE v.rowid = ?",
                (rowid,),
            ).fetchone()
            return "version", tuple(row)
        row = connection.execute(f"SELECT {seal.EVENT_FIELDS} FROM events WHERE id = ?", (rowid,)).fetchone()
        return "event", tuple(row)

    def _seal_row(self, connection, table: str, rowid: int, head: tuple[int, str] | None) -> tuple[int, str]:
        """Give the row the next number and its seal after ``head``; the new head."""
        seq, prev = (head[0] + 1, head[1]) if head else (1, seal.GENESIS)
        kind, fields = self._fields(connection, table, rowid)
        chain = seal.seal(prev, seq, kind, fields)
        key = "rowid" if table == "versions" else "id"
        connection.execute(
            f"UPDATE {table} SET seq = ?, prev = ?, chain = ? WHERE {key} = ?", (seq, prev, chain, rowid)
        )
        return seq, chain

    def _head(self, connection) -> tuple[int, str] | None:
        """The head the catalogue recorded (not the last row: a deleted last row stays missing)."""
        row = connection.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
        if row is None:
            return None
        head = seal.parse_head(row[0])
        if head is None:
            raise ArchiveError(
                f"{self.catalogue}: the catalogue's record of its last entry is damaged ({row[0]!r}); nothing was "
                f"published — reportgen archive verify --archive {self.root} lists what does not check"
            )
        return head

    def _set_head(self, connection, head: tuple[int, str] | None) -> None:
        if head is None:
            return
        text = seal.head_text(*head)
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('head', ?)", (text,))
        if self.key is not None:
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('head_mac', ?)", (seal.mac(self.key, text),))

    def _check_signature(self, connection) -> str | None:
        """Why the head's signature does not check (None when it does, or there is none to check)."""
        head = connection.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
        signed = connection.execute("SELECT value FROM meta WHERE key = 'head_mac'").fetchone()
        if self.key is None:
            return None
        if signed is None:
            if head is None:
                return None  # nothing recorded yet
            return (
                "the catalogue is not signed, but an archive key was given — it was never published "
                "with the key, or the signature was removed"
            )
        if head is None or not hmac.compare_digest(seal.mac(self.key, head[0]), signed[0]):
            return (
                "the catalogue's signature does not match its records — they were rewritten by "
                "someone without the archive key, or this is not the key the archive was signed with"
            )
        return None

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
        with self._connect(create=True) as connection:  # a broken or unusable catalogue: say so before writing
            self._may_append(connection)
        self._clean_tmp()
        hashes = [sha256_of(entry.data) for entry in entries]
        for entry, sha in zip(entries, hashes, strict=True):
            self._put_object(sha, entry.data)
        _checkpoint("objects-written")
        results = []
        at = now_utc()
        with self._connect(create=True) as connection, self._transaction(connection):
            self._may_append(connection)
            head = self._head(connection) or self._last_sealed(connection)
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
                    cursor = connection.execute(
                        f"INSERT INTO versions ({VERSION_INSERT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    head = self._seal_row(connection, "versions", cursor.lastrowid, head)
                cursor = connection.execute(
                    "INSERT INTO events (at, publisher, report_id, lang, version, status, checks) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (at, entry.publisher, entry.report_id, entry.lang, version, status.value, checks),
                )
                head = self._seal_row(connection, "events", cursor.lastrowid, head)
                results.append(Stored(entry.report_id, entry.lang, status, version, sha, len(entry.data)))
            self._set_head(connection, head)
            self.last_head = seal.head_text(*head) if head else None
            _checkpoint("before-commit")
        _checkpoint("committed")
        LOG.info("stored %d file(s) in %s", len(results), self.root)
        return results

    def _may_append(self, connection) -> None:
        """Refuse to add to a signed catalogue without its key, or to one whose signature fails
        (a new signature would hide what was done to it)."""
        signed = connection.execute("SELECT 1 FROM meta WHERE key = 'head_mac'").fetchone()
        if self.key is None and signed:
            raise ArchiveError(
                f"{self.catalogue}: this archive's catalogue is signed with a key — publish with it: "
                f"set {seal.KEY_ENV} to the key file's path"
            )
        problem = self._check_signature(connection)
        if problem and signed:
            raise ArchiveError(
                f"{self.catalogue}: {problem}; nothing was published — "
                f"reportgen archive verify --archive {self.root} lists what does not check"
            )
        if problem:  # a key, records, no signature: never signed — or the signature was taken off
            raise ArchiveError(
                f"{self.catalogue}: an archive key is set but this archive's catalogue is not signed yet; "
                f"nothing was published — check it and start signing it with: reportgen archive sign --archive {self.root}"
            )

    def sign(self) -> str:
        """Start signing an unsigned catalogue with :attr:`key`, if every record checks; the head signed.

        Signing vouches for the records as they are now: run it once, when the archive key is
        first set up, after :meth:`verify` shows nothing wrong.
        """
        if self.key is None:
            raise ArchiveError(f"no archive key: set {seal.KEY_ENV} to the path of the key file")
        with self._connect() as connection, self._transaction(connection):
            if connection.execute("SELECT 1 FROM meta WHERE key = 'head_mac'").fetchone():
                problem = self._check_signature(connection)
                if problem:
                    raise ArchiveError(f"{self.catalogue}: {problem} — it is not signed again")
                return connection.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0]
            breaks = [b for b in self._check_seals(connection)[0] if b.rule != seal.SIGNATURE]
            if breaks:
                raise ArchiveError(
                    f"{self.catalogue}: {breaks[0].message} — the catalogue is not signed while records "
                    f"do not check ({len(breaks)} problem(s): reportgen archive verify --archive {self.root})"
                )
            head = self._head(connection) or self._last_sealed(connection)
            if head is None:
                raise NotInArchiveError(f"{self.root}: nothing is archived yet — the first publish signs it")
            self._set_head(connection, head)
            return seal.head_text(*head)

    @staticmethod
    def _last_sealed(connection) -> tuple[int, str] | None:
        row = connection.execute(
            "SELECT seq, chain FROM (SELECT seq, chain FROM versions UNION ALL SELECT seq, chain FROM events) "
            "WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return tuple(row) if row else None

    def head(self) -> str | None:
        """The catalogue's head, "seq:seal" — print it, keep it elsewhere, give it to verify as an anchor."""
        with self._connect() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
        return row[0] if row else None

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
        """The archived bytes, given out only if the version's record checks (its seal, the
        catalogue's signature) and the bytes match their hash."""
        self.check_record(version)
        return self._read_object(version)

    def _read_object(self, version: Version) -> bytes:
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
    def verify(self, anchors: Sequence[str] = ()) -> VerifyResult:
        """Re-hash every file and check every record's seal; list what does not check.

        Problems: missing and corrupt files, orphan rows, records whose seals fail, a missing
        record, a head or signature that does not match, an ``anchor`` ("seq:seal", a head kept
        elsewhere) that is not in the chain. Notes: stray files, tmp/ leftovers, records that
        were sealed late (when an older archive was upgraded).
        """
        with self._connect() as connection:
            objects = dict(connection.execute("SELECT sha256, size FROM objects").fetchall())
            orphans = connection.execute(
                "SELECT report_id, lang, version, sha256 FROM versions WHERE sha256 NOT IN (SELECT sha256 FROM objects)"
            ).fetchall()
            integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
            breaks, records, head, sealed_late = self._check_seals(connection, anchors)
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
        problems += [Finding(str(self.catalogue), None, "", b.message, b.rule) for b in breaks]
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
        notes += [
            Finding(
                str(path),
                None,
                "",
                "a half-written file left by a publish that was stopped — harmless; the next publish removes it",
                TEMP_LEFTOVER,
                Severity.WARNING,
            )
            for path in self._leftovers()
        ]
        if sealed_late:
            count, _, when = sealed_late.partition(" ")
            notes.append(
                Finding(
                    str(self.catalogue),
                    None,
                    "",
                    f"the first {count} record(s) were sealed on {when[:10]}, when this archive was upgraded: "
                    "a change made to them before then cannot be seen",
                    SEALED_LATE,
                    Severity.WARNING,
                )
            )
        if self.key is None and self._signed:
            notes.append(
                Finding(
                    str(self.catalogue),
                    None,
                    "",
                    f"the catalogue is signed, but no key was given, so the signature was not checked (set {seal.KEY_ENV})",
                    seal.SIGNATURE,
                    Severity.WARNING,
                )
            )
        return VerifyResult(len(objects), tuple(problems), tuple(notes), records, head)

    def _check_seals(self, connection, anchors: Sequence[str] = ()):
        """(breaks, records checked, recorded head, the upgrade note or None)."""
        records = [
            seal.Record(
                seq, prev, chain, "version", tuple(fields), f"{fields[0]} {fields[1]} v{fields[2]}", tuple(fields[:3])
            )
            for seq, prev, chain, *fields in connection.execute(
                f"SELECT v.seq, v.prev, v.chain, {seal.VERSION_FIELDS} FROM versions v LEFT JOIN objects o USING (sha256)"
            )
        ]
        records += [
            seal.Record(
                seq,
                prev,
                chain,
                "event",
                tuple(fields),
                f"the publish of {fields[3]} {fields[4]} v{fields[5]} ({fields[6]})",
            )
            for seq, prev, chain, *fields in connection.execute(
                f"SELECT seq, prev, chain, {seal.EVENT_FIELDS} FROM events"
            )
        ]
        breaks, last = seal.walk(records)
        recorded = connection.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
        recorded = recorded[0] if recorded else None
        parsed = seal.parse_head(recorded) if recorded is not None else None
        actual = seal.head_text(*last) if last else None
        if recorded != actual:
            if recorded is None:
                message = "the catalogue has lost its record of its last entry (the head)"
            elif parsed is None:
                message = f"the catalogue's record of its last entry (the head) is damaged: {recorded!r}"[:300]
            elif last is None:
                message = f"every record is gone: the catalogue's last entry was #{parsed[0]}"
            elif parsed[0] > last[0]:
                seq = parsed[0]
                gone = f"#{seq}" if seq == last[0] + 1 else f"#{last[0] + 1}–#{seq}"
                message = f"record {gone}, the last, is missing — deleted from the catalogue"
            else:
                message = f"the last record (#{last[0]}) is not the one the catalogue recorded as its last"
            breaks.append(seal.Break(seal.HEAD, None, message))
        self._signed = connection.execute("SELECT 1 FROM meta WHERE key = 'head_mac'").fetchone() is not None
        signature = self._check_signature(connection)
        if signature:
            breaks.append(seal.Break(seal.SIGNATURE, None, signature))
        chains = {(r.seq, r.chain) for r in records}
        for anchor in anchors:
            number, _, chain = anchor.strip().partition(":")
            if not number.isdigit() or not SHA256.match(chain):
                raise InputError(f"'{anchor}' is not an archive head — it looks like 12:3f5a… (as publish prints it)")
            if (int(number), chain) not in chains:
                breaks.append(
                    seal.Break(
                        seal.ANCHOR,
                        int(number),
                        f"the head kept as {number}:{chain[:16]}… is not in the catalogue — record #{number} was "
                        "deleted or the catalogue was rewritten or replaced by an older copy",
                    )
                )
        late = connection.execute("SELECT value FROM meta WHERE key = 'sealed_late'").fetchone()
        return breaks, len(records), recorded, late[0] if late else None

    def check_record(self, version: Version, breaks: Sequence[seal.Break] | None = None) -> None:
        """Raise :class:`ArchiveError` unless this version's record checks (its seal, the signature).

        ``breaks``: what :meth:`_check_seals` found, when the caller checks many versions at once.
        """
        if breaks is None:
            with self._connect() as connection:
                breaks = self._check_seals(connection)[0]
        key = (version.report_id, version.lang, version.version)
        for issue in breaks:
            if issue.key == key or issue.rule == seal.SIGNATURE:
                raise ArchiveError(
                    f"{self.catalogue}: {issue.message} — the file is not given out; "
                    f"reportgen archive verify --archive {self.root} lists every problem"
                )

    # -- export ---------------------------------------------------------------------------
    def export(self, dest: str | Path, **filters) -> tuple[Path, int]:
        """A zip of the matching versions with ``manifest.json`` describing each file."""
        versions = self.search(**filters)
        if not versions:
            raise NotInArchiveError("nothing in the archive matches — nothing exported")
        with self._connect() as connection:
            breaks = self._check_seals(connection)[0]
        for version in versions:  # refuse before writing anything
            self.check_record(version, breaks)
        dest = Path(dest)
        manifest = {"format": "reportgen-archive-export/1", "exported_at": now_utc(), "files": []}
        with open_atomically(dest) as stream, zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as bundle:
            for version in versions:
                check_name(version.report_id, version.lang)
                member = f"files/{version.report_id}/{version.file_name}"
                bundle.writestr(member, self._read_object(version))
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
        head = None
        try:
            with self._connect(create=True, catalogue=Path(temp)) as connection, self._transaction(connection):
                for stored_at, sha, size, meta in sorted(found):
                    key = (meta["reportId"], meta["language"])
                    counters[key] = counters.get(key, 0) + 1
                    connection.execute(
                        "INSERT INTO objects VALUES (?, ?, ?, ?)",
                        (sha, size, int(meta.get("pages", 0)) or None, stored_at),
                    )
                    cursor = connection.execute(
                        f"INSERT INTO versions ({VERSION_INSERT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    head = self._seal_row(connection, "versions", cursor.lastrowid, head)
                self._set_head(connection, head)
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
