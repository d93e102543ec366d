"""The default store: Parquet files in a workspace directory, nothing to install.

Layout::

    WORKSPACE/
      tables/<name>.parquet      the union of every batch loaded (normalised Dataset frames)
      tables/batches.json        sha256 of every input file already loaded (idempotence),
                                 swapped in together with the tables it describes
      runs/<run_id>/             run.json, members/suspensions/clusters .parquet, campaigns.json
      .lock                      held by the one process writing (linker.store.lock)
      load-journal.json          present while a load is not committed yet
      .tables-prev/              the tables before that load (what a rollback restores)

Each batch adds one part per table: `tables/<name>.parquet` for the first batch, then
`<name>.2.parquet`, `<name>.3.parquet`, … A load never rewrites the parts already there: the
new tables/ holds hard links to them plus the batch's new parts (accounts not seen before,
payment and IP-event rows not already stored, the batch's request aggregates), and
`dataset()` unions the parts (request aggregates merged: sums add, first/last take min/max).
A load writes that new tables/ beside the old one and swaps it in by renames, after writing
the journal; a run commits the load only once its results are recorded. A failed run, or a crash
anywhere in between (even between the two renames), is rolled back on the next start: the
journal is the proof that tables/ is not committed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from linker.crashpoints import crash_point
from linker.ingest.normalize import NORMALISED_EVENT_COLUMNS
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
JOURNAL = "load-journal.json"
PREV = ".tables-prev"

_REQUEST_FRAMES = ("totals", "hourly", "identifiers", "capabilities")


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _first_rows(df: pd.DataFrame) -> np.ndarray:
    """`~df.duplicated()` for a batch of payments or IP events, hashing far fewer strings:
    only rows that share their account and time with another row can repeat one, so only
    those are compared in full (hashing every column of the 4M IP events of 1M accounts
    took half a minute); the normalised columns follow from the raw ones and are left out."""
    raw = df.drop(columns=[c for c in NORMALISED_EVENT_COLUMNS if c in df])
    time_col = next((c for c in ("seen_at", "created_at") if c in raw), None)
    if len(raw) < 2 or "account_id" not in raw or time_col is None:
        return ~raw.duplicated().to_numpy()
    acct = pd.factorize(raw["account_id"])[0].astype(np.int64)
    when = pd.factorize(raw[time_col])[0].astype(np.int64)
    key = acct * (int(when.max(initial=0)) + 2) + when
    order = np.argsort(key, kind="stable")
    k = key[order]
    same = np.r_[False, k[1:] == k[:-1]]
    shared = same | np.r_[same[1:], False]  # in a run of two or more equal keys
    cand = np.sort(order[shared])
    keep = np.ones(len(raw), dtype=bool)
    if cand.size:
        keep[cand] = ~raw.iloc[cand].duplicated().to_numpy()
    return keep


def _contiguous(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with each Arrow-backed column in one chunk. Parquet gives a column in many chunks
    (a row group or part each), and every Arrow kernel downstream then works chunk by chunk
    or joins them again: in two A/B runs on 1M accounts, ring detection took 7-8 s and
    campaigns 2-4 s longer that way."""
    out = {}
    for col in df.columns:
        dtype = df[col].dtype
        arrow = isinstance(dtype, pd.ArrowDtype) or (
            isinstance(dtype, pd.StringDtype) and str(dtype.storage).startswith("pyarrow"))
        arr = pa.array(df[col].array) if arrow else None
        if isinstance(arr, pa.ChunkedArray) and arr.num_chunks > 1:
            out[col] = pd.Series(pd.array(arr.combine_chunks(), dtype=dtype), index=df.index)
        else:
            out[col] = df[col]
    return pd.DataFrame(out, index=df.index)


def _link(src: Path, dst: Path) -> None:
    """`dst` is `src` (a hard link: no copy); a copy where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _atomic_text(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EmbeddedStore:
    """Store protocol over a workspace directory."""

    name = "embedded"

    def __init__(self, workspace: Path | None = None) -> None:
        self.root = Path(workspace or os.environ.get("LINKER_WORKSPACE") or DEFAULT_WORKSPACE)
        self.tables = self.root / "tables"
        self.runs_dir = self.root / "runs"
        self.journal = self.root / JOURNAL
        self.prev = self.root / PREV
        self._pending = False  # this instance wrote the journal (load not committed yet)

    # ---- one writer, crash recovery ------------------------------------------------------
    @contextmanager
    def lock(self, *, wait: bool = False) -> Iterator[list[str]]:
        """Hold the workspace lock; on taking it, roll back a load a crashed or failed run
        left uncommitted and remove staging directories of interrupted runs. Yields what was
        cleaned up (one line each)."""
        from linker.store.lock import exclusive

        fresh = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive(self.root / ".lock", what=f"workspace {self.root}", wait=wait):
            try:
                yield self.recover()
            except BaseException:
                # a run that failed before loading anything (bad input) leaves no workspace
                if fresh and not self.tables.exists() and not self.runs_dir.exists():
                    shutil.rmtree(self.root, ignore_errors=True)
                raise

    def recover(self) -> list[str]:
        """Finish or undo what an interrupted process left (call only while holding the lock)."""
        notes: list[str] = []
        legacy = self.root / ".tables-old"  # versions before the journal: crash between renames
        if not self.tables.exists() and legacy.is_dir() and not self.journal.exists():
            os.replace(legacy, self.tables)
            notes.append(f"restored {self.tables} from {legacy.name} (a load was interrupted)")
        if self.journal.exists() and not self._pending:
            journal = json.loads(self.journal.read_text())
            if self._recorded(journal.get("batches", [])):
                self._commit_journal()
                notes.append("committed a load whose run was recorded before a crash")
            else:
                self._rollback_journal(journal)
                notes.append("rolled back a load whose run never finished "
                             f"({len(journal.get('batches', []))} input file(s); they load again)")
        leftovers = [p for p in self.root.glob(".tables-*") if p.is_dir() and p != self.prev]
        if self.runs_dir.exists():
            leftovers += [p for p in self.runs_dir.iterdir() if p.is_dir() and p.name.startswith(".")]
        if not self.journal.exists() and self.prev.exists():
            leftovers.append(self.prev)
        for p in leftovers:
            shutil.rmtree(p, ignore_errors=True)
        if leftovers:
            notes.append(f"removed {len(leftovers)} staging director(ies) of interrupted runs "
                         f"in {self.root}")
        return notes

    def _recorded(self, shas: list[str]) -> bool:
        """True when the latest recorded run already ran on these input files."""
        runs = self.runs()
        if not runs or not shas:
            return False
        store_files = (runs[-1].get("inputs") or {}).get("store") or {}
        seen = {m.get("sha256") for m in store_files.values() if isinstance(m, dict)}
        return set(shas) <= seen

    def _commit_journal(self) -> None:
        self.journal.unlink(missing_ok=True)  # the commit point
        shutil.rmtree(self.prev, ignore_errors=True)
        self._pending = False

    def _rollback_journal(self, journal: dict[str, Any]) -> None:
        if journal.get("had_tables"):
            if self.prev.exists():  # else: crashed before the first rename, tables/ is the old one
                if self.tables.exists():
                    trash = self.root / f".tables-rolledback-{os.getpid()}"
                    os.replace(self.tables, trash)
                    shutil.rmtree(trash, ignore_errors=True)
                os.replace(self.prev, self.tables)
        elif self.tables.exists():
            trash = self.root / f".tables-rolledback-{os.getpid()}"
            os.replace(self.tables, trash)
            shutil.rmtree(trash, ignore_errors=True)
        self.journal.unlink(missing_ok=True)
        self._pending = False

    def commit(self) -> None:
        """Make the loads of this run permanent (after its results are recorded)."""
        if self._pending:
            self._commit_journal()

    def rollback(self) -> None:
        """Undo this run's uncommitted loads: the workspace is as before the run."""
        if self._pending and self.journal.exists():
            self._rollback_journal(json.loads(self.journal.read_text()))

    # ---- loading -----------------------------------------------------------------------
    def _batches(self) -> dict[str, Any]:
        p = self.tables / "batches.json"
        return json.loads(p.read_text()) if p.exists() else {"files": {}}

    def _parts(self, name: str, tables: Path | None = None) -> list[Path]:
        """The part files of table `name`, in load order."""
        tables = tables or self.tables
        found = [(1, tables / f"{name}.parquet")] if (tables / f"{name}.parquet").exists() else []
        for p in tables.glob(f"{name}.*.parquet"):
            k = p.name[len(name) + 1:-len(".parquet")]
            if k.isdigit():
                found.append((int(k), p))
        return [p for _, p in sorted(found)]

    def _read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        """The parts of table `name` as one frame (None when there is none)."""
        parts = [pd.read_parquet(p, columns=columns) for p in self._parts(name)]
        if not parts:
            return None
        parts = [df for df in parts if len(df)] or parts[:1]  # an empty part adds no rows
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def _loaded(self) -> bool:
        return bool(self._parts("accounts"))

    def account_ids(self) -> pd.Series:
        ids = self._read("accounts", ["account_id"]) if self._loaded() else None
        if ids is None:
            return pd.Series([], dtype="string", name="account_id")
        return ids["account_id"]

    def load(self, ds: Dataset, *, commit: bool = True) -> LoadStats:
        """Add a normalised batch to the workspace as new parts (the parts already there are
        neither read back whole nor rewritten); files already loaded are skipped.
        commit=False keeps the previous tables until commit() (or rollback())."""
        t0 = time.perf_counter()
        if self.journal.exists() and not self._pending:
            self.recover()  # an earlier process died mid-load: undo it first
        self.root.mkdir(parents=True, exist_ok=True)
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
        had = self._loaded()
        new_parts: dict[str, pd.DataFrame] = {}
        if "accounts" in fresh:
            new = ds.accounts
            if had:
                new = new[~new["account_id"].isin(self.account_ids())]
            new = new.sort_values("account_id", kind="stable").reset_index(drop=True)
            stats.added["accounts"] = int(len(new))
            new_parts["accounts"] = new
        for table in ("payments", "ip_events"):
            if table in fresh:
                new = getattr(ds, table)
                old = self._read(table) if had else None
                if old is not None and len(old):
                    # rows already stored are not stored twice (nor repeated rows of the batch)
                    dup = pd.concat([old, new], ignore_index=True).duplicated().to_numpy()
                    new = new[~dup[len(old):]].reset_index(drop=True)
                    del old
                else:
                    new = new[_first_rows(new)].reset_index(drop=True)
                stats.added[table] = int(len(new))
                new_parts[table] = new
        if "requests" in fresh:
            for name in _REQUEST_FRAMES:
                new_parts[f"requests_{name}"] = getattr(ds.requests, name)
            stats.added["requests"] = int(ds.info.files["requests"].get("rows", 0))
        if not had:  # a first batch brings every table, if only empty
            empty = empty_dataset()
            for name in ("accounts", "payments", "ip_events"):
                new_parts.setdefault(name, getattr(empty, name))
            for name in _REQUEST_FRAMES:
                new_parts.setdefault(f"requests_{name}", getattr(empty.requests, name))

        # A new tables/ (links to the old parts + the new parts), then swapped in by renames.
        staging = Path(tempfile.mkdtemp(prefix=".tables-", dir=self.root))
        try:
            if self.tables.is_dir():
                for p in self.tables.iterdir():
                    if p.suffix == ".parquet" and not p.name.startswith("."):
                        _link(p, staging / p.name)
            for name, df in new_parts.items():
                k = len(self._parts(name, staging)) + 1
                part = staging / (f"{name}.parquet" if k == 1 else f"{name}.{k}.parquet")
                _atomic_parquet(df, part)
            for table in fresh:
                meta = ds.info.files[table]
                ledger["files"][meta["sha256"]] = {"table": table, "path": meta["path"]}
            _atomic_text(json.dumps(ledger, indent=1, sort_keys=True), staging / "batches.json")
            crash_point("load-staged")
            self._swap(staging, [ds.info.files[t]["sha256"] for t in sorted(fresh)])
            if commit:
                self.commit()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            self.rollback()
            raise
        stats.seconds = time.perf_counter() - t0
        return stats

    def _swap(self, staging: Path, shas: list[str]) -> None:
        """staging → tables/ by renames, the journal written first (see the module docstring)."""
        if self._pending:  # a second load in the same run: the journal's snapshot stays
            trash = self.root / f".tables-superseded-{os.getpid()}"
            os.replace(self.tables, trash)
            os.replace(staging, self.tables)
            shutil.rmtree(trash, ignore_errors=True)
            journal = json.loads(self.journal.read_text())
            journal["batches"] = sorted(set(journal.get("batches", [])) | set(shas))
            _atomic_text(json.dumps(journal), self.journal)
            return
        had = (self.tables / "batches.json").exists()
        if not had and self.tables.exists():
            shutil.rmtree(self.tables)  # created by mkdir above, nothing committed in it
        _atomic_text(json.dumps({"had_tables": had, "batches": sorted(shas), "pid": os.getpid()}),
                     self.journal)
        self._pending = True
        if had:
            os.replace(self.tables, self.prev)
            crash_point("load-swap")
        os.replace(staging, self.tables)
        _fsync_dir(self.root)

    def dataset(self) -> Dataset:
        if not self._loaded():
            return empty_dataset()
        accounts = self._read("accounts")
        if len(self._parts("accounts")) > 1:  # each part is sorted; their union is not
            accounts = accounts.sort_values("account_id", kind="stable").reset_index(drop=True)
        request_parts = [RequestAggregates(**{n: pd.read_parquet(parts[k]) for n, parts in
                                              self._request_parts().items()})
                         for k in range(len(self._parts("requests_totals")))]
        requests = (request_parts[0] if len(request_parts) == 1
                    else merge_aggregates(request_parts))
        del request_parts
        ledger = self._batches()
        info = IngestInfo(
            files={meta["table"] + ":" + sha[:12]: {"path": meta["path"], "sha256": sha}
                   for sha, meta in sorted(ledger["files"].items())},
        )
        requests = RequestAggregates(**{n: _contiguous(getattr(requests, n))
                                        for n in _REQUEST_FRAMES})
        return Dataset(accounts=_contiguous(accounts), payments=_contiguous(self._read("payments")),
                       ip_events=_contiguous(self._read("ip_events")), requests=requests,
                       info=info)

    def _request_parts(self) -> dict[str, list[Path]]:
        return {n: self._parts(f"requests_{n}") for n in _REQUEST_FRAMES}

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

    # ---- review verdicts (linker/feedback) ------------------------------------------------
    def add_verdicts(self, rows: pd.DataFrame) -> int:
        """Union verdict rows into WORKSPACE/verdicts.parquet (written beside and swapped in by
        one rename: a crash leaves the old file or the new one). Returns the rows given."""
        from linker.feedback.verdicts import merge_verdicts

        self.root.mkdir(parents=True, exist_ok=True)
        _atomic_parquet(merge_verdicts(self.verdicts(), rows), self.root / "verdicts.parquet")
        _fsync_dir(self.root)
        return int(len(rows))

    def verdicts(self) -> pd.DataFrame:
        """Every stored verdict row, in filing order."""
        from linker.feedback.verdicts import empty_verdicts

        p = self.root / "verdicts.parquet"
        return pd.read_parquet(p) if p.exists() else empty_verdicts()

    def close(self) -> None:
        pass
