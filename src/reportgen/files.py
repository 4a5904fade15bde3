"""Writing files so that a reader never sees half of one: temporary file, fsync, rename.

Every stage that writes (build outputs, catalogs, translation packages, the font cache,
build records) goes through these: :func:`write_atomically` for one file;
:func:`temporary_beside` when several files must appear together (all written, then all
renamed); :func:`write_folder` for a new folder of files that appears whole or not at all.
The archive, which must never replace a file, links a :func:`write_temporary` file into place
instead of renaming it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def write_temporary(folder: Path, prefix: str, data: bytes, mode: int) -> Path:
    """A complete, fsynced file with ``data`` in ``folder``, given ``mode`` once written.

    The caller moves it into place (rename or link) and removes it if that fails.
    """
    handle, temp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def temporary_beside(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """A complete temporary file next to ``path``, for the caller to rename onto it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_temporary(path.parent, f".{path.name}.", data, mode)


def write_folder(folder: Path, files: dict[str, bytes], mode: int = 0o644) -> Path:
    """Create ``folder`` holding ``files`` (relative name → bytes), whole or not at all.

    The files are written into a temporary sibling folder, which is then renamed to
    ``folder``; an existing ``folder`` is replaced only after the new one is complete.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for name, data in files.items():
            target = (staging / name).resolve()
            if staging.resolve() not in target.parents:
                raise ValueError(f"{name!r} is not a file name inside the folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(write_temporary(target.parent, ".", data, mode), target)
        os.chmod(staging, 0o755)
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old.", suffix=".tmp"))
            os.rename(folder, old / folder.name)
            os.rename(staging, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write through a temporary file in the same folder, then rename over the target.

    The file gets ``mode`` (readable by all, as an ordinary new file would be; the
    temporary file is private while it is written).
    """
    with open_atomically(path, mode) as stream:
        stream.write(data)
    return path


@contextlib.contextmanager
def open_atomically(path: Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary stream whose file replaces ``path`` only when the block ends without an error.

    For files written in parts (an archive export's zip): the same temporary file, fsync and
    rename as :func:`write_atomically`; on an error the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
