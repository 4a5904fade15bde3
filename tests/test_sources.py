"""reportgen.build.sources: one definition of what an edition is made from, for stamps and publish."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import LETTER, LETTER_ID
from reportgen.archive.publish import source_files
from reportgen.build import sources, stamps


def test_stamps_and_publish_see_the_same_sources(tmp_path):
    folder = tmp_path / LETTER_ID
    shutil.copytree(LETTER, folder)
    published = {name for name, _path in source_files(folder, LETTER_ID, "en-GB")}
    stamped = set(stamps.shared_inputs(folder)) - {
        k for k in stamps.shared_inputs(folder) if k.split("/")[0] in ("font", "code", "library")
    }
    assert stamped == published


def test_the_web_apps_own_pages_are_not_a_publications_source():
    names = [name for name, _path in sources.template_files()]
    assert "base.html" in names and not [n for n in names if n.startswith("web/")]


def test_hidden_files_and_backups_are_not_sources(tmp_path):
    folder = tmp_path / "pub"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("x")
    os.symlink("/etc/passwd", folder / ".hidden-link")  # hidden: never looked at
    (folder / "report.yaml").write_text("id: x\n")
    (folder / "report.yaml~").write_text("old")
    (folder / "inside.csv").write_text("a,b\n")
    assert [name for name, _ in sources.publication_files(folder)] == ["inside.csv", "report.yaml"]


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda f: os.symlink("/etc/passwd", f / "passwd.csv"), "a symbolic link (to /etc/passwd)"),
        (lambda f: os.symlink(f / "inside.csv", f / "passwd.csv"), "a symbolic link (to "),  # inside: refused too
        (lambda f: os.symlink("/etc", f / "passwd.csv"), "a symbolic link (to /etc)"),  # a folder link
        (lambda f: os.mkfifo(f / "passwd.csv"), "a named pipe"),
    ],
)
def test_links_and_pipes_are_refused_naming_the_file(tmp_path, make, said):
    folder = tmp_path / "pub"
    folder.mkdir()
    (folder / "inside.csv").write_text("a,b\n")
    make(folder)
    with pytest.raises(sources.SourceFileError) as caught:
        sources.publication_files(folder)
    [problem] = caught.value.problems
    assert problem.source.endswith("passwd.csv") and problem.message.startswith(f"this is {said}")


def test_read_source_does_not_follow_a_folder_swapped_for_a_link(tmp_path):
    folder = tmp_path / "pub"
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "a.csv").write_text("a\n")
    assert sources.read_source(folder, "tables/a.csv") == b"a\n"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.csv").write_text("secret\n")
    shutil.rmtree(folder / "tables")
    os.symlink(tmp_path / "elsewhere", folder / "tables")  # after tree_files looked
    with pytest.raises(sources.SourceFileError, match="symbolic link"):
        sources.read_source(folder, "tables/a.csv")


def test_an_edition_whose_files_come_to_more_than_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    folder = tmp_path / "pub"
    folder.mkdir()
    (folder / "report.yaml").write_text("id: x\n")
    for n in range(6):  # sparse: no disk used, and nothing is read
        with open(folder / f"picture{n}.png", "wb") as big:
            big.truncate(sources.MAX_SOURCE_BYTES - 1024 * 1024)
    monkeypatch.setattr(sources, "read_source", lambda *_: pytest.fail("read before the sizes were checked"))
    with pytest.raises(sources.SourceFileError) as caught:
        sources.read_edition_sources(folder, "x", "en-GB")
    assert str(caught.value).startswith(f"{folder}: the publication's files come to 114.")
    assert "publish takes at most 100.0 MB — remove the files it does not use from its folder" in str(caught.value)
