# Best thresholds with pROC's best.weights = c(cost, prevalence) (Perkins & Schisterman 2006): pROC 1.18
# coords(r, "best", best.method = "youden" | "closest.topleft", best.weights = ...), also within a partial-AUC
# range. Every tie is kept. Usage: Rscript roc_best_weights.R asah.csv y s100b asah.csv y wfns continuous_ties.csv
# y marker ordinal.csv y rating (each triple: CSV, 0/1 reference column, score column; higher score = diseased).
suppressMessages({library(pROC); library(jsonlite)})
a <- commandArgs(TRUE)
weights <- list(c(1, 0.5), c(2, 0.3), c(0.5, 0.1), c(1, 0.2), c(3, 0.5), c(0.2, 0.8))
ranges <- list(list(key = "full"), list(key = "specificity_0.5_0.9", range = c(0.9, 0.5), focus = "specificity"),
               list(key = "sensitivity_0.8_1", range = c(1, 0.8), focus = "sensitivity"))
info <- function(file, ycol, scol) {
  d <- read.csv(file)
  rows <- list()
  for (g in ranges) {
    r <- if (g$key == "full") roc(d[[ycol]], d[[scol]], levels = c(0, 1), direction = "<", quiet = TRUE)
         else roc(d[[ycol]], d[[scol]], levels = c(0, 1), direction = "<", quiet = TRUE, partial.auc = g$range,
                  partial.auc.focus = g$focus)
    for (m in c("youden", "closest.topleft")) for (w in weights) {
      cc <- coords(r, "best", best.method = m, best.weights = w, ret = c("threshold", "sensitivity", "specificity"),
                   transpose = FALSE)
      rows[[length(rows) + 1]] <- list(range = g$key, method = m, cost = w[1], prevalence = w[2],
                                       threshold = cc$threshold, sensitivity = cc$sensitivity,
                                       specificity = cc$specificity)
    }
  }
  rows
}
out <- list()
for (i in seq(1, length(a), by = 3)) out[[paste(sub("\\.csv$", "", a[i]), a[i + 2], sep = ":")]] <- info(a[i], a[i + 1], a[i + 2])
out$versions <- list(R = R.version.string, pROC = as.character(packageVersion("pROC")))
cat(toJSON(out, auto_unbox = FALSE, digits = NA, pretty = TRUE, na = "null"))
