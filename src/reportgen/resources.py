"""Where reportgen's own files are: the built-in templates, their assets, the UI catalogs, the sample.

Two places, one answer. In a source checkout they are the repository's top-level folders
(``templates/``, ``translations/``, ``data/``), so contributors edit them where the project
was specified. In an installed wheel the same files are package data under
``reportgen/_data/`` (setup.py copies them there when the wheel is built), found with
:mod:`importlib.resources`. A checkout is recognised by its ``pyproject.toml`` and
``templates/`` beside ``src/``.
"""

from importlib import resources as _resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]
_PACKAGE_DATA = Path(str(_resources.files("reportgen").joinpath("_data")))

#: True when reportgen runs from a source checkout (editable install or PYTHONPATH=src).
IN_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "templates" / "base.html").is_file()

PROJECT_ROOT = _CHECKOUT if IN_CHECKOUT else _PACKAGE_DATA
TEMPLATES_DIR = PROJECT_ROOT / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"
#: the page furniture's catalogs (ui.pot, <locale>/LC_MESSAGES/ui.po): reportgen's, not a workspace's
UI_TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
#: the sample publication ``reportgen init`` copies into a new workspace
SAMPLE_ID = "annual-report-2024-25-at-a-glance"
SAMPLE_DIR = PROJECT_ROOT / "data" / SAMPLE_ID
# The defaults when no workspace says otherwise (a checkout is itself a workspace: reportgen.toml).
DEFAULT_TRANSLATIONS_DIR = UI_TRANSLATIONS_DIR
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
