"""Carbon storage through processing.run: negative densities are left out, counted and warned about."""

import numpy as np
import pytest
from osgeo import gdal
from rasters import write_raster

from core.engine.raster import Grid

pytestmark = pytest.mark.qgis
YEARS = range(2001, 2007)


def test_negative_density_pixels_are_nodata_left_out_of_the_totals_and_warned(run_alg, feedback, tmp_path):
    rng = np.random.default_rng(8)
    data = 40 + 0.5 * np.arange(6)[:, None, None] + rng.normal(0, 1, (6, 8, 10))
    data[2, 1, 1] = -3.5  # a model undershoot in one year
    data[:, 4, 4] = -20.0  # a pixel negative throughout
    path = write_raster(tmp_path / "cd.tif", data, descriptions=YEARS)
    out = run_alg(
        "carbonsink:carbonstorage",
        {"CARBON_DENSITY": [path], "STORAGE": str(tmp_path / "st.tif"), "STORAGE_TABLE": "TEMPORARY_OUTPUT"},
        feedback,
    )
    ds = gdal.Open(out["STORAGE"])
    st, nodata = ds.ReadAsArray().astype(float), ds.GetRasterBand(1).GetNoDataValue()
    assert (st[:, 1, 1] == nodata).all() and (st[:, 4, 4] == nodata).all()
    keep = np.ones((8, 10), dtype=bool)
    keep[1, 1] = keep[4, 4] = False
    hm2 = Grid.of(ds).pixel_areas((0, 0, 10, 8)) / 10_000.0  # true areas of the 30 m UTM pixels
    totals = (data[:, keep] * hm2[keep]).sum(axis=1)
    slope = np.polyfit(np.array(YEARS), totals, 1)[0]
    assert out["STORAGE_TREND_T_PER_YEAR"] == pytest.approx(slope, rel=1e-6)
    assert out["NEGATIVE_PIXELS"] == 2
    warning = " ".join(feedback.warnings)
    assert "2 pixels of 'cd' have a negative carbon density" in warning and "lowest -20" in warning
    assert any(
        "78 pixels with a valid density" in i and "2 of them for a negative density" in i
        for i in feedback.infos
    )


def test_a_stack_that_is_negative_everywhere_is_refused_before_any_output(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    data = -np.abs(np.random.default_rng(1).normal(1, 0.2, (6, 4, 5)))  # e.g. a change or slope stack
    path = write_raster(tmp_path / "change.tif", data, descriptions=YEARS)
    out = tmp_path / "st.tif"
    with pytest.raises(QgsProcessingException, match="every complete pixel has a negative density"):
        run_alg(
            "carbonsink:carbonstorage",
            {"CARBON_DENSITY": [path], "STORAGE": str(out), "STORAGE_TABLE": "TEMPORARY_OUTPUT"},
        )
    assert not out.exists()
