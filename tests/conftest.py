"""Shared fixtures: the sample publications built once per test session."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLES = sorted(p.parent for p in DATA.glob("*/report.yaml"))
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory):
    """Every publication in data/ built to HTML and PDF once: {report id: BuildResult}."""
    from reportgen.build import build_report

    out = tmp_path_factory.mktemp("out")
    return {folder.name: build_report(folder, out_dir=out) for folder in SAMPLES}


def output_path(result, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format.value == fmt)


@pytest.fixture
def copy_sample(tmp_path):
    """A writable copy of a sample publication folder, to break on purpose."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(DATA / name, target)
        return target

    return copy


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (make setup)")
    from playwright.sync_api import sync_playwright

    from reportgen.check import outputs

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        outputs.SHARED_BROWSER = browser  # reportgen check and publish use it too (one sync driver per thread)
        yield browser
        outputs.SHARED_BROWSER = None
        browser.close()


def axe_violations(browser, path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        return results.response["violations"]
    finally:
        page.close()


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )



@pytest.fixture
def translations(tmp_path, monkeypatch):
    """A private copy of translations/ that a test may change (REPORTGEN_TRANSLATIONS)."""
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setenv("REPORTGEN_TRANSLATIONS", str(copy))
    return copy


def pytest_configure(config):
    config.addinivalue_line("markers", "expect_warnings: the test provokes reportgen warnings on purpose")


@pytest.fixture(autouse=True)
def fail_on_unexpected_warnings(request, caplog):
    """A test fails when reportgen logs a warning it did not provoke on purpose."""
    caplog.set_level(logging.WARNING, logger="reportgen")
    yield
    if request.node.get_closest_marker("expect_warnings"):
        return
    unexpected = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.get_records("call")
        if r.name.startswith("reportgen") and r.levelno >= logging.WARNING
    ]
    assert not unexpected, f"unexpected warnings: {unexpected}"
