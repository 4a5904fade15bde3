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
