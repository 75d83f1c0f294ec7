# pROC power.roc.test: one AUC (Obuchowski, Lieber & Wians 2004) and two binormal (partial) AUCs
# (Obuchowski & McClish 1997). Usage: Rscript proc_power_roc_test.R > proc_power_roc_test.json
suppressMessages({library(pROC); library(jsonlite)})
one <- expand.grid(auc = c(0.6, 0.73, 0.85, 0.95), kappa = c(1, 1.7, 3), power = c(0.8, 0.95),
                   alternative = c("two.sided", "one.sided"), stringsAsFactors = FALSE)
one_rows <- lapply(seq_len(nrow(one)), function(i) {
  g <- one[i, ]
  n <- power.roc.test(auc = g$auc, kappa = g$kappa, power = g$power, sig.level = 0.05, alternative = g$alternative)
  p <- power.roc.test(auc = g$auc, ncases = 41, ncontrols = round(41 * g$kappa), sig.level = 0.05,
                      alternative = g$alternative)
  c(as.list(g), ncases = n$ncases, ncontrols = n$ncontrols, power_ncases = 41,
    power_ncontrols = round(41 * g$kappa), power_at = p$power)
})
designs <- list(
  # Example 2 of Obuchowski & McClish (1997), partial area over FPR 0-0.2 (also pROC's help example)
  list(A1 = 2.6, B1 = 1, A2 = 1.9, B2 = 1, rn = 0.6, ra = 0.6, delta = 0.037, FPR11 = 0, FPR12 = 0.2, FPR21 = 0,
       FPR22 = 0.2),
  list(A1 = 1.2, B1 = 0.9, A2 = 0.8, B2 = 1.1, rn = 0.5, ra = 0.4),
  list(A1 = 1.5, B1 = 1.3, A2 = 1.0, B2 = 0.7, rn = 0.3, ra = 0.7),
  list(A1 = 0.9, B1 = 1, A2 = 1.4, B2 = 1, rn = 0, ra = 0),
  list(A1 = 2.0, B1 = 0.8, A2 = 1.6, B2 = 1.2, rn = 0.6, ra = 0.5, FPR11 = 0.05, FPR12 = 0.3, FPR21 = 0.05,
       FPR22 = 0.3)
)
auc_binormal <- function(a, b) pnorm(a / sqrt(1 + b^2))
pauc_binormal <- function(a, b, lo, hi) integrate(function(x) pnorm(a + b * qnorm(x)), lo, hi, rel.tol = 1e-12)$value
two_rows <- list()
for (d in designs) {
  if (is.null(d$delta)) d$delta <- if (is.null(d$FPR11)) auc_binormal(d$A1, d$B1) - auc_binormal(d$A2, d$B2) else
    pauc_binormal(d$A1, d$B1, d$FPR11, d$FPR12) - pauc_binormal(d$A2, d$B2, d$FPR11, d$FPR12)
  for (kappa in c(1, 1.5)) for (alt in c("two.sided", "one.sided")) {
    n <- power.roc.test(d, power = 0.8, sig.level = 0.05, kappa = kappa, alternative = alt)
    p <- power.roc.test(d, ncases = 100, ncontrols = 100 * kappa, sig.level = 0.05, alternative = alt)
    two_rows[[length(two_rows) + 1]] <- c(d, kappa = kappa, alternative = alt, ncases = n$ncases,
                                           ncontrols = n$ncontrols, power_ncases = 100,
                                           power_ncontrols = 100 * kappa, power_at = p$power)
  }
}
cat(toJSON(list(one_auc = one_rows, two_binormal_aucs = two_rows,
                versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE))
