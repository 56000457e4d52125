"""The one HTML escape of the reports, and the few attribute values they may hold.

Every text of a report (titles, headings, paragraphs, table cells, chart labels, alt text) reaches the
page through :func:`escape`, at the one place it is emitted. Attribute values that are not text are
checked instead of escaped: colours match :data:`HEX_COLOUR`.
"""

from __future__ import annotations

import html
import re

__all__ = ["HEX_COLOUR", "escape"]

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def escape(text) -> str:
    """``text`` as HTML text or a quoted attribute value: ``& < > " '`` escaped; None is the empty string.

    Examples
    --------
    >>> escape('<a href="javascript:x()">O\\'Brien & co</a>')
    '&lt;a href=&quot;javascript:x()&quot;&gt;O&#x27;Brien &amp; co&lt;/a&gt;'
    >>> escape(None), escape(2.5)
    ('', '2.5')
    """
    return html.escape("" if text is None else str(text), quote=True)
