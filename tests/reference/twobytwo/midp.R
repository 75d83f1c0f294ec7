# Mid-p binomial intervals by root finding with base R only (no package), for parity of
# proportion_ci(method="mid_p"). Usage: Rscript midp.R x1,n1 x2,n2 ... > midp.json
suppressMessages(library(jsonlite))
midp <- function(x, n, level = 0.95) {
  a <- (1 - level) / 2
  lo <- if (x == 0) 0 else uniroot(function(p) pbinom(x, n, p, lower.tail = FALSE) + 0.5 * dbinom(x, n, p) - a,
                                   c(0, 1), tol = 1e-14)$root
  hi <- if (x == n) 1 else uniroot(function(p) pbinom(x - 1, n, p) + 0.5 * dbinom(x, n, p) - a,
                                   c(0, 1), tol = 1e-14)$root
  c(lo, hi)
}
args <- strsplit(commandArgs(TRUE), ",")
out <- lapply(args, function(a) { x <- as.numeric(a[1]); n <- as.numeric(a[2]); list(x = x, n = n, mid_p = midp(x, n)) })
cat(toJSON(list(cases = out, versions = list(R = R.version.string)), auto_unbox = TRUE, digits = NA, pretty = TRUE))
