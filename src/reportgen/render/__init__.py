"""Render: a validated publication in one language → HTML, through the Jinja2 templates.

* :mod:`.html` is the template environment and the page's context, for a screen or print medium;
* :mod:`.charts` draws the survey's charts as accessible SVG.
"""
