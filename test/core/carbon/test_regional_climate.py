"""The regional climate trend workflow in core: fits, direction, tables and report from the regional sums."""

import numpy as np
import pytest

from core.carbon.climate import RegionalMean, climate_direction, series_trend
from core.carbon.regional_climate import regional_climate_trend

YEARS = list(range(2001, 2011))
VARIABLES = [("temperature", "Temperature", "°C"), ("precipitation", "Precipitation", "mm")]


def _accumulators(n=10):
    rng = np.random.default_rng(1)
    t = np.arange(n)[:, None]
    accs = {"temperature": RegionalMean(n), "precipitation": RegionalMean(n), "aridity": RegionalMean(n)}
    temperature = 8.0 + 0.05 * t + rng.normal(0, 0.2, (n, 6))
    precipitation = 400.0 - 2.0 * t + rng.normal(0, 20, (n, 6))
    precipitation[3, 5] = np.nan  # one pixel misses a year
    area = np.array([1.0, 2.0, 1.0, 3.0, 1.0, 2.0]) * 1e4
    accs["temperature"].add(temperature, area)
    accs["precipitation"].add(precipitation, area)
    accs["aridity"].add(precipitation / 900.0, area)
    return accs, temperature, precipitation, area


def test_fits_direction_tables_and_report_follow_the_regional_means():
    accs, temperature, precipitation, area = _accumulators()
    climate = regional_climate_trend(
        YEARS, [*VARIABLES, ("aridity", "Aridity index", "")], accs, alpha=0.1, aridity_higher_is_wetter=False
    )
    mean_p = precipitation[:, :5] @ area[:5] / area[:5].sum()
    np.testing.assert_allclose(climate.means()["precipitation"], mean_p, rtol=1e-12)
    assert climate.fits["precipitation"] == series_trend(YEARS, accs["precipitation"].means())
    triples = [(climate.fits[k]["sen_slope"], climate.fits[k]["mk_p"], u) for k, u in
               (("temperature", "°C"), ("precipitation", "mm"), ("aridity", ""))]  # fmt: skip
    assert climate.direction == climate_direction(*triples, alpha=0.1, aridity_higher_is_wetter=False)
    series = climate.series_columns()
    assert (
        series["variable"].tolist() == ["Temperature"] * 10 + ["Precipitation"] * 10 + ["Aridity index"] * 10
    )
    assert series["year"].tolist() == YEARS * 3 and series["unit"].tolist()[10:12] == ["mm", "mm"]
    trends = climate.trend_columns()
    assert trends["variable"].dtype == object and trends["pixels"].tolist() == [6, 5, 5]
    np.testing.assert_allclose(trends["area_hm2"], [10.0, 8.0, 8.0])
    report = climate.report(inputs={"Temperature": "t.tif"}, version="1.2.3")
    assert report.algorithm == "carbonsink:regionalclimatetrend"
    assert report.meta.items_dict()  # "Produced by" is filled


@pytest.mark.parametrize(
    "variables, change, message",
    [
        ([VARIABLES[0]], None, r"must hold temperature and precipitation"),
        ([*VARIABLES, ("wind", "Wind", "m/s")], None, r"distinct keys of \('temperature'"),
        ([*VARIABLES, VARIABLES[0]], None, r"distinct keys"),
        (VARIABLES, "no_precipitation_sums", r"a RegionalMean for \['precipitation'\]"),
        (VARIABLES, "empty", r"Precipitation: no pixel has a valid value in every one of the 10 years"),
        (VARIABLES, "short", r"Temperature: the regional sums hold 9 years; the series has 10"),
    ],
)
def test_bad_variables_and_sums_are_refused_by_name(variables, change, message):
    accs = _accumulators()[0]
    if change == "no_precipitation_sums":
        del accs["precipitation"]
    elif change == "empty":
        accs["precipitation"] = RegionalMean(10)
    elif change == "short":
        accs["temperature"] = RegionalMean(9)
    with pytest.raises(ValueError, match=message):
        regional_climate_trend(YEARS, variables, accs)
