# Reference values for ds.added_value on R's mtcars (vs ~ am + gear, then + wt), the example of
# jsmodule::reclassificationJS (PredictABEL's reclassification, cut-offs 0.2 and 0.4), whose printed
# output (NRI categorical 0.754, continuous 1.413, IDI 0.532) the test also checks.
# Here: glm fits (fitted risks, likelihood-ratio test), pROC AUCs, and the reclassification measures
# by their definitions (Pencina et al. 2008, 2011) in base R, on the risks of the two glm fits.
# Usage: Rscript added_value.R   (writes added_value_mtcars.csv and added_value.json; pROC + jsonlite)
suppressPackageStartupMessages(library(pROC))
d <- mtcars[, c("vs", "am", "gear", "wt")]
d$car <- rownames(mtcars)
write.csv(d[, c("car", "vs", "am", "gear", "wt")], "added_value_mtcars.csv", row.names = FALSE)
tight <- glm.control(epsilon = 1e-14, maxit = 100)
m1 <- glm(vs ~ am + gear, data = d, family = binomial, control = tight)
m2 <- glm(vs ~ am + gear + wt, data = d, family = binomial, control = tight)
p1 <- unname(fitted(m1)); p2 <- unname(fitted(m2)); y <- d$vs
lr <- anova(m1, m2, test = "LRT")
cats <- function(p) as.integer(cut(p, c(0, 0.2, 0.4, 1), include.lowest = TRUE))
c1 <- cats(p1); c2 <- cats(p2)
ev <- y == 1; ne <- y == 0
slope <- function(p) mean(p[ev]) - mean(p[ne])
out <- list(
  r_version = R.version.string, proc_version = as.character(packageVersion("pROC")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  p_base = p1, p_new = p2,
  lr_statistic = lr$Deviance[2], lr_df = lr$Df[2], lr_p_value = lr$`Pr(>Chi)`[2],
  auc_base = as.numeric(auc(roc(y, p1, levels = c(0, 1), direction = "<", quiet = TRUE))),
  auc_new = as.numeric(auc(roc(y, p2, levels = c(0, 1), direction = "<", quiet = TRUE))),
  nri_events = mean(c2[ev] > c1[ev]) - mean(c2[ev] < c1[ev]),
  nri_nonevents = mean(c2[ne] < c1[ne]) - mean(c2[ne] > c1[ne]),
  continuous_nri_events = mean(p2[ev] > p1[ev]) - mean(p2[ev] < p1[ev]),
  continuous_nri_nonevents = mean(p2[ne] < p1[ne]) - mean(p2[ne] > p1[ne]),
  slope_base = slope(p1), slope_new = slope(p2), idi = slope(p2) - slope(p1),
  brier_base = mean((y - p1)^2), brier_new = mean((y - p2)^2),
  net_benefit_base = (sum(p1 >= 0.3 & ev) - sum(p1 >= 0.3 & ne) * 0.3 / 0.7) / length(y),
  net_benefit_new = (sum(p2 >= 0.3 & ev) - sum(p2 >= 0.3 & ne) * 0.3 / 0.7) / length(y),
  published = list(source = paste("jsmodule::reclassificationJS help page example (modified",
                                  "PredictABEL::reclassification), printed to 3 decimals"),
                   nri_categorical = 0.754, nri_continuous = 1.413, idi = 0.532))
cat(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "\n", file = "added_value.json")
