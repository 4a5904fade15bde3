"""axe-core in headless Debian Chromium on every HTML output: no violations allowed."""

from __future__ import annotations

import os

import pytest

from conftest import CHROMIUM, axe_violations, describe, output_path

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (make setup)")


def test_every_html_output_has_no_axe_violations(browser, built_samples):
    for report_id, result in built_samples.items():
        violations = axe_violations(browser, output_path(result, "html"))
        assert violations == [], f"{report_id}:\n{describe(violations)}"


def test_axe_finds_a_violation_we_plant(browser, tmp_path):
    """The harness itself works: an image without alt and a low-contrast text are caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main>'
        '<h1>x</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#bbb">faint</p></main></body></html>'
    )
    ids = {v["id"] for v in axe_violations(browser, page)}
    assert {"image-alt", "color-contrast"} <= ids
