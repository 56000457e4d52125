"""Ready for QGIS 4 (Qt 6), as far as can be checked on Qt 5: the plugin imports Qt only through
qgis.PyQt, and spells Qt's enums through their enum class (PyQt 6 has no unscoped enum values)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_FILES = sorted(
    [*ROOT.glob("*.py"), *(ROOT / "algorithms").rglob("*.py"), *(ROOT / "core").rglob("*.py")]
)

# Qt enum values the plugin has used, unscoped (PyQt 5 only) -> the scoped form PyQt 5 and 6 accept.
UNSCOPED = re.compile(
    r"\b(Qt\.(DisplayRole|EditRole|UserRole|Align\w+|black|white|transparent|KeepAspectRatio\w*|Smooth\w+)"
    r"|QIODevice\.(ReadOnly|WriteOnly|ReadWrite)|QVariant\.(String|Double|Int|LongLong|Bool|Date\w*))\b"
)


def test_plugin_files_are_found():
    names = {p.name for p in PLUGIN_FILES}
    assert {"__init__.py", "plugin.py", "provider.py", "compat.py", "forest.py"} <= names


def test_qt_is_imported_through_qgis_pyqt_only():
    offenders = []
    for path in PLUGIN_FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*(from|import)\s+(PyQt[56]|sip|PySide[26])\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_qt_enums_are_scoped():
    offenders = []
    for path in PLUGIN_FILES:
        if path.name == "compat.py":  # the one place that names QVariant types, for QGIS < 3.38
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSCOPED.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
