"""What the algorithms share, apart from the algorithms themselves.

``base`` (the base algorithm: identity, help, errors, the I/O guard), ``io_guard`` (outputs never
destroy inputs), ``raster_engine`` (the QGIS adapter over :mod:`core.engine`), ``vector_io`` (point
layers and tables to numpy and back), ``map_render`` (maps rendered by QGIS for reports).
Each leaf module in :mod:`algorithms` is one Processing algorithm.
"""
