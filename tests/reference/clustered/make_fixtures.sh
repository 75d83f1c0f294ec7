#!/usr/bin/env bash
# Regenerates the clustered-data fixtures (run from anywhere).
set -euo pipefail
cd "$(dirname "$0")"
../../../.venv/bin/python make_gee_csv.py
Rscript geepack_gee.R > geepack_gee.json
Rscript lme4_glmm.R > lme4_glmm.json
