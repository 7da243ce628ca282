#!/bin/sh
# Renders the screenshots of README and the metainfo in English and Dutch
# under Xvfb: `ninja -C build screenshots`.
#
#   screenshots.sh SCREENSHOT-PROGRAM BUILD-DIR OUTPUT-DIR
set -eu

program=$1
build=$2
output=$3

for lang in en nl; do
  env LANGUAGE="$lang" LANG=C.UTF-8 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
    VELDWERK_LOCALEDIR="$build/data/po" NO_AT_BRIDGE=1 GTK_A11Y=none \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$program" "$output"
done
