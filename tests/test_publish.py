"""reportgen publish and reportgen archive, end to end, with the small letter publication.

Each publish builds a real PDF (about a second for the letter), so the module publishes
once and the tests share that archive where they only read it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.archive.publish import publish_report
from reportgen.archive.store import Archive, Status
from reportgen.cli import main
from reportgen.errors import Finding, Severity

ROOT = Path(__file__).resolve().parents[1]
LETTER = ROOT / "tests" / "fixtures" / "letter"
LETTER_ID = "letter-to-carers-2025"


def letter_copy(target: Path, change: str | None = None) -> Path:
    """The letter fixture, optionally with one more paragraph (changed input)."""
    shutil.copytree(LETTER, target)
    if change:
        path = target / "report.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "  - type: signatures", f"  - type: paragraph\n    text: {change}\n  - type: signatures"
            ),
            encoding="utf-8",
        )
    return target


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The letter published once into a fresh archive: (archive root, PublishResult)."""
    root = tmp_path_factory.mktemp("published") / "archive"
    return root, publish_report(LETTER, archive_root=root, publisher="Comms officer")


def test_publish_list_get_gives_identical_bytes(published, tmp_path, capsys):
    root, result = published
    [item] = result.languages
    assert item.status is Status.ARCHIVED and item.version == 1 and not result.refused
    assert main(["archive", "list", "--archive", str(root)]) == 0
    assert LETTER_ID in capsys.readouterr().out
    assert main(["archive", "get", LETTER_ID, "--lang", "en-GB", "--out", str(tmp_path), "--archive", str(root)]) == 0
    got = (tmp_path / f"{LETTER_ID}.en-GB.v1.pdf").read_bytes()
    assert got == Archive(root).object_path(item.sha256).read_bytes()
    version = Archive(root).find(LETTER_ID, "en-GB")
    assert version.publisher == "Comms officer" and version.report_date == "2025-06-09"
    assert version.checks["findings"] == [] and "page-validation" in version.checks["checker"]
    assert len(version.source_hash) == 64 and version.generator.startswith("reportgen ")
    # Everything that shapes the output is recorded, as reportgen --version lists it.
    from reportgen.provenance import versions

    for name, value in versions().items():
        assert f"{name} {value}" in version.generator


def test_unchanged_republish_then_changed_input_makes_version_2(published, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    assert main(["publish", str(LETTER), "--archive", str(root)]) == 0
    out = capsys.readouterr().out
    assert "en-GB: unchanged — version 1" in out
    assert f"Archive head: {Archive(root).head()} (keep it elsewhere" in out and Archive(root).head().startswith("3:")
    changed = letter_copy(tmp_path / "letter", change="A new paragraph.")
    result = publish_report(changed, archive_root=root)
    assert [(r.status, r.version) for r in result.languages] == [(Status.ARCHIVED, 2)]
    archive = Archive(root)
    assert archive.get(LETTER_ID, "en-GB", 1)[2] == archive.object_path(published[1].languages[0].sha256).read_bytes()
    assert archive.verify().ok
    history = archive.history(LETTER_ID)
    assert [(e.version, e.status) for e in history.events] == [
        (1, Status.ARCHIVED),
        (1, Status.UNCHANGED),
        (2, Status.ARCHIVED),
    ]


def test_failed_checks_refuse_and_store_nothing_waived_errors_do_not(tmp_path, capsys):
    root = tmp_path / "archive"

    def strict(folder, lang, files):
        assert files["pdf"].startswith(b"%PDF") and b"<html" in files["html"]
        return [
            Finding("report.yaml", 3, "", "a sentence of 60 words", "plain-english"),
            Finding("report.yaml", 4, "", "click here", "link-text", waived="agreed with comms"),
            Finding("report.yaml", 5, "", "reading age 14", "reading-age", Severity.WARNING),
        ]

    result = publish_report(LETTER, archive_root=root, checker=strict)
    [item] = result.refused
    assert "plain-english" in item.reason and item.version is None
    assert not any((root / "objects").iterdir()) if (root / "objects").exists() else True

    def waived(folder, lang, files):
        return strict(folder, lang, files)[1:]

    result = publish_report(LETTER, archive_root=root, checker=waived)
    assert result.languages[0].status is Status.ARCHIVED
    checks = Archive(root).find(LETTER_ID, "en-GB").checks
    assert [f["rule"] for f in checks["findings"]] == ["link-text", "reading-age"]


def test_two_publishes_at_once_both_land(tmp_path):
    """Two processes publish two versions of the letter into a new archive at the same time."""
    root = tmp_path / "archive"
    folders = [letter_copy(tmp_path / name, change=f"Written by {name}.") for name in ("left", "right")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "REPORTGEN_PUBLISHER": "racer"}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "reportgen", "publish", str(folder), "--archive", str(root)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for folder in folders
    ]
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, (out + err).decode()
    archive = Archive(root)
    versions = archive.search()
    assert [v.version for v in versions] == [1, 2] and {v.publisher for v in versions} == {"racer"}
    assert len({v.sha256 for v in versions}) == 2
    assert archive.verify().ok


def test_rebuild_remakes_a_corrupt_catalogue_from_the_files(published, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    before = Archive(root).search()
    (root / "catalogue.sqlite").write_bytes(b"garbage" * 1000)
    assert main(["archive", "list", "--archive", str(root)]) == 1
    err = capsys.readouterr().err
    assert "reportgen archive rebuild" in err and "Traceback" not in err
    assert main(["archive", "rebuild", "--archive", str(root)]) == 0
    assert "1 version(s)" in capsys.readouterr().out
    [after] = Archive(root).search()
    same = (
        "report_id",
        "lang",
        "version",
        "sha256",
        "size",
        "pages",
        "title",
        "period",
        "report_date",
        "source_hash",
        "generator",
    )
    assert {k: getattr(after, k) for k in same} == {k: getattr(before[0], k) for k in same}
    assert after.publisher.startswith("unknown")
    assert list(root.glob("catalogue.sqlite.before-rebuild-*"))  # the broken one is kept
    assert main(["archive", "verify", "--archive", str(root)]) == 0


def test_cli_verify_reports_problems_with_exit_1(published, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    with sqlite3.connect(root / "catalogue.sqlite") as db:
        sha = db.execute("SELECT sha256 FROM objects").fetchone()[0]
    Archive(root).object_path(sha).unlink()
    assert main(["archive", "verify", "--archive", str(root)]) == 1
    assert "missing" in capsys.readouterr().out


def test_cli_export_and_show(published, tmp_path, capsys):
    root = published[0]
    assert main(["archive", "show", LETTER_ID, "--archive", str(root)]) == 0
    assert "en-GB v1: archived" in capsys.readouterr().out
    assert main(["archive", "export", str(tmp_path / "records.zip"), "--archive", str(root)]) == 0
    assert (tmp_path / "records.zip").stat().st_size > 10_000
    assert main(["archive", "show", "no-such-report", "--archive", str(root)]) == 2
    assert main(["archive", "list", "--since", "yesterday", "--archive", str(root)]) == 2


def test_content_check_errors_refuse_and_waivers_are_recorded(tmp_path, capsys):
    """publish runs reportgen check: a placeholder refuses; a waived finding is archived with its reason."""
    root = tmp_path / "archive"
    unfinished = letter_copy(tmp_path / "unfinished", "'Call [INSERT TRUST CONTACT DETAILS] for help.'")
    assert main(["publish", str(unfinished), "--archive", str(root)]) == 1
    out = capsys.readouterr()
    assert "placeholder" in out.out + out.err and "[INSERT TRUST CONTACT DETAILS]" in out.out + out.err
    assert Archive(root).search(report=LETTER_ID) == [], "nothing stored for a refused language"

    waived = letter_copy(tmp_path / "waived", "'Read the PLEASE KEEP THIS LETTER notice.'")
    path = waived / "report.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "waivers:\n  - rule: all-caps\n    at: blocks\n"
        "    reason: The notice is printed on the envelope in capitals.\n",
        encoding="utf-8",
    )
    result = publish_report(waived, archive_root=root, publisher="Comms officer")
    assert [r.status for r in result.languages] == [Status.ARCHIVED]
    recorded = Archive(root).find(LETTER_ID, "en-GB").checks["findings"]
    assert [(f["rule"], f["waived"]) for f in recorded] == [
        ("all-caps", "The notice is printed on the envelope in capitals.")
    ]


# -- links, pipes and devices among a publication's files (issue 14, item 2) --------------


def tree_digest(root: Path) -> str:
    """One hash over every path and every byte under ``root`` (the archive before and after)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def refused_publish(folder: Path, root: Path, capsys) -> str:
    """Publish ``folder`` into ``root`` through the CLI: exit 2, archive untouched; the message."""
    import signal

    before = tree_digest(root)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("publish waited on a special file"))
    signal.alarm(20)
    try:
        assert main(["publish", str(folder), "--archive", str(root)]) == 2
    finally:
        signal.alarm(0)
    assert tree_digest(root) == before, "a refused publish changed the archive"
    out = capsys.readouterr()
    assert "Traceback" not in out.err and out.out == ""
    return out.err


def test_a_link_to_a_file_outside_refuses_the_publish(published, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    folder = letter_copy(tmp_path / "letter")
    os.symlink("/etc/passwd", folder / "passwd.csv")
    err = refused_publish(folder, root, capsys)
    assert f"{folder / 'passwd.csv'}: this is a symbolic link (to /etc/passwd), not an ordinary file" in err
    assert "replace the link with a copy of the file itself, or remove it" in err


def test_a_link_inside_that_climbs_out_with_dotdot_refuses_the_publish(published, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    folder = letter_copy(tmp_path / "letter")
    (tmp_path / "secret.csv").write_text("name,salary\nA,1\n")
    (folder / "tables").mkdir()
    os.symlink("../../secret.csv", folder / "tables" / "figures.csv")
    err = refused_publish(folder, root, capsys)
    assert f"{folder / 'tables' / 'figures.csv'}: this is a symbolic link (to ../../secret.csv)" in err


def test_a_named_pipe_refuses_the_publish_at_once(published, tmp_path, capsys):
    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    folder = letter_copy(tmp_path / "letter")
    os.mkfifo(folder / "figures.csv")
    err = refused_publish(folder, root, capsys)
    assert f"{folder / 'figures.csv'}: this is a named pipe, not an ordinary file — remove it" in err


def test_a_file_too_large_to_publish_refuses_the_publish(published, tmp_path, capsys):
    from reportgen.build import sources

    root = tmp_path / "archive"
    shutil.copytree(published[0], root)
    folder = letter_copy(tmp_path / "letter")
    with open(folder / "poster.png", "wb") as big:  # sparse: no disk used
        big.truncate(sources.MAX_SOURCE_BYTES + 1024 * 1024)
    err = refused_publish(folder, root, capsys)
    assert (
        f"{folder / 'poster.png'}: this file is 21.0 MB; a file in a publication may be at most 20.0 MB — make it smaller"
        in err
    )


def test_the_bytes_hashed_are_the_bytes_embedded(tmp_path, monkeypatch):
    """Each source is read once: what read_source gave is both hashed and attached."""
    import pikepdf

    from reportgen.archive import publish
    from reportgen.build import sources

    calls = []
    real = sources.read_source

    def marked(root, relative):
        calls.append(relative)
        data = real(root, relative)
        return data + b"# as read\n" if relative == "report.yaml" else data

    monkeypatch.setattr(sources, "read_source", marked)
    result = publish_report(LETTER, archive_root=tmp_path / "archive", checker=lambda *_: [])
    [item] = result.languages
    assert calls.count("report.yaml") == 1 and len(calls) == len(set(calls))
    archive = Archive(tmp_path / "archive")
    with pikepdf.open(archive.object_path(item.sha256)) as pdf:
        embedded = {str(spec.UF): spec.EF.F.read_bytes() for spec in pdf.Root.AF}
    assert embedded["report.yaml"] == (LETTER / "report.yaml").read_bytes() + b"# as read\n"
    monkeypatch.setattr(sources, "read_source", real)
    marked_files = [
        (name, data + b"# as read\n" if name == "publication/report.yaml" else data)
        for name, data in publish.source_files(LETTER, LETTER_ID, "en-GB")
    ]
    assert archive.find(LETTER_ID, "en-GB").source_hash == publish.source_hash(marked_files)


def test_switching_a_new_catalogue_to_wal_waits_for_another_process(tmp_path):
    """Two first publishes at once: SQLite refuses the journal-mode switch at once while the other
    holds the new file's lock, without its busy timeout; the switch waits and tries again."""
    import sqlite3
    import threading

    from reportgen.archive.store import _use_wal

    path = tmp_path / "catalogue.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE t (x)")
    waiter = sqlite3.connect(path, isolation_level=None, timeout=0)
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()
    _use_wal(waiter)
    assert waiter.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    waiter.close()
    holder.close()
