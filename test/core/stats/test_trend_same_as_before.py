"""Issue 16: the faster Sen + Mann–Kendall kernel gives the results of the kernel before it, bit for bit.

``test/data/trend/sen_mk_before_issue16.npz`` holds what ``sen_mann_kendall`` of commit 4cc27c8 (before
issue 16) returned on the stacks of :func:`cases`, written by running this file as a script with that
checkout's ``core`` first on the path (``python test/core/stats/test_trend_same_as_before.py --write
OLD_CHECKOUT``). The stacks come from integer hashing and exact float operations only, so that every
platform builds the same values; they exercise every road of the median selection: the counting passes
and the sorted bracket, columns that fall back to ``np.partition``, whole chunks that do (heavy ties),
few pairs (8 years), gaps in the years, pixels with missing years grouped by their number of valid
years, float64 work arrays, and the Hamed–Rao factor.

Exact: slope, S, n_valid, the Hamed–Rao fallback flags and Var(S) of the original test (integers /
18); Var(S) with the Hamed–Rao factor to 1e-12 (sums of products whose last bit may differ between
numpy versions). Z and p follow from S and Var(S) by code issue 16 left alone. Where the two middle pair slopes tie in float32 with pairs whose float64
slopes differ (``near_ties``), which pair is taken depends on the order ``np.argsort`` gives equal
values: exact under numpy 1 (as when the file was written), to 1e-6 under numpy 2, whose SIMD sorts
may order ties differently (those pixels are ``ambiguous`` in the file).
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "trend", "sen_mk_before_issue16.npz")


def _uniform(shape, seed):
    """Values in [0, 1) from a 64-bit integer hash of the index (the same on every platform)."""
    h = np.arange(int(np.prod(shape)), dtype=np.uint64) + np.uint64(seed * 1_000_003)
    h *= np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(29)
    return ((h >> np.uint64(40)).astype(np.float64) / 2.0**24).reshape(shape)


def _series(n_years, n_pixels, seed, noise=8.0, gaps=0.01):
    t = np.arange(n_years, dtype=np.float64)[:, None]
    trend = (_uniform((n_pixels,), seed) - 0.5) * 1.6
    level = 20.0 + _uniform((n_pixels,), seed + 1) * 60.0
    x = level + trend * t + (_uniform((n_years, n_pixels), seed + 2) - 0.5) * noise
    x[_uniform((n_years, n_pixels), seed + 3) < gaps] = np.nan
    return x


def cases():
    """name -> (values, years)."""
    years24 = np.arange(2001, 2025)
    out = {}
    out["continuous"] = (_series(24, 2500, 1).astype(np.float32), years24)
    quantized = np.round(_series(24, 1500, 2) * 2.0) / 2.0
    quantized[:, :100] = 5.0  # constant series
    quantized[:19, 100:150] = np.nan  # too few years for most
    out["quantized"] = (quantized.astype(np.float32), years24)
    out["coarse"] = (np.round(_series(24, 1000, 3) / 5.0).astype(np.float32), years24)
    mixed = _series(24, 1200, 4)
    mixed[:, ::3] = np.round(mixed[:, ::3] / 4.0)  # a third of the columns heavily tied
    out["mixed"] = (mixed.astype(np.float32), years24)
    out["float64"] = (_series(24, 1000, 5) + 1e-9, years24)
    # pair slopes equal in float32 but not in float64 (0.3 / 3 and 0.1 / 1): which pair is taken matters
    near = _series(24, 1500, 8)
    steps = np.array([0.1, 0.3, 0.7, 1.1, 0.01, 2.3])[(_uniform((750,), 9) * 6).astype(int)]
    near[:, ::2] = steps * np.arange(24.0)[:, None] + np.floor(_uniform((750,), 10) * 50.0)
    outlier = _uniform(near.shape, 11) < 0.04
    near[outlier] += (_uniform(near.shape, 12)[outlier] - 0.5) * 20.0
    out["near_ties"] = (near.astype(np.float32), years24)
    # six points of each series on a line of slope 0.3: a few such pairs in the middle, in the bracket
    planted = 0.3 * np.arange(24.0)[:, None] + (_uniform((24, 1500), 13) - 0.5) * 2.0
    on_line = np.argsort(_uniform((24, 1500), 14), axis=0, kind="stable") < 6
    planted[on_line] = np.broadcast_to(0.3 * np.arange(24.0)[:, None], planted.shape)[on_line]
    out["planted_ties"] = ((planted + 3.0).astype(np.float32), years24)
    out["eight_years"] = (_series(8, 1000, 6).astype(np.float32), np.arange(2001, 2009))
    gap_years = np.array([y + (3 if y > 2012 else 0) for y in range(1985, 2025)])
    out["forty_years_gappy"] = (_series(40, 800, 7, gaps=0.08).astype(np.float32), gap_years)
    return out


def _ambiguous(values, years):
    """Pixels whose middle float32 pair slopes are shared by pairs with different float64 slopes."""
    flags = np.zeros(values.shape[1], dtype=bool)
    work = np.float32 if values.dtype.itemsize <= 4 else np.float64
    for c in range(values.shape[1]):
        ok = ~np.isnan(values[:, c])
        x, t = values[ok, c], years[ok].astype(np.float64)
        if x.size < 2:
            continue
        i, j = np.triu_indices(x.size, 1)
        s32 = (x[j].astype(work) - x[i].astype(work)) / (t[j] - t[i]).astype(work)
        s64 = (x[j].astype(np.float64) - x[i]) / (t[j] - t[i])
        order = np.sort(s32)
        for v in {order[(s32.size - 1) // 2], order[s32.size // 2]}:
            if np.unique(s64[s32 == v]).size > 1:
                flags[c] = True
    return flags


def compute(trend, ambiguous=False):
    """Results of ``trend.sen_mann_kendall`` on every case as flat arrays for the file.

    The slope, S and the number of valid years do not depend on the method; Var(S) and the fallback
    flags are kept for both (Z and p follow from S and Var(S)).
    """
    out = {}
    for name, (values, years) in cases().items():
        for method in ("original", "hamed_rao"):
            res = trend.sen_mann_kendall(values, years, method=method)
            if method == "original":
                out[f"{name}/slope"] = res["slope"]
                out[f"{name}/s"] = res["s"].astype(np.int16)
                out[f"{name}/n_valid"] = res["n_valid"].astype(np.uint8)
            else:
                for key in ("slope", "s", "n_valid"):
                    assert_array_equal(res[key], out[f"{name}/{key}"])
                out[f"{name}/correction_fallback"] = res["correction_fallback"]
            out[f"{name}/{method}/var_s"] = res["var_s"]
        if ambiguous:
            out[f"{name}/ambiguous"] = _ambiguous(values, years)
    return out


@pytest.fixture(scope="module")
def before():
    with np.load(DATA) as data:
        return dict(data)


@pytest.fixture(scope="module")
def now():
    from core.stats import trend

    return compute(trend)


def test_the_cases_are_built_as_when_the_file_was_written(before):
    for name, (values, _) in cases().items():
        assert_array_equal(values.shape[0] - np.isnan(values).sum(axis=0), before[f"{name}/n_valid"])


# numpy 2 sorts small arrays with SIMD networks that may order equal values differently from numpy 1's
# insertion sort; the file was written with numpy 1.24 (Debian 12)
SAME_SORT = np.lib.NumpyVersion(np.__version__) < "2.0.0"


@pytest.mark.parametrize("name", list(cases()))
def test_kernel_gives_the_results_of_the_kernel_before_issue_16(before, now, name):
    sure = ~before[f"{name}/ambiguous"] | SAME_SORT
    for key in ("s", "n_valid", "correction_fallback", "original/var_s"):
        assert_array_equal(now[f"{name}/{key}"], before[f"{name}/{key}"], err_msg=key)
    assert_array_equal(now[f"{name}/slope"][sure], before[f"{name}/slope"][sure], err_msg="slope")
    assert_allclose(now[f"{name}/slope"][~sure], before[f"{name}/slope"][~sure], rtol=1e-6, atol=0)
    # Hamed–Rao detrends with the slope and ranks the residuals: where the slope may differ in its last bits
    # (numpy 2's sort, above) a near-tie of residuals can swap ranks and change the variance outright, so it is
    # compared where the slope is sure
    var_now, var_before = now[f"{name}/hamed_rao/var_s"], before[f"{name}/hamed_rao/var_s"]
    assert_allclose(var_now[sure], var_before[sure], rtol=1e-12, atol=0)


def test_the_cases_take_every_road_of_the_median_selection(monkeypatch):
    """Guards the file's worth: the stacks reach the partition fallbacks and the sorted brackets."""
    from core.stats import trend

    roads = {"partition": 0, "bracket": 0}
    partition, rows = trend._median_partition, trend._median_rows

    def counted_partition(sl, ws):
        roads["partition"] += sl.shape[1]
        return partition(sl, ws)

    def counted_rows(sl, x, t, ws):
        before = roads["partition"]
        out = rows(sl, x, t, ws)
        roads["bracket"] += sl.shape[1] - (roads["partition"] - before)
        return out

    monkeypatch.setattr(trend, "_median_partition", counted_partition)
    monkeypatch.setattr(trend, "_median_rows", counted_rows)
    for values, years in cases().values():
        trend.sen_mann_kendall(values, years)
    assert roads["partition"] > 500 and roads["bracket"] > 2000


if __name__ == "__main__":  # python test/core/stats/test_trend_same_as_before.py --write OLD_CHECKOUT
    if len(sys.argv) != 3 or sys.argv[1] != "--write":
        sys.exit(__doc__)
    sys.path.insert(0, os.path.abspath(sys.argv[2]))
    from core.stats import trend as old_trend

    os.makedirs(os.path.dirname(DATA), exist_ok=True)
    np.savez_compressed(DATA, **compute(old_trend, ambiguous=True))
    print(f"wrote {DATA} from {old_trend.__file__}")
