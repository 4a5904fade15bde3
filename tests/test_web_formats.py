"""The web app offers and serves the plain text and large print files once built."""

from __future__ import annotations

import urllib.request

import pytest

from conftest import LETTER_ID, web_server
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with web_server(tmp_path_factory.mktemp("web")) as (base, config):
        build_report(config.data_dir / LETTER_ID, BuildRequest(out_dir=config.out_dir, formats=("txt", "large-print")))
        yield base, config


def _get(url: str):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.headers, response.read()


def test_the_publication_page_links_the_new_formats(site):
    base, _config = site
    _status, _headers, page = _get(f"{base}/reports/{LETTER_ID}")
    html = page.decode("utf-8")
    assert f"/reports/{LETTER_ID}/out/en-GB.txt" in html and "Plain text" in html
    assert f"/reports/{LETTER_ID}/out/en-GB.large-print" in html and "Large print PDF" in html


def test_the_files_are_served_with_their_names(site):
    base, _config = site
    status, headers, body = _get(f"{base}/reports/{LETTER_ID}/out/en-GB.large-print")
    assert status == 200 and body.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
    assert f'filename="{LETTER_ID}.en-GB.large-print.pdf"' in headers["Content-Disposition"]
    status, headers, body = _get(f"{base}/reports/{LETTER_ID}/out/en-GB.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert b"<" not in body and body.decode("utf-8").strip()
