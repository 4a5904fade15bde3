"""Editing a publication in the browser: forms made from its report.yaml, a preview, saving
with a history of versions, and a way back to any of them.

The form shows every value of report.yaml as a field named by its place (``sections[0].title``);
a posted field may only name a value that is already there. Structure changes (add, move,
remove a block or section) apply to a draft the form carries (the YAML text, hidden), so
nothing is saved until "Save". Saving checks the draft with the same loader and model as the
command line, refuses a save made from an older version than the file's (and shows what
changed), writes report.yaml atomically with ruamel.yaml (comments and order kept) and keeps
every version in ``OUT/editor-history/NAME/``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import json
import re
import tempfile
import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

from reportgen.content.load import MAX_REPORT_BYTES, REPORT_FILE, RawReport, parse_yaml
from reportgen.content.model import validate_report
from reportgen.errors import Finding, ReportgenError
from reportgen.files import write_atomically
from reportgen.web import Config, csrf
from reportgen.web.routes.publications import OUTPUT_CSP
from reportgen.web.site import publication_folder, render, site_of, summary_of

MAX_FIELDS = 5_000  # fields in one posted editor form (the largest sample has under 1,500 values)
MAX_FIELD_CHARS = 20_000  # characters in one field: a long paragraph is under 2,000
FIELD_PREFIX = "f:"
PLACE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,60}(?:\[\d{1,5}\]|\.[A-Za-z_][A-Za-z0-9_]{0,60}){0,60}$")
PART = re.compile(r"\[(\d+)\]|\.?([A-Za-z_][A-Za-z0-9_]*)")
STRUCTURE_LISTS = ("blocks", "sections")
NEW_BLOCK = {"type": "paragraph", "text": "New paragraph: write it here."}


class Refused(Exception):
    """A posted form the editor will not use; the message says why, for the person who sent it."""


# -- YAML, round trip ------------------------------------------------------------------------


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap an author's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)  # the samples' style: "  - type: paragraph"
    return yaml


def load_text(text: str, source: str):
    """Round-trip data of a report.yaml text, after the project's own loader has accepted its size,
    depth and counts (docs/limits.md), so ruamel never reads what the loader would refuse."""
    if len(text.encode("utf-8")) > MAX_REPORT_BYTES:
        raise Refused(f"The publication would be larger than {MAX_REPORT_BYTES // 1024 // 1024} MB, the most allowed.")
    try:
        parse_yaml(text, source)
    except ReportgenError as exc:
        raise Refused("; ".join(p.message for p in exc.problems) or str(exc)) from None
    return _yaml().load(text)


def dump_text(data) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- places in the data ----------------------------------------------------------------------


def place_of(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_place(text: str) -> tuple:
    if not PLACE.match(text):
        raise Refused(f"'{text[:80]}' is not a place in the publication.")
    return tuple(int(i) if i else name for i, name in PART.findall(text))


def field_id(path: tuple) -> str:
    return "f-" + "-".join(str(p) for p in path) if path else "editor-form"


def node_at(data, path: tuple):
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                raise KeyError(part)
        elif not isinstance(node, dict) or part not in node:
            raise KeyError(part)
        node = node[part]
    return node


def is_leaf(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, dt.date))


def typed(old, text: str):
    """A posted value back in the type the file had there (a number stays a number)."""
    if isinstance(old, bool):
        return {"true": True, "false": False}.get(text, text)
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text
    if isinstance(old, dt.date):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if old is None and text == "":
        return None
    return text


def tree(node, path=()) -> dict:
    """What the form shows of one value: a field, or a group of fields, with its actions."""
    label = ""
    if path:
        last = path[-1]
        if isinstance(last, int):
            parent = path[-2] if len(path) > 1 else ""
            label = {"blocks": "Block", "sections": "Section"}.get(parent, "Item") + f" {last + 1}"
        else:
            label = last.replace("_", " ").capitalize()
    entry = {"path": path, "place": place_of(path), "id": field_id(path), "label": label or "publication"}
    if is_leaf(node):
        value = "" if node is None else ("true" if node is True else "false" if node is False else str(node))
        return {**entry, "kind": "leaf", "value": value, "long": len(value) > 60 or path[-1:] == ("text",)}
    if isinstance(node, list):
        children = [tree(item, (*path, i)) for i, item in enumerate(node)]
        movable = bool(path) and path[-1] in STRUCTURE_LISTS
        return {**entry, "kind": "list", "children": children, "movable": movable, "count": len(node)}
    children = [tree(value, (*path, key)) for key, value in node.items()]
    heading = node.get("type") or node.get("title") or ""
    return {**entry, "kind": "map", "children": children, "heading": str(heading)[:80]}


# -- the posted form -------------------------------------------------------------------------


async def editor_form(request: Request):
    site = site_of(request)
    form = await request.form(max_files=0, max_fields=MAX_FIELDS + 10, max_part_size=MAX_REPORT_BYTES + 1024)
    if not csrf.valid(site.config.secret, request.cookies.get(csrf.SESSION_COOKIE), form.get(csrf.TOKEN_FIELD)):
        raise HTTPException(
            403,
            "This form has expired or did not come from this site (its security token does not match). "
            "Go back, reload the page and try again.",
        )
    return form


def apply_form(form, saved_text: str, source: str):
    """The draft (from the form, else the saved file) with the posted fields put in their places."""
    draft_text = str(form.get("draft") or saved_text)
    data = load_text(draft_text, source)
    fields = [(k, v) for k, v in form.multi_items() if k.startswith(FIELD_PREFIX)]
    if len(fields) > MAX_FIELDS:
        raise Refused(f"The form has {len(fields)} fields; the editor takes at most {MAX_FIELDS}.")
    for key, value in fields:
        value = str(value)
        if len(value) > MAX_FIELD_CHARS:
            raise Refused(
                f"The field {key[len(FIELD_PREFIX) :][:80]} has {len(value):,} characters; one field takes at most "
                f"{MAX_FIELD_CHARS:,}. Split the text into several paragraphs."
            )
        path = parse_place(key[len(FIELD_PREFIX) :])
        try:
            parent = node_at(data, path[:-1])
            old = node_at(data, path)
        except KeyError:
            raise Refused(f"The form names {place_of(path)[:80]}, which the publication does not have.") from None
        if not is_leaf(old):
            raise Refused(f"{place_of(path)[:80]} is a group of fields, not one value.")
        new = typed(old, value.replace("\r\n", "\n").strip())
        if isinstance(old, str) and isinstance(new, str):
            if new == old.strip():
                continue  # unchanged (the form trims what the loader trims anyway)
            if type(old) is not str:  # a block (|) or quoted string keeps its style
                new = type(old)(new + ("\n" if old.endswith("\n") else ""))
        if new != old:
            parent[path[-1]] = new
    return data


def apply_action(data, action: str) -> str:
    """Add, move or remove a block or section; returns what to say about it."""
    verb, _, place = action.partition(":")
    path = parse_place(place) if place else ()
    try:
        target = node_at(data, path)
    except KeyError:
        raise Refused(f"The form names {place[:80]}, which the publication does not have.") from None
    if verb in ("add-block", "add-section"):
        if not isinstance(target, list) or not path or path[-1] not in STRUCTURE_LISTS:
            raise Refused("Blocks and sections can only be added to a list of blocks or sections.")
        target.append(dict(NEW_BLOCK) if verb == "add-block" else {"title": "New section", "blocks": [dict(NEW_BLOCK)]})
        return f"Added a {'paragraph' if verb == 'add-block' else 'section'} at the end; it is not saved yet."
    if verb in ("up", "down", "remove"):
        if len(path) < 2 or path[-2] not in STRUCTURE_LISTS or not isinstance(path[-1], int):
            raise Refused("Only blocks and sections can be moved or removed.")
        items, index = node_at(data, path[:-1]), path[-1]
        if verb == "remove":
            del items[index]
            return "Removed; it is not saved yet."
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        return "Moved; it is not saved yet."
    raise Refused("The form asked for something the editor does not do.")


# -- checking and the history ----------------------------------------------------------------


def problems_of(folder: Path, text: str) -> list:
    """The loader's and the model's problems with a draft, as the command line reports them."""
    source = f"{folder.name}/{REPORT_FILE}"
    size = len(text.encode("utf-8"))
    if size > MAX_REPORT_BYTES:
        return [
            Finding(
                source,
                None,
                "",
                f"the publication would be {size / 1024 / 1024:.1f} MB; report.yaml may be at most "
                f"{MAX_REPORT_BYTES // 1024 // 1024} MB — move long tables into CSV files",
            )
        ]
    try:
        data, lines = parse_yaml(text, source)
        if not isinstance(data, dict):
            raise Refused("The publication's fields are missing.")
        validate_report(RawReport(folder=folder.resolve(), source=folder / REPORT_FILE, data=data, lines=lines))
    except ReportgenError as exc:
        return list(exc.problems)
    return []


def error_links(problems, data) -> list[tuple[str, str]]:
    """(field id, message) for each problem: the field it is about, or the nearest group that exists."""
    out = []
    for problem in problems:
        try:
            path = parse_place(problem.pointer) if problem.pointer else ()
        except Refused:
            path = ()
        while path:
            try:
                node_at(data, path)
                break
            except KeyError:
                path = path[:-1]
        where = f"{problem.pointer}: " if problem.pointer else ""
        out.append((field_id(path), f"{where}{problem.message}"))
    return out


def history_dir(config: Config, name: str) -> Path:
    return config.out_dir / "editor-history" / name


def versions(config: Config, name: str) -> list[dict]:
    folder = history_dir(config, name)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(out, key=lambda v: v["version"])


def version_text(config: Config, name: str, number: int) -> str:
    path = history_dir(config, name) / f"{number:05d}.yaml"
    if not path.is_file():
        raise HTTPException(404, f"There is no version {number} of this publication.")
    return path.read_text(encoding="utf-8")


def keep_version(config: Config, name: str, text: str, user: str, note: str, stale: list) -> dict:
    known = versions(config, name)
    number = known[-1]["version"] + 1 if known else 0
    folder = history_dir(config, name)
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "version": number,
        "user": user,
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "sha": digest(text),
        "note": note,
        "stale": stale,
    }
    write_atomically(folder / f"{number:05d}.yaml", text.encode("utf-8"))
    write_atomically(folder / f"{number:05d}.json", json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return record


def stale_translations(config: Config, report_file: Path, before: str, after: str) -> list[str]:
    """Languages whose translated passages no longer match the source after this save
    (``reportgen i18n status`` then counts them as not translated)."""
    from reportgen.i18n.catalogs import coverage, extract_content
    from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE

    def ids(template):
        return {(m.id, m.context) for m in template if m.id}

    if before == after:
        return []
    report_id = str((load_text(after, REPORT_FILE) or {}).get("id", ""))
    template_after = extract_content(report_file)
    removed = None
    out = []
    for tag in LANGUAGES:
        if tag == SOURCE_LANGUAGE:
            continue
        now = coverage(template_after, tag, report_id, config.translations_dir)
        if not now.exists:
            continue
        if removed is None:  # the passages this save changed: the old file's texts that are gone
            with tempfile.TemporaryDirectory(prefix="reportgen-editor-") as temp:
                old = Path(temp) / REPORT_FILE
                old.write_text(before, encoding="utf-8")
                removed = ids(extract_content(old)) - ids(template_after)
        if removed:
            out.append(tag)
    return out


# One save at a time: the version check and the write must not interleave (the server is one process).
SAVING = threading.Lock()


def save(config: Config, name: str, folder: Path, text: str, base: str, user: str, note: str) -> dict:
    """Write report.yaml if it is still the version the form started from; keep the version."""
    with SAVING:
        return _save(config, name, folder, text, base, user, note)


def _save(config: Config, name: str, folder: Path, text: str, base: str, user: str, note: str) -> dict:
    report_file = folder / REPORT_FILE
    current = report_file.read_text(encoding="utf-8")
    if digest(current) != base:
        return {"conflict": current}
    if not versions(config, name):
        keep_version(config, name, current, "", "as it was before editing in the browser", [])
    write_atomically(report_file, text.encode("utf-8"))
    stale = stale_translations(config, report_file, current, text)
    return {"record": keep_version(config, name, text, user, note, stale)}


def changes(config: Config, name: str, base: str, current: str) -> str:
    """What changed between the version a form started from and the file now."""
    older = next((version_text(config, name, v["version"]) for v in versions(config, name) if v["sha"] == base), "")
    return "".join(
        difflib.unified_diff(
            older.splitlines(keepends=True), current.splitlines(keepends=True), "when you started", "saved since"
        )
    )


# -- pages -----------------------------------------------------------------------------------


async def _page(request: Request, data, base: str, status: int = 200, **context):
    summary = await summary_of(request)
    config = site_of(request).config
    context.setdefault("conflict", "")
    history = await run_in_threadpool(versions, config, summary["name"])
    return render(
        request,
        "edit.html",
        status,
        summary=summary,
        form=tree(data),
        draft=dump_text(data),
        base=base,
        history=history,
        **context,
    )


def _saved_message(config: Config, name: str, number: str) -> tuple[str, list]:
    record = next((v for v in versions(config, name) if str(v["version"]) == number), None)
    if record is None:
        return "", []
    return f"Saved as version {record['version']}.", record.get("stale", [])


async def edit(request: Request):
    folder = publication_folder(request)
    config = site_of(request).config
    name = request.path_params["name"]
    text = (folder / REPORT_FILE).read_text(encoding="utf-8")
    try:
        data = load_text(text, REPORT_FILE)
    except Refused as exc:
        raise HTTPException(422, f"report.yaml cannot be edited here until it can be read: {exc}") from None
    message, stale = await run_in_threadpool(_saved_message, config, name, request.query_params.get("saved", ""))
    return await _page(request, data, digest(text), message=message, stale=stale)


async def edit_post(request: Request):
    folder = publication_folder(request)
    site = site_of(request)
    name = request.path_params["name"]
    form = await editor_form(request)
    saved_text = (folder / REPORT_FILE).read_text(encoding="utf-8")
    base = str(form.get("base", ""))[:64]
    try:
        data = apply_form(form, saved_text, REPORT_FILE)
        action = str(form.get("action", "save"))[:200]
        if action not in ("save", "preview"):
            message = apply_action(data, action)
            return await _page(request, data, base, message=message, stale=[])
    except Refused as exc:
        try:
            data = load_text(saved_text, REPORT_FILE)
        except Refused:
            raise HTTPException(400, str(exc)) from None
        return await _page(
            request, data, digest(saved_text), 400, errors=[("editor-form", f"{exc} Nothing was saved.")]
        )
    text = dump_text(data)
    problems = await run_in_threadpool(problems_of, folder, text)
    if problems:
        return await _page(request, data, base, 422, errors=error_links(problems, data), message="", stale=[])
    if action == "preview":
        try:
            html = await run_in_threadpool(_preview_html, folder, text)
        except ReportgenError as exc:
            links = error_links(exc.problems, data) or [("editor-form", str(exc))]
            return await _page(request, data, base, 422, errors=links, message="", stale=[])
        remember_preview(request, name, html)
        return await _page(request, data, base, preview=True, message="Preview below; nothing is saved yet.", stale=[])
    user = request.state.user or "someone (sign-in is not used)"
    outcome = await run_in_threadpool(save, site.config, name, folder, text, base, user, "saved in the editor")
    if "conflict" in outcome:
        diff = await run_in_threadpool(changes, site.config, name, base, outcome["conflict"])
        return await _page(
            request,
            data,
            digest(outcome["conflict"]),
            409,
            errors=[("conflict", "Someone else saved this publication after you started editing. Nothing was saved.")],
            conflict=diff or "(the file was changed outside the editor)",
            stale=[],
        )
    return RedirectResponse(f"/reports/{name}/edit?saved={outcome['record']['version']}", status_code=303)


def _preview_html(folder: Path, text: str) -> str:
    """The draft as the web page edition (source language), to show in a frame that runs nothing."""
    from reportgen.render.html import render_html
    from reportgen.survey.variants import prepare_variant

    data, lines = parse_yaml(text, REPORT_FILE)
    raw = RawReport(folder=folder.resolve(), source=folder / REPORT_FILE, data=data, lines=lines)
    report = validate_report(raw)
    variant = prepare_variant(report, raw, None)  # a survey report: its figures from its data table
    return render_html(
        variant.specialise(report), folder.resolve(), lang=report.language, extra=variant.context(report.language)
    )


# The last previewed draft of each session and publication (the newest few only).
PREVIEWS: dict[tuple[str, str], str] = {}
MAX_PREVIEWS = 20


def remember_preview(request: Request, name: str, html: str) -> None:
    PREVIEWS.pop((request.state.session_id, name), None)
    PREVIEWS[(request.state.session_id, name)] = html
    while len(PREVIEWS) > MAX_PREVIEWS:
        PREVIEWS.pop(next(iter(PREVIEWS)))


async def preview_frame(request: Request):
    """This session's last previewed draft (else the saved file), as a page of its own: the
    editor shows it in a frame, and it may run nothing."""
    folder = publication_folder(request)
    html = PREVIEWS.get((request.state.session_id, request.path_params["name"]))
    if html is None:
        text = (folder / REPORT_FILE).read_text(encoding="utf-8")
        try:
            html = await run_in_threadpool(_preview_html, folder, text)
        except ReportgenError:
            raise HTTPException(422, "The saved publication has problems: open the editor to see them.") from None
    return HTMLResponse(html, headers={"Content-Security-Policy": OUTPUT_CSP})


async def history_page(request: Request):
    name = request.path_params["name"]
    config = site_of(request).config
    number = request.path_params["number"]
    text = await run_in_threadpool(version_text, config, name, number)
    record = next((v for v in versions(config, name) if v["version"] == number), None)
    if record is None:
        raise HTTPException(404, f"There is no version {number} of this publication.")
    current = (publication_folder(request) / REPORT_FILE).read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            current.splitlines(keepends=True), text.splitlines(keepends=True), "now", f"version {number}"
        )
    )
    return render(
        request, "edit_version.html", summary=await summary_of(request), record=record, diff=diff, base=digest(current)
    )


async def restore(request: Request):
    folder = publication_folder(request)
    site = site_of(request)
    name = request.path_params["name"]
    number = request.path_params["number"]
    form = await editor_form(request)
    text = await run_in_threadpool(version_text, site.config, name, number)
    problems = await run_in_threadpool(problems_of, folder, text)
    if problems:
        raise HTTPException(422, f"Version {number} cannot be restored: {problems[0]}")
    user = request.state.user or "someone (sign-in is not used)"
    outcome = await run_in_threadpool(
        save, site.config, name, folder, text, str(form.get("base", ""))[:64], user, f"restored version {number}"
    )
    if "conflict" in outcome:
        raise HTTPException(
            409, "Someone saved this publication since you opened this version: open the history again and retry."
        )
    return RedirectResponse(f"/reports/{name}/edit?saved={outcome['record']['version']}", status_code=303)


ROUTES = [
    Route("/reports/{name}/edit", edit),
    Route("/reports/{name}/edit", edit_post, methods=["POST"]),
    Route("/reports/{name}/edit/preview", preview_frame),
    Route("/reports/{name}/edit/versions/{number:int}", history_page),
    Route("/reports/{name}/edit/versions/{number:int}/restore", restore, methods=["POST"]),
]
