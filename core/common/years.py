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

import os
import re

FIRST_YEAR, LAST_YEAR = 1800, 2199
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_ANYWHERE = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_SUFFIX = re.compile(rf"^(?P<stem>.+)_(?P<year>{_YEAR})$")
# Dates in file names of downloads: MODIS "A<year><day of year>", year-month-day, year-month.
_MODIS = re.compile(rf"(?<![A-Za-z0-9])A({_YEAR})(\d{{3}})(?!\d)")
_YMD = re.compile(rf"(?<!\d)({_YEAR})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_YM = re.compile(rf"(?<!\d)({_YEAR})[-_.]?(0[1-9]|1[0-2])(?!\d)")
_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


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


def date_in_name(text: str | None) -> tuple[int | None, int | None]:
    """Year and month in a file name or band description, the month None when absent.

    ``A2003001`` (MODIS year and day of year), ``2003-07-15``/``20030715``, ``2003_07``/``200307``,
    ``2003``; the last date in the name wins. Years follow the rule of :func:`year_in`.

    >>> date_in_name("MOD17A3HGF.A2003001.h25v05.061.hdf")
    (2003, 1)
    >>> date_in_name("pr_2003_07.tif"), date_in_name("ndvi_2019.tif"), date_in_name("lst_20110315.nc")
    ((2003, 7), (2019, None), (2011, 3))
    >>> date_in_name("MOD13A1.A2004061.hdf")  # day 61 of a leap year is 1 March
    (2004, 3)
    """
    base = os.path.basename(text or "")
    modis = list(_MODIS.finditer(base))
    if modis:
        year, doy = int(modis[-1].group(1)), int(modis[-1].group(2))
        if 1 <= doy <= 366:
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            month = 12
            while month > 1 and doy <= _DAYS_BEFORE_MONTH[month - 1] + (leap and month > 2):
                month -= 1
            return year, month
    for regex in (_YMD, _YM):
        found = list(regex.finditer(base))
        if found:
            return int(found[-1].group(1)), int(found[-1].group(2))
    return year_in(base), None


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


def without_dates(text: str) -> str:
    """``text`` with the dates :func:`date_in_name` reads taken out (MODIS ``A<year><day>``, year-month-day,
    year-month, year), for the name of what a series of dated files holds.

    >>> without_dates("MOD17A3HGF.A2003001.h26v05"), without_dates("pr_2003_07"), without_dates("lst_20110315_v2")
    ('MOD17A3HGF..h26v05', 'pr_', 'lst__v2')
    """
    text = _MODIS.sub("", text or "")
    for regex in (_YMD, _YM, _ANYWHERE):
        text = regex.sub("", text)
    return text
