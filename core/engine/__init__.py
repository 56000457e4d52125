"""The block-wise raster engine over GDAL: stacks, grids, true pixel areas, windows, GeoTIFF outputs.

Imports :mod:`core.common`; never the statistics or the carbon domain (kernels are passed in).
"""
