suppressMessages({library(pROC); library(jsonlite)})
# Venkatraman's permutation tests (pROC roc.test(method = "venkatraman"), boot.n = 2000, seed 1):
#   Rscript roc_venkatraman.R paired.csv unpaired_a.csv unpaired_b.csv > venkatraman_proc.json
# Paired: the two scores of paired.csv (same patients); unpaired: the score of unpaired_a.csv
# against the score of unpaired_b.csv. Reference y (1 = diseased), higher score = diseased.
a <- commandArgs(TRUE)
curve <- function(y, s) roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)
test <- function(r1, r2, paired) {
  set.seed(1)
  t <- roc.test(r1, r2, method = "venkatraman", paired = paired, boot.n = 2000, progress = "none")
  list(statistic = unname(t$statistic), p_value = t$p.value, boot_n = unname(t$parameter), method = t$method)
}
p <- read.csv(a[1]); u1 <- read.csv(a[2]); u2 <- read.csv(a[3])
out <- list(
  paired = test(curve(p$y, p$score1), curve(p$y, p$score2), TRUE),
  unpaired = test(curve(u1$y, u1$score), curve(u2$y, u2$score), FALSE),
  versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
