"""What every page shares: the :class:`Site` (the server's configuration, templates, job runner,
who may sign in and who has), reached from a request as ``request.app.state.site``; rendering a
page; reading a posted form; and checking every value a request names against what is known
before it is used. No path from a request reaches the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from reportgen import __version__
from reportgen.archive.store import Archive
from reportgen.content.model import Report, load_report
from reportgen.content.rules import RULES
from reportgen.errors import ReportgenError
from reportgen.formats import FORMATS
from reportgen.formats.pdf.standards import PDF_STANDARDS
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE
from reportgen.resources import TEMPLATES_DIR
from reportgen.web import Config, csrf
from reportgen.web.auth import SignedIn, Throttle, read_password_file
from reportgen.web.jobs import Jobs
from reportgen.web.summary import language_name, offered, publications, summarise

WEB_TEMPLATES = TEMPLATES_DIR / "web"
SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


@dataclass
class Site:
    """The server's shared state, made once by ``make_app``."""

    config: Config
    templates: Environment
    jobs: Jobs
    users: dict | None  # name → password hash; None when sign-in is not used
    allowed_hosts: frozenset[str]
    signed_in: SignedIn = field(default_factory=SignedIn)  # session id → who signed in on it
    # Failed sign-ins: at most 5 for one name and 20 from one address in 15 minutes.
    name_attempts: Throttle = field(default_factory=lambda: Throttle(limit=5, window=15 * 60))
    address_attempts: Throttle = field(default_factory=lambda: Throttle(limit=20, window=15 * 60))

    @classmethod
    def open(cls, config: Config) -> Site:
        env = Environment(
            loader=FileSystemLoader(str(WEB_TEMPLATES)),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals.update(
            language_name=language_name,
            LANGUAGES=LANGUAGES,
            SOURCE_LANGUAGE=SOURCE_LANGUAGE,
            version=__version__,
            RULES=RULES,
            quote=lambda s: quote(str(s), safe=""),
            offered=offered,
            FORMATS=FORMATS,
            PDF_STANDARDS=PDF_STANDARDS,
        )
        return cls(
            config=config,
            templates=env,
            jobs=Jobs(config.workers, config.settings),
            users=read_password_file(config.password_file) if config.password_file else None,
            allowed_hosts=frozenset(h.lower() for h in ("127.0.0.1", "localhost", "[::1]", *config.allowed_hosts)),
        )

    @property
    def archive(self) -> Archive:
        return Archive(self.config.archive_dir)


def site_of(request: Request) -> Site:
    return request.app.state.site


def start_session(request: Request) -> str:
    """A new session id for this request, sent to the browser with the response (at sign-in and sign-out)."""
    request.state.session_id = csrf.new_session_id()
    request.state.renew_session = True
    return request.state.session_id


def render(request: Request, template: str, status_code: int = 200, /, **context) -> HTMLResponse:
    site = site_of(request)
    session = request.state.session_id
    context.setdefault("errors", [])
    context.setdefault("message", "")
    html = site.templates.get_template(template).render(
        csrf_field=csrf.TOKEN_FIELD,
        csrf_token=csrf.token_for(site.config.secret, session),
        user=request.state.user,
        signed_in_by_password=site.users is not None,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


async def checked_form(request: Request, **limits):
    """The posted form, once its CSRF token matches the session (otherwise 403)."""
    config = site_of(request).config
    form = await request.form(max_files=limits.get("max_files", 0), max_fields=20, max_part_size=64 * 1024)
    if not csrf.valid(config.secret, request.cookies.get(csrf.SESSION_COOKIE), form.get(csrf.TOKEN_FIELD)):
        raise HTTPException(
            403,
            "This form has expired or did not come from this site (its security token "
            "does not match). Go back, reload the page and try again.",
        )
    return form


async def http_error(request: Request, exc: HTTPException):
    if not hasattr(request.state, "session_id"):
        return Response(exc.detail, status_code=exc.status_code)
    return render(request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail)


# -- what a request may name -------------------------------------------------------------


def known_folder(config: Config, name: str) -> Path:
    folder = publications(config).get(name)
    if folder is None:
        raise HTTPException(404, f"There is no publication called '{name}' in {config.data_dir.name}/.")
    return folder


def publication_folder(request: Request) -> Path:
    """The folder of the publication the URL names (its ``{name}``), or 404."""
    return known_folder(site_of(request).config, request.path_params["name"])


async def summary_of(request: Request, name: str | None = None) -> dict:
    """The state of the publication the URL names (or of ``name``), read in a thread; 404 if unknown."""
    config = site_of(request).config
    name = request.path_params["name"] if name is None else name
    return await run_in_threadpool(summarise, config, name, known_folder(config, name))


def report_of(request: Request) -> Report:
    """The publication the URL names, loaded; 404 if unknown or if it cannot be read (its page says why)."""
    try:
        return load_report(publication_folder(request))[0]
    except ReportgenError:
        raise HTTPException(404, "This publication cannot be read at the moment: see its page.") from None


def known_lang(tag: str, status: int = 404) -> str:
    if tag not in LANGUAGES:
        raise HTTPException(status, f"'{tag}' is not one of the trust's languages ({', '.join(LANGUAGES)}).")
    return tag


def is_translation_lang(tag: str) -> bool:
    """Whether a posted language is one a publication can be translated into."""
    return tag in LANGUAGES and tag != SOURCE_LANGUAGE


def inside(root: Path, name: str) -> Path:
    """``root/name`` for a plain file name that exists there, or 404."""
    if not SAFE_FILE_NAME.match(name or ""):
        raise HTTPException(404, "No such file.")
    path = (root / name).resolve()
    if path.parent != root.resolve() or not path.is_file():
        raise HTTPException(404, "No such file.")
    return path
