"""Languages other than the source: catalogs, extraction, translation, formatting, hand-off.

* :mod:`.paths` says where catalogs are (without Babel);
* :mod:`.catalogs` reads, writes, extracts and checks PO catalogs (Babel);
* :mod:`.extract` is Babel's extractor for report.yaml;
* :mod:`.translate` makes the translated publication from its catalog;
* :mod:`.formatting` writes numbers, percentages, money and dates as CLDR says for each language;
* :mod:`.handoff` makes translation requests (PO, XLIFF, glossary) and imports what comes back.
"""
