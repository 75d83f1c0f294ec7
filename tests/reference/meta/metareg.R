# Bivariate meta-regression on one categorical study-level covariate (Reitsma model), metafor rma.mv with
# moderators, run to tight tolerances: reference values for ds.meta.bivariate(..., covariate=...).
# Usage: Rscript metareg.R TABLES.csv COVARIATE REFERENCE_LEVEL   (columns tp, fp, fn, tn; one 2x2 table a row)
# Each row is its own unit of the random effects (as in extra.R): tables of one study for different levels of
# the covariate are treated as independent. 0.5 is added to every cell of a table with a zero cell.
suppressMessages({library(metafor); library(jsonlite)})
args <- commandArgs(TRUE)
m <- read.csv(args[1])
covariate <- args[2]
levels_ <- c(args[3], setdiff(sort(unique(m[[covariate]])), args[3]))
cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
long <- data.frame(unit = rep(seq_len(nrow(m)), each = 2),
                   outcome = factor(rep(c("sens", "fpr"), nrow(m)), levels = c("sens", "fpr")),
                   x = factor(rep(m[[covariate]], each = 2), levels = levels_),
                   yi = as.vector(rbind(qlogis(tp / (tp + fn)), qlogis(fp / (fp + tn)))),
                   vi = as.vector(rbind(1 / tp + 1 / fn, 1 / fp + 1 / tn)))
tight <- list(optimizer = "optim", optmethod = "Nelder-Mead", reltol = 1e-16, maxit = 100000)
fit <- function(mods, method) rma.mv(yi, vi, mods = mods, random = ~ outcome | unit, struct = "UN", data = long,
                                     method = method, control = tight)
summarise <- function(f) list(coef = unname(coef(f)), coef_names = names(coef(f)), se = unname(f$se),
                              vcov = unname(vcov(f)), tau2_sens = f$tau2[1], tau2_fpr = f$tau2[2], rho = f$rho,
                              loglik = as.numeric(logLik(f)))
out <- list(covariate = covariate, levels = levels_)
for (method in c("REML", "ML")) {
  # treatment coding, first level the reference: (sens, fpr, sens:level2, fpr:level2, ...)
  reg <- fit(~ outcome + outcome:x - 1, method)
  # the same model in cell means: logit sens and logit fpr of every level
  cells <- fit(~ outcome:x - 1, method)
  b <- coef(cells); s <- cells$se
  at <- function(o) grep(paste0("^outcome", o, ":x"), names(b))
  out[[method]] <- c(summarise(reg), list(
    level_logit_sens = unname(b[at("sens")]), level_logit_fpr = unname(b[at("fpr")]),
    level_se_sens = unname(s[at("sens")]), level_se_fpr = unname(s[at("fpr")]),
    level_sensitivity = unname(plogis(b[at("sens")])), level_specificity = unname(1 - plogis(b[at("fpr")])),
    cells_loglik = as.numeric(logLik(cells))))
}
null_ml <- fit(~ outcome - 1, "ML")
lrt <- anova(null_ml, fit(~ outcome + outcome:x - 1, "ML"))
out$null_ML <- summarise(null_ml)
out$lrt <- list(statistic = lrt$LRT, df = lrt$parms.f - lrt$parms.r, p_value = lrt$pval)
out$versions <- list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                     script = "tests/reference/meta/metareg.R")
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
