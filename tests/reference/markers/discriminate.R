# Reference values for ds.markers.discriminate: DeLong AUCs and Youden cutpoints of NLR and PLR,
# paired DeLong test, logistic model (glm) coefficients with Wald intervals, likelihood-ratio test
# of the markers given age, and the cross-validated AUCs from the folds in the CSV.
# Usage: Rscript discriminate.R discriminate.csv > discriminate.json   (pROC + jsonlite)
suppressPackageStartupMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$log_nlr <- log(d$nlr)
d$log_plr <- log(d$plr)
# glm's default convergence (relative deviance change 1e-8) leaves standard errors off in the 6th
# digit; fit to full convergence, as statsmodels' Newton iterations do.
tight <- glm.control(epsilon = 1e-14, maxit = 100)
curve <- function(score) roc(d$y, score, levels = c(0, 1), direction = "<", quiet = TRUE)
auc_list <- function(r) {
  ci <- ci.auc(r, method = "delong")
  list(auc = as.numeric(auc(r)), lower = ci[1], upper = ci[3])
}
out <- list(r_version = R.version.string, proc_version = as.character(packageVersion("pROC")),
            jsonlite_version = as.character(packageVersion("jsonlite")), markers = list())
curves <- list()
for (m in c("nlr", "plr")) {
  r <- curve(d[[m]])
  curves[[m]] <- r
  best <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"),
                 transpose = FALSE)
  out$markers[[m]] <- c(auc_list(r), list(youden_midpoint = best$threshold, sensitivity = best$sensitivity,
                                          specificity = best$specificity))
}
t <- roc.test(curves$nlr, curves$plr, method = "delong", paired = TRUE)
out$nlr_vs_plr <- list(statistic = unname(t$statistic), p_value = t$p.value)

full <- glm(y ~ log_nlr + log_plr + age, family = binomial, data = d, control = tight)
reduced <- glm(y ~ age, family = binomial, data = d, control = tight)
lr <- anova(reduced, full, test = "LRT")
ci <- confint.default(full)
out$model <- list(terms = c("log(nlr)", "log(plr)", "age"), coefficients = unname(coef(full)[-1]),
                  odds_ratio = unname(exp(coef(full)[-1])), lower = unname(exp(ci[-1, 1])),
                  upper = unname(exp(ci[-1, 2])), p_value = unname(summary(full)$coefficients[-1, 4]),
                  lr_statistic = lr$Deviance[2], lr_df = lr$Df[2], lr_p_value = lr[["Pr(>Chi)"]][2],
                  apparent = auc_list(curve(full$linear.predictors)))

oof_full <- oof_reduced <- numeric(nrow(d))
for (f in sort(unique(d$fold))) {
  train <- d[d$fold != f, ]
  test <- d$fold == f
  oof_full[test] <- predict(glm(y ~ log_nlr + log_plr + age, family = binomial, data = train, control = tight), d[test, ])
  oof_reduced[test] <- predict(glm(y ~ age, family = binomial, data = train, control = tight), d[test, ])
}
r_full <- curve(oof_full)
r_reduced <- curve(oof_reduced)
t <- roc.test(r_full, r_reduced, method = "delong", paired = TRUE)
out$cv <- list(model = auc_list(r_full), covariates = auc_list(r_reduced),
               added_statistic = unname(t$statistic), added_p_value = t$p.value)
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
