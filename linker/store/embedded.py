"""The default store: Parquet files in a workspace directory, nothing to install.

Layout::

    WORKSPACE/
      tables/<name>.parquet      the union of every batch loaded (normalised Dataset frames)
      tables/batches.json        sha256 of every input file already loaded (idempotence),
                                 swapped in together with the tables it describes
      runs/<run_id>/             run.json, members/suspensions/clusters .parquet, campaigns.json

Every write goes to a temporary file first and is renamed into place, so an interrupted load
or run leaves the workspace as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from linker.ingest.read import merge_aggregates
from linker.model import (
    Dataset,
    Findings,
    IngestInfo,
    LoadStats,
    PreviousRun,
    RequestAggregates,
    empty_dataset,
)

DEFAULT_WORKSPACE = Path(".linker")

_REQUEST_FRAMES = ("totals", "hourly", "identifiers", "capabilities")


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _atomic_text(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


class EmbeddedStore:
    """Store protocol over a workspace directory."""

    name = "embedded"

    def __init__(self, workspace: Path | None = None) -> None:
        self.root = Path(workspace or os.environ.get("LINKER_WORKSPACE") or DEFAULT_WORKSPACE)
        self.tables = self.root / "tables"
        self.runs_dir = self.root / "runs"

    # ---- loading -----------------------------------------------------------------------
    def _batches(self) -> dict[str, Any]:
        p = self.tables / "batches.json"
        return json.loads(p.read_text()) if p.exists() else {"files": {}}

    def account_ids(self) -> pd.Series:
        p = self.tables / "accounts.parquet"
        if not p.exists():
            return pd.Series([], dtype="string", name="account_id")
        return pd.read_parquet(p, columns=["account_id"])["account_id"]

    def load(self, ds: Dataset) -> LoadStats:
        """Union a normalised batch into the workspace; files already loaded are skipped."""
        t0 = time.perf_counter()
        self.tables.mkdir(parents=True, exist_ok=True)
        ledger = self._batches()
        stats = LoadStats()
        fresh: set[str] = set()
        for table, meta in ds.info.files.items():
            if meta["sha256"] in ledger["files"]:
                stats.skipped_files.append(meta["path"])
            else:
                fresh.add(table)
            stats.rows[table] = int(meta.get("rows", 0))
        if not fresh:
            stats.seconds = time.perf_counter() - t0
            return stats
        current = self.dataset() if (self.tables / "accounts.parquet").exists() else empty_dataset()

        if "accounts" in fresh:
            new = ds.accounts[~ds.accounts["account_id"].isin(current.accounts["account_id"])]
            stats.added["accounts"] = int(len(new))
            accounts = pd.concat([current.accounts, new], ignore_index=True) if len(current.accounts) else new
            accounts = accounts.sort_values("account_id", kind="stable").reset_index(drop=True)
        else:
            accounts = current.accounts
        frames = {"accounts": accounts}
        for table in ("payments", "ip_events"):
            old = getattr(current, table)
            if table in fresh:
                new = getattr(ds, table)
                both = pd.concat([old, new], ignore_index=True) if len(old) else new
                both = both.drop_duplicates(ignore_index=True)
                stats.added[table] = int(len(both) - len(old))
                frames[table] = both
            else:
                frames[table] = old
        requests = current.requests
        if "requests" in fresh:
            requests = merge_aggregates([current.requests, ds.requests])
        req_frames = {name: getattr(requests, name) for name in _REQUEST_FRAMES}
        if "requests" in fresh:
            stats.added["requests"] = int(ds.info.files["requests"].get("rows", 0))

        # Write everything to a temporary directory, then swap tables/ in one rename.
        staging = Path(tempfile.mkdtemp(prefix=".tables-", dir=self.root))
        try:
            for name, df in frames.items():
                _atomic_parquet(df, staging / f"{name}.parquet")
            for name, df in req_frames.items():
                _atomic_parquet(df, staging / f"requests_{name}.parquet")
            for table in fresh:
                meta = ds.info.files[table]
                ledger["files"][meta["sha256"]] = {"table": table, "path": meta["path"]}
            _atomic_text(json.dumps(ledger, indent=1, sort_keys=True), staging / "batches.json")
            old_dir = self.root / ".tables-old"
            shutil.rmtree(old_dir, ignore_errors=True)
            os.replace(self.tables, old_dir)
            try:
                os.replace(staging, self.tables)
            except BaseException:
                os.replace(old_dir, self.tables)
                raise
            shutil.rmtree(old_dir, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        stats.seconds = time.perf_counter() - t0
        return stats

    def dataset(self) -> Dataset:
        if not (self.tables / "accounts.parquet").exists():
            return empty_dataset()
        read = lambda n: pd.read_parquet(self.tables / f"{n}.parquet")  # noqa: E731
        requests = RequestAggregates(**{n: read(f"requests_{n}") for n in _REQUEST_FRAMES})
        ledger = self._batches()
        info = IngestInfo(
            files={meta["table"] + ":" + sha[:12]: {"path": meta["path"], "sha256": sha}
                   for sha, meta in sorted(ledger["files"].items())},
        )
        ds = Dataset(
            accounts=read("accounts"), payments=read("payments"), ip_events=read("ip_events"),
            requests=requests, info=info,
        )
        return ds

    # ---- runs --------------------------------------------------------------------------
    def write_results(self, findings: Findings) -> None:
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        run_id = findings.run_id
        staging = Path(tempfile.mkdtemp(prefix=f".{run_id}-", dir=self.runs_dir))
        try:
            (staging / "run.json").write_text(json.dumps(findings.run, indent=1, default=str))
            # Recording order, so runs started within the same second still sort right.
            (staging / "seq").write_text(str(len(self._run_dirs()) + 1))
            (staging / "campaigns.json").write_text(json.dumps(findings.campaigns, default=str))
            for name in ("members", "suspensions", "clusters"):
                getattr(findings, name).to_parquet(staging / f"{name}.parquet", index=False)
            os.replace(staging, self.runs_dir / run_id)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _read_run(self, path: Path) -> PreviousRun:
        return PreviousRun(
            run=json.loads((path / "run.json").read_text()),
            members=pd.read_parquet(path / "members.parquet"),
            suspensions=pd.read_parquet(path / "suspensions.parquet"),
            clusters=pd.read_parquet(path / "clusters.parquet"),
            campaigns=json.loads((path / "campaigns.json").read_text()),
        )

    def _run_dirs(self) -> list[Path]:
        if not self.runs_dir.exists():
            return []
        dirs = [p for p in self.runs_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return sorted(dirs, key=lambda p: int((p / "seq").read_text()))

    def runs(self) -> list[dict[str, Any]]:
        return [json.loads((p / "run.json").read_text()) for p in self._run_dirs()]

    def previous_run(self) -> PreviousRun | None:
        dirs = self._run_dirs()
        return self._read_run(dirs[-1]) if dirs else None

    def get_run(self, run_id: str) -> PreviousRun | None:
        p = self.runs_dir / run_id
        return self._read_run(p) if (p / "run.json").exists() else None

    def close(self) -> None:
        pass
