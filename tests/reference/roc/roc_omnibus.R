# DeLong's (1988) chi-square test that k AUCs are equal, computed from pROC's DeLong var() and cov():
# X2 = (L a)' (L S L')^-1 (L a), L the k - 1 successive differences, df = k - 1.
# Usage: Rscript roc_omnibus.R four_scores.csv unpaired_a.csv unpaired_b.csv continuous_ties.csv
suppressMessages({library(pROC); library(jsonlite)})
a <- commandArgs(TRUE)
curve <- function(y, s) roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)
contrast <- function(curves, paired) {
  k <- length(curves)
  S <- matrix(0, k, k)
  for (i in 1:k) for (j in 1:k)
    S[i, j] <- if (i == j) var(curves[[i]], method = "delong") else if (paired) cov(curves[[i]], curves[[j]], method = "delong") else 0
  theta <- sapply(curves, function(r) as.numeric(auc(r)))
  L <- cbind(diag(k - 1), 0) - cbind(0, diag(k - 1))
  d <- L %*% theta
  x2 <- as.numeric(t(d) %*% solve(L %*% S %*% t(L)) %*% d)
  list(auc = theta, statistic = x2, df = k - 1, p_value = pchisq(x2, k - 1, lower.tail = FALSE))
}
d <- read.csv(a[1])
four <- lapply(paste0("score", 1:4), function(s) curve(d$y, d[[s]]))
groups <- lapply(a[2:4], function(f) { g <- read.csv(f); curve(g$y, g[[ncol(g)]]) })
out <- list(paired_4 = contrast(four, TRUE), paired_3 = contrast(four[1:3], TRUE),
            unpaired_3 = contrast(groups, FALSE),
            versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
