"""Map every drawn glyph back to the text it stands for.

WeasyPrint 70 fills ``Font.to_unicode`` (glyph id → text) while it draws, one glyph at
a time (``draw/text.py``, ``draw_first_line``): in a cluster of several glyphs only one
gets the cluster's text and the others get an empty string, and a glyph keeps the text
of the first cluster it was seen in. That is wrong for complex scripts (Indic
conjuncts and split vowels, Nastaliq, Arabic), where one cluster is drawn with several
glyphs and one glyph serves several letters.

This module:

* :func:`read_first_line` — reads back, from the Pango line WeasyPrint has just drawn,
  which glyphs were drawn for which cluster of text (a :class:`DrawnLine`);
* :func:`repair_to_unicode` — chooses, for every glyph of every font, a non-empty
  best mapping from everything recorded;
* :func:`actual_text_for` — tells whether decoding a line's glyphs through those maps
  gives back the line's text, and if not returns the text to put in ``/ActualText``.
"""

from __future__ import annotations

import io
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

LOGGER = logging.getLogger("reportgen.formats.pdf")

REPLACEMENT = "\ufffd"


@dataclass
class Cluster:
    """One cluster of text and the glyphs (in drawing order) drawn for it."""

    font_hash: str
    text: str
    glyphs: tuple


@dataclass
class DrawnLine:
    """The glyphs drawn for one text box and the logical text they render."""

    text: str  # logical order, as in the document
    glyphs: list = field(default_factory=list)  # (font hash, glyph id), drawing order
    clusters: list = field(default_factory=list)  # Cluster
    fonts: dict = field(default_factory=dict)  # font hash -> weasyprint Font
    missing: list = field(default_factory=list)  # characters drawn as .notdef


_glyph_stride = None  # PangoGlyphInfo size in 32-bit words; 0: read glyph by glyph


def _glyph_ids(ffi, infos, count):
    """The ``glyph`` field of ``count`` PangoGlyphInfo structs, read in one go."""
    global _glyph_stride
    if _glyph_stride is None:
        size = ffi.sizeof("PangoGlyphInfo")
        _glyph_stride = (
            0 if (size % 4 or ffi.offsetof("PangoGlyphInfo", "glyph") or ffi.sizeof("PangoGlyph") != 4) else size // 4
        )
    if not _glyph_stride:
        return [infos[i].glyph for i in range(count)]  # a layout we did not expect
    words = memoryview(ffi.buffer(infos, 4 * _glyph_stride * count)).cast("I")
    return words[::_glyph_stride].tolist()


def read_first_line(stream, textbox, clusters=None):
    """Read the glyphs of ``textbox``'s first Pango line, as just drawn.

    ``clusters``, a dict kept for one render, lets lines share their one-glyph
    :class:`Cluster` objects and ``glyphs`` pairs (treat them as read-only).

    Mirrors the walk of WeasyPrint's ``draw_first_line`` over runs and glyphs, but
    groups glyphs by cluster (``log_clusters``) instead of mapping glyph by glyph.
    Each run's glyph ids and clusters are read from C memory at once, not per glyph.
    """
    from weasyprint.text.ffi import ffi, pango

    empty = pango.PANGO_GLYPH_EMPTY
    unknown = pango.PANGO_GLYPH_UNKNOWN_FLAG
    special = min(empty, unknown)
    layout = textbox.pango_layout
    first_line, _ = layout.get_first_line()
    utf8 = layout.text.encode()
    start = first_line.start_index
    line = DrawnLine(text=utf8[start : start + first_line.length].decode("utf-8", "replace"))
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        item = glyph_item.item
        font, _ = stream.add_font(item.analysis.font)
        font_hash = font.hash
        line.fonts[font_hash] = font
        if count <= 0:
            continue
        glyph_ids = _glyph_ids(ffi, glyph_string.glyphs, count)
        log_clusters = ffi.unpack(glyph_string.log_clusters, count)
        offset = item.offset

        starts = sorted(set(log_clusters))
        ends = starts[1:] + [item.length]
        if starts == log_clusters and max(glyph_ids) < special:
            # Every glyph is its own cluster, in logical order (most text).
            # Shared between lines (and so read-only): one (font hash, glyph) pair per
            # glyph, one Cluster per glyph and text. Few new objects, few GC passes.
            known = {} if clusters is None else clusters.setdefault(font_hash, {})
            glyphs_append = line.glyphs.append
            clusters_append = line.clusters.append
            for cluster_start, cluster_end, glyph_id in zip(starts, ends, glyph_ids, strict=True):
                shared = known.get(glyph_id)
                if shared is None:
                    shared = known[glyph_id] = ((font_hash, glyph_id), {})
                pair, by_text = shared
                glyphs_append(pair)
                text = utf8[offset + cluster_start : offset + cluster_end]
                cluster = by_text.get(text)
                if cluster is None:
                    cluster = by_text[text] = Cluster(font_hash, text.decode("utf-8", "replace"), (glyph_id,))
                clusters_append(cluster)
            continue

        ends = dict(zip(starts, ends, strict=True))
        members = defaultdict(list)
        for glyph_id, cluster_start in zip(glyph_ids, log_clusters, strict=True):
            if glyph_id == empty:
                continue
            if glyph_id & unknown:
                # Missing glyph: WeasyPrint maps it itself; the render is refused.
                line.missing.append(chr(glyph_id - unknown))
                continue
            members[cluster_start].append(glyph_id)
            line.glyphs.append((font_hash, glyph_id))
        for cluster_start in sorted(members):
            text = utf8[offset + cluster_start : offset + ends[cluster_start]]
            line.clusters.append(Cluster(font_hash, text.decode("utf-8", "replace"), tuple(members[cluster_start])))
    return line


class _ReverseCmap:
    """Glyph id → code points it is the nominal glyph of, loaded only when needed."""

    def __init__(self, font):
        self.font = font
        self._map = None

    def get(self, glyph_id):
        if self._map is None:
            self._map = defaultdict(set)
            try:
                from fontTools.ttLib import TTFont

                ttfont = TTFont(io.BytesIO(self.font.file_content), fontNumber=self.font.index, lazy=True)
                order = {name: i for i, name in enumerate(ttfont.getGlyphOrder())}
                for codepoint, name in (ttfont.getBestCmap() or {}).items():
                    if name in order:
                        self._map[order[name]].add(chr(codepoint))
            except Exception:  # noqa: BLE001 - a font we cannot read: no nominal info
                LOGGER.debug("cannot read cmap of font %s", self.font.family, exc_info=True)
        return self._map.get(glyph_id, set())


def _most_common(counted):
    """Most frequent value of (value, count) pairs; ties go to the value seen first."""
    counter = Counter()
    for value, count in counted:
        counter[value] += count
    return counter.most_common(1)[0][0] if counter else None


def _remainder(cluster, glyph_id, reverse, known):
    """Text of the cluster not stood for by its other glyphs."""
    remaining = cluster.text
    for other in cluster.glyphs:
        if other == glyph_id:
            continue
        if known.get(other) and known[other] in remaining:
            remaining = remaining.replace(known[other], "", 1)
            continue
        for char in sorted(reverse.get(other)):
            if char in remaining:
                remaining = remaining.replace(char, "", 1)
                break
    return remaining


def _alone(counted):
    return _most_common((c.text, n) for c, n in counted if len(c.glyphs) == 1 and c.text)


def choose_mapping(glyph_id, clusters, reverse, known=None):
    """Best non-empty text for a glyph, from the clusters it was drawn in.

    1. A glyph drawn alone for a cluster stands for that cluster's text (letters,
       ligatures, conjuncts): the most frequent such text.
    2. A glyph only ever drawn as part of a cluster stands for the character it is the
       nominal glyph of, preferring one found in its clusters (e.g. a vowel sign).
    3. Otherwise, the part of its cluster's text that the other glyphs of the cluster
       (as far as ``known`` or their nominal characters tell) do not stand for;
       failing that, the cluster's text (e.g. the dots of a Nastaliq letter).
    """
    return _choose(glyph_id, [(c, 1) for c in clusters], reverse, known)


def _choose(glyph_id, counted, reverse, known=None):
    """:func:`choose_mapping` on distinct clusters, each with how often it was drawn
    (in the order first drawn): the same answer, without repeating the work."""
    known = known or {}
    alone = _alone(counted)
    if alone:
        return alone
    nominal = reverse.get(glyph_id)
    if nominal:
        in_text = sorted(ch for ch in nominal if any(ch in c.text for c, _ in counted))
        return in_text[0] if in_text else sorted(nominal)[0]
    remainders = [(r, n) for r, n in ((_remainder(c, glyph_id, reverse, known), n) for c, n in counted) if r]
    if remainders:
        return _most_common(remainders)
    return _most_common((c.text, n) for c, n in counted if c.text)


def _count_clusters(clusters):
    """{font hash: {glyph id: [[cluster, times drawn], ...]}}, distinct clusters in the
    order first drawn, listed under every glyph they contain."""
    by_glyph = defaultdict(lambda: defaultdict(list))
    seen = {}
    by_id = {}  # clusters shared between lines: one look-up by identity
    for cluster in clusters:
        entry = by_id.get(id(cluster))
        if entry is not None:
            entry[1] += 1
            continue
        glyphs = tuple(cluster.glyphs)
        key = (cluster.font_hash, cluster.text, glyphs)
        entry = seen.get(key)
        if entry is None:
            entry = seen[key] = [cluster, 0]
            font_glyphs = by_glyph[cluster.font_hash]
            for glyph_id in set(glyphs):
                font_glyphs[glyph_id].append(entry)
        by_id[id(cluster)] = entry
        entry[1] += 1
    return by_glyph


def repair_to_unicode(fonts, clusters):
    """Give every glyph in ``Font.to_unicode`` a non-empty mapping.

    ``fonts`` is WeasyPrint's ``document.fonts`` (key → Font); ``clusters`` every
    :class:`Cluster` recorded while drawing. Fonts sharing a hash share one file (and,
    in the PDF, one resource name), so they get one mapping. Returns
    {font hash: {glyph id: text}}, the mappings written.
    """
    by_glyph = _count_clusters(clusters)

    groups = defaultdict(list)
    for font in fonts.values():
        groups[font.hash].append(font)

    result = {}
    for font_hash, group in groups.items():
        reverse = _ReverseCmap(group[0])
        used = set()
        for font in group:
            used |= set(font.to_unicode)
        recorded_clusters = by_glyph[font_hash]
        known = {glyph_id: _alone(recorded_clusters[glyph_id]) for glyph_id in used if glyph_id in recorded_clusters}
        mapping = {}
        for glyph_id in sorted(used):
            recorded = recorded_clusters.get(glyph_id)
            text = _choose(glyph_id, recorded, reverse, known) if recorded else None
            if not text:
                # Not drawn through a recorded text line (e.g. SVG text or forms):
                # keep WeasyPrint's text, else the nominal character.
                text = next((f.to_unicode[glyph_id] for f in group if f.to_unicode.get(glyph_id)), None)
                if not text:
                    nominal = reverse.get(glyph_id)
                    text = sorted(nominal)[0] if nominal else REPLACEMENT
                    LOGGER.debug(
                        "glyph %d of %s mapped to %r without a recorded cluster", glyph_id, group[0].family, text
                    )
            mapping[glyph_id] = text
        for font in group:
            for glyph_id in font.to_unicode:
                font.to_unicode[glyph_id] = mapping[glyph_id]
        result[font_hash] = mapping
    return result


def actual_text_for(line, mappings):
    """Text for /ActualText if the line's glyphs don't decode to its text, else None."""
    if not line.glyphs:
        return None
    decoded = "".join(mappings.get(font_hash, {}).get(glyph_id, REPLACEMENT) for font_hash, glyph_id in line.glyphs)
    return None if decoded == line.text else line.text
