"""Incremental builds: a file whose inputs have not changed is not made again.

Beside every built file, ``out/<id>/.stamps/<file name>.json`` records what it was made
from (its *inputs*): a digest of every file in the publication's folder (report.yaml,
CSVs, images), of the templates and styles, of the language's catalogs, the font files
fontconfig picks for the trust's languages, a digest of reportgen's own code, the
versions of the libraries that shape the output, and the build's settings (language,
format, variant, ``--allow-partial``). It also records the file's size, time and sha256.

The next build computes the inputs again (no WeasyPrint, no layout: a few milliseconds)
and compares. When everything is the same and the file still holds the bytes it was built
with, the file is skipped and the build says so; otherwise it says what changed, e.g.
``report.yaml changed`` or ``translations ar/ui.po changed``. ``--force`` builds anyway.

Digests of input files are cached within a process by path, size and modification time.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportgen import formats as registry
from reportgen import settings
from reportgen.build import sources
from reportgen.colours import brand_graphics_colour, brand_text_colour
from reportgen.files import write_atomically

STAMPS = ".stamps"
STAMP_VERSION = 1
LIBRARIES = (
    "weasyprint",
    "pydyf",
    "pikepdf",
    "fonttools",
    "jinja2",
    "babel",
    "markdown-it-py",
    "pyyaml",
    "pydantic",
    "pandas",
)


@dataclass(frozen=True)
class Decision:
    """Whether one output must be built, and why (or why not)."""

    path: Path
    fresh: bool  # True: the file is up to date and is skipped
    reason: str  # "up to date", or what changed, for the person building
    untranslated: tuple[str, ...] = ()  # as recorded when it was built (fresh files only)
    seconds: float | None = None  # how long it took last time (to schedule long work first)


# ---------------------------------------------------------------------------------------
# Inputs


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _digest(path: str, _size: int, _mtime_ns: int) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _tree(label: str, files) -> dict[str, str]:
    """``label/relative path`` → sha256 for each of ``files`` (see :mod:`reportgen.build.sources`)."""
    return {f"{label}/{name}": file_digest(path) for name, path in files}


@lru_cache(maxsize=1)
def code_files() -> list[Path]:
    """Every module of reportgen (all its stage packages, not only this one)."""
    import reportgen

    return sorted(Path(reportgen.__file__).resolve().parent.rglob("*.py"))


def code_inputs() -> dict[str, str]:
    """reportgen's own code (one digest) and the versions of the libraries that shape the output."""
    import reportgen
    from reportgen import __version__

    package = Path(reportgen.__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in code_files():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    found = {"code/reportgen": f"{__version__}+{digest.hexdigest()[:16]}", "library/python": platform.python_version()}
    installed = _installed_versions()
    for name in LIBRARIES:
        found[f"library/{name}"] = installed.get(_normalise(name)) or _metadata_version(name)
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed_versions() -> dict[str, str]:
    """Name → version of every wheel-installed distribution, read from the names of the
    ``<name>-<version>.dist-info`` folders on sys.path (first one wins, as for imports).
    One directory listing per path entry, where importlib.metadata reads every
    distribution's METADATA file (50 ms at every command's start)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem = folder[: -len(".dist-info")] if folder.endswith(".dist-info") else ""
            if stem.count("-") == 1:
                name, version = stem.split("-")
                found.setdefault(_normalise(name), version)
    return found


def _metadata_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def font_inputs() -> dict[str, str]:
    """The font files fontconfig picks for every language's stack: path → size and time."""
    from reportgen.fonts import fontconfig
    from reportgen.languages import LANGUAGES

    found = {}
    families = sorted({family for lang in LANGUAGES.values() for family in lang.fonts})
    for family in families:
        faces = fontconfig.family_faces(family)
        if not faces:
            found[f"font/{family}"] = "missing"
        for path, index, _weight, _style in faces:
            try:
                stat = os.stat(path)
                found[f"font/{path}#{index}"] = f"{stat.st_size}:{stat.st_mtime_ns}"
            except OSError:
                found[f"font/{path}#{index}"] = "missing"
    return found


def catalog_inputs(lang: str, report_id: str, source_language: str) -> dict[str, str]:
    """The catalogs a translated edition reads: the page furniture's and the publication's.

    Only the .po files: builds compile them in memory, so a .mo file is never an input.
    """
    from reportgen.i18n.paths import UI_DOMAIN, po_path

    if lang == source_language:
        return {}
    found = {}
    for domain in (UI_DOMAIN, report_id):
        path = po_path(lang, domain)
        found[f"catalog/{path.parent.parent.name}/{path.name}"] = file_digest(path) if path.is_file() else "missing"
    return found


def publication_inputs(folder: Path, out_dir: Path | None = None) -> dict[str, str]:
    """Every file in the publication's folder (but an output folder inside it), by digest."""
    return _tree("publication", sources.publication_files(folder, out_dir))


def shared_inputs(folder: Path, out_dir: Path | None = None) -> dict[str, str]:
    """What every edition of a publication depends on: its folder, templates, fonts, code."""
    return (
        publication_inputs(folder, out_dir)
        | _tree("templates", sources.template_files())
        | font_inputs()
        | code_inputs()
    )


def edition_inputs(
    shared: dict[str, str],
    *,
    lang: str,
    fmt: str,
    report_id: str,
    source_language: str,
    variant: str | None,
    allow_partial: bool,
    pdf_standard: str | None = None,
) -> dict[str, str]:
    current = settings.current()
    # The workspace's brand colours shape every page; recorded only when set, so other stamps stay as they were.
    colour = brand_text_colour(current.organisation.colours)
    graphics = brand_graphics_colour(current.organisation.colours)
    brand = ({"setting/brand-text-colour": colour} if colour else {}) | (
        {"setting/brand-graphics-colour": graphics} if graphics else {}
    )
    # Only a non-default standard is recorded, so stamps of UA-1 builds stay as they were.
    standard = {"setting/pdf-standard": pdf_standard} if pdf_standard not in (None, "ua-1") else {}
    return (
        shared
        | catalog_inputs(lang, report_id, source_language)
        | {
            "setting/language": lang,
            "setting/format": fmt,
            "setting/variant": variant or "",
            "setting/allow-partial": "yes" if allow_partial else "no",
        }
        | {f"setting/{name}": str(getattr(current, name)) for name in registry.get(fmt).settings}
        | standard
        | brand
    )


# ---------------------------------------------------------------------------------------
# Stamps


def stamp_path(output: Path) -> Path:
    return output.parent / STAMPS / f"{output.name}.json"


def decide(output: Path, inputs: dict[str, str], *, force: bool = False) -> Decision:
    """Is ``output`` up to date with ``inputs``? Says why not."""
    try:
        stamp = json.loads(stamp_path(output).read_text(encoding="utf-8"))
    except FileNotFoundError:
        stamp, why = None, "not built before" if not output.exists() else "no record of how it was built"
    except (OSError, ValueError):
        stamp, why = None, "its build record is unreadable"
    if stamp is not None and (
        not isinstance(stamp, dict)
        or stamp.get("version") != STAMP_VERSION
        or not isinstance(stamp.get("inputs"), dict)
    ):
        stamp, why = None, "built by another version of reportgen"
    seconds = stamp.get("seconds") if stamp is not None else None  # to schedule long work first
    if force:
        return Decision(output, False, "rebuild asked for (--force)", seconds=seconds)
    if stamp is None:
        return Decision(output, False, why)
    if not output.is_file():
        return Decision(output, False, "the file is missing", seconds=seconds)
    if not _same_file(output, stamp):
        return Decision(output, False, "the file was changed after it was built", seconds=seconds)
    changes = explain(stamp["inputs"], inputs)
    if changes:
        return Decision(output, False, changes, seconds=seconds)
    return Decision(output, True, "up to date", tuple(stamp.get("untranslated") or ()), seconds)


def _same_file(output: Path, stamp: dict) -> bool:
    stat = output.stat()
    if stat.st_size != stamp.get("size"):
        return False
    if stat.st_mtime_ns == stamp.get("mtime_ns"):
        return True
    return file_digest(output) == stamp.get("sha256")  # touched or copied: compare the bytes


def record(
    output: Path,
    data: bytes,
    inputs: dict[str, str],
    *,
    untranslated: tuple[str, ...] = (),
    seconds: float | None = None,
) -> None:
    """Write the stamp of a file just written (or found to hold these bytes already)."""
    stat = output.stat()
    stamp = {
        "version": STAMP_VERSION,
        "file": output.name,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": hashlib.sha256(data).hexdigest(),
        "seconds": None if seconds is None else round(seconds, 3),
        "untranslated": list(untranslated),
        "inputs": dict(sorted(inputs.items())),
    }
    write_atomically(stamp_path(output), (json.dumps(stamp, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


# ---------------------------------------------------------------------------------------
# Saying what changed


def explain(old: dict[str, str], new: dict[str, str], limit: int = 3) -> str:
    """What differs between two sets of inputs, in words; empty when nothing does."""
    changes = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before != after:
            changes.append(_describe(key, before, after))
    changes = list(dict.fromkeys(changes))  # one line for the code, however many files
    if len(changes) > limit:
        return "; ".join(changes[:limit]) + f"; and {len(changes) - limit} more"
    return "; ".join(changes)


def _describe(key: str, before: str | None, after: str | None) -> str:
    kind, _, name = key.partition("/")
    if kind == "code":
        return "reportgen's code changed"
    if kind == "library":
        return f"{name} {before or 'absent'} → {after or 'absent'}"
    if kind == "setting":
        return f"{name} was {before or 'unset'}, now {after or 'unset'}"
    what = {"publication": "", "templates": "template ", "catalog": "translations ", "font": "font "}.get(kind, "")
    if before is None or before == "missing":
        return f"{what}{name} is new"
    if after is None or after == "missing":
        return f"{what}{name} was removed"
    return f"{what}{name} changed"
