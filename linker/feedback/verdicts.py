"""Verdicts as input: read a reviewers' file (CSV or Parquet), check it with the contract's
error rules, and resolve each subject (an account_id or a cluster_id) to the accounts it
covers, with the evidence they had when the verdict was filed (the *basis*: reasons and
score in the latest run): a cleared account comes back to review only on a reason code
beyond its basis or a link first seen after the verdict.

Stored rows (one per verdict and account, both stores)::

    verdict_id, subject, subject_type, account_id, verdict, reviewer, decided_at, note,
    basis_run_id, basis_reasons, basis_score

(the basis is also what `linker calibrate` learns from: what the reviewer saw.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linker import contract
from linker.model import STRING, TIMESTAMP, PreviousRun

STORED_COLUMNS = ["verdict_id", "subject", "subject_type", "account_id", "verdict", "reviewer",
                  "decided_at", "note", "basis_run_id", "basis_reasons", "basis_score"]
_TYPES = {c: STRING for c in STORED_COLUMNS} | {"decided_at": TIMESTAMP}


def empty_verdicts() -> pd.DataFrame:
    """The stored verdict table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _TYPES.items()})


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """Stored verdict rows with the stored dtypes (either store hands these back)."""
    if df is None or len(df) == 0:
        return empty_verdicts()
    out = pd.DataFrame({c: df[c] if c in df else pd.NA for c in STORED_COLUMNS})
    for c, t in _TYPES.items():
        out[c] = pd.to_datetime(out[c], utc=True) if t == TIMESTAMP else out[c].astype(t)
    return out.reset_index(drop=True)


def read_verdicts(path: Path) -> tuple[Any, pd.DataFrame]:
    """The file's rows (subject, verdict, reviewer, decided_at, note), checked: exit 2 naming
    file, column and rows on a bad verdict value or an empty required cell."""
    from linker.ingest.read import read_small_file

    src, df = read_small_file(Path(path), contract.VERDICTS)
    df["subject"] = df["subject"].str.strip()
    df["verdict"] = df["verdict"].str.strip().str.lower()
    bad = np.flatnonzero((~df["verdict"].isin(contract.VERDICT_VALUES)).to_numpy())
    if len(bad):
        shown = ", ".join(repr(v) for v in df["verdict"].iloc[bad[:5]])
        raise src.fail(f"unknown verdict {shown} (expected one of: "
                       f"{', '.join(contract.VERDICT_VALUES)})", "verdict", bad, 0)
    empty = np.flatnonzero(df["subject"].fillna("").eq("").to_numpy())
    if len(empty):
        raise src.fail("required value is empty", "subject", empty, 0)
    return src, df


def _verdict_ids(df: pd.DataFrame) -> list[str]:
    """A stable id per verdict row: sha1 of its subject, verdict, reviewer and decision time
    (the same text per row as before, built column-wise instead of per row)."""
    cols = [df[c].map(str) for c in ("subject", "verdict", "reviewer", "decided_at")]
    text = cols[0].str.cat(cols[1:], sep="\x1f")
    return ["V-" + hashlib.sha1(t.encode()).hexdigest()[:12] for t in text]


def resolve(src: Any, df: pd.DataFrame, account_ids: pd.Series,
            previous: PreviousRun | None) -> pd.DataFrame:
    """Stored rows for the file's verdicts: a cluster subject expands to the ring's members in
    the latest run; each account's basis is its reasons and score in that run. A subject
    that is neither a known account nor a ring of the latest run is bad input (exit 2)."""
    known = set(pd.Series(account_ids, dtype="string").dropna())
    pairs = pd.DataFrame({"account_id": pd.Series(dtype=str), "subject": pd.Series(dtype=str)})
    basis = pd.DataFrame({"account_id": pd.Series(dtype=str), "basis_reasons": pd.Series(dtype=str),
                          "basis_score": pd.Series(dtype=str)})
    if previous is not None and previous.members is not None and len(previous.members):
        m = previous.members.dropna(subset=["cluster_id"])
        pairs = pd.DataFrame({"account_id": m["account_id"].astype(str).to_numpy(),
                              "subject": m["cluster_id"].astype(str).to_numpy()})
    sus = previous.suspensions if previous is not None else None
    if sus is not None and len(sus):
        basis = pd.DataFrame({"account_id": sus["account_id"].astype(str).to_numpy(),
                              "basis_reasons": sus["reasons"].fillna("").astype(str).to_numpy(),
                              "basis_score": sus["score"].astype(str).to_numpy()})
        basis = basis.drop_duplicates("account_id", keep="last")
    run_id = str(previous.run.get("run_id", "")) if previous is not None else ""

    is_account = df["subject"].isin(known).to_numpy()
    is_cluster = df["subject"].isin(set(pairs["subject"])).to_numpy() & ~is_account
    bad = np.flatnonzero(~(is_account | is_cluster))
    if len(bad):
        shown = ", ".join(repr(v) for v in df["subject"].iloc[bad[:5]])
        raise src.fail(f"unknown subject {shown}: neither an account in the store nor a "
                       "cluster_id of the latest run", "subject", bad, 0)
    # one row per verdict and account: an account subject is itself, a cluster subject its
    # members in the latest run (in account order), verdicts in file order
    v = pd.DataFrame({"verdict_id": _verdict_ids(df),
                      "subject": df["subject"].astype(str).to_numpy(),
                      "subject_type": np.where(is_account, "account", "cluster"),
                      "verdict": df["verdict"].to_numpy(), "reviewer": df["reviewer"].to_numpy(),
                      "decided_at": df["decided_at"].to_numpy(), "note": df["note"].to_numpy(),
                      "pos": np.arange(len(df))})
    own = v[is_account].assign(account_id=v.loc[is_account, "subject"])
    expanded = v[is_cluster].merge(pairs, on="subject")
    rows = pd.concat([own, expanded], ignore_index=True).sort_values(
        ["pos", "account_id"], kind="stable")
    rows["basis_run_id"] = np.where(rows["account_id"].isin(pairs["account_id"]), run_id, "")
    rows = rows.merge(basis, on="account_id", how="left")
    rows[["basis_reasons", "basis_score"]] = rows[["basis_reasons", "basis_score"]].fillna("")
    return typed(rows[STORED_COLUMNS])


def merge_verdicts(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Union of stored and new rows; the same verdict filed twice is kept once."""
    both = pd.concat([typed(old), typed(new)], ignore_index=True)
    return both.drop_duplicates(["verdict_id", "account_id"], keep="first").reset_index(drop=True)


def latest_per_account(verdicts: pd.DataFrame) -> pd.DataFrame:
    """One row per account: its latest verdict (by decided_at; a later filing wins ties)."""
    if verdicts is None or len(verdicts) == 0:
        return empty_verdicts()
    v = typed(verdicts).reset_index(drop=True)
    v["_pos"] = np.arange(len(v))
    v = v.sort_values(["decided_at", "_pos"], kind="stable")
    return v.drop_duplicates("account_id", keep="last").drop(columns="_pos").reset_index(drop=True)
