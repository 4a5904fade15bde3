"""Theme colours meet WCAG contrast on white: text 4.5:1, graphics (rating marks) 3:1."""

import re

from reportgen.check.theme import contrast
from reportgen.render.html import read_asset


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
