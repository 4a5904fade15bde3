"""Load stage: a publication folder's files → plain Python data with file/line positions.

Takes a folder; returns a :class:`RawReport` (the parsed ``report.yaml``, a map from field
path to line number, and the folder). Nothing here knows what the fields mean: that is
``reportgen.content.model``. CSV tables are read here too, with pandas, because reading files is
this stage's job.
"""

from __future__ import annotations

import logging
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import Finding, InputError

LOG = logging.getLogger("reportgen.content")

REPORT_FILE = "report.yaml"

# Limits on what one publication may ask of a build (docs/limits.md). Each is far beyond any real
# publication and far below what would stall a build or the web app's home page.
MAX_FILE_BYTES = 5 * 1024 * 1024  # any text file the publication reads (CSV tables)
MAX_REPORT_BYTES = 2 * 1024 * 1024  # report.yaml: the largest sample is under 100 KB
MAX_YAML_VALUES = 100_000  # values in report.yaml once repeated parts (aliases) are written out
MAX_YAML_DEPTH = 50  # levels of nesting; the deepest sample has 12
MAX_LIST_ITEMS = 2_000  # items in any one list; long tables belong in a CSV file

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class RawReport:
    folder: Path
    source: Path  # the report.yaml file
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Line of the nearest enclosing node that has a position."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def pointer(path: Path_) -> str:
    """``("sections", 2, "blocks", 4, "alt")`` → ``sections[2].blocks[4].alt``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_regular_file(path: Path, what: str, limit: int) -> bytes:
    """The bytes of an ordinary file of at most ``limit`` bytes; never waits on a pipe or device."""
    shown = display_path(path)
    try:
        os.stat(path)
    except OSError:
        raise InputError.single(shown, f"{what} not found (expected a file here)") from None
    try:
        # Non-blocking, so that opening a named pipe returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError.single(shown, f"{what} cannot be opened ({exc.strerror}) — check it can be read") from None
    try:
        info = os.fstat(fd)  # of what was opened, not of what the name pointed to a moment ago
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "not an ordinary file")
            raise InputError.single(
                shown, f"{what} is {kind}, not an ordinary file — put the publication's text file here instead"
            )
        if info.st_size > limit:
            raise InputError.single(
                shown,
                f"{what} is {_megabytes(info.st_size)}; the limit is {_megabytes(limit)} — "
                "split the publication, or move long tables into CSV files",
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)  # the file may have grown since fstat
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise InputError.single(shown, f"{what} is larger than the limit of {_megabytes(limit)}")
    return raw


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is a zero."""
    head = raw[:400]
    return len(head) >= 4 and (
        head[1::2].count(0) > 0.4 * (len(head) // 2) or head[0::2].count(0) > 0.4 * (len(head) // 2)
    )


def read_text_file(path: Path, what: str, limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file, refusing empty, binary, huge, undecodable or special files clearly."""
    shown = display_path(path)
    raw = _read_regular_file(path, what, limit)
    if not raw:
        raise InputError.single(shown, f"{what} is empty — write the publication into it")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise InputError.single(
            shown,
            f'{what} is saved as UTF-16 ("Unicode" in some editors); save it as UTF-8 — in Notepad: '
            "File → Save as → Encoding: UTF-8",
        )
    if b"\x00" in raw:
        raise InputError.single(shown, f"{what} is not a text file (it contains binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(
            shown, f"{what} is not valid UTF-8 text (byte {exc.start}) — save it as UTF-8", line
        ) from None
    if not text.strip():
        raise InputError.single(shown, f"{what} is empty — write the publication into it")
    return text


class _PositionLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys (a silent overwrite loses data)."""


class _Budget:
    """How many values are left to construct; aliases make a small file expand to a huge one."""

    def __init__(self, source: str):
        self.source = source
        self.left = MAX_YAML_VALUES
        self.seen: set[int] = set()  # ids of nodes constructed once: met again, the node is an alias
        self.repeated = False

    def spend(self, node: yaml.Node, path: Path_) -> None:
        if id(node) in self.seen:
            self.repeated = True
        else:
            self.seen.add(id(node))
        self.left -= 1
        if self.left >= 0:
            return
        if self.repeated:
            message = (
                f"too many repeated parts (YAML aliases such as *name) — written out, the file would hold "
                f"more than {MAX_YAML_VALUES:,} values; write the repeated part out once, or repeat it less"
            )
        else:
            message = (
                f"more than {MAX_YAML_VALUES:,} values — split the publication, or move long tables into CSV files"
            )
        raise InputError.single(self.source, message, node.start_mark.line + 1, pointer(path))


# The tags a plain YAML file resolves to by itself. Anything else was written by hand
# (``!!python/object``, ``!include``, ``!!binary``) and means nothing in a publication.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int], budget: _Budget, depth: int = 0) -> Any:
    source = budget.source
    budget.spend(node, path)
    lines[path] = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise InputError.single(
            source,
            f"'{tag[:60]}' is a YAML tag, which report.yaml does not use — remove it and write the value "
            "itself (put text that starts with ! in quotes)",
            node.start_mark.line + 1,
            pointer(path),
        )
    if depth > MAX_YAML_DEPTH and not isinstance(node, yaml.ScalarNode):
        raise InputError.single(
            source,
            f"nested more than {MAX_YAML_DEPTH} levels deep — check the indentation and brackets here",
            node.start_mark.line + 1,
            pointer(path),
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # a list or mapping as a key: never meant
                raise InputError.single(
                    source,
                    "a field name must be plain text — check for a stray '?', '[' or '{' before the colon",
                    key_node.start_mark.line + 1,
                    pointer(path),
                )
            key = _PositionLoader.construct_object(_LOADER_FOR_SCALARS, key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise InputError.single(
                    source,
                    f"'{key}' is given twice in the same place — keep one",
                    key_node.start_mark.line + 1,
                    pointer(path),
                )
            child = (*path, key)
            result[key] = _construct(value_node, child, lines, budget, depth + 1)
            lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        if len(node.value) > MAX_LIST_ITEMS:
            raise InputError.single(
                source,
                f"this list has {len(node.value):,} items; the limit is {MAX_LIST_ITEMS:,} — "
                "split it, or move a long table into a CSV file",
                node.start_mark.line + 1,
                pointer(path),
            )
        return [_construct(item, (*path, i), lines, budget, depth + 1) for i, item in enumerate(node.value)]
    value = _LOADER_FOR_SCALARS.construct_object(node, deep=True)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError.single(
            source,
            f"'{node.value}' is not a number a reader can be given (YAML reads it as "
            f"{'not-a-number' if math.isnan(value) else 'infinity'}) — write the figure, or put text in quotes",
            node.start_mark.line + 1,
            pointer(path),
        )
    return value


_LOADER_FOR_SCALARS = _PositionLoader("")


# libyaml's parser, when PyYAML was built with it: the same nodes and marks, ten times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # parsed again below: the pure-Python parser's messages are the ones we explain
    return yaml.compose(text, Loader=_PositionLoader)


_TOO_DEEP = f"nested more than {MAX_YAML_DEPTH} levels deep — check the indentation and brackets"


def parse_yaml(text: str, source: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML text into data and a field-path → line map."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (the line to fix); the
        # problem mark is where the parser gave up, often the end of the file.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "not valid YAML"
        raise InputError.single(
            source, f"YAML syntax error: {what} — check indentation, colons and quotes", line
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.single(source, f"YAML error: {exc}") from None
    except RecursionError:  # brackets or indentation nested hundreds deep: the parser gives up
        raise InputError.single(source, _TOO_DEEP) from None
    if node is None:
        raise InputError.single(source, "the file holds no data")
    lines: dict[Path_, int] = {}
    try:
        data = _construct(node, (), lines, _Budget(source))
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError.single(source, f"YAML error: {exc.problem}", line) from None
    finally:
        _LOADER_FOR_SCALARS.constructed_objects.clear()  # the shared loader keeps no file's values
    return data, lines


def load_report_folder(folder: str | Path) -> RawReport:
    """Read ``report.yaml`` from a publication folder."""
    folder = Path(folder)
    if not folder.is_dir():
        if folder.name == REPORT_FILE and folder.exists():  # the file itself, even if not an ordinary one
            folder = folder.parent
        else:
            raise InputError.single(
                display_path(folder),
                f"not a publication folder — give the folder that holds {REPORT_FILE}",
            )
    source = folder / REPORT_FILE
    shown = display_path(source)
    text = read_text_file(source, REPORT_FILE, MAX_REPORT_BYTES)
    data, lines = parse_yaml(text, shown)
    if not isinstance(data, dict):
        raise InputError.single(shown, "expected the publication's fields (title: …, sections: …) at the top level", 1)
    LOG.debug("loaded %s (%d fields)", shown, len(data))
    return RawReport(folder=folder.resolve(), source=source, data=data, lines=lines)


def resolve_inside(folder: Path, name: str) -> Path | None:
    """Resolve ``name`` relative to ``folder``; None if it escapes the folder."""
    if not name or name.startswith(("/", "\\")) or ":" in name:
        return None
    candidate = (folder / name).resolve()
    try:
        candidate.relative_to(folder.resolve())
    except ValueError:
        return None
    return candidate


def read_csv_table(path: Path, required: list[str], source_for_errors: str) -> list[dict[str, Any]]:
    """Read a CSV table with pandas; every required column must be present.

    Values stay as written (strings), empty cells become None: the model decides types.
    """
    import pandas as pd

    shown = source_for_errors or display_path(path)
    text = read_text_file(path, "CSV file")
    from io import StringIO

    from reportgen.content.figures import FileProblem, check_csv_shape

    try:
        check_csv_shape(text)
    except FileProblem as exc:
        raise InputError.single(shown, str(exc)) from None

    try:
        frame = pd.read_csv(
            StringIO(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            index_col=False,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError.single(shown, f"not a readable CSV table: {exc}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    problems = [
        Finding(
            shown,
            1,
            "",
            f"missing column '{c}' — the header row has: {', '.join(frame.columns) or 'nothing'}",
        )
        for c in missing
    ]
    if problems:
        raise InputError(f"{shown}: the table cannot be read", tuple(problems))
    rows = []
    for record in frame.to_dict(orient="records"):
        rows.append({k: (v.strip() if v.strip() else None) for k, v in record.items()})
    return rows
