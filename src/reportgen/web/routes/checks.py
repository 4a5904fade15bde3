"""Checks: a publication's last check, as `reportgen check` would show it."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from reportgen.web.site import known_folder, render, site_of
from reportgen.web.summary import summarise


async def check_page(request: Request):
    config = site_of(request).config
    name = request.path_params["name"]
    summary = await run_in_threadpool(summarise, config, name, known_folder(config, name))
    if summary["check"] is None:
        raise HTTPException(404, "This publication has not been checked yet: run a check from its page.")
    return render(request, "check.html", summary=summary, check=summary["check"])


ROUTES = [
    Route("/reports/{name}/check", check_page),
]
