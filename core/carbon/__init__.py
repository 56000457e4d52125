"""The carbon-sink workflow: plot carbon, augmentation, the carbon-density model and its prediction
inputs, storage, climate drivers, land-use contribution and diagnostic zoning, with their editable tables
in ``data/``, and the reports of these steps as documents (``*_report.py``: what each step's HTML page
and JSON data say).

Imports :mod:`core.common`, :mod:`core.stats`, :mod:`core.engine`, :mod:`core.spatial` and
:mod:`core.reports`.
"""
