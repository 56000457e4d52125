"""Years in names: the one rule for the year in a layer name, a file name or a band description.

A year is four digits from 1800 to 2199 that are not part of a longer number. ``NPP_2001`` is the factor
``NPP`` of 2001 wherever the plugin reads it (training, prediction, stacks of single-band files), and
``NPP_1750`` is a factor named ``NPP_1750``: 1750 is not read as a year anywhere.

>>> split_year("NPP_2001")
('NPP', 2001)
>>> split_year("NPP_1750")
('NPP_1750', None)
>>> year_in("npp_2024_v2.tif")
2024
"""

from __future__ import annotations

import re

FIRST_YEAR, LAST_YEAR = 1800, 2199
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_ANYWHERE = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_SUFFIX = re.compile(rf"^(?P<stem>.+)_(?P<year>{_YEAR})$")


def year_in(text: str | None) -> int | None:
    """The last year in ``text`` (a file name, a band description, a date), or None.

    >>> year_in("2001-06-30")
    2001
    >>> year_in("carbon 2001 to 2024")
    2024
    >>> year_in("tile 20011") is None
    True
    """
    if not text:
        return None
    found = _ANYWHERE.findall(text)
    return int(found[-1]) if found else None


def split_year(name: str) -> tuple[str, int | None]:
    """``(stem, year)`` of a name ending in ``_<year>``; ``(name, None)`` for any other name.

    Surrounding blanks are dropped. The stem is what comes before the last underscore:

    >>> split_year(" AP_2001_2024 ")
    ('AP_2001', 2024)
    >>> split_year("DEM")
    ('DEM', None)
    >>> split_year("_2001")
    ('_2001', None)
    """
    name = name.strip()
    match = _SUFFIX.match(name)
    if match is None:
        return name, None
    return match.group("stem"), int(match.group("year"))
