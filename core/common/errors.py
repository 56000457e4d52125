"""The core's errors: the one cancellation type, and the name of the input in a ``ValueError``.

User mistakes (a bad layer, a bad value, a table that cannot be parsed) are ``ValueError`` or one of its
subclasses (``core.engine.raster.RasterInputError``, ``core.common.files.OutputPathError`` …) with a message
that names the input and says what to do. A run stopped by the user's cancel is :class:`Cancelled`,
raised by every loop that polls an ``is_cancelled()`` callback: the block engine, the Moran drivers and
permutation tests, the sample augmentation. The Processing base class turns both into a
``QgsProcessingException`` (``algorithms/support/base.py``); nothing else is translated, so a programming
error keeps its traceback. :func:`naming` adds the name of the input to a message.
"""

import contextlib


class Cancelled(Exception):
    """The run was cancelled by the user; no output was moved into place."""


@contextlib.contextmanager
def naming(subject):
    """Name what a ``ValueError`` raised inside is about: its message becomes ``"<subject>: <message>"``.

    For core functions that do not know the name of their input (a layer, a table, a model file) and
    callers that do. ``subject`` is the text, or a function of the exception that returns it (to name
    different inputs for different errors); an empty subject leaves the message as it is.

    >>> with naming("Layer 'plots'"):
    ...     raise ValueError("no carbon density")
    Traceback (most recent call last):
    ...
    ValueError: Layer 'plots': no carbon density
    """
    try:
        yield
    except ValueError as exc:
        text = subject(exc) if callable(subject) else subject
        if not text:
            raise
        raise ValueError(f"{text}: {exc}") from exc
