"""One of each mechanism (issue 12), checked on the source: a second copy of a mechanism fails here.

- algorithms are thin and independent: an algorithm module imports core and algorithms/support, never
  another algorithm module (local_moran imported global_moran for its weights);
- one cancel type: nothing raises or catches InterruptedError, and no algorithm catches Cancelled (the
  base class reports it);
- one style post-processor: only algorithms/support/styling.py subclasses the post-processor interface;
- one advanced flag helper: FlagAdvanced is set in algorithms/support/base.py only;
- one year-in-name rule: the year regular expression lives in core/common/years.py only.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALGORITHMS = sorted((ROOT / "algorithms").glob("*.py"))
PLUGIN = sorted([*ROOT.glob("*.py"), *(ROOT / "algorithms").rglob("*.py"), *(ROOT / "core").rglob("*.py")])
ALGORITHM_NAMES = {p.stem for p in ALGORITHMS} - {"__init__"}


def _rel(path):
    return str(path.relative_to(ROOT))


def _tree(path):
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_no_algorithm_imports_another_algorithm():
    offenders = []
    for path in ALGORITHMS:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                offenders += [f"{_rel(path)}: {n}" for n in names if n.split(".")[0] in ALGORITHM_NAMES]
    assert offenders == []


def test_one_cancel_type():
    offenders = []
    for path in PLUGIN:
        text = path.read_text(encoding="utf-8")
        if "InterruptedError" in text:
            offenders.append(f"{_rel(path)}: InterruptedError")
        if path.parent.name in ("algorithms", "support") and path.name != "base.py":
            for node in ast.walk(_tree(path)):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    if "Cancelled" in ast.unparse(node.type):
                        offenders.append(f"{_rel(path)}:{node.lineno}: except {ast.unparse(node.type)}")
    assert offenders == []


def test_one_style_post_processor():
    offenders = []
    for path in PLUGIN:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ClassDef) and any(
                "QgsProcessingLayerPostProcessorInterface" in ast.unparse(b) for b in node.bases
            ):
                offenders.append(f"{_rel(path)}: {node.name}")
    assert offenders == ["algorithms/support/styling.py: StyleOnLoad"]


def test_one_advanced_flag_helper():
    offenders = [_rel(p) for p in PLUGIN if "FlagAdvanced" in p.read_text(encoding="utf-8")]
    assert offenders == ["algorithms/support/base.py"]


def test_one_year_in_name_rule():
    year = re.compile(r"1\[89\]|\\d\{4\}|20\\d\\d")
    offenders = [_rel(p) for p in PLUGIN if year.search(p.read_text(encoding="utf-8"))]
    assert offenders == ["core/common/years.py"]
