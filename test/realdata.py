"""Where the real data of the tests is (fetched by scripts/fetch_realdata.py during `make test`'s set-up)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(os.environ.get("CSD_REALDATA", ROOT / "build" / "realdata"))


def realdata_dir():
    """The fetched real data; without it, the test is skipped — but fails under CI, where set-up fetched it."""
    if not (REALDATA / ".complete").exists():
        message = f"real data not fetched: run `make setup` (scripts/fetch_realdata.py) to fill {REALDATA}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REALDATA
