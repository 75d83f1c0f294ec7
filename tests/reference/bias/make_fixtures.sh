#!/bin/sh
# The PVBcorrect fixtures cannot be regenerated here: PVBcorrect is not in Debian's archive, so its
# results were computed elsewhere (R, PVBcorrect 0.3.1: acc_cca, acc_bg(ci = TRUE), acc_ipw with and
# without covariate = "covariate", acc_ebg(covariate = "covariate")) and shipped in
# ../shared/reference/. This script copies them in and adds the package header to the JSON.
set -e
here=$(dirname "$0")
src=${1:-/work/shared/reference}
cp "$src/partial_verification.csv" "$here/"
cp "$src/peers/cad_pvb.csv" "$here/"
python3 - "$src/partial_verification_pvbcorrect.json" "$here/partial_verification_pvbcorrect.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
out = {"package": "PVBcorrect", "version": "0.3.1", "data": "partial_verification.csv",
       "calls_note": "the shipped JSON does not record its R calls; these are inferred from its keys",
       "calls": {"cca": "acc_cca(data, 'test', 'disease')",
                 "begg_greenes": "acc_bg(data, 'test', 'disease')",
                 "begg_greenes_ci": "acc_bg(data, 'test', 'disease', ci = TRUE)",
                 "ipw": "acc_ipw(data, 'test', 'disease')",
                 "ipw_covariate": "acc_ipw(data, 'test', 'disease', covariate = 'covariate')",
                 "ebg_covariate": "acc_ebg(data, 'test', 'disease', covariate = 'covariate')"}}
out.update(data)
json.dump(out, open(sys.argv[2], "w"), indent=2)
PY
