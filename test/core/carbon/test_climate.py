"""Regional climate series: year matching, area-weighted means, trends and the direction in words."""

import numpy as np
import pymannkendall
import pytest
from scipy import stats

from core.carbon.climate import RegionalMean, align_years, climate_direction, format_years, series_trend
from core.engine.raster import BandRef, Grid, RasterInputError, Stack


def _stack(name, years, warnings=()):
    bands = [BandRef("/x.tif", i + 1, "layer_" + name.lower()) for i in range(len(years))]
    return Stack(name, bands, np.asarray(years), Grid("", (0, 1, 0, 0, 0, -1), 2, 2), list(warnings))


def test_align_years_reorders_by_year_and_reports_extra_years():
    stack = _stack("Precipitation", [2000, 2001, 2002, 2003, 2004])
    aligned, extra = align_years(stack, [2001, 2002, 2003], "the carbon density stack")
    assert [b.band for b in aligned.bands] == [2, 3, 4]
    assert aligned.years.tolist() == [2001, 2002, 2003]
    assert extra == [2000, 2004]


def test_align_years_names_the_stack_the_layer_and_the_missing_years():
    stack = _stack("Precipitation", [2001, 2002, 2004])
    with pytest.raises(RasterInputError) as err:
        align_years(stack, [2001, 2002, 2003, 2004], "the carbon density stack")
    message = str(err.value)
    assert (
        "Precipitation ('layer_precipitation') has no band for year 2003 of the carbon density stack"
        in message
    )
    assert "2001–2002, 2004" in message
    with pytest.raises(RasterInputError, match="years 2003, 2005–2006"):
        align_years(stack, [2001, 2003, 2005, 2006], "the carbon density stack")
    guessed = _stack("Temperature", [1, 2, 3], warnings=["no year found"])
    with pytest.raises(RasterInputError, match="give its years parameter"):
        align_years(guessed, [2001, 2002, 2003], "the carbon density stack")
    with pytest.raises(RasterInputError, match="years 1–3 of the carbon stack.*Carbon: no year found"):
        align_years(stack, [1, 2, 3], "the carbon stack", ["Carbon: no year found"])


def test_format_years():
    assert format_years([2005, 2001, 2002]) == "2001–2002, 2005"
    assert format_years([]) == "none"


def test_regional_mean_is_area_weighted_over_complete_pixels_across_windows():
    rng = np.random.default_rng(0)
    values = rng.normal(10, 2, (6, 500))
    values[2, :40] = np.nan  # incomplete pixels
    values[:, 40:50] = np.nan  # empty pixels
    area = rng.uniform(800, 1000, 500)
    acc = RegionalMean(6)
    for part in np.array_split(np.arange(500), 7):
        acc.add(values[:, part], area[part][None, :])
    keep = np.isfinite(values).all(axis=0)
    expected = (values[:, keep] * area[keep]).sum(axis=1) / area[keep].sum()
    np.testing.assert_allclose(acc.means(), expected, rtol=1e-12)
    assert acc.pixels_ == 450 and acc.incomplete_pixels_ == 40
    assert acc.area_m2_ == pytest.approx(area[keep].sum())
    assert np.isnan(RegionalMean(3).means()).all()
    with pytest.raises(ValueError, match=r"values must be \(6, n_pixels\)"):
        acc.add(np.ones((5, 3)), np.ones(3))
    with pytest.raises(ValueError, match="n_years"):
        RegionalMean(0)


def test_series_trend_matches_scipy_and_pymannkendall():
    rng = np.random.default_rng(1)
    years = np.arange(2001, 2025)
    values = 8.0 + 0.04 * (years - 2001) + rng.normal(0, 0.2, years.size)
    res = series_trend(years, values)
    ts = stats.theilslopes(values, years)
    lr = stats.linregress(years, values)
    mk = pymannkendall.original_test(values)
    assert res["sen_slope"] == pytest.approx(ts.slope, rel=1e-12)
    assert res["sen_intercept"] == pytest.approx(ts.intercept, rel=1e-9)
    assert res["mk_z"] == pytest.approx(mk.z, rel=1e-12)
    assert res["mk_p"] == pytest.approx(mk.p, rel=1e-9)
    assert res["mk_s"] == mk.s
    assert res["ls_slope"] == pytest.approx(lr.slope, rel=1e-12)
    assert res["ls_r2"] == pytest.approx(lr.rvalue**2, rel=1e-12)
    assert res["ls_p"] == pytest.approx(lr.pvalue, rel=1e-9)
    assert res["n"] == 24
    with pytest.raises(ValueError, match="at least 4 valid values"):
        series_trend([1, 2, 3, 4], [1.0, np.nan, 2.0, 3.0])


@pytest.mark.parametrize(
    ("temperature", "precipitation", "expected"),
    [
        ((0.04, 0.01), (2.1, 0.03), ": warming and humidifying."),
        ((-0.04, 0.01), (-2.1, 0.03), ": cooling and drying."),
        ((0.04, 0.01), (-2.1, 0.001), ": warming and drying."),
        ((0.04, 0.01), (2.1, 0.3), ": warming, with a non-significant humidifying tendency (alpha = 0.05)."),
        (
            (0.04, 0.2),
            (-2.1, 0.3),
            ": no significant trend (a non-significant warming and drying tendency, alpha = 0.05).",
        ),
        ((0.0, 1.0), (0.0, 1.0), ": no change."),
    ],
)
def test_climate_direction_follows_signs_and_significance(temperature, precipitation, expected):
    sentence = climate_direction((*temperature, "°C"), (*precipitation, "mm"))
    assert sentence.endswith(expected)
    assert sentence.startswith("Temperature: ")


def test_climate_direction_reads_the_rates_and_the_aridity_index():
    sentence = climate_direction((0.0412, 0.0104, "°C"), (2.13, 0.0304, "mm"), (0.0031, 0.0004, ""))
    assert sentence == (
        "Temperature: +0.041 °C/a (p = 0.01), precipitation: +2.1 mm/a (p = 0.03), aridity index: "
        "+0.0031/a (p < 0.001): warming and humidifying; the aridity index indicates wetter conditions."
    )
    drier = climate_direction(
        (0.04, 0.01, "°C"), (2.1, 0.03, "mm"), (0.1, 0.4, ""), aridity_higher_is_wetter=False
    )
    assert drier.endswith("the aridity index indicates drier conditions (not significant).")
    assert "alpha = 0.1" in climate_direction((0.04, 0.2, "°C"), (2.1, 0.03, "mm"), alpha=0.1)
    with pytest.raises(ValueError, match="temperature must be a"):
        climate_direction(0.04, (2.1, 0.03, "mm"))
    with pytest.raises(ValueError, match="alpha"):
        climate_direction((0.04, 0.01, "°C"), (2.1, 0.03, "mm"), alpha=0)
