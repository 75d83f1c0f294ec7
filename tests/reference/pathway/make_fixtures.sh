#!/bin/sh
# Rebuild the R fixtures of ds.pathway (needs R with epiR and jsonlite).
set -e
cd "$(dirname "$0")"
Rscript epir_rsu_dxtest.R > epir_rsu_dxtest.json
