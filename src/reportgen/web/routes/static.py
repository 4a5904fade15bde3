"""The pages' own style sheets and script (a fixed list: no path from a request is opened)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from reportgen.resources import ASSETS_DIR
from reportgen.web.site import WEB_TEMPLATES

STATIC = {
    "theme.css": ASSETS_DIR / "theme.css",
    "web.css": WEB_TEMPLATES / "static" / "web.css",
    "web.js": WEB_TEMPLATES / "static" / "web.js",
}


async def static(request: Request):
    path = STATIC.get(request.path_params["file"])
    if path is None:
        raise HTTPException(404, "No such file.")
    return FileResponse(path)


ROUTES = [
    Route("/static/{file}", static),
]
