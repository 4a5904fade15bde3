"""The pages: each one reads a request, calls the library (directly or through a job) and
renders a template. Every value from a request is checked against what is known before it
is used: a publication must be one of the folders in the data dir, a language one of the
trust's languages, an archive entry a well-formed id, tag and version number. No path from
a request reaches the file system.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from reportgen import __version__
from reportgen.archive.store import REPORT_ID, Archive, ArchiveError
from reportgen.build.request import BuildRequest
from reportgen.content.rules import RULES
from reportgen.errors import ReportgenError
from reportgen.formats import FORMATS, output_name
from reportgen.formats.pdf.standards import PDF_STANDARDS
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE
from reportgen.resources import ASSETS_DIR, TEMPLATES_DIR
from reportgen.survey.variants import default_variant_name
from reportgen.web import Config, csrf
from reportgen.web.auth import check_password, read_password_file
from reportgen.web.jobs import Jobs

WEB_TEMPLATES = TEMPLATES_DIR / "web"
STATIC = {
    "theme.css": ASSETS_DIR / "theme.css",
    "web.css": WEB_TEMPLATES / "static" / "web.css",
    "web.js": WEB_TEMPLATES / "static" / "web.js",
}
SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
UPLOAD_SUFFIXES = (".po", ".xlf", ".xliff")
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
# A built publication is shown as it is (inline styles and images) but may run nothing.
OUTPUT_CSP = "default-src 'self' data: 'unsafe-inline'; script-src 'none'; frame-ancestors 'self'; base-uri 'none'"


# -- what a request may name -------------------------------------------------------------


def publications(config: Config) -> dict[str, Path]:
    """The publications: folder name → folder, for every data dir folder with a report.yaml."""
    return {path.parent.name: path.parent for path in sorted(config.data_dir.glob("*/report.yaml"))}


def known_folder(config: Config, name: str) -> Path:
    folder = publications(config).get(name)
    if folder is None:
        raise HTTPException(404, f"There is no publication called '{name}' in {config.data_dir.name}/.")
    return folder


def known_lang(tag: str, status: int = 404) -> str:
    if tag not in LANGUAGES:
        raise HTTPException(status, f"'{tag}' is not one of the trust's languages ({', '.join(LANGUAGES)}).")
    return tag


def host_name(header: str) -> str:
    """The name in a Host header, without its port: 127.0.0.1:8000 → 127.0.0.1, [::1]:8000 → [::1]."""
    header = header.strip().lower()
    return header if header.endswith("]") or ":" not in header else header.rsplit(":", 1)[0]


def loaded(folder: Path):
    from reportgen.content.model import load_report

    try:
        return load_report(folder)[0]
    except ReportgenError:
        raise HTTPException(404, "This publication cannot be read at the moment: see its page.") from None


def inside(root: Path, name: str) -> Path:
    """``root/name`` for a plain file name that exists there, or 404."""
    if not SAFE_FILE_NAME.match(name or ""):
        raise HTTPException(404, "No such file.")
    path = (root / name).resolve()
    if path.parent != root.resolve() or not path.is_file():
        raise HTTPException(404, "No such file.")
    return path


# -- what the pages show -----------------------------------------------------------------


def language_name(tag: str) -> str:
    return f"{LANGUAGES[tag].english_name} ({tag})"


CHECKS_DIR = ".checks"  # under the out dir: the last check of each publication, as `reportgen check --format json`


def last_check(config: Config, name: str) -> dict | None:
    import json

    path = config.out_dir / CHECKS_DIR / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remember_check(config: Config, name: str, lang: str, result) -> None:
    import json

    from reportgen.check.formats import as_json
    from reportgen.files import write_atomically

    record = {**as_json(result), "checked_lang": lang, "at": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    write_atomically(
        config.out_dir / CHECKS_DIR / f"{name}.json",
        (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )


def summarise(config: Config, name: str, folder: Path) -> dict:
    """A publication's state per language: coverage, last build, published or not."""
    from reportgen.archive.publish import source_files, source_hash
    from reportgen.content.model import load_report
    from reportgen.i18n.catalogs import coverage, extract_content, po_path

    try:
        report, raw = load_report(folder)
    except ReportgenError as exc:  # shown on the pages, so the other publications stay usable
        return {
            "name": name,
            "id": name,
            "title": name,
            "language": SOURCE_LANGUAGE,
            "period": None,
            "languages": [],
            "check": last_check(config, name),
            "error": exc.args[0] if exc.args else str(exc),
            "problems": exc.problems,
        }
    template = extract_content(raw.source)
    try:
        latest = {
            v.lang: v
            for v in Archive(config.archive_dir).search(report=report.id, latest_only=True)
            if v.report_id == report.id
        }
    except ReportgenError:
        latest = {}
    rows = []
    for tag in LANGUAGES:
        if tag == report.language:
            cover = None
        else:
            cover = coverage(template, tag, report.id, config.translations_dir)
        built = {}
        for fmt in FORMATS:
            path = config.out_dir / report.id / output_name(report.id, tag, fmt, default_variant_name(report))
            if path.is_file():
                built[fmt] = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        version = latest.get(tag)
        published = None
        if version is not None:
            current = (
                source_hash(source_files(raw.folder, report.id, tag))
                if tag == report.language or po_path(tag, report.id, config.translations_dir).exists()
                else None
            )
            published = {
                "version": version.version,
                "current": current == version.source_hash,
                "at": version.published_at,
            }
        rows.append(
            {
                "tag": tag,
                "name": language_name(tag),
                "source": tag == report.language,
                "coverage": cover,
                "built": built,
                "published": published,
            }
        )
    return {
        "name": name,
        "id": report.id,
        "title": str(report.title),
        "language": report.language,
        "period": report.period,
        "languages": rows,
        "check": last_check(config, name),
        "error": None,
        "problems": (),
    }


def offered(summary: dict) -> list[dict]:
    """Languages worth listing: the source, and any with a catalog, a build or an archived version."""
    return [
        row
        for row in summary["languages"]
        if row["source"] or (row["coverage"] and row["coverage"].exists) or row["built"] or row["published"]
    ]


# -- the application ---------------------------------------------------------------------


def make_app(config: Config) -> Starlette:
    """The pages; reading the publications' state (catalogs, the archive's catalogue) happens in
    a thread, and building, checking and publishing in the worker processes, so that nothing
    holds up the server's event loop."""
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
    users = read_password_file(config.password_file) if config.password_file else None
    allowed_hosts = {h.lower() for h in ("127.0.0.1", "localhost", "[::1]", *config.allowed_hosts)}
    sessions: dict[str, dict] = {}
    jobs = Jobs(config.workers, config.settings)

    def render(request: Request, template: str, status_code: int = 200, /, **context) -> HTMLResponse:
        session = request.state.session_id
        context.setdefault("errors", [])
        context.setdefault("message", "")
        html = env.get_template(template).render(
            csrf_field=csrf.TOKEN_FIELD,
            csrf_token=csrf.token_for(config.secret, session),
            user=request.state.user,
            signed_in_by_password=users is not None,
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    async def checked_form(request: Request, **limits):
        """The posted form, once its CSRF token matches the session (otherwise 403)."""
        form = await request.form(max_files=limits.get("max_files", 0), max_fields=20, max_part_size=64 * 1024)
        if not csrf.valid(config.secret, request.cookies.get(csrf.SESSION_COOKIE), form.get(csrf.TOKEN_FIELD)):
            raise HTTPException(
                403,
                "This form has expired or did not come from this site (its security token "
                "does not match). Go back, reload the page and try again.",
            )
        return form

    def publisher(request: Request) -> str | None:
        return request.state.user

    # -- publications ------------------------------------------------------------------
    async def home(request: Request):
        summaries = await run_in_threadpool(
            lambda: [summarise(config, name, folder) for name, folder in publications(config).items()]
        )
        return render(request, "index.html", summaries=summaries)

    async def publication(request: Request):
        name = request.path_params["name"]
        folder = known_folder(config, name)
        summary = await run_in_threadpool(summarise, config, name, folder)
        return render(request, "publication.html", summary=summary)

    async def output(request: Request):
        name, tag, fmt = request.path_params["name"], request.path_params["lang"], request.path_params["fmt"]
        folder = known_folder(config, name)
        known_lang(tag)
        if fmt not in FORMATS:
            raise HTTPException(404, "No such file.")
        report = loaded(folder)
        path = inside(config.out_dir / report.id, output_name(report.id, tag, fmt, default_variant_name(report)))
        headers = {"Content-Security-Policy": OUTPUT_CSP}
        media_type = FORMATS[fmt].media_type
        if not media_type.startswith("text/html"):
            headers["Content-Disposition"] = f'inline; filename="{path.name}"'
        return FileResponse(path, media_type=media_type, headers=headers)

    async def preview(request: Request):
        name, tag = request.path_params["name"], known_lang(request.path_params["lang"])
        summary = await run_in_threadpool(summarise, config, name, known_folder(config, name))
        row = next(r for r in summary["languages"] if r["tag"] == tag)
        return render(request, "preview.html", summary=summary, row=row)

    async def start_job(request: Request):
        name, kind = request.path_params["name"], request.path_params["kind"]
        folder = known_folder(config, name)
        form = await checked_form(request)
        tag = known_lang(str(form.get("lang", "")), 400)
        if kind == "build":
            standard = str(form.get("pdf_standard", "ua-1"))
            if standard not in PDF_STANDARDS:
                raise HTTPException(
                    400, f"'{standard}' is not a PDF standard reportgen can make ({', '.join(PDF_STANDARDS)})."
                )
            job = jobs.submit(
                "build",
                name,
                tag,
                "reportgen.build.core:build_report",
                folder,
                BuildRequest(
                    langs=(tag,),
                    out_dir=config.out_dir,
                    allow_partial=form.get("allow_partial") == "yes",
                    pdf_standard=standard,
                ),
            )
        elif kind == "check":
            job = jobs.submit(
                "check",
                name,
                tag,
                "reportgen.check:check_report",
                folder,
                langs=[tag],
                outputs=form.get("content_only") != "yes",
            )

            def remember(future, name=name, tag=tag):
                outcome = future.result() if not future.exception() else None
                if outcome and outcome[0] == "ok":
                    remember_check(config, name, tag, outcome[1])

            job.future.add_done_callback(remember)
        elif kind == "publish":
            job = jobs.submit(
                "publish",
                name,
                tag,
                "reportgen.archive.publish:publish_report",
                folder,
                langs=[tag],
                archive_root=config.archive_dir,
                publisher=publisher(request),
            )
        else:
            raise HTTPException(404, "No such action.")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def find_job(request: Request):
        job = jobs.get(request.path_params["job"])
        if job is None:
            raise HTTPException(404, "There is no such job (jobs are kept until the server stops).")
        return job

    async def job_page(request: Request):
        job = find_job(request)
        summary = await run_in_threadpool(summarise, config, job.folder, known_folder(config, job.folder))
        outcome = job.outcome
        check = None
        if job.kind == "check" and outcome and outcome[0] == "ok":
            from reportgen.check.formats import as_json

            check = as_json(outcome[1])
        return render(request, "job.html", job=job, summary=summary, outcome=outcome, check=check)

    async def check_page(request: Request):
        name = request.path_params["name"]
        summary = await run_in_threadpool(summarise, config, name, known_folder(config, name))
        if summary["check"] is None:
            raise HTTPException(404, "This publication has not been checked yet: run a check from its page.")
        return render(request, "check.html", summary=summary, check=summary["check"])

    async def job_status(request: Request):
        job = find_job(request)
        return JSONResponse({"status": job.status.value, "finished": job.outcome is not None})

    # -- translations ------------------------------------------------------------------
    async def translations(request: Request):
        name = request.path_params["name"]
        summary = await run_in_threadpool(summarise, config, name, known_folder(config, name))
        return render(request, "translations.html", summary=summary)

    def request_root(report_id: str, tag: str) -> Path:
        return config.out_dir / "translation-requests" / f"{report_id}.{tag}"

    async def translation_request(request: Request):
        name = request.path_params["name"]
        folder = known_folder(config, name)
        form = await checked_form(request)
        tag = str(form.get("lang", ""))
        summary = await run_in_threadpool(summarise, config, name, folder)
        if tag not in LANGUAGES or tag == SOURCE_LANGUAGE:
            return render(
                request,
                "translations.html",
                400,
                summary=summary,
                errors=[("request-lang", "Choose the language to translate into.")],
            )
        outcome = await jobs.run(
            "reportgen.build.requests:make_request", folder, tag, config.out_dir / "translation-requests"
        )
        if outcome[0] != "ok":
            return render(
                request,
                "translations.html",
                400,
                summary=summary,
                errors=[("request-lang", str(outcome[1]))],
                problems=outcome[2] if len(outcome) > 2 else (),
            )
        package = outcome[1]
        files = [{"name": p.name, "size": p.stat().st_size} for p in package.files]
        return render(request, "request.html", summary=summary, package=package, files=files)

    async def request_file(request: Request):
        name, tag, file = (
            request.path_params["name"],
            known_lang(request.path_params["lang"]),
            request.path_params["file"],
        )
        report = loaded(known_folder(config, name))
        path = inside(request_root(report.id, tag), file)
        return FileResponse(path, filename=path.name, content_disposition_type="attachment")

    async def translation_import(request: Request):
        name = request.path_params["name"]
        folder = known_folder(config, name)
        summary = await run_in_threadpool(summarise, config, name, folder)
        limit = config.max_upload
        too_big = (
            f"The file is larger than {limit // 1024 // 1024} MB, the most this page accepts. Check that "
            "it is the returned .po or .xlf file (not a zip or the proof PDF)."
        )
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > limit + 64 * 1024:
            return render(request, "translations.html", 413, summary=summary, errors=[("upload-file", too_big)])
        form = await checked_form(request, max_files=1)
        tag, upload = str(form.get("lang", "")), form.get("file")
        errors = []
        if tag not in LANGUAGES or tag == SOURCE_LANGUAGE:
            errors.append(("upload-lang", "Choose the language the file is in."))
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors.append(("upload-file", "Choose the returned .po or .xlf file."))
        elif not upload.filename.lower().endswith(UPLOAD_SUFFIXES):
            errors.append(("upload-file", "The file must be a .po or .xlf file returned from a translation request."))
        if errors:
            return render(request, "translations.html", 400, summary=summary, errors=errors)
        data = await upload.read(limit + 1)
        if len(data) > limit:
            return render(request, "translations.html", 413, summary=summary, errors=[("upload-file", too_big)])
        # Stored under a name of our own making, in a fresh folder: the uploaded name is only shown.
        base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(upload.filename).name)[-100:].lstrip(".") or "upload"
        suffix = Path(upload.filename).suffix.lower()
        temp = Path(tempfile.mkdtemp(prefix="reportgen-upload-"))
        try:
            path = temp / (base if base.lower().endswith(suffix) else base + suffix)
            path.write_bytes(data)
            read = await jobs.run("reportgen.i18n.handoff:read_returned", path)
            outcome = await jobs.run("reportgen.i18n.handoff:import_translation", path, tag)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        entries = read[1].entries if read[0] == "ok" else ()
        problems = outcome[2] if outcome[0] == "error" else ()
        rows = [
            {"entry": e, "problems": [p for p in problems if p.line is not None and p.line == e.line]} for e in entries
        ]
        placed = {id(p) for row in rows for p in row["problems"]}
        general = [p for p in problems if id(p) not in placed]
        summary = await run_in_threadpool(summarise, config, name, folder)
        return render(
            request,
            "import.html",
            200 if outcome[0] == "ok" else 422,
            summary=summary,
            outcome=outcome,
            rows=rows,
            general=general,
            filename=upload.filename,
            tag=tag,
        )

    # -- archive -----------------------------------------------------------------------
    async def archive_page(request: Request):
        query = request.query_params
        filters = {
            key: (query.get(key) or "").strip() or None for key in ("report", "lang", "period", "since", "until")
        }
        errors = []
        if filters["lang"] and filters["lang"] not in LANGUAGES:
            errors.append(("filter-lang", "Choose a language from the list."))
        for key in ("since", "until"):
            if filters[key] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", filters[key]):
                errors.append((f"filter-{key}", "Write the date as YYYY-MM-DD, for example 2025-06-30."))
        versions, notice = [], ""
        if not errors:
            try:
                versions = await run_in_threadpool(Archive(config.archive_dir).search, **filters)
            except ArchiveError as exc:
                notice = str(exc)
            except ReportgenError as exc:
                errors.append(("filter-since", str(exc)))
        return render(
            request,
            "archive.html",
            400 if errors else 200,
            versions=versions,
            filters=filters,
            errors=errors,
            notice=notice,
        )

    async def archive_file(request: Request):
        report_id, tag, number = (
            request.path_params["report_id"],
            request.path_params["lang"],
            request.path_params["version"],
        )
        if not REPORT_ID.match(report_id) or tag not in LANGUAGES or not re.fullmatch(r"[1-9][0-9]{0,6}", number):
            raise HTTPException(404, "There is no such archived file.")
        archive = Archive(config.archive_dir)
        try:
            version = await run_in_threadpool(archive.find, report_id, tag, int(number))
            data = await run_in_threadpool(archive.read, version)
        except ArchiveError as exc:
            raise HTTPException(404, str(exc)) from None
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{version.file_name}"'},
        )

    async def archive_verify(request: Request):
        await checked_form(request)
        try:
            result = await run_in_threadpool(Archive(config.archive_dir).verify)
            notice = ""
        except ArchiveError as exc:
            result, notice = None, str(exc)
        return render(request, "verify.html", result=result, notice=notice)

    # -- sign-in -----------------------------------------------------------------------
    async def sign_in(request: Request):
        if users is None:
            raise HTTPException(404, "Sign-in is not used on this server.")
        if request.method == "GET":
            return render(request, "sign_in.html", name="")
        form = await checked_form(request)
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        if not check_password(users, name, password):
            return render(
                request,
                "sign_in.html",
                400,
                name=name,
                errors=[("sign-in-name", "The name or the password is not right.")],
            )
        sessions[request.state.session_id] = {"user": name}
        return RedirectResponse("/", status_code=303)

    async def sign_out(request: Request):
        await checked_form(request)
        sessions.pop(request.state.session_id, None)
        return RedirectResponse("/sign-in" if users else "/", status_code=303)

    async def static(request: Request):
        path = STATIC.get(request.path_params["file"])
        if path is None:
            raise HTTPException(404, "No such file.")
        return FileResponse(path)

    async def http_error(request: Request, exc: HTTPException):
        if not hasattr(request.state, "session_id"):
            return Response(exc.detail, status_code=exc.status_code)
        return render(request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail)

    class Guard(BaseHTTPMiddleware):
        """Session cookie, sign-in, body size and security headers, for every request."""

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
            # DNS rebinding: a page from elsewhere that makes its name point at 127.0.0.1
            # would otherwise be "same origin" with these pages.
            if host_name(request.headers.get("host", "")) not in allowed_hosts:
                return Response(
                    "Unknown host name: open this app at http://127.0.0.1 (see docs/web.md).", status_code=400
                )
            if request.method == "POST":
                origin = request.headers.get("origin")
                if (
                    origin
                    and origin != "null"
                    and urlsplit(origin).hostname not in {h.strip("[]") for h in allowed_hosts}
                ):
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
                request.state.user = sessions.get(request.state.session_id, {}).get("user")
                if (
                    request.state.user is None
                    and request.url.path not in ("/sign-in",)
                    and not request.url.path.startswith("/static/")
                ):
                    return RedirectResponse("/sign-in", status_code=303)
            return None

    routes = [
        Route("/", home),
        Route("/reports/{name}", publication),
        Route("/reports/{name}/preview/{lang}", preview),
        Route("/reports/{name}/out/{lang}.{fmt}", output),
        Route("/reports/{name}/jobs/{kind}", start_job, methods=["POST"]),
        Route("/reports/{name}/check", check_page),
        Route("/reports/{name}/translations", translations),
        Route("/reports/{name}/translations/request", translation_request, methods=["POST"]),
        Route("/reports/{name}/translations/import", translation_import, methods=["POST"]),
        Route("/reports/{name}/translations/{lang}/{file}", request_file),
        Route("/jobs/{job}", job_page),
        Route("/jobs/{job}/status", job_status),
        Route("/archive", archive_page),
        Route("/archive/files/{report_id}/{lang}/{version}", archive_file),
        Route("/archive/verify", archive_verify, methods=["POST"]),
        Route("/sign-in", sign_in, methods=["GET", "POST"]),
        Route("/sign-out", sign_out, methods=["POST"]),
        Route("/static/{file}", static),
    ]

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        yield
        jobs.shutdown()

    app = Starlette(
        routes=routes, middleware=[Middleware(Guard)], exception_handlers={HTTPException: http_error}, lifespan=lifespan
    )
    app.state.jobs = jobs
    app.state.config = config
    app.state.secret_id = secrets.token_hex(4)
    return app
