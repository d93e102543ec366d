"""examples/tiny is a golden test: a run yields exactly what examples/tiny/README.md says."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import validate_bundle

from linker.service import run_once

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RING = [f"r00{i}" for i in range(1, 7)]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of examples/tiny, as the README's command does it."""
    tmp = tmp_path_factory.mktemp("tiny")
    run_once(EXAMPLES / "tiny", tmp / "out", store_kind="embedded", workspace=tmp / "ws",
             allowlist=EXAMPLES / "allowlist.csv", indicators=EXAMPLES / "indicators.csv")
    return tmp / "out"


def test_one_campaign_the_harbor_kraken_ring(out: Path) -> None:
    campaigns = json.loads((out / "campaigns.json").read_text())
    assert len(campaigns) == 1
    c = campaigns[0]
    assert c["operator"] == "Harbor Kraken" and c["confidence"] >= 0.9
    assert c["accounts"] == 6 and len(c["clusters"]) == 1
    assert c["campaign_confidence"] >= 0.9 and c["basis"]["suspended"] == 5
    # figures from the ring's own requests: 02:00 and 05:00 UTC on 22-24 April
    assert (c["first_seen"], c["last_seen"]) == ("2026-04-22T02:00:00Z", "2026-04-24T05:00:00Z")
    req = pd.read_csv(EXAMPLES / "tiny" / "requests.csv", dtype={"account_id": str})
    assert c["exchanges"] == int(req.loc[req["account_id"].isin(RING), "count"].fillna(1).sum())
    s = pd.read_csv(out / "suspensions.csv", dtype=str).set_index("account_id")
    members = s[s["campaign_id"] == c["campaign_id"]]
    assert sorted(members.index) == RING
    assert (members.loc[RING[:5], "action"] == "suspend").all()
    assert members.loc["r006", "action"] == "review"  # allow-listed: never suspended automatically


def test_nothing_outside_the_ring_is_a_campaign(out: Path) -> None:
    """Whatever else detection sends to review carries no campaign id anywhere."""
    s = pd.read_csv(out / "suspensions.csv", dtype=str)
    others = s[~s["account_id"].isin(RING)]
    assert (others["action"] == "review").all() and others["campaign_id"].isna().all()
    m = pd.read_csv(out / "members.csv", dtype=str)
    assert m.loc[~m["account_id"].isin(RING), "campaign_id"].isna().all()
    cl = pd.read_csv(out / "clusters.csv", dtype=str)
    assert cl["campaign_id"].notna().sum() == 1


def test_stix_shares_only_the_operator_indicators(out: Path) -> None:
    bundle = json.loads((out / "campaigns.stix.json").read_text())
    validate_bundle(bundle)
    inds = [o for o in bundle["objects"] if o["type"] == "indicator"]
    assert sorted(o["pattern"] for o in inds) == sorted([
        "[ipv4-addr:value ISSUBSET '88.198.23.0/24']",
        "[x-linker-payment-card:bin = '484487']",
        "[x-linker-prompt:fingerprint = 'pf_d6f6ac176a89a868']",
    ])
    for o in inds:  # each records who uses it in this run; none used more by unflagged accounts
        assert o["linker_flagged_accounts"] == 6 and o["linker_unflagged_accounts"] == 0
        assert 0 < o["confidence"] <= 100
    text = json.dumps(bundle)
    for public in ("outlook.com", "gmail.com", "autonomous-system", "pf_9f2e7d1c0b3a4e58"):
        assert public not in text


def test_report_marks_weak_matches(out: Path) -> None:
    md = (out / "report.md").read_text()
    assert "Harbor Kraken" in md and "| weak |" in md  # gmail.com (forum rumour), Hetzner ASN


def test_only_the_ring_is_flagged(out: Path) -> None:
    s = pd.read_csv(out / "suspensions.csv", dtype=str)
    assert sorted(s["account_id"]) == RING
    assert len(pd.read_csv(out / "clusters.csv")) == 1
