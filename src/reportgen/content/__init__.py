"""Content: what a publication says, read and validated.

* :mod:`.load` reads a publication folder (report.yaml, CSV tables) with line numbers kept;
* :mod:`.model` is the schema (pydantic): blocks, sections, metadata, waivers, and the
  per-field declarations of what a translator translates;
* :mod:`.markup` is the one inline Markdown (bold, italic, links) a text field may hold;
* :mod:`.walk` visits every text of a publication once, for translation, checks and cross-references;
* :mod:`.rules` is the registry of content rules the checker applies and waivers name.

Nothing here renders, translates or writes.
"""
