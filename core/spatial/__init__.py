"""Spatial autocorrelation: Moran's I and LISA kernels, and their windowed raster driver.

Imports :mod:`core.common` and :mod:`core.engine`.
"""
