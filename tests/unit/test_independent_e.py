"""bench.independent_e: world E (a developer coding-agent and API platform, North America and
East Asia) writes the contract tables, a truth table with one row per account, a plausible
fraud share, innocent sharing, and is deterministic per seed. Detection quality is not
tested here (that is `python -m bench.independent grid --world e`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.independent_e import WorldConfig, generate


def test_world_e(tmp_path: Path) -> None:
    cfg = WorldConfig(accounts=4000, seed=5)
    counts = generate(tmp_path / "a", cfg, quiet=True)
    d = tmp_path / "a"
    for name in ("accounts", "payments", "ip_events", "requests", "truth"):
        assert (d / f"{name}.parquet").exists()
    assert (d / "allowlist.csv").exists()
    acc = pd.read_parquet(d / "accounts.parquet")
    truth = pd.read_parquet(d / "truth.parquet")
    assert counts["accounts"] == len(acc) == len(truth) == 4000
    assert acc.account_id.is_unique and set(acc.account_id) == set(truth.account_id)
    assert 0.01 <= truth.is_fraud.mean() <= 0.06
    assert truth.loc[truth.is_fraud, "ring_id"].notna().all()
    assert truth.loc[~truth.is_fraud, "campaign_id"].isna().all()
    legit_styles = set("+".join(truth.loc[~truth.is_fraud, "style"]).split("+"))
    for flag in ("cgnat", "household", "office_nat", "plain"):
        assert flag in legit_styles, flag
    req = pd.read_parquet(d / "requests.parquet", columns=["ts"])
    assert req.ts.min() >= pd.Timestamp("2026-04-22", tz="UTC")
    assert req.ts.max() < pd.Timestamp("2026-06-06", tz="UTC")
    generate(tmp_path / "b", cfg, quiet=True)
    assert pd.read_parquet(tmp_path / "b" / "truth.parquet").equals(truth)
