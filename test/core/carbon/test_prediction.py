"""Which raster is which factor, in which year: the prediction inputs without QGIS."""

import numpy as np
import pytest
from rasters import write_raster

from core.carbon import prediction
from core.carbon.prediction import FactorLayer

ONES = np.ones((3, 4))


@pytest.fixture
def layers(tmp_path):
    """NPP as single-band rasters NPP_2001..2003, AP as a 3-band stack, DEM static."""
    out = {f"NPP_{y}": write_raster(tmp_path / f"npp{y}.tif", ONES * y) for y in (2001, 2002, 2003)}
    out["AP"] = write_raster(tmp_path / "ap.tif", np.stack([ONES] * 3), descriptions=["2001", "2002", "2003"])
    out["DEM"] = write_raster(tmp_path / "dem.tif", ONES)
    return out


def _yearly(layers, *names):
    return [FactorLayer(n, layers[n], 3 if n == "AP" else 1) for n in names]


def test_yearly_rasters_are_grouped_by_factor_and_matched_to_the_model(layers):
    inputs = prediction.prediction_inputs(
        ["NPP", "DEM", "AP"],
        [FactorLayer("DEM", layers["DEM"])],
        _yearly(layers, "NPP_2003", "NPP_2001", "NPP_2002", "AP"),
    )
    assert inputs.years == [2001, 2002, 2003]
    assert inputs.yearly == [True, False, True]
    npp = inputs.stacks["f0"]
    assert [b.layer for b in npp.bands] == ["NPP_2001", "NPP_2002", "NPP_2003"]
    assert len(inputs.stacks["f1"]) == 1 and inputs.ignored == [] and inputs.warnings == []


def test_a_name_whose_suffix_is_not_a_year_is_not_a_yearly_raster(layers):
    """NPP_1750 is a factor named NPP_1750 in training, so it is no yearly raster of NPP here either."""
    with pytest.raises(ValueError, match="'NPP_1750' has one band but its name is not <factor>_<year>"):
        prediction.open_yearly([FactorLayer("NPP_1750", layers["NPP_2001"])])


def test_only_the_offered_factors_the_model_does_not_use_are_reported_as_ignored(layers, tmp_path):
    slope = write_raster(tmp_path / "slope.tif", ONES)
    inputs = prediction.prediction_inputs(
        ["NPP", "DEM"],
        [FactorLayer("DEM", layers["DEM"]), FactorLayer("SLOPE", slope)],
        _yearly(layers, "NPP_2001", "NPP_2002", "AP"),
        ignore_extra=True,
    )
    assert inputs.ignored == ["AP", "SLOPE"]  # DEM is used: not ignored
    assert list(inputs.stacks) == ["f0", "f1"]


def test_years_asked_for_must_be_there_and_common_years_are_the_default(layers):
    yearly = prediction.open_yearly(_yearly(layers, "NPP_2001", "NPP_2002", "AP"))
    years, warnings = prediction.choose_years(yearly)
    assert years == [2001, 2002]
    assert warnings == ["Yearly factor 'AP': year(s) 2003 not predicted (not every yearly factor has them)"]
    assert prediction.choose_years(yearly, "2002")[0] == [2002]
    with pytest.raises(
        ValueError, match="Yearly factor 'NPP' has no raster for year 2003 .it has 2001–2002."
    ):
        prediction.choose_years(yearly, "2001-2003")
    with pytest.raises(ValueError, match="every factor is static"):
        prediction.choose_years({}, "2001")


def test_factors_that_do_not_match_name_the_model(layers):
    with pytest.raises(ValueError, match="Model 'm.npz': the factors do not match.*missing: AP"):
        prediction.prediction_inputs(["NPP", "AP"], (), _yearly(layers, "NPP_2001"), model_name="m.npz")


@pytest.mark.parametrize(
    "static, yearly, message",
    [
        (["AP"], [], "Static factor layer 'AP' has 3 bands"),
        (["DEM"], ["NPP_2001", "DEM"], "'DEM' has one band but its name is not"),
        ([], ["NPP_2001", "NPP_2001"], "Yearly factor 'NPP': more than one layer for year 2001"),
    ],
)
def test_misplaced_layers_are_refused_by_name(layers, static, yearly, message):
    with pytest.raises(ValueError, match=message):
        prediction.prediction_inputs(
            ["NPP", "DEM"],
            [FactorLayer(n, layers[n], 3 if n == "AP" else 1) for n in static],
            _yearly(layers, *yearly),
        )
