"""New publication from a Word file: upload a .docx, and it becomes a publication folder in
the data folder (reportgen.content.docx, the same import as ``reportgen import``); the
publication's page then shows what the import could not carry over."""

from __future__ import annotations

import re

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from reportgen.content.docx import MAX_DOCX_BYTES
from reportgen.web.routes.translations import DRAIN_FACTOR, discard_body
from reportgen.web.site import checked_form, render, site_of

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 80


def _folder_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_NAME].strip("-")


async def new_from_word(request: Request):
    return render(request, "word.html", limit_mb=MAX_DOCX_BYTES // 1024 // 1024, name="")


async def import_word(request: Request):
    site = site_of(request)
    limit = MAX_DOCX_BYTES
    page = {"limit_mb": limit // 1024 // 1024, "name": ""}
    too_big = (
        f"The file is larger than {limit // 1024 // 1024} MB, the most a Word file can be. In Word, make "
        "the pictures smaller (Picture Format → Compress Pictures) and save it again."
    )
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > limit + 64 * 1024:
        if length.isdigit() and int(length) <= DRAIN_FACTOR * limit:
            await discard_body(request, int(length))
        return render(request, "word.html", 413, errors=[("word-file", too_big)], **page)
    form = await checked_form(request, max_files=1)
    upload, name = form.get("file"), str(form.get("name", "")).strip()
    page["name"] = name[:MAX_NAME]
    errors = []
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.append(("word-file", "Choose the Word file (.docx) to import."))
    elif not upload.filename.lower().endswith(".docx"):
        errors.append(
            ("word-file", "The file must be a Word document saved as .docx (in Word: File → Save as → Word Document).")
        )
    folder_name = _folder_name(name or (upload.filename.rsplit(".", 1)[0] if isinstance(upload, UploadFile) else ""))
    if name and not NAME.match(name):
        errors.append(
            ("word-name", f"Use lower case letters, digits and hyphens only, for example {folder_name or 'my-report'}.")
        )
    elif not errors and not folder_name:
        errors.append(("word-name", "Give the new publication's folder a name, for example annual-review-2025."))
    elif folder_name and (site.config.data_dir / folder_name).exists():
        errors.append(
            (
                "word-name",
                f"There is already a publication folder called {folder_name}. Choose another name; "
                "nothing is ever replaced from this page.",
            )
        )
    if errors:
        return render(request, "word.html", 400, errors=errors, **page)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        return render(request, "word.html", 413, errors=[("word-file", too_big)], **page)
    source = re.sub(r"[^\w.-]", "_", upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[-100:] or "upload.docx"
    outcome = await site.jobs.run(
        "reportgen.content.docx:import_docx", source, site.config.data_dir / folder_name, data=data
    )
    if outcome[0] != "ok":
        return render(request, "word.html", 422, errors=[("word-file", str(outcome[1]))], **page)
    return RedirectResponse(f"/reports/{folder_name}?imported=word", status_code=303)


ROUTES = [
    Route("/new/word", new_from_word),
    Route("/new/word/import", import_word, methods=["POST"]),
]
