"""Font subset cache: give WeasyPrint fonts cut down to the characters a document uses.

Where libharfbuzz-subset is missing, WeasyPrint subsets every font it embeds with
fontTools, reading the *whole* font each time: for Noto Sans CJK (tens of thousands of
CFF glyphs) and Noto Nastaliq Urdu (huge layout tables) that is seconds per document,
while the layout itself takes a tenth of a second. With HarfBuzz it is fast, except for
the very large CJK fonts: then only those are subset here (see :func:`worth_subsetting`).
Here each face the document may use is subset once, ahead of WeasyPrint, to the
document's characters, keeping every OpenType layout feature (so shaping — Indic
conjuncts, Nastaliq joining and kerning — is unchanged) and the glyphs those features can
reach. The result is cached on disk, keyed by the font file's and the character set's
SHA-256, so the next build of the same text costs a file read.

The print CSS then declares the subsets with ``@font-face`` under their own family names
(``"<family> Subset"``), placed before the system family in every stack; the system
family stays behind it as a fallback, so a character the subset lacks is still drawn by
the full font, as before.

Cache folder: ``$REPORTGEN_CACHE/fonts`` or ``~/.cache/reportgen/fonts``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportgen.files import write_atomically
from reportgen.fonts.fontconfig import family_faces
from reportgen.languages import LANGUAGES
from reportgen.settings import current

LOG = logging.getLogger("reportgen.fonts")

SUFFIX = " Subset"  # "Noto Sans Bengali Subset": the PDF's font names still start with the family


def alias(family: str) -> str:
    """The CSS family name the subsets of ``family`` are declared under."""
    return family + SUFFIX


# Characters CSS can generate that are not in the HTML text: list markers, leaders,
# counters in every counter style the locales use, quotes and dashes.
EXTRA_CHARS = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x100)]
    + [chr(c) for c in range(0x2000, 0x2070)]
    + [digit for lang in LANGUAGES.values() for digit in lang.digits + lang.script_digits]
    + list("\u25cc\u25e6\u25aa\u25cf\u2022\u2023\u2043\u3001\u3002\uff0c\uff1a\uff08\uff09")
)
VERSION = "2"  # part of the key: bump when the subsetting options change


def cache_dir() -> Path:
    return current().cache_dir / "fonts"


@dataclass(frozen=True)
class Face:
    """One subset face: its file and the @font-face descriptors."""

    family: str
    path: Path
    weight: str
    style: str


@lru_cache(maxsize=128)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    # Hashing the CJK collections takes a while: remember each file version's digest on disk.
    note = cache_dir() / "sha256" / hashlib.sha256(f"{path}|{size}|{mtime_ns}".encode()).hexdigest()
    try:
        known = note.read_text("ascii").strip()
        if len(known) == 64:
            return known
    except OSError:
        pass
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    write_atomically(note, digest.encode("ascii"))
    return digest


def file_sha256(path: str) -> str:
    stat = os.stat(path)
    return _file_sha256(path, stat.st_size, stat.st_mtime_ns)


def chars_sha256(chars) -> str:
    return hashlib.sha256("".join(sorted(chars)).encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(font_path: str, index: int, chars) -> str:
    return hashlib.sha256(f"{VERSION}:{file_sha256(font_path)}:{index}:{chars_sha256(chars)}".encode()).hexdigest()


def subset_options():
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.notdef_glyph = True
    options.glyph_names = True
    options.legacy_kern = True
    options.symbol_cmap = True
    options.hinting = False
    options.desubroutinize = False
    options.drop_tables = [t for t in options.drop_tables if t not in ("BASE", "JSTF", "DSIG", "MATH")]
    return options


_HB_DECLARATIONS = """
    typedef struct hb_blob_t hb_blob_t;
    typedef struct hb_face_t hb_face_t;
    typedef struct hb_set_t hb_set_t;
    typedef struct hb_subset_input_t hb_subset_input_t;
    typedef uint32_t hb_codepoint_t;
    hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
    void hb_blob_destroy (hb_blob_t *blob);
    const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
    void hb_face_destroy (hb_face_t *face);
    hb_blob_t * hb_face_reference_blob (hb_face_t *face);
    unsigned int hb_face_get_glyph_count (const hb_face_t *face);
    void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
    void hb_set_clear (hb_set_t *set);
    void hb_set_invert (hb_set_t *set);
    hb_subset_input_t * hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_unicode_set (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
    hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
# hb_subset_sets_t and hb_subset_flags_t values (HarfBuzz >= 4.1)
_HB_SETS_NAME_ID, _HB_SETS_NAME_LANG_ID, _HB_SETS_LAYOUT_FEATURE_TAG, _HB_SETS_LAYOUT_SCRIPT_TAG = 4, 5, 6, 7
_HB_FLAGS = 0x1 | 0x20 | 0x40 | 0x80  # no hinting, passthrough unrecognised, notdef outline, glyph names


def _harfbuzz():
    """(ffi, libharfbuzz-subset) or None: HarfBuzz subsets in milliseconds what fontTools takes seconds for."""
    if current().font_subsetter == "fonttools":
        return None
    return _load_harfbuzz()


@lru_cache(maxsize=1)
def _load_harfbuzz():
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_HB_DECLARATIONS)
        return ffi, ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError, AttributeError):
        return None


def _subset_harfbuzz(font_path: str, index: int, chars) -> bytes | None:
    found = _harfbuzz()
    if found is None:
        return None
    ffi, hb = found
    blob = hb.hb_blob_create_from_file_or_fail(font_path.encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    subset_input = hb.hb_subset_input_create_or_fail()
    try:
        unicodes = hb.hb_subset_input_unicode_set(subset_input)
        for char in sorted(chars):
            hb.hb_set_add(unicodes, ord(char))
        for kind in (_HB_SETS_NAME_ID, _HB_SETS_NAME_LANG_ID, _HB_SETS_LAYOUT_FEATURE_TAG, _HB_SETS_LAYOUT_SCRIPT_TAG):
            keep_all = hb.hb_subset_input_set(subset_input, kind)
            hb.hb_set_clear(keep_all)
            hb.hb_set_invert(keep_all)
        hb.hb_subset_input_set_flags(subset_input, _HB_FLAGS)
        result = hb.hb_subset_or_fail(face, subset_input)
        if result == ffi.NULL:
            return None
        try:
            out = hb.hb_face_reference_blob(result)
            length = ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(out, length)
            font = bytes(ffi.buffer(data, length[0])) if length[0] else None
            hb.hb_blob_destroy(out)
            return font
        finally:
            hb.hb_face_destroy(result)
    finally:
        hb.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _subset_fonttools(font_path: str, index: int, chars) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(font_path, fontNumber=index, lazy=False, recalcBBoxes=False)
    try:
        subsetter = subset.Subsetter(subset_options())
        subsetter.populate(unicodes={ord(c) for c in chars})
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        return buffer.getvalue()
    finally:
        font.close()


def subset_face(font_path: str, index: int, chars, directory: Path | None = None) -> tuple[Path, bool]:
    """The cached subset of one face for ``chars``: (file, True if it was already cached)."""
    directory = directory or cache_dir()
    key = cache_key(font_path, index, chars)
    suffix = ".otf" if font_path.lower().endswith((".otf", ".ttc", ".otc")) else ".ttf"
    target = directory / key[:2] / f"{key}{suffix}"
    if target.is_file():
        return target, True
    data = _subset_harfbuzz(font_path, index, chars) or _subset_fonttools(font_path, index, chars)
    write_atomically(target, data)
    LOG.info("font subset %s#%d: %d characters -> %s", font_path, index, len(chars), target.name)
    return target, False


def document_characters(html: str) -> frozenset[str]:
    """Every character of the page (text, attributes, CSS-generated strings) plus EXTRA_CHARS.

    With their canonical decompositions and compositions: HarfBuzz rewrites text either
    way before it picks glyphs (Bengali ৌ is drawn as ে + ৗ when the font maps both).
    """
    chars = set(html) | EXTRA_CHARS
    for char in list(chars):
        for form in ("NFD", "NFC"):
            chars.update(unicodedata.normalize(form, char))
    return frozenset(chars)


# Where WeasyPrint subsets with HarfBuzz, a small font costs it little, while each subset we
# declare with @font-face costs a few tens of milliseconds to load: only fonts at least this
# big (Noto Sans CJK: 19 MB) are worth subsetting ahead. With fontTools, every font is.
LARGE_FONT = 4 * 1024 * 1024


def weasyprint_subsets_with_harfbuzz() -> bool:
    """Will WeasyPrint subset embedded fonts with HarfBuzz (fast) rather than fontTools (slow)?"""
    try:
        from weasyprint.pdf import fonts as weasy_fonts
        from weasyprint.text.ffi import harfbuzz
    except ImportError:
        return False
    return bool(weasy_fonts.harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def worth_subsetting(path: str, *, harfbuzz: bool) -> bool:
    """Should the cache subset this font file, given how WeasyPrint would subset it?"""
    if not harfbuzz:
        return True
    try:
        return os.path.getsize(path) >= LARGE_FONT
    except OSError:
        return False


def subset_faces(families, chars, directory: Path | None = None, *, every_font: bool = False) -> list[Face]:
    """Subset the faces fontconfig gives for ``families`` (regular, bold, italic) to ``chars``.

    Only the faces :func:`worth_subsetting` says pay off, unless ``every_font``.
    """
    harfbuzz = False if every_font else weasyprint_subsets_with_harfbuzz()
    faces = []
    for family in dict.fromkeys(families):
        for path, index, weight, font_style in family_faces(family):
            if not worth_subsetting(path, harfbuzz=harfbuzz):
                continue
            subset_path, _hit = subset_face(path, index, chars, directory)
            faces.append(Face(family, subset_path, weight, font_style))
    return faces


def document_faces(html: str, lang: str, directory: Path | None = None, *, every_font: bool = False) -> list[Face]:
    """Subset faces for the font stacks of every language the page uses (by ``lang``)."""
    from reportgen.fonts.coverage import characters_by_language
    from reportgen.languages import find_language

    families = ["Noto Sans"]  # the page's own font (theme.css)
    for tag in characters_by_language(html, lang):
        info = find_language(tag)
        if info is not None:
            families.extend(info.fonts)
    return subset_faces(families, document_characters(html), directory, every_font=every_font)


def font_face_css(faces: list[Face]) -> str:
    """``@font-face`` rules for the subsets, under :func:`alias` of their family."""
    return "\n".join(
        f'@font-face {{ font-family: "{alias(face.family)}"; src: url("{face.path.as_uri()}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in faces
    )
