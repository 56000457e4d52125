"""The plugin's kernels on a Dask cluster: jobs run chunk by chunk, on one machine or many.

A *job* names a step of the plugin (``senmannkendall``, ``coefficientofvariation``, ``hurstexponent``,
``carbonstorage``…), its inputs, outputs and parameters with the algorithms' own names
(:mod:`core.distributed.steps`); :func:`run_job` runs it serially, on a local cluster of N processes, or
on a Dask scheduler at an address, and writes the same pixels as the plugin's single-machine algorithm.

``chunks``
    The chunk grid, aligned to the input's internal tiles.
``io``
    Reading a chunk (with an optional halo) through ``osgeo.gdal``; writing each chunk to its own tile
    file (no lock, any number of worker processes or machines); finishing an output as a Cloud
    Optimized GeoTIFF (VRT → ``gdal.Translate``) with CRS, nodata, band description and QML style.
``steps``
    The steps a job may name: inputs, outputs, parameters and their per-chunk kernels.
``runner``
    :func:`run_job`, the schedulers (``serial``, ``local:N``, ``tcp://host:port``) and the exact
    reduction of counts, class areas and totals.
``__main__``
    The command line: ``python -m core.distributed job.json --scheduler local:2``.

May import numpy, ``osgeo.gdal``, :mod:`core.common`, :mod:`core.stats`, :mod:`core.engine`,
:mod:`core.spatial` and :mod:`core.carbon`; ``dask`` and ``distributed`` only inside the functions that
use a cluster (so that the plugin and its tests run without them). Never ``qgis``.
"""

from .runner import SCHEDULER_HELP, run_job  # noqa: F401
from .steps import STEPS, JobError  # noqa: F401
