"""Translation of the texts the core shows to users (class names, report headings), without Qt.

One mechanism serves the whole plugin: Qt's translation catalogues, ``i18n/carbonsink_<locale>.ts``
(sources, in the repository) compiled to ``.qm`` by ``make translations``. The algorithm layer reads them
with ``QTranslator`` and hands the core a *lookup*, a function ``lookup(context, text) -> str`` that
returns the translation, or ``text`` (or an empty string) when there is none. The core never imports Qt:

- :func:`install` sets the lookup of the process (the plugin installs ``QCoreApplication.translate``,
  which follows the QGIS interface language); :func:`using` sets one for the current thread while a block
  runs (the study report's LANGUAGE parameter);
- :func:`translate` is what the core calls where a text reaches the user;
- :func:`QT_TRANSLATE_NOOP` marks a text for extraction (``pylupdate5`` finds it) without translating it,
  for texts defined at import time and translated where they are shown.

Without an installed lookup every text is returned as it is: English stays the default, and the core's
own tests see English. The contexts the core uses are :data:`CLASSES` (class names and scheme titles) and
:data:`REPORT` (report titles, headings, table headers, keys).

Examples
--------
>>> translate(CLASSES, "High-High")
'High-High'
>>> with using(lambda context, text: {"High-High": "高–高聚集"}.get(text, "")):
...     translate(CLASSES, "High-High"), translate(CLASSES, "Unknown class")
('高–高聚集', 'Unknown class')
>>> class_name("Significant decrease (0.01 <= p < 0.1)", lambda c, t: {"Significant decrease": "显著减少"}.get(t, ""))
'显著减少 (0.01 <= p < 0.1)'
"""

from __future__ import annotations

import contextlib
import re
import threading

CLASSES = "Classes"
REPORT = "Report"

_local = threading.local()
_process = {"lookup": None}
_QUALIFIED = re.compile(r"^(?P<name>[^()]+?) \((?P<detail>[^()]*)\)$")


def _identity(context, text):
    return text


def install(lookup) -> None:
    """Set the lookup of the whole process (None: none, every text stays English)."""
    _process["lookup"] = lookup


def current():
    """The lookup in force in this thread: the one of :func:`using`, else the process's, else none."""
    return getattr(_local, "lookup", None) or _process["lookup"] or _identity


@contextlib.contextmanager
def using(lookup):
    """Translate with ``lookup`` in this thread while the block runs (None: English)."""
    previous = getattr(_local, "lookup", None)
    _local.lookup = lookup or _identity
    try:
        yield
    finally:
        _local.lookup = previous


def translate(context: str, text: str, lookup=None) -> str:
    """``text`` translated in ``context`` by ``lookup`` (default :func:`current`); ``text`` if untranslated."""
    if not text:
        return text
    found = (lookup or current())(context, text)
    return found or text


def class_name(text: str, lookup=None) -> str:
    """A class name or scheme title translated in :data:`CLASSES`.

    A name with a qualifier that holds numbers, ``"Low fluctuation (Cv <= 0.05)"``, is looked up whole
    first, then by its name alone (``"Low fluctuation"``) with the qualifier kept, so names made from
    parameters (significance levels, class limits) are translated too.
    """
    whole = translate(CLASSES, text, lookup)
    if whole != text:
        return whole
    match = _QUALIFIED.match(text)
    if match is None:
        return text
    name = translate(CLASSES, match["name"], lookup)
    return text if name == match["name"] else f"{name} ({match['detail']})"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    """Mark ``text`` for the catalogue of ``context`` without translating it; returns ``text``."""
    return text
