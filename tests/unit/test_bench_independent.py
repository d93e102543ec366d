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


def _tiny_world(tmp_path: Path) -> tuple[Path, Path]:
    """A hand-made world: ring R-IP (9 members) shares nothing strong but one request IP (3
    legit accounts use it too); ring R-DEV (4) shares a device that 6 legit accounts use; ring
    R-CARD (3) shares a card only it uses and an IPv6 address written long in ip_events. The
    output suspends R-IP and R-DEV."""
    rings = {"R-IP": 9, "R-DEV": 4, "R-CARD": 3}
    fraud = [(f"{r}-{i}", r) for r, n in rings.items() for i in range(n)]
    legit = [f"L-{i}" for i in range(30)]
    ids = [a for a, _ in fraud] + legit
    truth = pd.DataFrame({
        "account_id": ids, "is_fraud": [True] * len(fraud) + [False] * len(legit),
        "ring_id": [r for _, r in fraud] + [None] * len(legit),
        "campaign_id": ["C-1"] * len(fraud) + [None] * len(legit),
        "style": ["ring"] * len(fraud) + ["plain"] * len(legit),
    })
    device = {a: f"dev-{a}" for a in ids}
    for a in [f"R-DEV-{i}" for i in range(4)] + legit[:6]:
        device[a] = "dev-popular"
    accounts = pd.DataFrame({
        "account_id": ids, "email": [f"{a.lower()}@example.com" for a in ids],
        "device_id": [device[a] for a in ids], "phone": [f"+1555{i:07d}" for i in range(len(ids))],
        "signup_ip": [f"10.0.{i // 250}.{i % 250}" for i in range(len(ids))], "org_id": None,
    })
    pay = pd.DataFrame({"account_id": ids,
                        "card_fingerprint": ["card-r" if a.startswith("R-CARD") else f"card-{a}" for a in ids],
                        "card_bin": "411111"})
    ev = pd.DataFrame({"account_id": [f"R-CARD-{i}" for i in range(3)] + legit[10:12],
                       "ip": ["2001:0db8:0000:0000:0000:0000:0000:0001"] * 3 + ["10.9.9.9"] * 2,
                       "asn": 64500})
    req_rows = [(a, "203.0.113.7") for a in [f"R-IP-{i}" for i in range(9)] + legit[20:23]]
    req_rows += [(a, "192.0.2.50") for a in legit[23:28] + ["R-IP-0"]]
    req = pd.DataFrame({"account_id": [a for a, _ in req_rows], "count": 1, "ip": [ip for _, ip in req_rows],
                        "prompt_fingerprint": "p", "api_key_id": [f"k-{a}" for a, _ in req_rows]})
    data = tmp_path / "world"
    data.mkdir()
    for name, df in [("truth", truth), ("accounts", accounts), ("payments", pay), ("ip_events", ev),
                     ("requests", req)]:
        df.to_parquet(data / f"{name}.parquet", index=False)
    pd.DataFrame({"kind": ["account_id"], "value": ["nobody"]}).to_csv(data / "allowlist.csv", index=False)
    out = tmp_path / "out"
    out.mkdir()
    sus_ids = [a for a, r in fraud if r in ("R-IP", "R-DEV")]
    sus = pd.DataFrame({"account_id": sus_ids, "action": "suspend", "score": 0.9,
                        "cluster_id": [a.rsplit("-", 1)[0] for a in sus_ids], "campaign_id": "C-x",
                        "reasons": "X"})
    sus.to_csv(out / "suspensions.csv", index=False)
    sus[["account_id", "cluster_id", "campaign_id"]].to_csv(out / "members.csv", index=False)
    return data, out


def test_clear_rings_share_their_own_identifiers(tmp_path: Path) -> None:
    """Clear: a device / card / e-mail among >= 3 ring-mates or an IP (sign-up, events or
    requests) among >= 9, and in both cases the ring's own value (its members are most of the
    value's users); a device mostly legit accounts use does not make a ring clear."""
    from bench.independent import _ring_sharing

    data, out = _tiny_world(tmp_path)
    truth = pd.read_parquet(data / "truth.parquet")
    acc = pd.read_parquet(data / "accounts.parquet")
    pay = pd.read_parquet(data / "payments.parquet")
    ev = pd.read_parquet(data / "ip_events.parquet")
    req = pd.read_parquet(data / "requests.parquet")
    rings = _ring_sharing(truth, acc, pay, ip_tables=[ev, req])
    assert rings["clear"].to_dict() == {"R-IP": True, "R-DEV": False, "R-CARD": True}
    assert rings.attrs["own_strong"] == {"R-CARD-0", "R-CARD-1", "R-CARD-2"}
    # behaviour-only keeps its meaning: no device / card / e-mail / phone / sign-up IP in common
    assert rings["behaviour_only"].to_dict() == {"R-IP": True, "R-DEV": False, "R-CARD": False}
    assert rings["max_strong_share"].to_dict() == {"R-IP": 1, "R-DEV": 4, "R-CARD": 3}
    jout = tmp_path / "score.json"
    assert main(["score", str(data), str(out), "--json-out", str(jout)]) == 0
    got = json.loads(jout.read_text())
    assert got["clear_ring_accounts"] == 12 and got["suspend_recall_clear"] == 0.75
    assert got["own_strong_accounts"] == 3 and got["suspend_recall_own_strong"] == 0.0
    assert got["behaviour_ring_accounts"] == 9


def test_stix_ips_compared_as_addresses_and_empty_matches_counted(tmp_path: Path, capsys: object) -> None:
    """An IPv6 indicator in another textual form matches its accounts, request IPs count, and an
    indicator that matches no account is reported (matched_none)."""
    data, out = _tiny_world(tmp_path)
    bundle = {"type": "bundle", "objects": [
        {"type": "indicator", "pattern": "[ipv6-addr:value = '2001:db8::1']"},  # 3 fraud (ip_events)
        {"type": "indicator", "pattern": "[ipv4-addr:value = '192.0.2.50']"},  # requests: 5 legit, 1 fraud
        {"type": "indicator", "pattern": "[ipv4-addr:value = '198.51.100.99']"},  # nobody
        {"type": "indicator", "pattern": "[ipv6-addr:value ISSUBSET '2001:db8::/32']"},  # 3 fraud
    ]}
    (out / "campaigns.stix.json").write_text(json.dumps(bundle))
    jout = tmp_path / "score.json"
    assert main(["score", str(data), str(out), "--json-out", str(jout)]) == 0
    stix = json.loads(jout.read_text())["stix"]
    assert stix["indicators"] == 4 and stix["unparsed"] == 0
    assert stix["matched_none"] == 1
    assert stix["more_legit_than_fraud"] == 1
    assert stix["worst"] == [{"pattern": "[ipv4-addr:value = '192.0.2.50']", "legit": 5, "fraud": 1}]
    assert "1 match no account" in capsys.readouterr().out  # type: ignore[attr-defined]
