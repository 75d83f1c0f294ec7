"""The single copy of each numerical kernel, shared by the estimators (no input checking, no results).

* ``bootstrap``: the one resampling engine (seed blocks, stratified, cluster and pattern resampling,
  chunked to :data:`~diagstats._core.bootstrap.CHUNK_ELEMENTS`), percentile and BCa intervals.
* ``auc``: Mann-Whitney AUC from counts, bootstrap draws or case weights; DeLong placements and
  covariance; Hand & Till's M.
* ``logistic``: batched weighted logistic refits and Firth's fit; ``multinomial``: batched multinomial fits.
* ``multiplicity``: adjusted p-values (Holm, Benjamini-Hochberg); ``quantiles``: normal quantiles.
"""
