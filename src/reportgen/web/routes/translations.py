"""Translations: a publication's translation state, making a translation request (and
downloading its files), and importing a returned .po or .xlf file."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from reportgen.web import Config
from reportgen.web.imports import import_upload
from reportgen.web.site import (
    checked_form,
    inside,
    is_translation_lang,
    known_lang,
    publication_folder,
    render,
    report_of,
    site_of,
    summary_of,
)

UPLOAD_SUFFIXES = (".po", ".xlf", ".xliff")


# A file a little over the limit (someone chose the proof PDF, or a zip) is read and thrown
# away before the page answers: a browser whose upload is cut off mid-way shows "connection
# reset" instead of our message. Anything larger than this many times the limit is not read.
DRAIN_FACTOR = 8


async def discard_body(request: Request, length: int) -> None:
    """Read and drop at most ``length`` bytes of the request body, so the answer reaches the browser."""
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > length:
            break


async def translations(request: Request):
    return render(request, "translations.html", summary=await summary_of(request))


def requests_dir(config: Config) -> Path:
    """Where translation requests are made, one folder per publication and language."""
    return config.out_dir / "translation-requests"


async def translation_request(request: Request):
    site = site_of(request)
    folder = publication_folder(request)
    form = await checked_form(request)
    tag = str(form.get("lang", ""))
    summary = await summary_of(request)
    if not is_translation_lang(tag):
        return render(
            request,
            "translations.html",
            400,
            summary=summary,
            errors=[("request-lang", "Choose the language to translate into.")],
        )
    outcome = await site.jobs.run("reportgen.build.requests:make_request", folder, tag, requests_dir(site.config))
    if outcome[0] != "ok":
        return render(
            request,
            "translations.html",
            400,
            summary=summary,
            errors=[("request-lang", str(outcome[1]))],
            problems=outcome[2] if len(outcome) > 2 else (),
        )
    package = outcome[1]
    files = [{"name": p.name, "size": p.stat().st_size} for p in package.files]
    return render(request, "request.html", summary=summary, package=package, files=files)


async def request_file(request: Request):
    tag, file = known_lang(request.path_params["lang"]), request.path_params["file"]
    report = report_of(request)
    path = inside(requests_dir(site_of(request).config) / f"{report.id}.{tag}", file)
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


async def translation_import(request: Request):
    site = site_of(request)
    summary = await summary_of(request)
    limit = site.config.max_upload
    too_big = (
        f"The file is larger than {limit // 1024 // 1024} MB, the most this page accepts. Check that "
        "it is the returned .po or .xlf file (not a zip or the proof PDF)."
    )
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > limit + 64 * 1024:
        if length.isdigit() and int(length) <= DRAIN_FACTOR * limit:
            await discard_body(request, int(length))
        return render(request, "translations.html", 413, summary=summary, errors=[("upload-file", too_big)])
    form = await checked_form(request, max_files=1)
    tag, upload = str(form.get("lang", "")), form.get("file")
    errors = []
    if not is_translation_lang(tag):
        errors.append(("upload-lang", "Choose the language the file is in."))
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.append(("upload-file", "Choose the returned .po or .xlf file."))
    elif not upload.filename.lower().endswith(UPLOAD_SUFFIXES):
        errors.append(("upload-file", "The file must be a .po or .xlf file returned from a translation request."))
    if errors:
        return render(request, "translations.html", 400, summary=summary, errors=errors)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        return render(request, "translations.html", 413, summary=summary, errors=[("upload-file", too_big)])
    # Stored under a name of our own making, in a fresh folder: the uploaded name is only shown.
    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(upload.filename).name)[-100:].lstrip(".") or "upload"
    suffix = Path(upload.filename).suffix.lower()
    temp = Path(tempfile.mkdtemp(prefix="reportgen-upload-"))
    try:
        path = temp / (base if base.lower().endswith(suffix) else base + suffix)
        path.write_bytes(data)
        page = await run_in_threadpool(import_upload, path, tag)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    summary = await summary_of(request)  # again: the import has changed its coverage
    return render(
        request,
        "import.html",
        200 if page.result is not None else 422,
        summary=summary,
        page=page,
        filename=upload.filename,
        tag=tag,
    )


ROUTES = [
    Route("/reports/{name}/translations", translations),
    Route("/reports/{name}/translations/request", translation_request, methods=["POST"]),
    Route("/reports/{name}/translations/import", translation_import, methods=["POST"]),
    Route("/reports/{name}/translations/{lang}/{file}", request_file),
]
