"""The results of one run, as every consumer sees them (exports, stores, report, review
packets, history), plus the files that carry them between processes.

Kept apart from the pipeline so that readers of an output directory (`linker review`,
`linker explain`, `linker diff`) need none of the algorithms.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from linker.contract import CLUSTERS_COLUMNS, MEMBERS_COLUMNS, SUSPENSIONS_COLUMNS
from linker.model import Findings
from linker.outputs.csvsafe import restore

# Internal artefacts beside the contract's files, used to re-render packets and explain
# decisions without the original data. Parquet keeps dtypes and is compact.
DETAIL_DIR = "detail"
REDACTION_KEY_FILE = "redaction.key"  # kept across runs in OUT_DIR when there is no workspace
DETAIL_FRAMES = ("links", "evidence", "activity", "accounts", "verdicts")


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    df = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    df = df.assign(**{str(c): restore(df[c]) for c in df.columns})  # undo formula quoting
    for col in ("score",):
        if col in df:
            df[col] = pd.to_numeric(df[col])
    for col in ("size", "exchanges"):
        if col in df:
            df[col] = pd.to_numeric(df[col]).astype("int64")
    return df


def read_findings(out_dir: Path) -> Findings:
    """Read an output directory written by `export.write_outputs` back into Findings."""
    out_dir = Path(out_dir)
    if not (out_dir / "run.json").exists():
        from linker.errors import InputError

        raise InputError("not a linker output directory (no run.json)", file=str(out_dir))
    run = json.loads((out_dir / "run.json").read_text())
    campaigns_path = out_dir / "campaigns.json"
    campaigns = json.loads(campaigns_path.read_text()) if campaigns_path.exists() else []
    changes_path = out_dir / "changes.json"
    changes = json.loads(changes_path.read_text()) if changes_path.exists() else None
    detail: dict[str, pd.DataFrame] = {}
    for name in DETAIL_FRAMES:
        p = out_dir / DETAIL_DIR / f"{name}.parquet"
        detail[name] = pd.read_parquet(p) if p.exists() else pd.DataFrame()
    return Findings(
        run=run,
        suspensions=_read_csv(out_dir / "suspensions.csv", SUSPENSIONS_COLUMNS),
        members=_read_csv(out_dir / "members.csv", MEMBERS_COLUMNS),
        clusters=_read_csv(out_dir / "clusters.csv", CLUSTERS_COLUMNS),
        campaigns=campaigns,
        changes=changes,
        **detail,
    )
