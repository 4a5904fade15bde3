"""Where reportgen's own files are: the templates, their assets, the default data and catalogs."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_ROOT / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"
DEFAULT_TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
