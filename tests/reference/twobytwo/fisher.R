# Exact conditional odds-ratio intervals from base R's fisher.test, for dor_ci(method="exact").
# Usage: Rscript fisher.R tp,fp,fn,tn ... > fisher.json
suppressMessages(library(jsonlite))
out <- lapply(strsplit(commandArgs(TRUE), ","), function(a) {
  v <- as.numeric(a); f <- fisher.test(matrix(c(v[1], v[3], v[2], v[4]), 2))
  list(tp = v[1], fp = v[2], fn = v[3], tn = v[4], conf_int = as.numeric(f$conf.int), estimate = unname(f$estimate))
})
cat(toJSON(list(cases = out, versions = list(R = R.version.string)), auto_unbox = TRUE, digits = NA, pretty = TRUE))
