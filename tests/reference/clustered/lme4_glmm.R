# lme4 fixture for ds.accuracy(cluster=, ci_method="glmm"): random-intercept logistic model per class of
# the reference (sensitivity on the diseased units, specificity on the non-diseased), maximum likelihood
# by 9-node adaptive Gauss-Hermite quadrature, bobyqa run to a tight tolerance.
# Usage: Rscript lme4_glmm.R > lme4_glmm.json
suppressMessages({library(lme4); library(jsonlite)})
genders <- "../../../../shared/reference/public/genders_segments.csv"
d <- read.csv(genders)
one <- function(cls) {
  s <- d[d$reference == cls, ]
  s$y <- if (cls == 1) s$test else 1 - s$test
  f <- glmer(y ~ 1 + (1 | patient), family = binomial, data = s, nAGQ = 9,
             control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12)))
  list(beta = unname(fixef(f)[1]), se = sqrt(vcov(f)[1, 1]), sigma = unname(getME(f, "theta")[1]),
       loglik = as.numeric(logLik(f)), estimate = unname(plogis(fixef(f)[1])), patients = length(unique(s$patient)))
}
out <- list(genders_segments = list(sensitivity = one(1), specificity = one(0)),
            versions = list(R = R.version.string, lme4 = as.character(packageVersion("lme4"))))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
