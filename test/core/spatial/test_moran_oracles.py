"""The oracles of the Moran tests are right: local Moran's I moments on esda's desmith data.

esda's own test (test_moran.py, test_local_moments, esda >= 2.8) gives, on the desmith data (de Smith,
Goodchild & Longley 2015, Figure 5-31; libpysal.examples "desmith"), E[I_i] = -1/9 and the variances
below. esda 2.6 and 2.7 compute the kurtosis b2 per site (z_i**4 / n instead of sum(z**4) / n,
pysal/esda#390) and give 0.4737 where the right value is 0.3944: those versions are not an oracle for
the variance. CI runs esda 2.7 on Debian 12 (numpy 1.24 allows no newer) and the newest on Debian 13.
"""

import numpy as np
import pytest
from scipy import sparse

from core.spatial import moran as mk

# desmith.txt and desmith.gal (ids 1..10 -> positions 0..9)
DESMITH_Z = np.array([2.24, 3.10, 4.55, -5.15, -4.39, 0.46, 5.54, 9.02, -2.09, -3.06])
DESMITH_GAL = {1: [2, 4], 2: [1, 5], 3: [4, 7], 4: [1, 3, 5, 8], 5: [2, 4, 6, 9], 6: [5, 10], 7: [3, 8]}
DESMITH_GAL.update({8: [4, 7, 9], 9: [5, 8, 10], 10: [6, 9]})
# esda's test literal (row-standardised weights, permutations=0)
ESDA_EI = -1.0 / 9.0
ESDA_VI = np.array(
    [0.394432, 0.394432, 0.394432, 0.148043, 0.148043, 0.394432, 0.394432, 0.230173, 0.230173, 0.394432]
)


def _weights():
    rows = [i - 1 for i, nb in DESMITH_GAL.items() for _ in nb]
    cols = [j - 1 for nb in DESMITH_GAL.values() for j in nb]
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(10, 10))
    return mk.analysed_weights(a, np.ones(10, dtype=bool))


def test_local_moran_moments_equal_esdas_published_values():
    aw = _weights()
    assert aw.card.tolist() == [2, 2, 2, 4, 4, 2, 2, 3, 3, 2]
    res = mk.local_moran_sparse(DESMITH_Z, aw, inference="analytic")
    e, v = mk.anselin_moments(1.0, 1.0 / aw.card, 10, res["b2"])
    np.testing.assert_allclose(e, ESDA_EI, rtol=1e-12)
    np.testing.assert_allclose(v, ESDA_VI, rtol=5e-6)
    # the z-scores the plugin reports use exactly these moments
    np.testing.assert_allclose(res["z"], (res["Ii"] - ESDA_EI) / np.sqrt(ESDA_VI), rtol=5e-6)


def test_the_per_site_kurtosis_of_esda_before_2_8_is_not_the_variance():
    aw = _weights()
    z = DESMITH_Z - DESMITH_Z.mean()
    m2 = np.mean(z**2)
    _, v_per_site = mk.anselin_moments(1.0, 1.0 / aw.card, 10, (z**4 / 10) / m2**2)
    assert v_per_site[0] == pytest.approx(0.4737, abs=5e-5)  # what esda 2.6/2.7 report for site 1
    assert not np.allclose(v_per_site, ESDA_VI, rtol=1e-3)


def test_installed_esda_is_used_as_an_oracle_only_where_it_is_right():
    esda_moran = pytest.importorskip("esda.moran")
    libpysal_weights = pytest.importorskip("libpysal.weights")
    import esda

    w = libpysal_weights.W({i - 1: [j - 1 for j in nb] for i, nb in DESMITH_GAL.items()})
    ref = esda_moran.Moran_Local(DESMITH_Z, w, transformation="r", permutations=0)
    aw = _weights()
    res = mk.local_moran_sparse(DESMITH_Z, aw, inference="analytic")
    _, v = mk.anselin_moments(1.0, 1.0 / aw.card, 10, res["b2"])
    np.testing.assert_allclose(ref.EI, ESDA_EI, rtol=1e-12)
    if tuple(int(x) for x in esda.__version__.split(".")[:2]) >= (2, 8):
        np.testing.assert_allclose(ref.VI, v, rtol=1e-10)  # fixed esda agrees with the core
    else:
        assert ref.VI[0] == pytest.approx(0.4737, abs=5e-5)  # the known error, not an oracle
