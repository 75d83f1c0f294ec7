# Tightly converged metafor / lme4 reference values for diagstats.meta (complements ../shared/oracle/meta.R,
# whose default optimizer tolerances stop about 1e-5 (relative) short of the optimum).
# Usage: Rscript extra.R STUDIES.csv [COVARIATE]   (columns tp, fp, fn, tn; one study a row)
#        Rscript extra.R --proportion SERIES.csv   (columns correct, n)
suppressMessages({library(metafor); library(lme4); library(jsonlite)})
args <- commandArgs(TRUE)
versions <- list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                 lme4 = as.character(packageVersion("lme4")), script = "tests/reference/meta/extra.R")
tight_uni <- list(threshold = 1e-12, maxiter = 10000)
uni <- function(yi, vi, method) {
  f <- rma(yi, vi, method = method, control = tight_uni)
  ci <- confint(f, type = "QP", control = list(tol = 1e-12))$random
  p <- predict(f)
  list(estimate = as.numeric(f$b), se = f$se, ci = c(f$ci.lb, f$ci.ub), tau2 = f$tau2,
       tau2_ci = unname(ci["tau^2", c("ci.lb", "ci.ub")]), Q = f$QE, Q_p = f$QEp, I2 = f$I2, H2 = f$H2,
       pi = c(p$pi.lb, p$pi.ub), weights = unname(weights(f)))
}
if (args[1] == "--proportion") {
  s <- read.csv(args[2])
  yi <- qlogis(s$correct / s$n); vi <- 1 / s$correct + 1 / (s$n - s$correct)
  g <- data.frame(study = factor(seq_len(nrow(s))), correct = s$correct, n = s$n)
  glmm <- function(nagq) {
    f <- glmer(cbind(correct, n - correct) ~ 1 + (1 | study), family = binomial, data = g, nAGQ = nagq,
               control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12)))
    list(nagq = nagq, logit = unname(fixef(f)), se = unname(sqrt(diag(as.matrix(vcov(f))))),
         tau2 = as.data.frame(VarCorr(f))$vcov[1], loglik = as.numeric(logLik(f)))
  }
  out <- list(logit_DL = uni(yi, vi, "DL"), logit_REML = uni(yi, vi, "REML"),
              glmm_laplace = glmm(1), glmm_agq9 = glmm(9), versions = versions)
} else {
  m <- read.csv(args[1])
  cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
  tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
  long <- data.frame(study = rep(seq_len(nrow(m)), each = 2), outcome = factor(rep(c("sens", "fpr"), nrow(m)), levels = c("sens", "fpr")),
                     yi = as.vector(rbind(qlogis(tp / (tp + fn)), qlogis(fp / (fp + tn)))),
                     vi = as.vector(rbind(1 / tp + 1 / fn, 1 / fp + 1 / tn)))
  tight_mv <- list(optimizer = "optim", optmethod = "Nelder-Mead", reltol = 1e-16, maxit = 100000)
  biv <- function(method, mods = ~ outcome - 1) {
    f <- rma.mv(yi, vi, mods = mods, random = ~ outcome | study, struct = "UN", data = long, method = method,
                control = tight_mv)
    fs <- fitstats(f)
    list(coef = unname(coef(f)), coef_names = names(coef(f)), vcov = unname(vcov(f)), se = unname(f$se),
         tau2_sens = f$tau2[1], tau2_fpr = f$tau2[2], rho = f$rho, loglik = unname(fs[1]),
         AIC = unname(fs[3]), BIC = unname(fs[4]))
  }
  out <- list(bivariate_reml = biv("REML"), bivariate_ml = biv("ML"))
  if (length(args) > 1) {
    long$x <- rep(m[[args[2]]], each = 2)
    out$bivariate_reml_covariate <- c(list(covariate = args[2]), biv("REML", ~ outcome + outcome:x - 1))
  }
  ls <- qlogis(tp / (tp + fn)); vs <- 1 / tp + 1 / fn; lsp <- qlogis(tn / (tn + fp)); vsp <- 1 / tn + 1 / fp
  ld <- log(tp * tn / (fp * fn)); vd <- 1 / tp + 1 / fp + 1 / fn + 1 / tn
  lp <- log((tp / (tp + fn)) / (fp / (fp + tn))); vp <- 1 / tp - 1 / (tp + fn) + 1 / fp - 1 / (fp + tn)
  ln <- log((fn / (tp + fn)) / (tn / (fp + tn))); vn <- 1 / fn - 1 / (tp + fn) + 1 / tn - 1 / (fp + tn)
  for (method in c("DL", "REML")) {
    out[[paste0("sensitivity_", method)]] <- uni(ls, vs, method)
    out[[paste0("specificity_", method)]] <- uni(lsp, vsp, method)
    out[[paste0("dor_", method)]] <- uni(ld, vd, method)
    out[[paste0("lr_positive_", method)]] <- uni(lp, vp, method)
    out[[paste0("lr_negative_", method)]] <- uni(ln, vn, method)
  }
  gl <- data.frame(study = rep(seq_len(nrow(m)), 2), sens = rep(c(1, 0), each = nrow(m)), spec = rep(c(0, 1), each = nrow(m)),
                   events = c(m$tp, m$tn), n = c(m$tp + m$fn, m$tn + m$fp))
  g <- glmer(cbind(events, n - events) ~ 0 + sens + spec + (0 + sens + spec | study), family = binomial, data = gl,
             control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12)))
  vc <- as.data.frame(VarCorr(g))
  out$glmm_laplace <- list(logit_sens = unname(fixef(g)["sens"]), logit_spec = unname(fixef(g)["spec"]),
    se = unname(sqrt(diag(as.matrix(vcov(g))))), var_sens = vc$vcov[1], var_spec = vc$vcov[2], cor_sens_spec = vc$sdcor[3],
    loglik = as.numeric(logLik(g)))
  out$versions <- versions
}
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
