"""Report files: the HTML page and, beside it, the report's data as JSON, written and read together.

A step writes ``report.html`` and ``report.json`` (:func:`data_path`) from one
:class:`~core.reports.document.Report` (:func:`write_report`); the study report reads the JSON beside
each step report it is given (:func:`read_report`), never the HTML. Both files are written through
:mod:`core.common.files`: each to a temporary file beside it, moved into place only when both are
complete, so a failure never leaves half a report nor loses the old one.
"""

from __future__ import annotations

import os

from ..common import files
from .document import Report, ReportDataError, dumps, loads
from .render import render_html

__all__ = ["MAX_FILE_BYTES", "data_path", "read_report", "write_report"]

MAX_FILE_BYTES = 64 * 1024 * 1024


def data_path(html_path) -> str:
    """The JSON file beside an HTML report: the same name with the extension ``.json``.

    Examples
    --------
    >>> data_path("/out/storage.html"), data_path("/out/report"), data_path("/out/odd.json")
    ('/out/storage.json', '/out/report.json', '/out/odd.json.json')
    """
    path = os.fspath(html_path)
    stem, ext = os.path.splitext(path)
    return path + ".json" if ext.lower() == ".json" else stem + ".json"


def write_report(path, report: Report, label: str = "Report") -> str:
    """Write ``report`` as HTML to ``path`` and as JSON to :func:`data_path` of it; return ``path``.

    Both are rendered before anything is written, and both are moved into place only once both are
    complete (:func:`core.common.files.replacing`).

    Raises
    ------
    ValueError
        ``report`` is not a Report; :class:`core.common.files.OutputPathError` when ``path`` cannot be
        written (naming it).
    """
    if not isinstance(report, Report):
        raise ReportDataError(f"report must be a Report, got {type(report).__name__}")
    if not path:
        raise files.OutputPathError(f"{label}: no file name given")
    page, data = render_html(report), dumps(report)
    json_path = data_path(path)
    with files.replacing(path, label) as tmp_html, files.replacing(json_path, f"{label} data") as tmp_json:
        with open(tmp_html, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(page)
        with open(tmp_json, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)
    return os.fspath(path)


def read_report(html_path) -> Report:
    """The report whose HTML is ``html_path``, from the JSON data beside it, validated.

    Raises
    ------
    ReportDataError
        No data file beside the HTML, a file too large, not UTF-8, not JSON, or not report data of this
        plugin (schema, types, block kinds, sizes); the message names the file and where it is wrong.
    """
    html_path = os.fspath(html_path)
    path = data_path(html_path)
    name = os.path.basename(path)
    if not os.path.isfile(path):
        raise ReportDataError(
            f"no report data '{name}' beside '{os.path.basename(html_path)}' (in {os.path.dirname(path) or '.'}): "
            "the study report reads the data (JSON) each step writes beside its HTML report; run the step "
            "again with this version of the plugin to write them"
        )
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise ReportDataError(
            f"'{name}' is {size:,} bytes, more than the {MAX_FILE_BYTES:,} bytes report data may have"
        )
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise ReportDataError(f"'{name}' is not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise ReportDataError(f"cannot read '{path}': {exc.strerror or exc}") from None
    try:
        return loads(text)
    except ReportDataError as exc:
        raise ReportDataError(f"'{name}' is not valid report data: {exc}") from None
