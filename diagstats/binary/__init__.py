"""Binary tests against a reference standard: intervals for proportions and ratios, the 2x2 accuracy
table, paired and unpaired comparisons, combinations of two tests, rater agreement, STARD counts."""
