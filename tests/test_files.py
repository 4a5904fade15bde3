"""reportgen.files and the all-or-nothing writes built on it: a build, a translation request."""

from __future__ import annotations

import dataclasses
import os

import pytest

from conftest import LETTER, LETTER_ID
from reportgen import files, formats
from reportgen.build import core
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.build.requests import make_request
from reportgen.errors import BuildError


def listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_write_folder_replaces_a_folder_whole(tmp_path):
    target = tmp_path / "request"
    files.write_folder(target, {"a.po": b"1", "sub/b.xlf": b"2"})
    files.write_folder(target, {"c.json": b"3"})
    assert listing(tmp_path) == ["request", "request/c.json"]
    assert (target / "c.json").read_bytes() == b"3" and oct(target.stat().st_mode & 0o777) == "0o755"


def test_write_folder_leaves_nothing_when_it_fails(tmp_path):
    target = tmp_path / "request"
    files.write_folder(target, {"old.po": b"kept"})
    with pytest.raises(ValueError, match="not a file name inside the folder"):
        files.write_folder(target, {"new.po": b"1", "../escape.po": b"2"})
    assert listing(tmp_path) == ["request", "request/old.po"]


def test_open_atomically_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), files.open_atomically(path) as stream:
        stream.write(b"half")
        raise RuntimeError("disk full")
    assert path.read_bytes() == b"old" and listing(tmp_path) == ["export.zip"]


@pytest.fixture
def letter(tmp_path):
    import shutil

    folder = tmp_path / LETTER_ID
    shutil.copytree(LETTER, folder)
    return folder


def test_a_build_that_fails_while_writing_changes_no_file(letter, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_report(letter, BuildRequest(out_dir=out))
    before = {p: p.read_bytes() for p in (out / LETTER_ID).glob("*.*") if p.is_file()}
    (letter / "report.yaml").write_text((letter / "report.yaml").read_text().replace("Dear", "Dear all,", 1))
    staged = []

    def second_fails(path, data, mode=0o644):
        if staged:
            raise OSError("disk full")
        staged.append(path)
        return files.temporary_beside(path, data, mode)

    monkeypatch.setattr(core, "temporary_beside", second_fails)
    with pytest.raises(OSError, match="disk full"):
        build_report(letter, BuildRequest(out_dir=out))
    assert staged, "the first file was staged before the second failed"
    assert {p: p.read_bytes() for p in (out / LETTER_ID).glob("*.*") if p.is_file()} == before
    assert not [p for p in (out / LETTER_ID).iterdir() if p.name.endswith(".tmp")]


def test_a_translation_request_whose_proof_fails_leaves_no_package(tmp_path, monkeypatch, translations):
    def broken(source):
        raise BuildError("the PDF could not be made: test")

    monkeypatch.setitem(formats.FORMATS, "pdf", dataclasses.replace(formats.get("pdf"), renderer=broken))
    with pytest.raises(BuildError):
        make_request(LETTER, "pl", tmp_path / "requests")
    assert listing(tmp_path / "requests") == []
    monkeypatch.undo()
    package = make_request(LETTER, "pl", tmp_path / "requests")
    assert {p.name for p in package.files} == set(os.listdir(package.folder))
    assert "proof.pdf" in os.listdir(package.folder)
