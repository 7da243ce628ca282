#!/bin/sh
# One implementation per format: fails, naming file and line, when src/
# holds a second date or month parser, a second episode JSON writer, a
# second "who holds this pseudonym" query, or an "age1..." recipient
# encoded by hand beside the age library's own.
#
# Usage: check-one-implementation.sh SOURCE_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

root=${1:?usage: $0 SOURCE_ROOT}
cd "$root/src" || exit 2
failed=0

fail () {
  echo "not one implementation: $1" >&2
  echo "$2" | sed 's/^/  /' >&2
  failed=1
}

# Every date and month shape is vw-validate.c's (vw_validate_parse_date,
# vw_validate_parse_month); nothing else takes a date apart.
hits=$(grep -rnE "g_date_valid_dmy|g_date_set_parse|g_date_new_dmy|strptime|sscanf|\[[47]\] *[!=]= *'-'|(atoi|strtol|g_ascii_strtoll) \([^)]*\+ *[58]\b" \
         --include='*.c' --include='*.h' . | grep -v '^\./core/vw-validate\.c:')
[ -z "$hits" ] || fail "a date or month parsed outside core/vw-validate.c" "$hits"

# "age1..." strings come from vw_age_recipient_to_string(): Bech32 is
# internal to the age library.
hits=$(grep -rnE 'vw_bech32_|"age1"|"age", *[a-z_>.-]*public' --include='*.c' --include='*.h' . | grep -v '^\./age/')
[ -z "$hits" ] || fail "an age recipient encoded outside src/age" "$hits"

# A function defined once: its name at the start of a line, as this code
# base writes definitions.
once () {
  pattern=$1
  what=$2
  hits=$(grep -rnE "$pattern" --include='*.c' .)
  count=$(printf '%s' "$hits" | grep -c .)
  [ "$count" -eq 1 ] || fail "$what is defined $count times, not once" "$hits"
}
once '^[a-z_]*episode_json \(' 'an episode JSON writer (episode_json)'
once '^[a-z_]*pseudonym_owner \(' 'a pseudonym owner lookup (pseudonym_owner)'
once 'FROM participants WHERE study = \? AND pseudonym_index = \?' 'a pseudonym owner query'

if [ "$failed" -eq 0 ]; then
  echo "one implementation of each: dates, months, episode JSON, pseudonym owner, age recipients"
fi
exit "$failed"
