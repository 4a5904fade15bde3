"""reportgen.build.sources: one definition of what an edition is made from, for stamps and publish."""

from __future__ import annotations

import os
import shutil

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


def test_hidden_files_backups_and_links_out_of_the_folder_are_not_sources(tmp_path):
    folder = tmp_path / "pub"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("x")
    (folder / "report.yaml").write_text("id: x\n")
    (folder / "report.yaml~").write_text("old")
    (folder / "inside.csv").write_text("a,b\n")
    os.symlink(folder / "inside.csv", folder / "alias.csv")
    os.symlink("/etc/passwd", folder / "passwd.csv")
    os.symlink("/etc", folder / "etc")
    assert [name for name, _ in sources.publication_files(folder)] == ["alias.csv", "inside.csv", "report.yaml"]
