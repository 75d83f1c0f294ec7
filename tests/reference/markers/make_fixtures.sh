#!/usr/bin/env bash
# Regenerates the marker parity fixtures. Run from the project root:
#   bash tests/reference/markers/make_fixtures.sh
# describe.csv is made by numpy (seeded); describe.json by base R (see describe.R).
# dca_df_binary.csv is the dcurves example data set (df_binary, 750 patients) as shipped in the
# Apache-2.0 Python package dcurves 1.1.7 (dcurves/data/df_binary.csv); dca_vignette.json holds the
# net benefits printed in the R dcurves vignette (see its "source" field); neither needs regenerating.
set -euo pipefail
here=tests/reference/markers
(cd "$here" && "${PYTHON:-python}" make_describe_csv.py && Rscript describe.R describe.csv > describe.json)
# discriminate.csv is made from the simulator (needs diagstats importable: run with PYTHONPATH=.);
# discriminate.json by R with pROC (see discriminate.R).
"${PYTHON:-python}" "$here/make_discriminate_csv.py"
(cd "$here" && Rscript discriminate.R discriminate.csv > discriminate.json)
# added_value_mtcars.csv (R's mtcars) and added_value.json: glm fits, pROC AUCs and the reclassification
# measures by definition (see added_value.R).
(cd "$here" && Rscript added_value.R)
# dca_survival.json: time-to-event net benefit at horizon 1.5 on dcurves' df_surv (read from
# ../shared/reference/public/peer_suites), Kaplan-Meier by the survival package (see dca_survival.R).
Rscript "$here/dca_survival.R" ../shared/reference/public/peer_suites/dcurves_df_surv.csv > "$here/dca_survival.json"
# nribin_pbc.csv and nribin_pbc.json: the data of nricens' nribin help-page example (survival's pbc) and its
# categorical and continuous NRI by definition, with the glm risks (see nribin_pbc.R).
(cd "$here" && Rscript nribin_pbc.R)
# multinomial_curves.csv (numpy, seeded; see make_multinomial_curves_csv.py) and multinomial_curves.json: the
# fitted probabilities of nnet::multinom on natural splines of the log ratios (see multinomial_curves.R).
"${PYTHON:-python}" "$here/make_multinomial_curves_csv.py"
(cd "$here" && Rscript multinomial_curves.R multinomial_curves.csv > multinomial_curves.json)
