"""The publications: the list, one publication's page, a language's preview and its built files."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from reportgen.formats import FORMATS, output_name
from reportgen.survey.variants import default_variant_name
from reportgen.web.site import inside, known_lang, publication_folder, render, report_of, site_of, summary_of
from reportgen.web.summary import publications, summarise

# A built publication is shown as it is (inline styles and images) but may run nothing.
OUTPUT_CSP = "default-src 'self' data: 'unsafe-inline'; script-src 'none'; frame-ancestors 'self'; base-uri 'none'"


# The publications page reads each listed publication (its report.yaml, catalogs, builds and
# archive record): it lists this many at a time, with links to the next and previous pages.
PAGE_SIZE = 20


def listing(config, number: int) -> dict:
    """Page ``number`` (from 1) of the publications, summarised; 404 past the last page."""
    folders = list(publications(config).items())
    pages = max(1, -(-len(folders) // PAGE_SIZE))
    if not 1 <= number <= pages:
        raise HTTPException(
            404, f"There is no page {number} of publications: there {'is' if pages == 1 else 'are'} {pages}."
        )
    first = (number - 1) * PAGE_SIZE
    shown = folders[first : first + PAGE_SIZE]
    summaries = [summarise(config, name, folder) for name, folder in shown]
    titles = [s["title"] for s in summaries]
    for summary in summaries:  # two folders with the same title: their headings also say which folder
        summary["same_title"] = titles.count(summary["title"]) > 1
    return {
        "summaries": summaries,
        "number": number,
        "pages": pages,
        "first": first + 1,
        "last": first + len(shown),
        "total": len(folders),
    }


async def home(request: Request):
    config = site_of(request).config
    asked = request.query_params.get("page", "1")
    number = int(asked) if asked.isdigit() and len(asked) < 7 else 0
    return render(request, "index.html", **await run_in_threadpool(listing, config, number))


async def publication(request: Request):
    from reportgen.content.docx import read_import_report

    folder = publication_folder(request)
    word_import = await run_in_threadpool(read_import_report, folder)
    return render(
        request,
        "publication.html",
        summary=await summary_of(request),
        word_import=word_import,
        just_imported=request.query_params.get("imported") == "word",
    )


async def output(request: Request):
    config = site_of(request).config
    tag, fmt = request.path_params["lang"], request.path_params["fmt"]
    report = report_of(request)
    known_lang(tag)
    if fmt not in FORMATS:
        raise HTTPException(404, "No such file.")
    path = inside(config.out_dir / report.id, output_name(report.id, tag, fmt, default_variant_name(report)))
    headers = {"Content-Security-Policy": OUTPUT_CSP}
    media_type = FORMATS[fmt].media_type
    if not media_type.startswith("text/html"):
        headers["Content-Disposition"] = f'inline; filename="{path.name}"'
    return FileResponse(path, media_type=media_type, headers=headers)


async def preview(request: Request):
    tag = known_lang(request.path_params["lang"])
    summary = await summary_of(request)
    row = next(r for r in summary["languages"] if r["tag"] == tag)
    return render(request, "preview.html", summary=summary, row=row)


ROUTES = [
    Route("/", home),
    Route("/reports/{name}", publication),
    Route("/reports/{name}/preview/{lang}", preview),
    Route("/reports/{name}/out/{lang}.{fmt}", output),
]
