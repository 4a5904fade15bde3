"""HTML structure of the rendered publications (what axe-core cannot judge on its own)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import DATA
from reportgen.content.model import load_report, walk_sections
from reportgen.render.html import Medium, render_html


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.cells, self.tags = [], [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cells.append(self._cell.strip())
            self._cell = None


@pytest.fixture(scope="module", params=sorted(p.name for p in DATA.iterdir() if (p / "report.yaml").exists()))
def page(request):
    from reportgen.survey.variants import prepare_variant

    report, raw = load_report(DATA / request.param)
    chosen = prepare_variant(report, raw, None)  # the survey report's default trust; nothing for the others
    report = chosen.specialise(report)
    html = render_html(report, raw.folder, extra=chosen.context(report.language))
    outline = Outline()
    outline.feed(html)
    return report, html, outline


def test_document_language_direction_and_title(page):
    report, html, outline = page
    html_tag = dict(outline.tags[0][1])
    assert html_tag["lang"] == "en-GB" and html_tag["dir"] == "ltr"
    assert f"<title>{report.title}" in html.replace("&#39;", "'")


def test_one_h1_and_no_skipped_levels(page):
    _, _, outline = page
    levels = outline.headings
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_headings_follow_section_nesting(page):
    report, html, _ = page
    for section, _path, depth in walk_sections(report.sections):
        assert re.search(
            rf"<h{depth + 1} id=\"[^\"]+\">{re.escape(str(section.title).replace('&', '&amp;').replace(chr(39), '&#39;'))}</h{depth + 1}>",
            html,
        ), section.title


def test_landmarks_and_skip_link(page):
    _, html, outline = page
    tags = [t for t, _ in outline.tags]
    assert "main" in tags and "header" in tags and "footer" in tags
    assert '<a class="skip-link" href="#main-content">' in html


def test_tables_have_captions_scopes_and_no_empty_cells(page):
    _, html, outline = page
    for table in re.findall(r"<table.*?</table>", html, re.S):
        assert "<caption>" in table
        assert all('scope="' in th for th in re.findall(r"<th(?:\s[^>]*)?>", table))
    assert all(outline.cells), "a table cell is empty"


def test_no_link_says_here_or_goes_nowhere(page):
    _, html, outline = page
    for tag, attrs in outline.tags:
        if tag == "a":
            assert attrs.get("href") not in (None, "", "#")
    texts = [t.strip().lower() for t in re.findall(r"<a [^>]*>(.*?)</a>", html)]
    assert not {"here", "click here", "read more"} & set(texts)


def test_pdf_target_references_images_by_name_html_embeds_them():
    report, raw = load_report(DATA / "annual-report-summary-2024-25")
    web = render_html(report, raw.folder, medium=Medium.SCREEN)
    printed = render_html(report, raw.folder, medium=Medium.PRINT)
    assert 'src="data:image/svg+xml;base64,' in web and 'src="step-up-to-great-goals.svg"' in printed
    assert "@page" in printed and "@page" not in web


def test_passages_in_other_languages_carry_lang_and_dir():
    report, raw = load_report(DATA / "annual-report-summary-2024-25")
    html = render_html(report, raw.folder)
    for tag, direction in [("ar", "rtl"), ("ur", "rtl"), ("bn", "ltr"), ("zh-Hant", "ltr"), ("pa", "ltr")]:
        assert re.search(rf'<p class="language-text" lang="{tag}" dir="{direction}">', html), tag


def test_autoescape_keeps_a_hostile_title_as_text(tmp_path):
    (tmp_path / "report.yaml").write_text(
        'format: 1\nid: x\ntitle: "<script>alert(1)</script> {{ config }}"\norganisation: LPT\n'
        "published: 2025-07-24\npublisher: Comms\ndescription: d\ncontact: {email: a@nhs.net}\n"
        'sections:\n  - title: S\n    blocks:\n      - {type: paragraph, text: "<img src=x onerror=alert(1)>"}\n'
    )
    report, raw = load_report(tmp_path)
    html = render_html(report, raw.folder)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ config }}" in html


def test_a_letter_is_expressible_with_the_same_blocks():
    from pathlib import Path

    report, raw = load_report(Path(__file__).parent / "fixtures" / "letter")
    html = render_html(report, raw.folder)
    outline = Outline()
    outline.feed(html)
    assert outline.headings == [1]  # the title only: a letter has no sections
    assert "<nav" not in html  # and so no contents list
    assert "Dear carer," in html and "Angela Hillery" in html


def test_unknown_placeholder_is_an_input_error(tmp_path):
    from reportgen.errors import InputError

    (tmp_path / "report.yaml").write_text(
        "format: 1\nid: x\ntitle: T\norganisation: LPT\npublished: 2025-07-24\npublisher: Comms\n"
        "description: d\ncontact: {email: a@nhs.net}\nvalues:\n  rate: {value: 58.4, unit: percent, fraction_digits: 1}\n"
        'blocks:\n  - {type: paragraph, text: "{rate} and {rat}"}\n'
    )
    with pytest.raises(InputError) as info:
        load_report(tmp_path)
    assert (
        "report.yaml:12: blocks[0].text: {rat} is not one of this publication's values (did you mean 'rate'?)"
        in str(info.value)
    )


def test_the_survey_charts_draw_the_trust_in_the_workspace_graphics_colour():
    import base64

    from reportgen import settings
    from reportgen.survey.variants import prepare_variant
    from reportgen.workspace import Organisation

    report, raw = load_report(DATA / "cmh-survey-2025")
    branded = settings.current().replace(organisation=Organisation(colours={"graphics": "#00796b"}))
    with settings.use(branded):
        chosen = prepare_variant(report, raw, None)
        html = render_html(chosen.specialise(report), raw.folder, extra=chosen.context(report.language))
    charts = [base64.b64decode(m).decode() for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]
    trends = [svg for svg in charts if "stroke-dasharray='5 3'" in svg]
    assert trends and all("#00796b" in svg and "#005eb8" not in svg for svg in trends)
