"""What a publication's edition is made from: one definition, for incremental builds and publish.

An edition is made from the files of its publication's folder, the templates a publication
uses (not the web app's own pages, which never reach a publication), and the catalogs of its
language. The incremental stamps (:mod:`reportgen.build.stamps`) digest exactly these files
to decide whether to build again, and ``publish`` hashes and embeds exactly these in the
archival PDF, so "what changed" means the same thing to both.

Hidden files and folders, caches and editor backups are not sources. Every other entry must
be an ordinary file or folder: a symbolic link (wherever it points, even inside the folder),
a named pipe (FIFO), a socket or a device is refused with :class:`SourceFileError`, naming
it, rather than followed or silently left out. Links are refused rather than resolved because
what a link points to can change between the check and the read, a link does not survive a
copy to SharePoint, a zip or Windows, and no publication needs one; a copy of the file does
the same job. :func:`read_sources` reads each source once, through folder handles that never
follow a link (``O_NOFOLLOW`` at every step, non-blocking so a pipe swapped in cannot make it
wait), so the bytes publish hashes are the bytes it embeds.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reportgen.content.load import display_path
from reportgen.errors import InputError
from reportgen.i18n.paths import UI_DOMAIN, po_path, translations_dir
from reportgen.resources import TEMPLATES_DIR
from reportgen.settings import current

WEB_TEMPLATES = "web"  # the web app's own pages: they never reach a publication

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)
# What publish reads and embeds in the archival PDF: far above any real publication (the largest
# sample's folder is 284 KB, the templates 280 KB), far below what would exhaust memory.
MAX_SOURCE_BYTES = 20 * 1024 * 1024  # one file
MAX_EDITION_SOURCE_BYTES = 100 * 1024 * 1024  # everything one edition is made from
_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class SourceFileError(InputError):
    """A publication's folder (or the templates, or a catalog) holds something that is not an ordinary file."""


def _refuse(path: Path, mode: int) -> SourceFileError:
    kind = next((name for test, name in _KINDS if test(mode)), "not an ordinary file")
    if stat.S_ISLNK(mode):
        try:
            kind += f" (to {os.readlink(path)})"
        except OSError:
            pass
        advice = "replace the link with a copy of the file itself, or remove it"
    else:
        advice = "remove it, or put an ordinary file here instead"
    shown = display_path(path)
    return SourceFileError(
        f"{shown}: a publication's files must be ordinary files",
        (InputError.single(shown, f"this is {kind}, not an ordinary file — {advice}").problems[0],),
    )


def tree_files(root: Path, skip: tuple[str, ...] = (), outside: tuple[Path, ...] = ()) -> list[tuple[str, Path]]:
    """(relative posix path, path) of every source file under ``root``, sorted.

    ``skip``: folders relative to ``root`` left out; ``outside``: absolute folders left out
    (e.g. an output folder someone put inside the publication). Raises :class:`SourceFileError`
    for a link, pipe, socket or device that is not hidden or left out.
    """
    root = Path(root)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow links to folders
        here = Path(dirpath)
        relative_dir = here.relative_to(root)
        kept = []
        for d in sorted(dirnames):
            if d.startswith(".") or d == "__pycache__" or (relative_dir / d).as_posix() in skip:
                continue
            mode = os.lstat(here / d).st_mode
            if not stat.S_ISDIR(mode):
                raise _refuse(here / d, mode)  # a link to a folder (os.walk lists it among the folders)
            if (here / d).resolve() not in outside:
                kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", "~")):
                continue
            path = here / name
            mode = os.lstat(path).st_mode
            if not stat.S_ISREG(mode):
                raise _refuse(path, mode)
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
    found = []
    for path in (po_path(lang, UI_DOMAIN), po_path(lang, report_id)):
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            raise _refuse(path, mode)
        found.append(path)
    return found


def edition_source_places(folder: Path, report_id: str, lang: str) -> list[tuple[str, Path, str]]:
    """(name, root, path relative to root) of everything one edition is made from."""
    folder = Path(folder)
    places = [(f"publication/{name}", folder, name) for name, _path in publication_files(folder)]
    places += [
        (f"templates/{name}", TEMPLATES_DIR, name) for name, _path in tree_files(TEMPLATES_DIR, skip=(WEB_TEMPLATES,))
    ]
    override = current().templates_dir
    if override is not None and override.is_dir():
        places += [(f"templates/workspace-templates/{name}", override, name) for name, _path in tree_files(override)]
    root = translations_dir()
    for path in catalog_files(report_id, lang):
        relative = path.relative_to(root).as_posix()
        places.append((f"translations/{relative}", root, relative))
    return places


def edition_sources(folder: Path, report_id: str, lang: str) -> list[tuple[str, Path]]:
    """Everything one edition is made from, named as publish hashes and embeds it."""
    return [(name, root / relative) for name, root, relative in edition_source_places(folder, report_id, lang)]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_large(path: Path, size: int) -> SourceFileError:
    shown = display_path(path)
    return SourceFileError(
        f"{shown}: a publication's file is too large to publish",
        (
            InputError.single(
                shown,
                f"this file is {_megabytes(size)}; a file in a publication may be at most "
                f"{_megabytes(MAX_SOURCE_BYTES)} — make it smaller (a picture: save it at a lower resolution), "
                "or move it out of the publication's folder if the publication does not use it",
            ).problems[0],
        ),
    )


def check_sizes(files: list[tuple[str, Path]], folder: Path) -> None:
    """Refuse a source larger than :data:`MAX_SOURCE_BYTES`, or more than
    :data:`MAX_EDITION_SOURCE_BYTES` in all, before anything is read."""
    total = 0
    for _name, path in files:
        size = os.lstat(path).st_size
        if size > MAX_SOURCE_BYTES:
            raise _too_large(path, size)
        total += size
    if total > MAX_EDITION_SOURCE_BYTES:
        shown = display_path(Path(folder))
        raise SourceFileError(
            f"{shown}: the publication's files come to {_megabytes(total)}; publish takes at most "
            f"{_megabytes(MAX_EDITION_SOURCE_BYTES)} — remove the files it does not use from its folder"
        )


def read_source(root: Path, relative: str) -> bytes:
    """The bytes of the ordinary file ``root/relative``, never following a link below ``root``.

    Each folder on the way is opened with ``O_NOFOLLOW`` relative to the one before, so a
    folder or file swapped for a link after :func:`tree_files` looked is refused, not followed;
    a pipe swapped in is found by ``fstat`` before anything waits on it.
    """
    parts = Path(relative).parts
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            here = Path(root, *parts[: depth + 1])
            try:
                inner = os.open(part, _FLAGS | (os.O_NONBLOCK if last else os.O_DIRECTORY), dir_fd=fd)
            except OSError:
                raise _refuse(here, os.lstat(here).st_mode if os.path.lexists(here) else 0) from None
            os.close(fd)
            fd = inner
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(Path(root, relative), info.st_mode)
        if info.st_size > MAX_SOURCE_BYTES:
            raise _too_large(Path(root, relative), info.st_size)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)  # it may have grown since fstat
        if len(data) > MAX_SOURCE_BYTES:
            raise _too_large(Path(root, relative), len(data))
        return data
    finally:
        os.close(fd)


def read_edition_sources(folder: Path, report_id: str, lang: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of everything one edition is made from, each file read once: what publish
    hashes and what it embeds are the same bytes."""
    places = edition_source_places(folder, report_id, lang)
    check_sizes([(name, root / rel) for name, root, rel in places], folder)
    return [(name, read_source(root, rel)) for name, root, rel in places]
