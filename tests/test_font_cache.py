"""The font subset cache (issue 7): cached, keyed by font and characters, and invisible in the output.

A Bengali and an Urdu edition of the summary are rendered with and without the cache: the
same structure text, the same glyph runs (clusters and glyph counts per line, so Indic
conjuncts, split vowels and Nastaliq joining shape alike) and PDF/UA-1 either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA
from reportgen import settings
from reportgen.fonts import fontconfig
from reportgen.fonts import subsets as fontcache

SUMMARY = DATA / "annual-report-2024-25-at-a-glance"


def _face(family: str) -> tuple[str, int]:
    faces = fontconfig.family_faces(family)
    if not faces:
        pytest.skip(f"{family} is not installed (make setup)")
    return faces[0][0], faces[0][1]


def test_second_use_is_a_cache_hit(tmp_path):
    path, index = _face("Noto Sans Bengali")
    chars = set("বাংলা ভাষা abc")
    first, hit = fontcache.subset_face(path, index, chars, tmp_path)
    again, hit_again = fontcache.subset_face(path, index, chars, tmp_path)
    assert (hit, hit_again) == (False, True)
    assert first == again and first.is_file()
    assert first.stat().st_size < Path(path).stat().st_size
    assert not list(tmp_path.rglob("*.tmp")), "a cache entry is written through a temporary file and a rename"


def test_key_changes_with_the_characters_not_their_order():
    path, index = _face("Noto Sans")
    assert fontcache.cache_key(path, index, "abc") == fontcache.cache_key(path, index, ["c", "b", "a"])
    assert fontcache.cache_key(path, index, "abc") != fontcache.cache_key(path, index, "abcd")
    other, other_index = _face("Noto Sans Bengali")
    assert fontcache.cache_key(path, index, "abc") != fontcache.cache_key(other, other_index, "abc")


def test_subset_keeps_the_layout_tables_and_the_characters(tmp_path):
    from fontTools.ttLib import TTFont

    path, index = _face("Noto Sans Bengali")
    subset, _ = fontcache.subset_face(path, index, fontcache.document_characters("কৌশল ক্ষ"), tmp_path)
    with TTFont(subset) as font:
        assert {"GSUB", "GPOS", "GDEF"} <= set(font.keys())
        cmap = font.getBestCmap()
        # the split vowel ৌ is kept with its parts (HarfBuzz draws it as ে + ৗ)
        assert {ord(c) for c in "কৌশল্ষৌ"} <= set(cmap)


def test_faces_are_the_files_fontconfig_picks():
    # Debian's Noto Nastaliq Urdu "Bold" file says it is regular and is what fontconfig
    # gives for regular text: the cache must declare that file, not the one named Regular.
    faces = fontconfig.family_faces("Noto Nastaliq Urdu")
    if not faces:
        pytest.skip("Noto Nastaliq Urdu is not installed")
    match = fontconfig.fc_match("Noto Nastaliq Urdu:weight=regular:slant=roman")
    assert (faces[0][0], faces[0][1]) == (match[0], match[1])
    assert faces[0][2:] == ("400", "normal")


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """{lang: {subset_fonts: (pdf bytes, glyph runs)}} for a Bengali and an Urdu edition."""
    import reportgen.formats.pdf as pdf_stage
    from reportgen.build.edition import localise
    from reportgen.content.model import load_report
    from reportgen.formats import EditionSource
    from reportgen.formats.pdf.edition import render as render_pdf
    from reportgen.survey.variants import prepare_variant

    made = []

    class Recording(pdf_stage.Recording):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    report, raw = load_report(SUMMARY)
    chosen = prepare_variant(report, raw, None)
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "_ACTIVE", settings.current().replace(cache_dir=tmp_path_factory.mktemp("cache")))
        patch.setattr(pdf_stage, "Recording", Recording)
        for lang in ("bn", "ur"):
            edition, missing = localise(report, lang, allow_partial=False, source="test", raw=raw)
            edition = chosen.specialise(edition)
            for subset in (True, False):  # True: every font subset (on this machine only CJK would be)
                source = EditionSource(edition, raw.folder, "test", lang, len(missing), chosen.context(lang))
                data = render_pdf(source, subset_fonts="all" if subset else False)
                runs = [
                    (line.text, [(c.text, len(c.glyphs)) for c in line.clusters]) for line in made[-1].lines.values()
                ]
                results.setdefault(lang, {})[subset] = (data, runs)
    return results


@pytest.mark.parametrize("lang", ["bn", "ur"])
def test_same_text_with_and_without_the_cache(lang, renders):
    from reportgen.formats.pdf.inspect import structure_text

    with_cache, without = renders[lang][True][0], renders[lang][False][0]
    assert with_cache != without  # the cache was used: other font programs
    assert structure_text(with_cache) == structure_text(without)


@pytest.mark.parametrize("lang", ["bn", "ur"])
def test_same_glyph_runs_with_and_without_the_cache(lang, renders):
    with_cache, without = renders[lang][True][1], renders[lang][False][1]
    assert len(with_cache) == len(without)
    differing = [
        (a[0], [c for c in a[1] if c not in b[1]], [c for c in b[1] if c not in a[1]])
        for a, b in zip(with_cache, without, strict=True)
        if a != b
    ]
    assert not differing, differing[:3]


@pytest.mark.parametrize("lang", ["bn", "ur"])
def test_pdf_ua_with_the_cache(lang, renders, tmp_path):
    page = pytest.importorskip("page")
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(renders[lang][True][0])
    result = page.validate_pdf(str(path), profile="ua1")
    assert result.is_compliant, [f"{f.rule_id}: {f.message}" for f in result.failures[:10]]


def test_which_fonts_are_worth_subsetting(monkeypatch):
    from weasyprint.pdf import fonts as weasy_fonts

    sizes = {"/f/cjk.ttc": 19 * 1024 * 1024, "/f/bengali.ttf": 200 * 1024}
    monkeypatch.setattr(fontcache.os.path, "getsize", lambda path: sizes[path])
    assert fontcache.worth_subsetting("/f/cjk.ttc", harfbuzz=True)
    assert not fontcache.worth_subsetting("/f/bengali.ttf", harfbuzz=True)
    assert fontcache.worth_subsetting("/f/bengali.ttf", harfbuzz=False), "fontTools is slow on every font"
    monkeypatch.setattr(weasy_fonts, "harfbuzz_subset", None)
    assert not fontcache.weasyprint_subsets_with_harfbuzz()


def test_a_page_gets_subsets_of_the_fonts_worth_it(tmp_path, monkeypatch):
    from weasyprint.pdf import fonts as weasy_fonts

    html = '<p lang="en-GB">Hello</p><p lang="zh-Hant">你好</p><p lang="bn">বাংলা</p>'
    if weasy_fonts.harfbuzz_subset:
        families = {face.family for face in fontcache.document_faces(html, "en-GB", tmp_path)}
        assert families == {"Noto Sans CJK TC"}, families
    monkeypatch.setattr(weasy_fonts, "harfbuzz_subset", None)
    families = {face.family for face in fontcache.document_faces(html, "en-GB", tmp_path)}
    assert {"Noto Sans", "Noto Sans CJK TC", "Noto Sans Bengali"} <= families
    assert families == {face.family for face in fontcache.document_faces(html, "en-GB", tmp_path, every_font=True)}
