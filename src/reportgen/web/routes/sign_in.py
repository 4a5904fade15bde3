"""Signing in and out, when the server keeps its own password file (not behind the trust's proxy)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from reportgen.web.auth import check_password
from reportgen.web.site import checked_form, render, site_of


async def sign_in(request: Request):
    site = site_of(request)
    if site.users is None:
        raise HTTPException(404, "Sign-in is not used on this server.")
    if request.method == "GET":
        return render(request, "sign_in.html", name="")
    form = await checked_form(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    if not check_password(site.users, name, password):
        return render(
            request,
            "sign_in.html",
            400,
            name=name,
            errors=[("sign-in-name", "The name or the password is not right.")],
        )
    site.sessions[request.state.session_id] = {"user": name}
    return RedirectResponse("/", status_code=303)


async def sign_out(request: Request):
    site = site_of(request)
    await checked_form(request)
    site.sessions.pop(request.state.session_id, None)
    return RedirectResponse("/sign-in" if site.users else "/", status_code=303)


ROUTES = [
    Route("/sign-in", sign_in, methods=["GET", "POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
