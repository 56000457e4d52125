"""Functions of the plugin longer than N lines (default 80): total lines and code lines (docstring left out).

Usage: python3 scripts/function_lengths.py [N]

Code lines count from the first statement after the docstring to the end of the function: the numpydoc
docstrings the core is required to have (parameters, formula, references, examples) do not make a
function long. Tests, scripts and benchmarks are not counted.
"""

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SKIP = {".venv", "build", "test", "bench", "scripts"}


def _visit(node, rel, prefix, rows):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = child.body
            has_doc = ast.get_docstring(child, clean=False) is not None and len(body) > 1
            start = body[1].lineno if has_doc else body[0].lineno
            total = child.end_lineno - child.lineno + 1
            rows.append((total, child.end_lineno - start + 1, f"{rel}:{child.lineno}", prefix + child.name))
            _visit(child, rel, f"{prefix}{child.name}.", rows)
        else:
            _visit(child, rel, f"{prefix}{child.name}." if isinstance(child, ast.ClassDef) else prefix, rows)


def lengths(root=ROOT):
    """(total lines, code lines, "file:line", qualified name) of every function and method, longest first."""
    rows = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] not in SKIP:
            _visit(ast.parse(path.read_text(encoding="utf-8")), rel, "", rows)
    return sorted(rows, reverse=True)


def main(limit=80):
    rows = lengths()
    print(f"{'lines':>6} {'code':>5}  {'where':<46} function")
    for total, code, where, name in rows:
        if total > limit:
            print(f"{total:6d} {code:5d}  {where:<46} {name}")
    print(
        f"{sum(r[0] > limit for r in rows)} functions over {limit} lines; "
        f"{sum(r[1] > limit for r in rows)} with over {limit} lines of code"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 80)
