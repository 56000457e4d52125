"""Factor screening through processing.run with a target of tiny magnitude (scipy's pearsonr test case)."""

import numpy as np
import pytest
from rasters import write_raster
from scipy import stats

pytestmark = pytest.mark.qgis

X0, Y0, PX = 560000.0, 4250000.0, 30.0
# scipy/stats/tests/test_stats.py, TestPearsonr.test_very_small_input_values (scipy#9353)
FACTOR = [0.004434375, 0.004756007, 0.003911996, 0.0038005, 0.003409971]
TARGET = [2.48e-188, 7.41e-181, 4.09e-208, 2.08e-223, 2.66e-245]


def test_r_and_p_with_a_target_of_1e_181_are_scipys(run_alg, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    rng = np.random.default_rng(0)
    grid = {"NPP": rng.uniform(0.003, 0.005, (3, 5)), "DEM": rng.normal(1500, 200, (3, 5))}
    grid["NPP"][1, :] = FACTOR  # the points sit on row 1
    rasters = [write_raster(tmp_path / f"{k}.tif", v) for k, v in grid.items()]
    layer = QgsVectorLayer("Point?crs=EPSG:32648&field=cd:double", "plots", "memory")
    feats = []
    for col, value in enumerate(TARGET):
        f = QgsFeature(layer.fields())
        f.setAttributes([value])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0 + (col + 0.5) * PX, Y0 - 1.5 * PX)))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    out = run_alg(
        "carbonsink:factorscreening",
        {
            "SAMPLES": layer,
            "CARBON_FIELD": "cd",
            "FACTORS": rasters,
            "PAIRS": "TEMPORARY_OUTPUT",
            "FACTOR_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    table = out["FACTOR_TABLE"]
    rows = {f["factor"]: f for f in table.getFeatures()}
    for name, j in (("NPP", 1), ("DEM", 1)):
        x = grid[name][j].astype(np.float32).astype(float)  # what the raster holds
        ref = stats.pearsonr(x, TARGET)
        assert rows[name]["r_with_target"] == pytest.approx(ref.statistic, rel=1e-9)
        assert rows[name]["p_with_target"] == pytest.approx(ref.pvalue, rel=1e-6)
    assert rows["NPP"]["r_with_target"] == pytest.approx(0.72729, abs=1e-4)  # not 1 (p = 0) as before
