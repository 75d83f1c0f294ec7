# Per-study descriptives as mada's madad reports them (mada itself is not installable here), computed in base R:
# Wilson intervals of sensitivity, specificity and FPR; log-scale Wald intervals of LR+, LR- and DOR (0.5 added to every
# cell of studies with a zero cell); Pearson chi-square tests of equal sensitivities / specificities (prop.test);
# Pearson correlation of sensitivities with false positive rates and its Fisher-z interval (cor.test).
# Usage: Rscript peer_describe.R STUDIES.csv
suppressMessages(library(jsonlite))
m <- read.csv(commandArgs(TRUE)[1])
z <- qnorm(0.975)
wilson <- function(x, n) {
  p <- x / n; centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  list(value = p, lower = centre - half, upper = centre + half)
}
cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
ratio <- function(log_value, se) list(value = exp(log_value), lower = exp(log_value - z * se), upper = exp(log_value + z * se))
sens <- m$tp / (m$tp + m$fn); fpr <- m$fp / (m$fp + m$tn)
st <- suppressWarnings(prop.test(m$tp, m$tp + m$fn, correct = FALSE))
sp <- suppressWarnings(prop.test(m$tn, m$tn + m$fp, correct = FALSE))
ct <- cor.test(sens, fpr)
out <- list(
  sensitivity = wilson(m$tp, m$tp + m$fn), specificity = wilson(m$tn, m$tn + m$fp), fpr = wilson(m$fp, m$fp + m$tn),
  lr_positive = ratio(log((tp / (tp + fn)) / (fp / (fp + tn))), sqrt(1 / tp - 1 / (tp + fn) + 1 / fp - 1 / (fp + tn))),
  lr_negative = ratio(log((fn / (tp + fn)) / (tn / (fp + tn))), sqrt(1 / fn - 1 / (tp + fn) + 1 / tn - 1 / (fp + tn))),
  dor = ratio(log(tp * tn / (fp * fn)), sqrt(1 / tp + 1 / fp + 1 / fn + 1 / tn)),
  sensitivity_test = list(statistic = unname(st$statistic), df = unname(st$parameter), p = st$p.value),
  specificity_test = list(statistic = unname(sp$statistic), df = unname(sp$parameter), p = sp$p.value),
  correlation = list(r = unname(ct$estimate), ci = unname(ct$conf.int), p = ct$p.value),
  versions = list(R = R.version.string, script = "tests/reference/meta/peer_describe.R"))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
