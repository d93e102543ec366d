"""Write a run's outputs atomically: everything goes into a temporary sibling directory that
replaces OUT_DIR only once complete, so a failed or interrupted run leaves the previous
outputs exactly as they were."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from linker.atomic import replaced_dir
from linker.contract import CLUSTERS_COLUMNS, MEMBERS_COLUMNS, SUSPENSIONS_COLUMNS
from linker.crashpoints import crash_point
from linker.model import Findings
from linker.outputs.csvsafe import to_csv
from linker.outputs.findings import DETAIL_DIR, DETAIL_FRAMES, REDACTION_KEY_FILE
from linker.progress import Reporter, plural

# Extra writers (report, review packet, STIX) register here: each gets (findings, target_dir).
Writer = Callable[[Findings, Path], None]


def _json_default(obj: Any) -> Any:
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dump_json(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=False, default=_json_default) + "\n")


def _iso(series: pd.Series) -> pd.Series:
    """Timestamps as ISO 8601 UTC strings with a Z, empty when unknown."""
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        return out.astype("string")
    return series


def _csv(df: pd.DataFrame, columns: list[str], path: Path) -> None:
    frame = df.reindex(columns=columns).copy()
    for col in frame.columns:
        frame[col] = _iso(frame[col])
    if "score" in frame:
        frame["score"] = frame["score"].astype(float).round(4)
    to_csv(frame, path)


def write_core(findings: Findings, target: Path) -> None:
    """The contract's tables and JSON files, plus the detail frames for review/explain."""
    _csv(findings.suspensions, SUSPENSIONS_COLUMNS, target / "suspensions.csv")
    _csv(findings.members, MEMBERS_COLUMNS, target / "members.csv")
    extra = [c for c in findings.clusters.columns if c not in CLUSTERS_COLUMNS]
    _csv(findings.clusters, CLUSTERS_COLUMNS + extra, target / "clusters.csv")
    dump_json(findings.campaigns, target / "campaigns.json")
    dump_json(findings.run, target / "run.json")
    if findings.changes is not None:
        dump_json(findings.changes, target / "changes.json")
    detail = target / DETAIL_DIR
    detail.mkdir(exist_ok=True)
    for name in DETAIL_FRAMES:
        frame = getattr(findings, name)
        if isinstance(frame, pd.DataFrame) and len(frame.columns):
            frame.reset_index(drop=True).to_parquet(detail / f"{name}.parquet", index=False)


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a directory that is not a previous linker output (say `--out .`)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and (
        not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / "run.json").exists())
    ):
        from linker.errors import InputError

        raise InputError(
            "exists and is not a linker output directory; refusing to replace it "
            "(choose an empty or new --out directory)",
            file=str(out_dir),
        )


def write_outputs(findings: Findings, out_dir: Path, writers: list[Writer] | None = None,
                  reporter: Reporter | None = None) -> Path:
    """Write all outputs into a temporary directory beside OUT_DIR, then swap it in.
    Each part is timed by `reporter` (`outputs: tables`, `outputs: write_report`, …) and the
    times, with the whole `outputs` stage, are in the run.json written here."""
    check_out_dir(out_dir)
    out_dir = Path(out_dir).resolve()
    reporter = reporter or Reporter()
    t0 = time.perf_counter()
    with replaced_dir(out_dir) as tmp:
        with reporter.stage("outputs: tables") as stage:
            write_core(findings, tmp)
            stage.note(plural(len(findings.suspensions), "decision"))
        crash_point("export")
        for writer in writers or []:
            name = getattr(writer, "__name__", "writer").removeprefix("write_")
            with reporter.stage(f"outputs: {name}"):
                writer(findings, tmp)
        key = out_dir / REDACTION_KEY_FILE  # redaction tokens stay stable across runs
        if key.is_file():
            shutil.copy2(key, tmp / REDACTION_KEY_FILE)
        timings = findings.run.setdefault("timings", {})
        timings.update({k: v for k, v in reporter.seconds.items() if k.startswith("outputs: ")})
        timings["outputs"] = round(time.perf_counter() - t0, 3)
        dump_json(findings.run, tmp / "run.json")  # again, now with the outputs' own times
    return out_dir


def clean_out_leftovers(out_dir: Path) -> list[str]:
    """Remove `.OUT.tmp-PID-*` / `.OUT.old-PID` directories (personal data) that runs killed
    mid-write left beside OUT_DIR, unless process PID still lives. One note line, or none."""
    out_dir = Path(out_dir).resolve()
    if not out_dir.parent.is_dir():
        return []
    from linker.store.lock import pid_alive

    removed = 0
    for kind in ("tmp", "old"):
        for p in out_dir.parent.glob(f".{glob_escape(out_dir.name)}.{kind}-*"):
            m = re.match(r"(\d+)", p.name[len(out_dir.name) + len(kind) + 3:])
            if not p.is_dir() or (m and pid_alive(int(m.group(1))) and int(m.group(1)) != os.getpid()):
                continue
            shutil.rmtree(p, ignore_errors=True)
            removed += 1
    if not removed:
        return []
    return [f"removed {removed} partial output director(ies) of interrupted runs beside {out_dir}"]


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)
