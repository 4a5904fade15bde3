"""Shared fixtures: the sample publications built once per test session."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLES = sorted(p.parent for p in DATA.glob("*/report.yaml"))
# The tests drive Chromium and axe-core with the very settings reportgen check uses.
from reportgen.check.outputs import AXE_TAGS, CHROMIUM, CHROMIUM_ARGS  # noqa: E402, F401


@pytest.fixture(scope="session", autouse=True)
def font_cache(tmp_path_factory):
    """The font subset cache in a temporary folder, not the user's ~/.cache (unless set).

    Set in the environment too, for the reportgen processes some tests start.
    """
    from reportgen import settings

    if os.environ.get("REPORTGEN_CACHE"):
        folder = Path(os.environ["REPORTGEN_CACHE"])
    else:
        folder = tmp_path_factory.mktemp("reportgen-cache")
    saved = os.environ.get("REPORTGEN_CACHE")
    os.environ["REPORTGEN_CACHE"] = str(folder)
    settings.activate(settings.Settings.from_environment())
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("REPORTGEN_CACHE", None)


@pytest.fixture(autouse=True)
def active_settings():
    """Each test starts from the session's settings; a test that changes them (with
    settings.use, or the fixtures below) leaves none of it behind."""
    from reportgen import settings

    base = settings.current()
    yield base
    settings.activate(base)


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory):
    """Every publication in data/ built to HTML and PDF once: {report id: BuildResult}."""
    from reportgen.build.core import build_report
    from reportgen.build.request import BuildRequest

    out = tmp_path_factory.mktemp("out")
    return {folder.name: build_report(folder, BuildRequest(out_dir=out)) for folder in SAMPLES}


def run_build(folder, out, timeout: float, *options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``reportgen build FOLDER… --out OUT [OPTIONS]`` in a fresh process, as a comms officer runs
    it; the timeout is part of the test (hostile input must end within it). ``folder``: one or a list."""
    folders = folder if isinstance(folder, (list, tuple)) else [folder]
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "build", *map(str, folders), "--out", str(out), *options],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )


def output_path(result, fmt: str) -> Path:
    return next(o.path for o in result.outputs if o.format == fmt)


@pytest.fixture
def copy_sample(tmp_path):
    """A writable copy of a sample publication folder, to break on purpose."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(DATA / name, target)
        return target

    return copy


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


def axe_violations(browser, path_or_url):
    """axe-core's violations on a file (a Path) or a page at a URL (a str)."""
    page = browser.new_page()
    try:
        page.goto(path_or_url if isinstance(path_or_url, str) else path_or_url.as_uri())
        return page_violations(page)
    finally:
        page.close()


def page_violations(page):
    """axe-core's violations on the page as it is now in an open Playwright page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return results.response["violations"]


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )


@pytest.fixture
def translations(tmp_path, monkeypatch, active_settings):
    """A private copy of translations/ that a test may change: the active settings' catalogs
    (and $REPORTGEN_TRANSLATIONS, for the reportgen processes a test starts)."""
    from reportgen import settings

    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setenv("REPORTGEN_TRANSLATIONS", str(copy))
    settings.activate(active_settings.replace(translations_dir=copy))
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


LETTER = ROOT / "tests" / "fixtures" / "letter"
LETTER_ID = "letter-to-carers-2025"


@contextlib.contextmanager
def web_server(root: Path, **options):
    """``reportgen serve`` on a free port over copies of the letter and translations/: yields (base URL, config).

    The app makes its settings the active ones while it runs (its workers get them too); the
    previous ones are put back afterwards.
    """
    import socket
    import threading
    import time

    import uvicorn

    from reportgen.web import Config, create_app

    data = root / "data"
    shutil.copytree(LETTER, data / LETTER_ID)
    shutil.copytree(ROOT / "translations", root / "translations", ignore=shutil.ignore_patterns("*.mo"))
    config = Config.from_environment(
        data_dir=data,
        translations_dir=root / "translations",
        out_dir=root / "out",
        archive_dir=root / "archive",
        **options,
    )
    from reportgen import settings

    saved = settings.current()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", config
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        settings.activate(saved)


def asgi_request(
    app, path: str, headers: dict | None = None, method: str = "GET", body: bytes = b"", client: str = "127.0.0.1"
):
    """One request through the ASGI interface (from the address ``client``): status, headers (last value of each) and body."""
    sent = []

    async def run():
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (k.lower().encode(), v.encode())
                for k, v in {"host": "127.0.0.1:8000", "content-length": str(len(body)), **(headers or {})}.items()
            ],
            "client": (client, 1),
            "server": ("127.0.0.1", 8000),
        }

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)

    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        thread.submit(asyncio.run, run()).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, text
