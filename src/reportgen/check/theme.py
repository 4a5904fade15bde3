"""Theme colour contrast (WCAG 2.2: text 4.5:1 — 1.4.3; graphics 3:1 — 1.4.11).

Reads the theme stylesheet the publications use: every rule that sets a text colour is
measured against its own background (or the page's white), the body text against the
pale backgrounds of callouts and the contents, and the colours that carry meaning in
graphics (rating marks, borders) against white.
"""

from __future__ import annotations

import re

from reportgen.check.findings import finding
from reportgen.colours import contrast
from reportgen.errors import Finding
from reportgen.resources import ASSETS_DIR

WHITE = "#ffffff"
VARIABLE = re.compile(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = r"#[0-9a-fA-F]{6}\b"


def _resolve(value: str, variables: dict[str, str]) -> str | None:
    value = re.sub(r"var\(--([a-z0-9-]+)\)", lambda m: variables.get(m.group(1), m.group(0)), value)
    match = re.search(HEX, value)
    return match.group(0).lower() if match else None


def check_theme(css: str | None = None, source: str = "templates/assets/theme.css") -> list[Finding]:
    css = css if css is not None else (ASSETS_DIR / "theme.css").read_text(encoding="utf-8")
    variables = {name: colour.lower() for name, colour in VARIABLE.findall(css)}
    found: list[Finding] = []

    def measure(fg, bg, minimum, what, line):
        ratio = contrast(fg, bg)
        if ratio < minimum:
            found.append(
                finding(
                    "theme-contrast",
                    f"{what}: {fg} on {bg} has contrast {ratio:.2f}:1, below {minimum:g}:1 — use a darker colour",
                    source,
                    line,
                )
            )

    for match in RULE.finditer(css):
        selector, body = match.group(1).strip(), match.group(2)
        line = css.count("\n", 0, match.start(2)) + 1
        declarations = dict(
            (name.strip(), value.strip()) for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        fg = _resolve(declarations.get("color", ""), variables)
        bg = _resolve(declarations.get("background-color", declarations.get("background", "")), variables)
        if fg and selector != ":root":
            measure(fg, bg or WHITE, 4.5, f"text colour of '{selector}'", line)
        for name, value in declarations.items():
            if name.startswith("border") and "rating" in selector:
                colour = _resolve(value, variables)
                if colour:
                    measure(colour, WHITE, 3.0, f"rating mark colour of '{selector}'", line)
    root_line = css.count("\n", 0, css.find("--")) + 1 if "--" in css else None
    if "text" in variables:
        for pale in [v for v in ("pale-grey",) if v in variables]:
            measure(variables["text"], variables[pale], 4.5, f"body text on --{pale} (callouts, contents)", root_line)
    for name, colour in variables.items():
        if name.startswith("rating-") or name in ("border", "brand-graphics"):
            measure(colour, WHITE, 3.0, f"graphics colour --{name}", root_line)
    return found
