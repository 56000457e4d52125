"""The land-use report (its JSON data, and a digest of its HTML page) byte for byte against golden files.

The golden files were written by the code before ``landuse_report`` was split into named steps (issue 12).
The carbon values are whole numbers of t, so the sums behind the report are exact on every platform.
"""

import hashlib

import numpy as np
import pytest
from golden import assert_golden

from core.carbon.landuse import CNLUCC, TransitionAccumulator, contributions, conversion_set
from core.carbon.landuse_report import landuse_report
from core.reports.document import dumps
from core.reports.render import render_html

# As test_landuse.py: a second-level code (12), a pixel without end land use, an unknown code (9).
START = [1, 1, 2, 3, 1, 3, 3, 3, 5, 12, 2, 2, 4, 4, 6, 9]
END = [1, 2, 2, 3, 5, 3, 1, 2, 5, 1, 2, 2, 4, np.nan, 6, 6]
C0 = [10, 10, 50, 8, 10, 8, 8, 8, 2, 11, 50, 50, 0, 0, 1, 1]
C1 = [12, 30, 55, 9, 2, 10, 12, 28, 2, 12, 52, 51, 0, 0, 1.5, 3]
LAYERS = {"start": "lu_2000 <v1>", "end": "lu_2020", "c0": "carbon_2000", "c1": "carbon_2020 & co"}


def _full():
    acc = TransitionAccumulator(CNLUCC).add(START, END, [1e4] * 16, C0, C1)
    acc.add([1, 2], [2, 2], [1e4, 1e4], [np.nan, 3.0], [4.0, 3.5])  # a pixel without start carbon
    conv = conversion_set(acc, "cropland, grassland, forest")
    return landuse_report(
        acc, acc.transitions(), contributions(acc, "end"), "end", "storage", conv, LAYERS, version="9.9.9"
    )


def _zero_total():
    acc = TransitionAccumulator(CNLUCC).add([1, 2], [2, 1], [1e4, 1e4], [5.0, 5.0], [6.0, 4.0])
    return landuse_report(
        acc, acc.transitions(), contributions(acc, "start"), "start", "density", None, LAYERS
    )


@pytest.mark.parametrize("name, build", [("full", _full), ("zero_total", _zero_total)])
def test_landuse_report_matches_golden(name, build):
    report = build()
    assert_golden(f"landuse_report/{name}.json", dumps(report))
    digest = hashlib.sha256(render_html(report).encode("utf-8")).hexdigest()
    assert_golden(f"landuse_report/{name}.html.sha256", digest + "\n")


def test_landuse_report_refuses_an_unknown_basis():
    acc = TransitionAccumulator(CNLUCC).add([1], [2], [1e4], [1.0], [2.0])
    with pytest.raises(ValueError, match=r"basis must be one of \['end', 'start', 'stock'\], got 'middle'"):
        landuse_report(acc, acc.transitions(), contributions(acc, "end"), "middle", "density", None, LAYERS)
