"""submitdaskjob without a cluster: the install hint when Dask is missing, and addresses only."""

import json

import pytest

pytestmark = pytest.mark.qgis


def test_missing_dask_says_how_to_install_it(qgis_app, monkeypatch):
    from carbon_sink_diagnostics.algorithms.submit_dask_job import SubmitDaskJob
    from carbon_sink_diagnostics.algorithms.support import dependencies

    monkeypatch.setattr(dependencies.importlib.util, "find_spec", lambda name: None)
    ok, message = SubmitDaskJob().canExecute()
    assert not ok
    assert (
        "dask, distributed" in message and "pip install" in message and "requirements-cluster.txt" in message
    )


def test_only_a_scheduler_address_is_accepted(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    job = tmp_path / "job.json"
    job.write_text(json.dumps({"step": "hurstexponent", "inputs": {}, "outputs": {}}))
    for value in ("local:4", "serial", "127.0.0.1:8786", "tcp://host:port"):
        with pytest.raises(QgsProcessingException, match="never starts workers|not an address"):
            run_alg("carbonsink:submitdaskjob", {"JOB": str(job), "SCHEDULER": value})
