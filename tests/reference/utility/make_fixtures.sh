#!/usr/bin/env bash
# Regenerates the utility parity fixtures. Run from the project root:
#   bash tests/reference/utility/make_fixtures.sh
# calibration.json: R (glm, rms::val.prob, loess) on the Steyerberg et al. (2010) testicular cancer data
# in ../shared/reference/public (see calibration.R); the data are read from there, not copied.
set -euo pipefail
here=tests/reference/utility
public=../shared/reference/public
Rscript "$here/calibration.R" "$public/me_testis_development.csv" "$public/me_testis_validation.csv" \
  > "$here/calibration.json"
