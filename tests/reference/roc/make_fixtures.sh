#!/bin/sh
# Regenerate the ROC parity fixtures (R with pROC and jsonlite needed; the project's tests never need R).
# Run from this folder: sh make_fixtures.sh
set -e
ORACLE=${ORACLE:-/work/shared/oracle}
/work/main/.venv/bin/python make_data.py
Rscript "$ORACLE/roc.R" continuous_ties.csv y marker > continuous_ties_proc.json
Rscript "$ORACLE/roc.R" ordinal.csv y rating > ordinal_proc.json
Rscript "$ORACLE/roc.R" lognormal.csv y nlr > lognormal_proc.json
Rscript "$ORACLE/roc.R" paired.csv y score1 score2 > paired_proc.json
Rscript "$ORACLE/roc_unpaired.R" unpaired_a.csv unpaired_b.csv y score > unpaired_proc.json
Rscript roc_venkatraman.R paired.csv unpaired_a.csv unpaired_b.csv > venkatraman_proc.json
Rscript roc_omnibus.R four_scores.csv unpaired_a.csv unpaired_b.csv continuous_ties.csv > omnibus_proc.json
Rscript roc_covariance.R four_scores.csv > covariance_proc.json
Rscript roc_power.R four_scores.csv > power_proc.json
Rscript -e 'library(pROC); data(aSAH); write.csv(data.frame(outcome = as.integer(aSAH$outcome == "Poor"), s100b = aSAH$s100b, ndka = aSAH$ndka), "asah.csv", row.names = FALSE)'
Rscript roc_coords_smooth.R asah.csv outcome s100b continuous_ties.csv y marker ordinal.csv y rating > coords_smooth_proc.json
