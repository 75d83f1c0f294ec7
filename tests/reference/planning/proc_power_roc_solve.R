# pROC power.roc.test for one AUC (Obuchowski, Lieber & Wians 2004) solved for the significance level
# (sig.level = NULL) or the detectable AUC (auc omitted). Usage: Rscript proc_power_roc_solve.R > proc_power_roc_solve.json
suppressMessages({library(pROC); library(jsonlite)})
safe <- function(expr) tryCatch(expr, error = function(e) NA)
g <- expand.grid(auc = c(0.6, 0.73, 0.85), ncontrols = c(41, 72, 120), power = c(0.8, 0.9),
                 alternative = c("two.sided", "one.sided"), stringsAsFactors = FALSE)
sig <- lapply(seq_len(nrow(g)), function(i) {
  x <- g[i, ]
  c(as.list(x), ncases = 41, sig_level = safe(power.roc.test(auc = x$auc, ncases = 41, ncontrols = x$ncontrols,
                                                            power = x$power, sig.level = NULL,
                                                            alternative = x$alternative)$sig.level))
})
h <- expand.grid(ncases = c(20, 41, 100), ncontrols = c(30, 72), power = c(0.8, 0.9), sig.level = c(0.05, 0.01),
                 alternative = c("two.sided", "one.sided"), stringsAsFactors = FALSE)
auc <- lapply(seq_len(nrow(h)), function(i) {
  x <- h[i, ]
  power_at <- function(a) power.roc.test(auc = a, ncases = x$ncases, ncontrols = x$ncontrols, sig.level = x$sig.level,
                                         alternative = x$alternative)$power
  proc_auc <- safe(power.roc.test(ncases = x$ncases, ncontrols = x$ncontrols, power = x$power,
                                  sig.level = x$sig.level, alternative = x$alternative)$auc)
  # pROC solves with uniroot at its default tolerance (~1e-4); the same pROC power equation solved to 1e-13:
  c(as.list(x), auc = proc_auc, power_at_auc = power_at(proc_auc),
    auc_tol_1e13 = uniroot(function(a) power_at(a) - x$power, c(0.5 + 1e-9, 1 - 1e-9), tol = 1e-13)$root)
})
cat(toJSON(list(sig_level = sig, detectable_auc = auc,
                versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
