"""Render stage: a validated Report → one self-contained HTML page for one language.

Takes a :class:`~reportgen.content.model.Report` and a :class:`Medium` (``screen`` for a page read
on screen, ``print`` for the page WeasyPrint lays out) and returns the HTML as a string; the
output formats (:mod:`reportgen.formats`) choose the medium. Templates come from
``templates/``: ``kinds/<kind>.html`` for the publication kind, ``base.html`` beneath it, and
one ``blocks/_<type>.html`` per block type. Report content reaches the templates as data
and is escaped by autoescape; only :mod:`reportgen.content.markup` turns inline Markdown into HTML.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from reportgen import provenance
from reportgen.colours import brand_graphics_colour, brand_text_colour
from reportgen.content import markup
from reportgen.content.model import ColumnType, Domain, Rating, Report, section_anchor
from reportgen.i18n import formatting as i18n
from reportgen.i18n.translate import Untranslated
from reportgen.languages import LANGUAGES, SOURCE_LANGUAGE, Direction, language
from reportgen.resources import ASSETS_DIR, TEMPLATES_DIR
from reportgen.settings import current


class Medium(str, Enum):
    """What the page is laid out for (several output formats may share one medium)."""

    SCREEN = "screen"  # a page read on a screen: images embedded, no page furniture
    PRINT = "print"  # a page laid out on paper by WeasyPrint: images by file name, print CSS


@dataclass(frozen=True)
class Heading:
    """A section's place in the document: its anchor, level and number in the outline."""

    anchor: str
    level: int
    title: str
    children: tuple[Heading, ...]


def _outline(report: Report) -> dict[int, Heading]:
    """Map id(section) → Heading; levels come from nesting, never from the author."""
    by_section: dict[int, Heading] = {}

    def build(sections, path, level):
        result = []
        for index, section in enumerate(sections):
            here = (*path, index)
            children = build(section.sections, (*here, "sections"), level + 1)
            heading = Heading(section_anchor(section, here), level, section.title, tuple(children))
            by_section[id(section)] = heading
            result.append(heading)
        return result

    build(report.sections, ("sections",), 2)
    return by_section


def environment(lang: str = SOURCE_LANGUAGE) -> jinja2.Environment:
    """The Jinja2 environment for one output language, its UI catalog installed.

    Cached per language and catalog version, so an updated catalog is picked up at once.
    """
    from reportgen.i18n.paths import UI_DOMAIN, po_path

    path = po_path(lang, UI_DOMAIN)
    stamp = path.stat().st_mtime_ns if lang != SOURCE_LANGUAGE and path.exists() else 0
    override = current().templates_dir
    return _environment(lang, str(path), stamp, override, _folder_stamp(override))


def _folder_stamp(folder: Path | None) -> tuple:
    """The override folder's files and their times: a file added there must replace a built-in one at once
    (Jinja's own check only notices a template that changed, not one that newly hides another)."""
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()))


@lru_cache(maxsize=32)
def _environment(
    lang: str, _catalog: str, _catalog_stamp: int, override: Path | None = None, _override_stamp: tuple = ()
) -> jinja2.Environment:
    from reportgen.i18n.catalogs import translations_for

    translations = translations_for(lang)
    # A workspace's templates folder overrides the built-in templates one file at a time.
    folders = ([str(override)] if override is not None else []) + [str(TEMPLATES_DIR)]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder) for folder in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations, newstyle=True)
    _install_plain_gettext(env, translations)
    env.extend(ui_translations=translations)
    env.filters["inline"] = _inline
    env.filters["text"] = _text
    env.filters["plain"] = markup.plain_text
    env.globals["LANGUAGES"] = LANGUAGES
    return env


# A UI message's placeholders: %(name)s or %(name)d, and %% for a percent sign. Any other % is
# a literal percent sign (a translation saying "100%" shows "100%").
_UI_FORMAT = re.compile(r"%(?:\(([A-Za-z_][A-Za-z0-9_]*)\)([sd])|%)")


def _fill(message: str, variables: dict) -> Markup:
    """A UI message as HTML: the message is plain text (escaped, never markup, even if a returned
    translation carries some), its placeholders filled with the escaped values."""

    def value(match: re.Match) -> str:
        name, conversion = match.groups()
        if name is None:
            return "%"
        if name not in variables:
            return str(escape(match.group(0)))
        found = variables[name]
        if conversion == "d" and isinstance(found, (int, float)):
            found = str(int(found))
        return str(escape(found))

    return Markup(_UI_FORMAT.sub(value, str(escape(message))))


def _install_plain_gettext(env: jinja2.Environment, translations) -> None:
    """Replace Jinja's newstyle gettext callables, which mark every translation safe and %-format
    it (so markup in a returned ui.po went live into pages, and a literal % crashed the build)."""

    def gettext(message: str, **variables) -> Markup:
        return _fill(translations.gettext(message), variables)

    def ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
        variables.setdefault("num", num)
        return _fill(translations.ngettext(singular, plural, num), variables)

    def pgettext(context: str, message: str, **variables) -> Markup:
        return _fill(translations.pgettext(context, message), variables)

    def npgettext(context: str, singular: str, plural: str, num: int, **variables) -> Markup:
        variables.setdefault("num", num)
        return _fill(translations.npgettext(context, singular, plural, num), variables)

    env.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)


def _fallback(html: Markup, text) -> Markup:
    """Wrap source-language text shown in a translation in its own language and direction."""
    if isinstance(text, Untranslated):
        source = language(Untranslated.lang)
        return Markup('<span lang="{}" dir="{}">{}</span>').format(source.tag, source.direction.value, html)
    return html


@jinja2.pass_context
def _inline(context, text: str) -> Markup:
    """Inline Markdown → HTML, with the publication's {values} formatted for the page's language."""
    return _fallback(markup.inline_html(text, context.get("values")), text)


def _text(text) -> Markup:
    """Plain content text, escaped; marked with its language when it is an untranslated fallback."""
    return _fallback(escape(str(text)), text)


def _lang_attribute(text) -> Markup:
    """` lang="en-GB"` for an attribute value (alt text) that fell back to the source language."""
    return Markup(' lang="{}"').format(Untranslated.lang) if isinstance(text, Untranslated) else Markup("")


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".svg":
        kind = "image/svg+xml"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def brand_css() -> str:
    """The workspace's brand colours (checked for contrast when reportgen.toml is read): text in
    place of NHS Blue, graphics (rules, borders) in place of the theme's; nothing for what is NHS Blue
    or not set."""
    colours = current().organisation.colours
    text, graphics = brand_text_colour(colours), brand_graphics_colour(colours)
    declarations = [
        f"--{name}: {colour};" for name, colour in (("nhs-blue", text), ("brand-graphics", graphics)) if colour
    ]
    return f"\n:root {{ {' '.join(declarations)} }}" if declarations else ""


def read_asset(name: str) -> str:
    override = current().templates_dir
    if override is not None and (override / "assets" / name).is_file():  # the workspace's own styles win
        return (override / "assets" / name).read_text(encoding="utf-8")
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def font_css(faces=None) -> str:
    """One rule per language: its font stack and line height (exact tags, no prefix match).

    ``faces`` (:class:`reportgen.fonts.subsets.Face`, print only): font subsets declared with
    ``@font-face`` and put in every stack just before the family they were cut from.
    """
    from reportgen.fonts.subsets import alias, font_face_css

    subset = {face.family for face in faces or ()}

    def names(families):
        return ", ".join((f'"{alias(family)}", ' if family in subset else "") + f'"{family}"' for family in families)

    rules = [font_face_css(faces)] if faces else []
    if "Noto Sans" in subset:  # theme.css: numbers kept left-to-right in right-to-left text
        rules.append(f".ltr {{ font-family: {names(['Noto Sans'])}, sans-serif; }}")
    for lang in LANGUAGES.values():
        stack = names(lang.fonts) + ", sans-serif"
        rules.append(f'[lang="{lang.tag}"] {{ font-family: {stack}; line-height: {lang.line_height}; }}')
    return "\n".join(rules)


def render_html(
    report: Report,
    folder: Path,
    *,
    lang: str | None = None,
    medium: Medium = Medium.SCREEN,
    untranslated: int = 0,
    extra: dict | None = None,
    font_faces=None,
    extra_css: str = "",
) -> str:
    """Render the publication as one HTML page in ``lang`` (default: its source language).

    ``report`` is already in that language (see :mod:`reportgen.i18n.translate`); ``untranslated``
    counts passages shown in the source language, which the page then says. ``extra`` holds
    template variables computed from the publication's data (:mod:`reportgen.survey.variants`).
    ``font_faces``: font subsets for the print page (see :func:`font_css`). ``extra_css`` comes
    last, over the page's own styles (the large print edition's, say).
    """
    lang_info = language(lang or report.language)
    env = environment(lang_info.tag)
    kind = report.kind.value
    template = env.select_template([f"kinds/{kind}.html", "base.html"])
    outline = _outline(report)
    identity = current().organisation.identity()
    name = current().organisation.name or report.organisation

    def image_src(name: str) -> str:
        path = (folder / name).resolve()
        return _data_uri(path) if medium is Medium.SCREEN else name

    def heading(section) -> Heading:
        return outline[id(section)]

    return template.render(
        report=report,
        lang=lang_info,
        rtl=lang_info.direction is Direction.RTL,
        medium=medium.value,
        css=Markup(
            read_asset("theme.css")
            + brand_css()
            + "\n"
            + font_css(font_faces)
            + _optional_asset(f"kinds/{kind}.css")
            + ("\n" + read_asset("print.css") + "\n" + page_css(env, lang_info) if medium is Medium.PRINT else "")
            + (
                _optional_asset(f"kinds/{kind}.print.css") + "\n" + kind_page_css(report, env, lang_info, name)
                if medium is Medium.PRINT
                else ""
            )
            + ("\n" + extra_css if extra_css else "")
        ),
        lang_of=_lang_attribute,
        identity=identity,
        identity_name=name,
        # The name block is written in the publication's language: marked so in a translation.
        identity_lang=Markup(' lang="{}"').format(report.language) if lang_info.tag != report.language else "",
        logo=_logo(folder, identity.logo),
        two_columns=lambda section: _two_columns(section, lang_info),
        untranslated_count=untranslated,
        headings=[outline[id(s)] for s in report.sections],
        heading=heading,
        image_src=image_src,
        figure_text=lambda figure: i18n.format_quantity(figure, lang_info.tag),
        values={name: i18n.format_quantity(q, lang_info.tag) for name, q in report.values.items()},
        number=lambda value, digits=None: i18n.format_number(value, lang_info.tag, digits),
        percent=lambda value: i18n.format_percent_number(value, _digits(value), lang_info.tag),
        long_date=lambda day: i18n.format_long_date(day, lang_info.tag),
        language_of=language,
        ColumnType=ColumnType,
        DOMAINS=list(Domain),
        Rating=Rating,
        generator=provenance.generator(),
        **(extra or {}),
    )


def _optional_asset(name: str) -> str:
    """A kind's own styles (``assets/kinds/<kind>.css``), or nothing for a kind without any."""
    override = current().templates_dir
    if (override is not None and (override / "assets" / name).is_file()) or (ASSETS_DIR / name).is_file():
        return "\n" + read_asset(name)
    return ""


LOGO_NAMES = ("logo.svg", "logo.png", "logo.jpg")


def _logo(folder: Path, workspace_logo: Path | None) -> str | None:
    """The trust's logo as a data: URI: ``logo.svg`` (or .png, .jpg) in the publication's folder,
    else the workspace's ``organisation.logo``; None when there is neither (the name block alone)."""
    from reportgen.content.figures import FileProblem, check_image
    from reportgen.content.load import display_path
    from reportgen.errors import InputError

    found = next((folder / n for n in LOGO_NAMES if (folder / n).is_file()), workspace_logo)
    if found is None:
        return None
    try:
        check_image(found)
    except FileProblem as exc:
        raise InputError.single(
            display_path(found), f"the logo {exc} — replace it with a PNG, JPEG or SVG file, or remove it"
        ) from None
    return _data_uri(found)


# Blocks laid out across the whole page: never in newsletter columns.
WIDE_BLOCKS = {"table", "cqc_ratings", "key_figures", "survey_results", "languages"}


def _two_columns(section, lang_info) -> bool:
    """A newsletter story set in two columns in print: text, lists, quotes and pictures only, and
    never in a right-to-left script (Arabic and Urdu lines are long and their columns read poorly)."""
    if lang_info.direction is Direction.RTL:
        return False

    def blocks(sec):
        for block in sec.blocks:
            yield block
            yield from getattr(block, "blocks", ())
        for child in sec.sections:
            yield from blocks(child)

    return not any(block.type in WIDE_BLOCKS for block in blocks(section))


ISSUE = "Issue %(number)s"  # a newsletter's issue number: the message of templates/kinds/newsletter.html


def kind_page_css(report: Report, env: jinja2.Environment, lang_info, organisation: str) -> str:
    """The running header of the kind in the page's language, mirrored for right-to-left.

    report: the organisation and the part being read, not on the cover; letter: from page 2, the
    subject and date; newsletter: from page 2, the title and issue. A news item has none."""
    start, end = ("right", "left") if lang_info.direction is Direction.RTL else ("left", "right")
    kind = report.kind.value
    date = i18n.format_long_date(report.published, lang_info.tag)
    if kind == "report":
        return (
            f"@page {{ @top-{start} {{ content: {_css_string(organisation)}; }} "
            f"@top-{end} {{ content: string(part-title); }} }}\n"
            f"@page :first {{ @top-{start} {{ content: none; }} @top-{end} {{ content: none; }} "
            f"@bottom-{start} {{ content: none; }} @bottom-{end} {{ content: none; }} }}"
        )
    if kind == "letter":
        second = date
    elif kind == "newsletter":
        second = date
        if report.edition:
            issue = env.ui_translations.gettext(ISSUE).replace(
                "%(number)s", i18n.format_number(report.edition, lang_info.tag)
            )
            second = f"{issue} · {date}"
    else:
        return ""
    return (
        f"@page {{ @top-{start} {{ content: string(doc-title); }} @top-{end} {{ content: {_css_string(second)}; }} }}\n"
        f"@page :first {{ @top-{start} {{ content: none; }} @top-{end} {{ content: none; }} }}"
    )


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(env: jinja2.Environment, lang_info) -> str:
    """Running footer in the page's language: "Page N of M", mirrored for right-to-left."""
    # Translators: running footer of every PDF page; keep %(page)s and %(pages)s.
    words = env.ui_translations.gettext("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", str(words))
    style = lang_info.counter_style
    content = " ".join(
        f"counter(page, {style})"
        if part == "%(page)s"
        else f"counter(pages, {style})"
        if part == "%(pages)s"
        else _css_string(part)
        for part in parts
        if part
    )
    number_side, title_side = ("left", "right") if lang_info.direction is Direction.RTL else ("right", "left")
    return (
        f"@page {{ @bottom-{number_side} {{ content: {content}; }} @bottom-{title_side} {{ content: string(doc-title); }} }}\n"
        f"@page :first {{ @bottom-{title_side} {{ content: none; }} }}\n"
        f"ol {{ list-style-type: {style}; }}\n"
        f".contents-list a::after {{ content: leader('. ') target-counter(attr(href), page, {style}); }}"
    )


def _digits(value: float) -> int:
    text = repr(float(value))
    return 0 if float(value).is_integer() else len(text.split(".")[1])
