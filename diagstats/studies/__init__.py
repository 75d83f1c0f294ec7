"""Monte Carlo validation studies of the estimators, run on the cohort simulator."""
