"""CF time axes (core/engine/netcdf.py): units, calendars, GDAL's netCDF metadata, data variables."""

import datetime as dt

import numpy as np
import pytest
from netcdf_files import write_cf
from osgeo import gdal

from core.engine import netcdf
from core.engine.netcdf import TimeAxisError, decode_times, parse_time_units


def _gregorian(origin, days):
    base = dt.datetime(*origin)
    return [(d.year, d.month, d.day) for d in (base + dt.timedelta(days=float(x)) for x in days)]


@pytest.mark.parametrize("calendar", ["standard", "gregorian", "proleptic_gregorian", None, ""])
def test_days_since_match_python_datetime_after_1582(calendar):
    rng = np.random.default_rng(3)
    days = np.concatenate([rng.uniform(0, 40000, 300), [0, 59, 60, 365, 366, 18261]])
    got = decode_times(days, "days since 1950-01-01 00:00:00", calendar)
    assert [tuple(r) for r in got] == _gregorian((1950, 1, 1), days)


def test_hours_and_seconds_since_with_time_of_day_and_zone():
    assert parse_time_units("Hour since 2001-12-31T23:00:00Z").origin == (2001, 12, 31, 23, 0, 0.0)
    hours = np.arange(146396, 146419)  # the StageIV test file of the stars package
    got = decode_times(hours, "Hour since 2001-12-31T23:00:00Z", "proleptic_gregorian")
    assert [tuple(r) for r in got] == [
        (d.year, d.month, d.day)
        for d in (dt.datetime(2001, 12, 31, 23) + dt.timedelta(hours=int(h)) for h in hours)
    ]
    secs = [1566482400]
    assert decode_times(secs, "seconds since 1970-01-01 00:00:00 +00:00").tolist() == [[2019, 8, 22]]
    # local midnight at UTC+08:00 is 16:00 UTC of the day before: refused rather than guessed
    with pytest.raises(TimeAxisError, match="time zone"):
        decode_times([0], "hours since 2000-01-01 00:00:00+08:00")
    assert decode_times([0], "hours since 2000-01-01 12:00:00+08:00").tolist() == [[2000, 1, 1]]


def test_standard_calendar_is_julian_before_1582_and_gregorian_after():
    got = decode_times([0, 1, 2], "days since 1582-10-04", "standard").tolist()
    assert got == [[1582, 10, 4], [1582, 10, 15], [1582, 10, 16]]
    # from year 1: the Julian and the proleptic Gregorian count differ by two days by 1582
    std = decode_times([577737], "days since 0001-01-01", "standard").tolist()
    pro = decode_times([577737], "days since 0001-01-01", "proleptic_gregorian").tolist()
    assert std == [[1582, 10, 15]] and pro == [[1582, 10, 17]]


def test_julian_calendar_has_1900_02_29():
    assert decode_times([59], "days since 1900-01-01", "julian").tolist() == [[1900, 2, 29]]
    assert decode_times([59], "days since 1900-01-01", "proleptic_gregorian").tolist() == [[1900, 3, 1]]


@pytest.mark.parametrize("calendar", ["noleap", "365_day"])
def test_noleap_has_no_february_29(calendar):
    days = np.arange(0, 365 * 8)
    got = decode_times(days, "days since 2000-01-01", calendar)
    assert not np.any((got[:, 1] == 2) & (got[:, 2] == 29))
    assert np.all(np.bincount(got[:, 0] - 2000) == 365)
    assert decode_times([59], "days since 2000-01-01", calendar).tolist() == [[2000, 3, 1]]


@pytest.mark.parametrize("calendar", ["all_leap", "366_day"])
def test_all_leap_has_february_29_every_year(calendar):
    got = decode_times([59, 366 + 59], "days since 2001-01-01", calendar).tolist()
    assert got == [[2001, 2, 29], [2002, 2, 29]]


def test_360_day_calendar_months_of_30_days():
    days = np.arange(0, 720)
    got = decode_times(days, "days since 1961-01-01", "360_day")
    assert got[:, 2].max() == 30 and np.all(np.bincount(got[:, 0] - 1961) == 360)
    assert decode_times([15 + 30 * k for k in range(12)], "days since 1961-01-01", "360_day")[
        :, 1
    ].tolist() == list(range(1, 13))
    with pytest.raises(TimeAxisError, match="360_day"):
        decode_times([0], "days since 1961-01-31", "360_day")


def test_monthly_units_are_calendar_months():
    got = decode_times(np.arange(24) + 0.5, "months since 1960-01-01", "360_day")
    assert got[:, 0].tolist() == [1960] * 12 + [1961] * 12
    assert got[:, 1].tolist() == list(range(1, 13)) * 2
    assert decode_times([1, 2.5], "years since 2000-01-01").tolist() == [[2001, 1, 1], [2002, 7, 1]]


@pytest.mark.parametrize(
    "units",
    [
        "days",
        "days after 1950-01-01",
        "fortnights since 1950-01-01",
        "days since January 1950",
        "days since 1950-13-01",
    ],
)
def test_unreadable_units_are_refused(units):
    with pytest.raises(TimeAxisError):
        decode_times([0], units)


def test_unknown_calendar_and_non_finite_values_are_refused():
    with pytest.raises(TimeAxisError, match="not a CF calendar"):
        decode_times([0], "days since 2000-01-01", "mayan")
    with pytest.raises(TimeAxisError, match="finite"):
        decode_times([0, np.nan], "days since 2000-01-01")


# ------------------------------------------------------------------------ through GDAL's netCDF driver
def test_band_dates_from_a_cf_netcdf(tmp_path):
    times = [15 + 30 * k for k in range(24)]
    path = write_cf(tmp_path / "m.nc", np.ones((24, 3, 4)), times, "days since 2001-01-01", "360_day")
    ds = gdal.Open(path)
    dates = netcdf.band_dates(ds, "m.nc")
    assert dates[:, 0].tolist() == [2001] * 12 + [2002] * 12
    assert dates[:, 1].tolist() == list(range(1, 13)) * 2


def test_band_dates_survive_conversion_to_geotiff(tmp_path):
    path = write_cf(tmp_path / "y.nc", np.ones((3, 3, 4)), [180, 545, 910], "days since 2001-01-01")
    tif = str(tmp_path / "y.tif")
    gdal.Translate(tif, path)
    dates = netcdf.band_dates(gdal.Open(tif), "y.tif")
    assert dates[:, 0].tolist() == [2001, 2002, 2003]


def test_a_file_without_time_axis_gives_none(tmp_path):
    ds = gdal.GetDriverByName("MEM").Create("", 2, 2, 3)
    assert netcdf.band_dates(ds, "mem") is None


def test_plain_nc_resolves_to_its_one_data_variable(tmp_path):
    one = write_cf(tmp_path / "one.nc", np.ones((2, 3, 4)), [0, 365], "days since 2001-01-01", var="npp")
    two = write_cf(
        tmp_path / "two.nc", np.ones((2, 3, 4)), [0, 365], "days since 2001-01-01", extra_vars=("tas",)
    )
    assert gdal.Open(netcdf.resolve_source(one)).RasterCount == 2  # GDAL opens the one variable itself
    with pytest.raises(ValueError, match=r"holds 2 data variables.*NETCDF:.*:pr; NETCDF:.*:tas"):
        netcdf.resolve_source(two)
    assert netcdf.resolve_source(f'NETCDF:"{two}":tas') == f'NETCDF:"{two}":tas'
    assert netcdf.display_name(f'NETCDF:"{two}":tas') == "two.nc:tas"


def test_cf_lonlat_grid_without_crs_is_taken_as_wgs84(tmp_path):
    path = write_cf(tmp_path / "g.nc", np.ones((1, 3, 4)), [0], "days since 2001-01-01")
    ds = gdal.Open(path)
    assert ds.GetProjection() == ""
    wkt, note = netcdf.crs_of(ds)
    assert "WGS 84" in wkt and "EPSG:4326" in note
