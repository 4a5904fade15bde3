"""Read a tagged PDF back the way an assistive technology would.

This module is independent of how the PDF was made: it reads only the finished file
(with pikepdf), so the tests of the whole project can use it on any output.

* :func:`structure_text` — the text of the structure tree, in tree order, with
  ``/ActualText`` honoured (on a structure element it replaces the text of its whole
  subtree; on a marked-content sequence it replaces that sequence's glyphs) and glyphs
  decoded through each font's ``/ToUnicode`` map.
* :func:`elements` — one :class:`Element` record per structure element, in tree order.
* :func:`problems` — structural accessibility checks, as human-readable sentences.

Text assembly: glyphs of one marked-content sequence are concatenated as drawn. Between
two pieces of content, a space is inferred when the second starts on another line (or
page) and neither side already has white space, unless the join is between CJK
characters or after a hyphen (such line breaks have no space in the source); a soft hyphen
(U+00AD) that ends a line, as a hyphenated line's /ActualText does, is dropped. Block-level
elements are separated by a newline.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf

__all__ = ["Element", "Artifact", "PageFill", "structure_text", "elements", "problems", "artifacts", "page_fills"]

# Standard structure types that are inline (ISO 32000-1, 14.8.4.4); everything else is
# treated as a block and separated from its neighbours by a newline.
INLINE_ROLES = frozenset(
    {
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Lbl",
        "Form",
        "Formula",
        "NonStruct",
        "Private",
    }
)

STANDARD_ROLES = (
    frozenset(
        {
            "Document",
            "Part",
            "Art",
            "Sect",
            "Div",
            "BlockQuote",
            "Caption",
            "TOC",
            "TOCI",
            "Index",
            "NonStruct",
            "Private",
            "P",
            "H",
            "H1",
            "H2",
            "H3",
            "H4",
            "H5",
            "H6",
            "L",
            "LI",
            "Lbl",
            "LBody",
            "Table",
            "TR",
            "TH",
            "TD",
            "THead",
            "TBody",
            "TFoot",
            "Span",
            "Quote",
            "Note",
            "Reference",
            "BibEntry",
            "Code",
            "Link",
            "Annot",
            "Ruby",
            "RB",
            "RT",
            "RP",
            "Warichu",
            "WT",
            "WP",
            "Figure",
            "Formula",
            "Form",
        }
    )
    | INLINE_ROLES
)

_URL_ONLY = re.compile(r"^\s*(?:(?:https?|ftp|mailto|tel|file):\S*|www\.\S+|#\S*)\s*$", re.IGNORECASE)
_MAX_FORM_DEPTH = 8
_PAINTING = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "EI"})


@dataclass(frozen=True)
class Element:
    """One structure element, as a reader meets it."""

    role: str  # structure type, after /RoleMap (e.g. 'P', 'H1', 'Figure')
    lang: str | None  # the element's own /Lang
    alt: str | None  # /Alt
    actual_text: str | None  # /ActualText of the element itself
    text: str  # text of the subtree (ActualText honoured)
    page: int | None  # 1-based number of the first page holding its content
    pages: tuple = ()  # 1-based numbers of every page holding its content
    depth: int = 0  # 0 for children of the StructTreeRoot
    effective_lang: str | None = None  # own /Lang, else inherited, else catalog /Lang
    attributes: dict = field(default_factory=dict)  # merged /A entries, as Python values
    id: str | None = None  # /ID
    kids_roles: tuple = ()  # roles of the child structure elements


@dataclass(frozen=True)
class Artifact:
    """One marked-content sequence tagged /Artifact (outermost ones only)."""

    page: int  # 1-based
    type: str | None  # /Type of its property list: 'Pagination', 'Layout'…
    subtype: str | None  # /Subtype: 'Header', 'Footer'…
    text: str  # the text drawn inside it
    drawing: bool = False  # whether it paints shapes, images or XObjects


@dataclass(frozen=True)
class PageFill:
    """How far down one page its content reaches: the tagged text and figures, not the running
    header and footer (artifacts). Heights in points, measured from the bottom of the page."""

    number: int  # 1-based
    height: float  # of the page
    top: float | None  # highest point of the page's content; None when the page holds none
    bottom: float | None  # lowest point
    has_title: bool = False  # whether the page holds the document's H1 (a cover or title page)
    text: str = ""  # the page's text, as drawn (for a message that says which page is meant)

    @property
    def extent(self) -> float:
        return 0.0 if self.top is None else self.top - self.bottom


# ---------------------------------------------------------------------------------------
# Opening


class _Opened:
    """Context manager giving a pikepdf.Pdf from a path, bytes or an open Pdf."""

    def __init__(self, source):
        self.source = source
        self.pdf = None
        self.owned = False

    def __enter__(self):
        source = self.source
        if isinstance(source, pikepdf.Pdf):
            self.pdf = source
        elif isinstance(source, (bytes, bytearray, memoryview)):
            self.pdf = pikepdf.open(io.BytesIO(bytes(source)))
            self.owned = True
        elif isinstance(source, (str, os.PathLike)):
            self.pdf = pikepdf.open(source)
            self.owned = True
        else:
            raise TypeError(f"expected a path, bytes or pikepdf.Pdf, not {type(source)}")
        return self.pdf

    def __exit__(self, *exc):
        if self.owned:
            self.pdf.close()


def _text(value):
    """Python str from a PDF string (or None)."""
    return None if value is None else str(value)


def _py(value):
    """Plain Python value of a PDF object (names keep their slash: '/Column')."""
    if isinstance(value, pikepdf.Array):
        return [_py(item) for item in value]
    if isinstance(value, pikepdf.Dictionary):
        return {str(key)[1:]: _py(item) for key, item in value.items()}
    if isinstance(value, (pikepdf.Name, pikepdf.String)):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pikepdf.Object):
        return str(value)
    return value


def _name(value):
    return str(value)[1:] if isinstance(value, pikepdf.Name) else str(value)


def _key(obj):
    """Identity of an indirect object (or of a direct object, by Python id)."""
    try:
        if obj.is_indirect:
            return obj.objgen
    except AttributeError:  # pragma: no cover
        pass
    return ("direct", id(obj))


# ---------------------------------------------------------------------------------------
# Fonts and ToUnicode


def _hex_to_text(hexstring):
    data = bytes.fromhex(hexstring.decode("ascii").replace(" ", "").replace("\n", ""))
    if len(data) % 2:
        data += b"\0"
    return data.decode("utf-16-be", errors="replace")


def _parse_to_unicode(data):
    """Parse a ToUnicode CMap: {code (int): text}."""
    mapping = {}
    for block in re.finditer(rb"beginbfchar(.*?)endbfchar", data, re.S):
        tokens = re.findall(rb"<[^>]*>", block.group(1))
        for source, target in zip(tokens[::2], tokens[1::2], strict=False):
            code = int(source[1:-1].strip() or b"0", 16)
            mapping[code] = _hex_to_text(target[1:-1])
    for block in re.finditer(rb"beginbfrange(.*?)endbfrange", data, re.S):
        body = block.group(1)
        for match in re.finditer(rb"<([^>]*)>\s*<([^>]*)>\s*(\[[^\]]*\]|<[^>]*>)", body):
            low, high = int(match.group(1), 16), int(match.group(2), 16)
            target = match.group(3)
            if target.startswith(b"["):
                items = re.findall(rb"<([^>]*)>", target)
                for offset, item in enumerate(items):
                    mapping[low + offset] = _hex_to_text(item)
            else:
                base = _hex_to_text(target[1:-1])
                for offset in range(high - low + 1):
                    if base:
                        mapping[low + offset] = base[:-1] + chr(ord(base[-1]) + offset)
                    else:
                        mapping[low + offset] = ""
    return mapping


class _Font:
    def __init__(self, font):
        self.name = _name(font.get("/BaseFont", "/unknown"))
        subtype = _name(font.get("/Subtype", "/Type1"))
        self.code_length = 1
        if subtype == "Type0":
            self.code_length = 2
            encoding = font.get("/Encoding")
            if isinstance(encoding, pikepdf.Stream):
                match = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", encoding.read_bytes())
                if match:
                    self.code_length = max(1, len(match.group(1)) // 2)
        self.to_unicode = None
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream):
            self.to_unicode = _parse_to_unicode(to_unicode.read_bytes())

    def codes(self, data):
        n = self.code_length
        return [int.from_bytes(data[i : i + n], "big") for i in range(0, len(data), n)]

    def decode(self, code):
        if self.to_unicode is not None:
            return self.to_unicode.get(code)
        if self.code_length == 1:
            return bytes([code]).decode("latin-1")
        return None


# ---------------------------------------------------------------------------------------
# Content streams


@dataclass
class _Piece:
    text: str
    y: float
    size: float


@dataclass
class _MarkedContent:
    pieces: list = field(default_factory=list)


class _PageContent:
    """What the content stream of one page holds, indexed by MCID."""

    def __init__(self):
        self.by_mcid = {}  # mcid -> _MarkedContent
        self.mcid_order = []  # MCIDs in stream order
        self.untagged_text = []  # text shown outside any marked content
        self.fonts_used = {}  # font key -> (_Font, set of codes)
        self.artifacts = []  # one dict per outermost Artifact sequence


def _mul(m1, m2):
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _ContentReader:
    def __init__(self, pdf):
        self.pdf = pdf
        self.font_cache = {}

    def _font(self, resources, name):
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None or name not in fonts:
            return None, None
        font = fonts[name]
        key = _key(font)
        if key not in self.font_cache:
            self.font_cache[key] = _Font(font)
        return key, self.font_cache[key]

    def read_page(self, page):
        content = _PageContent()
        self._read(page.obj, page.obj.get("/Resources"), content, _IDENTITY, [], 0)
        return content

    def _read(self, holder, resources, content, ctm, mc_stack, depth):
        try:
            instructions = pikepdf.parse_content_stream(holder)
        except pikepdf.PdfError:  # pragma: no cover
            return
        ctm_stack = []
        tm = tlm = _IDENTITY
        font_key = font = None
        font_size = 1.0
        leading = 0.0
        hscale = 1.0

        for operands, operator in instructions:
            op = str(operator)
            if op == "q":
                ctm_stack.append(ctm)
            elif op == "Q":
                if ctm_stack:
                    ctm = ctm_stack.pop()
            elif op == "cm":
                ctm = _mul(tuple(float(x) for x in operands), ctm)
            elif op in ("BDC", "BMC"):
                tag = _name(operands[0])
                props = operands[1] if op == "BDC" else None
                if isinstance(props, pikepdf.Name) and resources is not None:
                    props = resources.get("/Properties", {}).get(props)
                mcid = actual = None
                if isinstance(props, pikepdf.Dictionary):
                    if "/MCID" in props:
                        mcid = int(props.MCID)
                    if "/ActualText" in props:
                        actual = _text(props.ActualText)
                entry = {"tag": tag, "mcid": mcid, "actual": actual, "replaced": False, "start": None, "artifact": None}
                if tag == "Artifact" and not any(e["tag"] == "Artifact" for e in mc_stack):
                    entry["artifact"] = {
                        "type": _name(props["/Type"])
                        if isinstance(props, pikepdf.Dictionary) and "/Type" in props
                        else None,
                        "subtype": _name(props["/Subtype"])
                        if isinstance(props, pikepdf.Dictionary) and "/Subtype" in props
                        else None,
                        "text": "",
                        "drawing": False,
                    }
                    content.artifacts.append(entry["artifact"])
                if mcid is not None:
                    if mcid not in content.by_mcid:
                        content.by_mcid[mcid] = _MarkedContent()
                        content.mcid_order.append(mcid)
                mc_stack.append(entry)
            elif op == "EMC":
                if mc_stack:
                    entry = mc_stack[-1]
                    if (
                        entry["actual"] is not None
                        and not entry["replaced"]
                        and not any(e["actual"] is not None for e in mc_stack[:-1])
                    ):
                        # Marked content with ActualText but no glyph (a space, say).
                        self._emit(content, mc_stack, entry["actual"], entry["start"])
                    mc_stack.pop()
            elif op == "BT":
                tm = tlm = _IDENTITY
            elif op == "Tf":
                font_key, font = self._font(resources, operands[0])
                font_size = float(operands[1])
            elif op == "Tz":
                hscale = float(operands[0]) / 100
            elif op == "TL":
                leading = float(operands[0])
            elif op == "Tm":
                tm = tlm = tuple(float(x) for x in operands)
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    leading = -ty
                tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
            elif op == "T*":
                tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
            elif op in ("Tj", "TJ", "'", '"'):
                if op in ("'", '"'):
                    tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
                if op == "TJ":
                    strings = [item for item in operands[0] if isinstance(item, pikepdf.String)]
                else:
                    strings = [operands[-1]]
                trm = _mul(_mul((font_size * hscale, 0, 0, font_size, 0, 0), tm), ctm)
                y = trm[5]
                size = (trm[2] ** 2 + trm[3] ** 2) ** 0.5
                text = ""
                if font is not None:
                    used = content.fonts_used.setdefault(font_key, (font, set()))[1]
                    for string in strings:
                        for code in font.codes(bytes(string)):
                            used.add(code)
                            decoded = font.decode(code)
                            text += "\ufffd" if decoded is None else decoded
                self._show(content, mc_stack, text, y, size)
            if op in _PAINTING:
                artifact = next((e["artifact"] for e in mc_stack if e["artifact"]), None)
                if artifact is not None:
                    artifact["drawing"] = True
            if op == "Do" and depth < _MAX_FORM_DEPTH and resources is not None:
                xobject = resources.get("/XObject", {}).get(operands[0])
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    self._read(
                        xobject, xobject.get("/Resources", resources), content, _mul(matrix, ctm), mc_stack, depth + 1
                    )

    def _show(self, content, mc_stack, text, y, size):
        # The outermost marked content with ActualText replaces its glyphs.
        for entry in mc_stack:
            if entry["actual"] is not None:
                if entry["start"] is None:
                    entry["start"] = (y, size)
                if not entry["replaced"]:
                    entry["replaced"] = True
                    self._emit(content, mc_stack, entry["actual"], (y, size))
                return
        self._emit(content, mc_stack, text, (y, size))

    @staticmethod
    def _emit(content, mc_stack, text, position):
        y, size = position if position else (0.0, 0.0)
        owner = next((e["mcid"] for e in reversed(mc_stack) if e["mcid"] is not None), None)
        artifact = next((e["artifact"] for e in mc_stack if e["artifact"]), None)
        if artifact is not None:
            artifact["text"] += text
            return
        in_artifact = any(e["tag"] == "Artifact" for e in mc_stack)
        if owner is None or in_artifact:
            if not mc_stack and text.strip():
                content.untagged_text.append(text)
            return
        content.by_mcid[owner].pieces.append(_Piece(text, y, size))


# ---------------------------------------------------------------------------------------
# Structure tree


def _is_cjk(char):
    if not char:
        return False
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xA960 <= code <= 0xA97F
        or 0xAC00 <= code <= 0xD7FF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or 0x0E00 <= code <= 0x0EFF
        or 0x1000 <= code <= 0x109F
        or 0x1780 <= code <= 0x17FF
    )


def _join(tokens):
    """Join ('text', str, page, y, size) and ('block',) tokens into a string."""
    out = []
    last = None  # (page, y, size) of the previous text
    pending_block = False
    for token in tokens:
        if token[0] == "block":
            pending_block = bool(out)
            continue
        _, text, page, y, size = token
        if not text:
            continue
        if out:
            previous = out[-1]
            if pending_block:
                if not previous.endswith("\n"):
                    out.append("\n")
            elif last is not None:
                new_line = page != last[0] or abs(y - last[1]) > 0.6 * max(size, last[2], 1e-3)
                if new_line and previous.endswith("\u00ad"):  # a soft hyphen at a line end: one word
                    out[-1] = previous = previous[:-1]
                    last = (page, y, size)
                    out.append(text)
                    continue
                before, after = previous[-1:], text[:1]
                if (
                    new_line
                    and not before.isspace()
                    and not after.isspace()
                    and not (_is_cjk(before) or _is_cjk(after))
                    and before not in "-\u2010\u00ad/"
                ):
                    out.append(" ")
        pending_block = False
        out.append(text)
        last = (page, y, size)
    return "".join(out)


class _Tree:
    """The structure tree of a PDF with the content of its pages."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.root = pdf.Root.get("/StructTreeRoot")
        self.catalog_lang = _text(pdf.Root.get("/Lang"))
        self.page_index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        reader = _ContentReader(pdf)
        self.contents = [reader.read_page(page) for page in pdf.pages]
        self.role_map = {}
        if self.root is not None and "/RoleMap" in self.root:
            self.role_map = {_name(k): _name(v) for k, v in self.root.RoleMap.items()}
        self.records = []  # (element dict, Element) in tree order
        self.reachable = {}  # objgen -> element dict
        self.claimed = set()  # (page index, mcid) claimed by a reachable element
        self.claims_by_element = {}  # objgen -> set of (page index, mcid)
        self.objr = []  # (element dict, annotation) pairs from OBJR kids
        self.tokens = []  # text tokens of the whole tree
        if self.root is not None:
            self._walk_root()

    def role(self, element):
        role = _name(element.get("/S", "/NonStruct"))
        seen = set()
        while role not in STANDARD_ROLES and role in self.role_map and role not in seen:
            seen.add(role)
            role = self.role_map[role]
        return role

    def _page_of(self, obj, default):
        pg = obj.get("/Pg") if isinstance(obj, pikepdf.Dictionary) else None
        if pg is not None:
            return self.page_index.get(pg.objgen, default)
        return default

    def _walk_root(self):
        kids = self.root.get("/K")
        if kids is None:
            return
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                tokens, _ = self._element(kid, 0, None, self.catalog_lang, set())
                self.tokens += tokens

    def _element(self, element, depth, page, inherited_lang, stack):
        """Visit element; return (tokens, pages) of its subtree."""
        key = _key(element)
        if key in stack:  # cycle guard
            return [], set()
        stack = stack | {key}
        self.reachable[key] = element
        page = self._page_of(element, page)
        role = self.role(element)
        lang = _text(element.get("/Lang"))
        effective_lang = lang or inherited_lang
        index = len(self.records)
        self.records.append(None)  # placeholder, keeps tree order
        tokens, pages = [], set()
        kid_roles = []
        claims = self.claims_by_element.setdefault(key, set())
        kids = element.get("/K")
        if kids is None:
            kids = []
        elif not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int) and not isinstance(kid, bool):
                mcid = kid
                if page is not None:
                    tokens += self._mc_tokens(page, mcid)
                    claims.add((page, mcid))
                    self.claimed.add((page, mcid))
                    pages.add(page)
            elif isinstance(kid, pikepdf.Dictionary):
                kind = _name(kid.get("/Type", "/StructElem"))
                if kind == "MCR":
                    kid_page = self._page_of(kid, page)
                    mcid = int(kid.get("/MCID", -1))
                    if kid_page is not None:
                        tokens += self._mc_tokens(kid_page, mcid)
                        claims.add((kid_page, mcid))
                        self.claimed.add((kid_page, mcid))
                        pages.add(kid_page)
                elif kind == "OBJR":
                    if "/Obj" in kid:
                        self.objr.append((element, kid.Obj))
                elif "/S" in kid:
                    kid_roles.append(self.role(kid))
                    kid_tokens, kid_pages = self._element(kid, depth + 1, page, effective_lang, stack)
                    tokens += kid_tokens
                    pages |= kid_pages
        actual_text = _text(element.get("/ActualText"))
        if actual_text is not None:
            first = next((t for t in tokens if t[0] == "text"), None)
            position = first[2:] if first else (min(pages) if pages else page, 0.0, 0.0)
            tokens = [("text", actual_text, *position)]
        text = _join(tokens).strip()
        attributes = {}
        a = element.get("/A")
        for entry in a if isinstance(a, pikepdf.Array) else [a]:
            if isinstance(entry, pikepdf.Dictionary):
                for k, v in entry.items():
                    attributes[k[1:]] = _py(v)
        ordered_pages = tuple(sorted(p + 1 for p in pages))
        first_page = ordered_pages[0] if ordered_pages else (page + 1 if page is not None else None)
        self.records[index] = (
            element,
            Element(
                role=role,
                lang=lang,
                alt=_text(element.get("/Alt")),
                actual_text=actual_text,
                text=text,
                page=first_page,
                pages=ordered_pages,
                depth=depth,
                effective_lang=effective_lang,
                attributes=attributes,
                id=_text(element.get("/ID")),
                kids_roles=tuple(kid_roles),
            ),
        )
        if role not in INLINE_ROLES:
            tokens = [("block",), *tokens, ("block",)]
        return tokens, pages

    def _mc_tokens(self, page, mcid):
        if page >= len(self.contents):
            return []
        marked = self.contents[page].by_mcid.get(mcid)
        if marked is None:
            return []
        return [("text", piece.text, page, piece.y, piece.size) for piece in marked.pieces]


def _parent_tree(pdf):
    """Flatten the ParentTree number tree: {key: value}."""
    root = pdf.Root.get("/StructTreeRoot")
    result = {}
    if root is None or "/ParentTree" not in root:
        return result

    def visit(node, depth=0):
        if depth > 32:
            return
        if "/Nums" in node:
            nums = node.Nums
            for i in range(0, len(nums) - 1, 2):
                result[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            visit(kid, depth + 1)

    visit(root.ParentTree)
    return result


# ---------------------------------------------------------------------------------------
# Public API


def structure_text(pdf_path_or_bytes) -> str:
    """Text recovered from the structure tree, in tree order.

    Element-level /ActualText replaces the text of the element's subtree;
    marked-content /ActualText replaces the glyphs of its sequence; other glyphs are
    decoded through their font's /ToUnicode map. Block-level elements are separated by
    newlines.
    """
    with _Opened(pdf_path_or_bytes) as pdf:
        return _join(_Tree(pdf).tokens).strip()


def elements(pdf) -> Iterator[Element]:
    """Every structure element, in tree order, as :class:`Element` records."""
    with _Opened(pdf) as opened:
        records = [record for _, record in _Tree(opened).records]
    yield from records


def artifacts(pdf) -> list[Artifact]:
    """Every outermost Artifact marked-content sequence of every page, in order."""
    with _Opened(pdf) as opened:
        reader = _ContentReader(opened)
        found = []
        for number, page in enumerate(opened.pages, start=1):
            for entry in reader.read_page(page).artifacts:
                found.append(Artifact(number, entry["type"], entry["subtype"], entry["text"], entry["drawing"]))
        return found


def page_fills(pdf) -> list[PageFill]:
    """How much of each page its content takes up, in page order (see :class:`PageFill`).

    A line of text spans from a quarter of its font size below the baseline to 0.8 of it
    above; a figure spans its /BBox attribute (CSS pixels from the top-left, as WeasyPrint
    writes it)."""
    with _Opened(pdf) as opened:
        reader = _ContentReader(opened)
        heights, spans, texts = [], [], []
        for page in opened.pages:
            box = [float(v) for v in page.mediabox]
            heights.append(box[3] - box[1])
            content = reader.read_page(page)
            pieces = [piece for mcid in content.mcid_order for piece in content.by_mcid[mcid].pieces]
            texts.append(" ".join(" ".join(piece.text for piece in pieces).split()))
            spans.append(
                [(piece.y - 0.25 * piece.size, piece.y + 0.8 * piece.size) for piece in pieces if piece.text.strip()]
            )
        titled = set()
        for _, record in _Tree(opened).records:
            if record.role == "H1":
                titled.update(record.pages)
            bbox = record.attributes.get("BBox") if record.role == "Figure" else None
            if record.page and isinstance(bbox, list) and len(bbox) == 4:
                height = heights[record.page - 1]
                spans[record.page - 1].append((height - float(bbox[3]) * 0.75, height - float(bbox[1]) * 0.75))
    return [
        PageFill(
            number,
            heights[number - 1],
            max((top for _, top in found), default=None),
            min((bottom for bottom, _ in found), default=None),
            number in titled,
            texts[number - 1],
        )
        for number, found in enumerate(spans, start=1)
    ]


def problems(pdf) -> list[str]:
    """Structural accessibility problems of a tagged PDF; [] when all is well."""
    with _Opened(pdf) as opened:
        return _problems(opened)


def _problems(pdf):
    found = []
    if "/StructTreeRoot" not in pdf.Root:
        return ["the document has no structure tree (StructTreeRoot)"]
    tree = _Tree(pdf)
    records = tree.records

    # Headings: exactly one H1, no skipped level.
    levels = [(int(r.role[1]), r) for _, r in records if re.fullmatch(r"H[1-6]", r.role)]
    h1_count = sum(1 for level, _ in levels if level == 1)
    if h1_count != 1:
        found.append(f"expected exactly one H1, found {h1_count}")
    previous = 0
    for level, record in levels:
        if level > previous + 1:
            found.append(
                f"heading level skipped: H{level} {record.text[:60]!r} "
                f"follows {'H' + str(previous) if previous else 'no heading'}"
            )
        previous = level

    # Figures.
    for _, record in records:
        if record.role == "Figure" and not (record.alt or "").strip():
            found.append(f"Figure on page {record.page} has no /Alt text")

    # Lists.
    for _, record in records:
        if record.role == "L":
            bad = [role for role in record.kids_roles if role not in ("LI", "L", "Caption")]
            if bad:
                found.append(f"L {record.text[:60]!r} holds {', '.join(bad)} (only LI, L and Caption are allowed)")
        if record.role == "LI":
            bad = [role for role in record.kids_roles if role not in ("Lbl", "LBody")]
            if bad:
                found.append(f"LI {record.text[:60]!r} holds {', '.join(bad)} (only Lbl and LBody are allowed)")

    # Tables: headers associated with cells.
    found += _table_problems(tree)

    # Link annotations.
    parent_tree = _parent_tree(pdf)
    for page_number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            uri = annotation.get("/A", {}).get("/URI")
            label = f"link on page {page_number}" + (f" to {uri}" if uri else "")
            contents = _text(annotation.get("/Contents")) or ""
            if not contents.strip():
                found.append(f"{label} has no /Contents")
            elif _URL_ONLY.match(contents) or (uri is not None and contents.strip() == str(uri)):
                found.append(
                    f"{label} has /Contents {contents!r}, which is only an address: describe where the link goes"
                )
            if "/StructParent" not in annotation:
                found.append(f"{label} has no /StructParent")
                continue
            target = parent_tree.get(int(annotation.StructParent))
            if not isinstance(target, pikepdf.Dictionary):
                found.append(f"{label} is not in the ParentTree")
            elif _key(target) not in tree.reachable:
                found.append(f"{label} maps to a structure element not in the tree")
            elif tree.role(target) != "Link":
                found.append(f"{label} maps to a {tree.role(target)} element, not Link")

    # Marked content reachable from the structure tree.
    for index, (page, content) in enumerate(zip(pdf.pages, tree.contents, strict=True)):
        if content.untagged_text:
            sample = " ".join(content.untagged_text)[:60]
            found.append(f"page {index + 1}: text outside any marked content (neither tagged nor artifact): {sample!r}")
        if not content.mcid_order:
            continue
        if "/StructParents" not in page.obj:
            found.append(f"page {index + 1} has marked content but no /StructParents")
            continue
        mapping = parent_tree.get(int(page.obj.StructParents))
        for mcid in content.mcid_order:
            target = None
            if isinstance(mapping, pikepdf.Array) and 0 <= mcid < len(mapping):
                target = mapping[mcid]
            sample = _join([("text", p.text, index, p.y, p.size) for p in content.by_mcid[mcid].pieces])[:40]
            where = f"page {index + 1} MCID {mcid} {sample!r}"
            if not isinstance(target, pikepdf.Dictionary):
                found.append(f"{where} is not mapped by the ParentTree")
            elif _key(target) not in tree.reachable:
                found.append(f"{where} maps to a structure element unreachable from the StructTreeRoot")
            elif (index, mcid) not in tree.claims_by_element.get(_key(target), ()):
                found.append(f"{where} maps to a structure element that does not contain it")

    # ToUnicode.
    reported = set()
    for content in tree.contents:
        for font_key, (font, codes) in content.fonts_used.items():
            for code in sorted(codes):
                if (font_key, code) in reported:
                    continue
                if font.to_unicode is None:
                    if font.code_length > 1:
                        reported.add((font_key, code))
                        found.append(f"font {font.name} has no ToUnicode map")
                        break
                    continue
                text = font.to_unicode.get(code)
                if not text or text in ("\0", "\ufeff", "\ufffe"):
                    reported.add((font_key, code))
                    state = "no" if text is None else "an empty"
                    found.append(f"font {font.name}: glyph {code} has {state} ToUnicode entry")
    return found


def _table_problems(tree):
    found = []
    records = tree.records
    # Group the records of each table (tables can nest: use depth bookkeeping).
    i = 0
    while i < len(records):
        _, record = records[i]
        if record.role != "Table":
            i += 1
            continue
        j = i + 1
        while j < len(records) and records[j][1].depth > record.depth:
            j += 1
        cells = [r for _, r in records[i + 1 : j] if r.role in ("TH", "TD")]
        headers = [r for r in cells if r.role == "TH"]
        referenced = set()
        for cell in cells:
            if cell.role == "TD":
                for ref in cell.attributes.get("Headers", []) or []:
                    referenced.add(_text(ref))
        ids = {h.id for h in headers if h.id}
        for header in headers:
            scope = header.attributes.get("Scope")
            if scope is None and header.id not in referenced:
                found.append(
                    f"TH {header.text[:40]!r} (page {header.page}) has no /Scope and no TD refers to it in /Headers"
                )
        if headers:
            for cell in cells:
                if cell.role != "TD":
                    continue
                refs = [_text(r) for r in cell.attributes.get("Headers", []) or []]
                if not refs:
                    found.append(f"TD {cell.text[:40]!r} (page {cell.page}) in a table with headers has no /Headers")
                unknown = [r for r in refs if r not in ids]
                if unknown:
                    found.append(f"TD {cell.text[:40]!r} (page {cell.page}) refers to unknown header IDs {unknown}")
        i += 1
    return found
