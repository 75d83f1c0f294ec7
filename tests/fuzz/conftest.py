"""Prints the fuzz tally at the end of a run: calls per public name, outcomes by class, failures found."""

from __future__ import annotations

import re
from collections import Counter

from .invariants import FOUND, TALLY


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    total = Counter()
    for counts in TALLY.values():
        total.update({k: v for k, v in counts.items() if ":" not in k})
    write = terminalreporter.write_line
    terminalreporter.section("diagstats fuzz tally")
    write(f"{sum(total.values())} calls over {len(TALLY)} public names: "
          + ", ".join(f"{k} {v}" for k, v in sorted(total.items())))
    for name in sorted(TALLY):
        counts = TALLY[name]
        write(f"  {name:45s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    distinct: dict = {}
    for call, verdict in FOUND:  # one line per kind of failure (shrinking repeats a failure many times)
        key = (call.split("(", 1)[0], verdict.kind, re.sub(r"[-+]?\d[\d.e+-]*", "#", verdict.detail)[:120])
        distinct.setdefault(key, [0, call, verdict])[0] += 1
    for (_, kind, _), (times, call, verdict) in sorted(distinct.items(), key=lambda kv: kv[0][:2]):
        write(f"  FOUND {kind} x{times}: {call}\n        {verdict.detail[:400]}")
