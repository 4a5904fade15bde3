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
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

WIDTH = 640
INK = "#212b32"  # text, axis, national average
RANGE_FILL = "#d8dde0"
RANGE_EDGE = "#768692"  # 3.5:1 on white
TRUST = "#005eb8"  # 6.4:1 on white
FONT = "font-family='Noto Sans, sans-serif'"
SMALLEST = 11  # the smallest lettering of a chart at text scale 1, in SVG units (ticks, legends)


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
    # the same chart drawn again with its lettering scaled (see lettered); not part of equality
    redraw: Callable[[float], Chart] | None = field(default=None, compare=False, repr=False)

    def lettered(self, smallest_pt: float, width_pt: float) -> Chart:
        """This chart drawn again so that, shown ``width_pt`` wide, its smallest lettering is at least
        ``smallest_pt`` (large print: the text grows, the drawing keeps the page's width)."""
        scale = smallest_pt / (SMALLEST * width_pt / WIDTH)
        return self if self.redraw is None or scale <= 1 else self.redraw(scale)

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")

    @property
    def csv(self) -> str:
        def cell(value: str) -> str:
            return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value

        return "".join(",".join(cell(v) for v in row) + "\r\n" for row in self.table)


def _size(base: float, scale: float) -> float:
    """A font size in SVG units: ``base`` as drawn at text scale 1, else scaled to a tenth."""
    return base if scale <= 1 else round(base * scale, 1)


def _text_width(text: str, size: float) -> float:
    """An upper estimate of a line's width in SVG units (Noto Sans averages about 0.55 em a
    character; 0.6 keeps a bold line inside the picture too)."""
    return len(text) * size * 0.6


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
    text_scale: float = 1.0,
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
    k = text_scale
    large = k > 1
    label = (
        f"{w['trust']} {number(score)}" + (f" — {the_band.label}" if the_band else "")
        if score is not None
        else w["trust"] + ": " + w["no_score"]
    )
    # large lettering: the trust's label on two lines (score, then band) above the range
    label_lines = (label.split(" — ", 1) if score is not None else [label]) if large else [label]
    left, right = 24, WIDTH - 24
    top = round(_size(13, k) * 1.3) * len(label_lines) + 10 if large else 40

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
    tick_y = top + 51 + round(SMALLEST * k) if large else top + 62
    legend = (
        f"{escape(w['average'])} {escape(number(average))} (- - -)",
        (f"{escape(w['range'])} {escape(number(lowest))}–{escape(number(highest))}"),
    )
    legend_y = (
        [tick_y + round(16 * k), tick_y + round(16 * k) + round(_size(SMALLEST, k) * 1.3)] if large else [top + 78]
    )
    height = legend_y[-1] + round(6 * k) if large else 120
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {height}' width='{WIDTH}' height='{height}' "
        f"role='img' aria-labelledby='{chart_id}-t {chart_id}-d'>",
        f"<title id='{chart_id}-t'>{escape(title)}</title><desc id='{chart_id}-d'>{escape(alt)}</desc>",
        f"<defs>{_pattern(the_band, pattern_id) if the_band else ''}</defs>",
        # the scale
        f"<line x1='{left}' y1='{top + 44}' x2='{right}' y2='{top + 44}' stroke='{INK}' stroke-width='1'/>",
    ]
    for tick in range(0, 11, 2):
        parts.append(
            f"<line x1='{x(tick)}' y1='{top + 44}' x2='{x(tick)}' y2='{top + 49}' stroke='{INK}'/>"
            f"<text x='{x(tick)}' y='{tick_y}' font-size='{_size(SMALLEST, k)}' text-anchor='middle' fill='{INK}' {FONT}>"
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
    if large:  # each line centred on the marker where it fits, kept inside the picture
        size = _size(13, k)
        centre = x(score) if score is not None else left
        for i, line in enumerate(label_lines):
            width = _text_width(line, size)
            start = round(max(left, min(centre - width / 2, right - width)), 2)
            y = top - 6 - round(size * 1.3) * (len(label_lines) - 1 - i)
            weight = " font-weight='700'" if score is not None else ""
            parts.append(
                f"<text x='{start}' y='{y}' font-size='{size}'{weight} fill='{INK}' {FONT}>{escape(line)}</text>"
            )
    elif score is not None:
        anchor = "start" if score < 5 else "end"
        parts.append(
            f"<text x='{x(score)}' y='{top - 6}' font-size='13' font-weight='700' text-anchor='{anchor}' "
            f"fill='{INK}' {FONT}>{escape(label)}</text>"
        )
    else:
        parts.append(f"<text x='{left}' y='{top - 6}' font-size='13' fill='{INK}' {FONT}>{escape(label)}</text>")
    for y, words_ in zip(legend_y, legend if large else [" · ".join(legend)], strict=True):
        parts.append(
            f"<text x='{right}' y='{y}' font-size='{_size(SMALLEST, k)}' text-anchor='end' fill='{INK}' {FONT}>"
            f"{words_}</text>"
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
    redraw = functools.partial(
        range_chart,
        title=title,
        score=score,
        average=average,
        lowest=lowest,
        highest=highest,
        band=band,
        number=number,
        words=words,
        chart_id=chart_id,
        trust_colour=trust_colour,
    )
    return Chart("".join(parts), alt, (header, row), redraw=lambda scale: redraw(text_scale=scale))


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
    text_scale: float = 1.0,
) -> Chart:
    """Scores over the survey years: the trust (solid line, circles, in ``trust_colour``) and the
    national average (dashed line, squares), each point labelled with its value."""
    w = {"trust": "Your trust", "average": "National average", "no_data": "no data", **(words or {})}
    k = text_scale
    large = k > 1
    left, right = 48, WIDTH - 24
    top = round(24 * k)
    bottom = top + round(126 * k)  # large lettering: the plot grows with it, so the ticks stay apart
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
    label_size = _size(12, k)
    legend_y = bottom + round(18 * k) + round(16 * k)
    # the legend's second entry: beside the first where both fit, else on a line of its own
    second_x, second_y = left + 150, legend_y
    if large:
        second_x = left + round(14 * k) + round(_text_width(w["trust"], label_size)) + round(24 * k)
        if second_x + round(14 * k) + _text_width(f"{w['average']} (- - -)", label_size) > right:
            second_x, second_y = left - round(4.5 * k), legend_y + round(label_size * 1.4)
    height = second_y + round(6 * k)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {height}' width='{WIDTH}' height='{height}' "
        f"role='img' aria-labelledby='{chart_id}-t {chart_id}-d'>",
        f"<title id='{chart_id}-t'>{escape(title)}</title><desc id='{chart_id}-d'>{escape(alt)}</desc>",
    ]
    for tick in range(0, 11, 2):
        parts.append(
            f"<line x1='{left}' y1='{py(tick)}' x2='{right}' y2='{py(tick)}' stroke='{RANGE_FILL}'/>"
            f"<text x='{left - 8}' y='{py(tick) + round(4 * k)}' font-size='{_size(SMALLEST, k)}' text-anchor='end' "
            f"fill='{INK}' {FONT}>{tick}</text>"
        )
    for i, year in enumerate(years):
        parts.append(
            f"<text x='{px(i)}' y='{bottom + round(18 * k)}' font-size='{label_size}' text-anchor='middle' "
            f"fill='{INK}' {FONT}>{year}</text>"
        )

    mark_r, mark_half = (5, 4.5) if not large else (round(5 * k * 0.7, 1), round(4.5 * k * 0.7, 1))

    def label_dy(i: int, mine, other) -> int:
        """The higher of the two values at a year is labelled above its point, the lower below."""
        theirs = other[i]
        return -round(10 * k) if theirs is None or mine[i] >= theirs else round(20 * k)

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
                f"<circle cx='{x}' cy='{y}' r='{mark_r}' fill='{colour}'/>"
                if marker == "circle"
                else f"<rect x='{x - mark_half}' y='{y - mark_half}' width='{2 * mark_half:g}' "
                f"height='{2 * mark_half:g}' fill='#ffffff' stroke='{colour}' stroke-width='2'/>"
            )
            parts.append(
                shape + f"<text x='{x}' y='{y + dy}' font-size='{label_size}' text-anchor='middle' fill='{colour}' "
                f"{FONT}>{escape(number(v))}</text>"
            )
    # the legend's marks grow with large lettering (a circle and a square the height of a small letter)
    r, half, gap = (5, 4.5, 10) if not large else (round(5 * k, 1), round(4.5 * k, 1), round(14 * k))
    lift = 4 if not large else round(label_size * 0.35, 1)
    after = 14 if not large else round(2 * half + 5 * k)
    parts.append(
        f"<circle cx='{left}' cy='{legend_y - lift}' r='{r}' fill='{trust_colour}'/><text x='{left + gap}' y='{legend_y}' "
        f"font-size='{label_size}' fill='{INK}' {FONT}>{escape(w['trust'])}</text>"
        f"<rect x='{second_x}' y='{second_y - lift - half}' width='{2 * half:g}' height='{2 * half:g}' fill='#ffffff' "
        f"stroke='{INK}' stroke-width='2'/><text x='{second_x + after}' y='{second_y}' font-size='{label_size}' "
        f"fill='{INK}' {FONT}>{escape(w['average'])} (- - -)</text>"
    )
    parts.append("</svg>")
    header = ("Year", w["trust"], w["average"])
    rows = tuple(
        (str(year), number(t) if t is not None else "", number(a) if a is not None else "")
        for year, t, a in zip(years, trust, average, strict=True)
    )
    redraw = functools.partial(
        trend_chart,
        title=title,
        years=years,
        trust=trust,
        average=average,
        number=number,
        words=words,
        note=note,
        chart_id=chart_id,
        trust_colour=trust_colour,
    )
    return Chart("".join(parts), alt, (header, *rows), redraw=lambda scale: redraw(text_scale=scale))


__all__ = ["BANDS", "Band", "Chart", "range_chart", "trend_chart", "one_decimal"]
