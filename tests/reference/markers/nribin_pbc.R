# Reference values for ds.added_value on the data of nricens' nribin help-page example: the first 312
# patients of survival's pbc, death before 2000 days (patients censored before 2000 days excluded), a
# logistic model of age, bilirubin and albumin, then + prothrombin time, risk cut-offs 0.2 and 0.4.
# nricens does not install here and its documentation stores no printed output of the example, so the
# categorical NRI (updown = "category", cut = c(0.2, 0.4)) and the risk-difference NRI with cut 0 (the
# continuous NRI) are computed by their definitions (Pencina et al. 2008, 2011) in base R on the risks of
# the two glm fits, as Pr(Up|Case) - Pr(Down|Case) and Pr(Down|Ctrl) - Pr(Up|Ctrl).
# Usage: Rscript nribin_pbc.R   (writes nribin_pbc.csv and nribin_pbc.json; survival + jsonlite)
suppressPackageStartupMessages(library(survival))
dat <- pbc[1:312, ]
dat <- dat[dat$time > 2000 | (dat$time < 2000 & dat$status == 2), ]
dat$event <- as.integer(dat$time < 2000 & dat$status == 2)
d <- dat[, c("id", "event", "age", "bili", "albumin", "protime")]
write.csv(d, "nribin_pbc.csv", row.names = FALSE)
tight <- glm.control(epsilon = 1e-14, maxit = 100)
mstd <- glm(event ~ age + bili + albumin, data = d, family = binomial, control = tight)
mnew <- glm(event ~ age + bili + albumin + protime, data = d, family = binomial, control = tight)
p1 <- unname(fitted(mstd)); p2 <- unname(fitted(mnew)); y <- d$event
cats <- function(p) findInterval(p, c(0.2, 0.4), left.open = TRUE)  # (0, 0.2], (0.2, 0.4], (0.4, 1]
c1 <- cats(p1); c2 <- cats(p2)
ev <- y == 1; ne <- y == 0
lr <- anova(mstd, mnew, test = "LRT")
out <- list(
  r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
  n = length(y), n_events = sum(y), p_base = p1, p_new = p2,
  lr_statistic = lr$Deviance[2], lr_p_value = lr$`Pr(>Chi)`[2],
  up_case = mean(c2[ev] > c1[ev]), down_case = mean(c2[ev] < c1[ev]),
  down_ctrl = mean(c2[ne] < c1[ne]), up_ctrl = mean(c2[ne] > c1[ne]),
  nri_events = mean(c2[ev] > c1[ev]) - mean(c2[ev] < c1[ev]),
  nri_nonevents = mean(c2[ne] < c1[ne]) - mean(c2[ne] > c1[ne]),
  continuous_nri_events = mean(p2[ev] > p1[ev]) - mean(p2[ev] < p1[ev]),
  continuous_nri_nonevents = mean(p2[ne] < p1[ne]) - mean(p2[ne] > p1[ne]),
  idi = (mean(p2[ev]) - mean(p2[ne])) - (mean(p1[ev]) - mean(p1[ne])))
cat(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n", file = "nribin_pbc.json")
