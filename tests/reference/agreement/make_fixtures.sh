#!/usr/bin/env bash
# Regenerates the epiR kappa fixture (run from anywhere).
set -euo pipefail
cd "$(dirname "$0")"
Rscript epir_kappa.R > epir_kappa.json
Rscript epir_kappa_indices.R > epir_kappa_indices.json
