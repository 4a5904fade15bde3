"""Visual regression: each kind's first page and one inner page, in en-GB, ar and ur, as approved.

Each page is drawn by pdftoppm at 40 dpi in grey, then compared with its approved picture in
tests/visual/ by a small perceptual diff of our own: both pictures are averaged over blocks of
8 × 8 pixels (5 mm square), so the anti-aliasing of a glyph edge does not count, and the score
is the share of blocks whose grey level moved by more than LEVEL. A page fails when its score
is above THRESHOLD; the failure names the kind, language and page, and writes a picture
(approved | new | changed blocks in red) under out/visual-diff/.

The combinations with no picture (a sample not translated into ar or ur; an inner page that a
one-page letter does not have) are listed with the reason in tests/visual/NOT_COVERED.txt; the
tests fail when the list stops being true (a new translation, a letter that grew a page).

After a deliberate change to how publications look: ``make approve-visual`` records the new
pictures, NOT_COVERED.txt and the README's pictures of each kind (docs/images/kind-*.png) in
one command; say in the commit what changed and why.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from conftest import DATA, ROOT, output_path

BASELINES = ROOT / "tests" / "visual"
DIFFS = ROOT / "out" / "visual-diff"
PICTURES = ROOT / "docs" / "images"
APPROVE = os.environ.get("REPORTGEN_APPROVE_VISUAL") == "1"

DPI = 40
BLOCK = 8  # pixels: 5 mm at 40 dpi
LEVEL = 16  # of 255: a block whose mean grey moved less than this has not changed
THRESHOLD = 1.0  # per cent of the page's blocks
GREYS = 16  # levels kept in an approved picture (4 bits: a few KB each, and no visible loss)

# kind: (sample publication, the inner page shown)
KINDS = {
    "report": ("annual-report-summary-2024-25", 3),  # a section opener
    "news": ("cqc-community-mental-health-news-2025", 2),
    "letter": ("open-letter-2024-25", 2),
    "newsletter": ("lpt-newsletter-2026-spring", 2),
    "survey": ("cmh-survey-2025", 6),  # charts
}
LANGS = ("en-GB", "ar", "ur")
SOURCE = "en-GB"  # every sample's own language
TRANSLATIONS = ROOT / "translations"

# The combinations with no approved picture, and why (no translation; a PDF without that page),
# are listed in tests/visual/NOT_COVERED.txt, which make approve-visual writes with the pictures;
# the tests fail when the list and the publications disagree.
NOT_COVERED = BASELINES / "NOT_COVERED.txt"


def untranslated() -> dict[str, str]:
    """kind/lang → why there is no picture, for each language a sample is not translated into."""
    from reportgen.i18n.paths import po_path
    from reportgen.languages import LANGUAGES

    return {
        f"{kind}/{lang}": f"{sample} has no {LANGUAGES[lang].english_name} translation "
        f"({po_path(lang, sample, TRANSLATIONS).relative_to(ROOT)})"
        for kind, (sample, _) in KINDS.items()
        for lang in LANGS
        if lang != SOURCE and not po_path(lang, sample, TRANSLATIONS).exists()
    }


def combinations() -> list[tuple[str, str, int]]:
    """(kind, language, page): the first page and the inner page of each kind in each language it has."""
    missing = untranslated()
    return [
        (kind, lang, page)
        for kind, (_, inner) in KINDS.items()
        for lang in LANGS
        if f"{kind}/{lang}" not in missing
        for page in (1, inner)
    ]


def listed_not_covered() -> dict[str, str]:
    """tests/visual/NOT_COVERED.txt as {combination: why}."""
    if not NOT_COVERED.exists():
        return {}
    lines = NOT_COVERED.read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def name(kind: str, lang: str, page: int) -> str:
    return f"{kind}.{lang}.page-{page}"


# ---- the perceptual diff ---------------------------------------------------------------


def render(pdf: Path, page: int, *, dpi: int = DPI, grey: bool = True) -> Image.Image:
    """One page of a PDF as a picture (pdftoppm draws only that page)."""
    command = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    done = subprocess.run([*command, *(["-gray"] if grey else []), str(pdf)], capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stdout, f"pdftoppm could not draw page {page} of {pdf}: {done.stderr!r}"
    picture = Image.open(io.BytesIO(done.stdout))
    return picture.convert("L" if grey else "RGB")


def reduce_greys(picture: Image.Image) -> Image.Image:
    """The picture in GREYS evenly spaced grey levels, as a 4-bit palette image (what is stored)."""
    step = 255 / (GREYS - 1)
    indexed = Image.frombytes("P", picture.size, picture.point(lambda v: round(v / step)).tobytes())
    indexed.putpalette([round(i * step) for i in range(GREYS) for _ in range(3)])
    return indexed


def changed_blocks(approved: Image.Image, new: Image.Image) -> tuple[float, list[tuple[int, int]]]:
    """(the share of blocks changed, in per cent; the changed blocks' (column, row))."""
    difference = ImageChops.difference(approved.convert("L").reduce(BLOCK), new.convert("L").reduce(BLOCK))
    width, height = difference.size
    values = difference.tobytes()
    changed = [(i % width, i // width) for i, value in enumerate(values) if value >= LEVEL]
    return 100 * len(changed) / (width * height), changed


def diff_picture(approved: Image.Image, new: Image.Image, changed: list[tuple[int, int]]) -> Image.Image:
    """Approved | new | the new page faded, with each changed block filled and outlined in red."""
    approved, new = approved.convert("RGB"), new.convert("RGB")
    faded = Image.blend(new, Image.new("RGB", new.size, "white"), 0.6)
    marks = Image.new("RGBA", new.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(marks)
    for column, row in changed:
        box = (column * BLOCK, row * BLOCK, (column + 1) * BLOCK - 1, (row + 1) * BLOCK - 1)
        draw.rectangle(box, fill=(218, 41, 28, 110), outline=(218, 41, 28, 255))
    faded = Image.alpha_composite(faded.convert("RGBA"), marks).convert("RGB")
    width = approved.width + new.width + faded.width + 2 * BLOCK
    sheet = Image.new("RGB", (width, max(approved.height, new.height)), (200, 200, 200))
    sheet.paste(approved, (0, 0))
    sheet.paste(new, (approved.width + BLOCK, 0))
    sheet.paste(faded, (approved.width + new.width + 2 * BLOCK, 0))
    return sheet


def compare(label: str, baseline: Path, new: Image.Image, diff_path: Path) -> str | None:
    """None when ``new`` matches the approved picture within THRESHOLD, else what a reader needs to know."""
    if not baseline.exists():
        return f"{label}: no approved picture {baseline.relative_to(ROOT)} — make approve-visual records it"
    approved = Image.open(baseline).convert("L")
    if approved.size != new.size:
        return (
            f"{label}: the page is {new.width}×{new.height} px at {DPI} dpi, the approved one "
            f"{approved.width}×{approved.height}: the page size changed"
        )
    score, changed = changed_blocks(approved, new)
    if score <= THRESHOLD:
        diff_path.unlink(missing_ok=True)  # no picture left over from an earlier failure
        return None
    diff_path.parent.mkdir(parents=True, exist_ok=True)
    diff_picture(approved, new, changed).save(diff_path)
    return (
        f"{label} looks different from the approved picture: {score:.2f}% of the page changed "
        f"(threshold {THRESHOLD}%; {len(changed)} blocks of {BLOCK}×{BLOCK} px at {DPI} dpi). "
        f"Approved | new | changed blocks in red: {diff_path}. "
        "If the change is deliberate: make approve-visual, and say why in the commit."
    )


# ---- the pages -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(built_samples, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(kind, language) → the sample's PDF: en-GB from the session's built samples, the
    translations built here (PDF only, once per language, over two workers)."""
    from reportgen.build.core import build_reports
    from reportgen.build.request import BuildRequest

    found = {(kind, SOURCE): output_path(built_samples[sample], "pdf") for kind, (sample, _) in KINDS.items()}
    wanted: dict[tuple[str, ...], list[Path]] = {}  # the languages to build → the samples that need them
    for kind, (sample, _) in KINDS.items():
        langs = tuple(dict.fromkeys(lang for k, lang, _ in combinations() if k == kind and lang != SOURCE))
        if langs:
            wanted.setdefault(langs, []).append(DATA / sample)
    out = tmp_path_factory.mktemp("visual")
    for langs, folders in wanted.items():
        for built in build_reports(folders, BuildRequest(langs=langs, formats=("pdf",), out_dir=out, jobs=2)):
            assert built.error is None, f"{built.folder}: {built.error}"
            kind = next(k for k, (sample, _) in KINDS.items() if sample == built.folder.name)
            for each in built.result.outputs:
                found[(kind, each.lang)] = each.path
    return found


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pages_text(pages: int) -> str:
    return f"{pages} page" if pages == 1 else f"{pages} pages"


SEEN: dict[str, str | None] = {}  # combination → why it has no picture (None: it has one), for approving


@pytest.mark.parametrize(("kind", "lang", "page"), combinations(), ids=[name(*each) for each in combinations()])
def test_each_kind_looks_as_approved(pdfs, kind, lang, page):
    pdf = pdfs[(kind, lang)]
    where = f"{kind}/{lang}/page {page}"
    label = f"{where} ({pdf.name})"
    baseline = BASELINES / f"{name(kind, lang, page)}.png"
    pages = page_count(pdf)
    listed = listed_not_covered().get(where)
    if page > pages:  # a one-page letter has no inner page: approved as such, in NOT_COVERED.txt
        SEEN[where] = f"{pdf.name} has {pages_text(pages)}"
        if not APPROVE and listed is None:
            pytest.fail(
                f"{label}: the PDF has {pages_text(pages)} now, the approved pictures show page {page}. "
                "If the change is deliberate: make approve-visual, and say why in the commit.",
                pytrace=False,
            )
        return
    SEEN[where] = None
    if not APPROVE and listed is not None:
        pytest.fail(
            f"{label}: approved without this page ({listed}), the PDF has {pages_text(pages)} now. "
            "If the change is deliberate: make approve-visual, and say why in the commit.",
            pytrace=False,
        )
    new = render(pdf, page)
    if APPROVE:
        BASELINES.mkdir(exist_ok=True)
        reduce_greys(new).save(baseline, optimize=True, bits=4)
        if lang == SOURCE and page == 1:  # the README's picture of the kind, in colour
            picture = render(pdf, 1, dpi=50, grey=False).quantize(64, dither=Image.Dither.NONE)
            picture.save(PICTURES / f"kind-{kind}.png", optimize=True)
    problem = compare(label, baseline, new, DIFFS / f"{name(kind, lang, page)}.png")
    if problem:
        pytest.fail(problem, pytrace=False)


def test_the_list_of_combinations_not_covered_is_true():
    """tests/visual/NOT_COVERED.txt names exactly the untranslated kinds and missing pages, and no
    approved picture is left of a combination that is not shown (after the page tests, in file order)."""
    pages = {f"{kind}/{lang}/page {page}" for kind, lang, page in combinations()}
    if APPROVE:
        assert set(SEEN) == pages, "make approve-visual runs the whole of tests/test_visual.py (no -k)"
        gaps = {**untranslated(), **{where: why for where, why in SEEN.items() if why is not None}}
        NOT_COVERED.write_text(
            "# The kinds, languages and pages of tests/test_visual.py that have no approved picture, and why.\n"
            "# Written by make approve-visual; the tests fail when one of these stops being true.\n"
            + "".join(f"{where}: {why}\n" for where, why in sorted(gaps.items())),
            encoding="utf-8",
        )
    listed = listed_not_covered()
    wrong = [
        f"{where}: listed, but it is shown now (translated, or a page of the test)"
        for where in sorted(set(listed) - pages - set(untranslated()))
    ] + [f"{where}: not listed, but {why}" for where, why in sorted(untranslated().items()) if where not in listed]
    expected = {f"{name(*each)}.png" for each in combinations() if f"{each[0]}/{each[1]}/page {each[2]}" not in listed}
    stored = {path.name for path in BASELINES.glob("*.png")}
    if APPROVE:
        for stale in stored - expected:
            (BASELINES / stale).unlink()
        stored &= expected
    wrong += [f"tests/visual/{stale}: a picture of a page not shown" for stale in sorted(stored - expected)]
    if wrong:
        message = "tests/visual/NOT_COVERED.txt is out of date:\n  " + "\n  ".join(wrong)
        pytest.fail(message + "\nmake approve-visual brings it up to date.", pytrace=False)


def test_the_readme_shows_each_kind_as_approved():
    """README.md's table "What each kind looks like" holds the picture of every kind's first page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What each kind looks like", 1)[-1].split("\n## ", 1)[0]
    missing = [kind for kind in KINDS if f"(docs/images/kind-{kind}.png)" not in table]
    absent = [kind for kind in KINDS if not (PICTURES / f"kind-{kind}.png").exists()]
    assert not missing, f"README.md, What each kind looks like: no picture of {missing} (docs/images/kind-KIND.png)"
    assert not absent, f"docs/images/kind-KIND.png missing for {absent}: make approve-visual makes them"


# ---- the comparison itself can fail, and only for a real change -------------------------


@pytest.mark.parametrize(
    ("kind", "asset", "rule"),
    [
        ("letter", "print.css", "@page { margin-right: 23mm; }"),  # 5 mm more on the right
        ("newsletter", "theme.css", ":root { --nhs-blue: #da291c; }"),  # the masthead in NHS Red
    ],
    ids=["letter-margin", "newsletter-colour"],
)
def test_a_changed_margin_or_colour_fails_with_a_readable_message(tmp_path, active_settings, kind, asset, rule):
    from reportgen import settings
    from reportgen.build.core import build_report
    from reportgen.build.request import BuildRequest
    from reportgen.render.html import ASSETS_DIR

    override = tmp_path / "templates" / "assets"
    override.mkdir(parents=True)
    (override / asset).write_text(
        (ASSETS_DIR / asset).read_text(encoding="utf-8") + "\n" + rule + "\n", encoding="utf-8"
    )
    sample, _ = KINDS[kind]
    settings.activate(active_settings.replace(templates_dir=tmp_path / "templates"))
    result = build_report(DATA / sample, BuildRequest(formats=("pdf",), out_dir=tmp_path / "out"))
    diff = tmp_path / "diff.png"
    problem = compare(
        f"{kind}/en-GB/page 1", BASELINES / f"{name(kind, 'en-GB', 1)}.png", render(output_path(result, "pdf"), 1), diff
    )
    assert problem is not None, f"{rule} in {asset} was not seen on the {kind}'s first page"
    assert problem.startswith(f"{kind}/en-GB/page 1 looks different from the approved picture: ")
    assert f"(threshold {THRESHOLD}%;" in problem and str(diff) in problem and "make approve-visual" in problem
    score = float(problem.split(": ")[1].split("%")[0])
    assert score > THRESHOLD
    assert Image.open(diff).size[0] > 3 * Image.open(BASELINES / f"{name(kind, 'en-GB', 1)}.png").size[0]


def test_anti_aliasing_noise_and_a_one_pixel_shift_do_not_count_but_a_moved_line_does():
    approved = Image.open(BASELINES / f"{name('report', 'en-GB', 3)}.png").convert("L")
    jitter = random.Random(17)  # every pixel a little lighter or darker, as another renderer's edges would be
    noisy = Image.frombytes(
        "L", approved.size, bytes(min(255, max(0, v + jitter.randint(-24, 24))) for v in approved.tobytes())
    )
    assert changed_blocks(approved, noisy)[0] <= THRESHOLD
    assert changed_blocks(approved, ImageChops.offset(approved, 1, 0))[0] <= THRESHOLD
    assert changed_blocks(approved, ImageChops.offset(approved, 0, 6))[0] > THRESHOLD
    assert changed_blocks(approved, approved) == (0.0, [])
