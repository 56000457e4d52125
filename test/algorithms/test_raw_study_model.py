"""The shipped model that starts from raw downloads (models/whole_study_from_downloads.model3, written by
scripts/build_raw_study_model.py): it loads, validates, takes the downloads folder and the survey, prepares
the stacks first, and exposes every output of the whole-study model it runs (so a rename there shows here)."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def models(qgis_app):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    return registry.algorithmById("carbonsink:wholestudyfromdownloads"), registry.algorithmById(
        "carbonsink:wholestudy"
    )


def test_the_raw_model_loads_and_validates(models):
    raw, _ = models
    assert raw is not None, "models/whole_study_from_downloads.model3 is not loaded by the provider"
    ok, errors = raw.validate()
    assert ok, errors
    children = raw.childAlgorithms()
    assert {c.algorithmId() for c in children.values()} == {
        "carbonsink:preparestacks",
        "carbonsink:wholestudy",
    }
    assert "prepare" in raw.dependsOnChildAlgorithms("study")
    inputs = {d.name() for d in raw.parameterDefinitions() if not d.isDestination()}
    assert {"FOLDER", "VARIABLES", "REFERENCE", "BOUNDARY", "SURVEY_YEAR", "PLOTS", "TREES"} <= inputs


def test_every_output_of_the_whole_study_is_an_output_of_the_raw_model(models):
    raw, study = models
    theirs = {f"study:{d.name()}" for d in study.parameterDefinitions() if d.isDestination()}
    ours = {d.name() for d in raw.parameterDefinitions() if d.isDestination()}
    missing = sorted(theirs - ours)
    assert not missing, f"rebuild the model (scripts/build_raw_study_model.py); missing: {missing}"
    assert {"prepare:STACKS_FOLDER", "prepare:PREPARATION_TABLE"} <= ours


def test_the_study_inputs_are_the_prepared_stacks_by_name(models):
    raw, _ = models
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts" / "build_raw_study_model.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    sources = raw.childAlgorithm("study").parameterSources()
    texts = {
        name: [s.expression() for s in sources[name]] for name in ("TEMPERATURE", "FACTORS", "LANDUSE_START")
    }
    assert texts["TEMPERATURE"] == [f"@{build.STACKS_VARIABLE} || '/TEMPERATURE' || '.tif'"]
    assert (
        len(texts["FACTORS"]) == 5
        and "_STACKS_PATH || '/NPP' || '_' || coalesce(to_int(@SURVEY_YEAR), 2024)" in (texts["FACTORS"][0])
    )
    assert "LANDUSE_START_YEAR" in texts["LANDUSE_START"][0]
    # the table of variables names the stacks the study reads
    names = set(build.table_cells()[:: len(build.VARIABLES[0]) + 6])
    assert names == {
        "NPP",
        "NDVI",
        "PRECIPITATION",
        "TEMPERATURE",
        "DEM",
        "LANDUSE",
        "CLIMATE_ZONE",
        "ECOSYSTEM",
    }
