"""Broken figures and tables (issue 14, item 4): a clear error, never a silently wrong page.

Each case is a real build in a subprocess with a time bound: exit 2, a message naming the file
(and line where there is one), no traceback, nothing written.
"""

from __future__ import annotations

import os
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_build

HEAD = """format: 1
id: bad-example
title: Example
organisation: Leicestershire Partnership NHS Trust
published: 2025-07-24
publisher: Communications team
description: A publication with one thing wrong.
contact:
  email: lpt.feedback@nhs.net
sections:
  - title: First section
    blocks:
"""
FIGURE = "      - {type: figure, src: %s, alt: A chart of the results}\n"
TABLE = """      - type: table
        caption: Results
        csv: results.csv
        columns:
          - {key: name, label: Name, row_header: true}
          - {key: score, label: Score, type: number}
"""


def _png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size: a header, one tiny data chunk, the end (a pixel bomb)."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b"")


def _nested_use(levels: int, fan: int = 10) -> str:
    parts = ["<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'><defs>"]
    parts.append("<rect id='l0' width='1' height='1'/>")
    for level in range(1, levels + 1):
        uses = "".join(f"<use xlink:href='#l{level - 1}'/>" for _ in range(fan))
        parts.append(f"<g id='l{level}'>{uses}</g>")
    parts.append(f"</defs><use xlink:href='#l{levels}'/></svg>")
    return "".join(parts)


SVG_OK = (
    "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' viewBox='0 0 10 10'>"
    "<defs><linearGradient id='g'><stop offset='0' stop-color='navy'/></linearGradient>"
    "<rect id='r' width='5' height='5'/></defs><use xlink:href='#r' style='fill: url(#g)'/>"
    "<a href='https://www.leicspart.nhs.uk/'><text y='9'>LPT</text></a></svg>"
)
CASES = {
    # name: (files, blocks, words expected in the error)
    "csv-extra-fields": (
        {"results.csv": "name,score\nAlpha,10,Beta,20\n"},
        TABLE,
        ["results.csv", "line 2 has 4 cells but the header has 2"],
    ),
    "csv-fewer-fields": (
        {"results.csv": "name,score\nAlpha,10\nBeta\n"},
        TABLE,
        ["results.csv", "line 3 has 1 cells but the header has 2"],
    ),
    "csv-too-many-rows": (
        {"results.csv": "name,score\n" + "".join(f"Row {i},{i}\n" for i in range(10_000))},
        TABLE,
        ["results.csv", "more than 2,000 rows"],
    ),
    "png-truncated": (
        {"chart.png": _png(400, 300)[:-200]},
        FIGURE % "chart.png",
        ["image 'chart.png'", "not a readable PNG image"],
    ),
    "png-text-file": (
        {"chart.png": "This is not a picture.\n"},
        FIGURE % "chart.png",
        ["image 'chart.png'", "not a readable PNG image"],
    ),
    "png-bomb": (
        {"chart.png": _png_header_only(30_000, 30_000)},
        FIGURE % "chart.png",
        ["image 'chart.png'", "(900 megapixels); the limit is 40 megapixels"],
    ),
    "png-too-many-pixels": (
        {"chart.png": _png_header_only(9_000, 6_000)},
        FIGURE % "chart.png",
        ["image 'chart.png'", "is 9,000 × 6,000 pixels (54 megapixels); the limit is 40 megapixels"],
    ),
    "jpeg-named-png": (
        {"chart.png": (lambda b: (Image.new("RGB", (8, 8)).save(b, "JPEG"), b.getvalue())[1])(BytesIO())},
        FIGURE % "chart.png",
        ["image 'chart.png'", "is a JPEG file, not a PNG image"],
    ),
    "svg-use-bomb": (
        {"chart.svg": _nested_use(8)},
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "<use>"],
    ),
    "svg-use-loop": (
        {
            "chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'><g id='a'><use href='#b'/></g>"
            "<g id='b'><use href='#a'/></g></svg>"
        },
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "in a loop"],
    ),
    "svg-entities": (
        {
            "chart.svg": "<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY a 'aaaaaaaaaa'>]>"
            "<svg xmlns='http://www.w3.org/2000/svg'><text>&a;</text></svg>"
        },
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "DOCTYPE or entity"],
    ),
    "svg-external-image": (
        {
            "chart.svg": "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
            "<image xlink:href='file:///etc/passwd'/></svg>"
        },
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "outside the image"],
    ),
    "svg-external-style": (
        {
            "chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'><style>rect { fill: url('https://example.org/x.svg#g') }"
            "</style><rect width='5' height='5'/></svg>"
        },
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "points at 'https://example.org/x.svg#g' outside the image"],
    ),
    "svg-external-gradient": (
        {
            "chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'><linearGradient id='g' href='../secret.svg'/>"
            "<rect width='5' height='5' style='fill: url(#g)'/></svg>"
        },
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "points at '../secret.svg' outside the image"],
    ),
    "svg-not-xml": (
        {"chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>"},
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "not a readable SVG image"],
    ),
    "svg-too-many-elements": (
        {"chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'>" + "<rect/>" * 25_000 + "</svg>"},
        FIGURE % "chart.svg",
        ["image 'chart.svg'", "25,001 elements; the limit is 20,000"],
    ),
}


def _build(folder, out, timeout=60):
    return run_build(folder, out, timeout)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_figure_or_table_stops_the_build_clearly(name, tmp_path):
    files, blocks, expected = CASES[name]
    folder = tmp_path / name
    folder.mkdir()
    (folder / "report.yaml").write_text(HEAD + blocks, encoding="utf-8")
    for file, content in files.items():
        if isinstance(content, bytes):
            (folder / file).write_bytes(content)
        else:
            (folder / file).write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = _build(folder, out)
    assert result.returncode == 2, result.stderr + result.stdout
    for words in expected:
        assert words in result.stderr, result.stderr
    assert "report.yaml:" in result.stderr, "the error names the block that points at the file"
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists() or not any(out.rglob("*")), "nothing may be written"


def test_good_figures_and_table_still_build(tmp_path):
    folder = tmp_path / "good"
    folder.mkdir()
    (folder / "report.yaml").write_text(HEAD + FIGURE % "chart.png" + FIGURE % "chart.svg" + TABLE, encoding="utf-8")
    (folder / "chart.png").write_bytes(_png(400, 300))
    (folder / "chart.svg").write_text(SVG_OK, encoding="utf-8")
    (folder / "results.csv").write_text('name,score\nAlpha,10\n"Beta, Gamma",20\n\n', encoding="utf-8")
    result = _build(folder, tmp_path / "out", timeout=120)
    assert result.returncode == 0, result.stderr
    html = next((tmp_path / "out").rglob("*.html")).read_text(encoding="utf-8")
    assert "Alpha" in html and "Beta, Gamma" in html
    assert "data:image/png;base64," in html and "data:image/svg+xml;base64," in html


def test_the_documented_limits_are_the_declared_ones():
    from reportgen.content import figures

    docs = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = docs.split("### Pictures and CSV files: what is accepted", 1)[1].split("\n## ", 1)[0]
    said = [
        f"{figures.MAX_IMAGE_BYTES // 2**20} MB and {figures.MAX_IMAGE_PIXELS // 1_000_000} megapixels",
        f"at most {figures.MAX_SVG_BYTES // 2**20} MB",
        f"at most {figures.MAX_SVG_ELEMENTS:,} elements",
        f"nested at most {figures.MAX_SVG_USE_DEPTH} deep",
        f"at most {figures.MAX_CSV_BYTES // 2**20} MB and {figures.MAX_CSV_ROWS:,} rows",
        f"up to {figures.MAX_SURVEY_CSV_BYTES // 2**20} MB and {figures.MAX_SURVEY_CSV_ROWS:,} rows",
    ]
    for words in said:
        assert words in section, words


@pytest.mark.parametrize("short", ["cut-off file", "too little pixel data"])
def test_a_cut_short_png_is_refused_even_after_weasyprint_relaxed_pillow(tmp_path, short):
    """WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process (web app, batch workers)."""
    import weasyprint  # noqa: F401 - imported for its side effect on Pillow
    from PIL import ImageFile

    from reportgen.content.figures import FileProblem, check_image

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    path = tmp_path / "chart.png"
    # too little pixel data: every chunk and checksum intact, so only decoding the pixels can tell
    path.write_bytes(_png_noisy(400, 300)[:-1000] if short == "cut-off file" else _png_header_only(400, 300))
    with pytest.raises(FileProblem, match="not a readable PNG image"):
        check_image(path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES, "WeasyPrint's setting is given back"


def _png_noisy(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_file_replaced_after_a_good_check_is_checked_again(tmp_path):
    from reportgen.content.figures import FileProblem, check_image

    path = tmp_path / "chart.png"
    path.write_bytes(_png(40, 30))
    check_image(path)
    path.write_text("now a text file", encoding="utf-8")
    with pytest.raises(FileProblem, match="not a readable PNG image"):
        check_image(path)
