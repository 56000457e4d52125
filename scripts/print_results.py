"""Print the class-area summary and the output files of one qgis_process --json result file."""

import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
results = doc.get("results", {})
for key, rows in (results.get("CLASS_AREA_SUMMARY") or {}).items():
    print(f"   {key}:")
    for r in rows:
        print(f"     {r['class']:<52} {r['area_ha']:>12,.1f} ha  {r['share_pct']:6.2f} %")
for key, value in results.items():
    if key != "CLASS_AREA_SUMMARY":
        print(f"   {key}: {value}")
