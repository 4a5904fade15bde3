"""Optional sign-in: a user name from the trust's reverse proxy, or a password file.

Password file: one line per person, ``name:pbkdf2_sha256:ITERATIONS:SALT_HEX:HASH_HEX``
(``python -m reportgen.web.auth NAME`` asks for a password and prints such a line).

Checking a password takes a deliberate fraction of a second (PBKDF2), so it runs in a thread
(:func:`verify_password`), never on the server's event loop, and :class:`Throttle` stops
guessing: after a few failed attempts for one name, or from one address, in a window of
time, sign-in for it is paused until the window has passed. :class:`SignedIn` keeps who is
signed in on which session, bounded in number and in idle time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from reportgen.errors import InputError

ITERATIONS = 600_000
MAX_NAME_LENGTH = 100
MAX_PASSWORD_LENGTH = 1024  # PBKDF2 hashes a long password first; this keeps a hostile one cheap too


def hash_password(name: str, password: str, iterations: int = ITERATIONS) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{name}:pbkdf2_sha256:{iterations}:{salt.hex()}:{digest.hex()}"


def read_password_file(path: Path) -> dict[str, tuple[int, bytes, bytes]]:
    users = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.strip().split(":")
        if len(parts) != 5 or parts[1] != "pbkdf2_sha256":
            raise InputError.single(
                path,
                "expected name:pbkdf2_sha256:iterations:salt:hash (python -m reportgen.web.auth NAME makes a line)",
                number,
                headline="the password file cannot be read",
            )
        users[parts[0]] = (int(parts[2]), bytes.fromhex(parts[3]), bytes.fromhex(parts[4]))
    return users


def check_password(users: dict, name: str, password: str) -> bool:
    if len(name) > MAX_NAME_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        return False
    iterations, salt, expected = users.get(name, (ITERATIONS, b"-" * 16, b""))
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return name in users and hmac.compare_digest(digest, expected)


async def verify_password(users: dict, name: str, password: str) -> bool:
    """:func:`check_password` in a worker thread, so that other pages keep answering meanwhile."""
    return await run_in_threadpool(check_password, users, name, password)


@dataclass
class Throttle:
    """Attempts per key (a name, an address) in the last ``window`` seconds, in memory.

    A key with ``limit`` attempts in the window is refused until the oldest of them is
    ``window`` seconds old. At most ``max_keys`` keys are kept: when full, those whose
    attempts are all past the window go first, then the least recently tried.
    """

    limit: int
    window: float
    max_keys: int = 10_000
    attempts: dict[str, list[float]] = field(default_factory=dict)

    def retry_at(self, key: str, now: float) -> float | None:
        """When ``key`` may try again, or None if it may now."""
        recent = [t for t in self.attempts.get(key, ()) if t > now - self.window]
        return recent[0] + self.window if len(recent) >= self.limit else None

    def record(self, key: str, now: float) -> None:
        recent = [t for t in self.attempts.pop(key, ()) if t > now - self.window]
        while self.attempts and len(self.attempts) >= self.max_keys:
            self.attempts.pop(next(iter(self.attempts)))  # least recently tried first
        self.attempts[key] = [*recent, now][-self.limit :]

    def forget(self, key: str, stamp: float | None = None) -> None:
        """Drop ``key``'s attempts (all of them, or the one made at ``stamp``)."""
        if stamp is None:
            self.attempts.pop(key, None)
        elif stamp in self.attempts.get(key, ()):
            self.attempts[key].remove(stamp)


@dataclass
class SignedIn:
    """Who is signed in on which session id, in memory (a restart signs everyone out).

    A session unused for ``idle`` seconds is signed out; at most ``max_sessions`` are kept
    (the least recently used one goes first).
    """

    idle: float = 12 * 3600
    max_sessions: int = 1_000
    sessions: dict[str, tuple[str, float]] = field(default_factory=dict)  # id → (name, last used)

    def start(self, session_id: str, name: str, now: float | None = None) -> None:
        while len(self.sessions) >= self.max_sessions:
            self.sessions.pop(next(iter(self.sessions)))
        self.sessions[session_id] = (name, time.time() if now is None else now)

    def user(self, session_id: str, now: float | None = None) -> str | None:
        now = time.time() if now is None else now
        name, used = self.sessions.pop(session_id, (None, 0.0))
        if name is None or used < now - self.idle:
            return None
        self.sessions[session_id] = (name, now)  # most recently used last
        return name

    def end(self, session_id: str) -> None:
        self.sessions.pop(session_id, None)


if __name__ == "__main__":
    import getpass
    import sys

    print(hash_password(sys.argv[1], getpass.getpass(f"Password for {sys.argv[1]}: ")))
