"""Output rules: build the HTML and PDF in memory and run the accessibility checkers on them.

* HTML: axe-core (WCAG 2.0–2.2 A/AA and best practice) in headless Debian Chromium, plus
  our own heading-order and table checks;
* PDF: page-validation's PDF/UA-1 profile, and :func:`reportgen.formats.pdf.inspect.problems`.

Takes a validated publication and one language; returns findings located by output file
name (and page, for the PDF). Nothing is written outside a private temporary folder.
"""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from reportgen import formats as registry
from reportgen.build.edition import build_edition
from reportgen.check.findings import finding
from reportgen.check.pages import stranded_pages
from reportgen.content import model as m
from reportgen.errors import Finding, ReportgenError
from reportgen.formats.pdf.inspect import problems

CHROMIUM = "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def check_outputs(report: m.Report, raw, lang: str, browser=None) -> list[Finding]:
    """Every output check of every format that has some, on the edition built in memory."""
    checked = [name for name, fmt in registry.FORMATS.items() if fmt.checks and fmt.always_checked]
    try:
        edition = build_edition(report, raw, lang, formats=checked)
    except ReportgenError as exc:
        first = exc.problems[0] if exc.problems else None
        name = registry.output_name(report.id, lang, checked[-1])
        return [finding("build", f"the {lang} edition cannot be built: {first or exc.args[0]}", name, lang=lang)]
    return run_checks(edition.files, report.id, lang, browser)


def run_checks(files: dict[str, bytes], report_id: str, lang: str, browser=None, skip=()) -> list[Finding]:
    """The checks each format's registry entry names, on its file's bytes (those in ``skip`` left out)."""
    found = []
    for name, data in files.items():
        for check in registry.get(name).checks:
            if check not in skip:
                found += CHECKS[check](data, registry.output_name(report_id, lang, name), lang, browser)
    return found


# --- HTML -----------------------------------------------------------------------------


class _Outline(HTMLParser):
    """Headings and tables of an HTML page, in document order."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict] = []
        self._heading: list | None = None
        self._caption = False

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "table":
            self.tables.append({"caption": "", "th": 0, "label": dict(attrs).get("aria-label") or ""})
        elif tag == "caption":
            self._caption = True
        elif tag == "th" and self.tables:
            self.tables[-1]["th"] += 1

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        elif tag == "caption":
            self._caption = False

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._caption and self.tables:
            self.tables[-1]["caption"] += data


def html_findings(html: str, name: str, lang: str) -> list[Finding]:
    outline = _Outline()
    outline.feed(html)
    found = []
    previous = 0
    for level, text in outline.headings:
        if level > previous + 1:
            found.append(
                finding(
                    "heading-skip",
                    f"heading '{text[:60]}' is level {level} after level {previous} — "
                    "headings must go down one level at a time",
                    name,
                    lang=lang,
                )
            )
        previous = level
    for index, table in enumerate(outline.tables, 1):
        if not (table["caption"].strip() or table["label"]):
            found.append(finding("table-headers", f"table {index} has no caption — give it one", name, lang=lang))
        if not table["th"]:
            found.append(
                finding("table-headers", f"table {index} has no header cells (th) — label its columns", name, lang=lang)
            )
    return found


def axe_findings(html: str, name: str, lang: str, browser=None) -> list[Finding]:
    """axe-core's violations; a checker that cannot run is itself an error, never a silent pass."""
    if browser is None:
        with open_browser() as opener:
            return axe_findings(html, name, lang, opener)
    if isinstance(browser, open_browser):
        browser = browser.get()
        if browser is None:
            return [
                finding("html-axe", f"axe-core could not run: {CHROMIUM} is missing — run make setup", name, lang=lang)
            ]
    from axe_playwright_python.sync_playwright import Axe

    with tempfile.TemporaryDirectory(prefix="reportgen-check-") as folder:
        path = Path(folder) / name
        path.write_text(html, encoding="utf-8")
        page = browser.new_page()
        try:
            page.goto(path.as_uri())
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        finally:
            page.close()
    found = []
    for violation in results.response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        found.append(
            finding(
                "html-axe",
                f"[{violation['id']}] {violation['help']} ({violation['impact']}; "
                f"{len(violation['nodes'])} element(s), e.g. {targets}) — {violation['helpUrl']}",
                name,
                lang=lang,
            )
        )
    return found


# A process that already drives Chromium through Playwright's sync API (the test session,
# a web server's worker) lends its browser here: Playwright allows one sync driver per thread.
SHARED_BROWSER = None


class open_browser:
    """Headless Debian Chromium for axe-core, started on first use; None when it is not installed."""

    def __init__(self, given=None):
        self._given = given
        self._browser = None
        self._playwright = None

    def __enter__(self):
        return self

    def get(self):
        if self._given is not None:
            return self._given
        if SHARED_BROWSER is not None:
            return SHARED_BROWSER
        if self._browser is None and Path(CHROMIUM).exists():
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self._browser

    def __exit__(self, *exc):
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()


# --- PDF ------------------------------------------------------------------------------


def structure_findings(pdf: bytes, name: str, lang: str) -> list[Finding]:
    return [
        finding("pdf-structure", f"{text} — a fault of the PDF stage or of the content", name, lang=lang)
        for text in problems(pdf)
    ]


def pdf_findings(pdf: bytes, name: str, lang: str) -> list[Finding]:
    """Structure and PDF/UA-1 profile findings."""
    return structure_findings(pdf, name, lang) + ua_findings(pdf, name, lang)


def ua_findings(pdf: bytes, name: str, lang: str) -> list[Finding]:
    """page-validation's PDF/UA-1 profile, each failure located on its page where it can be."""
    import io

    import page as page_validation
    import pikepdf

    found = []
    with tempfile.TemporaryDirectory(prefix="reportgen-check-") as folder:
        path = Path(folder) / name
        path.write_bytes(pdf)
        report = page_validation.validate_pdf(str(path), profile="ua1")
    if report.is_compliant:
        return found
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = _object_pages(document)
    for failure in report.failures:
        number = None
        match = re.search(r"\bpage (\d+)", failure.message)
        if match:
            number = int(match.group(1))
        elif failure.object_id:
            number = pages.get((failure.object_id.object_number, failure.object_id.generation))
        found.append(finding("pdf-ua", f"{failure.rule_id}: {failure.message}", name, page=number, lang=lang))
    return found


def _object_pages(document) -> dict[tuple[int, int], int]:
    """Page number of each page object and of each structure element that names its page."""
    import pikepdf

    pages = {page.obj.objgen: index for index, page in enumerate(document.pages, 1)}
    out = dict(pages)
    root = document.Root.get("/StructTreeRoot")
    stack = [root] if root is not None else []
    seen = set()
    while stack:
        node = stack.pop()
        if not hasattr(node, "get") or node.objgen in seen:
            continue
        seen.add(node.objgen)
        page_ref = node.get("/Pg")
        if page_ref is not None and node.objgen != (0, 0):
            out[node.objgen] = pages.get(page_ref.objgen)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return out


# The output checks a format's registry entry may name: (file bytes, file name, lang, browser) → findings.
CHECKS = {
    "html-structure": lambda data, name, lang, browser: html_findings(data.decode("utf-8"), name, lang),
    "axe": lambda data, name, lang, browser: axe_findings(data.decode("utf-8"), name, lang, browser),
    "pdf-structure": lambda data, name, lang, browser: structure_findings(data, name, lang),
    "pdf-ua": lambda data, name, lang, browser: ua_findings(data, name, lang),
    "pdf-pages": lambda data, name, lang, browser: stranded_pages(data, name, lang),
}
