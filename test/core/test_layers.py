"""The core's layers (each package's docstring): what may import what, and never qgis or Qt (issue 12)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
# package -> the core packages it may import (besides itself)
ALLOWED = {
    "common": set(),
    "stats": {"common"},
    "engine": {"common", "stats"},
    "spatial": {"common", "stats", "engine"},
    "reports": {"common"},
    "carbon": {"common", "stats", "engine", "spatial", "reports"},
    "demo": {"common", "stats", "engine", "carbon"},
    "distributed": {"common", "stats", "engine", "spatial", "carbon", "reports"},
}


def _imports(path, root=CORE):
    """(core package or None, core package imported or None, top-level module imported absolutely or None)
    of each import of a module."""
    parts = path.relative_to(root).parts
    package = parts[0] if len(parts) > 1 else None
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield package, None, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield package, None, (node.module or "").split(".")[0]
            else:
                here = list(parts[:-1])
                target = here[: len(here) - (node.level - 1)] + (
                    node.module.split(".") if node.module else []
                )
                yield package, (target[0] if target else None), None


def test_every_package_is_known():
    packages = {p.name for p in CORE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ALLOWED)


def test_core_never_imports_qgis_or_qt():
    bad = [
        (str(path.relative_to(CORE)), top)
        for path in CORE.rglob("*.py")
        for _, _, top in _imports(path)
        if top in ("qgis", "PyQt5", "PyQt6", "processing")
    ]
    assert not bad


def test_each_layer_imports_only_the_layers_below_it():
    bad = []
    for path in CORE.rglob("*.py"):
        for package, target, _ in _imports(path):
            if package and target and target != package and target not in ALLOWED[package]:
                bad.append((str(path.relative_to(CORE)), target))
    assert not bad


def test_the_rule_can_fail(tmp_path):
    """A module of stats importing the engine is caught (the check reads relative imports right)."""
    (tmp_path / "stats").mkdir()
    fake = tmp_path / "stats" / "probe.py"
    fake.write_text("from ..engine import raster\nfrom . import trend\n", encoding="utf-8")
    found = [(p, t) for p, t, _ in _imports(fake, tmp_path)]
    assert found == [("stats", "engine"), ("stats", "stats")] and "engine" not in ALLOWED["stats"]
