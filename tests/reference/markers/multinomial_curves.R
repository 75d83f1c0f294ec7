# Reference values for the flexible multinomial calibration curves (Van Hoorde et al. 2014) in their
# regression-spline form: nnet::multinom of the outcome on natural cubic splines (splines::ns, df each) of the
# log ratios log(p_k / p_1), and its fitted probabilities. VGAM (the papers' vector smoothing splines) is not
# installed here. Tight convergence (reltol 1e-16, maxit 10000) so that the fitted probabilities are at the
# maximum to well below 1e-6.
# Usage: Rscript multinomial_curves.R multinomial_curves.csv > multinomial_curves.json  (nnet, splines, jsonlite)
suppressPackageStartupMessages({library(nnet); library(splines); library(jsonlite)})
d <- read.csv(commandArgs(trailingOnly = TRUE)[1])
fit <- function(set, df) {
  s <- d[d$set == set, ]
  k <- if (set == "three") 3 else 4
  p <- as.matrix(s[, paste0("p", 1:k)])
  lr <- log(p[, -1, drop = FALSE] / p[, 1])
  terms <- paste0("ns(lr[, ", 1:(k - 1), "], df = ", df, ")", collapse = " + ")
  m <- multinom(as.formula(paste("factor(s$y) ~", terms)), trace = FALSE, maxit = 10000, reltol = 1e-16,
                abstol = 1e-300, MaxNWts = 10000)
  list(set = set, df = df, loglik = as.numeric(logLik(m)), fitted = unname(fitted(m)))
}
out <- list(r_version = R.version.string, nnet_version = as.character(packageVersion("nnet")),
            fits = list(fit("three", 2), fit("three", 3), fit("four", 2)))
cat(toJSON(out, digits = NA, auto_unbox = TRUE, matrix = "rowmajor"))
