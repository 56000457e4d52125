"""HTML reports and SVG charts, rendered from data with every text escaped by construction.

Imports :mod:`core.common` only: the steps hand their results over as data.
"""
