#!/bin/sh
# Renders the screenshots of README and the metainfo in English and Dutch
# under Xvfb: `ninja -C build screenshots` (1366x768), and `ninja -C build
# screenshots-small` (--small: 1024x600, on a screen of that size, so that
# the windows and dialogs open at the size a small laptop gives them).
#
#   screenshots.sh SCREENSHOT-PROGRAM BUILD-DIR OUTPUT-DIR [--small]
set -eu

program=$1
build=$2
output=$3
mode=${4:-}
screen=1600x1000x24
if [ "$mode" = "--small" ]; then
  screen=1024x600x24
fi

for lang in en nl; do
  env LANGUAGE="$lang" LANG=C.UTF-8 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
    VELDWERK_LOCALEDIR="$build/data/po" NO_AT_BRIDGE=1 GTK_A11Y=none \
    xvfb-run -a -s "-screen 0 $screen" "$program" "$output" $mode
done
