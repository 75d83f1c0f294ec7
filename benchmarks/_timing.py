"""Timing helper shared by the benchmark scripts."""

import timeit


def best_of(fn, repeat: int = 3) -> float:
    """Seconds of the fastest of ``repeat`` single calls of ``fn``."""
    return min(timeit.repeat(fn, number=1, repeat=repeat))
