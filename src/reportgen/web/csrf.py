"""Sessions and CSRF protection, with the standard library only.

A session id is random and made by this server only. Its cookie (HttpOnly, SameSite=Strict,
Secure when the pages are reached over https) carries the id and an HMAC of it under the
server's secret key, so a cookie this server did not make (forged, guessed, or from before a
restart) is never adopted: the request gets a new session instead. Signing in or out always
starts a new session, so an id planted in a browser before sign-in is worthless after it.

The CSRF token for a session is another HMAC of its id: every form carries it, and a
state-changing request (POST) whose token does not match its session cookie is refused
(403). Nothing is stored per token, and a token from another session never matches.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_COOKIE = "reportgen_session"
TOKEN_FIELD = "csrf_token"
MAX_COOKIE_LENGTH = 200  # a longer cookie is not read at all


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def _signature(secret: bytes, session_id: str) -> str:
    return hmac.new(secret, b"session:" + session_id.encode("utf-8"), hashlib.sha256).hexdigest()


def cookie_value(secret: bytes, session_id: str) -> str:
    """What the session cookie holds: the id and its signature."""
    return f"{session_id}.{_signature(secret, session_id)}"


def session_from_cookie(secret: bytes, value: object) -> str | None:
    """The session id in a cookie this server made; None for a missing, forged or stale one."""
    if not isinstance(value, str) or not value or len(value) > MAX_COOKIE_LENGTH or value.count(".") != 1:
        return None
    session_id, signature = value.split(".")
    if not session_id or not hmac.compare_digest(_signature(secret, session_id), signature):
        return None
    return session_id


def token_for(secret: bytes, session_id: str) -> str:
    return hmac.new(secret, b"csrf:" + session_id.encode("utf-8"), hashlib.sha256).hexdigest()


def valid(secret: bytes, cookie: str | None, token: object) -> bool:
    """Whether a form's token belongs to the session of this (signed) session cookie."""
    session_id = session_from_cookie(secret, cookie)
    if not session_id or not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(token_for(secret, session_id), token)
