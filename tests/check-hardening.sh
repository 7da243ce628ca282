#!/bin/sh
# The shipped programs are linked hardened (meson.build): full RELRO with
# immediate binding, position-independent, with the stack protector. Fails
# naming what a binary lacks, as checksec would report it.
#
# Usage: check-hardening.sh BINARY...
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

failed=0
for binary in "$@"; do
  dynamic=$(readelf -dW "$binary") || exit 2
  segments=$(readelf -lW "$binary") || exit 2
  header=$(readelf -hW "$binary") || exit 2
  symbols=$(readelf -sW --dyn-syms "$binary") || exit 2
  missing=""
  echo "$segments" | grep -q 'GNU_RELRO' || missing="$missing RELRO"
  echo "$dynamic" | grep -qE '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW' || missing="$missing BIND_NOW"
  echo "$header" | grep -qE 'Type: +DYN' || missing="$missing PIE"
  echo "$symbols" | grep -q '__stack_chk_fail' || missing="$missing stack-protector"
  if [ -n "$missing" ]; then
    echo "$binary lacks:$missing" >&2
    failed=1
  else
    echo "$binary: full RELRO, BIND_NOW, PIE, stack protector"
  fi
done
exit "$failed"
