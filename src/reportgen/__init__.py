"""reportgen: accessible, multilingual HTML and PDF/UA-1 publications from structured data.

The stages, in the one direction data travels:

    load → model → render → pdf → write

``reportgen.build.core`` strings them together and ``reportgen.cli`` is a thin shell over it.
"""

__version__ = "0.1.0"
