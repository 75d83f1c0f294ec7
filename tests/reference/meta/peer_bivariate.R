# Prediction interval of the summary DOR from the bivariate (Reitsma) model, metafor 3.8.1 rma.mv(struct = "UN"):
# the log DOR of a new study, logit sens - logit FPR, has variance c' (G + vcov(b)) c with c = (1, -1); normal quantile.
# (Neither mada nor metafor's predict() reports it for a contrast of the two outcomes, so the formula is applied to the
# tightly converged rma.mv fit here.)  Usage: Rscript peer_bivariate.R STUDIES.csv
suppressMessages({library(metafor); library(jsonlite)})
m <- read.csv(commandArgs(TRUE)[1])
cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
long <- data.frame(study = rep(seq_len(nrow(m)), each = 2), outcome = factor(rep(c("sens", "fpr"), nrow(m)), levels = c("sens", "fpr")),
                   yi = as.vector(rbind(qlogis(tp / (tp + fn)), qlogis(fp / (fp + tn)))),
                   vi = as.vector(rbind(1 / tp + 1 / fn, 1 / fp + 1 / tn)))
tight_mv <- list(optimizer = "optim", optmethod = "Nelder-Mead", reltol = 1e-16, maxit = 100000)
out <- list()
for (method in c("REML", "ML")) {
  f <- rma.mv(yi, vi, mods = ~ outcome - 1, random = ~ outcome | study, struct = "UN", data = long, method = method,
              control = tight_mv)
  cvec <- c(1, -1)
  est <- sum(cvec * coef(f))
  se_pred <- sqrt(drop(t(cvec) %*% (f$G + vcov(f)) %*% cvec))
  out[[method]] <- list(log_dor = est, se_prediction = se_pred, dor_pi = exp(est + c(-1, 1) * qnorm(0.975) * se_pred),
                        dor_pi_90 = exp(est + c(-1, 1) * qnorm(0.95) * se_pred))
}
out$versions <- list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                     script = "tests/reference/meta/peer_bivariate.R")
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
