"""The augmentation workflow without QGIS: plots sampled on the rasters, means, allocation, draw, columns."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from rasters import write_raster

from core.carbon import augment, augmentation
from core.common.errors import Cancelled
from core.engine import raster

GT = (560000.0, 30.0, 0.0, 4250000.0, 0.0, -30.0)
ROWS, COLS = 40, 60


@pytest.fixture
def rasters(tmp_path):
    """Strata 1 (cols 0-19), 2 (cols 20-39), 3 (cols 40-59); NPP 500, except 0 in stratum 2's plots' corner."""
    s = np.ones((ROWS, COLS))
    s[:, 20:40] = 2
    s[:, 40:] = 3
    npp = np.full((ROWS, COLS), 500.0)
    npp[:, :10] = 400.0
    npp[:5, 20:25] = -1.0  # the plots of stratum 2 sit on negative NPP: their mean is not positive
    npp_stack = raster.open_band("NPP", write_raster(tmp_path / "npp.tif", npp, geotransform=GT), "npp")
    strata = raster.open_band("Stratum", write_raster(tmp_path / "s.tif", s, geotransform=GT), "strata")
    return npp_stack, strata


def _centre(row, col):
    return GT[0] + (col + 0.5) * GT[1], GT[3] + (row + 0.5) * GT[5]


def _plots(cells, carbon):
    xy = np.array([_centre(r, c) for r, c in cells])
    labels = [f"p{i}" for i in range(len(cells))]
    return augmentation.MeasuredPlots("plots", xy[:, 0], xy[:, 1], np.asarray(carbon, float), labels)


def test_the_workflow_transfers_carbon_by_the_npp_ratio_in_strata_with_plots(rasters):
    npp, strata = rasters
    # stratum 1: plots at NPP 400 and 500 (C 30, 50: C̄ 40, NPP̄ 450); stratum 2: NPP -1 (no points);
    # a plot outside; a plot without carbon; stratum 3 has no plot.
    plots = _plots([(10, 5), (10, 15), (2, 22), (3, 23), (-5, 5), (20, 12)], [30, 50, 10, 20, 99, np.nan])
    sample = augmentation.sample_plots(plots, npp, stratum=strata)
    assert sample.problems == [("p4", "outside the rasters"), ("p5", "no carbon density")]
    grid = augment.strata_from_rasters(npp, strata)
    result = augmentation.augment_samples(plots, sample, grid, npp, n_points=12, spacing=0.0, seed=1)
    assert list(result.means) == [1] and result.no_positive_npp == [2] and result.unsampled == [3]
    assert result.allocation == {1: 12} and len(result.points) == 12
    assert_allclose(result.carbon_r, 40.0 * result.npp_r / 450.0)
    cols = result.columns(combined=False)
    assert cols["source"] == ["measured"] * 6 + ["derived"] * 12
    assert cols["plot_id"][:6] == plots.labels and cols["plot_id"][6:] == [None] * 12
    assert np.isnan(cols["stratum"][4]) and set(cols["stratum"][6:]) == {1.0}
    x, y = result.xy()
    assert x.size == y.size == 18


def test_no_plot_inside_and_no_usable_plot_are_refused_naming_the_layer(rasters):
    npp, strata = rasters
    grid = augment.strata_from_rasters(npp, strata)
    outside = _plots([(-5, 5), (-6, 6)], [10, 20])
    with pytest.raises(ValueError, match="None of the 2 plots of layer 'plots' falls inside the rasters"):
        augmentation.augment_samples(outside, augmentation.sample_plots(outside, npp, strata), grid, npp)
    no_carbon = _plots([(10, 5), (10, 45)], [np.nan, np.nan])
    with pytest.raises(ValueError, match="No plot of layer 'plots' has a carbon density"):
        augmentation.augment_samples(no_carbon, augmentation.sample_plots(no_carbon, npp, strata), grid, npp)


def test_a_cancel_stops_the_draw_with_the_core_cancel_type(rasters):
    npp, strata = rasters
    plots = _plots([(10, 5)], [30])
    grid = augment.strata_from_rasters(npp, strata)
    with pytest.raises(Cancelled):
        augmentation.augment_samples(
            plots, augmentation.sample_plots(plots, npp, strata), grid, npp, is_cancelled=lambda: True
        )
