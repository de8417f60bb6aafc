"""Monthly counts of the synthetic sources: seasonal, and more variable than Poisson counts.

Real monthly counts of crime, fires and council cases vary more than chance alone would make
them (series offenders, dry spells, batches of reports): a line's dispersion, the variance of its
monthly counts over their mean, is typically 1.5 to 8 (police.uk, St Albans 2021). The demo draws
each year's months from a Dirichlet-multinomial: the shares of the months are Dirichlet around the
seasonal weights, so the monthly counts vary ``dispersion`` times as much as multinomial ones,
while the yearly totals, and so the planted year-on-year stories, stay exact.
"""

from __future__ import annotations

import numpy as np


def season(amplitude: float, peak: float) -> np.ndarray:
    """Weights of the 12 months: 1 + amplitude * cos(2 pi (month - peak) / 12)."""
    return 1 + amplitude * np.cos(2 * np.pi * (np.arange(1, 13) - peak) / 12)


def split_year(rng: np.random.Generator, total: int, weight: np.ndarray, dispersion: float = 1.0) -> np.ndarray:
    """``total`` events of one year as 12 monthly counts around ``weight``, ``dispersion`` times as
    variable as multinomial counts (Dirichlet-multinomial with concentration
    (total - dispersion) / (dispersion - 1)); dispersion 1 is the plain multinomial."""
    share = np.asarray(weight, float) / np.sum(weight)
    if dispersion > 1 and total > dispersion:
        share = rng.dirichlet((total - dispersion) / (dispersion - 1) * share)
    return rng.multinomial(int(total), share)
