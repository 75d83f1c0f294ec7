# pROC's multiclass.roc with one score column per class (Hand & Till's M, full and partial AUC).
# multiclass_scores.csv: aSAH's WFNS grade (cls, 5 classes) and one made-up score per grade, made once by
#   set.seed(3); p <- sapply(levels(factor(d$wfns)), function(l) (d$wfns == as.numeric(l)) + d$s100b + rnorm(nrow(d)))
# with d = asah.csv. Usage: Rscript roc_multiclass_mv.R > multiclass_mv_proc.json
suppressMessages({library(pROC); library(jsonlite)})
d <- read.csv("multiclass_scores.csv", check.names = FALSE)
cls <- factor(d$cls)
p <- as.matrix(d[, -1]); colnames(p) <- levels(cls)
m <- multiclass.roc(cls, p)
area <- function(...) suppressWarnings(as.numeric(auc(m, ...)))
out <- list(auc = area(),
            partial_specificity = area(partial.auc = c(1, 0.8), partial.auc.focus = "specificity"),
            partial_sensitivity_correct = area(partial.auc = c(1, 0.6), partial.auc.focus = "sensitivity",
                                               partial.auc.correct = TRUE),
            versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
