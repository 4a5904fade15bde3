"""A workspace: a folder with a ``reportgen.toml`` that says where a team's publications are.

:func:`find_workspace` looks for ``reportgen.toml`` from a folder upwards (as git looks for
``.git``); :func:`load_workspace` reads it with :mod:`tomllib` and validates every key,
collecting every problem as a :class:`~reportgen.errors.Finding` with the file, the line and
the key (``organisation.colours.text``), with "did you mean" for a misspelt key. Paths in the
file are relative to the folder it is in. Brand colours are refused unless they contrast
enough with white (WCAG 2.2: 4.5:1 for text, 3:1 for graphics).

The file::

    [workspace]
    publications = "data"          # one folder per publication, each with a report.yaml
    translations = "translations"  # the publications' catalogs
    out = "out"
    archive = "archive"
    templates = "templates"        # optional: files here override the built-in templates one by one
    languages = ["en-GB", "ar"]    # optional: what a build makes when no --lang is given

    [organisation]
    name = "…"
    contact = "…"
    address = ["…", "…"]          # the letterhead's address lines
    phone = "…"
    email = "…"
    website = "https://…"
    logo = "logo.svg"
    colours = { text = "#005eb8", graphics = "#005eb8" }
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.colours import contrast
from reportgen.errors import Finding, InputError
from reportgen.languages import LANGUAGES

FILENAME = "reportgen.toml"
WHITE = "#ffffff"
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0
_HEX = re.compile(r"#[0-9a-fA-F]{6}")

# key: (type, what it is) — the schema of reportgen.toml
_WORKSPACE_KEYS = {
    "publications": (str, "a folder, relative to reportgen.toml"),
    "translations": (str, "a folder, relative to reportgen.toml"),
    "out": (str, "a folder, relative to reportgen.toml"),
    "archive": (str, "a folder, relative to reportgen.toml"),
    "templates": (str, "a folder, relative to reportgen.toml"),
    "languages": (list, 'a list of language tags, e.g. ["en-GB", "ar"]'),
}
_ORGANISATION_KEYS = {
    "name": (str, "the organisation's name"),
    "contact": (str, "how to contact the organisation"),
    "address": (list, 'a list of address lines, e.g. ["County Hall", "Glenfield", "LE3 8RA"]'),
    "phone": (str, "a telephone number, e.g. 0116 225 6000"),
    "email": (str, "an email address"),
    "website": (str, "a web address starting with https://"),
    "logo": (str, "a logo file, relative to reportgen.toml"),
    "colours": (dict, 'a table, e.g. { text = "#005eb8", graphics = "#005eb8" }'),
}
_COLOUR_KEYS = {"text": TEXT_CONTRAST, "graphics": GRAPHICS_CONTRAST}
_TABLES = {"workspace": _WORKSPACE_KEYS, "organisation": _ORGANISATION_KEYS}


@dataclass(frozen=True)
class Organisation:
    name: str | None = None
    contact: str | None = None
    logo: Path | None = None
    colours: dict[str, str] = field(default_factory=dict)
    address: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    website: str | None = None

    def identity(self) -> Organisation:
        """This organisation with every part of the name block it does not set taken from the
        trust's own (:data:`TRUST`): what letterheads, covers and mastheads print."""
        return Organisation(
            name=self.name or TRUST.name,
            contact=self.contact,
            logo=self.logo,
            colours=self.colours,
            address=self.address or TRUST.address,
            phone=self.phone or TRUST.phone,
            email=self.email or TRUST.email,
            website=self.website or TRUST.website,
        )


# The trust reportgen was made for: the name block of every publication unless reportgen.toml
# says otherwise (its logo, the NHS's, is not ours to ship: a workspace names its own file).
TRUST = Organisation(
    name="Leicestershire Partnership NHS Trust",
    address=("Room 100/110 Pen Lloyd Building", "County Hall", "Glenfield", "Leicestershire", "LE3 8RA"),
    phone="0116 225 6000",
    email="LPT.feedback@nhs.net",
    website="https://www.leicspart.nhs.uk",
)


@dataclass(frozen=True)
class Workspace:
    root: Path
    publications: Path
    translations: Path
    out: Path
    archive: Path
    templates: Path | None = None
    languages: tuple[str, ...] = ()
    organisation: Organisation = Organisation()

    @property
    def file(self) -> Path:
        return self.root / FILENAME


def find_workspace(start: Path) -> Path | None:
    """The nearest folder from ``start`` upwards that holds a reportgen.toml, or None."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / FILENAME).is_file():
            return folder
    return None


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _line_of(lines: list[str], table: str, key: str | None) -> int | None:
    """The line of ``[table]`` or of ``key = …`` inside it (tomllib gives no positions)."""
    current = None
    header = None
    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] \t").split("#")[0].strip()
            if current == table:
                header = number
            continue
        if current == table and key is not None and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
        if current is None and key is None and stripped.startswith(f"{table}") and "=" in stripped:
            return number
    return header


def load_workspace(root: Path) -> Workspace:
    """Read and validate ``root/reportgen.toml``; every problem in one :class:`InputError` (exit 2)."""
    root = Path(root).resolve()
    path = root / FILENAME
    shown = str(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        match = re.search(r"line (\d+)", str(exc))
        line = line or (int(match.group(1)) if match else None)
        raise InputError.single(
            shown,
            f"not valid TOML: {exc} — check the quotes and = signs",
            line,
            headline="the workspace cannot be read",
        ) from None
    problems: list[Finding] = []

    def problem(table, key, message, line_key=None):
        pointer = f"{table}.{key}" if key else table
        problems.append(Finding(shown, _line_of(lines, table, line_key or key), pointer, message))

    for table, value in data.items():
        if table not in _TABLES:
            problem(
                table, None, f"unknown table{_did_you_mean(table, _TABLES)} — expected [workspace] or [organisation]"
            )
        elif not isinstance(value, dict):
            problem(table, None, f"must be a table: [{table}]")
    values: dict[str, dict] = {}
    for table, schema in _TABLES.items():
        given = data.get(table) if isinstance(data.get(table), dict) else {}
        values[table] = {}
        for key, value in given.items():
            if key not in schema:
                expected = ", ".join(schema)
                problem(table, key, f"unknown key{_did_you_mean(key, schema)} — expected one of: {expected}")
                continue
            kind, what = schema[key]
            if not isinstance(value, kind):
                problem(table, key, f"must be {what}")
                continue
            values[table][key] = value

    ws = values["workspace"]
    languages = ws.get("languages", [])
    for index, tag in enumerate(languages):
        if tag not in LANGUAGES:
            problems.append(
                Finding(
                    shown,
                    _line_of(lines, "workspace", "languages"),
                    f"workspace.languages[{index}]",
                    f"unknown language '{tag}'{_did_you_mean(str(tag), LANGUAGES)} — choose from {', '.join(LANGUAGES)}",
                )
            )
    templates = root / ws["templates"] if "templates" in ws else None
    if templates is not None and not templates.is_dir():
        problem("workspace", "templates", f"there is no folder {templates} — make it, or remove the key")

    org = values["organisation"]
    logo = root / org["logo"] if "logo" in org else None
    if logo is not None and not logo.is_file():
        problem("organisation", "logo", f"there is no file {logo} — check the name, relative to {FILENAME}")
    if "address" in org and not all(isinstance(line, str) and line.strip() for line in org["address"]):
        problem(
            "organisation",
            "address",
            'must be a list of address lines, each a text in quotes, e.g. ["County Hall", "LE3 8RA"]',
        )
    patterns = {
        "phone": (r"\+?[0-9 ]{6,20}", "digits and spaces, e.g. 0116 225 6000"),
        "email": (r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address, e.g. LPT.feedback@nhs.net"),
        "website": (r"https?://\S+", "a web address starting with https://"),
    }
    for key, (pattern, what) in patterns.items():
        if key in org and not re.fullmatch(pattern, org[key].strip()):
            problem("organisation", key, f"'{org[key]}' is not {what}")
    colours = {}
    for name, colour in org.get("colours", {}).items():
        where = f"colours.{name}"
        if name not in _COLOUR_KEYS:
            problem(
                "organisation",
                where,
                f"unknown colour{_did_you_mean(name, _COLOUR_KEYS)} — expected text or graphics",
                "colours",
            )
        elif not isinstance(colour, str) or not _HEX.fullmatch(colour):
            problem("organisation", where, 'must be a colour as "#rrggbb", e.g. "#005eb8"', "colours")
        else:
            ratio = contrast(colour.lower(), WHITE)
            if ratio < _COLOUR_KEYS[name]:
                use = "text" if name == "text" else "graphics (borders, chart bars, icons)"
                problem(
                    "organisation",
                    where,
                    f"{colour} has a contrast of {ratio:.2f}:1 against white; {use} need at least "
                    f"{_COLOUR_KEYS[name]:g}:1 (WCAG 2.2) — choose a darker shade",
                    "colours",
                )
            else:
                colours[name] = colour.lower()
    if problems:
        raise InputError(f"{shown}: {len(problems)} problem(s) — the workspace cannot be used", tuple(problems))
    return Workspace(
        root=root,
        publications=root / ws.get("publications", "data"),
        translations=root / ws.get("translations", "translations"),
        out=root / ws.get("out", "out"),
        archive=root / ws.get("archive", "archive"),
        templates=templates,
        languages=tuple(languages),
        organisation=Organisation(
            name=org.get("name"),
            contact=org.get("contact"),
            logo=logo,
            colours=colours,
            address=tuple(line.strip() for line in org.get("address", [])),
            phone=org.get("phone", "").strip() or None,
            email=org.get("email", "").strip() or None,
            website=org.get("website", "").strip() or None,
        ),
    )
