"""Synthetic LSOA population table in the layout of the ONS Census 2011 LSOA population CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from csp_analysis.demo.geography import Geography

REGION_CODE = "X12000001"
REGION_NAME = "SYNTHETIC"
COLUMNS = (
    "Region code", "Region name", "Local authority code", "Local authority name", "MSOA Code", "MSOA Name",
    "LSOA Code", "LSOA Name", "All usual residents", "Usual residents in households",
    "Usual residents in communal establishments", "Hectares", "Persons per hectare", "Households",
    "Persons per household",
)


def table(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """One row per LSOA: 1,300-2,000 residents, a few communal establishments (care homes, halls)."""
    lsoas = geo.lsoas
    n = len(lsoas)
    residents = np.clip(np.round(rng.normal(1625, 170, n)), 1300, 2000).astype(int)
    communal = np.where(rng.random(n) < 0.3, rng.integers(1, 40, n), 0)
    large = rng.random(n) < 0.04
    communal[large] = rng.integers(60, 250, int(large.sum()))
    in_households = residents - communal
    households = np.round(in_households / np.clip(rng.normal(2.45, 0.18, n), 1.9, 3.1)).astype(int)
    hectares = lsoas.geometry.area.to_numpy() / 1e4
    return pd.DataFrame({
        "Region code": REGION_CODE,
        "Region name": REGION_NAME,
        "Local authority code": lsoas["LAD22CD"].to_numpy(),
        "Local authority name": lsoas["LAD22NM"].to_numpy(),
        "MSOA Code": lsoas["MSOA21CD"].to_numpy(),
        "MSOA Name": lsoas["MSOA21NM"].to_numpy(),
        "LSOA Code": lsoas["LSOA21CD"].to_numpy(),
        "LSOA Name": lsoas["LSOA21NM"].to_numpy(),
        "All usual residents": residents,
        "Usual residents in households": in_households,
        "Usual residents in communal establishments": communal,
        "Hectares": np.round(hectares).astype(int),
        "Persons per hectare": np.round(residents / hectares, 1),
        "Households": households,
        "Persons per household": np.round(in_households / households, 1),
    }).sort_values(["Local authority name", "LSOA Name"], ignore_index=True)[list(COLUMNS)]


def write(frame: pd.DataFrame, out_dir: Path) -> None:
    (out_dir / "population").mkdir(parents=True, exist_ok=True)
    frame.to_csv(out_dir / "population/demoshire-lsoa-population.csv", index=False, float_format="%.1f",
                 lineterminator="\n")
