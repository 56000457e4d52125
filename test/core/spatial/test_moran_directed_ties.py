"""LISA "directed" pseudo p-values count ties as extreme in both tails (esda's desmith example data)."""

import warnings

import numpy as np
import pytest
from scipy import sparse

from core.spatial import moran as mk

libpysal = pytest.importorskip("libpysal")
esda_moran = pytest.importorskip("esda.moran")
from esda.crand import vec_permutations  # noqa: E402

SEED = 12345  # esda's own test seed for desmith


def _desmith():
    """The desmith values and GAL contiguity as our sparse weights, in the file's order."""
    y = np.array(libpysal.io.open(libpysal.examples.get_path("desmith.txt")).by_col["z"], dtype=float)
    w = libpysal.io.open(libpysal.examples.get_path("desmith.gal")).read()
    ids = list(w.id_order)
    rows = [i for i, k in enumerate(ids) for _ in w.neighbors[k]]
    cols = [ids.index(j) for k in ids for j in w.neighbors[k]]
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    return y, w, mk.analysed_weights(a, np.ones(len(ids), dtype=bool))


def test_directed_p_counts_ties_in_both_tails_on_desmith():
    y, w, aw = _desmith()
    n, k = y.size, 99
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda_moran.Moran_Local(
            y, w, transformation="r", permutations=k, keep_simulations=True, seed=SEED
        )
    draws = vec_permutations(int(aw.card.max()), n, k, SEED)
    ours = mk.local_moran_sparse(y, aw, inference="permutation", draws=draws, alternative="directed")
    np.testing.assert_allclose(ours["Ii"] * (n - 1) / n, ref.Is, rtol=1e-10)
    # The same permutations: a direct count of esda's simulated I, ties (equal up to rounding) in both tails.
    sim = ref.sim.T  # (n, K)
    tol = 1e-9 * np.abs(sim).max()
    ge = (sim >= ref.Is[:, None] - tol).sum(axis=1)
    le = (sim <= ref.Is[:, None] + tol).sum(axis=1)
    expected = (np.minimum(ge, le) + 1.0) / (k + 1.0)
    np.testing.assert_array_equal(ours["p"], expected)
    # Site 0 has 2 of 9 possible neighbours, so many of the 99 draws repeat its observed lag: counted in
    # the upper tail only it came out 0.22; the lower tail holds those ties too.
    assert ge[0] != le[0]
    assert ours["p"][0] == pytest.approx(0.27)


def test_directed_count_by_hand_with_exact_ties():
    """One site, five permuted lags, two of them equal to the observed lag: both tails hold the ties."""
    draws = np.array([[0], [1], [2], [3], [4]])  # n = 6 sites, one neighbour each
    z = np.array([1.0, -2.0, 0.5, 0.5, 3.0, 0.0])
    # the site at position 5 sees z[draws] (draws below it); its observed lag 0.5 is tied by two draws
    test = mk.LocalPermutationTest(6, draws, z[draws], z[np.minimum(draws + 1, 5)], alternative="directed")
    count, _, _ = test.counts(np.array([5]), np.array([1]), np.array([1.0]), np.array([0.5]))
    # permuted lags 1, -2, 0.5, 0.5, 3: >= 0.5 -> 4, <= 0.5 -> 3; the smaller tail with its ties is 3
    assert count.tolist() == [3]
