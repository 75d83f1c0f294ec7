# epiR rsu.dxtest: tests combined in series / parallel with conditional dependence (Gardner et al. 2000).
# The three examples of ?rsu.dxtest (two independent tests; IFAT + PCR, Dohoo et al.; Brucella suis RBT,
# CFT, c-ELISA, dependence between tests 2 and 3), with and without covariance, plus a grid of two-test
# cases with covariances inside their bounds. Usage: Rscript epir_rsu_dxtest.R > epir_rsu_dxtest.json
suppressMessages({library(epiR); library(jsonlite)})
cases <- list(
  list(case = "example 1: two independent tests", se = c(0.90, 0.95), sp = c(0.80, 0.85), covar = c(0, 0)),
  list(case = "example 2: IFAT + PCR", se = c(0.784, 0.926), sp = c(0.951, 0.979), covar = c(0.035, -0.001)),
  list(case = "example 3: RBT, CFT, c-ELISA", se = c(0.910, 0.907, 0.930), sp = c(0.955, 0.934, 0.927),
       covar = c(0.063, 0.042)),
  list(case = "example 3 without covariance", se = c(0.910, 0.907, 0.930), sp = c(0.955, 0.934, 0.927),
       covar = c(0, 0)))
set.seed(20)
for (i in 1:12) {
  se <- round(runif(2, 0.5, 0.99), 3); sp <- round(runif(2, 0.5, 0.99), 3)
  hi_d <- min(se) - prod(se); lo_d <- max(0, sum(se) - 1) - prod(se)
  hi_n <- min(sp) - prod(sp); lo_n <- max(0, sum(sp) - 1) - prod(sp)
  covar <- round(c(runif(1, lo_d, hi_d), runif(1, lo_n, hi_n)), 4)
  cases[[length(cases) + 1]] <- list(case = paste("grid", i), se = se, sp = sp, covar = covar)
}
rows <- list()
for (cs in cases) for (interpretation in c("series", "parallel")) {
  r <- rsu.dxtest(se = cs$se, sp = cs$sp, covar = cs$covar, interpretation = interpretation)
  rows[[length(rows) + 1]] <- c(cs, list(interpretation = interpretation,
    se_independent = r$independent$se, sp_independent = r$independent$sp,
    se_dependent = r$dependent$se, sp_dependent = r$dependent$sp))
}
cat(toJSON(list(rows = rows, versions = list(R = R.version.string, epiR = as.character(packageVersion("epiR")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE))
