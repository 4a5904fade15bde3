"""Puts reportgen's run-time files into the wheel as package data (reportgen/_data/).

The repository keeps them at the top level (templates/, translations/, data/); a wheel
carries a copy, so `pip install` or `pipx install` gives a reportgen that runs anywhere.
See src/reportgen/resources.py for how they are found.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SAMPLE = "annual-report-2024-25-at-a-glance"


def _copy_data(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "templates", target / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    translations = target / "translations"
    translations.mkdir(parents=True)
    shutil.copy2(ROOT / "translations" / "ui.pot", translations / "ui.pot")
    shutil.copy2(ROOT / "translations" / f"{SAMPLE}.pot", translations / f"{SAMPLE}.pot")
    for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po")):
        if po.stem in ("ui", SAMPLE):
            destination = translations / po.relative_to(ROOT / "translations")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(po, destination)
    shutil.copytree(ROOT / "data" / SAMPLE, target / "data" / SAMPLE)
    schema = ROOT / "docs" / "report.schema.json"
    if schema.exists():
        shutil.copy2(schema, target / "report.schema.json")


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            _copy_data(Path(self.build_lib) / "reportgen" / "_data")


setup(cmdclass={"build_py": BuildPyWithData})
