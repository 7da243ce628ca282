#!/bin/sh
# Renders pages of the table book for README, in English and Dutch: the
# published records of Den Haag and Flevoland (tests/records/), each
# exported from a coordinator's vault as a signed package and pooled with
# veldwerk-cli, as README's commands do: `ninja -C build screenshots-book`.
#
#   screenshots-book.sh VELDWERK-CLI BUILD-DIR SOURCE-DIR OUTPUT-DIR
set -eu

cli=$1
build=$2
source=$3
output=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export VELDWERK_PASSPHRASE="screenshots only"
export VELDWERK_LOCALEDIR="$build/data/po"
export VELDWERK_MODULEDIR="$build/src/core"
export LC_ALL=C.UTF-8

for region in DH:denhaag:"Den Haag 2018" FL:flevoland:"Flevoland 2022"; do
  code=${region%%:*}
  rest=${region#*:}
  dir=${rest%%:*}
  name=${rest#*:}
  "$cli" --vault "$work/$code.vault" init --study "$name" --region "$code" --coordinator > /dev/null
  "$cli" --vault "$work/$code.vault" import "$source/tests/records/$dir" > /dev/null
  "$cli" --vault "$work/$code.vault" export --anonymized "$work/$code" --k 3 > /dev/null
  "$cli" --vault "$work/$code.vault" keys > "$work/$code.keys"
done

for lang in en nl; do
  LANGUAGE=$lang "$cli" pool "$work/DH" "$work/FL" -o "$work/pool-$lang" \
    --trust "$work/DH.keys" --trust "$work/FL.keys" --book --language "$lang" > /dev/null
  book=$(ls "$work/pool-$lang"/*.pdf)
  # The first page (the charts) and a page of tables side by side.
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$book" "$output/table-book-$lang-charts"
  pdftoppm -png -r 60 -f 4 -l 4 -singlefile "$book" "$output/table-book-$lang-tables"
done
