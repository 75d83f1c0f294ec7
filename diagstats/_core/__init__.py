"""The single copy of each numerical kernel, shared by the estimators (no input checking, no results)."""
