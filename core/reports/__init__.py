"""Reports as data: a document model, one HTML renderer with one escape, SVG charts, report files.

:mod:`~core.reports.document` (the model and its JSON schema, validated on reading),
:mod:`~core.reports.render` (the page), :mod:`~core.reports.charts` (SVG from numbers),
:mod:`~core.reports.markup` (the escape), :mod:`~core.reports.store` (``report.html`` with
``report.json`` beside it), :mod:`~core.reports.study_report` (the study report from the steps' data).

Imports :mod:`core.common` only: the steps hand their results over as data (their reports are composed
in :mod:`core.carbon`).
"""
