"""Command line: ``reportgen build REPORT_DIR``, ``publish``, ``archive …``, and ``python -m reportgen``.

Each command parses its arguments, calls one library function and prints the result.
Errors a person can fix are printed as one line per problem, with no traceback; the exit
status says what kind of failure it was (2: the input is wrong).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from reportgen.build.request import BuildRequest, default_formats
from reportgen.errors import ReportgenError, printable
from reportgen.formats import FORMATS
from reportgen.formats.pdf.standards import PDF_STANDARDS
from reportgen.settings import Settings, current, use

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe


def _csv_list(choices):
    def parse(value: str) -> list[str]:
        items = [v.strip() for v in value.split(",") if v.strip()]
        wrong = [v for v in items if choices is not None and v not in choices]
        if wrong or not items:
            raise argparse.ArgumentTypeError(
                f"'{value}' — choose from {', '.join(choices)} (comma-separated)"
                if choices
                else "give at least one value"
            )
        return items

    return parse


def _format_list(value: str) -> list[str]:
    """``--format``: names from the registry, comma-separated; ``all`` is every registered format."""
    items = _csv_list([*FORMATS, "all"])(value)
    return list(FORMATS) if "all" in items else items


def _format_help() -> str:
    defaults = default_formats()
    listed = "; ".join(f"{name}: {fmt.label}" for name, fmt in FORMATS.items())
    return f"the kinds of file to make, comma-separated — {listed}; or all (default: {','.join(defaults)})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportgen",
        description="Make accessible web pages (HTML) and PDFs from a publication folder.",
        epilog="Example: reportgen build data/annual-report-summary-2024-25  (files appear in out/)",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="show reportgen's version and the versions that shape its output"
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        default=None,
        metavar="DIR",
        help="the workspace folder (it holds reportgen.toml); default: the nearest one from here upwards",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="say what each stage is doing")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init",
        help="make a new workspace: reportgen.toml and one sample publication",
        description="Make a workspace in DIR: a reportgen.toml, a publications folder with one sample "
        "publication, its translations and a templates folder for your own versions of the templates.",
    )
    init.add_argument("directory", metavar="DIR", type=Path, help="the folder to make (it may exist, if empty)")

    build = commands.add_parser(
        "build",
        help="make the HTML page and the PDF of a publication",
        description="Check a publication folder and make its HTML page and PDF. Nothing is "
        "written unless everything is correct; problems are listed with file, line and field.",
    )
    build.add_argument(
        "reports",
        metavar="REPORT_DIR",
        nargs="+",
        help="the publication's folder (it holds report.yaml); give several to build them together",
    )
    build.add_argument(
        "--lang",
        type=_csv_list(None),
        default=None,
        metavar="LANG",
        help="language(s) to build, e.g. en-GB, or all (default: the publication's own language)",
    )
    build.add_argument(
        "--format",
        type=_format_list,
        default=None,
        metavar="FORMATS",
        help=_format_help(),
    )
    build.add_argument(
        "--out", default=None, metavar="DIR", help="where to put the files (default: $REPORTGEN_OUT, else out/)"
    )
    build.add_argument(
        "--for-each",
        default=None,
        metavar="VARIABLE",
        choices=["trust"],
        help="build once per value of VARIABLE in the publication's data: trust (one HTML and PDF "
        "per trust, in worker processes)",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for the languages, publications or --for-each values (default: one per core)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="build every file again, even those whose inputs have not changed since they were built",
    )
    build.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run --for-each on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs reportgen[cluster])",
    )
    build.add_argument(
        "--pdf-standard",
        default="ua-1",
        choices=list(PDF_STANDARDS),
        help="the accessibility standard the PDF meets — "
        + "; ".join(f"{name}: {standard.label}" for name, standard in PDF_STANDARDS.items())
        + " (default: ua-1)",
    )
    build.add_argument(
        "--allow-partial",
        action="store_true",
        help="build a translation even if some passages are not translated yet: they are shown "
        "in English (marked as English for screen readers) and listed",
    )

    i18n = commands.add_parser(
        "i18n",
        help="manage translation catalogs (translations/)",
        description="Extract, update, compile and report on the translation catalogs "
        "under translations/ (pybabel-compatible gettext files).",
    )
    i18n_commands = i18n.add_subparsers(dest="i18n_command", metavar="ACTION", required=True)
    for name, text in [
        ("extract", "write translations/*.pot from the templates and publications"),
        ("update", "merge the .pot templates into every language's .po catalog"),
        ("compile", "check every .po catalog and write its .mo (nothing is written on errors)"),
        ("status", "show how much of each publication is translated into each language"),
    ]:
        action = i18n_commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        if name != "compile":
            action.add_argument(
                "reports", nargs="*", metavar="REPORT_DIR", help="publication folder(s) (default: all in data/)"
            )
        if name in ("update", "status"):
            action.add_argument(
                "--lang", type=_csv_list(None), default=None, metavar="LANG", help="language(s) (default: all nine)"
            )

    translate = commands.add_parser(
        "translate",
        help="ask for a translation, and take it back",
        description="Make a package for a translator, or import a returned translation.",
    )
    translate_commands = translate.add_subparsers(dest="translate_command", metavar="ACTION", required=True)
    request = translate_commands.add_parser(
        "request",
        help="write a translation package (PO, XLIFF, word count, glossary, PDF proof)",
        description="Write a package for a translator with only the texts that are new or changed since the "
        "last translation: a PO file and an XLIFF 1.2 file (send either), request.json with the word "
        "count, glossary.csv and proof.pdf.",
    )
    request.add_argument("report", metavar="REPORT_DIR", help="the publication's folder")
    request.add_argument("--lang", required=True, metavar="LANG", help="the language to translate into, e.g. pl")
    request.add_argument(
        "--out",
        default="out/translation-requests",
        metavar="DIR",
        help="where to write the package (default: out/translation-requests/)",
    )
    take = translate_commands.add_parser(
        "import",
        help="check a returned PO or XLIFF file and merge it (all or nothing)",
        description="Check a translated PO or XLIFF file completely and merge it into translations/. If anything "
        "is wrong, every problem is listed and nothing is merged.",
    )
    take.add_argument("file", metavar="FILE", help="the returned .po or .xlf file")
    take.add_argument("--lang", default=None, metavar="LANG", help="the language the file must be in (optional check)")

    check = commands.add_parser(
        "check",
        help="check a publication before it goes out (content, translations, HTML and PDF)",
        description="Check a publication for what would mislead or exclude a reader: placeholders left in, "
        "unclear links, missing alt text, hard-to-read text, unfinished translations, and the "
        "accessibility of its HTML (axe-core) and PDF (PDF/UA-1). Exit status 1 when there are errors.",
    )
    check.add_argument("report", metavar="REPORT_DIR", nargs="?", help="the publication's folder")
    check.add_argument("--rules", action="store_true", help="list the rules (a Markdown table) and stop")
    check.add_argument(
        "--lang",
        type=_csv_list(None),
        default=None,
        metavar="LANG",
        help="language edition(s) to check fully, or all (default: the publication's own language)",
    )
    check.add_argument(
        "--format",
        choices=["table", "json", "sarif"],
        default="table",
        help="table for people (default), json or sarif for CI",
    )
    check.add_argument("--out", default=None, metavar="FILE", help="write the result to a file (default: print it)")
    check.add_argument(
        "--content-only", action="store_true", help="check the files only; do not build the HTML and PDF (faster)"
    )
    check.add_argument(
        "--reading-ease",
        type=float,
        default=None,
        metavar="N",
        help="lowest Flesch reading ease for an English paragraph (default: the publication's "
        "checks.reading_ease, or 40)",
    )

    _archive_parsers(commands)

    _serve_parser(commands)

    word = commands.add_parser(
        "import",
        help="make a new publication folder from a Word file (.docx)",
        description="Turn a Word document into a publication folder: headings become sections, and "
        "lists, tables, pictures, quotes, links and footnotes are carried over. What cannot be "
        "carried over is listed (and kept in word-import.yaml in the folder); see docs/word.md.",
        epilog="Example: reportgen import draft.docx data/my-publication",
    )
    word.add_argument("docx", metavar="FILE.docx", type=Path, help="the Word file")
    word.add_argument("directory", metavar="DIR", type=Path, help="the publication folder to make")
    word.add_argument("--force", action="store_true", help="replace DIR if it already exists")

    schema = commands.add_parser(
        "schema",
        help="write the JSON Schema of report.yaml",
        description="Write the JSON Schema that describes report.yaml.",
    )
    schema.add_argument("--out", default=None, metavar="FILE", help="file to write (default: print it)")
    return parser


def _serve_parser(commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="open the web pages for building, translating and publishing (this computer only)",
        description="Run a small web app over the same functions as these commands: publications and their "
        "languages, builds, checks, translation requests and imports, publishing and the archive. "
        "It listens on 127.0.0.1 (this computer only) unless told otherwise; see docs/web.md.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than this computer (only behind the trust's proxy)",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the pages may be opened at besides 127.0.0.1 and localhost, e.g. the "
        "proxy's (repeat for more)",
    )
    serve.add_argument(
        "--trust-proxy-header",
        nargs="?",
        const="X-Remote-User",
        default=None,
        metavar="HEADER",
        help="take the signed-in person's name from this header set by the proxy "
        "(default header: X-Remote-User); requests without it are refused",
    )
    serve.add_argument(
        "--password-file",
        default=None,
        metavar="FILE",
        help="ask people to sign in with a name and password from FILE (see docs/web.md)",
    )
    serve.add_argument(
        "--secure-cookies",
        action="store_true",
        help="people reach the pages over https (through a proxy that does TLS): mark the session cookie "
        "Secure and accept forms only from the https address. Automatic with --trust-proxy-header when "
        "the proxy sends X-Forwarded-Proto: https",
    )
    serve.add_argument(
        "--data", default=None, metavar="DIR", help="the publications (default: $REPORTGEN_DATA, else data/)"
    )
    serve.add_argument("--out", default=None, metavar="DIR", help="built files (default: $REPORTGEN_OUT, else out/)")
    serve.add_argument(
        "--archive",
        default=None,
        metavar="DIR",
        help="the archive folder (default: $REPORTGEN_ARCHIVE, else archive/)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes for builds, checks and publishing (default: 1)",
    )


def _cmd_serve(args) -> int:
    from reportgen.web import Config, serve

    if args.trust_proxy_header and args.password_file:
        raise ReportgenError("reportgen serve: choose --trust-proxy-header or --password-file, not both")
    config = Config.from_environment(
        data_dir=args.data,
        out_dir=args.out or current().out_dir,
        archive_dir=args.archive,
        workers=max(1, args.workers),
        trust_proxy_header=args.trust_proxy_header,
        allowed_hosts=tuple(args.allowed_host),
        password_file=Path(args.password_file) if args.password_file else None,
        secure_cookies=args.secure_cookies,
    )
    serve(config, args.host, args.port, allow_remote=args.allow_remote)
    return EXIT_OK


def _archive_parsers(commands) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--archive",
        default=None,
        metavar="DIR",
        help="the archive folder (default: $REPORTGEN_ARCHIVE, else archive/)",
    )
    publish = commands.add_parser(
        "publish",
        parents=[where],
        help="build, check and keep a publication in the archive",
        description="Build a publication, run the accessibility checks, and keep the PDFs that pass in the "
        "archive (PDF/A-3a and PDF/UA-1, with their sources inside). Says, per language, what was "
        "archived, what was unchanged and what was refused, and why.",
    )
    publish.add_argument("report", metavar="REPORT_DIR", help="the publication's folder (it holds report.yaml)")
    publish.add_argument(
        "--lang",
        type=_csv_list(None),
        default=None,
        metavar="LANG",
        help="language(s), or all (default: the publication's own language)",
    )
    publish.add_argument(
        "--publisher",
        default=None,
        metavar="NAME",
        help="who is publishing (default: $REPORTGEN_PUBLISHER, else your user name)",
    )

    archive = commands.add_parser(
        "archive",
        help="find, get back, check and export archived publications",
        description="Look into the archive of published PDFs.",
    )
    actions = archive.add_subparsers(dest="archive_command", metavar="ACTION", required=True)
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--report", default=None, metavar="TEXT", help="part of a publication's id or title")
    filters.add_argument("--lang", default=None, metavar="LANG", help="a language, e.g. en-GB")
    filters.add_argument("--period", default=None, metavar="PERIOD", help="e.g. 2024/25")
    filters.add_argument("--since", default=None, metavar="YYYY-MM-DD", help="archived on or after this date")
    filters.add_argument("--until", default=None, metavar="YYYY-MM-DD", help="archived on or before this date")
    filters.add_argument("--latest", action="store_true", help="only the latest version of each")
    actions.add_parser(
        "list",
        parents=[where, filters],
        help="list archived versions (search with the options)",
        description="List archived versions, newest last; the options narrow the list.",
    )
    show = actions.add_parser(
        "show",
        parents=[where],
        help="one publication: its versions and history",
        description="Show every version of a publication and every time it was published.",
    )
    show.add_argument("report_id", metavar="REPORT_ID")
    show.add_argument("--lang", default=None, metavar="LANG", help="only this language")
    get = actions.add_parser(
        "get",
        parents=[where],
        help="get an archived PDF back out",
        description="Copy an archived PDF out of the archive (checked against its hash).",
    )
    get.add_argument("report_id", metavar="REPORT_ID")
    get.add_argument("--lang", required=True, metavar="LANG", help="the language, e.g. en-GB")
    get.add_argument("--version", type=int, default=None, metavar="N", help="which version (default: the latest)")
    get.add_argument("--out", default=".", metavar="PATH", help="file or folder to write to (default: here)")
    verify = actions.add_parser(
        "verify",
        parents=[where],
        help="re-check every archived file and catalogue record",
        description="Recompute every file's hash and every catalogue record's seal; list missing or "
        "corrupt files, catalogue rows without files, and records that were changed, moved or deleted. "
        "Exit status 1 if anything is wrong.",
    )
    verify.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="HEAD",
        help="an archive head kept elsewhere (as publish and verify print it, e.g. 12:3f5a…): "
        "check it is still in the catalogue (repeatable)",
    )
    actions.add_parser(
        "sign",
        parents=[where],
        help="start signing the catalogue with the archive key",
        description="Sign the catalogue's head with the key in $REPORTGEN_ARCHIVE_KEY_FILE, once, when the "
        "key is first set up (every record must check). Publishing signs it from then on.",
    )
    export = actions.add_parser(
        "export",
        parents=[where, filters],
        help="a zip of archived PDFs with a manifest",
        description="Write a zip of the matching versions with manifest.json, for the trust's records system.",
    )
    export.add_argument("out", metavar="ZIP", help="the zip file to write")
    actions.add_parser(
        "rebuild",
        parents=[where],
        help="remake a lost or damaged catalogue from the files",
        description="Remake catalogue.sqlite from the archived PDFs (each carries its own "
        "description). The old catalogue is kept beside it.",
    )


def _cmd_publish(args) -> int:
    from reportgen.archive.publish import blocking, publish_report

    result = publish_report(
        args.report, langs=args.lang, archive_root=args.archive or current().archive_dir, publisher=args.publisher
    )
    print(f"Publishing {result.title} ({result.report_id}) into {result.archive}:")
    for item in result.languages:
        if item.status.value == "refused":
            stopping = blocking(item.findings)
            print(f"  {item.lang}: refused — " + (f"{len(stopping)} check(s) failed:" if stopping else item.reason))
            for finding in stopping[:10]:
                print(f"    - {finding.rule}: {str(finding)[:300]}")
            if len(stopping) > 10:
                print(f"    … and {len(stopping) - 10} more: reportgen check {args.report}")
        else:
            print(
                f"  {item.lang}: {item.status.value} — version {item.version}, {item.pages} page(s), "
                f"{_size(item.size)}, sha256 {item.sha256[:16]}…"
            )
    if result.head:
        print(f"Archive head: {result.head} (keep it elsewhere: reportgen archive verify --anchor checks it)")
    return EXIT_FAILED if result.refused else EXIT_OK


def _print_versions(versions) -> None:
    print(f"{'report':42} {'lang':8} {'ver':>3}  {'archived':20}  {'pages':>5}  {'size':>7}  period")
    for v in versions:
        print(
            f"{v.report_id:42} {v.lang:8} {v.version:>3}  {v.published_at:20}  {v.pages or '?':>5}  "
            f"{_size(v.size):>7}  {v.period or ''}"
        )


def _cmd_archive(args) -> int:
    from reportgen.archive.store import Archive

    archive = Archive(args.archive or current().archive_dir)
    command = args.archive_command
    filters = {key: getattr(args, key, None) for key in ("report", "lang", "period", "since", "until")}
    if command == "list":
        versions = archive.search(**filters, latest_only=args.latest)
        _print_versions(versions)
        print(f"{len(versions)} version(s)")
    elif command == "show":
        history = archive.history(args.report_id, args.lang)
        latest = history.versions[-1]
        print(f"{latest.title} ({history.report_id})")
        for v in history.versions:
            print(
                f"  {v.lang} v{v.version}: archived {v.published_at} by {v.publisher}; {v.pages} page(s), "
                f"{_size(v.size)}; sha256 {v.sha256}; source {v.source_hash}; {v.generator}"
            )
        print("History:")
        for e in history.events:
            print(f"  {e.at}  {e.lang} v{e.version} {e.status.value} by {e.publisher}")
    elif command == "get":
        version, path, _data = archive.get(args.report_id, args.lang, args.version, out=args.out)
        print(f"Wrote {path} ({version.report_id} {version.lang} version {version.version}, sha256 checked)")
    elif command == "verify":
        result = archive.verify(anchors=args.anchor)
        for issue in result.problems:
            print(f"  {issue.rule}: {issue}")
        for issue in result.notes:
            print(f"  note, {issue.rule}: {issue}")
        print(
            f"Checked {result.checked} file(s) and {result.records} catalogue record(s): "
            + ("all intact." if result.ok else f"{len(result.problems)} problem(s).")
        )
        if result.head:
            print(f"Archive head: {result.head}")
        return EXIT_OK if result.ok else EXIT_FAILED
    elif command == "sign":
        head = archive.sign()
        print(f"Signed {archive.catalogue}: archive head {head}. Publish with the key from now on.")
    elif command == "export":
        path, count = archive.export(args.out, **filters, latest_only=args.latest)
        print(f"Wrote {path}: {count} file(s) and manifest.json")
    elif command == "rebuild":
        result = archive.rebuild()
        print(f"Rebuilt {result.catalogue}: {result.versions} version(s) from the archived files.")
        for path in result.moved_aside:
            print(f"  the old catalogue is kept as {path}")
        for reason in result.skipped:
            print(f"  skipped {reason}")
        return EXIT_FAILED if result.skipped else EXIT_OK
    return EXIT_OK


def _cmd_build(args) -> int:
    from reportgen.build.core import build_reports

    if args.jobs is not None and args.jobs < 1:
        raise ReportgenError("reportgen build: --jobs must be 1 or more")
    if args.for_each:
        if len(args.reports) > 1:
            raise ReportgenError("reportgen build: --for-each builds one publication at a time")
        return _build_batch(args)
    if args.scheduler:
        raise ReportgenError("reportgen build: --scheduler goes with --for-each")
    results = build_reports(args.reports, _request(args))
    status = EXIT_OK
    for built in results:
        if built.error is not None:
            print(f"reportgen: {built.error}", file=sys.stderr)
            status = max(status, built.error.exit_code)
            continue
        _print_built(built.result)
    return status


def _request(args) -> BuildRequest:
    """The build's options, said once, from the command line."""
    return BuildRequest(
        langs=args.lang or current().default_languages or None,  # the workspace's languages when none given
        formats=args.format,
        out_dir=args.out,
        allow_partial=args.allow_partial,
        pdf_standard=args.pdf_standard,
        force=args.force,
        jobs=args.jobs,
    )


def _print_built(result) -> None:
    made = [o for o in result.outputs if not o.skipped]
    skipped = [o for o in result.outputs if o.skipped]
    print(f"{'Built' if made else 'Up to date:'} {result.title} ({result.report_id}):")
    for output in made:
        state = "built" if output.changed else "same bytes"
        print(
            f"  {output.path}  ({output.format.upper()}, {output.lang}, {_size(output.size)}) — {state}: "
            f"{output.reason}"
        )
    if skipped:
        langs = ", ".join(dict.fromkeys(o.lang for o in skipped))
        print(
            f"  {'all ' if not made else ''}{len(skipped)} {'other ' if made else ''}file(s) skipped, up to date "
            f"(nothing they are made from has changed since they were built; --force rebuilds): {langs}"
        )
    for lang, missing in result.untranslated.items():
        print(f"  {lang}: {len(missing)} passage(s) shown in English because they are not translated yet:")
        for text in missing[:10]:
            print(f"    - {text[:70]}")
        if len(missing) > 10:
            print(f"    … and {len(missing) - 10} more (reportgen i18n status)")


def _build_batch(args) -> int:
    from reportgen.build.batch import Outcome, build_batch

    bar = _Progress(sys.stderr)
    result = build_batch(
        args.reports[0], _request(args), axis=args.for_each, scheduler=args.scheduler, progress=bar.update
    )
    bar.close()
    print(
        f"{result.report_id}, for each {result.axis}: {result.count(Outcome.BUILT)} built, "
        f"{result.count(Outcome.UNCHANGED)} unchanged, {result.count(Outcome.UP_TO_DATE)} up to date, "
        f"{result.count(Outcome.FAILED)} failed (files in {Path(args.out or current().out_dir) / result.report_id})"
    )
    if result.count(Outcome.UP_TO_DATE):
        print("  up to date = skipped: nothing they are made from has changed since they were built (--force rebuilds)")
    for failed in result.failed:
        print(f"  {failed.value}: failed — {failed.reason}")
    return EXIT_FAILED if result.failed else EXIT_OK


class _Progress:
    """A progress bar on a terminal; one line per finished item otherwise (logs, CI)."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()

    def update(self, done: int, total: int, item) -> None:
        if self.tty:
            filled = int(30 * done / total)
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {item.value}: {item.outcome.value:9}"
            )
        else:
            self.stream.write(f"[{done}/{total}] {item.value}: {item.outcome.value}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


def _cmd_i18n(args) -> int:
    from reportgen.i18n import catalogs

    reports = [Path(r) for r in getattr(args, "reports", [])] or None
    if args.i18n_command == "compile":
        for path in catalogs.compile_all():
            print(f"  compiled {path}")
        return EXIT_OK
    if args.i18n_command == "status":
        rows = catalogs.status_all(reports, args.lang)
        print(f"{'catalog':42} {'lang':8} {'translated':>10} {'fuzzy':>6}  review")
        for row in rows:
            print(f"{row.domain:42} {row.tag:8} {row.percent:9.0f}% {row.fuzzy_percent:5.0f}%  {row.review}")
        return EXIT_OK
    changes = (
        catalogs.extract_all(reports) if args.i18n_command == "extract" else catalogs.update_all(reports, args.lang)
    )
    for change in changes:
        print(f"  {'wrote' if change.changed else 'unchanged'} {change.path}")
    return EXIT_OK


def _cmd_check(args) -> int:
    from reportgen.check import check_report
    from reportgen.check.formats import as_json, as_sarif, as_table, rules_markdown

    if args.rules:
        sys.stdout.write(rules_markdown())
        return EXIT_OK
    if not args.report:
        raise ReportgenError("reportgen check: give the publication's folder, e.g. reportgen check data/my-publication")
    settings = None
    if args.reading_ease is not None:
        from reportgen.content.model import CheckSettings

        settings = CheckSettings(reading_ease=args.reading_ease)
    result = check_report(args.report, langs=args.lang, outputs=not args.content_only, settings=settings)
    if args.format == "table":
        colour = args.out is None and sys.stdout.isatty() and current().colour
        text = as_table(result, colour=colour) + "\n"
    else:
        text = (
            json.dumps(as_json(result) if args.format == "json" else as_sarif(result), indent=2, ensure_ascii=False)
            + "\n"
        )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Wrote {args.out}: {len(result.errors)} error(s), {len(result.warnings)} warning(s)")
    else:
        sys.stdout.write(text)
    return EXIT_OK if result.passed else EXIT_FAILED


def _cmd_import(args) -> int:
    from reportgen.content.docx import IMPORT_REPORT, import_docx

    result = import_docx(args.docx, args.directory, force=args.force)
    print(f"Made {result.folder} from {args.docx.name}: report.yaml and {result.pictures} picture(s)")
    if result.notes:
        print(f"Not carried over as it was, or to look at ({len(result.notes)}; kept in {IMPORT_REPORT}):")
        for note in result.notes:
            print(printable(f"  {note.place}: {note.message}"))
    if result.problems:
        print(f"Still needed before it builds ({len(result.problems)}):")
        for problem in result.problems:
            print(f"  {problem}")
    else:
        print(f"It builds: reportgen build {result.folder}")
    print(f"Then check it: reportgen check {result.folder}")
    return EXIT_OK


def _cmd_schema(args) -> int:
    from reportgen.content.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        path = Path(args.out)
        if not path.exists() or path.read_text(encoding="utf-8") != text:  # no churn when unchanged
            path.write_text(text, encoding="utf-8")
        print(f"Wrote {path}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _cmd_translate(args) -> int:
    from reportgen.i18n import handoff

    if args.translate_command == "request":
        from reportgen.build.requests import make_request

        package = make_request(Path(args.report), args.lang, Path(args.out))
        print(
            f"Translation request for {package.report_id} into {package.lang}: "
            f"{package.entries} text(s), {package.words} source word(s)"
        )
        for path in package.files:
            print(f"  {path}")
        if not package.entries:
            print("  Nothing to translate: the catalog is complete.")
        return EXIT_OK
    result = handoff.import_translation(Path(args.file), args.lang)
    print(f"Imported {result.merged} translation(s) into {result.catalog}")
    return EXIT_OK


def _cmd_init(args) -> int:
    from reportgen.build.init import init_workspace

    made = init_workspace(args.directory)
    print(f"Made a workspace in {made.root}:")
    print(f"  {made.file}  (where things are, and your organisation's name and colours)")
    print(f"  {made.publications}/  one sample publication")
    print(f"Try: cd {args.directory} && reportgen build {made.publications.name}/*")
    return EXIT_OK


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from reportgen.provenance import versions

        for name, version in versions().items():
            print(f"{name} {version}")
        parser.exit()


def _settings(args) -> Settings:
    """The settings: the workspace's (--workspace, else the nearest reportgen.toml upwards), then the environment."""
    from reportgen.workspace import FILENAME, find_workspace, load_workspace

    if args.workspace is not None:
        if not (args.workspace / FILENAME).is_file():
            from reportgen.errors import InputError

            raise InputError(
                f"{args.workspace}: there is no {FILENAME} here — give the folder that holds it, "
                f"or make a workspace with: reportgen init {args.workspace}"
            )
        root = args.workspace
    else:
        root = find_workspace(Path.cwd())
    return Settings.from_environment(workspace=load_workspace(root) if root is not None else None)


COMMANDS = {
    "init": _cmd_init,
    "build": _cmd_build,
    "check": _cmd_check,
    "schema": _cmd_schema,
    "import": _cmd_import,
    "i18n": _cmd_i18n,
    "translate": _cmd_translate,
    "publish": _cmd_publish,
    "archive": _cmd_archive,
    "serve": _cmd_serve,
}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    if not args.verbose:
        # WeasyPrint reports CSS it ignores (browser-only properties) at warning level: that
        # is for developers, not for the person building a publication.
        for handler in logging.getLogger().handlers:
            handler.addFilter(
                lambda record: not record.name.startswith("weasyprint") or record.levelno >= logging.ERROR
            )
    try:
        with use(Settings.from_environment() if args.command == "init" else _settings(args)):  # read once
            return COMMANDS[args.command](args)
    except ReportgenError as exc:
        print(f"reportgen: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("reportgen: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``reportgen … | head``): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is silent
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug, not the user's fault: say so, without a traceback
        logging.getLogger("reportgen").debug("internal error", exc_info=True)
        print(
            printable(
                f"reportgen: internal error ({type(exc).__name__}: {exc}). Please report it; run with -v for details."
            ),
            file=sys.stderr,
        )
        return EXIT_INTERNAL
