# mada's proportional hazards model phm (Holling, Boehning & Boehning 2012) on one set of studies, with and without
# heterogeneity, correcting every study (mada's default) or only those with a zero cell, as JSON.
# Usage: Rscript peer_phm.R STUDIES.csv [result_id]   (columns TP, FN, FP, TN in any case; with result_id, only the
# rows of that result_id, as mada's vignette does for its smoking data)
# mada does not install here (it needs mvmeta). The committed JSONs were made by pointing MADA_R_DIR at mada 0.5.10's
# own R files (cran/mada: R/phm.R, R/AUC.R, the sroc generic of R/sroc.R and checkdata, sens, fpr and spec of
# R/basics.R), sourced unchanged; with mada installed, leave MADA_R_DIR unset.
suppressMessages(library(jsonlite))
dir <- Sys.getenv("MADA_R_DIR")
if (nzchar(dir)) {
  for (f in list.files(dir, pattern = "[.]R$", full.names = TRUE)) source(f)
  version <- "0.5.10 (R files sourced)"
} else {
  suppressMessages(library(mada))
  version <- as.character(packageVersion("mada"))
}
args <- commandArgs(TRUE)
d <- read.csv(args[1])
names(d) <- toupper(names(d))
if (length(args) > 1) d <- d[d$RESULT_ID == as.numeric(args[2]), ]
d <- data.frame(TP = as.double(d$TP), FN = as.double(d$FN), FP = as.double(d$FP), TN = as.double(d$TN))
fit_one <- function(hetero, control) {
  fit <- phm(d, hetero = hetero, correction.control = control)
  s <- summary(fit)
  list(hetero = hetero, correction_control = control, coefficients = as.list(coef(fit)), vcov = unname(vcov(fit)),
       log_lik = as.numeric(logLik(fit)), aic = AIC(fit), bic = BIC(fit),
       chi_square = unname(fit$chi_sq_test$statistic), chi_square_p = fit$chi_sq_test$p.value,
       auc = s$AUC$AUC, auc_ci = s$AUC$ci, pauc = s$AUC$pAUC, pauc_ci = s$AUC$pci,
       sroc_sensitivity = unname(sroc(fit)[, 2]), iterations = fit$iterations)
}
fits <- list()
for (control in c("all", "single")) for (hetero in c(TRUE, FALSE)) fits[[length(fits) + 1]] <- fit_one(hetero, control)
out <- list(fits = fits, versions = list(R = R.version.string, mada = version, script = "tests/reference/meta/peer_phm.R"))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
