#!/bin/sh
# Regenerate the ROC parity fixtures (R with pROC and jsonlite needed; the project's tests never need R).
# Run from this folder: sh make_fixtures.sh
set -e
ORACLE=${ORACLE:-/work/shared/oracle}
/work/main/.venv/bin/python make_data.py
# pROC's aSAH data (Turck et al. 2010): y = poor outcome, the Glasgow outcome scale at 6 months, WFNS, S100B, NDKA
Rscript -e 'library(pROC); data(aSAH); write.csv(data.frame(y = as.integer(aSAH$outcome == "Poor"), gos6 = as.integer(as.character(aSAH$gos6)), wfns = as.integer(aSAH$wfns), s100b = aSAH$s100b, ndka = aSAH$ndka), "asah.csv", row.names = FALSE)'
Rscript "$ORACLE/roc.R" continuous_ties.csv y marker > continuous_ties_proc.json
Rscript "$ORACLE/roc.R" ordinal.csv y rating > ordinal_proc.json
Rscript "$ORACLE/roc.R" lognormal.csv y nlr > lognormal_proc.json
Rscript "$ORACLE/roc.R" paired.csv y score1 score2 > paired_proc.json
Rscript "$ORACLE/roc_unpaired.R" unpaired_a.csv unpaired_b.csv y score > unpaired_proc.json
Rscript roc_venkatraman.R paired.csv unpaired_a.csv unpaired_b.csv > venkatraman_proc.json
Rscript roc_omnibus.R four_scores.csv unpaired_a.csv unpaired_b.csv continuous_ties.csv > omnibus_proc.json
Rscript roc_covariance.R four_scores.csv > covariance_proc.json
Rscript roc_power.R four_scores.csv > power_proc.json
Rscript roc_multiclass.R > multiclass_proc.json
Rscript roc_multiclass_mv.R > multiclass_mv_proc.json
Rscript roc_obuchowski.R > obuchowski_proc.json
Rscript roc_partial_power.R asah.csv > partial_power_proc.json
Rscript roc_coords_smooth.R asah.csv y s100b continuous_ties.csv y marker ordinal.csv y rating > coords_smooth_proc.json
Rscript roc_best_weights.R asah.csv y s100b asah.csv y wfns continuous_ties.csv y marker ordinal.csv y rating > best_weights_proc.json
Rscript roc_partial_obuchowski.R asah.csv > partial_obuchowski_proc.json
