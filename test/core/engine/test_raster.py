"""The block engine against whole-array numpy on small rasters: grids, years, nodata, windows, cancel."""

import os

import numpy as np
import pytest
from osgeo import gdal
from rasters import read_raster, write_raster

from core.common import classes
from core.engine import raster


def _mean_kernel(blocks):
    return {"mean": np.nanmean(blocks["stack"], axis=0)}


@pytest.fixture
def stack_data():
    rng = np.random.default_rng(1)
    data = rng.normal(10, 2, (6, 37, 53))
    data[:, :3, :] = np.nan  # fully missing rows
    data[rng.random(data.shape) < 0.1] = np.nan
    return data


def test_parse_years():
    assert raster.parse_years("2001-2003, 2006").tolist() == [2001, 2002, 2003, 2006]
    assert raster.parse_years("2001;2005 2007").tolist() == [2001, 2005, 2007]
    with pytest.raises(raster.RasterInputError, match="strictly increasing"):
        raster.parse_years("2003, 2001")
    with pytest.raises(raster.RasterInputError, match="not a year"):
        raster.parse_years("2001, abc")


def test_open_stack_reads_years_from_band_descriptions(tmp_path, stack_data):
    path = write_raster(tmp_path / "s.tif", stack_data, descriptions=[2001, 2002, 2003, 2005, 2008, 2009])
    stack = raster.open_stack("Carbon", [path])
    assert stack.years.tolist() == [2001, 2002, 2003, 2005, 2008, 2009]
    assert not stack.warnings


def test_open_stack_orders_a_list_by_the_year_in_file_names(tmp_path, stack_data):
    paths = [write_raster(tmp_path / f"npp_{y}.tif", stack_data[i]) for i, y in enumerate([2003, 2001, 2002])]
    stack = raster.open_stack("NPP", paths)
    assert stack.years.tolist() == [2001, 2002, 2003]
    assert [os.path.basename(b.path) for b in stack.bands] == ["npp_2001.tif", "npp_2002.tif", "npp_2003.tif"]


def test_open_stack_without_years_warns_and_counts(tmp_path, stack_data):
    path = write_raster(tmp_path / "stack.tif", stack_data)
    stack = raster.open_stack("Carbon", [path])
    assert stack.years.tolist() == [1, 2, 3, 4, 5, 6]
    assert "no year found" in stack.warnings[0]


def test_open_stack_rejects_wrong_year_count_and_duplicates(tmp_path, stack_data):
    path = write_raster(tmp_path / "stack.tif", stack_data)
    with pytest.raises(raster.RasterInputError, match="5 years given for 6 bands"):
        raster.open_stack("Carbon", [path], "2001-2005")
    paths = [write_raster(tmp_path / f"a_{i}_2001.tif", stack_data[i]) for i in range(2)]
    with pytest.raises(raster.RasterInputError, match="year 2001 appears on more than one"):
        raster.open_stack("Carbon", paths)


def test_list_of_multiband_rasters_is_refused(tmp_path, stack_data):
    a = write_raster(tmp_path / "a_2001.tif", stack_data[:2])
    b = write_raster(tmp_path / "b_2002.tif", stack_data[2])
    with pytest.raises(raster.RasterInputError, match="'a_2001.tif' has 2 bands"):
        raster.open_stack("Carbon", [a, b])


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"epsg": 4326}, "CRS differs"),
        ({"geotransform": (560000.0, 250.0, 0.0, 4250000.0, 0.0, -250.0)}, "pixel size differs"),
        ({"geotransform": (560030.0, 30.0, 0.0, 4250000.0, 0.0, -30.0)}, "extent differs"),
    ],
)
def test_off_grid_layer_is_named_with_the_property_and_gdal_warp(tmp_path, stack_data, kwargs, words):
    ref = write_raster(tmp_path / "ref_2001.tif", stack_data[0])
    other = write_raster(tmp_path / "other_2002.tif", stack_data[1], **kwargs)
    with pytest.raises(raster.RasterInputError) as err:
        raster.open_stack("NPP", [ref, other])
    message = str(err.value)
    assert "'other_2002.tif'" in message and words in message and "Warp" in message


def test_different_size_is_an_extent_difference(tmp_path, stack_data):
    a = raster.open_stack("A", [write_raster(tmp_path / "a.tif", stack_data[:, :, :50])], [1, 2, 3, 4, 5, 6])
    b = raster.open_stack("B", [write_raster(tmp_path / "b.tif", stack_data)], [1, 2, 3, 4, 5, 6])
    with pytest.raises(raster.RasterInputError, match="'b.tif' is not on the same grid as 'a.tif': extent"):
        raster.check_same_grid([a, b])


def test_plan_windows_cover_the_grid_once_within_budget():
    for xsize, ysize, bpp, mb in [
        (53, 37, 4096, 0.01),
        (1000, 1000, 100, 1),
        (7, 5, 1e9, 1),
        (300, 700, 8, 1),
    ]:
        windows = raster.plan_windows(xsize, ysize, bpp, mb)
        cover = np.zeros((ysize, xsize), dtype=int)
        for c, r, nc, nr in windows:
            cover[r : r + nr, c : c + nc] += 1
            assert nc * nr * bpp <= max(mb * 2**20, bpp)
        assert (cover == 1).all()


@pytest.mark.parametrize("memory_mb, threads", [(0.02, 1), (0.02, 2), (64, 2)])
def test_run_pixelwise_equals_whole_array_numpy(tmp_path, stack_data, memory_mb, threads):
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", stack_data)], "2001-2006")
    out = raster.OutputSpec("mean", str(tmp_path / "mean.tif"), "Mean")
    report = raster.run_pixelwise(
        {"stack": stack},
        _mean_kernel,
        [out],
        min_valid={"stack": 5},
        bytes_per_pixel=1024,
        memory_mb=memory_mb,
        threads=threads,
    )
    valid = np.count_nonzero(~np.isnan(stack_data), axis=0)
    expected = np.where(valid >= 5, np.nanmean(np.where(valid >= 5, stack_data, 0.0), axis=0), np.nan)
    got = read_raster(out.path)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert report.pixels_computed == int((valid >= 5).sum())
    assert report.pixels_total == 37 * 53


def test_outputs_are_tiled_compressed_with_nodata_description_and_grid(tmp_path, stack_data):
    src = write_raster(tmp_path / "s.tif", stack_data)
    stack = raster.open_stack("Carbon", [src], "2001-2006")
    out = raster.OutputSpec("mean", str(tmp_path / "mean.tif"), "Mean density", ramp=("#000000", "#ffffff"))
    raster.run_pixelwise({"stack": stack}, _mean_kernel, [out])
    ds, ref = gdal.Open(out.path), gdal.Open(src)
    band = ds.GetRasterBand(1)
    assert band.GetNoDataValue() == pytest.approx(raster.FLOAT_NODATA)
    assert band.GetDescription() == "Mean density"
    assert ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    assert band.GetBlockSize() == [256, 256]
    assert ds.GetGeoTransform() == ref.GetGeoTransform()
    assert ds.GetSpatialRef().IsSame(ref.GetSpatialRef())
    assert os.path.exists(tmp_path / "mean.qml")


def test_class_output_has_colour_table_names_qml_and_true_areas(tmp_path):
    data = np.array([[[1.0, 2.0, 3.0, np.nan]] * 3] * 4)  # 4 years, 3 rows x 4 cols
    gt = (100.0, 0.5, 0.0, 40.0, 0.0, -0.5)  # geographic, half-degree pixels
    stack = raster.open_stack(
        "X", [write_raster(tmp_path / "g.tif", data, epsg=4326, geotransform=gt)], "2001-2004"
    )
    scheme = classes.TREND_3

    def kernel(blocks):
        return {"class": blocks["stack"][0].astype(np.uint8)}

    out = raster.OutputSpec("class", str(tmp_path / "class.tif"), "Trend", dtype="uint8", scheme=scheme)
    report = raster.run_pixelwise({"stack": stack}, kernel, [out])
    ds = gdal.Open(out.path)
    band = ds.GetRasterBand(1)
    assert band.GetNoDataValue() == classes.CLASS_NODATA
    assert band.GetCategoryNames()[3] == "Significant increase"
    assert band.GetColorTable().GetColorEntry(1)[:3] == (0xD7, 0x19, 0x1C)
    qml = (tmp_path / "class.qml").read_text()
    assert 'label="No significant change"' in qml and 'type="paletted"' in qml
    rows = {r.code: r for r in report.class_areas["class"]}
    assert [rows[c].pixels for c in (1, 2, 3)] == [3, 3, 3]
    # Equal counts in every row, so each class holds a third of the true area.
    assert sum(r.share_pct for r in rows.values()) == pytest.approx(100.0)
    assert rows[1].share_pct == pytest.approx(100 / 3)
    from core.engine.area import ellipsoid_band_area

    one_column = ellipsoid_band_area(40.0, 38.5, 0.5, 6378137.0, 6356752.314245)
    assert rows[1].area_m2 == pytest.approx(one_column, rel=1e-9)


def test_cancel_between_windows_removes_partial_outputs(tmp_path, stack_data):
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", stack_data)], "2001-2006")
    out = raster.OutputSpec("mean", str(tmp_path / "mean.tif"), "Mean", ramp=("#000000", "#ffffff"))
    calls = []

    def is_cancelled():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(raster.Cancelled):
        raster.run_pixelwise(
            {"stack": stack},
            _mean_kernel,
            [out],
            bytes_per_pixel=4096,
            memory_mb=0.05,
            is_cancelled=is_cancelled,
        )
    assert not os.path.exists(out.path) and not os.path.exists(tmp_path / "mean.qml")


def test_progress_reaches_100_and_all_nodata_input_stops_naming_the_layer(tmp_path):
    data = np.full((5, 8, 9), 3.0)
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", data)], "2001-2005")
    out = raster.OutputSpec("mean", str(tmp_path / "mean.tif"), "Mean")
    seen = []
    report = raster.run_pixelwise({"stack": stack}, _mean_kernel, [out], progress=seen.append)
    assert seen[-1] == pytest.approx(100.0)
    assert report.pixels_computed == 72
    data = np.full((5, 8, 9), np.nan)
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "empty.tif", data)], "2001-2005")
    out = raster.OutputSpec("mean", str(tmp_path / "mean2.tif"), "Mean")
    with pytest.raises(raster.RasterInputError, match="'empty.tif' holds no valid value"):
        raster.run_pixelwise({"stack": stack}, _mean_kernel, [out])
    assert not os.path.exists(out.path)
    assert sorted(os.listdir(tmp_path)) == ["empty.tif", "mean.tif", "s.tif"]


def test_integer_nodata_zero_is_honoured(tmp_path):
    data = np.array([[[0, 5], [7, 0]]] * 4, dtype=float)
    path = write_raster(tmp_path / "i.tif", data, nodata=0, dtype=gdal.GDT_Int16)
    stack = raster.open_stack("Counts", [path], "2001-2004")
    out = raster.OutputSpec("mean", str(tmp_path / "mean.tif"), "Mean")
    raster.run_pixelwise({"stack": stack}, _mean_kernel, [out])
    got = read_raster(out.path)
    assert np.isnan(got[0, 0]) and got[0, 1] == 5 and got[1, 0] == 7 and np.isnan(got[1, 1])


def test_min_valid_years():
    assert raster.min_valid_years(24, 75) == 18
    assert raster.min_valid_years(5, 10) == 4
    assert raster.min_valid_years(3, 100) == 3
    with pytest.raises(ValueError):
        raster.min_valid_years(24, 0)


def test_multiband_output_pixel_areas_and_reduce(tmp_path, stack_data):
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", stack_data)], "2001-2006")
    totals = np.zeros(6)

    def kernel(blocks):
        return {"storage": blocks["stack"] * blocks["pixel_area_m2"] / 10_000.0}

    def reduce(results, packed):
        totals[:] += np.nansum(results["storage"], axis=1)

    years = tuple(str(y) for y in range(2001, 2007))
    out = raster.OutputSpec("storage", str(tmp_path / "st.tif"), "Storage", band_descriptions=years)
    raster.run_pixelwise(
        {"stack": stack}, kernel, [out], pixel_area=True, reduce=reduce, memory_mb=0.02, bytes_per_pixel=1024
    )
    ds = gdal.Open(out.path)
    assert ds.RasterCount == 6
    assert [ds.GetRasterBand(i + 1).GetDescription() for i in range(6)] == list(years)
    got = ds.ReadAsArray().astype(float)
    got[got == raster.FLOAT_NODATA] = np.nan
    # 30 m pixels of UTM 48N, 60 km east of the central meridian: 0.09 ha of map, 0.07 % more on the ground
    ha = stack.grid.pixel_areas((0, 0, stack.grid.xsize, stack.grid.ysize)) / 10_000.0
    np.testing.assert_allclose(ha / 0.09, 1.000712, atol=2e-5)  # 1/k², k the scale factor of UTM there
    np.testing.assert_allclose(got, stack_data * ha, rtol=1e-6)
    np.testing.assert_allclose(totals, np.nansum(stack_data * ha, axis=(1, 2)), rtol=1e-6)


def test_sample_at_points_reads_pixel_values_and_nan_outside(tmp_path, stack_data):
    stack = raster.open_stack("Carbon", [write_raster(tmp_path / "s.tif", stack_data)], "2001-2006")
    rows = np.array([5, 20, 36, 0])
    cols = np.array([0, 52, 10, 3])
    x = 560000.0 + 30.0 * cols + 15.0
    y = 4250000.0 - 30.0 * rows - 15.0
    x = np.append(x, [559000.0])  # outside, west
    y = np.append(y, [4249000.0])
    got = raster.sample_at_points(stack, x, y, tile=16)
    expected = stack_data[:, rows, cols].T
    np.testing.assert_allclose(got[:4], expected, rtol=1e-6, equal_nan=True)
    assert np.isnan(got[4]).all()


def test_multiband_outputs_survive_the_thread_split(tmp_path):
    # Windows of >= 4096 pixels are split over threads; a (bands, pixels) result must be joined on pixels.
    rng = np.random.default_rng(7)
    data = rng.normal(10, 2, (3, 80, 90))
    stack = raster.open_stack("X", [write_raster(tmp_path / "x.tif", data)], "2001-2003")
    out = raster.OutputSpec("copy", str(tmp_path / "copy.tif"), "Copy", band_descriptions=("a", "b", "c"))
    raster.run_pixelwise({"stack": stack}, lambda b: {"copy": b["stack"]}, [out], threads=2)
    ds = gdal.Open(out.path)
    np.testing.assert_allclose(ds.ReadAsArray(), data, rtol=1e-6)


def test_category_names_are_read_from_the_aux_xml(tmp_path):
    path = str(tmp_path / "lu.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 3, 2, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((0, 30, 0, 0, 0, -30))
    ds.GetRasterBand(1).SetCategoryNames(["", "cropland", "forest"])
    ds = None
    assert raster.category_names(raster.open_band("Land use", path)) == {1: "cropland", 2: "forest"}
