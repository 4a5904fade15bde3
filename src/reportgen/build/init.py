"""``reportgen init DIR``: a new workspace with a reportgen.toml and one sample publication that builds."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportgen.errors import InputError
from reportgen.resources import SAMPLE_DIR, SAMPLE_ID, UI_TRANSLATIONS_DIR
from reportgen.workspace import FILENAME, Workspace, load_workspace

TEMPLATE = """\
# reportgen workspace: where this team's publications are, and who publishes them.
# Paths are relative to this file. docs/workspace.md in reportgen's repository explains every key.

[workspace]
publications = "publications"   # one folder per publication, each with a report.yaml
translations = "translations"   # the publications' translation catalogs
out = "out"                     # built HTML and PDF files
archive = "archive"             # what `reportgen publish` keeps
templates = "templates"         # your own versions of reportgen's templates, e.g. blocks/_contact.html
# languages = ["en-GB", "ar"]   # what `reportgen build` makes when no --lang is given

[organisation]
name = "Your organisation"
contact = "communications@example.nhs.uk"
# logo = "logo.svg"
# Checked against white: text needs 4.5:1, graphics 3:1.
colours = { text = "#005eb8", graphics = "#005eb8" }
"""


def init_workspace(directory: Path) -> Workspace:
    """Write a workspace into ``directory`` (new or empty) and return it, validated."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError(f"{directory}: not an empty folder — choose a new folder for the workspace")
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SAMPLE_DIR, directory / "publications" / SAMPLE_ID)
    translations = directory / "translations"
    translations.mkdir()
    pot = UI_TRANSLATIONS_DIR / f"{SAMPLE_ID}.pot"
    if pot.is_file():
        shutil.copy2(pot, translations / pot.name)
    for po in sorted(UI_TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{SAMPLE_ID}.po")):
        target = translations / po.relative_to(UI_TRANSLATIONS_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(po, target)
    (directory / "templates").mkdir()
    (directory / FILENAME).write_text(TEMPLATE, encoding="utf-8")
    return load_workspace(directory)
