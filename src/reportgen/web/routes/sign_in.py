"""Signing in and out, when the server keeps its own password file (not behind the trust's proxy).

Signing in or out starts a new session (a new id and cookie), so a session id planted in a
browser before sign-in is not the one that is signed in. Failed attempts are counted per name
and per address (:class:`~reportgen.web.auth.Throttle`); past the limit the page says when to
try again (429) and no password is checked.
"""

from __future__ import annotations

import ipaddress
import math
import time

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from reportgen.web.auth import MAX_NAME_LENGTH, verify_password
from reportgen.web.site import checked_form, render, site_of, start_session


def _paused(name: str, retry_at: float, now: float) -> str:
    minutes = max(1, math.ceil((retry_at - now) / 60))
    at = time.strftime("%H:%M", time.localtime(retry_at))
    return (
        f"Too many sign-in attempts {name}. For safety, signing in is paused: try again after {at} "
        f"(in {minutes} minute{'s' if minutes != 1 else ''}). If you have forgotten your password, "
        "ask whoever runs this server for a new line in the password file."
    )


def client_address(request: Request) -> str:
    """The address a sign-in attempt is counted against: the client's, or, when the client is
    this computer (the proxy in front of the app) and says whom it forwards, that one (the
    last ``X-Forwarded-For`` entry, which the proxy itself adds)."""
    direct = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
    try:
        behind_proxy = ipaddress.ip_address(direct).is_loopback
        return str(ipaddress.ip_address(forwarded)) if behind_proxy and forwarded else direct
    except ValueError:
        return direct


async def sign_in(request: Request):
    site = site_of(request)
    if site.users is None:
        raise HTTPException(404, "Sign-in is not used on this server.")
    if request.method == "GET":
        return render(request, "sign_in.html", name="")
    form = await checked_form(request)
    name, password = str(form.get("name", ""))[: MAX_NAME_LENGTH + 1], str(form.get("password", ""))
    address = client_address(request)
    now = time.time()
    for throttle, key, which in (
        (site.name_attempts, name, "with this name"),
        (site.address_attempts, address, "from this computer"),
    ):
        retry_at = throttle.retry_at(key, now)
        if retry_at is not None:
            response = render(
                request, "sign_in.html", 429, name=name, errors=[("sign-in-name", _paused(which, retry_at, now))]
            )
            response.headers["Retry-After"] = str(max(1, math.ceil(retry_at - now)))
            return response
    # Counted before the check, so that attempts made at the same moment all count.
    site.name_attempts.record(name, now)
    site.address_attempts.record(address, now)
    if not await verify_password(site.users, name, password):
        return render(
            request,
            "sign_in.html",
            400,
            name=name,
            errors=[("sign-in-name", "The name or the password is not right.")],
        )
    site.name_attempts.forget(name)
    site.address_attempts.forget(address, now)
    site.signed_in.end(request.state.session_id)
    site.signed_in.start(start_session(request), name)
    return RedirectResponse("/", status_code=303)


async def sign_out(request: Request):
    site = site_of(request)
    await checked_form(request)
    site.signed_in.end(request.state.session_id)
    start_session(request)
    return RedirectResponse("/sign-in" if site.users else "/", status_code=303)


ROUTES = [
    Route("/sign-in", sign_in, methods=["GET", "POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
