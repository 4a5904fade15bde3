"""Where the project's own files are: templates, assets, translations."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_ROOT / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
DATA_DIR = PROJECT_ROOT / "data"
