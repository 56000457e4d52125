"""The study report explains its blanks and says what produced it (issue 14): pixels with a carbon density but
no Hurst exponent are grey and labelled on the map, counted with their reasons, and the provenance the model
passes (inputs, settings) replaces the list of intermediate files."""

import numpy as np
import pytest

from .test_blank_pixels import _write


@pytest.fixture
def rasters(tmp_path):
    rng = np.random.default_rng(2)
    x = 50 + np.cumsum(rng.normal(0.5, 1.0, (24, 6, 8)), axis=0)
    x[:, 0, :2] = np.nan  # outside the region
    x[:, 1, :5] = 33.9  # constant: no Hurst exponent
    density = _write(tmp_path / "density.tif", x)
    return density, tmp_path


def test_map_legend_labels_the_pixels_not_computed(qgis_app, rasters):
    from carbon_sink_diagnostics.algorithms.support import map_render

    density, tmp = rasters
    h = np.full((6, 8), 0.7)
    h[0, :2] = np.nan
    h[1, :5] = np.nan
    path = _write(tmp / "h.tif", h)
    plain = map_render.render_raster(path, "Hurst exponent H", ramp=("#ff0000", "#0000ff"), dpi=72)
    marked = map_render.render_raster(
        path, "Hurst exponent H", ramp=("#ff0000", "#0000ff"), dpi=72, not_computed=(density, 24)
    )
    assert marked.extra_labels == (map_render.NOT_COMPUTED_LABEL,) and plain.extra_labels == ()
    assert marked.png != plain.png


def test_study_report_counts_blanks_with_reasons_and_shows_the_runs_provenance(run_alg, rasters):
    density, tmp = rasters
    h = run_alg("carbonsink:hurstexponent", {"INPUT": [density], "HURST": str(tmp / "hurst.tif")})
    provenance = "inputs.PLOTS=/data/plots.gpkg\nsettings.SEED=42\nsettings.HURST_METHOD=1\nsettings.MAX_CORRELATION=0.8"
    out = run_alg(
        "carbonsink:studyreport",
        {
            "CARBON_DENSITY": [density],
            "HURST": h["HURST"],
            "PROVENANCE": provenance,
            "CARBON_DENSITY_YEARS": "2001-2024",
            "DPI": 72,
            "REPORT": str(tmp / "study.html"),
        },
    )
    html = open(out["REPORT"], encoding="utf-8").read()
    assert "Summary of findings" in html and "Period 2001–2024" in html
    assert "Not computed: 5 of the 46 pixels with a carbon density" in html
    assert "5 pixels: the same value in every year" in html and "Reading H: R/S is biased upwards" in html
    assert "/data/plots.gpkg" in html and "Anis–Lloyd corrected R/S" in html and "MAX_CORRELATION" in html
    assert "density.tif" not in html.split("Original inputs", 1)[1].split("</tr>", 1)[0]
