"""The designed kinds (issue 17): each kind its own page, the fields only its kind uses, the
trust's name block from the workspace, and two newsletter columns only where the text suits."""

from __future__ import annotations

import pytest
import yaml

from conftest import DATA
from reportgen.content.model import load_report
from reportgen.languages import language
from reportgen.render.html import Medium, _two_columns, render_html
from reportgen.workspace import TRUST, Organisation, load_workspace

MARKS = {
    "annual-report-summary-2024-25": ('class="cover"', 'class="cover-image"'),
    "open-letter-2024-25": ('class="letterhead"', 'class="letter-recipient"'),
    "lpt-newsletter-2026-spring": ('class="newsletter-title"', "stay-connected"),
    "cqc-community-mental-health-news-2025": ('class="article-head"', 'class="article-summary"'),
}


@pytest.mark.parametrize("sample", sorted(MARKS))
def test_each_kind_has_its_own_page(sample):
    report, _ = load_report(DATA / sample)
    html = render_html(report, DATA / sample, medium=Medium.PRINT)
    for mark in MARKS[sample]:
        assert mark in html
    others = [m for name, marks in MARKS.items() if name != sample for m in marks[:1]]
    assert not [m for m in others if m in html]


def test_a_field_of_another_kind_is_refused_with_its_name(copy_sample):
    from reportgen.errors import InputError

    folder = copy_sample("open-letter-2024-25")
    data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    data["edition"] = 3
    (folder / "report.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_report(folder)
    problem = info.value.problems[0]
    assert problem.pointer.endswith("edition")
    assert "only used by kind: newsletter" in problem.message and "kind: letter" in problem.message


def test_newsletter_columns_never_for_tables_or_right_to_left():
    report, _ = load_report(DATA / "lpt-newsletter-2026-spring")
    survey = report.sections[1]
    assert _two_columns(survey, language("en-GB"))
    assert not _two_columns(survey, language("ar")) and not _two_columns(survey, language("ur"))
    news, _ = load_report(DATA / "cqc-community-mental-health-news-2025")
    with_table = next(s for s in news.sections if any(b.type == "cqc_ratings" for b in s.blocks))
    assert not _two_columns(with_table, language("en-GB"))


def test_letterhead_mirrors_and_keeps_the_name_in_its_language():
    report, _ = load_report(DATA / "open-letter-2024-25")
    html = render_html(report, DATA / "open-letter-2024-25", lang="ar", medium=Medium.PRINT)
    assert 'dir="rtl"' in html
    assert '<p class="identity-name" lang="en-GB">' in html
    assert "@top-left { content: string(doc-title)" not in html  # the title side is the right
    assert "@top-right { content: string(doc-title)" in html


def test_the_name_block_defaults_to_the_trust_and_the_workspace_overrides(tmp_path):
    assert Organisation().identity().address == TRUST.address
    assert Organisation(phone="0116 000 0000").identity().phone == "0116 000 0000"
    (tmp_path / "reportgen.toml").write_text('[organisation]\nphone = "call us"\n', encoding="utf-8")
    from reportgen.errors import InputError

    with pytest.raises(InputError) as info:
        load_workspace(tmp_path)
    assert "organisation.phone" in info.value.problems[0].pointer
    assert "digits and spaces" in info.value.problems[0].message
