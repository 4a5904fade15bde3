"""Fontconfig, asked once and the same way everywhere: which file a family name resolves to.

WeasyPrint asks fontconfig for every face it draws with; the glyph-coverage check, the font
subset cache and the build stamps must know the very same files, so they all ask here, the
way WeasyPrint does (``FcFontMatch`` after the configuration's substitutions). libfontconfig
is called through ctypes (cffi would parse C declarations: 0.13 s at every start); without
it, the ``fc-match`` command gives the same answer.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

MATCH_FORMAT = "%{file}\t%{index}\t%{weight}\t%{slant}\t%{family}"


@lru_cache(maxsize=1)
def _fontconfig():
    """libfontconfig through ctypes, or None."""
    import ctypes

    try:
        fc = ctypes.CDLL("libfontconfig.so.1")
    except OSError:
        return None
    pointer, text = ctypes.c_void_p, ctypes.c_char_p
    for name, result, arguments in (
        ("FcNameParse", pointer, [text]),
        ("FcConfigSubstitute", ctypes.c_int, [pointer, pointer, ctypes.c_int]),
        ("FcDefaultSubstitute", None, [pointer]),
        ("FcFontMatch", pointer, [pointer, pointer, ctypes.POINTER(ctypes.c_int)]),
        ("FcPatternFormat", pointer, [pointer, text]),  # a pointer, not c_char_p: we free it
        ("FcPatternDestroy", None, [pointer]),
        ("FcStrFree", None, [pointer]),
    ):
        function = getattr(fc, name)
        function.restype, function.argtypes = result, arguments
    return fc


@lru_cache(maxsize=256)
def fc_match(pattern: str) -> tuple[str, int, int, int, tuple[str, ...]] | None:
    """What fontconfig gives for ``pattern``, as WeasyPrint would get it: file, index, weight, slant, families."""
    fc = _fontconfig()
    if fc is not None:
        import ctypes

        query = fc.FcNameParse(pattern.encode())
        if not query:
            return None
        fc.FcConfigSubstitute(None, query, 0)  # FcMatchPattern
        fc.FcDefaultSubstitute(query)
        match = fc.FcFontMatch(None, query, ctypes.byref(ctypes.c_int()))
        fc.FcPatternDestroy(query)
        if not match:
            return None
        formatted = fc.FcPatternFormat(match, MATCH_FORMAT.encode())
        out = ctypes.string_at(formatted).decode("utf-8") if formatted else ""
        if formatted:
            fc.FcStrFree(formatted)
        fc.FcPatternDestroy(match)
    else:
        try:
            out = subprocess.run(
                ["fc-match", "-f", MATCH_FORMAT, pattern], capture_output=True, text=True, check=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
    parts = out.split("\t")
    if len(parts) != 5:
        return None
    path, index, weight, slant, families = parts
    return path, int(index or 0), int(float(weight or 80)), int(float(slant or 0)), tuple(families.split(","))


def family_faces(family: str) -> tuple[tuple[str, int, str, str], ...]:
    """(file, index, CSS weight, CSS style) of the faces fontconfig picks for ``family``.

    Asked exactly as WeasyPrint asks (regular, bold, italic, bold italic), and declared with
    the weight and slant of the file fontconfig actually returns, so a missing bold or italic
    is synthesised just as it is without the cache (Debian's Noto Nastaliq Urdu "Bold" file
    even says it is regular, and fontconfig gives it for regular text).
    """
    faces = {}
    for weight, slant in (("regular", "roman"), ("bold", "roman"), ("regular", "italic"), ("bold", "italic")):
        found = fc_match(f"{family}:weight={weight}:slant={slant}")
        if found is None or family not in found[4]:
            continue
        path, index, fc_weight, fc_slant, _ = found
        css_weight = str(min(900, max(100, round(_css_weight(fc_weight) / 100) * 100)))
        css_style = "normal" if fc_slant == 0 else "italic" if fc_slant == 100 else "oblique"
        faces.setdefault((path, index), (path, index, css_weight, css_style))
    return tuple(faces.values())


def _css_weight(fc_weight: int) -> int:
    """Fontconfig weight → CSS weight (the inverse of WeasyPrint's FONTCONFIG_WEIGHT)."""
    table = [(0, 100), (40, 200), (50, 300), (80, 400), (100, 500), (180, 600), (200, 700), (205, 800), (210, 900)]
    return min(table, key=lambda pair: abs(pair[0] - fc_weight))[1]


def regular_face(family: str) -> tuple[str, int] | None:
    """(file, face index) fontconfig gives for ``family`` in its regular style, or None if it lacks the family."""
    faces = family_faces(family)
    return (faces[0][0], faces[0][1]) if faces else None
