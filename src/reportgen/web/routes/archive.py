"""The archive: searching the published versions, downloading one, and verifying them all."""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reportgen.archive.store import REPORT_ID, ArchiveError
from reportgen.errors import ReportgenError
from reportgen.languages import LANGUAGES
from reportgen.web.site import checked_form, render, site_of


async def archive_page(request: Request):
    query = request.query_params
    filters = {key: (query.get(key) or "").strip() or None for key in ("report", "lang", "period", "since", "until")}
    errors = []
    if filters["lang"] and filters["lang"] not in LANGUAGES:
        errors.append(("filter-lang", "Choose a language from the list."))
    for key in ("since", "until"):
        if filters[key] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", filters[key]):
            errors.append((f"filter-{key}", "Write the date as YYYY-MM-DD, for example 2025-06-30."))
    versions, notice = [], ""
    if not errors:
        try:
            versions = await run_in_threadpool(site_of(request).archive.search, **filters)
        except ArchiveError as exc:
            notice = str(exc)
        except ReportgenError as exc:
            errors.append(("filter-since", str(exc)))
    return render(
        request,
        "archive.html",
        400 if errors else 200,
        versions=versions,
        filters=filters,
        errors=errors,
        notice=notice,
    )


async def archive_file(request: Request):
    report_id, tag, number = (
        request.path_params["report_id"],
        request.path_params["lang"],
        request.path_params["version"],
    )
    if not REPORT_ID.match(report_id) or tag not in LANGUAGES or not re.fullmatch(r"[1-9][0-9]{0,6}", number):
        raise HTTPException(404, "There is no such archived file.")
    archive = site_of(request).archive
    try:
        version = await run_in_threadpool(archive.find, report_id, tag, int(number))
        data = await run_in_threadpool(archive.read, version)
    except ArchiveError as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{version.file_name}"'},
    )


async def archive_verify(request: Request):
    await checked_form(request)
    try:
        result = await run_in_threadpool(site_of(request).archive.verify)
        notice = ""
    except ArchiveError as exc:
        result, notice = None, str(exc)
    return render(request, "verify.html", result=result, notice=notice)


ROUTES = [
    Route("/archive", archive_page),
    Route("/archive/files/{report_id}/{lang}/{version}", archive_file),
    Route("/archive/verify", archive_verify, methods=["POST"]),
]
