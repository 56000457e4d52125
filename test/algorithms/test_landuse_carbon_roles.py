"""Land-use contribution through processing.run: carbon inputs that cannot give a change are refused."""

import numpy as np
import pytest
from osgeo import gdal
from rasters import write_raster

pytestmark = pytest.mark.qgis

ALG = "carbonsink:landusecontribution"
START = [1, 1, 2, 3, 1, 3, 3, 3, 5, 1, 2, 2, 4, 4, 6, 6]
END = [1, 2, 2, 3, 5, 3, 1, 2, 5, 1, 2, 2, 4, 4, 6, 6]


def _landuse(tmp_path):
    grid = np.asarray(START, dtype=float).reshape(4, 4), np.asarray(END, dtype=float).reshape(4, 4)
    return {
        "LANDUSE_START": write_raster(tmp_path / "lu2000.tif", grid[0], nodata=255, dtype=gdal.GDT_Byte),
        "LANDUSE_END": write_raster(tmp_path / "lu2020.tif", grid[1], nodata=255, dtype=gdal.GDT_Byte),
    }


def test_a_one_band_carbon_stack_is_refused_naming_the_layer(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    stack = write_raster(tmp_path / "density.tif", np.full((1, 4, 4), 40.0), descriptions=["2020"])
    with pytest.raises(QgsProcessingException, match=r"'density' has 1 band;.*at least two"):
        run_alg(ALG, {**_landuse(tmp_path), "CARBON_DENSITY": [stack], "CONTRIBUTIONS": "TEMPORARY_OUTPUT"})


def test_the_same_raster_as_start_and_end_carbon_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    c = write_raster(tmp_path / "c2020.tif", np.full((4, 4), 40.0))
    with pytest.raises(QgsProcessingException, match="same raster"):
        run_alg(
            ALG,
            {
                **_landuse(tmp_path),
                "CARBON_DENSITY_START": c,
                "CARBON_DENSITY_END": c,
                "CONTRIBUTIONS": "TEMPORARY_OUTPUT",
            },
        )


def test_missing_carbon_in_a_stack_names_the_two_years_not_the_layer_twice(run_alg, feedback, tmp_path):
    data = np.stack([np.full((4, 4), 40.0), np.full((4, 4), 45.0), np.full((4, 4), 50.0)])
    data[0, 0, 1] = np.nan  # a converted pixel (1 -> 2) without carbon at the start
    stack = write_raster(tmp_path / "density.tif", data, descriptions=["2000", "2010", "2020"])
    out = run_alg(
        ALG,
        {**_landuse(tmp_path), "CARBON_DENSITY": [stack], "CONTRIBUTIONS": "TEMPORARY_OUTPUT"},
        feedback,
    )
    # 15 pixels with carbon, 10 t/hm² each, 30 m pixels of UTM 48N: 0.09 hm² × 1/k² (k = 0.99964)
    assert out["TOTAL_CHANGE_T"] == pytest.approx(15 * 10 * 0.09 * 1.000712, rel=2e-5)
    message = [w for w in feedback.warnings if "no carbon value" in w]
    assert message, feedback.warnings
    assert "'density' or 'density'" not in message[0]
    assert "2000" in message[0] and "2020" in message[0]
    assert not feedback.errors


def test_no_change_at_all_warns_that_shares_are_undefined_and_prints_no_nan(run_alg, feedback, tmp_path):
    c0 = write_raster(tmp_path / "c2000.tif", np.full((4, 4), 40.0))
    c1 = write_raster(tmp_path / "c2020.tif", np.full((4, 4), 40.0))
    out = run_alg(
        ALG,
        {
            **_landuse(tmp_path),
            "CARBON_DENSITY_START": c0,
            "CARBON_DENSITY_END": c1,
            "CONTRIBUTIONS": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    assert out["TOTAL_CHANGE_T"] == 0
    assert any("total carbon change of the classified pixels is 0" in w for w in feedback.warnings)
    assert not [i for i in feedback.infos if "nan" in i.lower() and not i.startswith("Results:")]
