"""Pictures of the web app's main pages for docs/web.md: docs/images/web-*.png (make screenshots).

Starts ``reportgen serve`` on copies of the letter fixture and translations/ (the test
suite's server), builds and publishes the letter in English, and photographs each page in
Debian's Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS, LETTER_ID, web_server  # noqa: E402

IMAGES = ROOT / "docs" / "images"


def main() -> None:
    with tempfile.TemporaryDirectory() as temp, web_server(Path(temp)) as (base, _config), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1100, "height": 800})
        page.set_default_timeout(120_000)

        def shot(name: str) -> None:
            page.screenshot(path=str(IMAGES / f"web-{name}.png"), full_page=True)
            print(f"wrote docs/images/web-{name}.png")

        page.goto(f"/reports/{LETTER_ID}")
        page.get_by_role("button", name="Build").click()
        page.wait_for_selector("#job-result")
        shot("build")
        page.goto(f"/reports/{LETTER_ID}")
        page.get_by_role("button", name="Publish").click()
        page.wait_for_selector("#job-result")
        page.goto("/")
        shot("publications")
        page.goto(f"/reports/{LETTER_ID}")
        shot("publication")
        page.goto(f"/reports/{LETTER_ID}/preview/en-GB")
        shot("preview")
        page.goto(f"/reports/{LETTER_ID}/translations")
        page.get_by_label("Language to translate into").select_option("pl")
        page.get_by_role("button", name="Prepare the request").click()
        shot("translation-request")
        page.goto("/archive")
        shot("archive")
        browser.close()


if __name__ == "__main__":
    main()
