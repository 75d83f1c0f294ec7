# Bivariate (Reitsma) model on t-alpha transformed sensitivity and FPR (Doebler, Holling & Boehning 2012; mada's
# reitsma(alphasens=, alphafpr=)), fitted by metafor 3.8.1 rma.mv(struct = "UN") REML and ML run to tight tolerances.
# t_a(x) = a log(x) - (2 - a) log(1 - x); within-study variance by the delta method, t_a'(p)^2 p (1 - p) / n with
# t_a'(x) = a / x + (2 - a) / (1 - x). 0.5 is added to every cell of studies with a zero cell (diagstats' default).
# (mada is not installable here.)  Usage: Rscript peer_talpha.R STUDIES.csv ALPHA_SENS ALPHA_FPR
suppressMessages({library(metafor); library(jsonlite)})
args <- commandArgs(TRUE)
m <- read.csv(args[1]); a_sens <- as.numeric(args[2]); a_fpr <- as.numeric(args[3])
cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
t_alpha <- function(x, a) a * log(x) - (2 - a) * log(1 - x)
t_var <- function(x, n, a) (a / x + (2 - a) / (1 - x))^2 * x * (1 - x) / n
sens <- tp / (tp + fn); fpr <- fp / (fp + tn)
long <- data.frame(study = rep(seq_len(nrow(m)), each = 2), outcome = factor(rep(c("sens", "fpr"), nrow(m)), levels = c("sens", "fpr")),
                   yi = as.vector(rbind(t_alpha(sens, a_sens), t_alpha(fpr, a_fpr))),
                   vi = as.vector(rbind(t_var(sens, tp + fn, a_sens), t_var(fpr, fp + tn, a_fpr))))
tight_mv <- list(optimizer = "optim", optmethod = "Nelder-Mead", reltol = 1e-16, maxit = 100000)
out <- list(alpha_sensitivity = a_sens, alpha_fpr = a_fpr, yi = long$yi, vi = long$vi)
for (method in c("REML", "ML")) {
  f <- rma.mv(yi, vi, mods = ~ outcome - 1, random = ~ outcome | study, struct = "UN", data = long, method = method,
              control = tight_mv)
  out[[method]] <- list(mu = unname(coef(f)), vcov = unname(vcov(f)), sigma = unname(f$G),
                        loglik = as.numeric(logLik(f)))
}
out$versions <- list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                     script = "tests/reference/meta/peer_talpha.R")
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
