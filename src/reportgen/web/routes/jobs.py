"""Jobs: starting a build, check or publish of one language, and following it to its end."""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from reportgen.build.request import BuildRequest
from reportgen.check.formats import as_json
from reportgen.formats import FORMATS
from reportgen.formats.pdf.standards import PDF_STANDARDS
from reportgen.web.jobs import Job
from reportgen.web.site import Site, checked_form, known_lang, publication_folder, render, site_of, summary_of
from reportgen.web.summary import remember_check


def start_build(site: Site, request: Request, folder: Path, tag: str, form: FormData) -> Job:
    standard = str(form.get("pdf_standard", "ua-1"))
    if standard not in PDF_STANDARDS:
        raise HTTPException(400, f"'{standard}' is not a PDF standard reportgen can make ({', '.join(PDF_STANDARDS)}).")
    chosen = [str(name) for name in form.getlist("format")]
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown:
        raise HTTPException(400, f"'{unknown[0]}' is not a format reportgen can make ({', '.join(FORMATS)}).")
    options = BuildRequest(
        langs=(tag,),
        formats=tuple(chosen) or None,
        out_dir=site.config.out_dir,
        allow_partial=form.get("allow_partial") == "yes",
        pdf_standard=standard,
    )
    return site.jobs.submit("build", folder.name, tag, "reportgen.build.core:build_report", folder, options)


def start_check(site: Site, request: Request, folder: Path, tag: str, form: FormData) -> Job:
    job = site.jobs.submit(
        "check",
        folder.name,
        tag,
        "reportgen.check:check_report",
        folder,
        langs=[tag],
        outputs=form.get("content_only") != "yes",
    )

    def remember(future) -> None:  # the publication's page shows its last check
        outcome = future.result() if not future.exception() else None
        if outcome and outcome[0] == "ok":
            remember_check(site.config, folder.name, tag, outcome[1])

    job.future.add_done_callback(remember)
    return job


def start_publish(site: Site, request: Request, folder: Path, tag: str, form: FormData) -> Job:
    return site.jobs.submit(
        "publish",
        folder.name,
        tag,
        "reportgen.archive.publish:publish_report",
        folder,
        langs=[tag],
        archive_root=site.config.archive_dir,
        publisher=request.state.user,
    )


STARTERS = {"build": start_build, "check": start_check, "publish": start_publish}


async def start_job(request: Request):
    folder = publication_folder(request)  # an unknown publication is a 404 before the form is read
    form = await checked_form(request)
    tag = known_lang(str(form.get("lang", "")), 400)
    starter = STARTERS.get(request.path_params["kind"])
    if starter is None:
        raise HTTPException(404, "No such action.")
    job = starter(site_of(request), request, folder, tag, form)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def find_job(request: Request) -> Job:
    job = site_of(request).jobs.get(request.path_params["job"])
    if job is None:
        raise HTTPException(404, "There is no such job (jobs are kept until the server stops).")
    return job


async def job_page(request: Request):
    job = find_job(request)
    summary = await summary_of(request, job.folder)
    outcome = job.outcome
    check = as_json(outcome[1]) if job.kind == "check" and outcome and outcome[0] == "ok" else None
    return render(request, "job.html", job=job, summary=summary, outcome=outcome, check=check)


async def job_status(request: Request):
    job = find_job(request)
    return JSONResponse({"status": job.status.value, "finished": job.outcome is not None})


ROUTES = [
    Route("/reports/{name}/jobs/{kind}", start_job, methods=["POST"]),
    Route("/jobs/{job}", job_page),
    Route("/jobs/{job}/status", job_status),
]
