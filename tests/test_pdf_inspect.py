"""reportgen.formats.pdf.inspect on small hand-made tagged PDFs, where the answer is known."""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from reportgen.formats.pdf.inspect import artifacts, elements, problems, structure_text

# Glyph code -> text of the test font's ToUnicode map. Code 9 maps to nothing.
GLYPHS = {1: "H", 2: "i", 3: " ", 4: "x", 5: "ਰਿ", 6: "ਪੋ", 7: "ਰਟ", 8: "y", 9: ""}


def to_unicode_cmap(glyphs):
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
        f"{len(glyphs)} beginbfchar".encode(),
    ]
    for code, text in glyphs.items():
        lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
    lines += [b"endbfchar", b"endcmap", b"end", b"end"]
    return b"\n".join(lines)


def show(codes, y=700):
    hexcodes = "".join(f"{code:04x}" for code in codes)
    return f"BT /F1 12 Tf 1 0 0 1 72 {y} Tm <{hexcodes}> Tj ET".encode()


class Builder:
    """A tagged PDF: pages of content, and a structure tree built by hand."""

    def __init__(self, page_count=1):
        self.pdf = pikepdf.new()
        font = self.pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type0,
                BaseFont=Name("/Test"),
                Encoding=Name("/Identity-H"),
                ToUnicode=self.pdf.make_stream(to_unicode_cmap(GLYPHS)),
            )
        )
        for index in range(page_count):
            self.pdf.add_blank_page(page_size=(612, 792))
            page = self.pdf.pages[index]
            page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
            page.obj.StructParents = index
        self.content = [[] for _ in range(page_count)]
        self.root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.pdf.Root.StructTreeRoot = self.root
        self.pdf.Root.Lang = String("en-GB")
        self.parent_tree = {}

    def page(self, index):
        return self.pdf.pages[index].obj

    def marked(self, page, mcid, codes, y=700, tag="Span", actual_text=None):
        properties = f"<</MCID {mcid}"
        if actual_text is not None:
            properties += f" /ActualText <feff{actual_text.encode('utf-16-be').hex()}>"
        self.content[page].append(f"/{tag} {properties}>> BDC ".encode() + show(codes, y) + b" EMC")

    def artifact(self, page, codes, properties="<</Type /Pagination /Subtype /Footer>>"):
        self.content[page].append(f"/Artifact {properties} BDC ".encode() + show(codes, 50) + b" EMC")

    def untagged(self, page, codes):
        self.content[page].append(show(codes, 400))

    def element(self, role, kids=(), parent=None, page=0, **entries):
        element = self.pdf.make_indirect(
            Dictionary(
                Type=Name.StructElem,
                S=Name("/" + role),
                K=Array(list(kids)),
                P=parent if parent is not None else self.root,
                Pg=self.page(page),
                **entries,
            )
        )
        for kid in kids:
            if isinstance(kid, int):
                self.parent_tree.setdefault(page, {})[kid] = element
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                page_index = next(i for i, p in enumerate(self.pdf.pages) if p.obj.objgen == kid.Pg.objgen)
                self.parent_tree.setdefault(page_index, {})[int(kid.MCID)] = element
            elif isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = element
        return element

    def mcr(self, page, mcid):
        return Dictionary(Type=Name.MCR, Pg=self.page(page), MCID=mcid)

    def build(self, top, extra_nums=()):
        self.root.K = Array(top)
        for element in top:
            element.P = self.root
        nums = []
        for page_index in range(len(self.pdf.pages)):
            mapping = self.parent_tree.get(page_index, {})
            nums += [page_index, Array([mapping.get(i) for i in range(max(mapping, default=-1) + 1)])]
        nums += list(extra_nums)
        # A number tree with a Kids level, as some producers write it.
        self.root.ParentTree = self.pdf.make_indirect(
            Dictionary(Kids=Array([self.pdf.make_indirect(Dictionary(Nums=Array(nums)))]))
        )
        for index, parts in enumerate(self.content):
            self.pdf.pages[index].obj.Contents = self.pdf.make_stream(b"\n".join(parts))
        output = io.BytesIO()
        self.pdf.save(output)
        return output.getvalue()


def simple_document(builder=None):
    """H1 'Hi' and a P 'Hi x' on one page."""
    b = builder or Builder()
    b.marked(0, 0, [1, 2])
    b.marked(0, 1, [1, 2, 3, 4], y=650)
    h1 = b.element("H1", [0])
    p = b.element("P", [1])
    return b, [h1, p]


def test_text_in_tree_order_with_blocks_on_lines():
    b, top = simple_document()
    data = b.build([b.element("Document", top)])
    assert structure_text(data) == "Hi\nHi x"
    assert problems(data) == []


def test_element_actual_text_replaces_its_subtree():
    b = Builder()
    b.marked(0, 0, [5, 6, 7])  # glyphs decode to ਰਿਪੋਰਟ only by luck of this map
    b.marked(0, 1, [4, 8])
    span = b.element("Span", [0], ActualText=String("ਰਿਪੋਰਟ"))
    p = b.element("P", [span, 1], Lang=String("pa"))
    h1 = b.element("H1", [], ActualText=String("Report"))
    data = b.build([h1, p])
    records = list(elements(data))
    assert [(e.role, e.text) for e in records] == [("H1", "Report"), ("P", "ਰਿਪੋਰਟxy"), ("Span", "ਰਿਪੋਰਟ")]
    assert records[1].lang == "pa" and records[2].effective_lang == "pa"
    assert records[0].effective_lang == "en-GB"


def test_marked_content_actual_text_replaces_its_glyphs():
    b = Builder()
    b.marked(0, 0, [4, 4, 4], actual_text="صحت")
    b.marked(0, 1, [1, 2])
    data = b.build([b.element("H1", [1]), b.element("P", [0], Lang=String("ur"))])
    assert structure_text(data) == "Hi\nصحت"


def test_content_on_two_pages_and_line_breaks():
    b = Builder(page_count=2)
    b.marked(0, 0, [1, 2], y=100)
    b.marked(1, 0, [4], y=700)
    b.marked(1, 1, [8], y=700)  # same line: no space
    b.marked(1, 2, [1], y=680)  # next line: a space
    p = b.element("P", [0, b.mcr(1, 0), b.mcr(1, 1), b.mcr(1, 2)])
    data = b.build([b.element("H1", [], ActualText=String("T")), p])
    record = [e for e in elements(data) if e.role == "P"][0]
    assert record.text == "Hi xy H"
    assert record.pages == (1, 2)
    assert problems(data) == []


def test_artifacts_are_listed_and_not_in_the_text():
    b, top = simple_document()
    b.artifact(0, [4, 8])
    data = b.build(top)
    assert [(a.page, a.type, a.subtype, a.text) for a in artifacts(data)] == [(1, "Pagination", "Footer", "xy")]
    assert "xy" not in structure_text(data)


def test_problems_found():
    b = Builder()
    b.marked(0, 0, [1, 2])
    b.marked(0, 1, [4])
    b.marked(0, 2, [8, 9])  # glyph 9 has an empty ToUnicode entry
    b.marked(0, 3, [1], tag="Figure")
    b.marked(0, 4, [2])  # in the ParentTree, but its element is not in the tree
    b.untagged(0, [4])
    h1 = b.element("H1", [0])
    h3 = b.element("H3", [1])
    second_h1 = b.element("H1", [2])
    figure = b.element("Figure", [3])
    lost = b.element("P", [4])
    paragraph = b.element("P", [], ActualText=String("item"))
    item = b.element("LI", [paragraph])
    lst = b.element("L", [item, b.element("P", [], ActualText=String("stray"))])
    th_free = b.element("TH", [], ActualText=String("Head"), ID=String("h1"))
    td = b.element("TD", [], ActualText=String("cell"), A=Dictionary(O=Name.Table))
    table = b.element("Table", [b.element("TR", [th_free, td])])
    annotation = b.pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[0, 0, 10, 10],
            Contents=String("https://example.org"),
            StructParent=1,
            A=Dictionary(S=Name.URI, URI=String("https://example.org")),
        )
    )
    b.page(0).Annots = Array([annotation])
    link = b.element("Link", [Dictionary(Type=Name.OBJR, Obj=annotation, Pg=b.page(0))])
    data = b.build([h1, h3, second_h1, figure, lst, table, link], extra_nums=[1, link])
    del lost
    found = "\n".join(problems(data))
    assert "expected exactly one H1, found 2" in found
    assert "heading level skipped: H3" in found
    assert "Figure on page 1 has no /Alt text" in found
    assert "LI 'item' holds P" in found
    assert "L 'item\\nstray' holds P" in found
    assert "TH 'Head' (page 1) has no /Scope" in found
    assert "TD 'cell' (page 1) in a table with headers has no /Headers" in found
    assert "has /Contents 'https://example.org', which is only an address" in found
    assert "MCID 4" in found and "unreachable from the StructTreeRoot" in found
    assert "glyph 9 has an empty ToUnicode entry" in found
    assert "text outside any marked content (neither tagged nor artifact): 'x'" in found


def test_problems_accepts_paths_and_bytes(tmp_path):
    b, top = simple_document()
    data = b.build(top)
    path = tmp_path / "simple.pdf"
    path.write_bytes(data)
    assert problems(path) == problems(str(path)) == problems(data) == []
    assert structure_text(path) == structure_text(data)
