"""Harm as well as volume: the ONS Crime Severity Score of each issue, from published severity weights.

The Crime Severity Score
------------------------
The ONS Crime Severity Score (CSS) gives each Home Office offence code a weight: the average
sentence for that offence, in days of custody equivalent (homicide about 7,973, robbery of personal
property about 800, shoplifting about 11.9, possession of cannabis about 1.8 in the 2020 edition).
The CSS of a set of offences is the **sum of their weights**; ONS publishes it for an area divided
by its population (per resident, per year). :func:`crime_severity` gives an issue's CSS and, when
the population is known, its CSS per 1,000 residents over the period measured.

Crime categories
----------------
police.uk publishes coarser categories, each a mix of offence codes, so a category's weight is the
**count-weighted mean** of its codes' weights, the counts being the local force's recorded offences
by code (the Home Office police recorded crime table)::

    weight(category) = sum(offences_code * weight_code) / sum(offences_code)   over the category's codes

and the CSS of a category's ``n`` offences is ``n x weight(category)``: exactly the sum of their
weights when the district's offences are mixed as the force's are.

so "Violence and sexual offences" in a force where most violence is assault without injury weighs
less than in one with more serious violence. :func:`category_weights` computes this from two files:

* the ONS weights file (``ONS_COUNTS_code``: the code as counts tables write it; ``ONS_SEVERITY_weight``;
  optionally ``POLICE_UK_CAT_MAP_category``). Some rows borrow a sibling's weight (e.g. 30A uses 30C's):
  the join is on ``ONS_COUNTS_code``, the code the counts use. Codes are read as text ("4.10" is not 4.1).
* the counts file (``Offence_Code``, ``Number_of_Offences``, optionally ``Policeuk_Cat``), summed over
  quarters and any other rows for the same code.

Which category an offence code belongs to: the first of (1) the optional ``mapping_csv``
(``Offence_Code``, ``Police.uk_Cat``), (2) the counts file's category column, (3) the weights file's
category column. Names are matched to :data:`~csp_analysis.categories.POLICE_UK_CATEGORIES` ignoring
case ("Violence and Sexual Offences" is "Violence and sexual offences"); a name that is not a
police.uk crime category is an error naming the file and column.

Codes that cannot be used are **counted and reported, never silently dropped**:

* a code with offences but **no ONS weight** is left out of its category's mean (there is nothing to
  average), and its offences are counted in that category's ``offences_unweighted`` column;
* a code with offences but **no category** cannot be placed in any category: it appears in
  :func:`offence_code_table` with status ``"no category"`` and in the header of the weights file;
* both are logged as warnings with the number of codes and offences.

A category whose codes have weights but no local offences gets the simple (unweighted) mean of its
codes' weights, and its ``method`` says so; a category none of whose codes has a weight gets no
weight (NaN) and scoring then falls back as for a non-crime issue.

The real ONS and Home Office files must not be copied into the repository, so the derived weights
ship as :data:`DEFAULT_WEIGHTS_FILE` (written by :func:`write_weights_csv`, regenerated with
``python -m csp_analysis.methods.harm DATA_DIR/home-office``; a test recomputes it from the shared data and
checks the committed file is identical).

Non-crime issues
----------------
ASB, fires, road casualties and council casework have no sentencing weight. :data:`NON_CRIME_HARM_WEIGHTS`
states a default for each kind of issue, on the same days-of-custody scale, with the notifiable offence
taken as its analogue. They are judgements, not measurements: the partnership can override any issue's
weight in the priorities configuration (``harm_weights``). :func:`issue_harm_weight` resolves an issue's
weight in a documented order and says which rule applied.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from csp_analysis.categories import ASB, CRIME_CATEGORIES, POLICE_UK_CATEGORIES
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.schema_checks import parse_numbers

__all__ = [
    "DATA_DIR", "DEFAULT_WEIGHTS_FILE", "ONS_EDITION", "METHOD", "NON_CRIME_DEFAULTS_VERSION",
    "NonCrimeWeight", "NON_CRIME_HARM_WEIGHTS", "non_crime_defaults_table",
    "offence_code_table", "category_weights", "render_weights_csv", "write_weights_csv",
    "load_category_weights", "weights_source", "issue_harm_weight", "crime_severity",
]

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The committed derived weights: ONS CSS (2020 edition) over Hertfordshire's 2017/18 offence mix.
DEFAULT_WEIGHTS_FILE = DATA_DIR / "harm_weights_ons_css_2020_herts_2017_18.csv"
#: The edition of the ONS Crime Severity Score weights in the shared data (homicide 7,973; robbery 800).
ONS_EDITION = "2020"
METHOD = "count-weighted mean of ONS CSS offence-code weights"
METHOD_UNWEIGHTED = "unweighted mean of ONS CSS offence-code weights (no local offences)"
METHOD_NONE = "no ONS CSS weight for any offence code in the category"

# Column names of the published files (see the module docstring).
WEIGHT_CODE, WEIGHT_VALUE, WEIGHT_CATEGORY, WEIGHT_OFFENCE = (
    "ONS_COUNTS_code", "ONS_SEVERITY_weight", "POLICE_UK_CAT_MAP_category", "ONS_COUNTS_description")
COUNT_CODE, COUNT_VALUE, COUNT_CATEGORY, COUNT_OFFENCE = (
    "Offence_Code", "Number_of_Offences", "Policeuk_Cat", "Offence_Description")
COUNT_FORCE, COUNT_YEAR = "Force_Name", "Financial_Year"
MAP_CODE, MAP_CATEGORY = "Offence_Code", "Police.uk_Cat"

OUTPUT_COLUMNS = ("category", "weight", "offences", "offence_codes", "offences_unweighted", "method", "source")


# --- Non-crime defaults ---------------------------------------------------------------------------

NON_CRIME_DEFAULTS_VERSION = "1"


@dataclass(frozen=True)
class NonCrimeWeight:
    """A default harm weight for a kind of non-crime issue, with the analogue that justifies it."""

    name: str
    pattern: str  # a regular expression matched (ignoring case) against the issue name
    weight: float
    analogue: str


#: Defaults for issues that are not police.uk crime categories, in ONS CSS days-of-custody units.
#: Matched in this order against the issue name; the first match applies. Override per issue in the
#: priorities configuration (``harm_weights: {"Deliberate fires": 250}``).
NON_CRIME_HARM_WEIGHTS: tuple[NonCrimeWeight, ...] = (
    NonCrimeWeight("Anti-social behaviour", r"anti-?social|\basb\b", 7.0,
                   "public fear, alarm or distress (ONS code 9A, about 6.8): ASB is not notifiable"),
    NonCrimeWeight("Domestic abuse", r"domestic (abuse|violence)", 250.0,
                   "the Hertfordshire 2017/18 violence and sexual offences mix (about 248): most "
                   "domestic abuse crimes are violence"),
    NonCrimeWeight("Safeguarding", r"safeguarding", 140.0,
                   "cruelty to children/young persons (ONS code 11A, about 139)"),
    NonCrimeWeight("Fly-tipping", r"fly[- ]?tip", 5.0,
                   "criminal damage (ONS codes 58A-D, about 5.4): harm is to amenity and the environment"),
    NonCrimeWeight("Deliberate fires", r"deliberate.*fire|arson", 190.0,
                   "arson not endangering life (ONS code 56B, about 187)"),
    NonCrimeWeight("Fire injuries", r"fire.*(injur|casualt)", 190.0,
                   "assault with injury (ONS code 8N, about 189): hospital-treated injuries"),
    NonCrimeWeight("Primary fires", r"primary fire", 190.0,
                   "arson not endangering life (ONS code 56B, about 187): fires in buildings, vehicles "
                   "and structures; accidental fires carry no sentence, so this errs high"),
    NonCrimeWeight("Secondary fires", r"secondary fire", 12.0,
                   "the Hertfordshire 2017/18 criminal damage and arson mix (about 12): mostly "
                   "refuse and grass fires"),
    NonCrimeWeight("Fatal road casualties", r"fatal", 1500.0,
                   "causing death by careless driving under the influence (ONS code 4.6, about 1,512)"),
    NonCrimeWeight("Killed or seriously injured (KSI)", r"\bksi\b|killed or seriously", 1000.0,
                   "causing death or serious injury by dangerous driving (ONS code 4.4, about 1,023)"),
    NonCrimeWeight("Slight road casualties", r"slight", 190.0,
                   "assault with injury (ONS code 8N, about 189)"),
    NonCrimeWeight("Road traffic collisions", r"collision|\brtcs?\b|road traffic", 120.0,
                   "dangerous driving (ONS code 802, about 120): collisions of all severities"),
)


def non_crime_defaults_table() -> pd.DataFrame:
    """The non-crime defaults as a table for the methodology note (name, matches, weight, analogue)."""
    return pd.DataFrame(
        [{"issue_kind": d.name, "matches": d.pattern, "weight": d.weight, "analogue": d.analogue}
         for d in NON_CRIME_HARM_WEIGHTS]
    )


# --- Reading the published files ------------------------------------------------------------------

_CANONICAL = {c.casefold(): c for c in POLICE_UK_CATEGORIES}


def _read(path: str | Path, required: tuple[str, ...]) -> pd.DataFrame:
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputDataError(path, "the file does not exist") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputDataError(path, f"cannot be read as CSV: {exc}") from None
    frame.columns = [c.strip() for c in frame.columns]
    for column in required:
        if column not in frame.columns:
            raise InputDataError(path, f"the column is missing (columns: {', '.join(frame.columns)})",
                                 column=column)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame


def _categories(values: pd.Series, path: str | Path, column: str) -> pd.Series:
    """police.uk crime category names in their canonical spelling; '' -> NA; others an error."""
    folded = values.fillna("").str.casefold()
    canonical = folded.map(_CANONICAL)
    bad = folded.ne("") & (canonical.isna() | canonical.eq(ASB))
    if bad.any():
        shown = ", ".join(repr(v) for v in values[bad].unique()[:5])
        raise InputDataError(path, f"not police.uk crime categories: {shown} "
                                   f"(expected one of {', '.join(CRIME_CATEGORIES)})",
                             row=int(np.flatnonzero(bad.to_numpy())[0]) + 2, column=column)
    return canonical.astype("string")


def _code_weights(weights_csv: str | Path) -> pd.DataFrame:
    frame = _read(weights_csv, (WEIGHT_CODE, WEIGHT_VALUE))
    frame = frame[frame[WEIGHT_CODE].ne("")]
    weight = parse_numbers(frame[WEIGHT_VALUE].replace("", None), weights_csv, WEIGHT_VALUE, whole=False)
    if (weight < 0).any():
        raise InputDataError(weights_csv, "weights must be 0 or more", column=WEIGHT_VALUE,
                             row=int(np.flatnonzero((weight < 0).to_numpy())[0]) + 2)
    out = pd.DataFrame({
        "code": frame[WEIGHT_CODE],
        "weight": weight,
        "weights_category": (_categories(frame[WEIGHT_CATEGORY], weights_csv, WEIGHT_CATEGORY)
                             if WEIGHT_CATEGORY in frame else pd.NA),
        "ons_offence": frame[WEIGHT_OFFENCE] if WEIGHT_OFFENCE in frame else "",
    })
    clash = out.groupby("code")["weight"].nunique(dropna=False) > 1
    if clash.any():
        raise InputDataError(weights_csv, "offence codes with more than one weight: "
                                          + ", ".join(clash[clash].index[:5]), column=WEIGHT_CODE)
    return out.drop_duplicates("code").set_index("code")


def _code_counts(counts_csv: str | Path) -> tuple[pd.DataFrame, str]:
    frame = _read(counts_csv, (COUNT_CODE, COUNT_VALUE))
    frame = frame[frame[COUNT_CODE].ne("")].copy()
    frame["offences"] = parse_numbers(frame[COUNT_VALUE].replace("", None), counts_csv, COUNT_VALUE,
                                      whole=True).fillna(0).astype("int64")
    frame["counts_category"] = (_categories(frame[COUNT_CATEGORY], counts_csv, COUNT_CATEGORY)
                                if COUNT_CATEGORY in frame else pd.Series(pd.NA, index=frame.index,
                                                                          dtype="string"))
    clash = frame.groupby(COUNT_CODE)["counts_category"].nunique() > 1
    if clash.any():
        raise InputDataError(counts_csv, "offence codes given more than one category: "
                                         + ", ".join(clash[clash].index[:5]), column=COUNT_CATEGORY)
    described = frame[COUNT_OFFENCE] if COUNT_OFFENCE in frame else pd.Series("", index=frame.index)
    codes = (frame.assign(description=described)
             .groupby(COUNT_CODE, sort=True)
             .agg(offences=("offences", "sum"), counts_category=("counts_category", "first"),
                  description=("description", "first")))
    codes.index.name = "code"
    forces = sorted(set(frame[COUNT_FORCE])) if COUNT_FORCE in frame else []
    years = sorted(set(frame[COUNT_YEAR])) if COUNT_YEAR in frame else []
    label = " ".join(part for part in (", ".join(forces), ", ".join(years)) if part)
    return codes, label or Path(counts_csv).name


def _mapping(mapping_csv: str | Path) -> pd.Series:
    frame = _read(mapping_csv, (MAP_CODE, MAP_CATEGORY))
    frame = frame[frame[MAP_CODE].ne("")]
    frame = frame.assign(category=_categories(frame[MAP_CATEGORY], mapping_csv, MAP_CATEGORY))
    clash = frame.groupby(MAP_CODE)["category"].nunique() > 1
    if clash.any():
        raise InputDataError(mapping_csv, "offence codes mapped to more than one category: "
                                          + ", ".join(clash[clash].index[:5]), column=MAP_CATEGORY)
    return frame.drop_duplicates(MAP_CODE).set_index(MAP_CODE)["category"]


# --- Deriving category weights --------------------------------------------------------------------

def _code_table(weights: pd.DataFrame, codes: pd.DataFrame, mapping: pd.Series | None) -> pd.DataFrame:
    category = codes["counts_category"]
    if mapping is not None:
        category = codes.index.to_series().map(mapping).astype("string").fillna(category)
    category = category.fillna(codes.index.to_series().map(weights["weights_category"]).astype("string"))
    table = pd.DataFrame({
        "code": codes.index,
        "description": codes["description"].to_numpy(),
        "category": category.to_numpy(),
        "offences": codes["offences"].to_numpy(),
        "weight": codes.index.to_series().map(weights["weight"]).to_numpy(dtype="float64"),
    })
    table["category"] = table["category"].astype("string")
    table["status"] = np.where(table["category"].isna(), "no category",
                               np.where(table["weight"].isna(), "no weight", "weighted"))
    return table.reset_index(drop=True)


def offence_code_table(weights_csv: str | Path, counts_csv: str | Path, *,
                       mapping_csv: str | Path | None = None) -> pd.DataFrame:
    """One row per offence code in the counts: ``code, description, category, offences, weight, status``.

    ``status`` is ``"weighted"`` (used in its category's mean), ``"no weight"`` (counted in the
    category's ``offences_unweighted``) or ``"no category"`` (cannot be placed; reported). Codes the
    weights file has but the counts lack are not listed: they had no local offences.
    """
    codes, _ = _code_counts(counts_csv)
    return _code_table(_code_weights(weights_csv), codes, None if mapping_csv is None else _mapping(mapping_csv))


def _summarise_exclusions(codes: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """{status: (number of codes with offences, offences)} for the unusable statuses."""
    out = {}
    for status in ("no weight", "no category"):
        rows = codes[(codes["status"] == status) & (codes["offences"] > 0)]
        out[status] = (len(rows), int(rows["offences"].sum()))
    return out


def _derive(weights_csv, counts_csv, mapping_csv, ons_edition) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(category table, code table, label of the counts) from one reading of the files."""
    counts, label = _code_counts(counts_csv)
    codes = _code_table(_code_weights(weights_csv), counts, None if mapping_csv is None else _mapping(mapping_csv))
    source = (f"ONS Crime Severity Score weights ({ons_edition} edition) x Home Office police recorded "
              f"crime by offence code, {label}")
    for status, (n_codes, offences) in _summarise_exclusions(codes).items():
        if n_codes:
            log.warning("%s: %d offence code(s) with %d offences have %s: %s", counts_csv, n_codes, offences,
                        status, ", ".join(codes.loc[(codes["status"] == status) & (codes["offences"] > 0),
                                                    "code"]))
    rows = []
    for category, group in codes.dropna(subset=["category"]).groupby("category", sort=True):
        weighted = group[group["status"] == "weighted"]
        offences = int(weighted["offences"].sum())
        if offences > 0:
            weight = float((weighted["offences"] * weighted["weight"]).sum() / offences)
            method = METHOD
        elif len(weighted):
            weight, method = float(weighted["weight"].mean()), METHOD_UNWEIGHTED
        else:
            weight, method = float("nan"), METHOD_NONE
        rows.append({
            "category": str(category), "weight": weight, "offences": offences,
            "offence_codes": int((weighted["offences"] > 0).sum()) if offences else len(weighted),
            "offences_unweighted": int(group.loc[group["status"] == "no weight", "offences"].sum()),
            "method": method, "source": source,
        })
    return pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS)), codes, label


def category_weights(weights_csv: str | Path, counts_csv: str | Path, *,
                     mapping_csv: str | Path | None = None, ons_edition: str = ONS_EDITION) -> pd.DataFrame:
    """Severity weight per police.uk crime category from ONS CSS code weights and local code counts.

    Returns ``category, weight, offences, offence_codes, offences_unweighted, method, source``, one
    row per category, sorted by category. ``weight`` is the count-weighted mean of the category's
    offence-code weights; ``offences`` the offences that carry a weight (the denominator);
    ``offence_codes`` how many codes with a weight went in; ``offences_unweighted`` offences in codes
    of the category with no weight (left out of the mean, see the module docstring). Offences whose
    code has no category are logged and listed by :func:`offence_code_table`.
    """
    return _derive(weights_csv, counts_csv, mapping_csv, ons_edition)[0]


def render_weights_csv(weights_csv: str | Path, counts_csv: str | Path, *,
                       mapping_csv: str | Path | None = None, ons_edition: str = ONS_EDITION) -> str:
    """The text of the derived weights file: ``#`` header lines naming the sources, then the table.

    Weights are written to 4 decimal places. Deterministic: the same inputs give the same bytes.
    """
    table, codes, label = _derive(weights_csv, counts_csv, mapping_csv, ons_edition)
    excluded = _summarise_exclusions(codes)
    total = int(codes["offences"].sum())
    header = [
        "# Harm weights per police.uk crime category (csp_analysis.methods.harm.category_weights).",
        f"# Method: {METHOD}, weighted by local offence counts by code.",
        f"# Weights: ONS Crime Severity Score, {ons_edition} edition (days of custody equivalent; "
        f"file {Path(weights_csv).name}, OGL v3).",
        f"# Counts: Home Office police recorded crime by offence code, {label} "
        f"({total:,} offences in {int((codes['offences'] > 0).sum())} codes; file {Path(counts_csv).name}, OGL v3).",
        f"# Offences whose code has no ONS weight: {excluded['no weight'][1]:,} in {excluded['no weight'][0]} codes "
        "(left out of the mean; column offences_unweighted).",
        f"# Offences whose code has no police.uk category: {excluded['no category'][1]:,} in "
        f"{excluded['no category'][0]} codes (not in any category).",
        "# Regenerate: python -m csp_analysis.methods.harm DATA_DIR/home-office",
    ]
    out = table.copy()
    out["weight"] = out["weight"].map(lambda w: "" if pd.isna(w) else f"{w:.4f}")
    return "\n".join(header) + "\n" + out.to_csv(index=False, lineterminator="\n")


def write_weights_csv(home_office_dir: str | Path, out_path: str | Path = DEFAULT_WEIGHTS_FILE, *,
                      ons_edition: str = ONS_EDITION) -> Path:
    """Derive the weights from a data directory's ``home-office`` files and write them to ``out_path``."""
    folder = Path(home_office_dir)
    text = render_weights_csv(folder / "ons-crime-severity-weights.csv",
                              folder / "prc-pfa-2017-18-hertfordshire.csv",
                              mapping_csv=folder / "offence-code-to-police-uk-category.csv",
                              ons_edition=ons_edition)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8", newline="\n")
    return out_path


# --- Using the derived weights --------------------------------------------------------------------

def load_category_weights(path: str | Path = DEFAULT_WEIGHTS_FILE) -> pd.DataFrame:
    """Read a derived weights file (as written by :func:`write_weights_csv`), validated."""
    frame = pd.read_csv(path, comment="#", dtype={"category": str})
    missing = [c for c in OUTPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputDataError(path, f"not a harm weights file: missing {', '.join(missing)}", column=missing[0])
    frame["category"] = _categories(frame["category"], path, "category").astype(str)
    frame["weight"] = pd.to_numeric(frame["weight"], errors="coerce")
    return frame


def weights_source(path: str | Path = DEFAULT_WEIGHTS_FILE) -> str:
    """Where the harm weights come from, for the report: the file's header and the non-crime defaults."""
    lines = [line[1:].strip() for line in Path(path).read_text(encoding="utf-8").splitlines()
             if line.startswith("#")]
    wanted = [line for line in lines if line.startswith(("Weights:", "Counts:"))]
    return (f"Crime categories: {' '.join(wanted)} Derived file: {Path(path).name}. "
            f"Non-crime issues: csp_analysis.methods.harm.NON_CRIME_HARM_WEIGHTS version {NON_CRIME_DEFAULTS_VERSION} "
            "(stated analogues, overridable in configuration).")


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def issue_harm_weight(issue: str, police_uk_category: str | None, family: str, *,
                      category_table: pd.DataFrame, overrides: dict[str, float] | None = None) -> tuple[float, str]:
    """The harm weight for one issue and the rule that gave it, tried in this order:

    1. ``overrides`` (configuration ``harm_weights``) keyed by issue name (case and spacing ignored);
    2. the derived weight of its police.uk crime category (``category_table``);
    3. the first :data:`NON_CRIME_HARM_WEIGHTS` default whose pattern matches the issue name;
    4. otherwise a :class:`~csp_analysis.errors.ConfigError` asking for a ``harm_weights`` entry.
    """
    if not isinstance(police_uk_category, str) or not police_uk_category.strip():
        police_uk_category = None
    overrides = {_key(k): v for k, v in (overrides or {}).items()}
    if _key(issue) in overrides:
        return float(overrides[_key(issue)]), "configured override"
    if police_uk_category and police_uk_category != ASB:
        match = category_table.loc[category_table["category"] == police_uk_category]
        if len(match) and pd.notna(match["weight"].iloc[0]):
            return float(match["weight"].iloc[0]), f"ONS CSS, police.uk category {police_uk_category}"
    names = [issue] + ([police_uk_category] if police_uk_category else [])
    for default in NON_CRIME_HARM_WEIGHTS:
        if any(re.search(default.pattern, name, flags=re.IGNORECASE) for name in names):
            return default.weight, f"default for {default.name}: {default.analogue}"
    raise ConfigError(f"priorities.harm_weights: no harm weight for issue '{issue}' (family {family}): "
                      f"add harm_weights: {{\"{issue}\": <days of custody equivalent>}}")


def crime_severity(weight, count, population: float | None = None) -> pd.DataFrame:
    """The Crime Severity Score of each issue: ``css`` = severity weight x count (days of custody
    equivalent) and ``css_per_1000`` = 1,000 x css / population (missing without a population).

    >>> crime_severity([799.6289, 11.8555], [16, 368], population=140_664).round(1).to_dict("list")
    {'css': [12794.1, 4362.8], 'css_per_1000': [91.0, 31.0]}
    """
    css = np.asarray(weight, dtype=float) * np.asarray(count, dtype=float)
    per_1000 = 1000.0 * css / population if population else np.full(css.shape, np.nan)
    return pd.DataFrame({"css": css, "css_per_1000": per_1000})


def main(argv: list[str] | None = None) -> int:
    """``python -m csp_analysis.methods.harm HOME_OFFICE_DIR [OUT]``: rewrite the derived weights file."""
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    path = write_weights_csv(*args)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
