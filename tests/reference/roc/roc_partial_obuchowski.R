# Obuchowski & McClish (1997) variance, covariance and power of two observed paired partial AUCs, computed with
# pROC 1.18's binormal-parameter method power.roc.test(list(A1, B1, A2, B2, rn, ra, FPR11, FPR12, FPR21, FPR22,
# delta)) at each curve's least-squares binormal line (pROC smooth(method = "binormal"): qnorm(sp) = a - b qnorm(se))
# and the observed partial-AUC difference. A specificity range (lo, hi) is the curve se = Phi(a/b + qnorm(fpr) / b)
# over FPR (1 - hi, 1 - lo), per case; a sensitivity range the curve with the classes exchanged, sp = Phi(a + b
# qnorm(1 - se)) over 1 - se in (1 - hi, 1 - lo), per control, with the two correlations exchanged.
# Also pROC's own var/cov/power.roc.test(method = "obuchowski") on the same partial-AUC curves, which differ (see
# docs/differences_from_r.md). Usage: Rscript roc_partial_obuchowski.R asah.csv > partial_obuchowski_proc.json
suppressMessages({library(pROC); library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1])
ranges <- list(list(focus = "specificity", lo = 0.8, hi = 1), list(focus = "specificity", lo = 0.7, hi = 0.9),
               list(focus = "sensitivity", lo = 0.9, hi = 1), list(focus = "sensitivity", lo = 0.6, hi = 0.95))
pairs <- list(c("wfns", "s100b"), c("s100b", "ndka"), c("ndka", "wfns"))
quiet_power <- function(...) suppressWarnings(power.roc.test(...))
out <- list()
for (g in ranges) for (p in pairs) {
  curve <- function(x) roc(d$y, d[[x]], levels = c(0, 1), direction = "<", quiet = TRUE,
                           partial.auc = c(g$hi, g$lo), partial.auc.focus = g$focus)
  r1 <- curve(p[1]); r2 <- curve(p[2])
  line <- function(r) { co <- coef(smooth(r, method = "binormal")$model); c(a = unname(co[1]), b = -unname(co[2])) }
  l1 <- line(r1); l2 <- line(r2)
  cases <- d$y == 1
  r_cases <- cor(d[[p[1]]][cases], d[[p[2]]][cases]); r_controls <- cor(d[[p[1]]][!cases], d[[p[2]]][!cases])
  delta <- as.numeric(r1$auc) - as.numeric(r2$auc)
  if (g$focus == "specificity") {
    pars <- list(A1 = l1[["a"]] / l1[["b"]], B1 = 1 / l1[["b"]], A2 = l2[["a"]] / l2[["b"]], B2 = 1 / l2[["b"]],
                 ra = r_cases, rn = r_controls)
    n1 <- sum(cases); n0 <- sum(!cases)
  } else {
    pars <- list(A1 = l1[["a"]], B1 = l1[["b"]], A2 = l2[["a"]], B2 = l2[["b"]], ra = r_controls, rn = r_cases)
    n1 <- sum(!cases); n0 <- sum(cases)
  }
  pars <- c(pars, list(FPR11 = 1 - g$hi, FPR12 = 1 - g$lo, FPR21 = 1 - g$hi, FPR22 = 1 - g$lo, delta = delta))
  row <- list(focus = g$focus, low = g$lo, high = g$hi, first = p[1], second = p[2], delta = delta,
              power = quiet_power(pars, ncases = n1, ncontrols = n0)$power,
              power_alpha_0.01 = quiet_power(pars, ncases = n1, ncontrols = n0, sig.level = 0.01)$power,
              n_diseased_power_0.9 = quiet_power(pars, power = 0.9, kappa = n0 / n1)$ncases,
              sig_level_power_0.5 = quiet_power(pars, ncases = n1, ncontrols = n0, power = 0.5, sig.level = NULL)$sig.level)
  if (g$focus == "specificity")
    row <- c(row, list(proc_roc_var1 = var(r1, method = "obuchowski"), proc_roc_cov = cov(r1, r2, method = "obuchowski"),
                       a1 = l1[["a"]], b1 = l1[["b"]], n_cases = sum(cases), n_controls = sum(!cases)))
  out[[length(out) + 1]] <- row
}
cat(toJSON(list(rows = out, versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
