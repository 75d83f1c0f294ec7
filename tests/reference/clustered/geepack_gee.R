# geepack GEE fixture for ds.accuracy(cluster=, ci_method="gee"): intercept-only logistic GEE,
# exchangeable working correlation, robust (sandwich) SE, per class of the reference (sensitivity on
# the diseased units, specificity on the non-diseased), converged tightly (epsilon 1e-12).
# Usage: Rscript geepack_gee.R > geepack_gee.json
suppressMessages({library(geepack); library(jsonlite)})
genders <- "../../../../shared/reference/public/genders_segments.csv"
fit <- function(path) {
  d <- read.csv(path)
  d <- d[order(d$patient), ]
  one <- function(cls) {
    s <- d[d$reference == cls, ]
    s$y <- if (cls == 1) s$test else 1 - s$test
    f <- geeglm(y ~ 1, family = binomial, id = patient, corstr = "exchangeable", data = s,
                control = geese.control(epsilon = 1e-12, maxit = 200))
    list(beta = unname(coef(f)[1]), se = sqrt(vcov(f)[1, 1]), alpha = unname(f$geese$alpha),
         phi = unname(f$geese$gamma), estimate = unname(plogis(coef(f)[1])))
  }
  list(sensitivity = one(1), specificity = one(0))
}
out <- list(gee_lesions = fit("gee_lesions.csv"))
if (file.exists(genders)) out$genders_segments <- fit(genders)
out$versions <- list(R = R.version.string, geepack = as.character(packageVersion("geepack")))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
