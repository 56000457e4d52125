"""Numerical core of Carbon Sink Diagnostics: pure numpy/scipy, with GDAL for raster I/O; never ``qgis``.

Subpackages by layer; a package may import from the packages listed before it, never after:

``common``
    Class schemes (codes, names, colours), QML style text, files written atomically, years in names.
    Imports nothing of the plugin.
``stats``
    Per-pixel statistics kernels (trend, Hurst, Cv, future trend, partial correlation) and correlation
    screening. Kernels take ``(n_times, n_pixels)`` float arrays with NaN for missing values and return
    ``(n_pixels,)`` arrays, so they run block by block under the engine and under ``dask`` alike.
    Imports ``common`` only; no GDAL.
``engine``
    The block-wise raster engine over GDAL: yearly stacks, grids, true pixel areas, windows, GeoTIFF
    outputs, band checks. Imports ``common``.
``spatial``
    Moran's I and LISA: the kernels (``moran``) and their windowed raster driver (``moran_raster``).
    Imports ``common``, ``engine``.
``carbon``
    The carbon-sink workflow: plot carbon, sample augmentation, the carbon-density model, storage,
    climate drivers, land-use contribution, diagnostic zoning; their editable tables in ``data/``.
    Imports ``common``, ``stats``, ``engine``, ``spatial``.
``reports``
    HTML reports and SVG charts rendered from data, escaped by construction. Imports ``common``.
``demo``
    The synthetic demo region and test stacks. May import any of the above.
``distributed``
    The same steps as jobs on a Dask cluster (chunk grid, per-chunk files, COG outputs, exact
    reductions). Imports ``common``, ``stats``, ``engine``, ``spatial``, ``carbon``; ``dask`` and
    ``distributed`` only inside the functions that use a cluster.
"""
