"""Future-trend classes from Sen slope x Hurst (x significance): every class by hand, nodata, errors."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from core.common.classes import CLASS_NODATA, FUTURE_4, FUTURE_8
from core.stats.future_trend import future_trend_class

NAN = np.nan


def test_four_classes_by_hand():
    slope = [0.4, 0.4, -0.3, -0.3, 0.0, 0.0, 0.4, -0.3, 1e-12, -1e-12]
    hurst = [0.9, 0.2, 0.2, 0.9, 0.9, 0.2, 0.5, 0.5, 0.51, 0.49]
    got = future_trend_class(slope, hurst)
    assert got.dtype == np.uint8
    assert_array_equal(got, [1, 2, 3, 4, 5, 5, 5, 5, 1, 3])


def test_four_class_codes_match_the_scheme_names():
    cases = {
        (0.4, 0.9): "Continuous improvement",
        (0.4, 0.2): "Future degradation",
        (-0.3, 0.2): "Future improvement",
        (-0.3, 0.9): "Continuous degradation",
        (0.0, 0.9): "Undetermined",
        (0.4, 0.5): "Undetermined",
    }
    for (b, h), name in cases.items():
        code = int(future_trend_class([b], [h])[0])
        assert FUTURE_4.name_of(code).startswith(name)


def test_eight_classes_by_hand():
    #            β     H    p
    cases = [
        (0.4, 0.9, 0.01, 1),  # continuous improvement, significant
        (0.4, 0.9, 0.30, 2),  # continuous improvement, not significant
        (0.4, 0.2, 0.01, 3),  # future degradation from a significant increase
        (0.4, 0.2, 0.30, 4),  # future degradation from a non-significant increase
        (-0.3, 0.2, 0.30, 5),  # future improvement from a non-significant decrease
        (-0.3, 0.2, 0.01, 6),  # future improvement from a significant decrease
        (-0.3, 0.9, 0.30, 7),  # continuous degradation, not significant
        (-0.3, 0.9, 0.01, 8),  # continuous degradation, significant
        (0.0, 0.9, 0.01, 9),  # no trend
        (0.4, 0.5, 0.01, 9),  # H = 0.5
        (-0.3, 0.5, 0.30, 9),
        (0.4, 0.9, 0.05, 2),  # p = alpha is not significant (p < alpha)
        (0.4, 0.9, 0.0499, 1),
    ]
    b, h, p, expected = (list(c) for c in zip(*cases))
    got = future_trend_class(b, h, p=p)
    assert got.dtype == np.uint8
    assert_array_equal(got, expected)


def test_eight_class_codes_match_the_scheme_names():
    cases = {
        (0.4, 0.9, 0.01): "Continuous improvement, significant",
        (0.4, 0.9, 0.3): "Continuous improvement, not significant",
        (0.4, 0.2, 0.01): "Future degradation, from significant increase",
        (0.4, 0.2, 0.3): "Future degradation, from non-significant increase",
        (-0.3, 0.2, 0.3): "Future improvement, from non-significant decrease",
        (-0.3, 0.2, 0.01): "Future improvement, from significant decrease",
        (-0.3, 0.9, 0.3): "Continuous degradation, not significant",
        (-0.3, 0.9, 0.01): "Continuous degradation, significant",
        (0.0, 0.9, 0.01): "Undetermined",
    }
    for (b, h, p), name in cases.items():
        code = int(future_trend_class([b], [h], p=[p])[0])
        assert FUTURE_8.name_of(code).startswith(name)
    assert len({int(future_trend_class([b], [h], p=[p])[0]) for b, h, p in cases}) == len(FUTURE_8.codes)


def test_alpha_moves_the_significance_threshold():
    b, h, p = [0.4, 0.4], [0.9, 0.9], [0.005, 0.03]
    assert_array_equal(future_trend_class(b, h, p=p), [1, 1])
    assert_array_equal(future_trend_class(b, h, p=p, alpha=0.01), [1, 2])


def test_nan_in_any_input_is_nodata():
    b = [NAN, 0.4, 0.4, 0.0, NAN]
    h = [0.9, NAN, 0.9, NAN, 0.5]
    p = [0.01, 0.01, NAN, 0.01, 0.01]
    assert_array_equal(future_trend_class(b, h), [0, 0, 1, 0, 0])
    assert_array_equal(future_trend_class(b, h, p=p), [CLASS_NODATA] * 5)


def test_any_shape_is_kept():
    b = np.array([[0.4, -0.3], [0.0, NAN]])
    h = np.array([[0.9, 0.9], [0.2, 0.2]])
    assert_array_equal(future_trend_class(b, h), [[1, 4], [5, 0]])
    assert future_trend_class(0.4, 0.2).shape == ()
    assert int(future_trend_class(0.4, 0.2)) == 2
    assert future_trend_class(np.empty((0, 3)), np.empty((0, 3)), p=np.empty((0, 3))).shape == (0, 3)


def test_integer_and_float32_inputs():
    assert_array_equal(future_trend_class(np.array([1, -1, 0]), np.array([1, 0, 1])), [1, 3, 5])
    b32 = np.array([0.4, -0.3], dtype=np.float32)
    h32 = np.array([0.9, 0.2], dtype=np.float32)
    assert_array_equal(future_trend_class(b32, h32, p=np.array([0.01, 0.2], dtype=np.float32)), [1, 5])


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([0.1, 0.2], [0.6]), {}, r"slope and hurst must have the same shape, got \(2,\) and \(1,\)"),
        (([[0.1, 0.2]], [0.6, 0.7]), {}, "slope and hurst must have the same shape"),
        (([0.1], [0.6]), {"p": [0.01, 0.02]}, r"p must have the same shape as slope"),
        (([0.1], [0.6]), {"p": [1.5]}, r"p must hold p-values in \[0, 1\]"),
        (([0.1], [0.6]), {"p": [-0.1]}, r"p must hold p-values in \[0, 1\]"),
        (([0.1], [0.6]), {"p": [0.01], "alpha": 0.0}, "alpha must be a number with 0 < alpha < 1"),
        (([0.1], [0.6]), {"p": [0.01], "alpha": 1.0}, "alpha must be a number with 0 < alpha < 1"),
        (([0.1], [0.6]), {"p": [0.01], "alpha": "0.05"}, "alpha must be a number"),
        ((["a"], [0.6]), {}, "slope must be a real numeric array"),
        (([0.1], [None]), {}, "hurst must be a real numeric array"),
    ],
)
def test_invalid_input_raises(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        future_trend_class(*args, **kwargs)
