"""netCDF and HDF sources as GDAL opens them: data variables, CF time axes, lon/lat grids.

A CF-netCDF file keeps its time axis as numbers with ``units`` such as ``days since 1950-01-01`` and a
``calendar`` (CF-1.11 §4.4). GDAL exposes them as metadata: ``<time>#units`` and ``<time>#calendar``
on the dataset, ``NETCDF_DIM_<time>`` (the coordinate value) on every band, ``NETCDF_DIM_EXTRA``
naming the extra dimensions; a GeoTIFF converted with ``gdal_translate`` keeps the same items. This
module turns them into calendar dates, resolves a plain ``.nc``/``.hdf`` path to its one data variable
(``NETCDF:"file.nc":var``) and gives CF longitude/latitude grids without a declared CRS the CRS they
are defined in (WGS 84, as CF's default for lon/lat axes).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

#: CF calendars, by name, with the aliases CF allows.
CALENDARS = {
    "standard": "standard",
    "gregorian": "standard",
    "proleptic_gregorian": "proleptic_gregorian",
    "julian": "julian",
    "noleap": "noleap",
    "365_day": "noleap",
    "all_leap": "all_leap",
    "366_day": "all_leap",
    "360_day": "360_day",
}

_UNIT_SECONDS = {
    "second": 1.0,
    "minute": 60.0,
    "hour": 3600.0,
    "day": 86400.0,
    "week": 7 * 86400.0,
}
_UNIT_ALIASES = {
    "s": "second",
    "sec": "second",
    "secs": "second",
    "seconds": "second",
    "second": "second",
    "min": "minute",
    "mins": "minute",
    "minutes": "minute",
    "minute": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hours": "hour",
    "hour": "hour",
    "d": "day",
    "days": "day",
    "day": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "mon": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
}
_ORIGIN_RE = re.compile(
    r"^\s*(-?\d{1,4})-(\d{1,2})(?:-(\d{1,2}))?"
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*(?:UTC)?\s*$",
    re.IGNORECASE,
)
_GREGORIAN_START_JDN = 2299161  # 1582-10-15 (Gregorian) = the day after 1582-10-04 (Julian)
_CUM_365 = np.array([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365])
_CUM_366 = np.array([0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366])


class TimeAxisError(ValueError):
    """A time axis cannot be read as dates; the message says which item and why."""


@dataclass(frozen=True)
class TimeUnits:
    """Parsed CF time units: ``unit`` ('second' … 'week', 'month' or 'year') since ``origin``."""

    unit: str
    origin: tuple  # (year, month, day, hour, minute, second), in UTC
    text: str


def parse_time_units(units: str) -> TimeUnits:
    """Parse CF time units such as ``"days since 1950-01-01 00:00:00"``.

    Parameters
    ----------
    units : str
        ``<unit> since <date>[ <time>][ <zone>]``; units seconds to weeks (with their UDUNITS
        abbreviations), and calendar ``months``/``years`` (see :func:`decode_times`).

    Returns
    -------
    TimeUnits

    Raises
    ------
    TimeAxisError
        Not of the form ``<unit> since <date>``, or an unknown unit.

    Examples
    --------
    >>> parse_time_units("hours since 2001-12-31T23:00:00Z").origin
    (2001, 12, 31, 23, 0, 0.0)
    >>> parse_time_units("Days since 1-1-1").unit
    'day'
    """
    if not isinstance(units, str) or " since " not in units.lower():
        raise TimeAxisError(f"time units {units!r} are not of the form '<unit> since <date>' (CF §4.4)")
    head, tail = re.split(r"\s+since\s+", units.strip(), maxsplit=1, flags=re.IGNORECASE)
    unit = _UNIT_ALIASES.get(head.strip().lower())
    if unit is None:
        raise TimeAxisError(
            f"time units {units!r}: unknown unit {head.strip()!r} (seconds, minutes, hours, days, weeks, "
            "months or years)"
        )
    m = _ORIGIN_RE.match(tail)
    if not m:
        raise TimeAxisError(f"time units {units!r}: the reference date {tail!r} cannot be read")
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
    ss = float(m.group(6) or 0.0)
    zone = (m.group(7) or "").upper()
    if zone and zone not in ("Z", "UTC", "GMT"):
        sign = -1 if zone.startswith("-") else 1
        digits = zone[1:].replace(":", "")
        off_h = int(digits[:-2] or 0) if len(digits) > 2 else int(digits)
        off_m = int(digits[-2:]) if len(digits) > 2 else 0
        # local time = UTC + offset: the origin in UTC is earlier by the offset
        total = hh * 60 + mm - sign * (off_h * 60 + off_m)
        if not 0 <= total < 1440:  # a reference time shifted across midnight is not worth a calendar here
            raise TimeAxisError(f"time units {units!r}: a time zone that moves the date is not supported")
        hh, mm = divmod(total, 60)
    if not (1 <= mo <= 12 and 1 <= d <= 31 and hh < 24 and mm < 60 and ss < 61):
        raise TimeAxisError(f"time units {units!r}: the reference date {tail!r} is not a valid date")
    return TimeUnits(unit, (y, mo, d, hh, mm, ss), units)


def _calendar(calendar) -> str:
    name = (calendar or "standard").strip().lower()
    if name not in CALENDARS:
        raise TimeAxisError(
            f"calendar {calendar!r} is not a CF calendar ({', '.join(sorted(set(CALENDARS)))})"
        )
    return CALENDARS[name]


# Day numbers (Julian Day Number at noon) of dates in the Julian and Gregorian calendars
# (Richards, E. G. (2013) Calendars, in Explanatory Supplement to the Astronomical Almanac, 3rd ed.).
def _gregorian_jdn(y, m, d):
    a = (14 - m) // 12
    yy, mm = y + 4800 - a, m + 12 * a - 3
    return d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - yy // 100 + yy // 400 - 32045


def _julian_jdn(y, m, d):
    a = (14 - m) // 12
    yy, mm = y + 4800 - a, m + 12 * a - 3
    return d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - 32083


def _jdn_to_date(jdn, gregorian):
    jdn = np.asarray(jdn, dtype=np.int64)
    if gregorian:
        a = jdn + 32044
        b = (4 * a + 3) // 146097
        c = a - 146097 * b // 4
    else:
        b = np.zeros_like(jdn)
        c = jdn + 32082
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return year, month, day


def _days_to_dates(origin, days, calendar):
    """Dates ``(year, month, day)`` of ``days`` (float, may be fractional) after ``origin`` in ``calendar``."""
    y0, m0, d0, hh, mm, ss = origin
    frac0 = (hh * 3600 + mm * 60 + ss) / 86400.0
    total = np.floor(days + frac0 + 1e-9).astype(np.int64)  # whole days after the origin's midnight
    if calendar in ("standard", "proleptic_gregorian", "julian"):
        if calendar == "julian":
            start = _julian_jdn(y0, m0, d0)
        elif calendar == "standard" and _gregorian_jdn(y0, m0, d0) < _GREGORIAN_START_JDN:
            start = _julian_jdn(y0, m0, d0)  # the mixed calendar is Julian before 1582-10-15
        else:
            start = _gregorian_jdn(y0, m0, d0)
        jdn = start + total
        if calendar == "proleptic_gregorian":
            return _jdn_to_date(jdn, True)
        if calendar == "julian":
            return _jdn_to_date(jdn, False)
        yg, mg, dg = _jdn_to_date(jdn, True)
        yj, mj, dj = _jdn_to_date(jdn, False)
        greg = jdn >= _GREGORIAN_START_JDN
        return np.where(greg, yg, yj), np.where(greg, mg, mj), np.where(greg, dg, dj)
    if calendar == "360_day":
        if d0 > 30:
            raise TimeAxisError(f"reference day {d0} does not exist in the 360_day calendar")
        n = y0 * 360 + (m0 - 1) * 30 + (d0 - 1) + total
        year, rest = np.divmod(n, 360)
        month, day = np.divmod(rest, 30)
        return year, month + 1, day + 1
    cum = _CUM_365 if calendar == "noleap" else _CUM_366
    length = int(cum[-1])
    if d0 > cum[m0] - cum[m0 - 1]:
        raise TimeAxisError(
            f"reference date {y0}-{m0:02d}-{d0:02d} does not exist in the {calendar} calendar"
        )
    n = y0 * length + cum[m0 - 1] + (d0 - 1) + total
    year, doy = np.divmod(n, length)
    month = np.searchsorted(cum, doy, side="right")
    day = doy - cum[month - 1] + 1
    return year, month, day


def decode_times(values, units: str, calendar: str | None = "standard") -> np.ndarray:
    """Calendar dates of CF time coordinates.

    Parameters
    ----------
    values : array_like of float, shape (n,)
        Time coordinates, finite.
    units : str
        CF time units, e.g. ``"days since 1950-01-01"`` (:func:`parse_time_units`).
    calendar : str, optional
        A CF calendar: ``standard``/``gregorian`` (Julian before 1582-10-15, Gregorian after),
        ``proleptic_gregorian``, ``julian``, ``noleap``/``365_day``, ``all_leap``/``366_day``,
        ``360_day``. Default (and None or empty) ``standard``, as CF prescribes.

    Returns
    -------
    numpy.ndarray of int64, shape (n, 3)
        Year, month and day of each value.

    Raises
    ------
    TimeAxisError
        Unreadable units, an unknown calendar or a non-finite value.

    Notes
    -----
    The date of value *v* is origin + *v* × unit, counted in the days of the calendar (the time of
    day is kept to place values near midnight on the right day). ``months since`` and ``years since``
    are taken as calendar months and years (*v* = 0.5 is the middle of the origin's month), which is
    what the files that use them mean; UDUNITS' fixed-length month (30.436875 days) would put a
    mid-month value of a 360_day or noleap file in the wrong month.

    References
    ----------
    Eaton, B. et al. (2023) NetCDF Climate and Forecast (CF) Metadata Conventions 1.11, §4.4 Time
    coordinate. Richards, E. G. (2013) Calendars, in Urban, S. E. & Seidelmann, P. K. (eds.),
    Explanatory Supplement to the Astronomical Almanac, 3rd ed., 585–624.

    Examples
    --------
    >>> decode_times([17927, 18261], "days since 1950-01-01", "standard").tolist()
    [[1999, 1, 31], [1999, 12, 31]]
    >>> decode_times([59], "days since 2001-01-01", "360_day").tolist()
    [[2001, 2, 30]]
    """
    tu = parse_time_units(units)
    cal = _calendar(calendar)
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(v)):
        raise TimeAxisError(f"time values with {units!r} are not all finite numbers")
    y0, m0 = tu.origin[0], tu.origin[1]
    if tu.unit in ("month", "year"):
        months = np.floor(v * (12 if tu.unit == "year" else 1) + 1e-9).astype(np.int64)
        n = y0 * 12 + (m0 - 1) + months
        year, month = np.divmod(n, 12)
        return np.stack([year, month + 1, np.full_like(year, tu.origin[2])], axis=1)
    days = v * (_UNIT_SECONDS[tu.unit] / 86400.0)
    year, month, day = _days_to_dates(tu.origin, days, cal)
    return np.stack([np.asarray(year), np.asarray(month), np.asarray(day)], axis=1).astype(np.int64)


# ------------------------------------------------------------------------------------------ GDAL side
def is_connection_string(source: str) -> bool:
    """Whether ``source`` is a GDAL subdataset name (``NETCDF:"f.nc":var``, ``HDF4_EOS:EOS_GRID:…``).

    >>> is_connection_string('NETCDF:"/data/pr.nc":pr'), is_connection_string("/data/pr.tif")
    (True, False)
    """
    return bool(re.match(r'^[A-Z][A-Z0-9_]*:(?:[A-Za-z0-9_]+:)*"', source or ""))


def file_of(source: str) -> str:
    """The file a source reads: the quoted path of a subdataset name, else the source itself.

    >>> file_of('HDF4_EOS:EOS_GRID:"/d/MOD17A3.hdf":MOD_Grid:Npp_500m')
    '/d/MOD17A3.hdf'
    """
    m = re.search(r'"([^"]+)"', source or "") if is_connection_string(source) else None
    return m.group(1) if m else source


def display_name(source: str) -> str:
    """A short name of a source for messages: ``pr.nc:pr`` for ``NETCDF:"/data/pr.nc":pr``.

    >>> display_name('NETCDF:"/data/pr.nc":pr')
    'pr.nc:pr'
    """
    if is_connection_string(source):
        path = file_of(source)
        var = source.rsplit('"', 1)[-1].lstrip(":")
        return f"{os.path.basename(path)}:{var}" if var else os.path.basename(path)
    return os.path.basename(source)


def _subdatasets(ds):
    items = ds.GetMetadata("SUBDATASETS") or {}
    names = []
    i = 1
    while f"SUBDATASET_{i}_NAME" in items:
        names.append((items[f"SUBDATASET_{i}_NAME"], items.get(f"SUBDATASET_{i}_DESC", "")))
        i += 1
    return names


def _is_coordinate(name: str, desc: str) -> bool:
    """Subdatasets that are coordinates or bounds (lat, lon, time_bnds…), not data variables."""
    var = name.rsplit(":", 1)[-1].strip('"/').split("/")[-1].lower()
    if var in ("lat", "lon", "latitude", "longitude", "x", "y", "time", "crs", "spatial_ref"):
        return True
    if var.endswith(("_bnds", "_bounds", "_bnd")) or var.startswith(("lat_", "lon_")):
        return True
    return " latitude " in f" {desc.lower()} " or " longitude " in f" {desc.lower()} "


def resolve_source(source: str, layer: str | None = None) -> str:
    """The raster GDAL should read for ``source``: a file with several variables becomes its one data
    variable (``file.nc`` → ``NETCDF:"file.nc":pr``); anything else is returned unchanged.

    Raises
    ------
    ValueError
        A file holds several data variables (they are listed, as subdataset names to give instead),
        or none.
    """
    if is_connection_string(source) or not os.path.isfile(source):
        return source
    try:
        ds = gdal.OpenEx(source, gdal.OF_RASTER)
    except RuntimeError:
        return source  # the caller opens it and reports why it cannot
    if ds is None or ds.RasterCount > 0 and not _subdatasets(ds):
        return source
    subs = _subdatasets(ds)
    if not subs:
        return source
    data = [(n, d) for n, d in subs if not _is_coordinate(n, d)]
    layer = layer or os.path.basename(source)
    if len(data) == 1:
        return data[0][0]
    listing = "; ".join(n for n, _ in (data or subs))
    if not data:
        raise ValueError(f"Layer '{layer}' ({source}) holds no data variable, only coordinates: {listing}")
    raise ValueError(
        f"Layer '{layer}' ({source}) holds {len(data)} data variables; give the one to use as a subdataset "
        f"name: {listing}"
    )


def time_axis(ds) -> tuple[str, str, str] | None:
    """``(dimension, units, calendar)`` of the CF time axis GDAL reports for ``ds``, or None.

    The dimension is the extra dimension (``NETCDF_DIM_EXTRA``) whose ``<dim>#units`` reads as
    ``<unit> since <date>`` (``time``, ``t``, ``valid_time``…).
    """
    meta = ds.GetMetadata() or {}
    extra = meta.get("NETCDF_DIM_EXTRA", "")
    dims = [d.strip() for d in extra.strip("{}").split(",") if d.strip()]
    if not dims:  # a GeoTIFF converted from netCDF keeps the items; else look for any '<dim>#units'
        dims = [k.split("#", 1)[0] for k in meta if k.endswith("#units")]
    for dim in dims:
        units = meta.get(f"{dim}#units", "")
        if " since " in units.lower():
            return dim, units, meta.get(f"{dim}#calendar", "standard") or "standard"
    return None


def band_dates(ds, layer: str) -> np.ndarray | None:
    """Dates ``(n_bands, 3)`` (year, month, day) of the bands from the CF time axis, or None without one.

    Raises
    ------
    ValueError
        The time axis cannot be decoded, or a band has no time coordinate; the message names ``layer``.
    """
    axis = time_axis(ds)
    if axis is None:
        return None
    dim, units, calendar = axis
    values = []
    for b in range(1, ds.RasterCount + 1):
        text = (ds.GetRasterBand(b).GetMetadata() or {}).get(f"NETCDF_DIM_{dim}")
        if text is None:
            return None  # e.g. one band of several extra dimensions: no time per band
        try:
            values.append(float(text))
        except ValueError:
            return None
    try:
        return decode_times(values, units, calendar)
    except TimeAxisError as exc:
        raise ValueError(f"Layer '{layer}': the time axis '{dim}' cannot be read: {exc}") from exc


def is_cf_lonlat(ds) -> bool:
    """Whether ``ds`` has no CRS but CF longitude/latitude axes (units degrees_east/degrees_north)."""
    if ds.GetProjection():
        return False
    meta = ds.GetMetadata() or {}
    units = {v.strip().lower() for k, v in meta.items() if k.endswith("#units")}
    return bool(units & {"degrees_east", "degree_east", "degrees_e"}) and bool(
        units & {"degrees_north", "degree_north", "degrees_n"}
    )


def wgs84_wkt() -> str:
    """WKT of WGS 84 in longitude/latitude order (the CRS CF lon/lat axes are given in)."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    return srs.ExportToWkt()


def crs_of(ds) -> tuple[str, str | None]:
    """``(crs_wkt, note)``: the CRS of ``ds``, WGS 84 for CF lon/lat grids without one (with a note)."""
    wkt = ds.GetProjection() or ""
    if not wkt and is_cf_lonlat(ds):
        return wgs84_wkt(), (
            "no CRS declared; its CF longitude/latitude axes (degrees_east, degrees_north) are taken as "
            "WGS 84 (EPSG:4326)"
        )
    return wkt, None


# ------------------------------------------------------------------------------ CF attributes of a band
def _numbers(text) -> list[float]:
    """The numbers of an attribute as GDAL reports it: ``{0,32700}``, ``0, 32700`` or ``-3000``."""
    out = []
    for part in re.split(r"[\s,{}()\[\]]+", str(text or "")):
        if part:
            try:
                out.append(float(part))
            except ValueError:
                return []
    return out


def valid_range(band) -> tuple[float | None, float | None, str] | None:
    """``(valid_min, valid_max, attribute)`` a band declares in stored values, or None.

    Read from the CF attributes ``valid_range`` (two numbers), else ``valid_min`` and/or ``valid_max``,
    as the netCDF and HDF drivers report them in the band's metadata (MODIS products declare
    ``valid_range`` too). CF §2.5.1: the range is in packed (stored) values, before scale and offset.

    >>> from osgeo import gdal
    >>> ds = gdal.GetDriverByName("MEM").Create("", 1, 1)
    >>> ds.GetRasterBand(1).SetMetadataItem("valid_range", "{-2000,10000}")
    0
    >>> valid_range(ds.GetRasterBand(1))
    (-2000.0, 10000.0, 'valid_range')
    """
    meta = band.GetMetadata() or {}
    pair = _numbers(meta.get("valid_range"))
    if len(pair) == 2 and all(math.isfinite(v) for v in pair) and pair[0] <= pair[1]:
        return pair[0], pair[1], "valid_range"
    lo, hi = _numbers(meta.get("valid_min")), _numbers(meta.get("valid_max"))
    lo_v = lo[0] if len(lo) == 1 and math.isfinite(lo[0]) else None
    hi_v = hi[0] if len(hi) == 1 and math.isfinite(hi[0]) else None
    if lo_v is None and hi_v is None:
        return None
    if lo_v is not None and hi_v is not None and lo_v > hi_v:
        return None
    names = [n for n, v in (("valid_min", lo_v), ("valid_max", hi_v)) if v is not None]
    return lo_v, hi_v, " and ".join(names)


def fill_value(band) -> tuple[float, str] | None:
    """``(value, attribute)`` of a ``_FillValue`` or ``missing_value`` a band declares in its metadata
    without GDAL having made it the band's nodata (e.g. a GeoTIFF converted from netCDF), or None."""
    meta = band.GetMetadata() or {}
    for key in ("_FillValue", "missing_value"):
        values = _numbers(meta.get(key))
        if len(values) == 1:
            return values[0], key
    return None


def data_variables(source: str) -> list[str]:
    """What GDAL should read of a file, one entry per data variable: its subdataset names for a
    netCDF/HDF file with several (coordinates and bounds left out), else ``[source]``."""
    if is_connection_string(source) or not os.path.isfile(source):
        return [source]
    try:
        ds = gdal.OpenEx(source, gdal.OF_RASTER)
    except RuntimeError:
        return [source]
    if ds is None:
        return [source]
    subs = _subdatasets(ds)
    if not subs or ds.RasterCount > 0:
        return [source]
    data = [n for n, d in subs if not _is_coordinate(n, d)]
    return data or [source]


def variable_name(source: str) -> str:
    """The data variable a subdataset name reads (``pr`` of ``NETCDF:"f.nc":pr``, ``Npp_500m`` of a MODIS
    grid), else ''.

    >>> variable_name('HDF4_EOS:EOS_GRID:"/d/MOD17A3.hdf":MOD_Grid_MOD17A3:Npp_500m')
    'Npp_500m'
    """
    if not is_connection_string(source):
        return ""
    return source.rsplit('"', 1)[-1].lstrip(":").split(":")[-1].strip("/").split("/")[-1]


def subdataset(source: str, name: str, layer: str | None = None) -> str:
    """The subdataset of file ``source`` whose variable is ``name`` (case-insensitive).

    Raises
    ------
    ValueError
        The file has no such variable; the message lists those it has.
    """
    found = [s for s in data_variables(source) if variable_name(s).lower() == name.lower()]
    if len(found) == 1:
        return found[0]
    have = ", ".join(variable_name(s) or os.path.basename(s) for s in data_variables(source))
    raise ValueError(
        f"Layer '{layer or os.path.basename(source)}' ({source}) has no data variable '{name}'; it has: {have}"
    )
