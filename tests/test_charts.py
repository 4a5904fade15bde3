"""Accessible SVG charts: words and numbers from the data, never colour alone, 3:1 marks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from reportgen.check.theme import contrast
from reportgen.render.charts import BANDS, range_chart, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_range_chart_says_everything_in_words():
    chart = range_chart(title="Q29", score=3.4, average=5.3, lowest=3.4, highest=6.7, band="worse")
    assert chart.alt == "Q29: Your trust 3.4; national average 5.3; range 3.4 to 6.7; worse than expected"
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Q29" and root.find(f"{SVG}desc").text == chart.alt
    assert "Your trust 3.4 — Worse than expected" in chart.svg, "the band is written next to the marker"
    assert chart.table == (
        ("Your trust", "National average", "Lowest", "Highest", "Band"),
        ("3.4", "5.3", "3.4", "6.7", "Worse than expected"),
    )


def test_range_chart_positions_follow_the_numbers():
    chart = range_chart(title="Q", score=8.0, average=5.0, lowest=2.0, highest=9.0, band="about_same")
    rect = parse(chart.svg).find(f"{SVG}rect")
    left, width = float(rect.get("x")), float(rect.get("width"))
    scale = (640 - 48) / 10
    assert abs(left - (24 + 2 * scale)) < 0.01 and abs(width - 7 * scale) < 0.01
    diamond = re.search(r"d='M([\d.]+),", chart.svg)
    assert abs(float(diamond.group(1)) - (24 + 8 * scale)) < 0.01


def test_every_band_has_its_own_pattern_and_enough_contrast():
    assert len({band.pattern for band in BANDS.values()}) == len(BANDS)
    for band in BANDS.values():
        assert contrast(band.colour, "#ffffff") >= 3.0, band.key
    worse = range_chart(title="Q", score=3, average=5, lowest=2, highest=8, band="worse").svg
    better = range_chart(title="Q", score=7, average=5, lowest=2, highest=8, band="better").svg
    assert "<pattern" in worse and "<path d='M0," in worse, "worse: hatching"
    assert "<circle" in better.split("</defs>")[0], "better: dots"


def test_a_suppressed_score_is_said_not_drawn():
    chart = range_chart(title="Q37", score=None, average=4.9, lowest=3.7, highest=6.3, band="about_same")
    assert "Your trust: no score: fewer than 30 respondents" in chart.alt
    assert "about the same" not in chart.alt and "<path" not in chart.svg, "no marker, no band"
    assert chart.table[1][0] == "" and chart.table[1][4] == ""


def test_trend_chart_alt_and_table_hold_every_year():
    chart = trend_chart(
        title="Q9",
        years=[2023, 2024, 2025],
        trust=[7.1, None, 6.9],
        average=[7.3, 7.3, 7.4],
        note="Significant change 2025 vs 2023: no change",
    )
    assert chart.alt == (
        "Q9: Your trust: 2023 7.1, 2024 no data, 2025 6.9; National average: 2023 7.3, 2024 7.3, "
        "2025 7.4. Significant change 2025 vs 2023: no change"
    )
    assert chart.table[2] == ("2024", "", "7.3")
    assert parse(chart.svg).find(f"{SVG}desc").text == chart.alt
    assert chart.csv.splitlines()[0] == "Year,Your trust,National average"


def test_words_and_numbers_follow_the_language():
    chart = range_chart(
        title="P29",
        score=3.4,
        average=5.3,
        lowest=3.4,
        highest=6.7,
        band="worse",
        number=lambda v: f"{v:.1f}".replace(".", ","),
        words={"trust": "Twój trust", "average": "średnia krajowa", "range": "zakres", "to": "do"},
    )
    assert chart.alt.startswith("P29: Twój trust 3,4; średnia krajowa 5,3; zakres 3,4 do 6,7")


def test_titles_are_escaped():
    chart = range_chart(title="Q <script> & co", score=5, average=5, lowest=1, highest=9, band=None)
    assert parse(chart.svg).find(f"{SVG}title").text == "Q <script> & co"
