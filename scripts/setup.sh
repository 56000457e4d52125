#!/bin/sh
# One-time set-up on Debian 12 / Ubuntu: QGIS from the distribution if qgis_process is missing, then a
# virtual environment that sees QGIS's Python (system site packages) with the pinned packages on top.
# A second run finds everything in place and returns at once.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

if ! command -v qgis_process >/dev/null 2>&1 && [ ! -x /usr/bin/qgis_process.bin ]; then
    echo "== installing QGIS from the Debian packages"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
        qgis python3-qgis qgis-providers gdal-bin python3-gdal python3-venv python3-pip
fi
if ! /usr/bin/python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
    SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-venv python3-pip
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ requirements-dev.txt -nt "$stamp" ]; then
    echo "== creating .venv (system site packages: QGIS, GDAL) with the pinned Python packages"
    [ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
    touch "$stamp"
fi
.venv/bin/python -c "import qgis.core, osgeo.gdal, numpy, scipy" || {
    echo "the environment is incomplete: QGIS, GDAL, numpy or scipy cannot be imported" >&2; exit 1; }
