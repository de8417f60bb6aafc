"""Escaping text from configurations and data wherever it lands in a page: one place for it.

Tables escape every cell, header and caption with :func:`html_text` (``report/display.show_table``),
notes and Markdown cells with :func:`markdown_text`, figure ``alt`` text in the page template
(``templates/nbconvert/csp``), and the index page through jinja2's autoescape.
"""

from __future__ import annotations

import html
import re


def html_text(text: object) -> str:
    """Text for HTML elements and attributes: ``& < > " '`` escaped.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def markdown_text(text: object) -> str:
    """Markdown whose own emphasis and headings are kept but which can hold no HTML, link or image:
    ``&`` and ``<`` become entities, the ``](`` of an inline link or image, a ``[`` that starts a
    line (a link definition) and the ``//`` of a web address are backslash-escaped. The page shows
    the text as given; brackets alone (the suppression marker ``[c]``) stay as they are.

    >>> markdown_text("**Ward** <script> [c]")
    '**Ward** &lt;script> [c]'
    >>> print(markdown_text("![x](http://example.org/x.png) [y](javascript:alert(1))"))
    ![x]\\(http:\\/\\/example.org/x.png) [y]\\(javascript:alert(1))
    """
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace("](", "]\\(").replace("://", ":\\/\\/")
    return re.sub(r"(?m)^(\s*)\[", r"\1\\[", escaped)
