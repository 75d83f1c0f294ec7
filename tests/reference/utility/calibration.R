# Reference values for ds.calibration on the Steyerberg et al. (2010) testicular cancer case study
# (development and validation sets, with the model's predicted probability p).
# Usage: Rscript calibration.R me_testis_development.csv me_testis_validation.csv > calibration.json
# (rms + jsonlite). Calibration-in-the-large: glm(y ~ offset(logit p)); slope: glm(y ~ logit p), whose
# intercept is rms::val.prob's "Intercept" (the recalibration intercept). Profile-likelihood intervals
# are the exact roots of the profile deviance (uniroot, tolerance 1e-12); confint() (MASS's profile,
# which interpolates the profile by a spline between grid points) is recorded beside them.
# Curves: the secondary logistic curve glm(y ~ p) as in Steyerberg's worked example, and loess(y ~ p)
# with R's defaults (span 0.75, degree 2) but surface = "direct" (the default "interpolate" evaluates
# a kd-tree vertex interpolation, an approximation of the local fit, not reproduced by diagstats).
# Hosmer-Lemeshow: 10 groups cut at the deciles of p (as ResourceSelection::hoslem.test), df 8.
suppressPackageStartupMessages({library(rms); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
tight <- glm.control(epsilon = 1e-14, maxit = 100)
level <- 0.95
crit <- qchisq(level, 1)
grid <- seq(0.05, 0.95, by = 0.05)
one <- function(file) {
  d <- read.csv(file)
  y <- d$tum_res
  p <- d$p
  x <- qlogis(p)
  citl_fit <- glm(y ~ offset(x), family = binomial, control = tight)
  a <- unname(coef(citl_fit))
  dev_a <- function(a0) glm(y ~ -1 + offset(x + a0), family = binomial, control = tight)$deviance
  f_a <- function(a0) dev_a(a0) - citl_fit$deviance - crit
  citl_ci <- c(uniroot(f_a, c(a - 2, a), tol = 1e-12)$root, uniroot(f_a, c(a, a + 2), tol = 1e-12)$root)
  slope_fit <- glm(y ~ x, family = binomial, control = tight)
  b <- unname(coef(slope_fit)[2])
  dev_b <- function(b0) glm(y ~ 1 + offset(b0 * x), family = binomial, control = tight)$deviance
  f_b <- function(b0) dev_b(b0) - slope_fit$deviance - crit
  slope_ci <- c(uniroot(f_b, c(b - 2, b), tol = 1e-12)$root, uniroot(f_b, c(b, b + 2), tol = 1e-12)$root)
  vp <- val.prob(p, y, pl = FALSE)
  logistic <- glm(y ~ p, family = binomial, control = tight)
  cal_logistic <- fitted(logistic)
  lo <- loess(y ~ p, span = 0.75, degree = 2, control = loess.control(surface = "direct"))
  cal_loess <- fitted(lo)
  e <- function(cal) {
    err <- abs(cal - p)
    list(ici = mean(err), e50 = unname(median(err)), e90 = unname(quantile(err, 0.9)), emax = max(err))
  }
  hl_groups <- cut(p, breaks = quantile(p, probs = seq(0, 1, 0.1)), include.lowest = TRUE)
  hl_o <- tapply(y, hl_groups, sum)
  hl_e <- tapply(p, hl_groups, sum)
  hl_n <- tapply(p, hl_groups, length)
  hl <- sum((hl_o - hl_e)^2 / (hl_e * (1 - hl_e / hl_n)))
  brier <- mean((y - p)^2)
  ybar <- mean(y)
  list(file = basename(file), n = length(y), events = sum(y),
       calibration_in_the_large = list(value = a, lower = citl_ci[1], upper = citl_ci[2],
                                       confint_lower = unname(confint(citl_fit)[1]),
                                       confint_upper = unname(confint(citl_fit)[2])),
       slope = list(value = b, lower = slope_ci[1], upper = slope_ci[2],
                    confint_lower = unname(suppressMessages(confint(slope_fit))[2, 1]),
                    confint_upper = unname(suppressMessages(confint(slope_fit))[2, 2])),
       recalibration_intercept = unname(coef(slope_fit)[1]),
       val_prob = list(intercept = unname(vp["Intercept"]), slope = unname(vp["Slope"]),
                       brier = unname(vp["Brier"])),
       oe = sum(y) / sum(p), oe_lower = sum(y) / sum(p) * exp(-qnorm(0.975) / sqrt(sum(y))),
       oe_upper = sum(y) / sum(p) * exp(qnorm(0.975) / sqrt(sum(y))),
       hosmer_lemeshow = list(statistic = hl, df = 8, p_value = pchisq(hl, 8, lower.tail = FALSE)), brier = brier, scaled_brier = 1 - brier / (ybar * (1 - ybar)),
       logistic = c(e(cal_logistic), list(coefficients = unname(coef(logistic)),
                                          grid = grid, curve = unname(predict(logistic, data.frame(p = grid),
                                                                               type = "response")))),
       loess = c(e(cal_loess), list(grid = grid, curve = unname(predict(lo, data.frame(p = grid))))))
}
out <- list(r_version = R.version.string, rms_version = as.character(packageVersion("rms")),
            jsonlite_version = as.character(packageVersion("jsonlite")), level = level,
            development = one(args[1]), validation = one(args[2]))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
