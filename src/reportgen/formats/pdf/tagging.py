"""Repair the structure tree WeasyPrint 70 writes, on the finished PDF (pikepdf).

Uses what :mod:`.render` recorded about each structure element (object number →
:class:`~.render.ElementInfo`). In order:

1. remove elements made from Artifacts (decorative images, repeated table headers),
   pointing the cells' ``/Headers`` at the first copy of each header;
2. merge the fragments of one box that WeasyPrint made into several elements (it tags
   page by page, and a link broken over two lines gets one element per line); a
   table's footer rows go after its last body rows;
3. lists: a nested list goes into the ``LBody`` of its item; anything in an ``LI``
   other than ``Lbl``/``LBody`` goes into an ``LBody``;
4. attributes: ``/Alt`` on figures (``alt``, ``aria-label``, SVG ``<title>``),
   ``/Scope`` on table headers, ``/Contents`` of link annotations (what the link is
   for), ``/Lang`` on every element whose language differs from its parent's;
5. remove elements left empty;
6. rebuild the ``ParentTree`` from the final tree.
"""

from __future__ import annotations

import importlib
import io
import logging

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, String

LOGGER = logging.getLogger("reportgen.formats.pdf")

TABLE_ROLES = frozenset({"Table", "TR", "TH", "TD", "THead", "TBody", "TFoot"})

# Names compared often: made once (each ``Name.X`` look-up makes a new object).
STRUCT_ELEM, MCR, OBJR = Name.StructElem, Name.MCR, Name.OBJR


def _is_element(obj):
    return (
        type(obj) is not int
        and isinstance(obj, Dictionary)
        and "/S" in obj
        and obj.get("/Type", STRUCT_ELEM) == STRUCT_ELEM
    )


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    if isinstance(kids, Array):
        return list(kids)
    return [kids]


def _set_kids(element, kids):
    element.K = Array(kids)


def _attribute_dicts(element):
    attributes = element.get("/A")
    items = list(attributes) if isinstance(attributes, Array) else [attributes]
    return [item for item in items if isinstance(item, Dictionary)]


def _role(element):
    return str(element.S)[1:]


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a.objgen == b.objgen if a.is_indirect and b.is_indirect else a is b


class StructureRepair:
    def __init__(self, pdf, recording, lang):
        self.pdf = pdf
        self.recording = recording
        self.lang = lang
        self.root = pdf.Root.StructTreeRoot
        self.pages = list(pdf.pages)
        self.page_index = {page.obj.objgen: i for i, page in enumerate(self.pages)}
        self.stats = {"merged": 0, "removed": 0, "wrapped": 0, "lang": 0, "pruned": 0}
        # By object number: reading a pikepdf array or dictionary is slow, and the
        # tree is read many times. Kids change only through set_kids.
        self._kids = {}
        self._is_element = {}

    # -- cached reads -----------------------------------------------------------------
    def kids(self, element):
        """``_kids(element)``, read from the PDF once per element (a new list)."""
        if not element.is_indirect:
            return _kids(element)
        key = element.objgen
        cached = self._kids.get(key)
        if cached is None:
            cached = self._kids[key] = (_kids(element), isinstance(element.get("/K"), Array))
        return list(cached[0])

    def set_kids(self, element, kids):
        """``_set_kids``, skipped when ``/K`` is already an array of these very kids."""
        if not element.is_indirect:
            _set_kids(element, kids)
            return
        key = element.objgen
        cached = self._kids.get(key)
        if (
            cached is not None
            and cached[1]
            and len(cached[0]) == len(kids)
            and all(a is b for a, b in zip(cached[0], kids, strict=True))
        ):
            return
        _set_kids(element, kids)
        self._kids[key] = (list(kids), True)

    def is_element(self, obj):
        """``_is_element(obj)``, decided once per indirect object."""
        if type(obj) is int or not isinstance(obj, Object):
            return False
        if not obj.is_indirect:
            return _is_element(obj)
        key = obj.objgen
        known = self._is_element.get(key)
        if known is None:
            known = self._is_element[key] = _is_element(obj)
        return known

    # -- helpers --------------------------------------------------------------------
    def info(self, element):
        if not element.is_indirect:
            return None
        number, generation = element.objgen
        return self.recording.elements.get(number) if generation == 0 else None

    def key(self, element):
        info = self.info(element)
        return info.key if info else None

    def new_element(self, role, parent, kids=()):
        element = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, K=Array(list(kids)))
        )
        if "/Pg" in parent:
            element.Pg = parent.Pg
        for kid in kids:
            if self.is_element(kid):
                kid.P = element
        return element

    def top(self):
        return [kid for kid in self.kids(self.root) if self.is_element(kid)]

    def walk(self, element=None):
        """Every element under (and including) element, depth first."""
        stack = list(reversed(self.top())) if element is None else [element]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed([k for k in self.kids(current) if self.is_element(k)]))

    # -- 1. artifacts -----------------------------------------------------------------
    def remove_artifacts(self):
        kept_ids, id_map = {}, {}
        headers = []  # (element, info) of every TH with an /ID, in tree order
        for element in self.walk():
            info = self.info(element)
            if info and info.role == "TH" and "/ID" in element:
                headers.append((element, info))
        for element, info in headers:
            if not info.artifact:
                kept_ids.setdefault(info.key, str(element.ID))
        for element, info in headers:
            if info.artifact and info.key in kept_ids:
                id_map[str(element.ID)] = kept_ids[info.key]
        artifact_mcids = self.recording.artifact_mcids

        def prune(element):
            page = self.page_of(element)
            kept = []
            for kid in self.kids(element):
                if self.is_element(kid):
                    info = self.info(kid)
                    if info and info.artifact:
                        self.stats["removed"] += 1
                        continue
                    prune(kid)
                elif isinstance(kid, int) and (page, kid) in artifact_mcids:
                    continue
                elif (
                    isinstance(kid, Dictionary)
                    and kid.get("/Type") == MCR
                    and (self.page_of(kid, page), int(kid.MCID)) in artifact_mcids
                ):
                    continue
                kept.append(kid)
            self.set_kids(element, kept)

        for element in self.top():
            prune(element)
        if id_map:
            for element in self.walk():
                for attribute in _attribute_dicts(element):
                    headers = attribute.get("/Headers")
                    if isinstance(headers, Array):
                        attribute.Headers = Array([String(id_map.get(str(h), str(h))) for h in headers])

    def page_of(self, obj, default=None):
        pg = obj.get("/Pg")
        if pg is None:
            return default
        return self.page_index.get(pg.objgen, default)

    # -- 2. fragments -----------------------------------------------------------------
    def merge_fragments(self, element):
        kids = self.kids(element)
        if self.is_element(element) and _role(element) == "Table":
            # A footer row group kept from the first page goes after the last body.
            footers = [k for k in kids if self.is_element(k) and _role(k) == "TFoot"]
            kids = [k for k in kids if not any(k is f for f in footers)] + footers
        merged = []
        for kid in kids:
            if (
                self.is_element(kid)
                and merged
                and self.is_element(merged[-1])
                and self.key(kid) is not None
                and self.key(kid) == self.key(merged[-1])
            ):
                self.absorb(merged[-1], kid)
                self.stats["merged"] += 1
                continue
            merged.append(kid)
        self.set_kids(element, merged)
        for kid in merged:
            if self.is_element(kid):
                self.merge_fragments(kid)

    def absorb(self, keep, other):
        """Move the content of ``other`` (a later fragment) to the end of ``keep``."""
        keep_page, other_page = keep.get("/Pg"), other.get("/Pg")
        moved = []
        for kid in self.kids(other):
            if isinstance(kid, int):
                if other_page is not None and not _same(keep_page, other_page):
                    kid = Dictionary(Type=Name.MCR, Pg=other_page, MCID=kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == MCR:
                if "/Pg" not in kid and other_page is not None:
                    kid.Pg = other_page
            elif self.is_element(kid):
                kid.P = keep
            moved.append(kid)
        self.set_kids(keep, self.kids(keep) + moved)
        if keep_page is None and other_page is not None:
            keep.Pg = other_page

    # -- 3. lists ---------------------------------------------------------------------
    def fix_lists(self, element):
        role = _role(element)
        if role == "L":
            kids = []
            for kid in self.kids(element):
                if (
                    self.is_element(kid)
                    and _role(kid) == "L"
                    and kids
                    and self.is_element(kids[-1])
                    and _role(kids[-1]) == "LI"
                ):
                    body = self.body_of(kids[-1])
                    self.set_kids(body, self.kids(body) + [kid])
                    kid.P = body
                    continue
                kids.append(kid)
            self.set_kids(element, kids)
        elif role == "LI":
            kids, body = [], None
            for kid in self.kids(element):
                kid_role = _role(kid) if self.is_element(kid) else None
                if kid_role == "Lbl":
                    kids.append(kid)
                    body = None
                elif kid_role == "LBody":
                    if body is not None:  # two bodies in a row: one body
                        for grandchild in self.kids(kid):
                            if self.is_element(grandchild):
                                grandchild.P = body
                        self.set_kids(body, self.kids(body) + self.rebase(kid, body))
                    else:
                        body = kid
                        kids.append(kid)
                else:
                    if body is None:
                        body = self.new_element("LBody", element)
                        kids.append(body)
                        self.stats["wrapped"] += 1
                    if self.is_element(kid):
                        kid.P = body
                        self.set_kids(body, self.kids(body) + [kid])
                    else:
                        self.set_kids(body, self.kids(body) + self.rebase_one(kid, element, body))
            self.set_kids(element, kids)
        for kid in self.kids(element):
            if self.is_element(kid):
                self.fix_lists(kid)

    def body_of(self, item):
        for kid in self.kids(item):
            if self.is_element(kid) and _role(kid) == "LBody":
                return kid
        body = self.new_element("LBody", item)
        self.set_kids(item, self.kids(item) + [body])
        return body

    def rebase_one(self, kid, source, target):
        """A content kid (MCID, MCR, OBJR) of ``source`` as a kid of ``target``."""
        if isinstance(kid, int) and not _same(source.get("/Pg"), target.get("/Pg")):
            return [Dictionary(Type=Name.MCR, Pg=source.Pg, MCID=kid)]
        return [kid]

    def rebase(self, source, target):
        kids = []
        for kid in self.kids(source):
            kids += [kid] if self.is_element(kid) else self.rebase_one(kid, source, target)
        return kids

    # -- 4. attributes ----------------------------------------------------------------
    def set_attributes(self):
        for element in self.walk():
            info = self.info(element)
            if info is None:
                continue
            if info.role == "Figure":
                if info.alt:
                    element.Alt = String(info.alt)
                else:
                    LOGGER.warning("image on page %d has no text alternative", info.page + 1)
            elif info.role == "TH" and info.scope:
                table = next((a for a in _attribute_dicts(element) if a.get("/O") == Name.Table), None)
                if table is None:
                    table = Dictionary(O=Name.Table)
                    attributes = element.get("/A")
                    element.A = (
                        Array(list(attributes) + [table])
                        if isinstance(attributes, Array)
                        else Array([attributes, table])
                        if isinstance(attributes, Dictionary)
                        else table
                    )
                table.Scope = Name("/" + info.scope)
            elif info.role == "Link" and info.link_name:
                for kid in self.kids(element):
                    if isinstance(kid, Dictionary) and kid.get("/Type") == OBJR:
                        kid.Obj.Contents = String(info.link_name)

    def set_languages(self):
        def visit(element, inherited):
            info = self.info(element)
            own = str(element.Lang) if "/Lang" in element else None
            wanted = own or (info.lang if info else None)
            if wanted and (inherited or "").casefold() != wanted.casefold():
                element.Lang = String(wanted)
                if own is None:
                    self.stats["lang"] += 1
                inherited = wanted
            elif "/Lang" in element and own and inherited and (own.casefold() == inherited.casefold()):
                del element["/Lang"]
            for kid in self.kids(element):
                if self.is_element(kid):
                    visit(kid, inherited)

        for element in self.top():
            visit(element, self.lang)

    # -- 5. empty elements ------------------------------------------------------------
    def prune_empty(self, element):
        kept = []
        for kid in self.kids(element):
            if self.is_element(kid):
                self.prune_empty(kid)
                if not self.kids(kid) and _role(kid) not in TABLE_ROLES:
                    self.stats["pruned"] += 1
                    continue
            kept.append(kid)
        self.set_kids(element, kept)

    # -- 6. parent tree ---------------------------------------------------------------
    def rebuild_parent_tree(self):
        by_page = {}  # page index -> {mcid: element}
        by_annotation = {}  # StructParent -> element
        next_key = max((int(page.obj.get("/StructParents", -1)) for page in self.pages), default=-1) + 1
        annotation_keys = []
        for element in self.walk():
            page = self.page_of(element)
            for kid in self.kids(element):
                if isinstance(kid, int):
                    if page is not None:
                        by_page.setdefault(page, {})[kid] = element
                elif isinstance(kid, Dictionary) and kid.get("/Type") == MCR:
                    if "/Stm" in kid:
                        continue
                    kid_page = self.page_of(kid, page)
                    if kid_page is not None:
                        by_page.setdefault(kid_page, {})[int(kid.MCID)] = element
                elif isinstance(kid, Dictionary) and kid.get("/Type") == OBJR:
                    annotation_keys.append((kid.Obj, element))
        for annotation, element in annotation_keys:
            if "/StructParent" in annotation:
                key = int(annotation.StructParent)
            else:
                key = None
            if key is None or key in by_annotation:
                key = next_key
                annotation.StructParent = key
            by_annotation[key] = element
            next_key = max(next_key, key + 1)

        nums = {}
        for index, page in enumerate(self.pages):
            mcids = by_page.get(index, {})
            if "/StructParents" not in page.obj:
                if not mcids:
                    continue
                page.obj.StructParents = next_key
                next_key += 1
            length = max(mcids, default=-1) + 1
            nums[int(page.obj.StructParents)] = Array([mcids.get(mcid) for mcid in range(length)])
        nums.update(by_annotation)
        flat = []
        for key in sorted(nums):
            flat += [key, nums[key]]
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(flat)))
        self.root.ParentTreeNextKey = max(nums, default=-1) + 1

    # -- all --------------------------------------------------------------------------
    def run(self):
        self.remove_artifacts()
        self.merge_fragments(self.root)
        for element in self.top():
            self.fix_lists(element)
        self.set_attributes()
        self.set_languages()
        for element in self.top():
            self.prune_empty(element)
        self.rebuild_parent_tree()
        LOGGER.debug("structure repaired: %s", self.stats)
        return self.stats


def repair_structure(pdf_bytes, recording, *, lang, standard=None):
    """Return the PDF with its structure tree repaired.

    ``lang`` is the document language, from which element languages are inherited.
    ``standard`` (a :class:`~reportgen.formats.pdf.standards.PdfStandard`) may change the
    repaired file further, e.g. to PDF/UA-2; ``None`` or ``ua-1`` leaves it as it is.
    """
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            raise RuntimeError("WeasyPrint wrote no structure tree (is pdf_variant set?)")
        StructureRepair(pdf, recording, lang).run()
        version = {}
        if standard is not None and standard.finisher:
            module, _, function = standard.finisher.partition(":")
            version = getattr(importlib.import_module(module), function)(pdf, recording) or {}
        output = io.BytesIO()
        pdf.save(
            output,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            fix_metadata_version=False,
            deterministic_id=True,
            **version,
        )  # same input, same bytes: reproducible builds
        return output.getvalue()
