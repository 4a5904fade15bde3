"""Message catalogs: the gettext tree under translations/, read and written with Babel.

Layout (pybabel-compatible)::

    translations/ui.pot                              template strings (headings, labels, …)
    translations/<report-id>.pot                     one publication's content
    translations/<locale>/LC_MESSAGES/<domain>.po    a language's translations

``<locale>`` is Babel's identifier for the BCP 47 tag (``zh-Hant`` → ``zh_Hant``). Locales are
matched exactly here — never through gettext's own lookup, which expands ``zh_Hant_TW`` to
``zh`` and ``pa_Arab`` to ``pa`` and so silently falls back to the wrong script.

``.mo`` files are build products: ``reportgen i18n compile`` writes them (after checking),
and builds compile catalogs in memory, so a stale ``.mo`` can never be used.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from reportgen import __version__
from reportgen.content import markup
from reportgen.content.load import display_path
from reportgen.errors import Finding, InputError
from reportgen.files import write_atomically
from reportgen.i18n.extract import extract_report_yaml
from reportgen.i18n.paths import UI_DOMAIN, locale_dir, po_path, pot_path, translations_dir
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE, find_language
from reportgen.resources import PROJECT_ROOT, TEMPLATES_DIR, UI_TRANSLATIONS_DIR
from reportgen.settings import current

PROJECT = "reportgen"

TARGET_LANGUAGES = [tag for tag in LANGUAGES if tag != SOURCE_LANGUAGE]

SURVEY_TEMPLATES = "survey"
WEB_TEMPLATES = "web"
REVIEW_NOTICE = "awaiting review by a qualified translator"


def pin_plural_forms(catalog: Catalog, tag: str) -> None:
    count, expression = LANGUAGES[tag].plural_forms
    catalog.mime_headers = [("Plural-Forms", f"nplurals={count}; plural={expression};")]


# One PO keyword line or continuation line, closed by an unescaped quote mark.
_PO_STRING_LINE = re.compile(r'^\s*(?:msg[a-z_]+(?:\[\d+\])?\s+)?"(?:[^"\\]|\\.)*"\s*$')


def _unclosed_string(data: bytes) -> int | None:
    """The first line whose text has no closing quote mark (Babel would read it as empty), or None."""
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if (stripped.startswith("msg") or stripped.startswith('"')) and not _PO_STRING_LINE.match(line):
            return number
    return None


def read_catalog(path: Path, tag: str | None = None) -> Catalog:
    """Read a PO/POT file; syntax errors name the file and line."""
    try:
        data = path.read_bytes()
        catalog = read_po(io.BytesIO(data), locale=locale_dir(tag) if tag else None, abort_invalid=True)
    except Exception as exc:  # babel raises PoFileError with a line number in its message
        raise InputError.single(display_path(path), f"not a readable PO file: {exc}") from None
    line = _unclosed_string(data)
    if line is not None:
        raise InputError.single(
            f"{display_path(path)}:{line}",
            'a text is not closed with a quote mark (") — close it on the same line, '
            "or the translation would be read as empty",
        )
    if tag:
        pin_plural_forms(catalog, tag)
    return catalog


def _fingerprint(catalog: Catalog) -> list:
    """What matters in a catalog, without dates that change on every run."""

    def text(value):
        return tuple(v or "" for v in value) if isinstance(value, (list, tuple)) else (value or "")

    return [
        (
            msg.id,
            msg.context,
            text(msg.string),
            " ".join(msg.auto_comments).split(),
            tuple(msg.locations),
            tuple(sorted(msg.flags)),
            tuple(msg.user_comments),
        )
        for msg in catalog
        if msg.id  # the header entry carries dates that change on every run
    ] + [catalog.header_comment, catalog.plural_forms if catalog.locale else None]


def write_catalog(catalog: Catalog, path: Path, *, template: bool = False) -> bool:
    """Write a catalog atomically, only when its content changed. True if written."""
    if path.exists():
        try:
            with path.open("rb") as stream:
                old = read_po(stream, locale=catalog.locale)
            if old.locale:
                old.mime_headers = [("Plural-Forms", catalog.plural_forms)]
            if _fingerprint(old) == _fingerprint(catalog):
                return False
        except Exception:  # unreadable old file: rewrite it
            pass
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=False, ignore_obsolete=template, include_previous=True)
    write_atomically(path, buffer.getvalue())
    return True


def build_date() -> dt.datetime:
    """Reproducible time stamp: SOURCE_DATE_EPOCH when set."""
    epoch = current().source_date_epoch
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


# --- extraction ------------------------------------------------------------------------


def _template_catalog(what: str) -> Catalog:
    catalog = Catalog(
        project=PROJECT,
        version=__version__,
        creation_date=build_date(),
        charset="utf-8",
        fuzzy=False,
        copyright_holder="The reportgen authors",
        msgid_bugs_address="the communications team of Leicestershire Partnership NHS Trust",
    )
    catalog.header_comment = (
        f"# Translation template for {what}.\n# Generated by reportgen i18n extract: do not edit by hand."
    )
    return catalog


# A call of one of Babel's default Python keywords: a module without one has no message.
_GETTEXT_CALL = re.compile(r"\b(?:_|N_|gettext|ngettext|ugettext|ungettext|dgettext|dngettext|pgettext|npgettext)\s*\(")


def extract_ui() -> Catalog:
    """Template strings, extracted by Jinja2's Babel extractor."""
    catalog = _template_catalog("reportgen's page furniture (headings, labels, rating words)")
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        if path.relative_to(TEMPLATES_DIR).parts[0] in (SURVEY_TEMPLATES, WEB_TEMPLATES):
            # the survey report's vocabulary (see datasets.py) and the web app (docs/web.md):
            # English only for now
            continue
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "jinja2.ext:babel_extract",
            str(path),
            comment_tags=("Translators:",),
            options={"extensions": "jinja2.ext.i18n", "trimmed": "true"},
        ):
            catalog.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    for path in sorted((PROJECT_ROOT / "src" / "reportgen").rglob("*.py")):  # e.g. the running footer
        if not _GETTEXT_CALL.search(path.read_text(encoding="utf-8")):
            continue  # tokenizing a module is most of the time extraction takes; most have no message
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), comment_tags=("Translators:",)
        ):
            catalog.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    for lang in LANGUAGES.values():  # language names are shown in every language
        catalog.add(
            lang.english_name,
            None,
            [("src/reportgen/languages.py", None)],
            auto_comments=["Name of a language, in a list of the languages this publication is offered in."],
            context="language name",
        )
    return catalog


def extract_content(report_file: Path) -> Catalog:
    """A publication's translatable content, extracted by our Babel method."""
    catalog = _template_catalog(f"the publication {report_file.parent.name}")
    relative = _relative(report_file)

    with open(report_file, "rb") as stream:  # the extractor reads stream.name to find the folder
        for lineno, message, comments, context in extract(extract_report_yaml, stream):
            if catalog.get(message, context) is not None:
                catalog.get(message, context).locations.append((relative, lineno))
                continue
            catalog.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    return catalog


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


# --- per-language catalogs -------------------------------------------------------------


def new_catalog(template: Catalog, tag: str, domain: str) -> Catalog:
    catalog = Catalog(
        locale=locale_dir(tag),
        domain=domain,
        project=PROJECT,
        version=__version__,
        charset="utf-8",
        creation_date=template.creation_date,
        fuzzy=False,
        msgid_bugs_address=template.msgid_bugs_address,
        last_translator="not yet translated",
        language_team=f"{tag} (awaiting a qualified translator)",
    )
    catalog.header_comment = provenance_comment(tag, domain, translated_by=None, checked_by=None, when=None)
    catalog.update(template)
    pin_plural_forms(catalog, tag)
    return catalog


def provenance_comment(
    tag: str, domain: str, translated_by: str | None, checked_by: str | None, when: str | None
) -> str:
    lang = find_language(tag)
    name = lang.english_name if lang else tag
    return "\n".join(
        [
            f"# {name} ({tag}) translations for reportgen, domain '{domain}'.",
            f"# Translated by: {translated_by or 'not yet translated'}",
            f"# Checked by: {checked_by or 'nobody yet'}",
            f"# Date: {when or 'n/a'}",
            f"# Status: {REVIEW_NOTICE}.",
        ]
    )


def merged_catalog(template: Catalog, tag: str, domain: str, root: Path | None = None) -> Catalog:
    """A language's catalog with the template merged in (new if missing); nothing written."""
    root = root or translations_dir()
    path = po_path(tag, domain, root)
    if not path.exists():
        return new_catalog(template, tag, domain)
    catalog = read_catalog(path, tag)
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
    pin_plural_forms(catalog, tag)
    return catalog


def update_catalog(template: Catalog, tag: str, domain: str, root: Path | None = None) -> tuple[Catalog, bool]:
    """Merge a template into a language's catalog (created if missing); write if changed."""
    root = root or translations_dir()
    catalog = merged_catalog(template, tag, domain, root)
    return catalog, write_catalog(catalog, po_path(tag, domain, root))


# --- checking and using catalogs -------------------------------------------------------

PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}|%\([a-z_]+\)[sd]")


def message_problems(msgid, msgstr, flags=()) -> list[str]:
    """Why a translation cannot be used as it is (placeholders, inline markup, links)."""
    ids = msgid if isinstance(msgid, (list, tuple)) else [msgid]
    strings = msgstr if isinstance(msgstr, (list, tuple)) else [msgstr]
    problems = []
    source_placeholders = sorted(set().union(*(PLACEHOLDER.findall(i) for i in ids)))
    for index, string in enumerate(strings):
        if not string:
            continue
        found = sorted(set(PLACEHOLDER.findall(string)))
        # A plural form may drop the count placeholder (e.g. Arabic 'one' says the word).
        if found != source_placeholders and not (len(strings) > 1 and set(found) <= set(source_placeholders)):
            problems.append(
                f"placeholders {', '.join(found) or 'none'} differ from the source's "
                f"{', '.join(source_placeholders) or 'none'}" + (f" (form {index})" if len(strings) > 1 else "")
            )
        if string.count("**") % 2:
            problems.append("unbalanced ** (bold) marker")
        source_links = sorted(link.href for i in ids for link in markup.links(i))
        target_links = sorted(link.href for link in markup.links(string))
        if source_links != target_links:
            problems.append(
                f"links differ from the source: expected {source_links or 'none'}, found {target_links or 'none'}"
            )
        if string.count("[") != string.count("]"):
            problems.append("unbalanced [ ] in link markup")
    return problems


def check_catalog(catalog: Catalog, path: Path) -> list[Finding]:
    """Babel's own checks plus ours, as problems with file and line."""
    shown = display_path(path)
    problems = []
    for message, errors in catalog.check():
        for error in errors:
            problems.append(Finding(shown, message.lineno, _label(message), str(error)))
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        for text in message_problems(message.id, message.string):
            problems.append(Finding(shown, message.lineno, _label(message), text))
    return problems


def _label(message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    short = msgid if len(msgid) <= 40 else msgid[:37] + "…"
    return f"msgid {short!r}" + (f" (msgctxt {message.context!r})" if message.context else "")


def translations_for(tag: str, domain: str = UI_DOMAIN, root: Path | None = None) -> gettext.NullTranslations:
    """gettext translations for the templates, compiled in memory from the PO file."""
    if tag == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = po_path(tag, domain, root)
    if not path.exists():
        raise InputError.single(display_path(path), f"no {domain} catalog for {tag} — run: reportgen i18n update")
    catalog = read_catalog(path, tag)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


@dataclass(frozen=True)
class Coverage:
    domain: str
    tag: str
    total: int
    translated: int
    fuzzy: int
    exists: bool
    review: str

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def fuzzy_percent(self) -> float:
        return 100.0 * self.fuzzy / self.total if self.total else 0.0


def coverage(template: Catalog, tag: str, domain: str, root: Path | None = None) -> Coverage:
    path = po_path(tag, domain, root)  # root None: where the catalogs of that domain are read from
    ids = {(m.id, m.context) for m in template if m.id}
    if not path.exists():
        return Coverage(domain, tag, len(ids), 0, 0, False, "no catalog")
    catalog = read_catalog(path, tag)
    translated = fuzzy = 0
    for message in catalog:
        if (message.id, message.context) not in ids:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            fuzzy += 1
        elif all(strings):
            translated += 1
    review = "reviewed" if REVIEW_NOTICE not in (catalog.header_comment or "") else REVIEW_NOTICE
    return Coverage(domain, tag, len(ids), translated, fuzzy, True, review)


# --- whole-project operations (the i18n commands) --------------------------------------


def report_files(reports: list[Path] | None = None) -> list[Path]:
    if reports:
        return [Path(r) / "report.yaml" if Path(r).is_dir() else Path(r) for r in reports]
    return sorted(current().data_dir.glob("*/report.yaml"))


def templates_by_domain(reports: list[Path] | None = None) -> dict[str, Catalog]:
    """Freshly extracted templates: the UI domain and one domain per publication."""
    from reportgen.content.model import load_report

    result = {UI_DOMAIN: extract_ui()}
    for path in report_files(reports):
        report, _ = load_report(path.parent)
        result[report.id] = extract_content(path)
    return result


@dataclass(frozen=True)
class FileChange:
    path: Path
    changed: bool


def keeps_own_ui(root: Path) -> bool:
    """True where the page furniture's catalogs under ``root`` are to be written: reportgen's own
    repository, or a workspace that keeps its own ui.pot. Elsewhere they are reportgen's built-in
    ones, read only: writing a ui.pot there would replace every translated heading and label with
    an empty catalog of the workspace's."""
    return (root / f"{UI_DOMAIN}.pot").is_file() or root.resolve() == UI_TRANSLATIONS_DIR.resolve()


def _writable_domains(reports, root: Path) -> dict[str, Catalog]:
    domains = templates_by_domain(reports)
    if not keeps_own_ui(root):
        domains.pop(UI_DOMAIN)
    return domains


def extract_all(reports: list[Path] | None = None, root: Path | None = None) -> list[FileChange]:
    """Write translations/<domain>.pot for the UI (where it is ours, see :func:`keeps_own_ui`) and
    each publication (only when changed)."""
    root = root or translations_dir()
    return [
        FileChange(pot_path(domain, root), write_catalog(catalog, pot_path(domain, root), template=True))
        for domain, catalog in _writable_domains(reports, root).items()
    ]


def update_all(
    reports: list[Path] | None = None, langs: list[str] | None = None, root: Path | None = None
) -> list[FileChange]:
    """Merge the templates into the languages' catalogs.

    The UI catalogs are created for every language; a publication's catalog is created only
    for the languages named in ``langs`` (a translation is a decision), and otherwise updated
    where it exists.
    """
    root = root or translations_dir()
    changes = []
    for domain, template in _writable_domains(reports, root).items():
        for tag in langs or TARGET_LANGUAGES:
            if domain != UI_DOMAIN and not langs and not po_path(tag, domain, root).exists():
                continue
            _catalog, changed = update_catalog(template, tag, domain, root)
            changes.append(FileChange(po_path(tag, domain, root), changed))
    return changes


def compile_all(root: Path | None = None) -> list[Path]:
    """Check every catalog and write its .mo; on any problem write nothing (unlike pybabel)."""
    root = root or translations_dir()
    catalogs = []
    problems = []
    for path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        tag = _tag_for_dir(path.parent.parent.name)
        catalog = read_catalog(path, tag)
        problems.extend(check_catalog(catalog, path))
        catalogs.append((path, catalog))
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the catalogs — nothing was compiled", tuple(problems))

    written = []
    for path, catalog in catalogs:
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        written.append(write_atomically(path.with_suffix(".mo"), buffer.getvalue()))
    return written


def status_all(
    reports: list[Path] | None = None, langs: list[str] | None = None, root: Path | None = None
) -> list[Coverage]:
    root = root or translations_dir()
    own_ui = keeps_own_ui(root)
    return [
        coverage(template, tag, domain, root if own_ui or domain != UI_DOMAIN else None)  # None: built-in
        for domain, template in templates_by_domain(reports).items()
        for tag in langs or TARGET_LANGUAGES
    ]


def _tag_for_dir(name: str) -> str:
    for tag in LANGUAGES:
        if locale_dir(tag) == name:
            return tag
    raise InputError.single(
        name, f"'{name}' is not one of the trust's languages: {', '.join(locale_dir(t) for t in LANGUAGES)}"
    )


def content_lookup(tag: str, domain: str, root: Path | None = None):
    """(context, source text) → translation, from a language's catalog for one publication."""
    root = root or translations_dir()
    path = po_path(tag, domain, root)
    if not path.exists():
        lang = find_language(tag)
        raise InputError.single(
            display_path(path),
            f"there is no {lang.english_name if lang else tag} ({tag}) translation of '{domain}' — "
            f"request one with: reportgen translate request data/{domain} --lang {tag}",
        )
    catalog = read_catalog(path, tag)
    problems = check_catalog(catalog, path)
    if problems:
        raise InputError(f"{display_path(path)}: the catalog has problems — nothing was built", tuple(problems))

    def lookup(context: str, text: str) -> str | None:
        message = catalog.get(text, context)
        if message is None or message.fuzzy or not message.string:
            return None
        return message.string

    return lookup


def missing_ui(tag: str, root: Path | None = None) -> list[str]:
    """UI strings without a translation in ``tag`` (the page furniture must be complete)."""
    if tag == SOURCE_LANGUAGE:
        return []
    template = ui_messages()
    path = po_path(tag, UI_DOMAIN, root)
    if not path.exists():
        return [msgid if isinstance(msgid, str) else msgid[0] for msgid, _context in template]
    catalog = read_catalog(path, tag)
    missing = []
    for msgid, context in template:
        found = catalog.get(msgid, context)
        strings = (
            found.string
            if found is not None and isinstance(found.string, (list, tuple))
            else [found.string if found else ""]
        )
        if found is None or found.fuzzy or not all(strings):
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
    return missing


def ui_messages() -> tuple:
    """(msgid, context) of every UI message, as :func:`extract_ui` finds them.

    Extraction parses every template and module (about 0.4 s), and a build asks once per
    language: the result is kept while no source file changes (their sizes and times).
    """
    sources = sorted(TEMPLATES_DIR.rglob("*.html")) + sorted((PROJECT_ROOT / "src" / "reportgen").rglob("*.py"))
    signature = tuple((str(path), stat.st_size, stat.st_mtime_ns) for path in sources for stat in [path.stat()])
    return _ui_messages(signature)


@lru_cache(maxsize=2)
def _ui_messages(_signature: tuple) -> tuple:
    return tuple((message.id, message.context) for message in extract_ui() if message.id)
