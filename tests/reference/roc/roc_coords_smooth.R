# coords(x = "local maximas"), coords(x = "best") restricted to a partial-AUC range, the counts at the grey
# zone's cut-offs, smooth() by the binormal (least squares), density and fitdistr methods, and coords() on
# the smoothed curves.
# Usage: Rscript roc_coords_smooth.R asah.csv y s100b continuous_ties.csv y marker ordinal.csv y rating
# (each triple: CSV, 0/1 reference column, score column; higher score = diseased). asah.csv is pROC's aSAH
# data (outcome Poor = 1), written by the line before this one in make_fixtures.sh.
suppressMessages({library(pROC); library(jsonlite)})
a <- commandArgs(TRUE)
pick <- function(cc) if (is.null(cc)) NULL else as.list(as.data.frame(cc))
coords3 <- function(r, x, ...) pick(coords(r, x, ret = c("threshold", "sensitivity", "specificity"),
                                             transpose = FALSE, ...))
smoothed <- function(r, method) {
  s <- if (method == "binormal" && !is.numeric(r$predictor)) NULL else smooth(r, method = method)
  at <- function(x, input) pick(coords(s, x, input = input, ret = c("specificity", "sensitivity"), transpose = FALSE))
  best <- function(m) pick(coords(s, "best", best.method = m, ret = c("specificity", "sensitivity"), transpose = FALSE))
  out <- list(sensitivities = s$sensitivities, specificities = s$specificities, auc = as.numeric(auc(s)),
              sensitivity_at_specificity = at(c(0.5, 0.9, 0.95), "specificity"),
              specificity_at_sensitivity = at(c(0.5, 0.9, 0.95), "sensitivity"),
              best_youden = best("youden"), best_closest_topleft = best("closest.topleft"))
  if (method == "binormal") out$coefficients <- unname(coef(s$model))
  if (method == "fitdistr") out$fits <- list(controls = unname(s$fit.controls$estimate), cases = unname(s$fit.cases$estimate),
                                             controls_se = unname(s$fit.controls$sd), cases_se = unname(s$fit.cases$sd))
  out
}
info <- function(file, ycol, scol) {
  d <- read.csv(file)
  r <- roc(d[[ycol]], d[[scol]], levels = c(0, 1), direction = "<", quiet = TRUE)
  rp <- function(rng, focus) roc(d[[ycol]], d[[scol]], levels = c(0, 1), direction = "<", quiet = TRUE,
                                 partial.auc = rng, partial.auc.focus = focus)
  restricted <- function(rng, focus) {
    rr <- rp(rng, focus)
    list(local_maximas = coords3(rr, "local maximas"),
         youden = coords3(rr, "best", best.method = "youden"),
         closest_topleft = coords3(rr, "best", best.method = "closest.topleft"))
  }
  # the grey zone's cut-offs read off pROC's coords (Coste & Pouchot 2003; no R package computes it):
  # rule-out = highest threshold with se >= 0.9, rule-in = lowest with sp >= 0.9, and the counts there
  cc <- coords(r, "all", ret = c("threshold", "sensitivity", "specificity", "tp", "fp"), transpose = FALSE)
  lo <- max(which(cc$sensitivity >= 0.9)); hi <- min(which(cc$specificity >= 0.9))
  grey <- list(rule_out = cc$threshold[lo], rule_in = cc$threshold[hi], tp_rule_out = cc$tp[lo],
               fp_rule_out = cc$fp[lo], tp_rule_in = cc$tp[hi], fp_rule_in = cc$fp[hi])
  list(local_maximas = coords3(r, "local maximas"), grey_zone_0.9 = grey,
       specificity_0.8_1 = restricted(c(1, 0.8), "specificity"),
       specificity_0.5_0.9 = restricted(c(0.9, 0.5), "specificity"),
       sensitivity_0.9_1 = restricted(c(1, 0.9), "sensitivity"),
       smooth_binormal = smoothed(r, "binormal"),
       smooth_density = smoothed(r, "density"),
       smooth_fitdistr = smoothed(r, "fitdistr"),
       nrd0 = bw.nrd0(d[[scol]]))
}
out <- list()
for (i in seq(1, length(a), by = 3)) out[[sub("\\.csv$", "", a[i])]] <- info(a[i], a[i + 1], a[i + 2])
out$versions <- list(R = R.version.string, pROC = as.character(packageVersion("pROC")),
                     MASS = as.character(packageVersion("MASS")))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
