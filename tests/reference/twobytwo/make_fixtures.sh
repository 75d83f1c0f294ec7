#!/usr/bin/env bash
# Regenerates the 2x2 parity fixtures. Needs R with epiR and jsonlite (see ../../../../shared/oracle/README.md).
# Run from the project root: bash tests/reference/twobytwo/make_fixtures.sh
set -euo pipefail
here=tests/reference/twobytwo
oracle=../shared/oracle/twobytwo.R
{
  echo "{"
  first=1
  tail -n +2 "$here/tables.csv" | while IFS=, read -r name tp fp fn tn _; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '"%s": ' "$name"
    Rscript "$oracle" "$tp" "$fp" "$fn" "$tn" 2>/dev/null
  done
  echo "}"
} > "$here/epir.json"
Rscript "$here/midp.R" 0,20 1,29 15,148 81,263 5,10 1,1 0,1 7,7 333,1000 2>/dev/null > "$here/midp.json"
Rscript "$here/fisher.R" 10,2,3,20 133,3,68,435 5,3,5,7 25,0,0,30 0,5,10,85 9,95,1,895 2>/dev/null > "$here/fisher.json"
