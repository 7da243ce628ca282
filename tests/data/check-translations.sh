#!/bin/sh
# Dutch must be complete: every translatable string in the sources has a
# Dutch translation that is neither missing nor fuzzy, and nl.po compiles.
set -eu
top=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"
grep -v '^#' data/po/POTFILES.in | grep -v '^$' > "$tmp/files"
# The same keywords as meson's i18n 'glib' preset.
xgettext --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --files-from="$tmp/files" -o "$tmp/veldwerk.pot"
for po in data/po/*.po; do
  echo "# checking $po"
  msgcmp "$po" "$tmp/veldwerk.pot"
  msgfmt --check --statistics -o /dev/null "$po" 2> "$tmp/stats"
  cat "$tmp/stats"
  if grep -Eq 'fuzzy|untranslated' "$tmp/stats"; then
    echo "$po has fuzzy or untranslated messages" >&2
    exit 1
  fi
done
