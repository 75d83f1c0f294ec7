# epiR epi.kappa bias and prevalence indices (Byrt, Bishop & Carlin 1993) with their SEs and
# intervals on 2x2 agreement tables (rater 1 in rows). Usage: Rscript epir_kappa_indices.R > epir_kappa_indices.json
suppressMessages({library(epiR); library(jsonlite)})
tables <- list(a = c(40, 10, 5, 45), b = c(88, 10, 14, 40), c = c(3, 1, 2, 30), e = c(12, 30, 2, 6))
out <- lapply(tables, function(v) {
  r <- epi.kappa(as.table(matrix(v, 2, byrow = TRUE)), method = "cohen", alternative = "two.sided", conf.level = 0.95)
  list(table = v, bindex = unlist(r$bindex[c("est", "se", "lower", "upper")]),
       pindex = unlist(r$pindex[c("est", "se", "lower", "upper")]))
})
out$versions <- list(R = R.version.string, epiR = as.character(packageVersion("epiR")))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
