"""Where the catalogs are: translations/<locale>/LC_MESSAGES/<domain>.po, without importing Babel.

Incremental builds ask for these paths on every start; Babel is imported only by the
modules that read or write catalogs.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.languages import LANGUAGES
from reportgen.resources import UI_TRANSLATIONS_DIR
from reportgen.settings import current

UI_DOMAIN = "ui"  # the page furniture's catalog; each publication's own is named by its id


def translations_dir() -> Path:
    """The catalogs' root, from the active settings."""
    return current().translations_dir


def ui_translations_dir() -> Path:
    """The page furniture's catalogs: the workspace's own if it keeps a ui.pot, else reportgen's built-in ones."""
    root = translations_dir()
    return root if (root / f"{UI_DOMAIN}.pot").is_file() else UI_TRANSLATIONS_DIR


def _root(domain: str, root: Path | None) -> Path:
    if root is not None:
        return root
    return ui_translations_dir() if domain == UI_DOMAIN else translations_dir()


def locale_dir(tag: str) -> str:
    """Babel's identifier for a BCP 47 tag: zh-Hant → zh_Hant, en-GB → en_GB.

    The trust's languages carry it (a test holds it to Babel's answer), so finding a catalog
    does not import Babel; any other tag is parsed by Babel.
    """
    if tag in LANGUAGES:
        return LANGUAGES[tag].locale
    from babel import Locale

    return str(Locale.parse(tag.replace("-", "_")))


def po_path(tag: str, domain: str, root: Path | None = None) -> Path:
    """translations/<locale>/LC_MESSAGES/<domain>.po"""
    root = _root(domain, root)
    return root / locale_dir(tag) / "LC_MESSAGES" / f"{domain}.po"


def pot_path(domain: str, root: Path | None = None) -> Path:
    root = _root(domain, root)
    return root / f"{domain}.pot"
