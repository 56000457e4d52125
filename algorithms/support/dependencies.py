"""The Python packages some algorithms need beyond numpy and GDAL: which are missing, how to install them.

The plugin never installs anything at run time; an algorithm whose package is missing cannot run
(``CarbonSinkAlgorithm.canExecute``) and says how to install it.
"""

import importlib.util

# Import name -> (pip name, Debian package) of the packages an algorithm may list in REQUIRES.
PACKAGES = {"scipy": ("scipy", "python3-scipy"), "sklearn": ("scikit-learn", "python3-sklearn")}


def missing(names):
    """The import names among ``names`` that QGIS's Python cannot import."""
    return [n for n in names if importlib.util.find_spec(n) is None]


def install_hint(names):
    """How to install ``names`` into QGIS's Python on Windows, macOS and Debian/Ubuntu."""
    pips = " ".join(PACKAGES.get(n, (n, None))[0] for n in names)
    debs = " ".join(d for d in (PACKAGES.get(n, (n, None))[1] for n in names) if d)
    debian = f"sudo apt install {debs}" if debs else f"python3 -m pip install --user {pips}"
    return (
        f"Install into QGIS's Python: on Windows, in the OSGeo4W Shell, 'python -m pip install {pips}'; "
        f"on macOS, '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install {pips}'; "
        f"on Debian/Ubuntu, '{debian}'. Then restart QGIS."
    )
