"""Theme colours meet WCAG contrast on white: text 4.5:1, graphics (rating marks) 3:1."""

import re

from reportgen.render import read_asset


def luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def variables() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", read_asset("theme.css")))


def test_contrast_function_matches_known_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#005eb8", "#ffffff"), 1) == 6.4


def test_text_colours_reach_4_5_to_1():
    colours = variables()
    for name in ("text", "nhs-blue", "nhs-dark-blue", "secondary-text"):
        assert contrast(colours[name], "#ffffff") >= 4.5, name
    assert contrast("#ffffff", colours["nhs-blue"]) >= 4.5  # white on key-figure tiles
    assert contrast(colours["text"], colours["pale-grey"]) >= 4.5  # callouts and contents


def test_graphics_reach_3_to_1():
    colours = variables()
    for name in [n for n in colours if n.startswith("rating-")] + ["border"]:
        assert contrast(colours[name], "#ffffff") >= 3.0, name
