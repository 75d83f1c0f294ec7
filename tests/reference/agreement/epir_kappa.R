# epiR epi.kappa on 2x2 agreement tables (rater 1 in rows). Usage: Rscript epir_kappa.R > epir_kappa.json
suppressMessages({library(epiR); library(jsonlite)})
tables <- list(a = c(40, 10, 5, 45), b = c(88, 10, 14, 40), c = c(3, 1, 2, 30), d = c(20, 0, 0, 5))
out <- lapply(tables, function(v) {
  r <- epi.kappa(as.table(matrix(v, 2, byrow = TRUE)), method = "cohen", alternative = "two.sided", conf.level = 0.95)
  list(table = v, obs = r$prop.agree$obs, exp = r$prop.agree$exp, kappa = r$kappa$est, kappa_se = r$kappa$se,
       pabak = c(r$pabak$est, r$pabak$lower, r$pabak$upper))
})
out$versions <- list(R = R.version.string, epiR = as.character(packageVersion("epiR")))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
