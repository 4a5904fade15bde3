"""Charts as accessible SVG, written from the data: never a picture without words.

Takes numbers and labels; returns a :class:`Chart`: the SVG text (with ``<title>`` and
``<desc>``), the text alternative written from the same numbers, and the rows of the data
table shown beside it. Pages embed the SVG as ``<img alt>`` so that the HTML and the tagged
PDF (a Figure with /Alt) carry the same description.

Meaning never rests on colour alone: the band of a score is shown by its position on the
range, written next to the marker, and drawn with a pattern of its own. Every mark has at
least 3:1 contrast against white (WCAG 1.4.11).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 640
INK = "#212b32"  # text, axis, national average
RANGE_FILL = "#d8dde0"
RANGE_EDGE = "#768692"  # 3.5:1 on white
TRUST = "#005eb8"  # 6.4:1 on white
FONT = "font-family='Noto Sans, sans-serif'"


@dataclass(frozen=True)
class Band:
    key: str
    label: str  # e.g. "Worse than expected"
    colour: str  # ≥ 3:1 on white
    pattern: str  # name of the pattern drawn in the marker


# The survey's seven bands, in order from best to worst. Patterns: dots for better, plain for
# about the same, hatching for worse — denser the further from expected.
BANDS: dict[str, Band] = {
    b.key: b
    for b in (
        Band("much_better", "Much better than expected", "#00401e", "dots-dense"),
        Band("better", "Better than expected", "#006747", "dots"),
        Band("somewhat_better", "Somewhat better than expected", "#007f3b", "dots-sparse"),
        Band("about_same", "About the same", "#4c6272", "solid"),
        Band("somewhat_worse", "Somewhat worse than expected", "#8a4b00", "hatch-sparse"),
        Band("worse", "Worse than expected", "#a63a00", "hatch"),
        Band("much_worse", "Much worse than expected", "#8f1d13", "hatch-dense"),
    )
}


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str  # the text alternative, written from the data
    table: tuple[tuple[str, ...], ...]  # header row first

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")

    @property
    def csv(self) -> str:
        def cell(value: str) -> str:
            return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value

        return "".join(",".join(cell(v) for v in row) + "\r\n" for row in self.table)


def one_decimal(value: float) -> str:
    return f"{value:.1f}"


def _pattern(band: Band, ident: str) -> str:
    """An SVG pattern filling the trust's marker: white ground, the band's colour drawn on it."""
    c = band.colour
    kind = band.pattern
    if kind == "solid":
        return ""
    size = {"dense": 4, "sparse": 8}.get(kind.split("-")[-1], 6)
    if kind.startswith("dots"):
        body = f"<rect width='{size}' height='{size}' fill='#ffffff'/><circle cx='{size / 2}' cy='{size / 2}' r='1.4' fill='{c}'/>"
    else:
        body = (
            f"<rect width='{size}' height='{size}' fill='#ffffff'/>"
            f"<path d='M0,{size} L{size},0' stroke='{c}' stroke-width='1.6'/>"
        )
    return f"<pattern id='{ident}' width='{size}' height='{size}' patternUnits='userSpaceOnUse'>{body}</pattern>"


def range_chart(
    *,
    title: str,
    score: float | None,
    average: float,
    lowest: float,
    highest: float,
    band: str | None,
    number: Callable[[float], str] = one_decimal,
    words: dict[str, str] | None = None,
    chart_id: str = "chart",
    trust_colour: str = TRUST,
) -> Chart:
    """Where a trust's score sits in the range of all trusts' scores (0 to 10).

    ``score`` is None when it is suppressed (too few respondents): the range and the
    national average are still shown, and the text says why there is no score.
    ``words`` overrides the English labels ("Your trust", "National average", "Range",
    "No score") for other languages; ``number`` formats a number for the reader's language;
    ``trust_colour`` is the workspace's graphics colour (checked for 3:1 when it was read).
    """
    w = {
        "trust": "Your trust",
        "average": "National average",
        "range": "Range",
        "to": "to",
        "no_score": "no score: fewer than 30 respondents",
        "scale": "Score out of 10",
        **(words or {}),
    }
    the_band = BANDS.get(band or "")
    left, right, top = 24, WIDTH - 24, 40

    def x(value: float) -> float:
        return round(left + (right - left) * max(0.0, min(10.0, value)) / 10.0, 2)

    # Mid-sentence words are lower case in English; translated words are used as given.
    mid = (lambda text: text[0].lower() + text[1:]) if words is None else (lambda text: text)
    alt_parts = [
        f"{w['trust']} {number(score)}" if score is not None else f"{w['trust']}: {w['no_score']}",
        f"{mid(w['average'])} {number(average)}",
        f"{mid(w['range'])} {number(lowest)} {w['to']} {number(highest)}",
    ]
    if the_band and score is not None:
        alt_parts.append(mid(the_band.label))
    alt = f"{title}: " + "; ".join(alt_parts)
    pattern_id = f"{chart_id}-band"
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} 120' width='{WIDTH}' height='120' "
        f"role='img' aria-labelledby='{chart_id}-t {chart_id}-d'>",
        f"<title id='{chart_id}-t'>{escape(title)}</title><desc id='{chart_id}-d'>{escape(alt)}</desc>",
        f"<defs>{_pattern(the_band, pattern_id) if the_band else ''}</defs>",
        # the scale
        f"<line x1='{left}' y1='{top + 44}' x2='{right}' y2='{top + 44}' stroke='{INK}' stroke-width='1'/>",
    ]
    for tick in range(0, 11, 2):
        parts.append(
            f"<line x1='{x(tick)}' y1='{top + 44}' x2='{x(tick)}' y2='{top + 49}' stroke='{INK}'/>"
            f"<text x='{x(tick)}' y='{top + 62}' font-size='11' text-anchor='middle' fill='{INK}' {FONT}>"
            f"{tick}</text>"
        )
    # the range of all trusts
    parts.append(
        f"<rect x='{x(lowest)}' y='{top + 14}' width='{max(1.0, x(highest) - x(lowest))}' height='20' "
        f"fill='{RANGE_FILL}' stroke='{RANGE_EDGE}' stroke-width='1.5'/>"
    )
    # the national average: a dashed line, labelled below the bar
    parts.append(
        f"<line x1='{x(average)}' y1='{top + 8}' x2='{x(average)}' y2='{top + 40}' stroke='{INK}' "
        f"stroke-width='2' stroke-dasharray='4 2'/>"
    )
    # the trust: a diamond with the band's pattern, labelled above
    if score is not None:
        fill = f"url(#{pattern_id})" if the_band and the_band.pattern != "solid" else "#ffffff"
        edge = the_band.colour if the_band else trust_colour
        cx, cy = x(score), top + 24
        parts.append(
            f"<path d='M{cx},{cy - 13} L{cx + 10},{cy} L{cx},{cy + 13} L{cx - 10},{cy} Z' fill='{fill}' "
            f"stroke='{edge}' stroke-width='2.5'/>"
        )
        label = f"{w['trust']} {number(score)}" + (f" — {the_band.label}" if the_band else "")
        anchor = "start" if score < 5 else "end"
        parts.append(
            f"<text x='{cx}' y='{top - 6}' font-size='13' font-weight='700' text-anchor='{anchor}' "
            f"fill='{INK}' {FONT}>{escape(label)}</text>"
        )
    else:
        parts.append(
            f"<text x='{left}' y='{top - 6}' font-size='13' fill='{INK}' {FONT}>"
            f"{escape(w['trust'] + ': ' + w['no_score'])}</text>"
        )
    parts.append(
        f"<text x='{right}' y='{top + 78}' font-size='11' text-anchor='end' fill='{INK}' {FONT}>"
        f"{escape(w['average'])} {escape(number(average))} (- - -) · {escape(w['range'])} "
        f"{escape(number(lowest))}–{escape(number(highest))}</text>"
    )
    parts.append("</svg>")
    header = (w["trust"], w["average"], "Lowest", "Highest", "Band")
    row = (
        "" if score is None else number(score),
        number(average),
        number(lowest),
        number(highest),
        the_band.label if the_band and score is not None else "",
    )
    return Chart("".join(parts), alt, (header, row))


def trend_chart(
    *,
    title: str,
    years: Sequence[int],
    trust: Sequence[float | None],
    average: Sequence[float | None],
    number: Callable[[float], str] = one_decimal,
    words: dict[str, str] | None = None,
    note: str = "",
    chart_id: str = "trend",
    trust_colour: str = TRUST,
) -> Chart:
    """Scores over the survey years: the trust (solid line, circles, in ``trust_colour``) and the
    national average (dashed line, squares), each point labelled with its value."""
    w = {"trust": "Your trust", "average": "National average", "no_data": "no data", **(words or {})}
    left, right, top, bottom = 48, WIDTH - 24, 24, 150
    inner_left, inner_right = left + 48, right - 48  # keep the first and last points clear of the axis
    step = (inner_right - inner_left) / max(1, len(years) - 1)

    def px(i: int) -> float:
        return round(inner_left + step * i if len(years) > 1 else (left + right) / 2, 2)

    def py(v: float) -> float:
        return round(bottom - (bottom - top) * v / 10.0, 2)

    def series(values) -> str:
        return ", ".join(
            f"{year} {number(v) if v is not None else w['no_data']}" for year, v in zip(years, values, strict=True)
        )

    alt = f"{title}: {w['trust']}: {series(trust)}; {w['average']}: {series(average)}" + (f". {note}" if note else "")
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} 190' width='{WIDTH}' height='190' "
        f"role='img' aria-labelledby='{chart_id}-t {chart_id}-d'>",
        f"<title id='{chart_id}-t'>{escape(title)}</title><desc id='{chart_id}-d'>{escape(alt)}</desc>",
    ]
    for tick in range(0, 11, 2):
        parts.append(
            f"<line x1='{left}' y1='{py(tick)}' x2='{right}' y2='{py(tick)}' stroke='{RANGE_FILL}'/>"
            f"<text x='{left - 8}' y='{py(tick) + 4}' font-size='11' text-anchor='end' fill='{INK}' {FONT}>"
            f"{tick}</text>"
        )
    for i, year in enumerate(years):
        parts.append(
            f"<text x='{px(i)}' y='{bottom + 18}' font-size='12' text-anchor='middle' fill='{INK}' {FONT}>{year}</text>"
        )

    def label_dy(i: int, mine, other) -> int:
        """The higher of the two values at a year is labelled above its point, the lower below."""
        theirs = other[i]
        return -10 if theirs is None or mine[i] >= theirs else 20

    for values, other, colour, dash, marker in (
        (average, trust, INK, "5 3", "square"),
        (trust, average, trust_colour, "", "circle"),
    ):
        points = [(px(i), py(v), v, label_dy(i, values, other)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{'M' if j == 0 else 'L'}{x},{y}" for j, (x, y, _v, _d) in enumerate(points))
            parts.append(
                f"<path d='{path}' fill='none' stroke='{colour}' stroke-width='2.5'"
                + (f" stroke-dasharray='{dash}'" if dash else "")
                + "/>"
            )
        for x, y, v, dy in points:
            shape = (
                f"<circle cx='{x}' cy='{y}' r='5' fill='{colour}'/>"
                if marker == "circle"
                else f"<rect x='{x - 4.5}' y='{y - 4.5}' width='9' height='9' fill='#ffffff' stroke='{colour}' stroke-width='2'/>"
            )
            parts.append(
                shape + f"<text x='{x}' y='{y + dy}' font-size='12' text-anchor='middle' fill='{colour}' "
                f"{FONT}>{escape(number(v))}</text>"
            )
    legend_y = 184
    parts.append(
        f"<circle cx='{left}' cy='{legend_y - 4}' r='5' fill='{trust_colour}'/><text x='{left + 10}' y='{legend_y}' "
        f"font-size='12' fill='{INK}' {FONT}>{escape(w['trust'])}</text>"
        f"<rect x='{left + 150}' y='{legend_y - 8.5}' width='9' height='9' fill='#ffffff' stroke='{INK}' "
        f"stroke-width='2'/><text x='{left + 164}' y='{legend_y}' font-size='12' fill='{INK}' {FONT}>"
        f"{escape(w['average'])} (- - -)</text>"
    )
    parts.append("</svg>")
    header = ("Year", w["trust"], w["average"])
    rows = tuple(
        (str(year), number(t) if t is not None else "", number(a) if a is not None else "")
        for year, t, a in zip(years, trust, average, strict=True)
    )
    return Chart("".join(parts), alt, (header, *rows))


__all__ = ["BANDS", "Band", "Chart", "range_chart", "trend_chart", "one_decimal"]
