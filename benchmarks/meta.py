"""Speed of the bivariate (Reitsma) REML fit on 50 simulated studies.

Run: python benchmarks/meta.py. Prints the median time per fit of ds.meta.bivariate(method="reml")
and its ratio to the per-fit times of R measured on this machine (issue 8: mada::reitsma about
0.085 s, metafor::rma.mv about 0.11 s). Target: < 0.04 s. If Rscript with metafor is available,
metafor is timed here too, in the same run.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import diagstats as ds

R_MADA_SECONDS = 0.085      # issue 8, measured by the maintainers on this machine (mada not installable here)


def simulate(k: int = 50, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cov = np.array([[0.5, -0.2], [-0.2, 0.6]])
    u = rng.multivariate_normal([1.8, 2.2], cov, size=k)          # logit sens, logit spec
    n_dis, n_non = rng.integers(20, 200, k), rng.integers(50, 500, k)
    tp = rng.binomial(n_dis, 1 / (1 + np.exp(-u[:, 0])))
    tn = rng.binomial(n_non, 1 / (1 + np.exp(-u[:, 1])))
    return pd.DataFrame({"tp": tp, "fn": n_dis - tp, "fp": n_non - tn, "tn": tn})


def time_python(df: pd.DataFrame, repeats: int = 50) -> float:
    ds.meta.bivariate(df)                                          # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        ds.meta.bivariate(df)
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def time_metafor(df: pd.DataFrame, repeats: int = 20) -> float | None:
    if shutil.which("Rscript") is None:
        return None
    script = f"""
suppressMessages(library(metafor))
m <- read.csv(commandArgs(TRUE)[1])
cc <- ifelse(m$tp == 0 | m$fp == 0 | m$fn == 0 | m$tn == 0, 0.5, 0)
tp <- m$tp + cc; fp <- m$fp + cc; fn <- m$fn + cc; tn <- m$tn + cc
long <- data.frame(study = rep(seq_len(nrow(m)), each = 2), outcome = rep(c("sens", "fpr"), nrow(m)),
  yi = as.vector(rbind(qlogis(tp / (tp + fn)), qlogis(fp / (fp + tn)))),
  vi = as.vector(rbind(1 / tp + 1 / fn, 1 / fp + 1 / tn)))
f <- function() rma.mv(yi, vi, mods = ~ outcome - 1, random = ~ outcome | study, struct = "UN", data = long)
invisible(f())
t <- sapply(1:{repeats}, function(i) system.time(f())[["elapsed"]])
cat(median(t))
"""
    with tempfile.TemporaryDirectory() as tmp:
        csv, r = Path(tmp) / "studies.csv", Path(tmp) / "bench.R"
        df.to_csv(csv, index=False)
        r.write_text(script)
        try:
            out = subprocess.run(["Rscript", str(r), str(csv)], capture_output=True, text=True, timeout=300, check=True)
        except (subprocess.SubprocessError, OSError):
            return None
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    df = simulate()
    py = time_python(df)
    rows = [("diagstats bivariate REML", py, 1.0),
            ("mada reitsma (issue 8 figure)", R_MADA_SECONDS, R_MADA_SECONDS / py)]
    mf = time_metafor(df)
    if mf is not None:
        rows.append(("metafor rma.mv REML (timed now)", mf, mf / py))
    print("50-study bivariate REML fit, median seconds per fit")
    print(f"{'implementation':36s} {'seconds':>10s} {'x diagstats':>12s}")
    for name, sec, ratio in rows:
        print(f"{name:36s} {sec:10.4f} {ratio:12.1f}")
    print(f"target < 0.04 s: {'met' if py < 0.04 else 'NOT met'}")


if __name__ == "__main__":
    main()
