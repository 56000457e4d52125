"""Local Moran's I of an array against a golden file (issue 12: the function was split into named steps).

The golden file holds the outputs and the result fields of the code before the split, for analytic and
permutation inference, with and without the FDR correction, in strips of a few rows. Codes and counts are
compared exactly, floats to 1e-12 relative (scipy's normal tail may differ in the last bit between platforms).
"""

import io
import math

import numpy as np
import pytest
from golden import GOLDEN, WRITE

from core.spatial.moran_raster import local_moran_raster

RUNS = {
    "analytic": {"inference": "analytic"},
    "analytic_fdr_rook": {"inference": "analytic", "fdr": True, "contiguity": "rook", "alpha": 0.1},
    "permutation": {"inference": "permutation", "permutations": 99, "seed": 7},
    "permutation_fdr_directed": {
        "inference": "permutation",
        "permutations": 49,
        "seed": 3,
        "fdr": True,
        "alternative": "directed",
    },
    "aggregated_auto": {"aggregate": 2},
}
SCALARS = (
    "inference",
    "n",
    "n_valid",
    "n_isolated",
    "mean",
    "m2",
    "b2",
    "global_I",
    "permutations",
    "threshold",
)


def _values():
    rng = np.random.default_rng(2024)
    rows, cols = 12, 10
    trend = np.add.outer(np.linspace(0, 3, rows), np.linspace(0, 2, cols))
    v = trend + rng.normal(0, 0.8, (rows, cols))
    v[0, 5] = v[4, 4] = np.nan
    v[7, :3] = np.nan
    v[11, 9] = 5.0
    v[10, 8] = v[10, 9] = v[11, 8] = np.nan  # (11, 9) is isolated
    return v


def _run(kwargs):
    r = local_moran_raster(_values(), memory_mb=0.01, **kwargs)
    out = {f"array_{k}": v for k, v in r.arrays.items()}
    for name in SCALARS:
        out[name] = np.asarray(getattr(r, name))
    out["report"] = np.asarray(
        repr(
            (
                r.report.pixels_total,
                r.report.pixels_computed,
                r.report.counters,
                [(a.code, a.pixels) for a in r.report.class_areas["cluster"]],
                [(a.code, a.pixels) for a in r.report.class_areas["quadrant"]],
                r.report.warnings,
                r.notes,
            )
        )
    )
    return out


@pytest.mark.parametrize("name", sorted(RUNS))
def test_local_moran_raster_matches_golden(name):
    got = _run(RUNS[name])
    path = GOLDEN / "moran_raster" / f"{name}.npz"
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.savez_compressed(buf, **got)
        path.write_bytes(buf.getvalue())
    with np.load(path) as expected:
        assert sorted(expected.files) == sorted(got)
        for key in expected.files:
            a, b = got[key], expected[key]
            assert a.dtype == b.dtype and a.shape == b.shape, key
            if a.dtype.kind == "f":
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, equal_nan=True, err_msg=key)
            else:
                np.testing.assert_array_equal(a, b, err_msg=key)
    assert math.isfinite(float(got["global_I"]))
