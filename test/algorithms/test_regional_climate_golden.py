"""Regional climate trend through processing.run against a golden file of everything it returns and says.

The golden file was written by the code before ``processAlgorithm`` was made thin (issue 12): the results,
both tables, the log (information and warnings), the report's data and the refusal of a stack where no
pixel is valid in every year. Texts are compared exactly, numbers to 1e-12 relative: the true pixel areas
(GDAL) and the p-values (scipy) may differ in the last bit between platforms.
"""

import json
import math
import re

import numpy as np
import pytest
from golden import golden_text
from live_markup import assert_written_from_one_document
from rasters import write_raster

from core.reports.document import PLUGIN

pytestmark = pytest.mark.qgis

REGIONAL = "carbonsink:regionalclimatetrend"
YEARS = list(range(2003, 2009))  # 6 years: the short-series warning


@pytest.fixture(scope="module")
def stacks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regional_golden")
    rng = np.random.default_rng(11)
    n, rows, cols = len(YEARS), 4, 5
    t = np.arange(n)[:, None, None]
    temperature = 7.0 + 0.08 * t + rng.normal(0, 0.4, (n, rows, cols))
    precipitation = 380.0 - 4.0 * t + rng.normal(0, 30, (n, rows, cols))
    temperature[2, 1, 1] = np.nan  # a pixel with a missing year
    precipitation[:, 3, :] = np.nan  # a row without precipitation
    aridity = np.concatenate([precipitation / 950.0, precipitation[-1:] / 940.0])  # one extra year, 2009
    gappy = precipitation.copy()
    for i in range(rows):
        for j in range(cols):
            gappy[(i + j) % n, i, j] = np.nan  # every pixel misses a year
    return {
        "TEMPERATURE": [write_raster(folder / "temp.tif", temperature, descriptions=YEARS)],
        "PRECIPITATION": [write_raster(folder / "precip.tif", precipitation, descriptions=YEARS)],
        "ARIDITY": [write_raster(folder / "ai.tif", aridity, descriptions=[*YEARS, 2009])],
        "GAPPY": [write_raster(folder / "gappy.tif", gappy, descriptions=YEARS)],
    }


def _table(layer):
    from qgis.core import QgsVectorLayer

    if isinstance(layer, str):
        layer = QgsVectorLayer(layer)
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def _plain(value):
    """JSON-able: numpy and QVariant-free scalars, NaN as the text "nan"."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _assert_same(got, expected, where="$"):
    if isinstance(expected, float) and isinstance(got, (int, float)):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-300), where
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and list(got) == list(expected), f"{where}: keys {list(got)}"
        for k in expected:
            _assert_same(got[k], expected[k], f"{where}.{k}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), f"{where}: length"
        for i, (a, b) in enumerate(zip(got, expected)):
            _assert_same(a, b, f"{where}[{i}]")
    else:
        assert got == expected, f"{where}: {got!r} != {expected!r}"


def _run(run_alg, feedback, params):
    results = run_alg(REGIONAL, params, feedback)
    # the run time, and the results as processing.run prints them (temporary paths), are left out
    infos = [re.sub(r"finished in [0-9.,]+ s", "finished in … s", s) for s in feedback.infos]
    infos = [s for s in infos if not s.startswith("Results: ")]
    out = {"log": {"infos": infos, "warnings": list(feedback.warnings)}}
    out["results"] = {
        k: v for k, v in results.items() if k not in ("CLIMATE_SERIES", "CLIMATE_TRENDS", "REPORT")
    }
    out["outputs"] = sorted(results)
    for name in ("CLIMATE_SERIES", "CLIMATE_TRENDS"):
        if results.get(name):
            out[name] = _table(results[name])
    if results.get("REPORT"):
        text = json.dumps(assert_written_from_one_document(results["REPORT"], REGIONAL).to_dict())
        out["report"] = json.loads(re.sub(PLUGIN + r" [^\"]+", PLUGIN + " VERSION", text))  # metadata.txt
    return _plain(out)


def test_regional_climate_trend_matches_golden(run_alg, feedback, stacks, tmp_path):
    from qgis.core import QgsProcessingException

    full = _run(
        run_alg,
        feedback,
        {
            "TEMPERATURE": stacks["TEMPERATURE"],
            "PRECIPITATION": stacks["PRECIPITATION"],
            "ARIDITY": stacks["ARIDITY"],
            "TEMPERATURE_UNIT": "K",
            "CLIMATE_SERIES": "TEMPORARY_OUTPUT",
            "CLIMATE_TRENDS": "TEMPORARY_OUTPUT",
            "REPORT": str(tmp_path / "climate.html"),
        },
    )
    feedback.infos.clear()
    feedback.warnings.clear()
    plain = _run(
        run_alg,
        feedback,
        {
            "TEMPERATURE": stacks["TEMPERATURE"],
            "PRECIPITATION": stacks["PRECIPITATION"],
            "ARIDITY": stacks["ARIDITY"],
            "ARIDITY_CONVENTION": 1,
            "ALPHA": 0.2,
        },
    )
    with pytest.raises(QgsProcessingException) as refused:
        run_alg(REGIONAL, {"TEMPERATURE": stacks["TEMPERATURE"], "PRECIPITATION": stacks["GAPPY"]})
    got = {"full": full, "plain": plain, "refused": str(refused.value)}
    text = json.dumps(got, ensure_ascii=False, indent=1) + "\n"
    expected = json.loads(golden_text("regional_climate_trend.json", text))
    _assert_same(got, expected)
