"""The pages, one module per area: each handler is a top-level function of the request that
reads the server's shared state from ``request.app.state.site`` (:class:`~reportgen.web.site.Site`),
calls the library (directly or through a job) and renders a template. ``make_app`` puts them
together with the middleware (:mod:`reportgen.web.guard`) and the error page.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from reportgen.web import Config
from reportgen.web.guard import Guard
from reportgen.web.routes import archive, checks, editor, jobs, publications, sign_in, static, translations, word
from reportgen.web.site import Site, http_error

ROUTES = [
    *publications.ROUTES,
    *editor.ROUTES,
    *word.ROUTES,
    *jobs.ROUTES,
    *checks.ROUTES,
    *translations.ROUTES,
    *archive.ROUTES,
    *sign_in.ROUTES,
    *static.ROUTES,
]


@asynccontextmanager
async def lifespan(app: Starlette):
    yield
    app.state.site.jobs.shutdown()


def make_app(config: Config) -> Starlette:
    """The pages; reading the publications' state (catalogs, the archive's catalogue) happens in
    a thread, and building, checking and publishing in the worker processes, so that nothing
    holds up the server's event loop."""
    site = Site.open(config)
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(Guard, site=site)],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.site = site
    return app
