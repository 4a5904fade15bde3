"""Fonts: which font draws each character, and smaller fonts for the PDF.

* :mod:`.fontconfig` is the one fontconfig query (the way WeasyPrint asks it);
* :mod:`.coverage` refuses a page with characters no font can draw;
* :mod:`.subsets` cuts fonts down to a page's characters, cached on disk.
"""
