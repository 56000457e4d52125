"""What the algorithms share, apart from the algorithms themselves.

``base`` (the base algorithm: identity, help, the one error mapping, the I/O guard around every run),
``io_guard`` (outputs never destroy inputs), ``dependencies`` (optional Python packages and how to install
them), ``raster_engine`` (the QGIS adapter over :mod:`core.engine`), ``vector_io`` (point layers and tables
to numpy and back), ``moran_inputs`` (the raster-or-vector input of the Moran algorithms), ``styling`` (the
one post-processor that styles loaded outputs), ``map_render`` (maps rendered by QGIS for reports),
``compat`` (QGIS version differences). Each leaf module in :mod:`algorithms` is one Processing algorithm
and imports no other.
"""
