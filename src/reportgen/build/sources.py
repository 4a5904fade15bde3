"""What a publication's edition is made from: one definition, for incremental builds and publish.

An edition is made from the files of its publication's folder, the templates a publication
uses (not the web app's own pages, which never reach a publication), and the catalogs of its
language. The incremental stamps (:mod:`reportgen.build.stamps`) digest exactly these files
to decide whether to build again, and ``publish`` hashes and embeds exactly these in the
archival PDF, so "what changed" means the same thing to both.

Hidden files and folders, caches and editor backups are not sources. Nothing outside a root
is: a symbolic link is followed only when it points inside the folder it is in (a link to
``/etc/passwd`` is not a source and is never read).
"""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.i18n.paths import UI_DOMAIN, po_path, translations_dir
from reportgen.resources import TEMPLATES_DIR
from reportgen.settings import current

WEB_TEMPLATES = "web"  # the web app's own pages: they never reach a publication


def tree_files(root: Path, skip: tuple[str, ...] = (), outside: tuple[Path, ...] = ()) -> list[tuple[str, Path]]:
    """(relative posix path, path) of every source file under ``root``, sorted.

    ``skip``: folders relative to ``root`` left out; ``outside``: absolute folders left out
    (e.g. an output folder someone put inside the publication).
    """
    root = Path(root)
    real_root = root.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow links to folders
        here = Path(dirpath)
        relative_dir = here.relative_to(root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d != "__pycache__"
            and (relative_dir / d).as_posix() not in skip
            and (here / d).resolve() not in outside
        )
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", "~")):
                continue
            path = here / name
            target = path.resolve()
            if real_root not in target.parents or not target.is_file():
                continue  # a link out of the folder, or to something that is not a file
            found.append(((relative_dir / name).as_posix(), path))
    return sorted(found)


def publication_files(folder: Path, out_dir: Path | None = None) -> list[tuple[str, Path]]:
    """Every source file in the publication's folder (but an output folder inside it)."""
    return tree_files(folder, outside=(out_dir.resolve(),) if out_dir is not None else ())


def template_files() -> list[tuple[str, Path]]:
    """The templates and assets publications are rendered with (the web app's pages left out)."""
    files = tree_files(TEMPLATES_DIR, skip=(WEB_TEMPLATES,))
    override = current().templates_dir
    if override is not None and override.is_dir():  # the workspace's overrides shape the output too
        files += [(f"workspace-templates/{name}", path) for name, path in tree_files(override)]
    return files


def catalog_files(report_id: str, lang: str) -> list[Path]:
    """The catalogs a language's edition reads: the page furniture's and the publication's (that exist)."""
    return [path for path in (po_path(lang, UI_DOMAIN), po_path(lang, report_id)) if path.is_file()]


def edition_sources(folder: Path, report_id: str, lang: str) -> list[tuple[str, Path]]:
    """Everything one edition is made from, named as publish hashes and embeds it."""
    files = [(f"publication/{name}", path) for name, path in publication_files(folder)]
    files += [(f"templates/{name}", path) for name, path in template_files()]
    root = translations_dir()
    files += [(f"translations/{path.relative_to(root).as_posix()}", path) for path in catalog_files(report_id, lang)]
    return files
