"""Per-pixel statistics kernels and correlation screening: numpy and scipy only, no GDAL.

Kernels take ``(n_times, n_pixels)`` float arrays with NaN for missing values and return ``(n_pixels,)``
arrays. Imports :mod:`core.common` only.
"""
