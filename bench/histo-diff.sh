#!/bin/sh
# Compares two class histograms (jcmd GC.class_histogram output, e.g. from SOAK_HISTOGRAMS) and
# prints the classes whose live bytes grew most, with instance and byte deltas.
#
# Usage: bench/histo-diff.sh EARLY.txt LATE.txt [TOP]   (default top 30)
set -eu
TOP="${3:-30}"
awk -v top="$TOP" '
  FNR == 1 { f++ }
  $1 ~ /^[0-9]+:$/ { n[f, $4] = $2; b[f, $4] = $3; seen[$4] = 1 }
  END {
    for (c in seen) printf "%d %d %s\n", b[2, c] - b[1, c], n[2, c] - n[1, c], c
  }' "$1" "$2" | sort -rn | head -n "$TOP" | awk '{ printf "%+12d bytes %+9d instances  %s\n", $1, $2, $3 }'
