"""Escaping text from configurations and data wherever it lands in a page: one place for it."""

from __future__ import annotations

import html


def html_text(text: object) -> str:
    """Text for HTML elements and attributes: ``& < > " '`` escaped.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def markdown_text(text: object) -> str:
    """Markdown whose own formatting is kept but which can hold no HTML: ``&`` and ``<`` escaped.

    >>> markdown_text("**Ward** <script>")
    '**Ward** &lt;script>'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;")
