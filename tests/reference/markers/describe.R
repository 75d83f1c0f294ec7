# Reference values for ds.markers.describe: Kruskal-Wallis, pairwise Mann-Whitney (normal
# approximation with tie and continuity corrections), Holm and BH adjustment, Welch ANOVA on logs.
# Usage: Rscript describe.R describe.csv > describe.json   (base R + jsonlite only)
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
groups <- c("benign", "metastasis", "primary")  # sorted order, as diagstats shows them
d$group <- factor(d$group, levels = groups)
out <- list(r_version = R.version.string, jsonlite_version = as.character(packageVersion("jsonlite")),
            groups = groups, markers = list())
for (m in c("nlr", "plr")) {
  x <- d[[m]]
  kw <- kruskal.test(x ~ d$group)
  ow <- oneway.test(log(x) ~ d$group, var.equal = FALSE)
  pairs <- combn(groups, 2)
  w <- apply(pairs, 2, function(p) {
    t <- suppressWarnings(wilcox.test(x[d$group == p[1]], x[d$group == p[2]], exact = FALSE, correct = TRUE))
    c(unname(t$statistic), t$p.value)
  })
  # the same adjustment through pairwise.wilcox.test, as a cross-check inside R
  pw <- suppressWarnings(pairwise.wilcox.test(x, d$group, p.adjust.method = "holm", exact = FALSE, correct = TRUE))
  stopifnot(isTRUE(all.equal(sort(na.omit(as.vector(pw$p.value))), sort(p.adjust(w[2, ], "holm")))))
  out$markers[[m]] <- list(
    kruskal = list(statistic = unname(kw$statistic), df = unname(kw$parameter), p_value = kw$p.value),
    welch_log = list(statistic = unname(ow$statistic), df1 = unname(ow$parameter[1]),
                     df2 = unname(ow$parameter[2]), p_value = ow$p.value),
    pairwise = list(group1 = pairs[1, ], group2 = pairs[2, ], W = w[1, ], p_value = w[2, ],
                    p_holm = p.adjust(w[2, ], "holm"), p_bh = p.adjust(w[2, ], "BH")),
    median = unname(tapply(x, d$group, median)),
    q1 = unname(tapply(x, d$group, quantile, 0.25)),
    q3 = unname(tapply(x, d$group, quantile, 0.75)),
    mean = unname(tapply(x, d$group, mean)),
    sd = unname(tapply(x, d$group, sd)))
}
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
