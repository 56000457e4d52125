"""One exception mapping, in the base class: what the core raises about the user's input reaches the user
as a QgsProcessingException with the core's message; a cancelled run says so; programming errors keep
their type and traceback; a QgsProcessingException of the algorithm passes unchanged."""

import errno

import pytest


@pytest.fixture
def raising(qgis_app):
    """A leaf algorithm whose processAlgorithm raises the exception it is given."""
    from carbon_sink_diagnostics.algorithms.support.base import CarbonSinkAlgorithm

    class Raising(CarbonSinkAlgorithm):
        NAME, DISPLAY_NAME, GROUP_ID = "raising", "Raising", "demo"

        def __init__(self, exc=None):
            super().__init__()
            self.exc = exc

        def initAlgorithm(self, config=None):  # noqa: N802
            pass

        def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
            if self.exc is not None:
                raise self.exc
            return {"OK": 1}

    def run(exc, cancel=False):
        from qgis.core import QgsProcessingContext, QgsProcessingFeedback

        feedback = QgsProcessingFeedback()
        if cancel:
            feedback.cancel()
        return Raising(exc).processAlgorithm({}, QgsProcessingContext(), feedback)

    return run


def _core():
    from carbon_sink_diagnostics.core.common import errors, files
    from carbon_sink_diagnostics.core.engine import raster

    return errors, files, raster


@pytest.mark.parametrize("kind", ["ValueError", "RasterInputError", "OutputPathError"])
def test_core_value_errors_become_processing_exceptions_with_the_core_message(raising, kind):
    from qgis.core import QgsProcessingException

    errors, files, raster = _core()
    exc_type = {"ValueError": ValueError, "RasterInputError": raster.RasterInputError}.get(
        kind, files.OutputPathError
    )
    with pytest.raises(QgsProcessingException, match=r"^Layer 'npp': has no CRS$") as err:
        raising(exc_type("Layer 'npp': has no CRS"))
    assert isinstance(err.value.__cause__, exc_type)


def test_a_named_core_error_carries_the_name_of_the_input(raising):
    from qgis.core import QgsProcessingException

    errors, _, _ = _core()

    def fail():
        with errors.naming("Model 'm.npz'"):
            raise ValueError("the factors do not match")

    with pytest.raises(QgsProcessingException, match=r"^Model 'm.npz': the factors do not match$"):
        try:
            fail()
        except ValueError as exc:
            raising(exc)


def test_the_core_cancel_says_the_run_was_cancelled(raising):
    from qgis.core import QgsProcessingException

    errors, _, raster = _core()
    assert raster.Cancelled is errors.Cancelled  # one cancel type
    with pytest.raises(QgsProcessingException, match="Cancelled by the user; no output was written"):
        raising(errors.Cancelled())


def test_a_run_whose_feedback_was_cancelled_fails_even_if_the_algorithm_returns(raising):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Cancelled by the user"):
        raising(None, cancel=True)
    assert raising(None) == {"OK": 1}


def test_a_file_system_error_names_the_file(raising):
    from qgis.core import QgsProcessingException

    exc = PermissionError(errno.EACCES, "Permission denied", "/data/model.npz")
    with pytest.raises(QgsProcessingException, match=r"^Raising: /data/model.npz: Permission denied$"):
        raising(exc)


@pytest.mark.parametrize(
    "exc", [TypeError("bad call"), AttributeError("no attr"), KeyError("k"), RuntimeError("gdal")]
)
def test_programming_errors_are_not_disguised_as_user_errors(raising, exc):
    with pytest.raises(type(exc)):
        raising(exc)


def test_a_processing_exception_of_the_algorithm_passes_unchanged(raising):
    from qgis.core import QgsProcessingException

    original = QgsProcessingException("Layer 'plots' has no points")
    with pytest.raises(QgsProcessingException) as err:
        raising(original)
    assert err.value is original


def test_a_missing_package_stops_the_run_before_it_starts(qgis_app, monkeypatch):
    """qgis_process does not ask canExecute: prepareAlgorithm checks REQUIRES, for every algorithm."""
    from carbon_sink_diagnostics.algorithms.hurst_exponent import HurstExponent
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    monkeypatch.setattr(HurstExponent, "REQUIRES", ("surely_not_installed_pkg",))
    alg = QgsApplication.processingRegistry().createAlgorithmById("carbonsink:hurstexponent")
    with pytest.raises(QgsProcessingException, match="surely_not_installed_pkg.*pip install"):
        alg.prepareAlgorithm({}, QgsProcessingContext(), QgsProcessingFeedback())
