# Time-to-event decision curves by the formula of Vickers et al. (2008), with the survival package's
# Kaplan-Meier estimate: among the patients treated at threshold t (risk >= t, or a positive binary test),
# risk(h) = 1 - S(h); NB = risk(h) x P(treated) - (1 - risk(h)) x P(treated) x t / (1 - t).
# Treat all: the Kaplan-Meier risk of everyone. Usage: Rscript dca_survival.R dcurves_df_surv.csv > dca_survival.json
suppressPackageStartupMessages({library(survival); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$event <- as.integer(as.logical(d$cancer))
horizon <- 1.5
thresholds <- c(0, seq(0.01, 0.99, by = 0.01))
km_risk <- function(rows) {
  if (sum(rows) == 0) return(NA_real_)
  fit <- survfit(Surv(ttcancer, event) ~ 1, data = d[rows, ])
  1 - summary(fit, times = horizon, extend = TRUE)$surv
}
net_benefit <- function(treated) {
  sapply(thresholds, function(t) {
    rows <- treated(t)
    p <- mean(rows)
    if (p == 0) return(0)
    r <- km_risk(rows)
    r * p - (1 - r) * p * t / (1 - t)
  })
}
everyone <- function(t) rep(TRUE, nrow(d))
out <- list(
  source = "R survival::survfit (Kaplan-Meier) within the treated patients; formula of Vickers et al. (2008)",
  r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
  horizon = horizon, thresholds = thresholds,
  km_risk_all = km_risk(rep(TRUE, nrow(d))),
  treat_all = net_benefit(everyone),
  famhistory = net_benefit(function(t) d$famhistory == 1),
  cancerpredmarker = net_benefit(function(t) d$cancerpredmarker >= t))
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE))
