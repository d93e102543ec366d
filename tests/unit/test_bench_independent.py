"""bench.independent: the independently built world passes the data contract, and the scorer works
on a hand-made output directory (so this test does not depend on detection quality)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from bench.independent import WorldConfig, ari, main, normalise_email, write_world
from linker.cli import app


def test_ari_and_email_normalisation() -> None:
    a = np.array(["x", "x", "y", "y"])
    assert ari(a, np.array(["p", "p", "q", "q"])) == 1.0
    assert ari(a, np.array(["p", "q", "r", "s"])) < 0.01
    e = normalise_email(pd.Series(["J.Smith+work@Gmail.com", "jsmith@gmail.com", "a.b+x@outlook.com"]))
    assert e.tolist() == ["jsmith@gmail.com", "jsmith@gmail.com", "a.b@outlook.com"]


def test_world_validates_and_score_runs(tmp_path: Path, capsys: object) -> None:
    data = tmp_path / "world"
    counts = write_world(data, WorldConfig(accounts=3000, seed=5))
    assert counts["accounts"] == 3000 and counts["requests"] > 0
    for name in ("accounts", "payments", "ip_events", "requests", "truth"):
        assert (data / f"{name}.parquet").exists()
    allow = pd.read_csv(data / "allowlist.csv")
    assert {"ip", "account_id"} <= set(allow["kind"])
    truth = pd.read_parquet(data / "truth.parquet")
    share = truth["is_fraud"].mean()
    assert 0.01 < share < 0.05
    assert truth.loc[truth["is_fraud"], "ring_id"].notna().all()
    assert truth.loc[~truth["is_fraud"], "campaign_id"].isna().all()

    res = CliRunner().invoke(app, ["validate", str(data), "--quiet"])
    assert res.exit_code == 0, res.output

    # a fake linker output: one correct ring suspended, three legit accounts in review
    fraud = truth[truth["is_fraud"]]
    ring = fraud[fraud["ring_id"] == fraud["ring_id"].iloc[0]]["account_id"].tolist()
    legit = truth.loc[~truth["is_fraud"], "account_id"].head(3).tolist()
    out = tmp_path / "out"
    out.mkdir()
    sus = pd.DataFrame({"account_id": ring + legit, "action": ["suspend"] * len(ring) + ["review"] * 3,
                        "score": 0.9, "cluster_id": ["R-1"] * len(ring) + ["R-2"] * 3,
                        "campaign_id": ["C-1"] * len(ring) + ["C-2"] * 3, "reasons": "X"})
    sus.to_csv(out / "suspensions.csv", index=False)
    sus[["account_id", "cluster_id", "campaign_id"]].to_csv(out / "members.csv", index=False)
    (out / "campaigns.json").write_text(json.dumps([{"campaign_id": "C-1", "exchanges": 10}]))
    ip = pd.read_parquet(data / "accounts.parquet")["signup_ip"].iloc[0]
    bundle = {"type": "bundle", "objects": [
        {"type": "indicator", "pattern": f"[ipv4-addr:value = '{ip}']"},
        {"type": "indicator", "pattern": "[email-addr:value LIKE '%@gmail.com']"},
        {"type": "indicator", "pattern": "[x-unknown:thing = 'q'] FOLLOWEDBY [x:y = 'z']"},
    ]}
    (out / "campaigns.stix.json").write_text(json.dumps(bundle))
    jout = tmp_path / "score.json"
    assert main(["score", str(data), str(out), "--json-out", str(jout)]) == 0
    got = json.loads(jout.read_text())
    assert got["suspend_precision"] == 1.0
    assert got["legit_suspended_pct"] == 0.0
    assert got["legit_reviewed_pct"] > 0
    assert got["campaigns_mostly_legit"] == 1
    assert 0 < got["ring_ari"] <= 1
    # look-alike rings (an operator's stealth rings on one pool) merged: a coarser truth
    fr = truth.loc[truth["is_fraud"]]
    assert (fr.groupby("ring_id")["twin_group"].nunique() == 1).all()  # rings nest in it
    assert fr["twin_group"].str.endswith(":stealth").any()
    assert truth.loc[~truth["is_fraud"], "twin_group"].isna().all()
    assert 0 < got["ring_ari_ceiling"] <= 1 and 0 < got["ring_ari_twins_merged"] <= 1
    assert got["stix"]["indicators"] == 3 and got["stix"]["unparsed"] == 1
    assert got["stix"]["more_legit_than_fraud"] >= 1  # gmail matches mostly legit accounts
    assert got["campaigns"][0]["best_jaccard"] >= 0
    assert "legit flagged by pattern" in capsys.readouterr().out  # type: ignore[attr-defined]


def test_world_b_validates_and_has_truth(tmp_path: Path) -> None:
    """The second independent generator (bench.independent_b) writes a world the contract
    accepts, with the same truth columns the scorer reads."""
    from bench import independent_b

    data = tmp_path / "world_b"
    independent_b.generate(data, independent_b.WorldConfig(accounts=5000, seed=41), quiet=True)
    truth = pd.read_parquet(data / "truth.parquet")
    assert {"account_id", "is_fraud", "ring_id", "campaign_id", "style"} <= set(truth.columns)
    assert len(truth) == 5000 and 0.01 < truth["is_fraud"].mean() < 0.08
    assert truth.loc[truth["is_fraud"], "ring_id"].notna().all()
    res = CliRunner().invoke(app, ["validate", str(data), "--quiet"])
    assert res.exit_code == 0, res.output


def test_world_c_validates_and_has_truth(tmp_path: Path) -> None:
    """The third independent generator (bench.independent_c) writes a world the contract
    accepts (unparseable phones are reported, not fatal), with the truth the scorer reads."""
    from bench import independent_c

    data = tmp_path / "world_c"
    independent_c.generate(data, independent_c.WorldConfig(accounts=8000, seed=61), quiet=True)
    truth = pd.read_parquet(data / "truth.parquet")
    assert {"account_id", "is_fraud", "ring_id", "campaign_id", "style"} <= set(truth.columns)
    assert 0.01 < truth["is_fraud"].mean() < 0.08
    assert truth.loc[truth["is_fraud"], "ring_id"].notna().all()
    assert truth.loc[~truth["is_fraud"], "style"].notna().all()  # legit: sharing patterns or "plain"
    res = CliRunner().invoke(app, ["validate", str(data), "--quiet"])
    assert res.exit_code == 0, res.output
