#!/bin/sh
# make demo: the synthetic demo region through the whole-study model, headless (qgis_process).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exec "$here/.venv/bin/python" "$here/scripts/run_study.py" "${DEMO_OUTPUT:-$here/demo_output}"
