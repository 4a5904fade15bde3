"""Where the project's own files are: templates, assets, translations."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_ROOT / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"


def translations_dir() -> Path:
    """The catalogs' root: translations/, or $REPORTGEN_TRANSLATIONS (tests use a copy)."""
    import os

    return Path(os.environ.get("REPORTGEN_TRANSLATIONS") or TRANSLATIONS_DIR)


DATA_DIR = PROJECT_ROOT / "data"


def data_dir() -> Path:
    """The publications' root: data/, or $REPORTGEN_DATA (tests and the web app use a copy)."""
    import os

    return Path(os.environ.get("REPORTGEN_DATA") or DATA_DIR)


UI_DOMAIN = "ui"  # the page furniture's catalog; each publication's own is named by its id


def locale_dir(tag: str) -> str:
    """Babel's identifier for a BCP 47 tag: zh-Hant → zh_Hant, en-GB → en_GB.

    The trust's languages need only the hyphen swapped (a test holds this to Babel's answer),
    so finding a catalog does not import Babel; any other tag is parsed by Babel.
    """
    from reportgen.languages import LANGUAGES

    if tag in LANGUAGES:
        return tag.replace("-", "_")
    from babel import Locale

    return str(Locale.parse(tag.replace("-", "_")))


def po_path(tag: str, domain: str, root: Path | None = None) -> Path:
    """translations/<locale>/LC_MESSAGES/<domain>.po"""
    root = root or translations_dir()
    return root / locale_dir(tag) / "LC_MESSAGES" / f"{domain}.po"
