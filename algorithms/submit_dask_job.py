"""Submit a job file to a Dask scheduler (README: Beyond one machine); never starts workers itself."""

import json
import re

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.common.errors import Cancelled
from .support.base import CarbonSinkAlgorithm, advanced

_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+(:\d+)?/?$")


class SubmitDaskJob(CarbonSinkAlgorithm):
    JOB = "JOB"
    SCHEDULER = "SCHEDULER"
    TIMEOUT = "TIMEOUT"
    PIXELS_COMPUTED = "PIXELS_COMPUTED"
    RUN_REPORT = "RUN_REPORT"

    NAME = "submitdaskjob"
    DISPLAY_NAME = "Submit a job to a Dask cluster"
    GROUP_ID = "cluster"
    REQUIRES = ("dask", "distributed")
    HELP = """
Runs one step of the plugin on a Dask cluster that is already running, chunk by chunk, for rasters larger
than one machine handles: Sen + Mann–Kendall, coefficient of variation, Hurst exponent, carbon storage with
its totals, global Moran's I of a raster and LISA with analytic inference (docs/method.md, steps 5–8 and
12). The pixels written are those of the step's own algorithm; the outputs are Cloud Optimized GeoTIFFs
with the same nodata, band descriptions, colour tables and .qml styles.

Job file

JSON with the algorithm's parameter names, for example
{"step": "senmannkendall", "inputs": {"INPUT": "/data/cd.tif"}, "outputs": {"SLOPE": "/data/slope.tif",
"TREND_CLASS": "/data/trend.tif"}, "parameters": {"ALPHA": 0.05}}. Paths must be the same on this machine
and on the workers (a shared file system).

Scheduler

The address of a running Dask scheduler (tcp://host:8786), for example started under SLURM with
dask-jobqueue or on Kubernetes. This tool never starts workers: QGIS's Python cannot start them. Workers
need Dask and this plugin's folder on their PYTHONPATH; the same job runs without QGIS with
python3 -m core.distributed job.json --scheduler tcp://host:8786 from the plugin folder.

References

Rocklin, M. (2015) Dask: parallel computation with blocked algorithms and task scheduling. Proc. 14th Python
in Science Conf.: 130–136. Cloud Optimized GeoTIFF: GDAL's COG driver (gdal.org/drivers/raster/cog.html).
"""

    def canExecute(self):  # noqa: N802
        ok, message = super().canExecute()
        if not ok:
            message += self.tr(
                " From the plugin folder: python3 -m pip install -r requirements-cluster.txt (numpy is left as it is)."
            )
        return ok, message

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        job = QgsProcessingParameterFile(
            self.JOB, self.tr("Job file (JSON: step, inputs, outputs, parameters)"), extension="json"
        )
        job.setHelp(
            self.tr(
                "The step's id and its inputs, outputs and parameters under the algorithm's own parameter "
                "names; paths as the workers see them."
            )
        )
        self.addParameter(job)
        scheduler = QgsProcessingParameterString(
            self.SCHEDULER,
            self.tr("Dask scheduler address (tcp://host:port of a running scheduler)"),
            defaultValue="tcp://127.0.0.1:8786",
        )
        scheduler.setHelp(self.tr("A running scheduler with at least one worker; no worker is started here."))
        self.addParameter(scheduler)
        timeout = QgsProcessingParameterNumber(
            self.TIMEOUT,
            self.tr("Seconds to wait for the scheduler and its first worker"),
            QgsProcessingParameterNumber.Double,
            defaultValue=30.0,
            minValue=1.0,
            maxValue=3600.0,
        )
        timeout.setHelp(self.tr("The run stops with a message when no worker has joined by then."))
        self.addParameter(advanced(timeout))
        self.addOutput(QgsProcessingOutputNumber(self.PIXELS_COMPUTED, self.tr("Pixels computed")))
        self.addOutput(QgsProcessingOutputString(self.RUN_REPORT, self.tr("Run report (JSON)")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        address = self.parameterAsString(parameters, self.SCHEDULER, context).strip()
        if not _ADDRESS.match(address):
            return False, self.tr(
                "Dask scheduler address '{}' is not an address like tcp://host:8786. This tool only submits to "
                "a running scheduler; it never starts workers inside QGIS."
            ).format(address)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..core.distributed import run_job

        path = self.parameterAsFile(parameters, self.JOB, context)
        address = self.parameterAsString(parameters, self.SCHEDULER, context).strip()
        if not _ADDRESS.match(address):
            raise QgsProcessingException(
                self.tr("Dask scheduler address '{}' is not an address like tcp://host:8786.").format(address)
            )
        try:
            with open(path, encoding="utf-8") as fh:
                job = json.load(fh)
        except json.JSONDecodeError as exc:
            raise QgsProcessingException(
                self.tr("Job file '{}' is not valid JSON: {}").format(path, exc)
            ) from exc
        feedback.pushInfo(self.tr("Submitting '{}' to {}…").format(job.get("step"), address))

        def progress(done, total):
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(100.0 * done / total)

        report = run_job(
            job, address, timeout=self.parameterAsDouble(parameters, self.TIMEOUT, context), progress=progress
        )
        feedback.pushInfo(
            self.tr("{:,} chunks on {} workers in {:.1f} s; {:,} of {:,} pixels computed.").format(
                report["chunks"],
                report["workers"],
                report["seconds"],
                report["pixels_computed"],
                report["pixels_total"],
            )
        )
        for warning in report["warnings"]:
            feedback.pushWarning(warning)
        results = dict(report["outputs"])
        results[self.PIXELS_COMPUTED] = report["pixels_computed"]
        results[self.RUN_REPORT] = json.dumps(report, ensure_ascii=False)
        return results
