"""Seals on the catalogue's records: one hash chain over every version and publish event.

Every row of ``versions`` and ``events`` carries ``seq`` (its place in one sequence shared by
both tables), ``prev`` (the seal of the record before it) and ``chain``, its seal:
SHA-256 over ``prev`` and the record's canonical fields (:func:`version_fields`,
:func:`event_fields`: every column that says what was published, by whom and when, and the
archived file's hash, size and pages). The catalogue's ``meta`` table keeps the last seal as
``head`` ("seq seal"), and, when the archive has a key, ``head_mac``: HMAC-SHA-256 of the
head with a key kept outside the catalogue.

What this detects, and what it cannot, is written out for readers in docs/archive.md:

* an edited field, a repointed file hash, a reordered record: the record's seal no longer
  matches its fields;
* a deleted record in the middle: the next record's ``prev`` names a seal nobody has, and its
  ``seq`` skips a number;
* a deleted last record: the ``head`` no longer matches — unless whoever deleted it also
  rewrote the head. Someone who rewrites the whole chain and the head (they can: the seal is
  a plain hash) is caught only by the key (they cannot make ``head_mac`` without it) or by an
  *anchor* — a head printed by publish and kept somewhere else, which verify checks is still
  in the chain. A key does not stop someone from putting back an older copy of the whole
  catalogue; an anchor from after that copy does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

GENESIS = "0" * 64  # the "seal before the first record"
KEY_ENV = "REPORTGEN_ARCHIVE_KEY_FILE"
MIN_KEY_BYTES = 16
MAX_KEY_BYTES = 4096

# verify's rules for the catalogue's records (errors.Finding.rule)
TAMPERED = "tampered"  # a record's fields do not match its seal
RECORD_MISSING = "record-missing"  # a record was taken out of the middle of the chain
BROKEN_LINK = "broken-link"  # a record's prev is not the seal before it (moved, or the chain rewritten)
HEAD = "head"  # the last record does not match the head kept in the catalogue
SIGNATURE = "signature"  # the head's HMAC does not match (rewritten, or the wrong key)
ANCHOR = "anchor"  # a head kept elsewhere is not in the chain
UNSEALED = "unsealed"  # a record without a seal (written behind reportgen's back)


@dataclass(frozen=True)
class Record:
    """One sealed row, as verify walks them."""

    seq: int | None
    prev: str | None
    chain: str | None
    kind: str  # "version" or "event"
    fields: tuple
    label: str  # how a reader knows it: "annual-report en-GB v3" / "publish event of …"
    key: tuple | None = None  # (report_id, lang, version) for a version row


@dataclass(frozen=True)
class Break:
    """Something wrong in the chain: (rule, record seq or None, message)."""

    rule: str
    seq: int | None
    message: str
    key: tuple | None = None


# What a seal covers, in this order, after the record's seq (the columns as store.py names them).
VERSION_FIELDS = (
    "v.report_id, v.lang, v.version, v.sha256, o.size, o.pages, v.title, v.period, v.report_date, "
    "v.source_hash, v.generator, v.published_at, v.publisher, v.checks"
)
EVENT_FIELDS = "id, at, publisher, report_id, lang, version, status, checks"


def seal(prev: str, seq: int, kind: str, fields: Iterable) -> str:
    """The seal of record ``seq`` of ``kind`` ("version", "event") after the seal ``prev``."""
    text = json.dumps([seq, kind, *fields], ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.sha256(f"{prev}\n{text}".encode()).hexdigest()


def parse_head(text) -> tuple[int, str] | None:
    """(seq, seal) from "seq:seal", or None if it is not one."""
    if not isinstance(text, str):
        return None
    seq, _, chain = text.partition(":")
    if not seq.isascii() or not seq.isdigit() or len(chain) != 64 or not all(c in "0123456789abcdef" for c in chain):
        return None
    return int(seq), chain


def _plain(value):
    """A value SQLite may hold that JSON has no type for (a BLOB) — written out, never a crash."""
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    raise TypeError(type(value).__name__)


def head_text(seq: int, chain: str) -> str:
    return f"{seq}:{chain}"


def mac(key: bytes, head: str) -> str:
    return hmac.new(key, f"reportgen-archive-head\n{head}".encode(), hashlib.sha256).hexdigest()


def walk(records: list[Record]) -> tuple[list[Break], tuple[int, str] | None]:
    """Check every record's seal and link, in ``seq`` order; the breaks and the real last (seq, seal)."""
    breaks: list[Break] = []
    unsealed = [
        r for r in records if type(r.seq) is not int or not isinstance(r.chain, str) or not isinstance(r.prev, str)
    ]
    for record in unsealed:
        breaks.append(
            Break(
                UNSEALED,
                None,
                f"{record.label}: has no seal, or a damaged one — it was written or changed behind reportgen's back",
                record.key,
            )
        )
    left_out = {id(r) for r in unsealed}
    sealed = sorted((r for r in records if id(r) not in left_out), key=lambda r: r.seq)
    previous_seq, previous_chain = 0, GENESIS
    for record in sealed:
        where = f"record #{record.seq}, {record.label}"
        if seal(record.prev, record.seq, record.kind, record.fields) != record.chain:
            breaks.append(
                Break(
                    TAMPERED,
                    record.seq,
                    f"{where}: its details no longer match its seal — changed after it was "
                    "published (title, dates, publisher, file or check results)",
                    record.key,
                )
            )
        elif record.seq == previous_seq:
            breaks.append(
                Break(BROKEN_LINK, record.seq, f"{where}: a second record numbered #{record.seq}", record.key)
            )
        elif record.prev != previous_chain:
            if record.seq > previous_seq + 1:
                missing = (
                    f"#{previous_seq + 1}"
                    if record.seq == previous_seq + 2
                    else f"#{previous_seq + 1}–#{record.seq - 1}"
                )
                breaks.append(
                    Break(
                        RECORD_MISSING,
                        record.seq,
                        f"record {missing}, just before {where}, is missing — deleted from the catalogue",
                    )
                )
            else:
                breaks.append(
                    Break(
                        BROKEN_LINK,
                        record.seq,
                        f"{where}: does not follow the record before it — records were moved or the "
                        "catalogue was rewritten",
                        record.key,
                    )
                )
        previous_seq, previous_chain = record.seq, record.chain
    last = (previous_seq, previous_chain) if sealed else None
    return breaks, last


def key_from_env(archive_root: Path) -> bytes | None:
    """The archive key from the file named by ``REPORTGEN_ARCHIVE_KEY_FILE``, or None if not set.

    Raises ValueError with a message for a key that cannot be used (missing, too short, or kept
    inside the archive, where whoever can edit the catalogue could read it).
    """
    name = os.environ.get(KEY_ENV, "").strip()
    if not name:
        return None
    path = Path(name).expanduser().absolute()
    if path.resolve() == archive_root.resolve() or archive_root.resolve() in path.resolve().parents:
        raise ValueError(f"{KEY_ENV}={name}: the key file is inside the archive — keep it somewhere else")
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ValueError(f"{KEY_ENV}={name}: the key file cannot be read ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ValueError(f"{KEY_ENV}={name}: the key must be an ordinary file")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            key = stream.read(MAX_KEY_BYTES + 1).strip()
    finally:
        os.close(handle)
    if len(key) > MAX_KEY_BYTES:
        raise ValueError(
            f"{KEY_ENV}={name}: the key file is larger than {MAX_KEY_BYTES:,} bytes — is it the right file?"
        )
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"{KEY_ENV}={name}: the key is {len(key)} bytes; use at least {MIN_KEY_BYTES} "
            "(e.g. python3 -c 'import secrets; print(secrets.token_hex(32))' > keyfile)"
        )
    return key
