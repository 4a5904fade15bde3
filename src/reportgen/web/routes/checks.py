"""Checks: a publication's last check, as `reportgen check` would show it."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from reportgen.web.site import render, summary_of


async def check_page(request: Request):
    summary = await summary_of(request)
    if summary["check"] is None:
        raise HTTPException(404, "This publication has not been checked yet: run a check from its page.")
    return render(request, "check.html", summary=summary, check=summary["check"])


ROUTES = [
    Route("/reports/{name}/check", check_page),
]
