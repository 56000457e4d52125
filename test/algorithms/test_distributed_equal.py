"""The distributed runner (core/distributed) writes the pixels the plugin's algorithms write.

Each step runs through ``processing.run`` (the single-machine engine) and as a job on a LocalCluster of
2 worker processes × 1 thread, with chunks of whole input tiles; the outputs must be ``numpy.array_equal``
with the same nodata, band descriptions, colour tables and category names, the class rasters' QML the
same file, and the class pixel counts and counters the same numbers. Also the submitdaskjob algorithm:
a job file submitted to a scheduler address from QGIS, and its refusals.
"""

import csv
import json

import numpy as np
import pytest
from dask_inputs import metadata, pixels, write_tiled_stack

from core.distributed import run_job

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.qgis


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    return write_tiled_stack(tmp_path_factory.mktemp("dask-alg") / "cd.tif")


@pytest.fixture(scope="module")
def scheduler(qgis_app):
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="1GB"
    ) as cluster:
        yield cluster.scheduler_address


def _param(alg_id, *names):
    """The first of ``names`` the algorithm has (parameters being renamed to the vocabulary)."""
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    return next(n for n in names if alg.parameterDefinition(n) is not None)


CASES = {
    "smk": ("senmannkendall", {}, ("SLOPE", "TREND_CLASS", "Z_SCORE", "P_VALUE", "S")),
    "smk-hamed-rao-five": (
        "senmannkendall",
        {"METHOD": 1, "FIVE_CLASSES": True, "ALPHA": 0.1},
        ("SLOPE", "TREND_CLASS", "P_VALUE"),
    ),
    "cv": ("coefficientofvariation", {"BREAKS": "0.04,0.08,0.12"}, ("CV", "CV_CLASS")),
    "hurst": ("hurstexponent", {"RS_CONVENTION": 1, "MIN_VALID_PERCENT": 90}, ("HURST",)),
    "hurst-differences": ("hurstexponent", {"DIFFERENCES": True}, ("HURST",)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_dask_job_equals_processing_run(case, stack, scheduler, run_alg, tmp_path):
    step, parameters, outputs = CASES[case]
    (tmp_path / "plugin").mkdir()
    (tmp_path / "dask").mkdir()
    plugin = run_alg(
        f"carbonsink:{step}",
        {"INPUT": [stack], **parameters, **{k: str(tmp_path / "plugin" / f"{k}.tif") for k in outputs}},
    )
    job = {
        "step": step,
        "inputs": {"INPUT": stack},
        "outputs": {k: str(tmp_path / "dask" / f"{k}.tif") for k in outputs},
        "parameters": {**parameters, "MEMORY_MB": 2},
    }
    report = run_job(job, scheduler)
    assert report["workers"] == 2 and report["chunks"] == 9
    for name in outputs:
        a, b = plugin[name], report["outputs"][name]
        assert np.array_equal(pixels(a), pixels(b)), name
        meta_a, meta_b = metadata(a), metadata(b)
        assert meta_a == meta_b, name
        if meta_a["categories"]:  # class rasters: the same style file
            assert (tmp_path / "plugin" / f"{name}.qml").read_text() == (
                tmp_path / "dask" / f"{name}.qml"
            ).read_text()
        summary = plugin.get("CLASS_AREA_SUMMARY", {}).get(name)
        if summary:
            got = report["class_areas"][name]
            assert [r["pixels"] for r in summary] == [r["pixels"] for r in got]
            # the true areas: the plugin sums window by window, the runner chunk by chunk (±1e-7)
            assert [r["area_ha"] for r in summary] == pytest.approx([r["area_ha"] for r in got], rel=1e-6)
    if step == "coefficientofvariation":
        assert plugin["NOT_POSITIVE_PIXELS"] == report["counters"]["not_positive"]


def test_storage_job_equals_the_carbon_storage_algorithm(stack, scheduler, run_alg, tmp_path):
    alg = "carbonsink:carbonstorage"
    density = _param(alg, "CARBON_DENSITY", "INPUT")
    table = _param(alg, "STORAGE_TABLE", "TABLE")
    plugin = run_alg(
        alg,
        {
            density: [stack],
            "STORAGE": str(tmp_path / "plugin.tif"),
            table: str(tmp_path / "table.csv"),
        },
    )
    job = {
        "step": "carbonstorage",
        "inputs": {"CARBON_DENSITY": stack},
        "outputs": {"STORAGE": str(tmp_path / "dask.tif")},
        "parameters": {"MEMORY_MB": 2},
    }
    report = run_job(job, scheduler)
    # Storage = density × true pixel area, and core.engine.area interpolates the areas of a projected
    # grid over a lattice laid on the window it is asked for: the plugin's own storage raster differs by
    # one float32 step between two MEMORY_MB values (measured: 38,707 pixels, 1.19e-7). The chunks'
    # areas are likewise those of their windows, so the pixels agree to that step, the nodata exactly.
    a, b = pixels(plugin["STORAGE"]).astype(float), pixels(tmp_path / "dask.tif").astype(float)
    assert np.array_equal(a == a.min(), b == b.min())
    valid = a != a.min()
    assert np.max(np.abs(a[valid] - b[valid]) / np.abs(a[valid])) <= 2.4e-7
    assert metadata(plugin["STORAGE"]) == metadata(tmp_path / "dask.tif")
    with open(tmp_path / "table.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["year"]) for r in rows] == report["totals"]["years"]
    assert [float(r["storage_t"]) for r in rows] == pytest.approx(report["totals"]["storage_t"], rel=1e-7)
    assert float(rows[0]["area_hm2"]) == pytest.approx(report["totals"]["area_hm2"], rel=1e-6)


def test_submit_dask_job_runs_a_job_file_on_a_scheduler_address(stack, scheduler, run_alg, tmp_path):
    job = {
        "step": "senmannkendall",
        "inputs": {"INPUT": stack},
        "outputs": {"SLOPE": str(tmp_path / "slope.tif"), "TREND_CLASS": str(tmp_path / "class.tif")},
        "parameters": {"MEMORY_MB": 2},
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    results = run_alg("carbonsink:submitdaskjob", {"JOB": str(path), "SCHEDULER": scheduler})
    assert results["SLOPE"] == str(tmp_path / "slope.tif")
    assert results["PIXELS_COMPUTED"] == json.loads(results["RUN_REPORT"])["pixels_computed"] > 0
    plugin = run_alg(
        "carbonsink:senmannkendall",
        {"INPUT": [stack], "SLOPE": str(tmp_path / "p.tif"), "TREND_CLASS": str(tmp_path / "pc.tif")},
    )
    assert np.array_equal(pixels(plugin["SLOPE"]), pixels(tmp_path / "slope.tif"))
    assert np.array_equal(pixels(plugin["TREND_CLASS"]), pixels(tmp_path / "class.tif"))


def test_submit_dask_job_never_starts_workers_and_names_an_unreachable_scheduler(stack, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "job.json"
    path.write_text(
        json.dumps(
            {
                "step": "hurstexponent",
                "inputs": {"INPUT": stack},
                "outputs": {"HURST": str(tmp_path / "h.tif")},
            }
        )
    )
    for refused in ("local:2", "serial"):
        with pytest.raises(QgsProcessingException, match="never starts workers"):
            run_alg("carbonsink:submitdaskjob", {"JOB": str(path), "SCHEDULER": refused})
    with pytest.raises(QgsProcessingException, match=r"scheduler at tcp://127.0.0.1:9 cannot be reached"):
        run_alg(
            "carbonsink:submitdaskjob", {"JOB": str(path), "SCHEDULER": "tcp://127.0.0.1:9", "TIMEOUT": 2}
        )
    assert not (tmp_path / "h.tif").exists()


def test_lisa_job_equals_the_local_moran_algorithm(stack, scheduler, run_alg, tmp_path):
    alg = "carbonsink:localmoran"
    names = {
        "cluster": _param(alg, "LISA_CLUSTER", "CLUSTER"),
        "Ii": _param(alg, "LOCAL_I", "II"),
        "z": _param(alg, "Z_SCORE", "Z"),
        "p": _param(alg, "P_VALUE", "P"),
        "quadrant": "QUADRANT",
    }
    plugin = run_alg(
        alg,
        {
            "INPUT_RASTER": stack,
            "BAND": 5,
            "INFERENCE": 1,
            **{v: str(tmp_path / f"plugin_{k}.tif") for k, v in names.items()},
        },
    )
    job = {
        "step": "localmoran",
        "inputs": {"INPUT_RASTER": stack},
        "outputs": {v: str(tmp_path / f"dask_{k}.tif") for k, v in names.items()},
        "parameters": {"BAND": 5, "INFERENCE": "analytic", "MEMORY_MB": 2},
    }
    report = run_job(job, scheduler)
    assert report["chunks"] == 9 and report["workers"] == 2
    for key, name in names.items():
        a, b = tmp_path / f"plugin_{key}.tif", tmp_path / f"dask_{key}.tif"
        assert np.array_equal(pixels(a), pixels(b)), name
        assert metadata(a) == metadata(b), name
    for key in ("cluster", "quadrant"):
        assert (tmp_path / f"plugin_{key}.qml").read_text() == (tmp_path / f"dask_{key}.qml").read_text()
    rows = plugin["CLASS_AREA_SUMMARY"][names["cluster"]]
    assert [r["pixels"] for r in rows] == [r["pixels"] for r in report["class_areas"][names["cluster"]]]


def test_global_moran_job_equals_the_global_moran_algorithm(stack, scheduler, run_alg, tmp_path):
    plugin = run_alg("carbonsink:globalmoran", {"INPUT_RASTER": stack, "BAND": 5, "WEIGHTS": 1})
    job = {
        "step": "globalmoran",
        "inputs": {"INPUT_RASTER": stack},
        "parameters": {"BAND": 5, "WEIGHTS": "rook", "MEMORY_MB": 2},
    }
    moran = run_job(job, scheduler)["moran"]
    assert moran["n"] == plugin["N"]
    # the plugin adds its strips' float sums in order, the runner math.fsum partials: the same to ~1e-15
    pairs = {
        "I": "I",
        "EI": "EI",
        "VI_NORM": "VI_norm",
        "VI_RAND": "VI_rand",
        "Z_NORM": "z_norm",
        "Z_RAND": "z_rand",
    }
    for theirs, ours in pairs.items():
        assert moran[ours] == pytest.approx(plugin[theirs], rel=1e-12), theirs
