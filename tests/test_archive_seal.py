"""The catalogue's seals (archive.seal): verify sees an edited, repointed, moved or deleted record.

Three versions of one publication are stored (records #1–#6: each version, then its publish
event), then the catalogue is tampered with through SQLite, as anyone with the file could,
and ``reportgen archive verify`` must say exactly what happened. No PDFs are built.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

import pytest

from reportgen.archive import seal
from reportgen.archive.store import Archive, ArchiveError
from reportgen.cli import main
from test_archive import entry

CHANGED = "its details no longer match its seal — changed after it was published (title, dates, publisher, file or check results)"


@pytest.fixture
def three(tmp_path, monkeypatch):
    """An archive holding v1, v2, v3 of annual-report in en-GB; no key in the environment."""
    monkeypatch.delenv(seal.KEY_ENV, raising=False)
    archive = Archive(tmp_path / "archive")
    for data in (b"one", b"two", b"three"):
        archive.store([entry(data)])
    return archive


def sql(archive: Archive, statement: str, *args) -> None:
    with sqlite3.connect(archive.catalogue) as db:
        db.execute(statement, args)
    db.close()


def verify(archive: Archive, capsys, *options: str) -> tuple[int, list[str]]:
    code = main(["archive", "verify", "--archive", str(archive.root), *options])
    out = capsys.readouterr().out.replace(str(archive.root), "ARCHIVE")
    return code, out.splitlines()


def test_an_untouched_archive_is_intact_and_prints_its_head(three, capsys):
    code, lines = verify(three, capsys)
    assert (code, lines) == (
        0,
        ["Checked 3 file(s) and 6 catalogue record(s): all intact.", f"Archive head: {three.head()}"],
    )
    assert three.head().startswith("6:")


@pytest.mark.parametrize(
    "column, value",
    [
        ("publisher", "someone else"),
        ("title", "A better title"),
        ("published_at", "2020-01-01T00:00:00Z"),
        ("report_date", "2020-01-01"),
    ],
)
def test_an_edited_field_is_reported_and_get_refuses_the_record(three, capsys, tmp_path, column, value):
    sql(three, f"UPDATE versions SET {column} = ? WHERE version = 2", value)
    code, lines = verify(three, capsys)
    assert (code, lines[:2]) == (
        1,
        [
            f"  tampered: ARCHIVE/catalogue.sqlite: record #3, annual-report en-GB v2: {CHANGED}",
            "Checked 3 file(s) and 6 catalogue record(s): 1 problem(s).",
        ],
    )
    with pytest.raises(ArchiveError, match="record #3, annual-report en-GB v2: its details no longer match"):
        three.get("annual-report", "en-GB", 2)
    assert three.get("annual-report", "en-GB", 1)[2] == b"one"  # the records that check are still given out


def test_an_edited_event_is_reported(three, capsys):
    sql(three, "UPDATE events SET publisher = 'someone else' WHERE version = 1")
    code, lines = verify(three, capsys)
    assert (
        lines[0]
        == f"  tampered: ARCHIVE/catalogue.sqlite: record #2, the publish of annual-report en-GB v1 (archived): {CHANGED}"
    )


def test_v3_repointed_to_v1s_file_is_reported_and_get_refuses(three, capsys, tmp_path):
    one = three.find("annual-report", "en-GB", 1).sha256
    sql(three, "UPDATE versions SET sha256 = ? WHERE version = 3", one)
    code, lines = verify(three, capsys)
    assert (
        code == 1 and lines[0] == f"  tampered: ARCHIVE/catalogue.sqlite: record #5, annual-report en-GB v3: {CHANGED}"
    )
    assert (
        main(
            [
                "archive",
                "get",
                "annual-report",
                "--lang",
                "en-GB",
                "--version",
                "3",
                "--out",
                str(tmp_path),
                "--archive",
                str(three.root),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "the file is not given out" in err and "sha256 checked" not in err
    assert not list(tmp_path.glob("*.pdf"))
    with pytest.raises(ArchiveError, match="record #5, annual-report en-GB v3: its details"):
        three.export(tmp_path / "records.zip")  # every way out refuses it: export (and the web's download, via read)
    assert not (tmp_path / "records.zip").exists()


def test_a_deleted_middle_record_is_reported(three, capsys):
    sql(three, "DELETE FROM versions WHERE version = 2")
    code, lines = verify(three, capsys)
    assert (code, lines[0]) == (
        1,
        "  record-missing: ARCHIVE/catalogue.sqlite: record #3, just before record #4, the publish of "
        "annual-report en-GB v2 (archived), is missing — deleted from the catalogue",
    )


def test_a_deleted_last_record_is_reported_by_the_head(three, capsys):
    sql(three, "DELETE FROM events WHERE version = 3")
    code, lines = verify(three, capsys)
    assert (code, lines[0]) == (
        1,
        "  head: ARCHIVE/catalogue.sqlite: record #6, the last, is missing — deleted from the catalogue",
    )


def test_a_deleted_last_record_with_the_head_rewritten_needs_an_anchor_or_the_key(three, capsys, tmp_path):
    """Without a key, someone who also rewrites the head hides the deletion: only an anchor
    (a head kept elsewhere) or a signature shows it."""
    anchor = three.head()
    sql(three, "DELETE FROM events WHERE version = 3")
    with sqlite3.connect(three.catalogue) as db:
        [(chain,)] = db.execute("SELECT chain FROM versions WHERE seq = 5")
        db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (f"5:{chain}",))
    db.close()
    code, lines = verify(three, capsys)
    assert (
        code == 0 and lines[0] == "Checked 3 file(s) and 5 catalogue record(s): all intact."
    )  # the limit of a plain chain
    code, lines = verify(three, capsys, "--anchor", anchor)
    assert (code, lines[0]) == (
        1,
        f"  anchor: ARCHIVE/catalogue.sqlite: the head kept as {anchor[:18]}… is not in the catalogue — "
        "record #6 was deleted or the catalogue was rewritten or replaced by an older copy",
    )


def test_reordered_records_are_reported(three, capsys):
    with sqlite3.connect(three.catalogue) as db:
        first = db.execute("SELECT seq, prev, chain FROM versions WHERE version = 1").fetchone()
        second = db.execute("SELECT seq, prev, chain FROM versions WHERE version = 2").fetchone()
        db.execute("UPDATE versions SET seq = ?, prev = ?, chain = ? WHERE version = 1", second)
        db.execute("UPDATE versions SET seq = ?, prev = ?, chain = ? WHERE version = 2", first)
    db.close()
    code, lines = verify(three, capsys)
    assert (code, lines[:2]) == (
        1,
        [
            f"  tampered: ARCHIVE/catalogue.sqlite: record #1, annual-report en-GB v2: {CHANGED}",
            f"  tampered: ARCHIVE/catalogue.sqlite: record #3, annual-report en-GB v1: {CHANGED}",
        ],
    )


def rewrite_chain(archive: Archive) -> None:
    """What someone who knows how seals are made can do without the key: edit, then reseal everything."""
    with sqlite3.connect(archive.catalogue, isolation_level=None) as db:
        db.execute("UPDATE versions SET publisher = 'forger' WHERE version = 2")
        db.execute("BEGIN")
        rows = sorted(
            [(seq, "versions", rowid) for seq, rowid in db.execute("SELECT seq, rowid FROM versions")]
            + [(seq, "events", rowid) for seq, rowid in db.execute("SELECT seq, id FROM events")]
        )
        head = None
        for _seq, table, rowid in rows:
            head = Archive._seal_row(Archive(archive.root, key=None), db, table, rowid, head)
        db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (seal.head_text(*head),))
        db.execute("COMMIT")
    db.close()


def test_a_rewritten_chain_passes_without_a_key_and_fails_with_it(tmp_path, capsys, monkeypatch):
    key_file = tmp_path / "archive.key"
    key_file.write_text("a" * 64)
    monkeypatch.setenv(seal.KEY_ENV, str(key_file))
    archive = Archive(tmp_path / "archive")
    for data in (b"one", b"two", b"three"):
        archive.store([entry(data)])
    code, lines = verify(archive, capsys)
    assert code == 0, lines
    rewrite_chain(archive)
    code, lines = verify(archive, capsys)
    assert (code, lines[:2]) == (
        1,
        [
            "  signature: ARCHIVE/catalogue.sqlite: the catalogue's signature does not match its records — they "
            "were rewritten by someone without the archive key, or this is not the key the archive was signed with",
            "Checked 3 file(s) and 6 catalogue record(s): 1 problem(s).",
        ],
    )
    with pytest.raises(ArchiveError, match="signature does not match"):
        Archive(archive.root).get("annual-report", "en-GB", 1)
    with pytest.raises(ArchiveError, match="nothing was published"):
        Archive(archive.root).store([entry(b"four")])
    monkeypatch.delenv(seal.KEY_ENV)
    code, lines = verify(archive, capsys)  # without the key: the rewrite is not visible, and verify says why
    assert code == 0 and lines[0] == (
        "  note, signature: ARCHIVE/catalogue.sqlite: the catalogue is signed, but no key was given, so the "
        f"signature was not checked (set {seal.KEY_ENV})"
    )
    with pytest.raises(ArchiveError, match="signed with a key — publish with it"):
        Archive(archive.root).store([entry(b"four")])


def test_a_key_inside_the_archive_too_short_too_long_or_not_a_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "archive").mkdir()
    for path, text, said in (
        (tmp_path / "archive" / "key", "a" * 64, "inside the archive"),
        (tmp_path / "short", "abc", "the key is 3 bytes; use at least 16"),
        (tmp_path / "long", "a" * 5000, "larger than 4,096 bytes — is it the right file"),
        (Path("/dev/zero"), None, "the key must be an ordinary file"),
    ):
        if text is not None:
            path.write_text(text)
        monkeypatch.setenv(seal.KEY_ENV, str(path))
        with pytest.raises(ArchiveError, match=said):
            Archive(tmp_path / "archive")


SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE objects (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, pages INTEGER, stored_at TEXT NOT NULL);
CREATE TABLE versions (
    report_id TEXT NOT NULL, lang TEXT NOT NULL, version INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES objects(sha256),
    title TEXT NOT NULL, period TEXT, report_date TEXT, source_hash TEXT, generator TEXT,
    published_at TEXT NOT NULL, publisher TEXT NOT NULL, checks TEXT,
    PRIMARY KEY (report_id, lang, version));
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, publisher TEXT NOT NULL,
    report_id TEXT NOT NULL, lang TEXT NOT NULL, version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('archived', 'unchanged')), checks TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
"""


def test_a_schema_1_archive_is_sealed_once_on_first_open_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(seal.KEY_ENV, raising=False)
    archive = Archive(tmp_path / "archive")
    archive.store([entry(b"one")])  # the files and rows as schema 1 had them: rebuild them by hand
    with sqlite3.connect(archive.catalogue) as old:
        rows = old.execute(
            "SELECT report_id, lang, version, sha256, title, period, report_date, source_hash, generator, "
            "published_at, publisher, checks FROM versions"
        ).fetchall()
        objects = old.execute("SELECT * FROM objects").fetchall()
    old.close()
    archive.catalogue.unlink()
    with sqlite3.connect(archive.catalogue) as db:
        db.executescript(SCHEMA_1)
        db.executemany("INSERT INTO objects VALUES (?, ?, ?, ?)", objects)
        db.executemany("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute(
            "INSERT INTO events (at, publisher, report_id, lang, version, status) "
            "VALUES (?, 'tester', 'annual-report', 'en-GB', 1, 'archived')",
            (rows[0][9],),
        )
    db.close()
    code, lines = verify(archive, capsys)
    day = rows[0][9][:10]
    assert (code, lines[:2]) == (
        0,
        [
            f"  note, sealed-late: ARCHIVE/catalogue.sqlite: the first 2 record(s) were sealed on {day}, when this "
            "archive was upgraded: a change made to them before then cannot be seen",
            "Checked 1 file(s) and 2 catalogue record(s): all intact.",
        ],
    )
    with sqlite3.connect(archive.catalogue) as db:
        first = dict(db.execute("SELECT key, value FROM meta").fetchall())
    db.close()
    assert first["schema_version"] == "2" and first["head"].startswith("2:")
    archive.store([entry(b"two")])  # appends after the upgraded records; not upgraded again
    with sqlite3.connect(archive.catalogue) as db:
        after = dict(db.execute("SELECT key, value FROM meta").fetchall())
    db.close()
    assert after["sealed_late"] == first["sealed_late"] and after["head"].startswith("4:")
    assert verify(archive, capsys)[0] == 0
    sql(archive, "UPDATE versions SET title = 'changed' WHERE version = 1")  # an upgraded record is sealed now
    assert verify(archive, capsys)[1][0].startswith(
        "  tampered: ARCHIVE/catalogue.sqlite: record #1, annual-report en-GB v1"
    )


def test_a_tmp_leftover_is_reported_then_cleaned_but_a_file_in_use_is_kept(three, capsys):
    three.tmp.mkdir(exist_ok=True)
    leftover = three.tmp / "abc123.xyz.tmp"
    leftover.write_bytes(b"half a pdf")
    in_use = three.tmp / "def456.xyz.tmp"
    in_use.write_bytes(b"being written")
    holder = os.open(in_use, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a running publish holds its file
    try:
        code, lines = verify(three, capsys)
        assert (code, lines[0]) == (
            0,
            "  note, tmp-leftover: ARCHIVE/tmp/abc123.xyz.tmp: a half-written file left by a publish that was "
            "stopped — harmless; the next publish removes it",
        )
        assert len(lines) == 3  # the file in use is not reported
        three.store([entry(b"four")])
        assert not leftover.exists() and in_use.exists()
    finally:
        os.close(holder)
    lines = verify(three, capsys)[1]  # once its publish has gone, it is a leftover too
    assert lines[0].startswith("  note, tmp-leftover: ARCHIVE/tmp/def456.xyz.tmp") and lines[1].startswith(
        "Checked 4 file(s)"
    )


def test_a_key_set_on_an_unsigned_archive_needs_archive_sign_once(three, tmp_path, capsys, monkeypatch):
    """Publishing with a key into an unsigned archive would sign whatever is there, even a catalogue
    whose signature someone took off: it is refused until `archive sign` has checked it."""
    key_file = tmp_path / "archive.key"
    key_file.write_text("b" * 64)
    monkeypatch.setenv(seal.KEY_ENV, str(key_file))
    with pytest.raises(ArchiveError, match="not signed yet; nothing was published — check it and start signing"):
        Archive(three.root).store([entry(b"four")])
    sql(three, "UPDATE versions SET title = 'changed' WHERE version = 1")
    assert main(["archive", "sign", "--archive", str(three.root)]) == 1
    assert "record #1, annual-report en-GB v1: its details no longer match" in capsys.readouterr().err
    sql(three, "UPDATE versions SET title = 'Annual report' WHERE version = 1")
    assert main(["archive", "sign", "--archive", str(three.root)]) == 0
    assert f"archive head {three.head()}. Publish with the key" in capsys.readouterr().out
    [stored] = Archive(three.root).store([entry(b"four")])
    assert stored.version == 4 and verify(three, capsys)[0] == 0


@pytest.mark.parametrize(
    "statement, said",
    [
        (
            "UPDATE meta SET value = 'garbage' WHERE key = 'head'",
            "  head: ARCHIVE/catalogue.sqlite: the catalogue's record of its last entry (the head) is damaged: 'garbage'",
        ),
        (
            "UPDATE versions SET seq = 'abc' WHERE version = 2",
            "  unsealed: ARCHIVE/catalogue.sqlite: annual-report en-GB v2: has no seal, or a damaged one — it was written or changed behind reportgen's back",
        ),
        (
            "UPDATE versions SET title = x'00ff' WHERE version = 2",
            f"  tampered: ARCHIVE/catalogue.sqlite: record #3, annual-report en-GB v2: {CHANGED}",
        ),
        (
            "UPDATE versions SET title = 'x' || char(27) || '[2J' WHERE version = 2",
            f"  tampered: ARCHIVE/catalogue.sqlite: record #3, annual-report en-GB v2: {CHANGED}",
        ),
    ],
)
def test_hostile_values_in_the_catalogue_are_reported_not_crashed_on(three, capsys, statement, said):
    sql(three, statement)
    code, lines = verify(three, capsys)
    assert (code, lines[0]) == (1, said)
    with pytest.raises(ArchiveError):
        Archive(three.root).store([entry(b"four")]) if "meta" in statement else three.get("annual-report", "en-GB", 2)


def test_the_web_verify_page_names_what_was_tampered_with(tmp_path, monkeypatch):
    import html

    from conftest import web_server
    from test_web import Client

    monkeypatch.delenv(seal.KEY_ENV, raising=False)
    with web_server(tmp_path) as (base, config):
        archive = Archive(config.archive_dir)
        for data in (b"one", b"two"):
            archive.store([entry(data)])
        sql(archive, "UPDATE versions SET publisher = 'someone else' WHERE version = 2")
        client = Client(base)
        status, page, _ = client.post("/archive/verify", {"csrf_token": client.token()})
        page = html.unescape(page)
        assert status == 200
        assert "Checked 2 file(s) and 4 catalogue record(s): 1 problem(s)." in page
        assert f"<li>tampered: {archive.catalogue}: record #3, annual-report en-GB v2: {CHANGED}</li>" in page
        assert f"Archive head: <code>{archive.head()}</code>" in page
        status, _page, _ = client.get("/archive/files/annual-report/en-GB/2")
        assert status == 404  # the download refuses it too
        assert client.get("/archive/files/annual-report/en-GB/1")[0] == 200
