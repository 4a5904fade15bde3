"""WCAG 2.x relative luminance and contrast ratio of #rrggbb colours (the theme check and the workspace's brand colours)."""

from __future__ import annotations


def luminance(colour: str) -> float:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


NHS_BLUE = "#005eb8"  # the theme's text colour (templates/assets/theme.css: --nhs-blue)


def brand_text_colour(colours: dict[str, str] | None) -> str | None:
    """The workspace's text colour where it differs from the theme's NHS Blue, else None."""
    colour = (colours or {}).get("text")
    return colour.lower() if colour and colour.lower() != NHS_BLUE else None


def brand_graphics_colour(colours: dict[str, str] | None) -> str | None:
    """The workspace's colour for graphics (rules, borders, the trust's marks in charts) where it
    differs from NHS Blue, else None. Without a graphics colour of its own, graphics follow the text
    colour, so a trust that sets only ``text`` gets one colour throughout."""
    colour = (colours or {}).get("graphics") or (colours or {}).get("text")
    return colour.lower() if colour and colour.lower() != NHS_BLUE else None
