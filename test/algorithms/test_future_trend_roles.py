"""Future trend through processing.run: swapped, class and out-of-range inputs stop with the layer named."""

import os
import re

import numpy as np
import pytest
from osgeo import gdal
from rasters import write_raster

pytestmark = pytest.mark.qgis
ALG = "carbonsink:futuretrend"


@pytest.fixture
def inputs(tmp_path):
    rng = np.random.default_rng(3)
    slope = rng.normal(0.4, 0.8, (6, 7))  # t/hm²/a, some negative
    hurst = rng.uniform(0.3, 0.95, (6, 7))
    p = rng.uniform(0, 0.2, (6, 7))
    return {
        "slope": write_raster(tmp_path / "slope.tif", slope, descriptions=["Sen slope per year"]),
        "hurst": write_raster(tmp_path / "hurst.tif", hurst, descriptions=["Hurst exponent"]),
        "p": write_raster(tmp_path / "p.tif", p, descriptions=["Mann-Kendall p-value"]),
        "slope_plain": write_raster(tmp_path / "s.tif", slope),
        "hurst_plain": write_raster(tmp_path / "h.tif", hurst),
        "z_plain": write_raster(tmp_path / "z.tif", rng.normal(0, 2.5, (6, 7))),
        "codes": write_raster(
            tmp_path / "codes.tif", rng.integers(1, 4, (6, 7)), nodata=0, dtype=gdal.GDT_Byte
        ),
    }


def _refused(run_alg, feedback, params, pattern):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as info:
        run_alg(ALG, params, feedback)
    text = str(info.value) + " ".join(feedback.errors)
    assert re.search(pattern, text), text
    assert "Traceback" not in text


def test_the_right_inputs_run(run_alg, inputs, tmp_path):
    out = run_alg(
        ALG,
        {
            "SLOPE": inputs["slope"],
            "HURST": inputs["hurst"],
            "P_VALUE": inputs["p"],
            "FUTURE_CLASS": str(tmp_path / "f.tif"),
        },
    )
    assert len(out["CLASS_AREA_SUMMARY"]["FUTURE_CLASS"]) == 9


def test_swapped_slope_and_hurst_are_refused_by_their_descriptions(run_alg, feedback, inputs, tmp_path):
    params = {"SLOPE": inputs["hurst"], "HURST": inputs["slope"], "FUTURE_CLASS": str(tmp_path / "f.tif")}
    _refused(
        run_alg,
        feedback,
        params,
        r"Layer 'hurst' given as the Sen slope is described as 'Hurst exponent'.*swapped",
    )


def test_a_slope_given_as_hurst_is_refused_by_its_values(run_alg, feedback, inputs, tmp_path):
    out = tmp_path / "f.tif"
    params = {"SLOPE": inputs["hurst_plain"], "HURST": inputs["slope_plain"], "FUTURE_CLASS": str(out)}
    _refused(
        run_alg,
        feedback,
        params,
        r"Layer 's' given as the Hurst exponent: hurst must hold Hurst exponents >= 0 .*swapped",
    )
    assert not os.path.exists(out)  # the partial output is removed


def test_a_class_raster_given_as_slope_is_refused(run_alg, feedback, inputs, tmp_path):
    params = {"SLOPE": inputs["codes"], "HURST": inputs["hurst"], "FUTURE_CLASS": str(tmp_path / "f.tif")}
    _refused(
        run_alg,
        feedback,
        params,
        r"Layer 'codes' given as the Sen slope holds only the whole numbers 1, 2, 3",
    )


def test_a_styled_class_raster_is_refused_in_any_role(run_alg, feedback, inputs, tmp_path):
    trend = run_alg(
        "carbonsink:futuretrend",
        {"SLOPE": inputs["slope"], "HURST": inputs["hurst"], "FUTURE_CLASS": str(tmp_path / "future.tif")},
    )["FUTURE_CLASS"]
    params = {"SLOPE": inputs["slope"], "HURST": trend, "FUTURE_CLASS": str(tmp_path / "f.tif")}
    _refused(run_alg, feedback, params, r"Layer 'future' given as the Hurst exponent is a class raster")


def test_a_z_raster_given_as_p_value_is_refused_naming_it(run_alg, feedback, inputs, tmp_path):
    params = {
        "SLOPE": inputs["slope"],
        "HURST": inputs["hurst"],
        "P_VALUE": inputs["z_plain"],
        "FUTURE_CLASS": str(tmp_path / "f.tif"),
    }
    _refused(run_alg, feedback, params, r"Layer 'z' given as the p-value: p must hold p-values in \[0, 1\]")


def test_hurst_above_two_is_classed_and_counted_in_a_warning(run_alg, feedback, inputs, tmp_path):
    hurst = np.random.default_rng(4).uniform(0.3, 0.95, (6, 7))
    hurst[0, :3] = [2.2, 3.5, 6.3]  # series constant over their first years (Random Forest predictions)
    path = write_raster(tmp_path / "hurst_rf.tif", hurst, descriptions=["Hurst exponent"])
    out = run_alg(
        ALG, {"SLOPE": inputs["slope"], "HURST": path, "FUTURE_CLASS": str(tmp_path / "f.tif")}, feedback
    )
    assert any("3 pixels of 'hurst_rf' have a Hurst exponent above 2" in w for w in feedback.warnings)
    assert sum(r["pixels"] for r in out["CLASS_AREA_SUMMARY"]["FUTURE_CLASS"]) == 42
    assert not feedback.errors
