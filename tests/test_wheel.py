"""The wheel carries everything reportgen needs: built, installed outside the checkout, it makes a workspace and builds it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pikepdf
import pytest

from conftest import axe_violations, describe

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(reportgen executable, wheel) — the wheel installed into a fresh virtualenv outside the checkout.

    The dependencies are the locked ones already in this test's environment: a .pth file puts its
    site-packages after the new virtualenv's own, where only the wheel is installed (the checkout's
    editable hook is in a .pth file that a path line does not run), so nothing is downloaded.
    """
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        cwd=base,
    )
    (wheel,) = wheels.glob("reportgen-*.whl")
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    (site / "locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        cwd=base,
    )
    return env_dir / "bin" / "reportgen", wheel, python


def test_wheel_holds_templates_ui_catalogs_and_the_sample(installed):
    _exe, wheel, _python = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "reportgen/_data/templates/base.html",
        "reportgen/_data/templates/blocks/_contact.html",
        "reportgen/_data/templates/assets/print.css",
        "reportgen/_data/translations/ui.pot",
        "reportgen/_data/translations/ar/LC_MESSAGES/ui.po",
        "reportgen/_data/data/annual-report-2024-25-at-a-glance/report.yaml",
    ):
        assert needed in names, needed


def test_installed_reportgen_runs_from_package_data(installed, tmp_path):
    _exe, _wheel, python = installed
    found = subprocess.run(
        [str(python), "-c", "import reportgen.resources as r; print(r.IN_CHECKOUT, r.TEMPLATES_DIR)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.split()
    assert found[0] == "False"
    assert ROOT.as_posix() not in found[1] and found[1].endswith("reportgen/_data/templates")


def test_init_then_build_html_and_pdf_in_two_languages(installed, tmp_path, browser):
    """What the installed tool makes is as accessible as what the checkout makes: axe-core in
    Chromium for the pages, the independent PDF/UA-1 checker for the PDFs."""
    page = pytest.importorskip("page")
    exe, _wheel, _python = installed
    run = subprocess.run([str(exe), "init", "team"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    workspace = tmp_path / "team"
    (publication,) = (workspace / "publications").iterdir()
    run = subprocess.run(
        [str(exe), "build", f"publications/{publication.name}", "--lang", "en-GB,ar", "--format", "html,pdf"],
        cwd=workspace,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    out = workspace / "out" / publication.name
    for lang in ("en-GB", "ar"):
        html = (out / f"{publication.name}.{lang}.html").read_text(encoding="utf-8")
        assert f'lang="{lang}"' in html
        with pikepdf.open(out / f"{publication.name}.{lang}.pdf") as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert str(pdf.Root.Lang) == lang
        violations = axe_violations(browser, out / f"{publication.name}.{lang}.html")
        assert violations == [], describe(violations)
        result = page.validate_pdf(str(out / f"{publication.name}.{lang}.pdf"), profile="ua1")
        assert result.is_compliant, "\n".join(f"{f.rule_id}: {f.message}" for f in result.failures[:20])


def test_version_names_what_shapes_the_output(installed):
    exe, _wheel, _python = installed
    run = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    names = [line.split(" ", 1)[0] for line in run.stdout.splitlines()]
    assert names[:5] == ["reportgen", "WeasyPrint", "Babel", "pydyf", "fontTools"]
    assert "CLDR" in run.stdout
