"""The carbon-sink workflow: plot carbon, augmentation, the carbon-density model and its prediction
inputs, storage, climate drivers, land-use contribution and diagnostic zoning, with their editable tables
in ``data/``.

Imports :mod:`core.common`, :mod:`core.stats`, :mod:`core.engine` and :mod:`core.spatial`.
"""
