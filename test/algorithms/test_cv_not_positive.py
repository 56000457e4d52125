"""Coefficient of variation through processing.run: series that are not of a positive quantity."""

import numpy as np
import pytest
from rasters import read_raster, write_raster

pytestmark = pytest.mark.qgis


def _stack(tmp_path):
    rng = np.random.default_rng(5)
    years = 24
    values = rng.normal(50.0, 4.0, (years, 3, 4))
    anomaly = np.tile([-0.5, 0.5], years // 2)
    values[:, 0, 0] = anomaly
    values[-1, 0, 0] += 6e-8  # one float32 ulp: mean 2.5e-9, σ/μ would be 2e8
    values[:, 0, 1] = anomaly + 0.2  # mostly positive, some negative years
    values[:, 2, 3] = np.nan  # nodata: not counted
    return write_raster(tmp_path / "stack.tif", values, descriptions=[str(2001 + i) for i in range(years)])


def test_negative_and_zero_mean_series_are_nodata_and_counted_as_a_warning(run_alg, feedback, tmp_path):
    results = run_alg(
        "carbonsink:coefficientofvariation",
        {"INPUT": [_stack(tmp_path)], "CV": str(tmp_path / "cv.tif"), "CV_CLASS": str(tmp_path / "cvc.tif")},
        feedback,
    )
    cv = read_raster(results["CV"])
    assert np.isnan(cv[0, 0]) and np.isnan(cv[0, 1]) and np.isnan(cv[2, 3])
    others = np.ones(cv.shape, dtype=bool)
    others[0, 0] = others[0, 1] = others[2, 3] = False
    assert np.all((cv[others] > 0.02) & (cv[others] < 0.3))
    assert np.isnan(read_raster(results["CV_CLASS"])[0, :2]).all()  # class nodata
    assert results["NOT_POSITIVE_PIXELS"] == 2
    warning = " ".join(feedback.warnings)
    assert "2 pixels" in warning and "negative" in warning and "nodata" in warning
    assert not feedback.errors


@pytest.mark.parametrize(
    "values, message",
    [
        (np.tile([-0.5, 0.5], 12)[:, None, None] * np.ones((1, 3, 4)), "has a negative value or only zeros"),
        (-5.0 + np.random.default_rng(2).normal(0, 1, (24, 3, 4)), "has a negative value or only zeros"),
        (np.full((24, 3, 4), np.nan), "No pixel of 'stack' has at least 18 valid years"),
    ],
    ids=["anomalies", "below-zero temperatures", "no data"],
)
def test_a_stack_with_no_cv_anywhere_is_refused_before_any_output(run_alg, tmp_path, values, message):
    from qgis.core import QgsProcessingException

    path = write_raster(tmp_path / "stack.tif", values, descriptions=[str(2001 + i) for i in range(24)])
    out = tmp_path / "cv.tif"
    with pytest.raises(QgsProcessingException, match=message):
        run_alg("carbonsink:coefficientofvariation", {"INPUT": [path], "CV": str(out)})
    assert not out.exists()
