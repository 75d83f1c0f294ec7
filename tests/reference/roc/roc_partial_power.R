# Bootstrap variance and covariance of partial AUCs and the power of two paired curves compared on a partial
# AUC: pROC 1.18 var/cov(method = "bootstrap"), power.roc.test(roc1, roc2, method = "bootstrap") (pROC refuses
# DeLong for a partial AUC). Usage: Rscript roc_partial_power.R asah.csv > partial_power_proc.json
suppressMessages({library(pROC); library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1])
ranges <- list(list(focus = "specificity", range = c(1, 0.8), correct = FALSE),
               list(focus = "sensitivity", range = c(1, 0.9), correct = FALSE),
               list(focus = "specificity", range = c(1, 0.8), correct = TRUE))
pairs <- list(c("wfns", "s100b"), c("s100b", "ndka"))
out <- list()
for (g in ranges) for (p in pairs) {
  curve <- function(x) roc(d$y, d[[x]], levels = c(0, 1), direction = "<", quiet = TRUE, partial.auc = g$range,
                           partial.auc.focus = g$focus, partial.auc.correct = g$correct)
  r1 <- curve(p[1]); r2 <- curve(p[2])
  set.seed(1); v1 <- var(r1, method = "bootstrap", boot.n = 2000, progress = "none")
  set.seed(2); v2 <- var(r2, method = "bootstrap", boot.n = 2000, progress = "none")
  set.seed(3); cv <- cov(r1, r2, method = "bootstrap", boot.n = 2000, progress = "none")
  # pROC refuses corrected partial AUCs here ("Cannot compute power with corrected partial AUCs")
  set.seed(4); pw <- if (g$correct) NA else power.roc.test(r1, r2, method = "bootstrap", boot.n = 2000,
                                                            progress = "none")$power
  out[[length(out) + 1]] <- list(focus = g$focus, low = min(g$range), high = max(g$range), correct = g$correct,
                                 first = p[1], second = p[2], pauc1 = as.numeric(r1$auc), pauc2 = as.numeric(r2$auc),
                                 var1_bootstrap_2000 = v1, var2_bootstrap_2000 = v2, cov_bootstrap_2000 = cv,
                                 power_bootstrap_2000 = pw)
}
cat(toJSON(list(rows = out, versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
