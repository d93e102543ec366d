"""The demo world: a synthetic AI platform with innocent sharing and planted fraud rings,
plus the ground truth to measure the linker against.

``generate_world`` writes the contract's tables (accounts, payments, ip_events, requests),
``indicators.csv``, ``allowlist.csv`` and ``truth/`` (accounts, campaigns, rings). Same seed,
same bytes. See ``examples/README.md`` for what is planted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from linker.demo.profiles import (
    DEFAULT_PROFILE,
    DIFFICULTY_PROFILES,
    PROFILES,
    REALISTIC_PROFILES,
    Profile,
)
from linker.demo.world import CAMPAIGNS, DIFFICULTIES, build_world
from linker.demo.write import assemble, truth_frames, write_csv_frame, write_tables
from linker.progress import Reporter

FORMATS = ("csv", "parquet")


@dataclass
class WorldTruth:
    """Ground truth of a generated world (the same frames as ``out_dir/truth/*.csv``)."""

    accounts: pd.DataFrame  # account_id, is_fraud, ring_id, campaign_id, operator, evidence, allowlisted, legit_group
    # (evidence: clear / stealth / camouflaged / low_and_slow; legit_group: ;-joined sharing patterns)
    campaigns: pd.DataFrame  # campaign_id, operator, accounts, rings, exchanges, first_seen, last_seen, capabilities, ...
    rings: pd.DataFrame  # ring_id, campaign_id, evidence, size, exchanges, first_seen, last_seen
    indicators: pd.DataFrame  # what was written to indicators.csv
    allowlist: pd.DataFrame  # what was written to allowlist.csv
    files: dict[str, Path] = field(default_factory=dict)  # table name (week/name) -> file written
    stats: dict[str, float] = field(default_factory=dict)  # row counts and seconds per phase


def generate_world(
    out_dir: Path,
    accounts: int = 20_000,
    seed: int = 7,
    difficulty: str | None = "default",
    weeks: int = 1,
    fmt: str = "csv",
    profile: str | Profile | None = None,
    reporter: Reporter | None = None,
) -> WorldTruth:
    """Generate a world of ``accounts`` accounts into ``out_dir`` and return its ground truth.

    ``weeks`` > 1 writes ``week1/`` .. ``weekN/`` (each a valid data dir holding only that
    week's new rows; loading them in order gives the whole world). ``fmt`` is ``csv`` or
    ``parquet`` for the four contract tables; side inputs and truth are always CSV.
    ``profile`` names a world of ``PROFILES`` (``baseline`` is the realistic one); without it,
    ``difficulty`` (easy / default / hard) picks a legacy profile, the old demo world.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    out_dir = Path(out_dir)
    rep = reporter or Reporter()
    t0 = time.perf_counter()
    with rep.stage("generate: draw") as stage:
        w = build_world(accounts, seed, difficulty, weeks, profile)
        stage.note(f"{accounts:,} accounts")
    t1 = time.perf_counter()
    with rep.stage("generate: assemble") as stage:
        tables, req = assemble(w)
        truth = truth_frames(w, req)
        stage.note(f"{sum(t.num_rows for t, _ in tables.values()):,} rows")
    t2 = time.perf_counter()
    with rep.stage("generate: write") as stage:
        files = write_tables(tables, out_dir, fmt, weeks, w)
        write_csv_frame(truth["indicators"], out_dir / "indicators.csv")
        write_csv_frame(truth["allowlist"], out_dir / "allowlist.csv")
        for name in ("accounts", "campaigns", "rings"):
            write_csv_frame(truth[name], out_dir / "truth" / f"{name}.csv")
        stage.note(f"{fmt} in {out_dir}")
    t3 = time.perf_counter()
    stats = {f"rows_{k}": float(t.num_rows) for k, (t, _) in tables.items()}
    stats.update({"seconds_draw": t1 - t0, "seconds_assemble": t2 - t1, "seconds_write": t3 - t2})
    return WorldTruth(files=files, stats=stats, **truth)


__all__ = ["CAMPAIGNS", "DEFAULT_PROFILE", "DIFFICULTIES", "DIFFICULTY_PROFILES", "FORMATS", "PROFILES",
           "REALISTIC_PROFILES", "Profile", "WorldTruth", "generate_world"]
