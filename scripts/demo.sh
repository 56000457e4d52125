#!/bin/sh
# The trend toolkit headless through qgis_process on the bundled SYNTHETIC sample stack.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out="${DEMO_OUTPUT:-$here/demo_output}"
mkdir -p "$out"
qp="$here/scripts/qgis_process"
py="$here/.venv/bin/python"

echo "== sample stack (synthetic carbon density 2001-2024, seeded generator core/sample_stack.py)"
(cd "$here" && "$py" -m core.sample_stack "$out/carbon_density_2001_2024.tif")
stack="$out/carbon_density_2001_2024.tif"

run() {
    name=$1; shift
    echo "== carbonsink:$name"
    "$qp" --json run "carbonsink:$name" -- "$@" > "$out/$name.json"
    "$py" "$here/scripts/print_results.py" "$out/$name.json"
}
run senmannkendall INPUT="$stack" SLOPE="$out/sen_slope.tif" TREND_CLASS="$out/trend_class.tif" \
    Z="$out/mk_z.tif" P_VALUE="$out/mk_p.tif" CLASS_AREAS="$out/trend_class_areas.csv"
run coefficientofvariation INPUT="$stack" CV="$out/cv.tif" CV_CLASS="$out/cv_class.tif" \
    CLASS_AREAS="$out/cv_class_areas.csv"
run hurstexponent INPUT="$stack" HURST="$out/hurst.tif"
run futuretrend SLOPE="$out/sen_slope.tif" HURST="$out/hurst.tif" P_VALUE="$out/mk_p.tif" \
    FUTURE_CLASS="$out/future_trend.tif" CLASS_AREAS="$out/future_trend_areas.csv"
echo
echo "Outputs (GeoTIFF with .qml styles, class-area tables as CSV, qgis_process JSON) are in: $out"
