"""The middleware every request passes: the session cookie, the host name (against DNS
rebinding), the origin and size of a posted form, who is signed in, and the security headers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from reportgen.web import csrf
from reportgen.web.site import Site

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


def host_name(header: str) -> str:
    """The name in a Host header, without its port: 127.0.0.1:8000 → 127.0.0.1, [::1]:8000 → [::1]."""
    header = header.strip().lower()
    return header if header.endswith("]") or ":" not in header else header.rsplit(":", 1)[0]


class Guard(BaseHTTPMiddleware):
    """Session cookie, sign-in, body size and security headers, for every request."""

    def __init__(self, app, site: Site):
        super().__init__(app)
        self.site = site

    async def dispatch(self, request: Request, call_next):
        session_id = request.cookies.get(csrf.SESSION_COOKIE)
        fresh = not session_id or len(session_id) > 64
        if fresh:
            session_id = csrf.new_session_id()
        request.state.session_id = session_id
        request.state.user = None
        response = await self.checked(request)
        if response is None:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        if fresh:
            response.set_cookie(csrf.SESSION_COOKIE, session_id, httponly=True, samesite="strict", path="/")
        return response

    async def checked(self, request: Request) -> Response | None:
        config, allowed_hosts, users = self.site.config, self.site.allowed_hosts, self.site.users
        # DNS rebinding: a page from elsewhere that makes its name point at 127.0.0.1
        # would otherwise be "same origin" with these pages.
        if host_name(request.headers.get("host", "")) not in allowed_hosts:
            return Response("Unknown host name: open this app at http://127.0.0.1 (see docs/web.md).", status_code=400)
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).hostname not in {h.strip("[]") for h in allowed_hosts}:
                return Response("Refused: the form came from another site.", status_code=403)
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return Response("A length is required.", status_code=411)
            if int(length) > config.max_upload + 64 * 1024 and not request.url.path.endswith("/import"):
                return Response("The request is too large.", status_code=413)
        if config.trust_proxy_header:
            user = request.headers.get(config.trust_proxy_header, "").strip()
            if not user:
                return Response(
                    f"Sign in through the trust's proxy first (no {config.trust_proxy_header} header).",
                    status_code=401,
                )
            request.state.user = user[:100]
        elif users is not None:
            request.state.user = self.site.sessions.get(request.state.session_id, {}).get("user")
            if (
                request.state.user is None
                and request.url.path not in ("/sign-in",)
                and not request.url.path.startswith("/static/")
            ):
                return RedirectResponse("/sign-in", status_code=303)
        return None
