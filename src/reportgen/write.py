"""Writing files so that a reader never sees half of one: temporary file, fsync, rename.

Every stage that writes (build outputs, catalogs, translation packages, the font cache,
archive copies) goes through :func:`write_atomically`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write through a temporary file in the same folder, then rename over the target.

    The file gets ``mode`` (readable by all, as an ordinary new file would be; the
    temporary file is private while it is written).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
