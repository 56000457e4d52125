#!/bin/sh
# Set-up for `make test`, `make demo` and the other targets, on Debian 12, Debian 13, Debian testing and
# Ubuntu (as root or with sudo); a second run finds everything in place and returns at once.
#
# 1. From the distribution (apt), whatever of these is missing: QGIS, GDAL and numpy (always the
#    distribution's: its GDAL bindings are built against its numpy), scipy and scikit-learn, and Qt's
#    translation tools (pylupdate5, lrelease: `make translations`, `make qm`).
# 2. .venv: a virtual environment of /usr/bin/python3 that sees those (system site packages), with the
#    test tools of requirements-dev.txt on top. A constraints file pins numpy (and GDAL) to the
#    distribution's versions, so pip never installs its own numpy over them; scipy and scikit-learn come
#    from pip only where the distribution's are older than requirements.txt allows, and esda/libpysal
#    at the newest release that the distribution's Python and numpy allow.
#
# CSD_VENV (default .venv) names another environment folder, CSD_REQUIREMENTS (default
# requirements-dev.txt) another requirements file (`make test-distro`); CSD_NO_APT=1 skips step 1.
# CSD_CLUSTER=1 (`make cluster`) also installs the optional Dask cluster extra, requirements-cluster.txt,
# under the same constraints (numpy and GDAL stay the distribution's); without it nothing changes.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
venv=${CSD_VENV:-.venv}
requirements=${CSD_REQUIREMENTS:-requirements-dev.txt}
python=/usr/bin/python3

PACKAGES="qgis python3-qgis qgis-providers gdal-bin python3-gdal python3-numpy python3-scipy python3-sklearn
python3-venv git pyqt5-dev-tools qttools5-dev-tools"

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup: '$*' needs root; run it as root or install sudo" >&2
        exit 1
    fi
}

# ---- 1. the distribution's packages
if [ "${CSD_NO_APT:-0}" != 1 ] && command -v dpkg-query >/dev/null 2>&1; then
    missing=""
    for p in $PACKAGES; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [ "$status" = installed ] || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "== installing from the distribution:$missing"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    fi
elif ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup: not a Debian/Ubuntu system; install QGIS, GDAL, numpy, scipy and scikit-learn yourself" >&2
fi
$python -c "import qgis.core, osgeo.gdal, numpy" 2>/dev/null || {
    echo "setup: $python cannot import qgis.core, osgeo.gdal and numpy: install QGIS's Python bindings" >&2
    exit 1
}

# ---- 2. the virtual environment
# The venv is a function of these inputs; when any of them changes it is made again from nothing.
numpy_version=$($python -c "import numpy; print(numpy.__version__)")
gdal_version=$($python -c "from osgeo import gdal; print(gdal.__version__)")
constraints="# the distribution's numpy and GDAL: never replaced by pip
numpy==$numpy_version
gdal==$gdal_version"
inputs=$(
    {
        echo "setup 2"
        $python -c "import sys; print(sys.version)"
        echo "$constraints"
        echo "$requirements"
        cat requirements.txt "$requirements"
    } | sha256sum | cut -d' ' -f1
)
stamp="$venv/.installed"
# The real data of the tests and the README walk-through (scripts/fetch_realdata.py, cached in build/realdata).
realdata() { [ "${CSD_NO_REALDATA:-0}" = 1 ] || [ "$requirements" != requirements-dev.txt ] || "$venv/bin/python" scripts/fetch_realdata.py; }
# The optional cluster extra: installed on top, outside the stamp, so that it never rebuilds the venv.
cluster() {
    [ "${CSD_CLUSTER:-0}" = 1 ] || return 0
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
        -c "$venv/constraints.txt" -r requirements-cluster.txt
    "$venv/bin/python" -c "import dask, distributed, numpy; print('   dask', dask.__version__, '/ distributed', distributed.__version__, '/ numpy', numpy.__version__, '(kept)')"
}
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
    cluster
    realdata
    exit 0
fi
echo "== making $venv: $($python --version), the distribution's numpy $numpy_version and GDAL $gdal_version"
rm -rf "$venv" # a symbolic link (a shared venv) is removed, not what it points to
$python -m venv --system-site-packages "$venv"
echo "$constraints" >"$venv/constraints.txt"
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
    -c "$venv/constraints.txt" -r "$requirements"
"$venv/bin/python" - <<'EOF'
import importlib.metadata as md
import importlib.util
import os
import sys

venv = os.path.realpath(sys.prefix) + os.sep


def origin(module):  # where a package is imported from, without importing it
    spec = importlib.util.find_spec(module)
    return "pip" if os.path.realpath(spec.origin).startswith(venv) else "distribution"


packages = {"numpy": "numpy", "GDAL": "osgeo", "scipy": "scipy", "scikit-learn": "sklearn"}
packages.update({name: name for name in ("esda", "libpysal", "pymannkendall", "pytest")})
for dist, module in packages.items():
    if importlib.util.find_spec(module) is None:
        continue
    print(f"   {dist} {md.version(dist)} ({origin(module)})")
if origin("numpy") != "distribution" or origin("osgeo") != "distribution":
    sys.exit("setup: numpy or GDAL in the venv is not the distribution's")
EOF
echo "$inputs" >"$stamp"
cluster
realdata
