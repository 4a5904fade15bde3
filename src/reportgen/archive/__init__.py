"""Archive: every published PDF kept immutable, verifiable and findable.

* :mod:`.store` is the content-addressed store and its SQLite catalogue (write once, verify, search);
* :mod:`.publish` builds, checks and archives a publication's editions as PDF/A-3a with their sources.
"""
