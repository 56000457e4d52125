"""Files the plugin writes: never over an input, never half-written, never in place of a good file.

Every output file is first written to a temporary file beside it (same folder, so the final move is an
atomic rename on the same file system) and moved into place only when it is complete; a failure removes
the temporary file and leaves whatever was at the destination untouched. :func:`check_output_path` says,
before anything is written, why a destination cannot be written (its folder is a file, is read-only...),
and :func:`same_file` tells whether two paths name one file (through links and case-insensitive file
systems), for the check that no output is an input.

Nothing here imports ``qgis``.
"""

from __future__ import annotations

import contextlib
import os
import uuid

__all__ = [
    "OutputPathError",
    "check_output_folder",
    "check_output_path",
    "replacing",
    "same_file",
    "temporary_sibling",
    "write_bytes",
    "write_text",
]


class OutputPathError(ValueError):
    """A destination cannot be written; the message names it and says why."""


def _norm(path) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(os.fspath(path))))


def same_file(a, b) -> bool:
    """Whether paths ``a`` and ``b`` name the same file (existing or not).

    Symbolic links, ``..`` and, on case-insensitive systems, case are resolved; two existing paths are
    also compared by device and inode, which catches hard links.

    >>> same_file("/tmp/a/../x.tif", "/tmp/x.tif")
    True
    """
    if not a or not b:
        return False
    if _norm(a) == _norm(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def temporary_sibling(path, tag: str = "part") -> str:
    """A new, unused file name in the folder of ``path``, hidden and keeping its extension.

    ``/data/slope.tif`` → ``/data/.slope.tif.3f2a9c1e.part.tif``: the extension is kept so drivers that
    choose the format from it (CSV, GeoPackage) still do.
    """
    path = os.path.abspath(os.fspath(path))
    folder, base = os.path.split(path)
    ext = os.path.splitext(base)[1]
    return os.path.join(folder, f".{base}.{uuid.uuid4().hex[:8]}.{tag}{ext}")


def _check_parent(folder, path, label, what):
    """The nearest existing folder above ``path`` must be a folder we may write in."""
    probe = folder
    while probe and not os.path.exists(probe):
        up = os.path.dirname(probe)
        if up == probe:
            break
        probe = up
    if probe and os.path.exists(probe) and not os.path.isdir(probe):
        raise OutputPathError(
            f"{label}: cannot create {path}: {probe} is a file, not a folder; choose {what}"
        )
    if probe and not os.access(probe, os.W_OK | os.X_OK):
        raise OutputPathError(
            f"{label}: cannot write {path}: the folder {probe} is read-only (no permission to create "
            "files there); choose a folder you can write to"
        )


def check_output_path(path, label: str = "Output") -> None:
    """Raise :class:`OutputPathError` when a file cannot be created at ``path``.

    Checked: the path is not a folder; the nearest existing parent is a folder (not a file); that
    folder is writable (when the path's folder does not exist yet, it will be created there).
    """
    if not path:
        raise OutputPathError(f"{label}: no file name given")
    path = os.path.abspath(os.fspath(path))
    if os.path.isdir(path):
        raise OutputPathError(f"{label}: {path} is a folder; give a file name")
    _check_parent(os.path.dirname(path), path, label, "a file in a folder")


def check_output_folder(path, label: str = "Output folder") -> None:
    """Raise :class:`OutputPathError` when the folder ``path`` cannot be created or written into."""
    if not path:
        raise OutputPathError(f"{label}: no folder given")
    path = os.path.abspath(os.fspath(path))
    if os.path.exists(path) and not os.path.isdir(path):
        raise OutputPathError(f"{label}: {path} is a file, not a folder")
    _check_parent(path, path, label, "another place for the folder")


@contextlib.contextmanager
def replacing(path, label: str = "Output"):
    """Context manager yielding a temporary path beside ``path``; on success it replaces ``path``.

    The folder is created if needed. If the body raises, the temporary file is removed and ``path`` is
    left as it was.

    >>> import tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "report.html")
    >>> with replacing(target) as tmp:
    ...     _ = open(tmp, "w").write("done")
    >>> open(target).read()
    'done'
    """
    check_output_path(path, label)
    path = os.path.abspath(os.fspath(path))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            if os.path.exists(tmp):
                os.remove(tmp)


def write_text(path, text: str, label: str = "Output") -> str:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file (see :func:`replacing`)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    with replacing(path, label) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return os.fspath(path)


def write_bytes(path, data: bytes, label: str = "Output") -> str:
    """Write ``data`` to ``path`` through a temporary file (see :func:`replacing`)."""
    with replacing(path, label) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return os.fspath(path)
