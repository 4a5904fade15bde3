"""Jobs: starting a build, check or publish of one language, and following it to its end."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from reportgen.build.request import BuildRequest
from reportgen.web.site import checked_form, known_folder, known_lang, render, site_of
from reportgen.web.summary import remember_check, summarise


async def start_job(request: Request):
    site = site_of(request)
    config, jobs = site.config, site.jobs
    name, kind = request.path_params["name"], request.path_params["kind"]
    folder = known_folder(config, name)
    form = await checked_form(request)
    tag = known_lang(str(form.get("lang", "")), 400)
    if kind == "build":
        job = jobs.submit(
            "build",
            name,
            tag,
            "reportgen.build.core:build_report",
            folder,
            BuildRequest(langs=(tag,), out_dir=config.out_dir, allow_partial=form.get("allow_partial") == "yes"),
        )
    elif kind == "check":
        job = jobs.submit(
            "check",
            name,
            tag,
            "reportgen.check:check_report",
            folder,
            langs=[tag],
            outputs=form.get("content_only") != "yes",
        )

        def remember(future, name=name, tag=tag):
            outcome = future.result() if not future.exception() else None
            if outcome and outcome[0] == "ok":
                remember_check(config, name, tag, outcome[1])

        job.future.add_done_callback(remember)
    elif kind == "publish":
        job = jobs.submit(
            "publish",
            name,
            tag,
            "reportgen.archive.publish:publish_report",
            folder,
            langs=[tag],
            archive_root=config.archive_dir,
            publisher=request.state.user,
        )
    else:
        raise HTTPException(404, "No such action.")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def find_job(request: Request):
    job = site_of(request).jobs.get(request.path_params["job"])
    if job is None:
        raise HTTPException(404, "There is no such job (jobs are kept until the server stops).")
    return job


async def job_page(request: Request):
    config = site_of(request).config
    job = find_job(request)
    summary = await run_in_threadpool(summarise, config, job.folder, known_folder(config, job.folder))
    outcome = job.outcome
    check = None
    if job.kind == "check" and outcome and outcome[0] == "ok":
        from reportgen.check.formats import as_json

        check = as_json(outcome[1])
    return render(request, "job.html", job=job, summary=summary, outcome=outcome, check=check)


async def job_status(request: Request):
    job = find_job(request)
    return JSONResponse({"status": job.status.value, "finished": job.outcome is not None})


ROUTES = [
    Route("/reports/{name}/jobs/{kind}", start_job, methods=["POST"]),
    Route("/jobs/{job}", job_page),
    Route("/jobs/{job}/status", job_status),
]
