"""Pages that never strand a few lines: a second look at WeasyPrint's layout before the PDF is written.

CSS keeps a heading with its text, a signature with the last paragraph and a figure whole, but it
cannot say "start each part on a new page, unless that leaves the page before holding two lines"
or "set the letter a little tighter if that saves a page holding only its signature". This module
does that, on the laid-out pages (no PDF is written in between):

* a page whose content reaches less than :data:`SHARE` of the way down (the running header and
  footer left out) and whose next page opens a part with a forced page break: that part flows on
  under the short page instead (its opening band stays; it only loses the break);
* a short last page of a short document (under :data:`LONG_PAGES` pages): the document is laid out
  again with slightly less space between paragraphs and lines (:data:`TIGHTER`, one step at a time),
  and the tighter layout is kept only if it has fewer pages.

The check rule ``stranded-page`` (:mod:`reportgen.check.pages`) reports, from the finished PDF,
whatever is still short with the same :data:`SHARE` and :data:`LONG_PAGES`.
"""

from __future__ import annotations

import logging

LOG = logging.getLogger("reportgen.formats.pdf")

SHARE = 0.2  # a page whose content reaches less than a fifth of the way down is "short"
LONG_PAGES = 8  # from this many pages on, the last page of a document may be short
MAX_PASSES = 4  # layouts after the first, at most

# One step tighter each: paragraph and list spacing, then line spacing too. Text size never changes.
# WeasyPrint takes these as a user style sheet without !important: they replace the browser's default
# paragraph margins and the inherited line height, never a spacing the theme or the large print
# styles set themselves (large print keeps its generous spacing).
TIGHTER = (
    "main :is(p, ul, ol, address, blockquote) { margin-block: 0 0.6em; } main li { margin-block-end: 0.25em; }",
    "main :is(p, ul, ol, address, blockquote) { margin-block: 0 0.45em; } main li { margin-block-end: 0.15em; }"
    " main { line-height: 1.42; }",
)


def _boxes(box):
    """The box and its descendants, margin boxes (running header and footer) left out."""
    from weasyprint.formatting_structure import boxes

    stack = [box]
    while stack:
        current = stack.pop()
        if isinstance(current, boxes.MarginBox):
            continue
        yield current
        stack.extend(reversed(getattr(current, "children", ())))  # document order


def page_share(page) -> float:
    """How far down its content area a laid-out page's text and pictures reach, from 0 to 1."""
    from weasyprint.formatting_structure import boxes

    root = page._page_box
    top = root.content_box_y()
    height = root.height or 1
    bottom = top
    for box in _boxes(root):
        if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) and (box.text.strip() if hasattr(box, "text") else True):
            bottom = max(bottom, box.position_y + box.margin_height())
    return max(0.0, min(1.0, (bottom - top) / height))


def _opening_part(page) -> str | None:
    """The aria-labelledby of the part (section.level-2) that opens a page with a forced break: the
    page's first section, starting there (its heading is its first box on the page, not the rest of
    a part begun on an earlier page)."""
    from weasyprint.formatting_structure import boxes

    for box in _boxes(page._page_box):
        element = getattr(box, "element", None)
        if not isinstance(box, boxes.BlockBox) or element is None or box.element_tag != "section":
            continue
        first = next((child for child in box.children if isinstance(child, boxes.BlockBox)), None)
        if (
            "level-2" in (element.get("class") or "").split()
            and box.style["break_before"] == "page"
            and first is not None
            and first.element_tag in ("h2", "h3", "h4", "h5", "h6")
        ):
            return element.get("aria-labelledby")
        return None
    return None


def short_pages(document) -> list[int]:
    """0-based indices of the short pages that may be stranded (not the title page, not the last page
    of a long document)."""
    pages = document.pages
    if len(pages) < 2:
        return []
    found = []
    for index, page in enumerate(pages):
        if index == 0 or (index == len(pages) - 1 and len(pages) >= LONG_PAGES):
            continue
        if page_share(page) < SHARE:
            found.append(index)
    return found


def fit_pages(document, relayout):
    """The laid-out ``document``, or a better one from ``relayout(extra_css)`` if that strands fewer pages."""
    flow_on: list[str] = []
    step = 0
    for _ in range(MAX_PASSES):
        short = short_pages(document)
        if not short:
            break
        pages = document.pages
        parts = [_opening_part(pages[i + 1]) for i in short if i + 1 < len(pages)]
        parts = [p for p in parts if p and p not in flow_on]
        if parts:
            flow_on += parts
            candidate = relayout(_css(flow_on, step))
            LOG.info("short page(s) %s: part(s) %s flow on", [i + 1 for i in short], ", ".join(parts))
            document = candidate
            continue
        if short == [len(pages) - 1] and step < len(TIGHTER):
            candidate = relayout(_css(flow_on, step + 1))
            step += 1
            if len(candidate.pages) < len(pages):
                LOG.info("short last page %d: set %d step(s) tighter", len(pages), step)
                document = candidate
                continue
            continue
        break
    return document


def _css(flow_on: list[str], step: int) -> str:
    rules = [TIGHTER[step - 1]] if step else []
    for labelledby in flow_on:
        name = labelledby.replace("\\", "\\\\").replace('"', '\\"')
        rules.append(f'section[aria-labelledby="{name}"] {{ break-before: auto !important; margin-top: 9mm; }}')
    return "\n".join(rules)
