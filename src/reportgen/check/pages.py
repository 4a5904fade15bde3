"""The stranded-page rule: a page of the built PDF that holds only a few lines.

A reader who turns the page for a signature, a closing line or three links meets a page that looks
unfinished. The rule reads the finished PDF (:func:`reportgen.formats.pdf.inspect.page_fills`): how far
down each page its text and figures reach, without the running header and footer, as a share of the
fullest page of the same document (so the page size, margins and script are those of the document).
Pages below ``SHARE`` (a fifth) are reported, except

* the page that holds the title (a cover or title page is short on purpose), and
* the last page of a long document (``LONG_PAGES`` pages or more), where a part ends where it ends.

A document of one page has nothing to strand. The PDF stage (:mod:`reportgen.formats.pdf.pages`)
already lays pages out to avoid this with the same limits; what it cannot mend is reported here.
"""

from __future__ import annotations

from reportgen.check.findings import finding
from reportgen.errors import Finding
from reportgen.formats.pdf.inspect import page_fills
from reportgen.formats.pdf.pages import LONG_PAGES, SHARE  # the same limits the PDF stage lays out to


def stranded_pages(pdf: bytes, name: str, lang: str) -> list[Finding]:
    fills = page_fills(pdf)
    if len(fills) < 2:
        return []
    full = max(page.extent for page in fills)
    found = []
    for page in fills:
        if page.has_title or (page.number == len(fills) and len(fills) >= LONG_PAGES):
            continue
        share = page.extent / full if full else 0.0
        if share >= SHARE:
            continue
        words = page.text.split()
        shown = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
        what = f"only '{shown}'" if words else "no text"
        found.append(
            finding(
                "stranded-page",
                f"page {page.number} of {len(fills)} holds {what} ({share:.0%} of a full page) — a reader turns "
                "the page for a few lines: shorten or lengthen the text just before it by a few lines, or, if the "
                "layout put it there, report it to the reportgen maintainers",
                name,
                page=page.number,
                lang=lang,
            )
        )
    return found
