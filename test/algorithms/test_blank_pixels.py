"""No unexplained blanks (issue 14): Hurst, future trend and zoning say how many pixels with data they could
not compute and why, in the log and as results."""

import numpy as np
import pytest
from osgeo import gdal, osr


def _write(path, bands, dtype=gdal.GDT_Float32, nodata=-9999.0):
    bands = np.asarray(bands)
    if bands.ndim == 2:
        bands = bands[None]
    ds = gdal.GetDriverByName("GTiff").Create(
        str(path), bands.shape[2], bands.shape[1], bands.shape[0], dtype
    )
    ds.SetGeoTransform((500000, 250, 0, 4200000, 0, -250))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    for i, b in enumerate(bands):
        band = ds.GetRasterBand(i + 1)
        band.SetNoDataValue(nodata)
        band.WriteArray(np.where(np.isnan(b), nodata, b))
        band.SetDescription(str(2001 + i))
    ds = None
    return str(path)


@pytest.fixture
def stack(tmp_path):
    """24 years on a 4 × 5 grid: 2 pixels without data, 3 with 4 years, 4 constant, 3 flat then rising."""
    rng = np.random.default_rng(1)
    x = 50 + np.cumsum(rng.normal(0.5, 1.0, (24, 4, 5)), axis=0)
    x[:, 0, :2] = np.nan  # outside the region
    x[:20, 0, 2:5] = np.nan  # 4 valid years
    x[:, 1, :4] = 33.9  # constant (a prediction held at the model's floor)
    x[:, 2, :3] = np.r_[np.full(18, 33.9), np.linspace(35, 40, 6)][:, None]  # flat, then rising
    return _write(tmp_path / "density.tif", x)


def test_hurst_counts_the_pixels_without_h_by_reason(run_alg, feedback, stack, tmp_path):
    out = run_alg("carbonsink:hurstexponent", {"INPUT": [stack], "HURST": str(tmp_path / "h.tif")}, feedback)
    assert out["HURST_INPUT_PIXELS"] == 18
    assert out["NO_HURST_TOO_FEW_YEARS"] == 3
    assert out["NO_HURST_CONSTANT"] == 4
    assert out["NO_HURST_TOO_FEW_WINDOWS"] == 3
    assert out["NO_HURST_PIXELS"] == 10
    ds = gdal.Open(str(tmp_path / "h.tif"))
    assert np.count_nonzero(ds.ReadAsArray() != ds.GetRasterBand(1).GetNoDataValue()) == 8
    log = "\n".join(feedback.infos)
    assert "8 of the 18 pixels with data have a Hurst exponent; 10 have none:" in log
    assert (
        "fewer than 18 valid years of 24" in log and "every year" in log and "most of the first years" in log
    )


def test_the_anis_lloyd_method_lowers_h_and_is_an_option(run_alg, stack, tmp_path):
    plain = run_alg("carbonsink:hurstexponent", {"INPUT": [stack], "HURST": str(tmp_path / "a.tif")})
    corrected = run_alg(
        "carbonsink:hurstexponent", {"INPUT": [stack], "HURST_METHOD": 1, "HURST": str(tmp_path / "b.tif")}
    )
    a, b = (gdal.Open(r["HURST"]).ReadAsArray() for r in (plain, corrected))
    ok = a > -1e30
    assert np.all(b[ok] < a[ok])


def test_future_trend_and_zoning_say_which_input_a_blank_lacks(run_alg, feedback, stack, tmp_path):
    trend = run_alg(
        "carbonsink:senmannkendall",
        {"INPUT": [stack], "SLOPE": str(tmp_path / "s.tif"), "TREND_CLASS": str(tmp_path / "t.tif")},
    )
    h = run_alg("carbonsink:hurstexponent", {"INPUT": [stack], "HURST": str(tmp_path / "h.tif")})
    future = run_alg(
        "carbonsink:futuretrend",
        {"SLOPE": trend["SLOPE"], "HURST": h["HURST"], "FUTURE_CLASS": str(tmp_path / "f.tif")},
        feedback,
    )
    with_slope = future["PIXELS_WITH_SLOPE"]
    assert future["FUTURE_WITHOUT_HURST"] == with_slope - 8 and future["NO_FUTURE_PIXELS"] == with_slope - 8
    assert f"8 of the {with_slope} pixels with a Sen slope have a future trend class" in "\n".join(
        feedback.infos
    )
    feedback.infos.clear()
    zones = run_alg(
        "carbonsink:diagnosticzoning",
        {
            "TREND_CLASS": trend["TREND_CLASS"],
            "FUTURE_CLASS": future["FUTURE_CLASS"],
            "RULES": ["Rising", "Significant increase", "Continuous improvement", "any", "any"],
            "ZONES": str(tmp_path / "z.tif"),
        },
        feedback,
    )
    assert zones["ZONE_WITHOUT_FUTURE"] == with_slope - 8
    assert zones["NO_ZONE_PIXELS"] == zones["ZONING_INPUT_PIXELS"] - 8
    assert "have a zone;" in "\n".join(feedback.infos)
