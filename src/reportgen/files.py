"""Writing files so that a reader never sees half of one: temporary file, fsync, rename.

Every stage that writes (build outputs, catalogs, translation packages, the font cache,
build records) goes through :func:`write_atomically`; the archive, which must never replace
a file, links the same :func:`write_temporary` file into place instead of renaming it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write through a temporary file in the same folder, then rename over the target.

    The file gets ``mode`` (readable by all, as an ordinary new file would be; the
    temporary file is private while it is written).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = write_temporary(path.parent, f".{path.name}.", data, mode)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
