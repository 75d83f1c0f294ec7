# Power of two paired ROC curves (DeLong variance) and the significance level for a power: pROC 1.18
# power.roc.test(roc1, roc2, ...). Usage: Rscript roc_power.R four_scores.csv
suppressMessages({library(pROC); library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1])
curve <- function(i) roc(d$y, d[[paste0("score", i)]], levels = c(0, 1), direction = "<", quiet = TRUE)
pairs <- list(c(1, 2), c(2, 1), c(1, 3), c(4, 2))
out <- lapply(pairs, function(p) {
  r1 <- curve(p[1]); r2 <- curve(p[2])
  list(first = p[1], second = p[2],
       power = power.roc.test(r1, r2)$power,
       power_alpha_0.01 = power.roc.test(r1, r2, sig.level = 0.01)$power,
       power_one_sided = power.roc.test(r1, r2, alternative = "one.sided")$power,
       sig_level_power_0.9 = power.roc.test(r1, r2, power = 0.9, sig.level = NULL)$sig.level,
       sig_level_power_0.8_one_sided = power.roc.test(r1, r2, power = 0.8, sig.level = NULL,
                                                      alternative = "one.sided")$sig.level)
})
cat(toJSON(list(pairs = out, versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE))
