"""Checks on the files a publication points at: images and CSV tables (issue 14).

A broken picture or a table read wrongly must stop the build with a message the comms team can
act on, not ship a missing image or silently shifted figures. Every check here is bounded: the
limits below are the only place they are declared (docs/authoring.md lists them).
"""

from __future__ import annotations

import csv
import re
import warnings
from functools import lru_cache
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # width × height of a PNG or JPEG (e.g. 8000 × 5000)
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_ELEMENTS = 20_000  # elements once every <use> is counted as the copy it draws
MAX_SVG_USE_DEPTH = 5  # a <use> of something that itself holds a <use> …
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 2_000  # rows of data in a publication's table, not counting the header
MAX_SURVEY_CSV_BYTES = 20 * 1024 * 1024  # a survey's data files (results of every trust)
MAX_SURVEY_CSV_ROWS = 100_000

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


class FileProblem(ValueError):
    """What is wrong with a file, in words for the comms team (the caller names the file)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f} megapixels"


def check_image(path: Path) -> None:
    """Raise :class:`FileProblem` unless ``path`` is a whole, reasonably sized PNG, JPEG or SVG.

    The answer is kept for an unchanged file (same size and modification time): a build validates
    the publication once per language.
    """
    stat = path.stat()
    problem = _image_problem(str(path), stat.st_size, stat.st_mtime_ns)
    if problem is not None:
        raise FileProblem(problem)


@lru_cache(maxsize=256)
def _image_problem(name: str, size: int, mtime_ns: int) -> str | None:  # noqa: ARG001 - mtime_ns: cache key
    try:
        _check_image(Path(name), size)
    except FileProblem as exc:
        return str(exc)
    return None


def _check_image(path: Path, size: int) -> None:
    if path.suffix.lower() == ".svg":
        if size > MAX_SVG_BYTES:
            raise FileProblem(
                f"is {size:,} bytes; an SVG image can be at most {MAX_SVG_BYTES:,} bytes — simplify it or save it as PNG"
            )
        _check_svg(path.read_bytes())
        return
    if size > MAX_IMAGE_BYTES:
        raise FileProblem(
            f"is {size:,} bytes; an image can be at most {MAX_IMAGE_BYTES:,} bytes — save it smaller "
            "(a width of 2000 pixels is plenty for a page)"
        )
    _check_bitmap(path, _FORMATS[path.suffix.lower()])


def _check_bitmap(path: Path, expected: str) -> None:
    from PIL import Image, ImageFile, UnidentifiedImageError

    broken = f"is not a readable {expected} image (damaged, cut short or not an image) — export it again"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:  # reads the header only
                found, (width, height) = image.format, image.size
                if found != expected:
                    raise FileProblem(
                        f"is a {found or 'different kind of'} file, not a {expected} image — "
                        f"save it as {expected} or give it the right ending"
                    )
                if width * height > MAX_IMAGE_PIXELS:
                    raise FileProblem(
                        f"is {width:,} × {height:,} pixels ({_megapixels(width * height)}); the limit is "
                        f"{_megapixels(MAX_IMAGE_PIXELS)} — save it smaller (2000 pixels wide is plenty)"
                    )
                image.verify()  # chunk structure and checksums, without decoding
            # The pixels themselves: a cut-short file fails here (bounded by the limit above). WeasyPrint
            # sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would pad a cut-short image in
            # silence; it is off for this one load (stricter for a moment only, never looser).
            saved, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
            try:
                with Image.open(path) as image:
                    image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = saved
        except FileProblem:
            raise
        except Image.DecompressionBombError as exc:  # Pillow's own, far higher limit: refused before the header is used
            found = re.search(r"\((\d+) pixels\)", str(exc))
            size = f" ({_megapixels(int(found.group(1)))})" if found else ""
            raise FileProblem(
                f"is far too large an image{size}; the limit is {_megapixels(MAX_IMAGE_PIXELS)} — save it smaller "
                "(2000 pixels wide is plenty)"
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise FileProblem(broken) from None


_URL = re.compile(r"""url\(\s*['"]?([^'")\s]*)""", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _check_svg(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("is not a UTF-8 SVG file — export the SVG again as UTF-8") from None
    if _DOCTYPE.search(text):
        raise FileProblem("has a DOCTYPE or entity declaration, which is not allowed — remove it or export again")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        where = f" (line {line})" if line else ""
        raise FileProblem(f"is not a readable SVG image{where} — export it again") from None
    if _local(root.tag) != "svg":
        raise FileProblem("is not an SVG image (its outer element is not <svg>) — export it again")
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        raise FileProblem(
            f"has {len(elements):,} elements; the limit is {MAX_SVG_ELEMENTS:,} — simplify it or save it as PNG"
        )
    by_id = {el.get("id"): el for el in elements if el.get("id")}
    parent = {child: el for el in elements for child in el}
    drawn: dict[int, int] = {}  # id(element) → elements drawn for it, <use> copies counted in
    too_deep = "has <use> elements nested too deeply or in a loop — simplify it or save it as PNG"

    def target(use):
        href = use.get("href") or use.get(XLINK_HREF) or ""
        if not href:
            return None
        if not href.startswith("#"):
            raise FileProblem(f"points at '{href[:60]}' outside the image — SVG images must be self-contained")
        found = by_id.get(href[1:])
        if found is None:
            raise FileProblem(f"has a <use> of '{href[:60]}', which the image does not have — export it again")
        return found

    def count(el, depth: int, active: set[int]) -> int:
        key = id(el)
        if key in drawn:
            return drawn[key]
        if depth > MAX_SVG_USE_DEPTH or key in active:
            raise FileProblem(too_deep)
        active.add(key)
        total = 1
        for child in el:
            total += count(child, depth, active)
        if _local(el.tag) == "use":
            ref = target(el)
            if ref is not None:
                node = el
                while node is not None:  # a <use> inside what it copies
                    if node is ref:
                        raise FileProblem(too_deep)
                    node = parent.get(node)
                total += count(ref, depth + 1, active)
        active.discard(key)
        if total > MAX_SVG_ELEMENTS:
            raise FileProblem(
                f"draws more than {MAX_SVG_ELEMENTS:,} elements once its <use> copies are counted — "
                "simplify it or save it as PNG"
            )
        drawn[key] = total
        return total

    for el in elements:  # every href checked, not only those reached from the root
        if _local(el.tag) == "use":
            target(el)
    count(root, 0, set())
    outside = "points at '{}' outside the image — SVG images must be self-contained (embed or remove it)"
    for el in elements:  # anything the renderer would fetch: <image>, <feImage>, gradients, url(…) in styles
        href = el.get("href") or el.get(XLINK_HREF) or ""
        if href and _local(el.tag) != "a" and not href.startswith(("#", "data:")):
            raise FileProblem(outside.format(href[:60]))
        for value in [*el.attrib.values(), el.text or ""] if _local(el.tag) == "style" else el.attrib.values():
            for found in _URL.finditer(value):
                if not found.group(1).startswith(("#", "data:")):
                    raise FileProblem(outside.format(found.group(1)[:60]))


def check_csv_shape(text: str, *, max_rows: int = MAX_CSV_ROWS, max_bytes: int = MAX_CSV_BYTES) -> None:
    """Raise :class:`FileProblem` if a row has more or fewer cells than the header, or there are too many rows.

    pandas would take a row with extra cells as an index (shifting every value along) and pad a
    short one silently; both publish wrong figures.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise FileProblem(f"is larger than {max_bytes:,} bytes, the limit for this file — make it smaller or split it")
    reader = csv.reader(StringIO(text), skipinitialspace=True)
    header: list[str] | None = None
    rows = 0
    try:
        for record in reader:
            line = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue  # blank lines are skipped, as pandas does
            if header is None:
                header = record
                continue
            rows += 1
            if rows > max_rows:
                raise FileProblem(
                    f"has more than {max_rows:,} rows of data; the limit is {max_rows:,} — "
                    "publish a summary table, or split it"
                )
            if len(record) != len(header):
                more = "more" if len(record) > len(header) else "fewer"
                raise FileProblem(
                    f"line {line} has {len(record)} cells but the header has {len(header)} ({', '.join(header)}) "
                    f"— {more} cells than columns; check for a missing or extra comma, "
                    "and put quotes around a value that contains a comma",
                    line,
                )
    except csv.Error as exc:
        raise FileProblem(f"line {reader.line_num} cannot be read ({exc}) — check its quotes") from None
