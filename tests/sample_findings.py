"""Synthetic Findings for tests, benchmarks and screenshots without a pipeline run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from linker.model import Findings


def sample_findings(ring_sizes: list[int], *, seed: int = 0, total_accounts: int | None = None) -> Findings:
    """A Findings with one ring per size, built columnar: accounts with e-mails, phones and
    IPs, shared devices (groups of 5), cards (groups of 3) and sign-up IPs (groups of 10),
    links along those groups and ten days of activity. Ring r's account i is `r{r}-{i:06d}`."""
    rng = np.random.default_rng(seed)
    sizes = np.asarray(ring_sizes, dtype=np.int64)
    ring = np.repeat(np.arange(len(sizes)), sizes)
    idx = np.concatenate([np.arange(n) for n in sizes]) if len(sizes) else np.array([], dtype=np.int64)
    rs, ix = pd.Series(ring).astype(str), pd.Series(idx)
    ids = ("r" + rs + "-" + ix.map("{:06d}".format)).astype("string")
    cid = ("C" + pd.Series(ring).map("{:04d}".format)).astype("string")
    camp = ("K" + pd.Series(ring // 2).map("{:03d}".format)).astype("string")
    base = pd.Timestamp("2026-10-01", tz="UTC") + pd.to_timedelta(ring * 3, unit="D")
    created = pd.Series(base + pd.to_timedelta(rng.integers(0, 6 * 3600, len(ids)), unit="s"))
    octet = (idx // 10)
    ip = "10." + rs + "." + pd.Series(octet // 250).astype(str) + "." + pd.Series(octet % 250).astype(str)
    accounts = pd.DataFrame({
        "account_id": ids,
        "created_at": created,
        "email": ("user" + rs + "x" + ix.astype(str) + "@mail" + rs + ".example").astype("string"),
        "phone": ("+1415" + pd.Series(ring % 10).astype(str) + ix.map("{:06d}".format)).astype("string"),
        "signup_ip": ip.astype("string"),
        "device_id": ("dev-" + rs + "-" + (ix // 5).astype(str)).astype("string"),
        "country": "US",
        "org_id": pd.Series(pd.NA, index=ix.index, dtype="string"),
    })
    kinds = {
        "email": accounts["email"], "phone": accounts["phone"], "signup_ip": accounts["signup_ip"],
        "device": accounts["device_id"], "card": "card-" + rs + "-" + (ix // 3).astype(str),
        "email_domain": "mail" + rs + ".example", "asn": pd.Series(64500 + ring % 7).astype(str),
    }
    evidence = pd.concat(
        [pd.DataFrame({"account_id": ids, "kind": k, "value": pd.Series(v).astype("string")})
         for k, v in kinds.items()], ignore_index=True,
    )
    evidence["first_seen"] = pd.concat([created] * len(kinds), ignore_index=True)
    evidence["last_seen"] = evidence["first_seen"] + pd.Timedelta(days=9)
    evidence["count"] = 1
    prev = np.flatnonzero((idx % 5) != 0)
    links = pd.DataFrame({
        "a": ids.iloc[prev - 1].to_numpy(), "b": ids.iloc[prev].to_numpy(),
        "weight": rng.uniform(0.5, 3.0, len(prev)),
        "reasons": np.where(idx[prev] % 3 != 0, "SHARED_CARD;SHARED_DEVICE", "SHARED_DEVICE"),
    })
    days = 10
    activity = pd.DataFrame({
        "account_id": np.repeat(ids.to_numpy(), days),
        "day": np.repeat(created.dt.floor("D").dt.tz_localize(None).to_numpy(), days)
        + np.tile(np.arange(days) * np.timedelta64(1, "D"), len(ids)),
        "exchanges": rng.integers(50, 400, len(ids) * days),
    })
    activity["day"] = pd.to_datetime(activity["day"], utc=True)
    score = rng.uniform(0.45, 1.0, len(ids))
    suspensions = pd.DataFrame({
        "account_id": ids, "action": np.where(score > 0.7, "suspend", "review"), "score": score,
        "cluster_id": cid, "campaign_id": camp,
        "reasons": np.where(score > 0.7, "SHARED_CARD;SHARED_DEVICE;SIGNUP_BURST", "SHARED_DEVICE;SIGNUP_BURST"),
    })
    per = suspensions.assign(created=created).groupby("cluster_id")
    clusters = pd.DataFrame({
        "cluster_id": per["cluster_id"].first(), "campaign_id": per["campaign_id"].first(),
        "size": per.size(), "score": per["score"].mean(),
        "first_seen": per["created"].min(), "last_seen": per["created"].max() + pd.Timedelta(days=days),
        "exchanges": activity.assign(cluster_id=np.repeat(cid.to_numpy(), days))
        .groupby("cluster_id")["exchanges"].sum(),
        "reasons": "SHARED_CARD;SHARED_DEVICE;SIGNUP_BURST",
    }).reset_index(drop=True)
    campaigns = [
        {"campaign_id": k, "operator": ("operator-" + k) if i % 2 == 0 else None,
         "confidence": 0.8 if i % 2 == 0 else None, "accounts": int((camp == k).sum()),
         "clusters": sorted(set(cid[camp == k])), "exchanges": 0, "first_seen": None,
         "last_seen": None, "capabilities": {}, "infrastructure": {}, "evidence": []}
        for i, k in enumerate(sorted(set(camp)))
    ]
    run = {"run_id": f"sample-{seed}", "started_at": "2026-11-01T00:00:00Z",
           "counts": {"accounts": int(total_accounts or len(ids) * 10), "flagged": len(ids)}}
    return Findings(
        run=run, suspensions=suspensions, members=suspensions[["account_id", "cluster_id", "campaign_id"]],
        clusters=clusters, campaigns=campaigns, links=links, evidence=evidence, activity=activity,
        accounts=accounts,
    )
