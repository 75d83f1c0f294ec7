#!/usr/bin/env bash
# Regenerates the planning fixtures (epiR epi.ssdxsesp; pROC power.roc.test).
set -euo pipefail
cd "$(dirname "$0")"
Rscript epir_ssdxsesp.R > epir_ssdxsesp.json
Rscript proc_power_roc_test.R > proc_power_roc_test.json
Rscript proc_power_roc_solve.R > proc_power_roc_solve.json
