"""Spatial autocorrelation: Moran's I and LISA kernels, their windowed raster driver, and the weights of
a vector layer's features.

Imports :mod:`core.common` and :mod:`core.engine`.
"""
