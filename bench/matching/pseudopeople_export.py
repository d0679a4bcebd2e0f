"""Export pseudopeople's sample 1040 returns and 2020 census to Parquet; needs the bench extra.

Usage: .venv/bin/python bench/matching/pseudopeople_export.py OUTDIR [--seed S]
       [--non-filer-share F] [--household-share H] [--census-year Y]

Writes OUTDIR/master.parquet (one row per filer and tax year: the primary filer of every noised
1040 return, and the joint filer where the return has one), OUTDIR/items.parquet (the noised
census people, each with its truth) and OUTDIR/facts.json.

- Noise is pseudopeople's default on every dataset; the 1040 covers every year of the sample.
- Truth is the simulant id: the 1040 output carries the primary filer's, the joint filer's comes
  from the sample's unnoised source file (same row index, checked), never from the noised SSN.
- The noised 1040 has no date of birth: it is joined by simulant id from the noised Social
  Security sample (its 'creation' event, else any event), as the IRS gets it from the SSA.
  Filers with no SSA record (no SSN in the simulation) have no date of birth in the master.
- In the sample nearly every census person files a 1040 in some year from 2018 to 2040 (the
  simulation has children file too), so non-filers are made by holding people out of the
  master: all their returns as primary filer and their place as joint filer are dropped. Most
  are taken from census households whose other members stay filers (the hard case: a child,
  spouse or parent at the same address, often with the same surname); the rest at random.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pseudopeople as psp

SAMPLE = Path(psp.__file__).resolve().parent / "data" / "sample_datasets"
TRUTH_ADDRESS = (
    "mailing_address_street_number",
    "mailing_address_street_name",
    "mailing_address_unit_number",
)


# Built as object Series by hand: pandas 3 infers its string dtype from map() and astype(str),
# which turns None into NaN and keeps missing values missing, where pandas 2 kept None and "nan".


def cleaned(value: Any) -> str | None:
    """Return the value as stripped text, or None when it is missing or blank."""
    if value is None or pd.isna(value):
        return None
    return str(value).strip() or None


def text(series: pd.Series[Any]) -> pd.Series[Any]:
    """Return the column as stripped strings, missing values as None."""
    return pd.Series([cleaned(v) for v in series], index=series.index, dtype=object)


def truth_key(series: pd.Series[Any]) -> pd.Series[Any]:
    """Return the column as unstripped text for equality, every missing value as None."""
    return pd.Series(
        [None if v is None or pd.isna(v) else str(v) for v in series],
        index=series.index,
        dtype=object,
    )


def join_street(number: pd.Series[Any], name: pd.Series[Any]) -> pd.Series[Any]:
    """Return 'number name' from the two columns, skipping missing parts."""
    return pd.Series(
        [" ".join(p for p in (n, s) if p) or None for n, s in zip(number, name, strict=True)],
        index=number.index,
        dtype=object,
    )


def ssa_birth_dates() -> dict[str, str]:
    """Return the noised SSA date of birth (YYYYMMDD text) per simulant id."""
    ssa = psp.generate_social_security(year=None)
    ssa = ssa.assign(first=(ssa["event_type"].astype(str) != "creation").astype(int))
    ssa = ssa.sort_values(["simulant_id", "first"]).drop_duplicates("simulant_id")
    dob = text(ssa["date_of_birth"])
    return {str(s): d for s, d in zip(ssa["simulant_id"], dob, strict=True) if d}


def master_rows() -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return the noised 1040 as master rows (primary and joint filers) and facts about it."""
    noised = psp.generate_taxes_1040(year=None)
    raw = pd.read_parquet(SAMPLE / "taxes_1040" / "taxes_1040.parquet")
    raw_rows = raw.loc[noised.index]
    same = (raw_rows["simulant_id"].astype(str).to_numpy()) == (
        noised["simulant_id"].astype(str).to_numpy()
    )
    if not same.all():
        raise SystemExit("the noised 1040 rows no longer line up with the sample file")
    street = join_street(
        text(noised["mailing_address_street_number"]), text(noised["mailing_address_street_name"])
    )
    po_box = text(noised["mailing_address_po_box"])
    street = pd.Series(
        [s or (f"PO BOX {b}" if b else None) for s, b in zip(street, po_box, strict=True)],
        index=street.index,
        dtype=object,
    )
    address = pd.DataFrame(
        {
            "street": street,
            "unit": text(noised["mailing_address_unit_number"]),
            "city": text(noised["mailing_address_city"]),
            "state": text(noised["mailing_address_state"]),
            "zip": text(noised["mailing_address_zipcode"]),
            "tax_year": noised["tax_year"].astype(int),
            "household_id": noised["household_id"].astype(str),
        }
    )
    primary = address.assign(
        simulant_id=noised["simulant_id"].astype(str),
        role="primary",
        first_name=text(noised["first_name"]),
        middle_name=text(noised["middle_initial"]),
        last_name=text(noised["last_name"]),
    )
    spouse_id = text(raw_rows["spouse_simulant_id"])
    has_spouse = spouse_id.notna()
    spouse = address[has_spouse].assign(
        simulant_id=spouse_id[has_spouse],
        role="joint filer",
        first_name=text(noised["spouse_first_name"])[has_spouse],
        middle_name=text(noised["spouse_middle_initial"])[has_spouse],
        last_name=text(noised["spouse_last_name"])[has_spouse],
    )
    rows = pd.concat([primary, spouse], ignore_index=True)
    rows = rows.drop_duplicates(["simulant_id", "tax_year"], keep="first")
    dobs = ssa_birth_dates()
    rows["date_of_birth"] = rows["simulant_id"].map(dobs)
    facts = {
        "returns": len(noised),
        "joint_returns": int(has_spouse.sum()),
        "tax_years": sorted(int(y) for y in rows["tax_year"].unique()),
        "filers_with_ssa_dob": int(
            rows.drop_duplicates("simulant_id")["date_of_birth"].notna().sum()
        ),
    }
    # Truth addresses (unnoised) of every return, to tell who lives at a filer's address.
    truth_address = pd.DataFrame({c: truth_key(raw_rows[c]) for c in TRUTH_ADDRESS})
    rows_truth = pd.concat(
        [
            truth_address.assign(simulant_id=noised["simulant_id"].astype(str)),
            truth_address[has_spouse].assign(simulant_id=spouse_id[has_spouse]),
        ],
        ignore_index=True,
    )
    facts["_address_by_simulant"] = rows_truth
    return rows, facts


def census_items(year: int) -> pd.DataFrame:
    """Return the noised census people of `year` with the unnoised address they live at."""
    noised = psp.generate_decennial_census(year=year).reset_index(drop=True)
    raw = pd.read_parquet(SAMPLE / "decennial_census" / "decennial_census.parquet")
    raw = raw[raw["year"] == year].astype({"simulant_id": str}).drop_duplicates("simulant_id")
    raw_rows = (
        noised[["simulant_id"]].astype(str).merge(raw, on="simulant_id", how="left", validate="m:1")
    )
    return pd.DataFrame(
        {
            "simulant_id": noised["simulant_id"].astype(str),
            "household_id": noised["household_id"].astype(str),
            "first_name": text(noised["first_name"]),
            "middle_initial": text(noised["middle_initial"]),
            "last_name": text(noised["last_name"]),
            "date_of_birth": text(noised["date_of_birth"]),
            "street": join_street(text(noised["street_number"]), text(noised["street_name"])),
            "unit": text(noised["unit_number"]),
            "city": text(noised["city"]),
            "state": text(noised["state"]),
            "zip": text(noised["zipcode"]),
            "age": text(noised["age"]),
            "relationship": text(noised["relationship_to_reference_person"]),
            "_address": list(
                zip(
                    truth_key(raw_rows["street_number"]),
                    truth_key(raw_rows["street_name"]),
                    truth_key(raw_rows["unit_number"]),
                    strict=True,
                )
            ),
        }
    )


def hold_out(
    items: pd.DataFrame, filers: set[str], target: int, household_share: float, seed: int
) -> set[str]:
    """Return census people to drop from the master so that about `target` items do not file.

    A share comes from households of two or more census people, always leaving one filer in
    the household; the rest is drawn at random from the census people who still file.
    """
    rng = np.random.default_rng(seed)
    natural = set(items.loc[~items["simulant_id"].isin(filers), "simulant_id"])
    need = max(0, target - int((~items["simulant_id"].isin(filers)).sum()))
    held: set[str] = set()
    members = (
        items[items["simulant_id"].isin(filers)]
        .drop_duplicates("simulant_id")
        .groupby("household_id")["simulant_id"]
        .apply(list)
    )
    groups = [list(m) for m in members if len(m) >= 2]
    quota = round(need * household_share)
    # Pass k takes one more member from each household while at least one filer stays.
    for k in range(1, max((len(g) for g in groups), default=1)):
        order = rng.permutation(len(groups))
        for i in order:
            if len(held) >= quota:
                break
            group = groups[i]
            if len(group) - k >= 1:
                left = [s for s in group if s not in held]
                held.add(str(rng.choice(left)))
        if len(held) >= quota:
            break
    rest = sorted(set(items["simulant_id"]) & filers - held - natural)
    extra = need - len(held)
    if extra > 0:
        held.update(str(s) for s in rng.choice(rest, size=min(extra, len(rest)), replace=False))
    return held


def main() -> None:
    """Write the master, the items with truth, and the facts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=6103)
    parser.add_argument("--non-filer-share", type=float, default=0.40)
    parser.add_argument("--household-share", type=float, default=0.80)
    parser.add_argument("--census-year", type=int, default=2020)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    args.out.mkdir(parents=True, exist_ok=True)
    master, facts = master_rows()
    address_rows = facts.pop("_address_by_simulant")
    items = census_items(args.census_year)
    filers = set(master["simulant_id"])
    target = round(args.non_filer_share * len(items))
    held = hold_out(items, filers, target, args.household_share, args.seed)
    master = master[~master["simulant_id"].isin(held)]
    kept = set(master["simulant_id"])
    kept_households = set(master["household_id"]) | set(
        items.loc[items["simulant_id"].isin(kept), "household_id"]
    )
    kept_addresses = {
        tuple(r)
        for r in address_rows.loc[
            address_rows["simulant_id"].isin(kept), list(TRUTH_ADDRESS)
        ].itertuples(index=False)
    }
    files = items["simulant_id"].isin(kept)
    with_filer = items["household_id"].isin(kept_households) | items["_address"].map(
        lambda a: a in kept_addresses
    )
    items["kind"] = np.where(
        files, "filer", np.where(with_filer, "non-filer in a filer household", "other non-filer")
    )
    items["held_out"] = items["simulant_id"].isin(held)
    items = items.drop(columns=["_address"])
    master.reset_index(drop=True).to_parquet(args.out / "master.parquet")
    items.reset_index(drop=True).to_parquet(args.out / "items.parquet")
    facts.update(
        {
            "census_year": args.census_year,
            "seed": args.seed,
            "pseudopeople": psp.__version__,
            "held_out": len(held),
            "natural_non_filers": int((~items["simulant_id"].isin(filers)).sum()),
            "master_rows": len(master),
            "taxpayers": len(kept),
            "items": len(items),
            "kinds": items["kind"].value_counts().to_dict(),
        }
    )
    (args.out / "facts.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
