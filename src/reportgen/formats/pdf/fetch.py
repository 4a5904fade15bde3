"""What the PDF engine may read: files in the report's folder and the project's assets.

WeasyPrint asks this fetcher for every stylesheet, image and font the HTML names. Anything
else — http(s), ``file://`` elsewhere, a ``..`` that climbs out of an allowed folder — is
refused, and the refusal stops the render (``fail_on_errors``) instead of leaving a hole in
the page. Untrusted content therefore never reaches the network or the rest of the disk.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOG = logging.getLogger("reportgen.formats.pdf")


class RefusedResource(ValueError):
    """A resource outside the allowed folders was requested."""


class FolderFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to a few folders."""

    def __init__(self, roots: list[Path]):
        super().__init__(fail_on_errors=True)
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def _inside(self, path: Path) -> bool:
        return any(path == root or root in path.parents for root in self.roots)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: ARG002 - WeasyPrint's signature
        parts = urlsplit(url)
        if parts.scheme == "data":
            with urlopen(url) as response:  # data: URLs are decoded locally, no I/O
                return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers.get_content_type()})
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return self._refuse(url, "only files in the publication's folder may be used")
        path = Path(unquote(parts.path))
        resolved = path.resolve()
        if not self._inside(resolved):
            return self._refuse(url, "it is outside the publication's folder")
        if not resolved.is_file():
            return self._refuse(url, "the file does not exist")
        kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        if resolved.suffix.lower() == ".svg":
            kind = "image/svg+xml"
        LOG.debug("fetch %s", resolved)
        return URLFetcherResponse(resolved.as_uri(), resolved.read_bytes(), {"Content-Type": kind})

    def _refuse(self, url: str, why: str):
        self.refused.append(f"{url} ({why})")
        LOG.warning("refused %s: %s", url, why)
        raise RefusedResource(f"refused {url}: {why}")
