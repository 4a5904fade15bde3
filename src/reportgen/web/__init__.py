"""The web front end: ``reportgen serve``.

Takes a :class:`Config` (the data, translations, output and archive roots, and who may sign
in) and returns a Starlette application whose pages call the same library functions as the
command line: ``build_report``, ``check_report``, ``make_request``, ``import_translation``,
``publish_report`` and :class:`~reportgen.archive.store.Archive`. Slow work runs in a worker
process pool (:mod:`.jobs`). Pages are rendered on the server and work without JavaScript.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.settings import Settings, activate

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    settings: Settings  # the roots (data, translations, out, archive) and the rest, as for every command
    workers: int = 1
    trust_proxy_header: str | None = None  # e.g. X-Remote-User: the proxy has signed the person in
    password_file: Path | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    max_upload: int = MAX_UPLOAD_BYTES
    allowed_hosts: tuple[str, ...] = ()  # host names the pages may be opened at, besides 127.0.0.1 and localhost
    secure_cookies: bool = False  # the pages are reached over https (through a proxy): cookies are Secure

    @classmethod
    def from_environment(cls, *, data_dir=None, translations_dir=None, out_dir=None, archive_dir=None, **options):
        """Settings from the environment (see :mod:`reportgen.settings`), the given roots winning, all resolved."""
        settings = Settings.from_environment(
            data_dir=data_dir, translations_dir=translations_dir, out_dir=out_dir, archive_dir=archive_dir
        )
        settings = settings.replace(
            **{
                name: Path(getattr(settings, name)).resolve()
                for name in ("data_dir", "translations_dir", "out_dir", "archive_dir")
            }
        )
        return cls(settings, **{k: v for k, v in options.items() if v is not None})

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @property
    def translations_dir(self) -> Path:
        return self.settings.translations_dir

    @property
    def out_dir(self) -> Path:
        return self.settings.out_dir

    @property
    def archive_dir(self) -> Path:
        return self.settings.archive_dir


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
    """The application; its settings become the active ones of this process (the server's own calls)."""
    from reportgen.web.routes import make_app

    activate(config.settings)
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
    uvicorn.run(create_app(config), host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
