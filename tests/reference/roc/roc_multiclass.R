# pROC's multiclass.roc with a single predictor on its aSAH data (Turck et al. 2010): s100b across the
# Glasgow outcome scale at 6 months (gos6; level 2 has no patients), the data make_fixtures.sh writes as asah.csv.
# Usage: Rscript roc_multiclass.R > multiclass_proc.json
suppressMessages({library(pROC); library(jsonlite)})
data(aSAH)
fit <- function(direction, ...) {  # ...: partial AUC options, given to auc() of the whole and of each pair
  m <- suppressWarnings(suppressMessages(multiclass.roc(aSAH$gos6, aSAH$s100b, direction = direction)))
  list(auc = as.numeric(auc(m, ...)),
       pairs = lapply(m$rocs, function(r) list(controls = r$levels[1], cases = r$levels[2],
                                               direction = r$direction, auc = as.numeric(auc(r, ...)))))
}
out <- list(auto = fit("auto"), higher = fit("<"),
            # multiclass partial AUC: the mean of the pairwise partial AUCs (partial.auc = c(high, low))
            partial_specificity_correct = fit("auto", partial.auc = c(1, 0.7), partial.auc.focus = "specificity",
                                              partial.auc.correct = TRUE),
            partial_sensitivity = fit("<", partial.auc = c(1, 0.9), partial.auc.focus = "sensitivity"),
            versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC"))))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
