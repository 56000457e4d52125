#!/bin/sh
# The plugin's screenshot (metadata.txt: screenshot=screenshot.png): QGIS desktop under Xvfb, in a throwaway
# profile with this checkout's plugin enabled, with the Processing toolbox opened on our provider, its groups
# expanded, and a trend class made from the synthetic demo region loaded with its style. The picture is taken
# by QGIS itself (scripts/screenshot_qgis.py, run with --code) once the map has been drawn.
#
#   scripts/screenshot.sh [OUTPUT.png]       default: screenshot.png in the checkout (the committed one)
#   SCREENSHOT_LOCALE=zh_CN scripts/screenshot.sh docs/screenshot_zh_CN.png
#                                             the interface in Simplified Chinese (QGIS's and the plugin's):
#                                             the toolbox, an algorithm dialog with its help and a legend
#
# Installs Xvfb (xvfb, xauth) and QGIS from the distribution when missing (root or sudo). Re-runnable: the
# profile is made anew in build/screenshot/ each time. SCREENSHOT_SIZE (default 1280x800) sets the screen.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$here/screenshot.png}")
size=${SCREENSHOT_SIZE:-1280x800}
locale=${SCREENSHOT_LOCALE:-en_US}
case "$locale" in
zh_CN | zh_Hans* | zh-Hans*) qgis_lang=zh-Hans ;; # QGIS's own catalogue is qgis_zh-Hans.qm
*) qgis_lang=$(echo "$locale" | cut -d_ -f1) ;;
esac

need=""
command -v xvfb-run >/dev/null 2>&1 || need="$need xvfb"
command -v xauth >/dev/null 2>&1 || need="$need xauth"
command -v qgis >/dev/null 2>&1 || need="$need qgis python3-qgis"
case "$qgis_lang" in # a font with the Chinese characters
zh*) fc-list :lang=zh 2>/dev/null | grep -q . || need="$need fonts-wqy-microhei" ;;
esac
if [ -n "$need" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "installing:$need" >&2
    $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need
fi

work="$here/build/screenshot"
rm -rf "$work"
profiles="$work/profiles"
profile="$profiles/profiles/default"
mkdir -p "$profile/python/plugins" "$profile/QGIS" "$work/runtime" "$work/data"
chmod 700 "$work/runtime"
ln -s "$here" "$profile/python/plugins/carbon_sink_diagnostics"
# The plugin and Processing enabled, the interface in $locale (English by default), no first-run messages.
cat >"$profile/QGIS/QGIS3.ini" <<EOF
[PythonPlugins]
carbon_sink_diagnostics=true
processing=true

[locale]
overrideFlag=true
userLocale=$locale
globalLocale=$locale

[qgis]
checkVersion=false
allowVersionCheck=false
EOF

site=$(ls -d "$here"/.venv/lib/python3*/site-packages 2>/dev/null | head -n 1 || true)
rm -f "$out.part.png"
HOME="$work" XDG_RUNTIME_DIR="$work/runtime" LANG=C.UTF-8 \
    PYTHONPATH="${site:+$site:}${PYTHONPATH:-}" \
    CSD_SCREENSHOT="$out.part.png" CSD_SCREENSHOT_LOCALE="$locale" CSD_SCREENSHOT_DATA="$work/data" CSD_SCREENSHOT_SIZE="$size" \
    timeout 900 xvfb-run -a -s "-screen 0 ${size}x24 -nolisten tcp" \
    qgis --profiles-path "$profiles" --profile default --nologo --noversioncheck --lang "$qgis_lang" \
    --code "$here/scripts/screenshot_qgis.py" >"$work/qgis.log" 2>&1 || true
if [ ! -s "$out.part.png" ]; then
    echo "no screenshot was taken; QGIS said:" >&2
    tail -n 40 "$work/qgis.log" >&2
    exit 1
fi
mv "$out.part.png" "$out"
echo "$out: $(wc -c <"$out") bytes"
