# Covariance of two paired AUCs: pROC 1.18 cov(roc1, roc2, method = "delong" | "bootstrap").
# Usage: Rscript roc_covariance.R four_scores.csv
suppressMessages({library(pROC); library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1])
curve <- function(s) roc(d$y, d[[s]], levels = c(0, 1), direction = "<", quiet = TRUE)
pairs <- list(c(1, 2), c(1, 3), c(2, 4))
out <- lapply(pairs, function(p) {
  r1 <- curve(paste0("score", p[1])); r2 <- curve(paste0("score", p[2]))
  set.seed(1)
  list(first = p[1], second = p[2], delong = cov(r1, r2, method = "delong"),
       bootstrap_2000 = cov(r1, r2, method = "bootstrap", boot.n = 2000, progress = "none"))
})
cat(toJSON(list(pairs = out, versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE))
