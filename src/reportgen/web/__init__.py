"""The web front end: ``reportgen serve``.

Takes a :class:`Config` (the data, translations, output and archive roots, and who may sign
in) and returns a Starlette application whose pages call the same library functions as the
command line: ``build_report``, ``check_report``, ``make_request``, ``import_translation``,
``publish_report`` and :class:`~reportgen.archive.store.Archive`. Slow work runs in a worker
process pool (:mod:`.jobs`). Pages are rendered on the server and work without JavaScript.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import ReportgenError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    data_dir: Path
    translations_dir: Path
    out_dir: Path
    archive_dir: Path
    workers: int = 1
    trust_proxy_header: str | None = None  # e.g. X-Remote-User: the proxy has signed the person in
    password_file: Path | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    max_upload: int = MAX_UPLOAD_BYTES
    allowed_hosts: tuple[str, ...] = ()  # host names the pages may be opened at, besides 127.0.0.1 and localhost

    @classmethod
    def from_environment(cls, **overrides) -> Config:
        """Roots from $REPORTGEN_DATA, $REPORTGEN_TRANSLATIONS, $REPORTGEN_OUT, $REPORTGEN_ARCHIVE, or the defaults."""
        from reportgen.resources import data_dir, translations_dir

        values = {
            "data_dir": data_dir(),
            "translations_dir": translations_dir(),
            "out_dir": Path(os.environ.get("REPORTGEN_OUT") or "out"),
            "archive_dir": Path(os.environ.get("REPORTGEN_ARCHIVE") or "archive"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("data_dir", "translations_dir", "out_dir", "archive_dir"):
            values[key] = Path(values[key]).resolve()
        return cls(**values)

    def environment(self) -> dict[str, str]:
        """What the library reads from the environment, for this server and its workers."""
        return {"REPORTGEN_DATA": str(self.data_dir), "REPORTGEN_TRANSLATIONS": str(self.translations_dir)}


def check_host(host: str, allow_remote: bool) -> None:
    """Refuse to listen beyond this computer unless asked to explicitly."""
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not allow_remote:
        raise ReportgenError(
            f"reportgen serve: '{host}' is not this computer only (127.0.0.1) — anyone who can reach "
            "it could build and publish. Put it behind the trust's proxy and add --allow-remote "
            "(see docs/web.md)"
        )


def create_app(config: Config):
    from reportgen.web.routes import make_app

    return make_app(config)


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000, *, allow_remote: bool = False) -> None:
    """Run the web app with uvicorn until stopped (Ctrl+C). Refuses a non-loopback host unless allowed."""
    check_host(host, allow_remote)
    import dataclasses

    import uvicorn

    if host not in config.allowed_hosts:
        config = dataclasses.replace(
            config, allowed_hosts=(*config.allowed_hosts, host if ":" not in host else f"[{host}]")
        )
    # The library reads the data and translations roots from the environment (its workers get them too).
    os.environ.update(config.environment())
    uvicorn.run(create_app(config), host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
