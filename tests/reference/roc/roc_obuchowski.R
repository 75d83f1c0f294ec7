# Variance and covariance of AUCs by Obuchowski's method (and DeLong, bootstrap), and the power, significance
# level and sample size of two paired curves with them: pROC 1.18 var/cov(method = "obuchowski"),
# power.roc.test(roc1, roc2, method =).
# Usage: Rscript roc_obuchowski.R  (prints the JSON; make_fixtures.sh writes pROC's aSAH data as asah.csv)
suppressMessages({library(pROC); library(jsonlite)})
data(aSAH)
asah <- data.frame(y = as.integer(aSAH$outcome == "Poor"), s100b = aSAH$s100b, ndka = aSAH$ndka,
                   wfns = as.integer(aSAH$wfns))
four <- read.csv("four_scores.csv")
sets <- list(aSAH = list(d = asah, scores = c("s100b", "ndka", "wfns")),
             four_scores = list(d = four, scores = paste0("score", 1:4)))
out <- lapply(sets, function(s) {
  curve <- function(x) roc(s$d$y, s$d[[x]], levels = c(0, 1), direction = "<", quiet = TRUE)
  curves <- lapply(s$scores, curve); names(curves) <- s$scores
  one <- lapply(s$scores, function(x) list(score = x, auc = as.numeric(auc(curves[[x]])),
                                           obuchowski = var(curves[[x]], method = "obuchowski"),
                                           delong = var(curves[[x]], method = "delong"),
                                           bootstrap_2000 = {set.seed(1); var(curves[[x]], method = "bootstrap",
                                                                             boot.n = 2000, progress = "none")}))
  pairs <- combn(s$scores, 2, simplify = FALSE)
  pairs <- c(pairs, lapply(pairs, rev))
  two <- lapply(pairs, function(p) {
    r1 <- curves[[p[1]]]; r2 <- curves[[p[2]]]
    power <- function(...) tryCatch(power.roc.test(r1, r2, method = "obuchowski", ...), error = function(e) NULL)
    p1 <- power(); p2 <- power(sig.level = 0.01); p3 <- power(power = 0.9, sig.level = NULL)
    n_ob <- power(power = 0.9); n_ob1 <- power(power = 0.8, kappa = 1.5, alternative = "one.sided")
    n_dl <- tryCatch(power.roc.test(r1, r2, power = 0.9), error = function(e) NULL)
    field <- function(res, name) if (is.null(res)) NA else res[[name]]
    list(first = p[1], second = p[2], cov_obuchowski = cov(r1, r2, method = "obuchowski"),
         power = if (is.null(p1)) NA else p1$power, power_alpha_0.01 = if (is.null(p2)) NA else p2$power,
         sig_level_power_0.9 = if (is.null(p3)) NA else p3$sig.level,
         ncases_power_0.9 = field(n_ob, "ncases"), ncontrols_power_0.9 = field(n_ob, "ncontrols"),
         ncases_power_0.8_kappa_1.5_one_sided = field(n_ob1, "ncases"),
         ncases_delong_power_0.9 = field(n_dl, "ncases"), ncontrols_delong_power_0.9 = field(n_dl, "ncontrols"))
  })
  list(one = one, two = two)
})
cat(toJSON(list(data = out, versions = list(R = R.version.string, pROC = as.character(packageVersion("pROC")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
