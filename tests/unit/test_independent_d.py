"""bench.independent_d: world D (EMEA consumer + team platform) writes the contract tables, a
truth table with one row per account, a plausible fraud share, every innocent-sharing pattern
its knobs ask for, and is deterministic per seed. Detection quality is not tested here."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from bench.independent_d import LEGIT_FLAGS, WorldConfig, generate

# knob (WorldConfig field) that switches each legit style on
KNOB = {
    "cgnat": "cgnat_share", "relay": "relay_share", "team": "team_share",
    "swg": "swg_company_share", "corp_card": "corp_card_share",
    "golden_image": "golden_image_share", "school": "school_share",
    "household": "household_share", "family_card": "family_card_share",
    "family_tablet": "family_tablet_share", "multi": "multi_share",
    "extension": "extension_share", "automation": "automation_share",
    "launch_wave": "launch_wave_share", "event_wifi": "event_wifi_share",
    "giftcard": "giftcard_share", "carrier_billing": "carrier_billing_share",
    "reseller": "reseller_share", "returning": "returning_share",
    "power_user": "power_user_share", "qa_test": "qa_accounts",
}  # fmt: skip


def test_world_d(tmp_path: Path) -> None:
    cfg = WorldConfig(accounts=3000, seed=7)
    counts = generate(tmp_path / "a", cfg, quiet=True)
    d = tmp_path / "a"
    for name in ("accounts", "payments", "ip_events", "requests", "truth"):
        assert (d / f"{name}.parquet").exists()
    assert (d / "allowlist.csv").exists() and (d / "world.json").exists()
    assert json.loads((d / "world.json").read_text())["rows"]["accounts"] == 3000
    acc = pd.read_parquet(d / "accounts.parquet")
    truth = pd.read_parquet(d / "truth.parquet")
    assert counts["accounts"] == len(acc) == len(truth) == 3000
    assert acc.account_id.is_unique and set(acc.account_id) == set(truth.account_id)
    assert 0.01 <= truth.is_fraud.mean() <= 0.06
    assert truth.loc[truth.is_fraud, "ring_id"].notna().all()
    assert truth.loc[~truth.is_fraud, "campaign_id"].isna().all()
    legit_styles = set("+".join(truth.loc[~truth.is_fraud, "style"]).split("+"))
    for flag in LEGIT_FLAGS:
        if getattr(cfg, KNOB.get(flag, "team_share")) > 0:
            assert flag in legit_styles, flag
    assert "plain" in legit_styles
    req = pd.read_parquet(d / "requests.parquet", columns=["ts"])
    assert req.ts.min() >= pd.Timestamp("2026-04-22", tz="UTC")
    assert req.ts.max() < pd.Timestamp("2026-06-06", tz="UTC")
    # deterministic per seed
    generate(tmp_path / "b", cfg, quiet=True)
    assert pd.read_parquet(tmp_path / "b" / "truth.parquet").equals(truth)
