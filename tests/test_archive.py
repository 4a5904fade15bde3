"""The archive store on its own: files, catalogue, verify, export, safety under kills and concurrency.

No PDFs are built here: the store does not care what the bytes are (rebuild, which reads
PDFs, is tested in test_publish.py with real ones).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from reportgen.archive import seal, store
from reportgen.archive.store import (
    Archive,
    ArchiveError,
    CatalogueError,
    Entry,
    NotInArchiveError,
    Status,
    sha256_of,
)

SRC = Path(__file__).resolve().parents[1] / "src"


def entry(data: bytes, report_id="annual-report", lang="en-GB", **extra) -> Entry:
    return Entry(
        report_id=report_id,
        lang=lang,
        title="Annual report",
        data=data,
        pages=2,
        publisher="tester",
        period=extra.pop("period", "2024/25"),
        **extra,
    )


@pytest.fixture
def archive(tmp_path) -> Archive:
    return Archive(tmp_path / "archive")


def test_store_then_get_gives_identical_bytes(archive, tmp_path):
    [stored] = archive.store([entry(b"%PDF-1.7 first")])
    assert (stored.status, stored.version) == (Status.ARCHIVED, 1)
    version, path, data = archive.get("annual-report", "en-GB", out=tmp_path)
    assert data == b"%PDF-1.7 first" and path.read_bytes() == data
    assert path.name == "annual-report.en-GB.v1.pdf"
    assert archive.object_path(stored.sha256).read_bytes() == data


def test_same_bytes_again_is_unchanged_and_recorded(archive):
    archive.store([entry(b"one")])
    [again] = archive.store([entry(b"one")])
    assert (again.status, again.version) == (Status.UNCHANGED, 1)
    history = archive.history("annual-report")
    assert len(history.versions) == 1
    assert [e.status for e in history.events] == [Status.ARCHIVED, Status.UNCHANGED]


def test_new_bytes_make_version_2_and_version_1_stays(archive):
    archive.store([entry(b"one")])
    [second] = archive.store([entry(b"two")])
    assert (second.status, second.version) == (Status.ARCHIVED, 2)
    assert archive.get("annual-report", "en-GB", 1)[2] == b"one"
    assert archive.get("annual-report", "en-GB")[2] == b"two"
    with pytest.raises(NotInArchiveError, match="no version 3"):
        archive.find("annual-report", "en-GB", 3)


def test_objects_are_read_only_and_never_rewritten(archive):
    [stored] = archive.store([entry(b"keep me")])
    path = archive.object_path(stored.sha256)
    # Tests run as root, who may write any file, so os.access proves nothing: check the mode the
    # archive gives its objects instead — read-only for everyone, no write or execute bit at all.
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    before = path.stat().st_mtime_ns
    archive.store([entry(b"keep me", lang="ar")])  # same bytes, other language: file reused
    assert path.stat().st_mtime_ns == before


def test_search_by_report_language_period_and_date(archive):
    archive.store([entry(b"a"), entry(b"b", lang="ar"), entry(b"c", report_id="news-2025", period="2025")])
    assert {v.report_id for v in archive.search(report="news")} == {"news-2025"}
    assert [v.lang for v in archive.search(lang="AR")] == ["ar"]
    assert {v.report_id for v in archive.search(period="2024/25")} == {"annual-report"}
    today = archive.search()[0].published_at[:10]
    assert len(archive.search(since=today, until=today)) == 3
    assert archive.search(until="2000-01-01") == []


def test_verify_catches_flipped_byte_missing_file_and_orphan_row(archive):
    stored = archive.store([entry(b"flip me"), entry(b"lose me", lang="ar")])
    assert archive.verify().ok
    flip = archive.object_path(stored[0].sha256)
    os.chmod(flip, 0o644)
    data = bytearray(flip.read_bytes())
    data[3] ^= 0x01
    flip.write_bytes(bytes(data))
    archive.object_path(stored[1].sha256).unlink()
    with sqlite3.connect(archive.catalogue) as db:
        db.execute(
            f"INSERT INTO versions ({store.VERSION_INSERT}) VALUES ('ghost', 'en-GB', 1, ?, 'Ghost', NULL, NULL, "
            "NULL, NULL, '2025-01-01T00:00:00Z', 'nobody', NULL)",
            ("0" * 64,),
        )
    result = archive.verify()
    kinds = {(issue.rule, issue.pointer) for issue in result.problems}
    assert kinds == {
        (store.CORRUPT, stored[0].sha256),
        (store.MISSING, stored[1].sha256),
        (store.ORPHAN_ROW, "0" * 64),
        (seal.UNSEALED, ""),  # and a row written behind reportgen's back has no seal
    }
    with pytest.raises(ArchiveError, match="corrupt"):
        archive.get("annual-report", "en-GB")


def test_stray_file_is_a_note_not_a_problem(archive):
    archive.store([entry(b"x")])
    stray = b"left by a killed publish"
    path = archive.object_path(sha256_of(stray))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stray)
    result = archive.verify()
    assert result.ok and [n.rule for n in result.notes] == [store.STRAY]


def test_export_writes_zip_with_manifest(archive, tmp_path):
    archive.store([entry(b"en"), entry(b"ar", lang="ar")])
    path, count = archive.export(tmp_path / "out" / "export.zip", lang="ar")
    assert count == 1
    with zipfile.ZipFile(path) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        [item] = manifest["files"]
        assert bundle.read(item["path"]) == b"ar"
    assert item["sha256"] == sha256_of(b"ar") and item["lang"] == "ar" and item["version"] == 1


@pytest.mark.parametrize("report_id, lang", [("../../etc", "en-GB"), ("ok", "../x"), ("a/b", "en"), ("", "en")])
def test_names_from_data_cannot_make_paths(archive, report_id, lang):
    with pytest.raises(ArchiveError):
        archive.store([entry(b"x", report_id=report_id, lang=lang)])
    assert not archive.root.exists()


def test_only_a_hash_makes_an_object_path(archive):
    for bad in ("../" * 3 + "a" * 55, "A" * 64, "a" * 63):
        with pytest.raises(ArchiveError):
            archive.object_path(bad)


def test_missing_catalogue_with_files_names_the_fix(archive):
    archive.store([entry(b"x")])
    archive.catalogue.unlink()
    with pytest.raises(CatalogueError, match="reportgen archive rebuild"):
        archive.search()
    with pytest.raises(CatalogueError):  # and publish does not add files to it meanwhile
        archive.store([entry(b"y")])
    assert not archive.object_path(sha256_of(b"y")).exists()


def test_corrupt_catalogue_names_the_fix(archive):
    archive.store([entry(b"x")])
    archive.catalogue.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogueError, match="reportgen archive rebuild"):
        archive.search()


def test_no_archive_yet(archive):
    with pytest.raises(NotInArchiveError, match="no archive here yet"):
        archive.search()


# -- kills and concurrency: real processes ------------------------------------------------

CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import reportgen.archive.store as archive

    root, stage, data, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    def checkpoint(name):
        if name == stage:
            os.kill(os.getpid(), signal.SIGKILL)
    archive._checkpoint = checkpoint
    store = archive.Archive(root)
    for n in range(count):
        store.store([archive.Entry(report_id="annual-report", lang="en-GB", title="Annual report",
                                   data=f"{data} {n}".encode(), pages=1, publisher=f"process {data}")])
""")


def run_child(root, stage, data, count=1):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), stage, data, str(count)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("stage", ["object-temp-written", "objects-written", "before-commit", "committed"])
def test_sigkill_at_any_stage_leaves_a_clean_archive(archive, stage):
    archive.store([entry(b"version one")])
    child = run_child(archive.root, stage, "killed")
    _out, err = child.communicate(timeout=60)
    assert child.returncode == -9, err.decode()
    result = archive.verify()
    assert result.ok, result.problems
    leftovers = [n for n in result.notes if n.rule == store.TEMP_LEFTOVER]
    assert len(leftovers) == (1 if stage == "object-temp-written" else 0), "a killed write is reported"
    versions = archive.search()
    assert archive.get("annual-report", "en-GB", 1)[2] == b"version one"
    # the old state, or the complete new one
    expected = 2 if stage == "committed" else 1
    assert len(versions) == expected
    if expected == 2:
        assert archive.get("annual-report", "en-GB", 2)[2] == b"killed 0"
    # and the archive keeps working: the same publish again lands
    [again] = archive.store([entry(b"killed 0")])
    assert again.version == 2 and again.status is (Status.UNCHANGED if expected == 2 else Status.ARCHIVED)
    assert archive.verify().ok and not list(archive.tmp.iterdir()), "the next publish cleans tmp/"


def test_two_processes_storing_at_once_both_land(archive):
    archive.store([entry(b"seed")])  # the catalogue exists; both processes then race for the write lock
    children = [run_child(archive.root, "none", name, count=8) for name in ("left", "right")]
    for child in children:
        _out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    versions = archive.search()
    assert [v.version for v in versions] == list(range(1, 18))
    assert {v.publisher for v in versions} == {"tester", "process left", "process right"}
    assert len({v.sha256 for v in versions}) == 17
    assert archive.verify().ok
