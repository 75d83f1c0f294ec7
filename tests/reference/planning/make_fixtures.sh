#!/usr/bin/env bash
# Regenerates the epiR sample-size fixture.
set -euo pipefail
cd "$(dirname "$0")"
Rscript epir_ssdxsesp.R > epir_ssdxsesp.json
