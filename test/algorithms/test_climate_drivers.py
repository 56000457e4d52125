"""Climate partial correlation / driver types and the regional climate trend, through processing.run."""

import os

import numpy as np
import pytest
from live_markup import assert_written_from_one_document
from osgeo import gdal
from rasters import read_raster, write_raster

from core.carbon.climate import series_trend
from core.engine.raster import Grid
from core.stats.partial_correlation import DRIVER_TYPES, driver_class, partial_correlation

pytestmark = pytest.mark.qgis

PARTIAL = "carbonsink:climatepartialcorrelation"
REGIONAL = "carbonsink:regionalclimatetrend"
YEARS = list(range(2001, 2013))  # 12 years; 75 % valid -> 9 years needed


def _climate(rng, rows, cols, n=12):
    t = np.arange(n)[:, None, None]
    temperature = 8.0 + 0.05 * t + rng.normal(0, 0.6, (n, rows, cols))
    precipitation = 400.0 + 3.0 * t + rng.normal(0, 60, (n, rows, cols))
    return temperature, precipitation


@pytest.fixture(scope="module")
def drivers(tmp_path_factory):
    """Carbon driven by temperature and precipitation in column groups, with gaps and nodata pixels."""
    folder = tmp_path_factory.mktemp("drivers")
    rng = np.random.default_rng(42)
    rows, cols = 8, 12
    temperature, precipitation = _climate(rng, rows, cols)
    group = np.arange(cols) // 3  # 0 both, 1 temperature only, 2 precipitation only, 3 neither
    a = np.where((group == 0) | (group == 1), 3.0, 0.0)
    b = np.where((group == 0) | (group == 2), 0.03, 0.0)
    carbon = 40.0 + a * temperature + b * precipitation + rng.normal(0, 0.5, temperature.shape)
    carbon[3, 0, 0] = np.nan  # one missing year: still computed
    carbon[:, 1, 1] = np.nan  # all nodata
    temperature[:5, 2, 2] = np.nan  # 7 common years left: below the 9 needed
    # temperature has two extra years (2000, 2013) around the carbon years
    extra_t = np.concatenate([temperature[:1] - 0.05, temperature, temperature[-1:] + 0.05])
    paths = {
        "carbon": write_raster(folder / "carbon.tif", carbon, descriptions=YEARS),
        "temperature": write_raster(folder / "tmean.tif", extra_t, descriptions=list(range(2000, 2014))),
        # precipitation as one raster per year, years from the file names, given in reverse order
        "precipitation": [
            write_raster(folder / f"precip_{y}.tif", precipitation[i]) for i, y in enumerate(YEARS)
        ][::-1],
    }
    values = {
        "carbon": read_raster(paths["carbon"]).reshape(len(YEARS), -1),
        "temperature": read_raster(paths["temperature"])[1:-1].reshape(len(YEARS), -1),
        "precipitation": np.stack([read_raster(p) for p in paths["precipitation"][::-1]]).reshape(
            len(YEARS), -1
        ),
    }
    return folder, paths, values


def _outputs(folder, *names):
    return {name: str(folder / f"{name.lower()}.tif") for name in names}


def test_partial_correlation_matches_core_and_reports_driver_areas(run_alg, feedback, drivers):
    folder, paths, values = drivers
    names = ("R_TEMPERATURE", "P_TEMPERATURE", "R_PRECIPITATION", "P_PRECIPITATION", "R_MULTIPLE", "P_F")
    out = _outputs(folder, *names, "DRIVER_CLASS")
    results = run_alg(
        PARTIAL,
        {
            "CARBON": [paths["carbon"]],
            "TEMPERATURE": [paths["temperature"]],
            "PRECIPITATION": paths["precipitation"],
            **out,
            "CLASS_AREAS": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    expected = partial_correlation(
        values["carbon"], [values["temperature"], values["precipitation"]], min_n=9
    )
    wanted = {
        "R_TEMPERATURE": expected["partial_r"][0],
        "P_TEMPERATURE": expected["partial_p"][0],
        "R_PRECIPITATION": expected["partial_r"][1],
        "P_PRECIPITATION": expected["partial_p"][1],
        "R_MULTIPLE": expected["multiple_r"],
        "P_F": expected["f_p"],
    }
    for name, value in wanted.items():
        got = read_raster(results[name]).ravel()
        np.testing.assert_allclose(got, value, rtol=2e-5, atol=1e-7, equal_nan=True, err_msg=name)
    assert np.isnan(read_raster(results["R_TEMPERATURE"])[[1, 2], [1, 2]]).all()
    assert np.isfinite(read_raster(results["R_TEMPERATURE"])[0, 0])  # one missing year only
    classes = gdal.Open(results["DRIVER_CLASS"]).ReadAsArray()
    expected_class = driver_class(expected["partial_p"], expected["f_p"]).reshape(classes.shape)
    np.testing.assert_array_equal(classes, expected_class)
    # the column groups come out as designed on most pixels
    assert (classes[:, 0:3] == 1).mean() > 0.8 and (classes[:, 3:6] == 2).mean() > 0.8
    assert (classes[:, 6:9] == 3).mean() > 0.8 and (classes[:, 9:12] == 5).mean() > 0.7
    summary = results["CLASS_AREA_SUMMARY"]["DRIVER_CLASS"]
    assert [r["class"] for r in summary] == [c.name for c in DRIVER_TYPES.classes]
    assert sum(r["pixels"] for r in summary) == int(np.count_nonzero(classes))
    assert sum(r["share_pct"] for r in summary) == pytest.approx(100.0)
    assert os.path.exists(folder / "driver_class.qml")
    assert any("2000, 2013" in line and "ignored" in line for line in feedback.infos)
    assert any("94 of 96 pixels" in line for line in feedback.infos)


def test_additional_controls_get_a_band_each_and_enter_the_partials(run_alg, tmp_path):
    rng = np.random.default_rng(7)
    rows, cols = 64, 66  # more than 4096 pixels: the engine splits the window over threads
    temperature, precipitation = _climate(rng, rows, cols)
    radiation = 5000 + rng.normal(0, 100, temperature.shape)
    aridity = precipitation / 900 + rng.normal(0, 0.05, temperature.shape)
    carbon = 40 + 2 * temperature + 0.01 * radiation + rng.normal(0, 1, temperature.shape)
    paths = {
        "CARBON": [write_raster(tmp_path / "c.tif", carbon, descriptions=YEARS)],
        "TEMPERATURE": [write_raster(tmp_path / "t.tif", temperature, descriptions=YEARS)],
        "PRECIPITATION": [write_raster(tmp_path / "p.tif", precipitation, descriptions=YEARS)],
        "CONTROLS": [
            write_raster(tmp_path / "radiation.tif", radiation, descriptions=YEARS),
            write_raster(tmp_path / "aridity.tif", aridity, descriptions=YEARS),
        ],
    }
    results = run_alg(
        PARTIAL,
        {
            **paths,
            "R_TEMPERATURE": str(tmp_path / "rt.tif"),
            "R_CONTROLS": str(tmp_path / "rc.tif"),
            "P_CONTROLS": str(tmp_path / "pc.tif"),
            "DRIVER_CLASS": "TEMPORARY_OUTPUT",
        },
    )
    flat = {k: read_raster(v[0]).reshape(len(YEARS), -1) for k, v in paths.items() if k != "CONTROLS"}
    controls = [read_raster(p).reshape(len(YEARS), -1) for p in paths["CONTROLS"]]
    expected = partial_correlation(
        flat["CARBON"], [flat["TEMPERATURE"], flat["PRECIPITATION"], *controls], min_n=9
    )
    ds = gdal.Open(results["R_CONTROLS"])
    assert ds.RasterCount == 2
    assert [ds.GetRasterBand(b).GetDescription() for b in (1, 2)] == ["radiation", "aridity"]
    np.testing.assert_allclose(
        read_raster(results["R_CONTROLS"]).reshape(2, -1), expected["partial_r"][2:], rtol=2e-5, atol=1e-7
    )
    np.testing.assert_allclose(
        read_raster(results["P_CONTROLS"]).reshape(2, -1), expected["partial_p"][2:], rtol=2e-5, atol=1e-7
    )
    np.testing.assert_allclose(
        read_raster(results["R_TEMPERATURE"]).ravel(), expected["partial_r"][0], rtol=2e-5, atol=1e-7
    )


def test_a_year_missing_in_precipitation_stops_with_the_stack_and_the_year(run_alg, feedback, drivers):
    from qgis.core import QgsProcessingException

    folder, paths, _ = drivers
    without_2005 = [p for p in paths["precipitation"] if "2005" not in p]
    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            PARTIAL,
            {
                "CARBON": [paths["carbon"]],
                "TEMPERATURE": [paths["temperature"]],
                "PRECIPITATION": without_2005,
                "DRIVER_CLASS": "TEMPORARY_OUTPUT",
            },
            feedback,
        )
    message = str(err.value)
    assert "Precipitation stack" in message and "no band for year 2005 of the carbon stack" in message
    assert "Traceback" not in message


def test_stacks_on_different_grids_and_single_band_controls_are_refused(run_alg, drivers, tmp_path):
    from qgis.core import QgsProcessingException

    _, paths, values = drivers
    shifted = write_raster(
        tmp_path / "tshift.tif",
        values["temperature"].reshape(len(YEARS), 8, 12),
        descriptions=YEARS,
        geotransform=(560030.0, 30.0, 0.0, 4250000.0, 0.0, -30.0),
    )
    base = {
        "CARBON": [paths["carbon"]],
        "PRECIPITATION": paths["precipitation"],
        "DRIVER_CLASS": "TEMPORARY_OUTPUT",
    }
    with pytest.raises(QgsProcessingException, match="Layer 'tshift' is not on the same grid as 'carbon'"):
        run_alg(PARTIAL, {**base, "TEMPERATURE": [shifted]})
    single = write_raster(tmp_path / "ai.tif", np.ones((8, 12)))
    with pytest.raises(QgsProcessingException, match="Additional control 'ai' has 1 band"):
        run_alg(PARTIAL, {**base, "TEMPERATURE": [paths["temperature"]], "CONTROLS": [single]})


def test_all_nodata_carbon_stops_naming_the_layer(run_alg, feedback, drivers, tmp_path):
    # Issue 10: an all-nodata input used to "succeed" with empty outputs.
    from qgis.core import QgsProcessingException

    _, paths, _ = drivers
    empty = write_raster(tmp_path / "empty.tif", np.full((len(YEARS), 8, 12), np.nan), descriptions=YEARS)
    with pytest.raises(QgsProcessingException, match="layer 'empty' holds no valid value"):
        run_alg(
            PARTIAL,
            {
                "CARBON": [empty],
                "TEMPERATURE": [paths["temperature"]],
                "PRECIPITATION": paths["precipitation"],
                "R_TEMPERATURE": str(tmp_path / "r.tif"),
                "DRIVER_CLASS": str(tmp_path / "c.tif"),
            },
            feedback,
        )
    assert sorted(os.listdir(tmp_path)) == ["empty.tif"]


# ------------------------------------------------------------------------------------------- regional
def _table(layer):
    from qgis.core import QgsVectorLayer

    if isinstance(layer, str):
        layer = QgsVectorLayer(layer)
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


@pytest.fixture(scope="module")
def climate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regional")
    rng = np.random.default_rng(3)
    temperature, precipitation = _climate(rng, 8, 10)
    temperature[4, 0, 0] = np.nan  # a pixel missing a year: left out of the temperature mean
    precipitation[:, 7, :] = np.nan  # a row of all-nodata pixels
    aridity = precipitation / 900.0
    paths = {
        "TEMPERATURE": [write_raster(folder / "temp.tif", temperature, descriptions=YEARS)],
        "PRECIPITATION": [write_raster(folder / "precip.tif", precipitation, descriptions=YEARS)],
        "ARIDITY": [write_raster(folder / "ai.tif", aridity, descriptions=YEARS)],
    }
    values = {k: read_raster(v[0]) for k, v in paths.items()}
    return folder, paths, values


def test_regional_means_trends_and_direction(run_alg, feedback, climate, tmp_path):
    _, paths, values = climate
    report = tmp_path / "climate.html"
    results = run_alg(
        REGIONAL,
        {**paths, "SERIES": "TEMPORARY_OUTPUT", "TRENDS": "TEMPORARY_OUTPUT", "REPORT": str(report)},
        feedback,
    )
    expected = {}
    for key, label in (
        ("TEMPERATURE", "Temperature"),
        ("PRECIPITATION", "Precipitation"),
        ("ARIDITY", "Aridity index"),
    ):
        v = values[key].reshape(len(YEARS), -1)
        complete = np.isfinite(v).all(axis=0)
        expected[label] = v[:, complete].mean(axis=1)  # pixel areas on this UTM grid differ by < 1e-6
    rows = _table(results["SERIES"])
    assert len(rows) == 3 * len(YEARS)
    for label, means in expected.items():
        got = [r["mean"] for r in rows if r["variable"] == label]
        assert [r["year"] for r in rows if r["variable"] == label] == YEARS
        np.testing.assert_allclose(got, means, rtol=1e-7)
    fit_t = series_trend(YEARS, expected["Temperature"])
    fit_p = series_trend(YEARS, expected["Precipitation"])
    assert results["TEMPERATURE_SLOPE"] == pytest.approx(fit_t["sen_slope"], rel=1e-6)
    assert results["TEMPERATURE_P"] == pytest.approx(fit_t["mk_p"], rel=1e-6)
    assert results["PRECIPITATION_SLOPE"] == pytest.approx(fit_p["sen_slope"], rel=1e-6)
    assert results["ARIDITY_SLOPE"] > 0
    trends = {r["variable"]: r for r in _table(results["TRENDS"])}
    assert trends["Temperature"]["ls_slope"] == pytest.approx(fit_t["ls_slope"], rel=1e-6)
    assert trends["Precipitation"]["mk_z"] == pytest.approx(fit_p["mk_z"], rel=1e-6)
    assert trends["Temperature"]["pixels"] == 79 and trends["Precipitation"]["pixels"] == 70
    assert trends["Temperature"]["area_hm2"] == pytest.approx(79 * 0.09 * 1.000712, rel=2e-5)  # 1/k² of UTM
    assert results["DIRECTION"].endswith(
        ": warming and humidifying; the aridity index indicates wetter conditions."
    )
    assert results["DIRECTION"].startswith("Temperature: +0.0")
    html = report.read_text(encoding="utf-8")
    assert html.count('class="series"') == 3 and html.count('class="trend"') == 6
    assert "warming and humidifying" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert any("1 pixels with a missing year left out" in line for line in feedback.infos)
    data = assert_written_from_one_document(report, "carbonsink:regionalclimatetrend")
    chart = data.sections[1].blocks[0]
    assert chart.chart == "lines" and chart.data["x"] == tuple(YEARS)
    np.testing.assert_allclose(chart.data["series"][0]["values"], expected["Temperature"], rtol=1e-7)


def test_regional_means_are_weighted_by_true_area_on_a_geographic_grid(run_alg, tmp_path):
    rng = np.random.default_rng(9)
    rows = 20
    temperature, precipitation = _climate(rng, rows, 3, n=6)
    temperature += np.linspace(-10, 10, rows)[None, :, None]  # colder in the north
    gt = (100.0, 1.0, 0.0, 60.0, 0.0, -1.0)  # 60°N to 40°N: pixel areas differ by ~1.5×
    paths = {
        "TEMPERATURE": [
            write_raster(tmp_path / "t.tif", temperature, epsg=4326, geotransform=gt, descriptions=YEARS[:6])
        ],
        "PRECIPITATION": [
            write_raster(
                tmp_path / "p.tif", precipitation, epsg=4326, geotransform=gt, descriptions=YEARS[:6]
            )
        ],
    }
    results = run_alg(REGIONAL, {**paths, "SERIES": "TEMPORARY_OUTPUT"})
    weights = Grid.of(gdal.Open(paths["TEMPERATURE"][0])).pixel_areas((0, 0, 3, rows)).ravel()
    t = read_raster(paths["TEMPERATURE"][0]).reshape(6, -1)
    expected = (t * weights).sum(axis=1) / weights.sum()
    got = [r["mean"] for r in _table(results["SERIES"]) if r["variable"] == "Temperature"]
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert np.abs(np.asarray(got) - t.mean(axis=1)).min() > 0.1  # the weighting matters here


def test_regional_trend_refuses_a_missing_year_another_grid_and_an_empty_stack(run_alg, climate, tmp_path):
    from qgis.core import QgsProcessingException

    _, paths, values = climate
    short = write_raster(
        tmp_path / "p_short.tif",
        np.delete(values["PRECIPITATION"], 4, axis=0),
        descriptions=[y for y in YEARS if y != 2005],
    )
    with pytest.raises(
        QgsProcessingException, match=r"Precipitation stack \('p_short'\) has no band for year 2005"
    ):
        run_alg(REGIONAL, {"TEMPERATURE": paths["TEMPERATURE"], "PRECIPITATION": [short]})
    moved = write_raster(tmp_path / "p_moved.tif", values["PRECIPITATION"], descriptions=YEARS, epsg=32649)
    with pytest.raises(
        QgsProcessingException, match="Layer 'p_moved' is not on the same grid as 'temp': CRS differs"
    ):
        run_alg(REGIONAL, {"TEMPERATURE": paths["TEMPERATURE"], "PRECIPITATION": [moved]})
    empty = write_raster(
        tmp_path / "ai_empty.tif", np.full(values["ARIDITY"].shape, np.nan), descriptions=YEARS
    )
    with pytest.raises(
        QgsProcessingException, match=r"Aridity index stack: layer 'ai_empty' holds no valid value"
    ):
        run_alg(
            REGIONAL,
            {
                "TEMPERATURE": paths["TEMPERATURE"],
                "PRECIPITATION": paths["PRECIPITATION"],
                "ARIDITY": [empty],
            },
        )


def test_regional_trend_without_optional_outputs_returns_the_numbers(run_alg, climate):
    _, paths, _ = climate
    results = run_alg(
        REGIONAL,
        {
            "TEMPERATURE": paths["TEMPERATURE"],
            "PRECIPITATION": paths["PRECIPITATION"],
            "ARIDITY_CONVENTION": 1,
        },
    )
    assert results["TEMPERATURE_SLOPE"] > 0 and results["PRECIPITATION_SLOPE"] > 0
    assert "ARIDITY_SLOPE" not in results or results["ARIDITY_SLOPE"] is None
    assert "warming" in results["DIRECTION"]
