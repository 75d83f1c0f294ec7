# McNemar, binomial, chi-square and Fisher tests from base R on the paired fixture and on small tables.
# Usage: Rscript base_r.R paired_tests.csv > base_r.json
suppressMessages(library(jsonlite))
df <- read.csv(commandArgs(TRUE)[1])
tab <- function(x, y) table(factor(x, levels = c(1, 0)), factor(y, levels = c(1, 0)))
mc <- function(t) {
  b <- t[1, 2]; c <- t[2, 1]
  list(table = as.vector(t(t)), b = b, c = c,
       mcnemar = unname(c(mcnemar.test(t, correct = FALSE)$statistic, mcnemar.test(t, correct = FALSE)$p.value)),
       mcnemar_cc = unname(c(mcnemar.test(t, correct = TRUE)$statistic, mcnemar.test(t, correct = TRUE)$p.value)),
       binom = binom.test(b, b + c, 0.5)$p.value)
}
dis <- df[df$d == 1, ]; hea <- df[df$d == 0, ]
# sensitivity: positives among the diseased; specificity: negatives among the non-diseased
paired <- list(sensitivity = mc(tab(dis$test1, dis$test2)),
               specificity = mc(tab(1 - hea$test1, 1 - hea$test2)),
               small_1 = mc(matrix(c(3, 7, 1, 4), 2, byrow = TRUE)),
               small_2 = mc(matrix(c(10, 0, 4, 2), 2, byrow = TRUE)),
               cavo_2012 = mc(matrix(c(59, 6, 16, 80), 2, byrow = TRUE)))
un <- function(x1, n1, x2, n2) {
  m <- matrix(c(x1, n1 - x1, x2, n2 - x2), 2, byrow = TRUE)
  p0 <- suppressWarnings(prop.test(c(x1, x2), c(n1, n2), correct = FALSE))
  p1 <- suppressWarnings(prop.test(c(x1, x2), c(n1, n2), correct = TRUE))
  list(x = c(x1, x2), n = c(n1, n2), chisq = unname(c(p0$statistic, p0$p.value)),
       chisq_cc = unname(c(p1$statistic, p1$p.value)), fisher = fisher.test(m)$p.value)
}
s1 <- sum(dis$test1); s2 <- sum(dis$test2); n1 <- nrow(dis)
c1 <- sum(hea$test1 == 0); c2 <- sum(hea$test2 == 0); n0 <- nrow(hea)
unpaired <- list(sensitivity = un(s1, n1, s2, n1), specificity = un(c1, n0, c2, n0),
                 small = un(7, 34, 1, 34), perondi_2004 = un(7, 34, 1, 34), sparse = un(2, 10, 9, 12))
cat(toJSON(list(paired = paired, unpaired = unpaired,
                versions = list(R = R.version.string)), auto_unbox = TRUE, digits = NA, pretty = TRUE))
