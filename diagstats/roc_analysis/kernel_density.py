"""Gaussian kernel density on a grid, binned and convolved by FFT as R's ``density()`` does.

Silverman's (1982) algorithm: the data's mass is spread over a regular grid by linear binning
(Jones & Lotwick 1984), convolved with the Gaussian kernel by the fast Fourier transform, and
read off at the requested points by linear interpolation. The grid is the one R's
``density(x, bw, n, from, to)`` uses before R 4.4 (established by comparing outputs, to 1e-14):
``n`` bins spanning ``from - 4 bw`` to ``to + 4 bw`` zero-padded to ``2n``, and kernel ordinates
spaced ``2 (to - from + 8 bw) / (2n - 1)`` apart. pROC's ``smooth(method="density")`` is built on
it, so the same grid reproduces pROC's smoothed curves (differences of about 1e-15 on the fixtures).

Bandwidths: ``"nrd0"`` is Silverman's (1986, eq. 3.31) rule of thumb
``0.9 min(sd, IQR / 1.34) n^(-1/5)`` (R's ``bw.nrd0``, pROC's default), ``"nrd"`` Scott's (1992)
variant ``1.06 min(sd, IQR / 1.34) n^(-1/5)`` (R's ``bw.nrd``).

References
----------
Silverman BW (1982). Algorithm AS 176: kernel density estimation using the fast Fourier
transform. Applied Statistics 31:93-99.
Jones MC, Lotwick HW (1984). Remark AS R50: a remark on algorithm AS 176. Applied Statistics
33:120-122.
Silverman BW (1986). Density Estimation. London: Chapman and Hall.

>>> import numpy as np
>>> from diagstats.roc_analysis.kernel_density import binned_density, bandwidth
>>> x = np.array([1.0, 2.0, 2.5, 4.0])
>>> round(float(bandwidth(x, "nrd0")), 6)   # R: bw.nrd0(c(1, 2, 2.5, 4)) = 0.5726355
0.572635
>>> grid, dens = binned_density(x, 0.7, 512, -1.0, 6.0)
>>> round(float(dens.sum() * (grid[1] - grid[0])), 3)   # a density: area 1
1.0
"""

from __future__ import annotations

import numpy as np
from scipy import stats

BANDWIDTHS = ("nrd0", "nrd")


def bandwidth(x: np.ndarray, rule: str) -> float:
    """Rule-of-thumb bandwidth of ``x`` ("nrd0": Silverman, "nrd": Scott); see the module docstring."""
    sd = float(np.std(x, ddof=1)) if len(x) > 1 else 0.0
    q75, q25 = np.percentile(x, [75, 25])
    iqr_scale = float(q75 - q25) / 1.34
    n = len(x)
    if rule == "nrd":
        return 1.06 * min(sd, iqr_scale) * n ** -0.2
    # Silverman's rule, falling back to the sd, then the data's size, when the IQR is 0
    spread = min(sd, iqr_scale)
    if spread <= 0:
        spread = sd or abs(float(x[0])) or 1.0
    return 0.9 * spread * n ** -0.2


def binned_density(x: np.ndarray, bw: float, n: int, start: float, stop: float) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian kernel density of ``x`` (bandwidth ``bw``, the kernel's sd) at ``n`` points from ``start`` to ``stop``.

    Returns the points and the densities.
    """
    lo, up = start - 4 * bw, stop + 4 * bw
    step = (up - lo) / (n - 1)
    position = (x - lo) / step
    cell = np.floor(position).astype(np.int64)
    share = position - cell
    mass = np.bincount(cell, (1 - share) / len(x), minlength=2 * n)[:2 * n] \
        + np.bincount(cell + 1, share / len(x), minlength=2 * n)[:2 * n]
    offset = np.arange(2 * n)
    offset = np.where(offset > n, 2 * n - offset, offset)
    kernel = stats.norm.pdf(offset * (2 * (up - lo) / (2 * n - 1)), scale=bw)
    convolved = np.fft.ifft(np.fft.fft(mass) * np.conj(np.fft.fft(kernel))).real[:n]
    points = np.linspace(start, stop, n)
    return points, np.interp(points, np.linspace(lo, up, n), np.maximum(convolved, 0.0))
