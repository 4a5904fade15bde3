"""The versions that shape what reportgen makes: its own, WeasyPrint's, Babel's and its CLDR's, the fonts'."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from importlib import metadata

from reportgen import __version__

# Debian packages of the fonts every language names (languages.py)
FONT_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk")


def _dist(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _debian(package: str) -> str:
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (no dpkg)"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "not installed"


@lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    from babel import core

    babel = _dist("babel")
    babel_cldr = f"{babel} (CLDR {core.get_cldr_version()})" if hasattr(core, "get_cldr_version") else babel
    found = {
        "reportgen": __version__,
        "WeasyPrint": _dist("weasyprint"),
        "Babel": babel_cldr,
        "pydyf": _dist("pydyf"),
        "fontTools": _dist("fonttools"),
    }
    for package in FONT_PACKAGES:
        found[package] = _debian(package)
    return tuple(found.items())


def versions() -> dict[str, str]:
    """name → version, reportgen first (read once per process: installed versions do not change under it)."""
    return dict(_versions())


def generator() -> str:
    """reportgen and every version that shapes its output, on one line (as ``reportgen --version``
    lists them): the generator of every HTML page, the Creator/CreatorTool of every PDF, and the
    archive's record."""
    found = versions()
    others = [f"{name} {version}" for name, version in found.items() if name != "reportgen"]
    others.append(f"pikepdf {_dist('pikepdf')}")
    return f"reportgen {found['reportgen']} ({', '.join(others)})"
