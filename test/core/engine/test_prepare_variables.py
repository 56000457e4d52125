"""Several variables in one preparation (issue 13): the table of variables, grouping a folder's files into
variables, detected settings, the CF valid range and fill value read from the files, and every bad input
stopping with the file named before anything is written."""

import os

import numpy as np
import pytest
from netcdf_files import write_cf
from osgeo import gdal
from rasters import read_raster, write_raster

from core.engine import netcdf, prepare
from core.engine.raster import Grid, RasterInputError, commit_output

ROW = ["", "", "", "", "", "", "", "", "", ""]


def row(**cells):
    out = list(ROW)
    for key, value in cells.items():
        out[prepare.RULE_COLUMNS.index(key.replace("_", " "))] = value
    return out


def test_the_table_reads_rows_and_names_the_bad_cell():
    rules = prepare.parse_rules(
        row(variable="NPP", files="MOD17A3*.hdf:Npp_500m", valid_min=0, valid_max=32700, scale=0.1)
        + row(variable="PR", files="pr_*.nc", time_step="monthly sum", min_months=10)
        + ROW  # an empty row of the dialog's table
    )
    assert [(r.name, r.time_step, r.min_months) for r in rules] == [
        ("NPP", None, None),
        ("PR", "monthly_sum", 10),
    ]
    assert (rules[0].valid_min, rules[0].valid_max, rules[0].scale) == (0.0, 32700.0, 0.1)
    assert prepare.parse_rules([None]) == [] and prepare.parse_rules([]) == []
    for cells, message in (
        (["NPP", "*.tif"], "2 cells do not make whole rows of 10 columns"),
        (row(variable="NPP", files="*.tif", scale="0.1x"), "row 1, 'scale': '0.1x' is not a number"),
        (row(variable="NPP", files="*.tif", time_step="daily"), "time step 'daily' is not one of"),
        (row(variable="NPP", files="*.tif", resampling="lanczos"), "resampling 'lanczos' is not one of"),
        (row(variable="NPP", files="*.tif", min_months=13), "min months must be a whole number 1–12"),
        (row(variable="N/P", files="*.tif"), "names the output file"),
        (row(variable="NPP") + ROW, "give the variable's name and its file patterns"),
        (
            row(variable="NPP", files="a*") + row(variable="npp", files="b*"),
            "row 2: the variable 'npp' is named twice",
        ),
    ):
        with pytest.raises(ValueError, match=message):
            prepare.parse_rules(cells)


def test_file_names_without_their_dates_name_the_variables():
    assert prepare.name_stem("npp_2003.tif") == "npp"
    assert prepare.name_stem("tmean_1951.tif") == "tmean"
    assert prepare.name_stem("pr_2003_07.nc") == "pr"
    assert prepare.name_stem("landuse_20011231.tif") == "landuse"


def _grid():
    return Grid(netcdf.wgs84_wkt(), (100.0, 0.1, 0.0, 40.0, 0.0, -0.1), 6, 5)


def _folder(tmp_path):
    """A folder as downloaded: yearly GeoTIFFs, a netCDF with two monthly variables, a DEM, land use."""
    rng = np.random.default_rng(3)
    gt = (100.0, 0.1, 0.0, 40.0, 0.0, -0.1)
    for year in (2001, 2002):
        write_raster(tmp_path / f"npp_{year}.tif", rng.uniform(100, 900, (5, 6)), epsg=4326, geotransform=gt)
    times = [(pd - 1) * 30.0 + 15 for pd in range(1, 25)]  # 24 months of 2001-2002, 360_day calendar
    write_cf(
        tmp_path / "climate.nc",
        rng.uniform(0, 50, (24, 5, 6)),
        times,
        "days since 2001-01-01",
        "360_day",
        var="pr",
        extra_vars=("tas",),
    )
    write_raster(tmp_path / "dem.tif", rng.uniform(1000, 3000, (5, 6)), epsg=4326, geotransform=gt)
    lu = write_raster(
        tmp_path / "landuse_2001.tif",
        rng.integers(1, 7, (5, 6)),
        epsg=4326,
        geotransform=gt,
        nodata=0,
        dtype=gdal.GDT_Byte,
    )
    return sorted(str(p) for p in tmp_path.iterdir()), lu


def test_without_a_table_every_data_variable_is_detected(tmp_path):
    files, _ = _folder(tmp_path)
    plans, notes = prepare.plan_variables(files)
    got = {p.variable.name: (p.variable.time_step, p.variable.resampling, len(p.sources)) for p in plans}
    assert set(got) == {"pr", "tas", "npp", "dem", "landuse"}
    assert got["pr"] == ("monthly_sum", "average", 1)  # the netCDF variables by their names
    assert got["tas"] == ("monthly_mean", "average", 1)
    assert got["npp"] == ("yearly", "average", 2)  # npp_2001.tif, npp_2002.tif
    assert got["dem"] == ("static", "average", 1)
    assert got["landuse"] == ("yearly", "mode", 1)  # integer, class-like name
    text = "\n".join(n for p in plans for n in p.notes)
    assert "'pr' is named as precipitation, so the annual sum" in text
    assert "integer values and a class-like name ('landuse')" in text
    assert notes == []


def test_the_table_picks_netcdf_variables_and_leaves_other_files_out(tmp_path):
    files, _ = _folder(tmp_path)
    rules = prepare.parse_rules(
        row(variable="PRECIPITATION", files="*.nc:pr") + row(variable="NPP", files="npp_*;*npp*", scale=0.5)
    )
    plans, notes = prepare.plan_variables(files, rules)
    assert [p.variable.name for p in plans] == ["PRECIPITATION", "NPP"]
    assert plans[0].sources == [f'NETCDF:"{tmp_path / "climate.nc"}":pr']
    assert len(plans[1].sources) == 2 and plans[1].variable.scale == 0.5  # two patterns of one row: once
    assert notes == ["2 file(s) match no variable of the table and are not used: dem.tif, landuse_2001.tif."]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            row(variable="A", files="npp_*") + row(variable="B", files="*2001*"),
            "'npp_2001.tif' .* is taken by two",
        ),
        (
            row(variable="A", files="*.nc"),
            r"A: Layer 'climate.nc' .* holds 2 data variables.*\*\.nc:<variable>",
        ),
        (
            row(variable="A", files="*.nc:ppt"),
            "A: Layer 'climate.nc' .* has no data variable 'ppt'; it has: pr, tas",
        ),
        (row(variable="A", files="*.hdf"), "A: no input file matches its file patterns '\\*.hdf'"),
    ],
)
def test_bad_tables_stop_naming_the_file(tmp_path, rows, message):
    files, _ = _folder(tmp_path)
    with pytest.raises(RasterInputError, match=message):
        prepare.plan_variables(files, prepare.parse_rules(rows))


def test_a_failing_variable_leaves_no_stack_behind(tmp_path):
    files, _ = _folder(tmp_path)
    out = tmp_path / "out"
    rules = prepare.parse_rules(
        row(variable="NPP", files="npp_*")
        + row(variable="DEM", files="dem*", valid_min=5000)  # leaves nothing
    )
    plans, _ = prepare.plan_variables(files, rules)
    with pytest.raises(RasterInputError, match=r"DEM: the valid range 5000 – ∞ leaves no value: .*'dem.tif'"):
        prepare.prepare_plans(plans, _grid(), str(out))
    assert not out.exists() or not [n for n in os.listdir(out) if n.endswith(".tif")]


def test_no_years_and_duplicate_years_stop_before_anything_is_warped(tmp_path):
    rng = np.random.default_rng(1)
    gt = (100.0, 0.1, 0.0, 40.0, 0.0, -0.1)
    write_raster(tmp_path / "npp_a.tif", rng.uniform(1, 2, (2, 5, 6)), epsg=4326, geotransform=gt)
    write_raster(tmp_path / "ndvi_2001.tif", rng.uniform(0, 1, (5, 6)), epsg=4326, geotransform=gt)
    write_raster(tmp_path / "ndvi_2001_v2.tif", rng.uniform(0, 1, (5, 6)), epsg=4326, geotransform=gt)
    for pattern, message in (
        ("npp_*", r"NPP: no year for band 1 of 'npp_a.tif'"),
        ("ndvi_*", r"NPP: 2001 is given twice: band 1 of 'ndvi_2001.tif' and band 1 of 'ndvi_2001_v2.tif'"),
    ):
        plans, _ = prepare.plan_variables(
            sorted(str(p) for p in tmp_path.glob("*.tif")),
            prepare.parse_rules(row(variable="NPP", files=pattern)),
        )
        with pytest.raises(RasterInputError, match=message):
            prepare.prepare_plans(plans, _grid(), str(tmp_path / "out"))
        assert not (tmp_path / "out").exists()


def test_cf_valid_range_and_fill_value_are_read_when_none_is_given(tmp_path):
    """valid_range in stored values (CF §2.5.1), the _FillValue of a GeoTIFF converted from netCDF."""
    stored = np.array([[100, 200, 32767], [-5, 300, 9999]], dtype=np.int16)
    path = tmp_path / "npp_2003.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 3, 2, 1, gdal.GDT_Int16)
    ds.SetGeoTransform((100.0, 0.1, 0.0, 40.0, 0.0, -0.1))
    ds.SetProjection(netcdf.wgs84_wkt())
    band = ds.GetRasterBand(1)
    band.SetMetadataItem("valid_range", "0, 32700")
    band.SetMetadataItem("_FillValue", "9999")
    band.SetScale(0.5)
    band.WriteArray(stored)
    ds = None
    grid = Grid(netcdf.wgs84_wkt(), (100.0, 0.1, 0.0, 40.0, 0.0, -0.1), 3, 2)
    plans, _ = prepare.plan_variables([str(path)], prepare.parse_rules(row(variable="NPP", files="npp*")))
    prepared, specs = prepare.prepare_plans(plans, grid, str(tmp_path / "out"))
    for spec in specs:
        commit_output(spec)
    got = read_raster(str(tmp_path / "out" / "NPP.tif"))
    np.testing.assert_allclose(got, [[50, 100, np.nan], [np.nan, 150, np.nan]])
    what = prepared[0].report.rows[0]["what"]
    assert "nodata 9999 (from the file's _FillValue attribute)" in what
    assert "valid stored values 0 – 32700 (2 outside, masked, from the file's valid_range attribute)" in what
    # a range given replaces the file's
    given = prepare.Variable("NPP", valid_min=150, valid_max=1000)
    bands = prepare.date_sources(given, [str(path)])
    spec, report = prepare.prepare_variable(given, bands, grid, str(tmp_path / "given.tif"))
    commit_output(spec)
    np.testing.assert_allclose(
        read_raster(str(tmp_path / "given.tif")), [[np.nan, 100, np.nan], [np.nan, 150, np.nan]]
    )
    assert "from the file" not in report.rows[0]["what"].split("valid stored values")[1]


def test_single_year_rasters_are_the_bands_of_those_years(tmp_path):
    files, _ = _folder(tmp_path)
    plans, _ = prepare.plan_variables(files, prepare.parse_rules(row(variable="NPP", files="npp_*")))
    prepared, specs = prepare.prepare_plans(plans, _grid(), str(tmp_path / "out"), year_rasters=[2002, 2010])
    for spec in specs:
        commit_output(spec)
    stack = read_raster(str(tmp_path / "out" / "NPP.tif"))
    single = read_raster(str(tmp_path / "out" / "NPP_2002.tif"))
    np.testing.assert_array_equal(single, stack[1])
    assert gdal.Open(str(tmp_path / "out" / "NPP_2002.tif")).GetRasterBand(1).GetDescription() == "2002"
    assert not (tmp_path / "out" / "NPP_2010.tif").exists()
    assert "NPP: no band for 2010 (its years: 2001, 2002)" in prepared[0].report.warnings[0]
