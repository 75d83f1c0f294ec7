# metafor reference values for the univariate additions of issue 21: the ML estimator, the Knapp-Hartung
# adjustment for DL / REML / ML (test = "knha", and "adhoc": its variance factor truncated at 1), and the Mantel-Haenszel pooled DOR (rma.mh, measure = "OR").
# Usage: Rscript peer_univariate.R STUDIES.csv   (columns tp, fp, fn, tn; one study a row)
suppressMessages({library(metafor); library(jsonlite)})
m <- read.csv(commandArgs(TRUE)[1])
cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
effects <- list(sensitivity = list(qlogis(tp / (tp + fn)), 1 / tp + 1 / fn),
                specificity = list(qlogis(tn / (tn + fp)), 1 / tn + 1 / fp),
                dor = list(log(tp * tn / (fp * fn)), 1 / tp + 1 / fp + 1 / fn + 1 / tn))
tight <- list(threshold = 1e-12, maxiter = 10000)
uni <- function(yi, vi, method, test) {
  f <- rma(yi, vi, method = method, test = test, control = tight)
  p <- predict(f)
  list(estimate = as.numeric(f$b), se = f$se, ci = c(f$ci.lb, f$ci.ub), statistic = f$zval, p = f$pval,
       tau2 = f$tau2, I2 = f$I2, H2 = f$H2, pi = c(p$pi.lb, p$pi.ub), weights = unname(weights(f)))
}
out <- list()
for (measure in names(effects)) for (method in c("DL", "REML", "ML")) for (test in c("z", "knha", "adhoc")) {
  if (method != "ML" && test == "z") next  # DL and REML with z are in *_extra.json
  out[[paste(measure, method, test, sep = "_")]] <- uni(effects[[measure]][[1]], effects[[measure]][[2]], method, test)
}
mh <- rma.mh(ai = m$tp, bi = m$fn, ci = m$fp, di = m$tn, measure = "OR")
out$mantel_haenszel <- list(log_or = as.numeric(mh$b), se = mh$se, ci_log = c(mh$ci.lb, mh$ci.ub),
  or = exp(as.numeric(mh$b)), ci = exp(c(mh$ci.lb, mh$ci.ub)), z = mh$zval, p = mh$pval,
  Q = mh$QE, Q_p = mh$QEp, CMH = mh$CO, CMH_p = mh$COp, k = mh$k, k_yi = mh$k.yi)
out$versions <- list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                     script = "tests/reference/meta/peer_univariate.R")
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
