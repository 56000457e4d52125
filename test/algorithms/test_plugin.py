"""The plugin as QGIS loads it: classFactory, provider registered once, clean unload, optional packages,
and outputs loaded into a project styled with their legend."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis
ROOT = Path(__file__).resolve().parents[2]


def _run_python(code):
    """Run code in a fresh interpreter with a QGIS application and the plugin on sys.path."""
    prelude = (
        "import sys;"
        f"sys.path.insert(0, {str(ROOT / 'build' / 'plugins')!r});"
        "from qgis.core import QgsApplication; app = QgsApplication([], False); app.initQgis();"
        "registry = QgsApplication.processingRegistry();"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )


def test_class_factory_registers_the_provider_once_and_unloads(qgis_app):
    done = _run_python(
        "import carbon_sink_diagnostics as csd;"
        "plugin = csd.classFactory(None); plugin.initProcessing(); plugin.initGui();"
        "ids = [a.id() for a in registry.providerById('carbonsink').algorithms()];"
        "print(sum(p.id() == 'carbonsink' for p in registry.providers()), len(ids), len(set(ids)));"
        "plugin.unload(); print(registry.providerById('carbonsink') is None)"
    )
    assert done.returncode == 0, done.stderr
    counts, unloaded = done.stdout.strip().splitlines()[-2:]
    n_providers, n_ids, n_unique = (int(v) for v in counts.split())
    assert n_providers == 1 and n_ids == n_unique >= 8
    assert unloaded == "True"


def test_provider_loads_without_the_optional_packages(qgis_app):
    # scikit-learn, esda and libpysal cannot be imported; the provider still loads every algorithm.
    done = _run_python(
        "sys.modules.update({'sklearn': None, 'esda': None, 'libpysal': None});"
        "from carbon_sink_diagnostics.provider import CarbonSinkProvider;"
        "p = CarbonSinkProvider(); registry.addProvider(p); print(len(p.algorithms()))"
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip().splitlines()[-1]) >= 8


def test_loaded_class_output_is_styled_with_its_legend(qgis_app, sample_stack, tmp_path):
    import processing
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProject

    project = QgsProject.instance()
    out = QgsProcessingOutputLayerDefinition(str(tmp_path / "trend_class.tif"), project)
    processing.runAndLoadResults(
        "carbonsink:senmannkendall",
        {"INPUT": [sample_stack], "TREND_CLASS": out, "SLOPE": "TEMPORARY_OUTPUT"},
    )
    layers = [
        lyr for lyr in project.mapLayers().values() if lyr.source() == str(tmp_path / "trend_class.tif")
    ]
    assert layers, [lyr.source() for lyr in project.mapLayers().values()]
    renderer = layers[0].renderer()
    assert renderer.type() == "paletted"
    assert [c.label for c in renderer.classes()] == [
        "Significant decrease",
        "No significant change",
        "Significant increase",
    ]
    project.removeAllMapLayers()


def test_the_shipped_model_is_listed_and_valid(qgis_app):
    from qgis.core import QgsApplication, QgsProcessingModelAlgorithm

    registry = QgsApplication.processingRegistry()
    model = registry.createAlgorithmById("carbonsink:wholestudy")
    assert model is not None and model.displayName() == "Whole study: plots to diagnostic zones"
    ok, errors = model.validate()  # what the graphical modeler checks when it opens a model
    assert ok, errors
    children = {c.algorithmId() for c in model.childAlgorithms().values()}
    assert {
        "carbonsink:plotcarbondensity",
        "carbonsink:diagnosticzoning",
        "carbonsink:studyreport",
    } <= children
    copy = QgsProcessingModelAlgorithm()
    assert copy.fromFile(str(ROOT / "models" / "whole_study.model3"))  # users can open and edit a copy
