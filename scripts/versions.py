"""One line naming the platform a run used: distribution, QGIS, Python and the numerical packages.

Run with the environment's Python (``.venv/bin/python scripts/versions.py``; ``make versions``). CI prints
it in its summary for every part.
"""

import importlib.metadata as md
import platform
import sys


def distribution():
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            fields = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        return fields.get("PRETTY_NAME", "").strip('"') or platform.platform()
    except OSError:
        return platform.platform()


def version(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return "-"


def main():
    from qgis.core import Qgis

    parts = [
        distribution(),
        f"QGIS {Qgis.version()}",
        f"Python {platform.python_version()}",
        *(
            f"{name} {version(name)}"
            for name in ("numpy", "GDAL", "scipy", "scikit-learn", "esda", "libpysal")
        ),
    ]
    sys.stdout.write(", ".join(parts) + "\n")


if __name__ == "__main__":
    main()
