"""Optional sign-in: a user name from the trust's reverse proxy, or a password file.

Password file: one line per person, ``name:pbkdf2_sha256:ITERATIONS:SALT_HEX:HASH_HEX``
(``python -m reportgen.web.auth NAME`` asks for a password and prints such a line).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from reportgen.errors import InputError

ITERATIONS = 600_000


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
    iterations, salt, expected = users.get(name, (ITERATIONS, b"-" * 16, b""))
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return name in users and hmac.compare_digest(digest, expected)


if __name__ == "__main__":
    import getpass
    import sys

    print(hash_password(sys.argv[1], getpass.getpass(f"Password for {sys.argv[1]}: ")))
