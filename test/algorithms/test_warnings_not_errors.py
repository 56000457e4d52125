"""Warnings of runs that succeed go to feedback.pushWarning ("WARNING:"), never to reportError ("ERROR:")."""

import ast
from pathlib import Path

import numpy as np
import pytest
from rasters import write_raster

pytestmark = pytest.mark.qgis
ROOT = Path(__file__).resolve().parents[2]
# The engine adapters have their own owner and change; every other algorithm is checked here.
ADAPTERS = {"raster_engine.py", "vector_io.py", "base.py"}


def _classes(path, codes, scheme):
    """A uint8 class raster with the scheme's names as GDAL category names (as our outputs are)."""
    from osgeo import gdal

    path = write_raster(path, codes, nodata=0, dtype=gdal.GDT_Byte)
    ds = gdal.Open(path, gdal.GA_Update)
    ds.GetRasterBand(1).SetCategoryNames([scheme.name_of(c) if c in scheme.codes else "" for c in range(10)])
    ds = None
    return path


def test_zoning_reports_an_unused_input_as_a_warning(run_alg, feedback, tmp_path):
    from core.common.classes import FUTURE_4, TREND_3

    trend = _classes(tmp_path / "trend.tif", np.array([[1, 2], [3, 1]]), TREND_3)
    future = _classes(tmp_path / "future.tif", np.array([[1, 2], [3, 4]]), FUTURE_4)
    params = {
        "TREND_CLASS": trend,
        "FUTURE_CLASS": future,
        "RULES": ["Falling", "Significant decrease", "any", "any", "any"],
        "ZONES": str(tmp_path / "z.tif"),
    }
    run_alg("carbonsink:diagnosticzoning", params, feedback)
    assert any(
        "No rule names a class of the Future trend class (layer 'future')" in w for w in feedback.warnings
    )
    assert not feedback.errors


def test_no_algorithm_reports_a_warning_as_a_non_fatal_error():
    offenders = []
    for path in sorted((ROOT / "algorithms").glob("*.py")):
        if path.name in ADAPTERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "reportError"
                and any(
                    k.arg == "fatalError" and getattr(k.value, "value", None) is False for k in node.keywords
                )
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders
