"""The middleware every request passes: the session cookie, the host name (against DNS
rebinding), the origin and size of a posted form, who is signed in, and the security headers.

A form (any method but GET, HEAD and OPTIONS) is only accepted from the pages' own address:
its ``Origin`` must be exactly the scheme, host name and port the request was sent to (the
``Host`` header, over https when the server was told so), and a browser that says the request
is cross-site or same-site (``Sec-Fetch-Site``) is refused as well. A request without either
header (not a browser, or an old one) still needs its CSRF token (:mod:`.csrf`).
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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def over_https(request: Request, config) -> bool:
    """Whether the browser reached the pages over https: told by ``--secure-cookies``, or by the
    trusted proxy's ``X-Forwarded-Proto`` (only read with ``--trust-proxy-header``)."""
    if config.secure_cookies or request.url.scheme == "https":
        return True
    if config.trust_proxy_header:
        return request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower() == "https"
    return False


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host name, port) of an origin such as ``http://127.0.0.1:8000``; None if it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") or parts.query:
        return None
    return scheme, parts.hostname.lower(), DEFAULT_PORTS[scheme] if port is None else port


def own_origin(request: Request, config) -> tuple[str, str, int] | None:
    """The origin of the pages as this request reached them: its scheme and its ``Host``."""
    scheme = "https" if over_https(request, config) else "http"
    return origin_of(f"{scheme}://{request.headers.get('host', '').strip()}")


def address(origin: tuple[str, str, int] | None) -> str:
    """An origin written as a person would type it: http://127.0.0.1:8000, https://[::1]."""
    if origin is None:
        return "the address you opened it at"
    scheme, name, port = origin
    name = f"[{name}]" if ":" in name else name
    return f"{scheme}://{name}" + ("" if DEFAULT_PORTS[scheme] == port else f":{port}")


class Guard(BaseHTTPMiddleware):
    """Session cookie, sign-in, body size and security headers, for every request."""

    def __init__(self, app, site: Site):
        super().__init__(app)
        self.site = site

    async def dispatch(self, request: Request, call_next):
        # Only an id this server made and signed is used; any other cookie gets a new session.
        session_id = csrf.session_from_cookie(self.site.config.secret, request.cookies.get(csrf.SESSION_COOKIE))
        request.state.renew_session = session_id is None
        request.state.session_id = session_id or csrf.new_session_id()
        request.state.user = None
        response = await self.checked(request)
        if response is None:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        if request.state.renew_session:  # a new visitor, a cookie not ours, or a sign-in or sign-out
            response.set_cookie(
                csrf.SESSION_COOKIE,
                csrf.cookie_value(self.site.config.secret, request.state.session_id),
                httponly=True,
                samesite="strict",
                secure=over_https(request, self.site.config),
                path="/",
            )
        return response

    async def checked(self, request: Request) -> Response | None:
        config, allowed_hosts, users = self.site.config, self.site.allowed_hosts, self.site.users
        # DNS rebinding: a page from elsewhere that makes its name point at 127.0.0.1
        # would otherwise be "same origin" with these pages.
        if host_name(request.headers.get("host", "")) not in allowed_hosts:
            return Response("Unknown host name: open this app at http://127.0.0.1 (see docs/web.md).", status_code=400)
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            fetch_site = request.headers.get("sec-fetch-site", "").strip().lower()
            expected = own_origin(request, config)
            if (origin is not None and origin_of(origin) != expected) or fetch_site in ("cross-site", "same-site"):
                return Response(
                    f"Refused: this form did not come from this app's own pages ({address(expected)}). "
                    "Open the app at that address and try again; behind a proxy, see docs/web.md (Security).",
                    status_code=403,
                )
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
            request.state.user = self.site.signed_in.user(request.state.session_id)
            if (
                request.state.user is None
                and request.url.path not in ("/sign-in",)
                and not request.url.path.startswith("/static/")
            ):
                return RedirectResponse("/sign-in", status_code=303)
        return None
