"""SVG text drawn a run at a time, not a letter at a time.

WeasyPrint 70 draws every ``<text>``/``<tspan>`` of an SVG one character at a time: one Pango
layout and one text-drawing call per letter, so that it can honour per-character ``x``, ``y``,
``dx``, ``dy`` and ``rotate`` lists. The survey's charts carry about 800 labels; drawing them
letter by letter was a quarter of the PDF stage, cut Arabic and Urdu labels into unjoined
letters, and left the PDF's text without its spaces ("Yourtrust8.9"), because a lone space
draws no glyph.

:func:`make_text` wraps WeasyPrint's ``text`` drawer. A node whose characters are not placed
one by one (at most one ``x``, ``y``, ``dx`` and ``dy``; no ``rotate``, ``letter-spacing`` or
``textLength``) is laid out and drawn as one Pango run — shaped as a whole, kerned, with its
spaces; everything else goes to WeasyPrint's own drawer unchanged. The run is drawn through
``weasyprint.draw.text.draw_first_line`` looked up at call time, so reportgen's glyph hook
(:func:`reportgen.formats.pdf.render.weasyprint_overrides`) records it like any HTML line.
"""

from __future__ import annotations

from math import inf

# Baseline keywords that move the text down by the ascent or up by the descent, as WeasyPrint reads them.
_HANGING = frozenset({"text-before-edge", "before_edge", "top", "hanging", "text-top"})
_SUNKEN = frozenset({"text-after-edge", "after_edge", "bottom", "text-bottom"})
_WEIGHTS = {"normal": 400, "bold": 700}


def _values(node, name: str) -> list[str]:
    from weasyprint.svg.utils import normalize

    raw = node.attrib.get(name)
    return normalize(raw).split() if raw else []


def drawn_as_run(node) -> bool:
    """Whether ``node``'s text can be drawn as one run with the same meaning."""
    if node.tag not in ("text", "tspan") or not node.text:
        return False
    if any(node.attrib.get(name) for name in ("rotate", "textLength")):
        return False
    spacing = (node.get("letter-spacing") or "").strip()
    if spacing not in ("", "0", "normal"):
        return False
    return all(len(_values(node, name)) <= 1 for name in ("x", "y", "dx", "dy"))


def _weight(value) -> int:
    if value in _WEIGHTS:
        return _WEIGHTS[value]
    try:
        return int(value)
    except (TypeError, ValueError):
        return 400


def _style(svg, node, font_size):
    """The text style WeasyPrint's SVG drawer would use for ``node``."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [family.strip("\"'") for family in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_weight"] = _weight(node.get("font-weight", 400))
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    return style


def _baseline_shift(node, height: float, font_size: float) -> float:
    """How far the run moves down from ``y``, for ``display-anchor`` and the baseline keywords."""
    ascent, descent = font_size * 0.8, font_size * 0.2  # as WeasyPrint 70 estimates them
    anchor = node.get("display-anchor")
    if anchor == "middle":
        return -height / 2
    if anchor == "bottom":
        return -height
    if anchor == "top":
        return 0
    keyword = node.get("dominant-baseline", node.get("alignment-baseline"))
    if keyword in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if keyword in _HANGING:
        return ascent
    if keyword in _SUNKEN:
        return -descent
    return 0


def _first(svg, node, name: str, font_size: float, horizontal: bool):
    from weasyprint.svg.utils import size

    values = _values(node, name)
    if not values:
        return None
    return size(values[0], font_size, svg.inner_width if horizontal else svg.inner_height)


def draw_run(svg, node, font_size) -> bool:
    """Lay out and draw ``node``'s text as one run; False (nothing drawn) if it is not one line."""
    import weasyprint.draw.text as draw_text
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.text.line_break import split_first_line

    style = _style(svg, node, font_size)
    layout, _, resume_at, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    if resume_at is not None:  # a forced break inside: WeasyPrint's drawer places every letter
        return False

    x, y = _first(svg, node, "x", font_size, True), _first(svg, node, "y", font_size, False)
    dx, dy = _first(svg, node, "dx", font_size, True), _first(svg, node, "dy", font_size, False)
    # A new absolute position clears the relative offsets (as WeasyPrint does, a zero does not).
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y

    left = x + svg.cursor_d_position[0]
    base = y + svg.cursor_d_position[1] + _baseline_shift(node, height, font_size)
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((left, base - baseline), (left + width, base - baseline + height))
    )

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_text.draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=left, f=base))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_text.draw_emojis(svg.stream, style, x, y, emojis)
    return True


def make_text(original):
    """WeasyPrint's SVG ``text`` drawer, drawing whole runs where that keeps the meaning."""

    def text(svg, node, font_size):
        if drawn_as_run(node) and draw_run(svg, node, font_size):
            return
        original(svg, node, font_size)

    text.original = original
    return text
