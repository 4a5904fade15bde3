"""Sessions and CSRF protection, with the standard library only.

A session is a random id in an HttpOnly, SameSite=Strict cookie. The CSRF token for a
session is an HMAC of its id under the server's secret key: every form carries it, and a
state-changing request (POST) whose token does not match its session cookie is refused
(403). Nothing is stored per token, and a token from another session never matches.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_COOKIE = "reportgen_session"
TOKEN_FIELD = "csrf_token"


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def token_for(secret: bytes, session_id: str) -> str:
    return hmac.new(secret, b"csrf:" + session_id.encode("utf-8"), hashlib.sha256).hexdigest()


def valid(secret: bytes, session_id: str | None, token: object) -> bool:
    if not session_id or not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(token_for(secret, session_id), token)
