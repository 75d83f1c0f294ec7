#!/usr/bin/env bash
# Regenerates the base-R fixture (run from this folder). paired_tests_dtcompair.json is copied from
# shared/reference (DTComPair 1.2.2 is not installable here); see its "meta" entry.
set -euo pipefail
cd "$(dirname "$0")"
Rscript base_r.R paired_tests.csv > base_r.json
