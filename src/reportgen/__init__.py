"""reportgen: accessible, multilingual HTML and PDF/UA-1 publications from structured data.

The stages, in the one direction data travels (each package imports only those below it;
``make lint`` holds them to it, see ``[tool.importlinter]`` in pyproject.toml)::

    content → i18n → render → survey → formats → build → check → archive → cli / web

``reportgen.build.core`` strings them together and ``reportgen.cli`` is a thin shell over it.
"""

__version__ = "0.1.0"
