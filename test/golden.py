"""Golden files: outputs written once from a known-good version of the code, compared on every run.

A golden file pins an output byte for byte (an SVG, a report's JSON), so that a refactoring that is meant
to change nothing can be seen to change nothing. The files live in ``test/data/golden``; they are written
only on request::

    CARBONSINK_WRITE_GOLDEN=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest test/... -k golden

and then committed; rewrite them only for a change of output that is intended (and say so in the commit).
A missing golden file fails the test.
"""

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
WRITE = os.environ.get("CARBONSINK_WRITE_GOLDEN") == "1"


def golden_text(name, text):
    """``text`` as the golden file ``name`` holds it (written first with ``CARBONSINK_WRITE_GOLDEN=1``)."""
    path = GOLDEN / name
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path}: write it with CARBONSINK_WRITE_GOLDEN=1"
    return path.read_text(encoding="utf-8")


def assert_golden(name, text):
    """``text`` equals the golden file ``name`` byte for byte."""
    expected = golden_text(name, text)
    assert (
        text == expected
    ), f"{name} differs from the golden file (first difference at {_first_diff(text, expected)})"


def _first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"character {i}: {a[max(0, i - 40) : i + 40]!r} vs {b[max(0, i - 40) : i + 40]!r}"
    return f"length {len(a)} vs {len(b)}"
