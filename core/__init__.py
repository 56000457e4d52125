"""Numerical core of Carbon Sink Diagnostics.

Pure numpy/scipy (and GDAL for raster I/O in :mod:`core.raster`); nothing here imports ``qgis``.
Kernels take a block of pixels as a ``(n_times, n_pixels)`` float array with NaN for missing values
and return arrays of shape ``(n_pixels,)``, so the same functions run block by block under the raster
engine here and, later, under ``dask.array.map_blocks``.
"""
