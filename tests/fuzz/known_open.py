"""Failures of the fuzz suite that are still open: empty when every finding is fixed.

``KNOWN_OPEN`` maps a short id to ``(reason, predicate)``: the words of the issue (or, for a finding of
this suite, why it is left open), and ``predicate(call, verdict)`` that recognises the failing call
(``verdict`` is what the classifier found; see ``invariants.py``). A failure a predicate recognises is
counted as "known" by the property tests, which go on searching for new failures, and is an expected
failure of the catalogue tests in ``test_fuzz_catalogue.py``, which are strict: once the fix is merged
the catalogue case passes, its strict xfail fails, and the entry here is to be deleted (with its
predicate, and the case's ``known`` id set to None).

Issue #14's catalogue and the 24 findings of this suite beyond it are all fixed; their regression tests
are in the areas' test modules (``test_fuzz_findings.py``).
"""

from __future__ import annotations

KNOWN_OPEN: dict = {}
