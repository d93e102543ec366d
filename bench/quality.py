"""Quality benchmark: find_rings against the demo world's ground truth, and against a naive
baseline (connected components over accounts sharing any card, device or sign-up IP).

    python -m bench.quality                                # 20,000 accounts, default world
    python -m bench.quality --accounts 50000 --difficulty all --json
    python -m bench.quality --resolutions 0.5,1,2,4        # resolution study (ring ARI)

Metrics (suspend = automatic suspension; flagged = suspend or review):
- suspend precision: share of suspended accounts that are fraud;
- suspend recall (clear): share of accounts of rings with clear evidence that are suspended;
- flagged recall: share of all fraud accounts flagged (clear and stealth rings);
- legit suspended: count and % of legit accounts; allow-listed suspended: count;
- ring ARI: adjusted Rand index of found rings vs planted rings, over fraud ∪ flagged
  accounts (an account outside any ring is its own singleton).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from linker.detect.communities import ari

TARGETS = {"suspend_precision": 0.995, "suspend_recall_clear": 0.95, "legit_suspended_pct": 0.01,
           "allowlisted_suspended": 0}


def load_world(accounts: int, seed: int, difficulty: str, workdir: Path):
    """Generate a demo world and read it back through ingest + normalise, as `linker run`."""
    from linker.demo import generate_world
    from linker.ingest.normalize import normalize_dataset
    from linker.ingest.read import read_allowlist, read_dataset

    truth = generate_world(workdir, accounts=accounts, seed=seed, difficulty=difficulty,
                           fmt="parquet")
    ds = normalize_dataset(read_dataset(workdir))
    allow = read_allowlist(workdir / "allowlist.csv")
    return ds, allow, truth


def baseline_flags(ds, min_size: int = 3) -> pd.Series:
    """Naive linker: connected components of accounts sharing any card, device or sign-up IP
    (no rarity, no hub caps); components of at least `min_size` accounts are suspended."""
    ids = pd.Index(ds.accounts["account_id"].astype(str).to_numpy())
    pairs = [
        ds.accounts[["account_id", "device_id"]].rename(columns={"device_id": "v"}).assign(k="d"),
        ds.accounts[["account_id", "signup_ip_norm"]].rename(columns={"signup_ip_norm": "v"})
        .assign(k="i"),
        ds.payments[["account_id", "card_fingerprint"]].rename(columns={"card_fingerprint": "v"})
        .assign(k="c"),
    ]
    inc = pd.concat(pairs, ignore_index=True).dropna()
    key = inc["k"] + ":" + inc["v"].astype(str)
    col, _ = pd.factorize(key)
    row = ids.get_indexer(inc["account_id"].astype(str).to_numpy())
    ok = row >= 0
    n = len(ids)
    b = sp.csr_matrix((np.ones(ok.sum()), (row[ok], col[ok])), shape=(n, int(col.max()) + 1))
    # account -- identifier bipartite graph: components = accounts sharing anything
    g = sp.bmat([[None, b], [b.T, None]]).tocsr()
    _, comp = connected_components(g, directed=False)
    comp = comp[:n]
    size = np.bincount(comp)
    flagged = size[comp] >= min_size
    return pd.Series(np.where(flagged, comp, -1), index=ids)


def _ring_ari(truth_ring: pd.Series, pred_ring: pd.Series) -> float:
    """ARI over accounts that are fraud or flagged; others are singletons on either side."""
    idx = truth_ring.index[truth_ring.notna().to_numpy() | (pred_ring.reindex(truth_ring.index)
                                                            .fillna(-1).to_numpy() >= 0)]
    t = truth_ring.reindex(idx).astype(object).to_numpy()
    p = pred_ring.reindex(idx).fillna(-1).to_numpy()
    t_lab = np.where(pd.isna(t), np.array([f"legit:{i}" for i in idx], dtype=object),
                     np.array([f"ring:{x}" for x in t], dtype=object))
    p_lab = np.where(p >= 0, np.array([f"ring:{x}" for x in p], dtype=object),
                     np.array([f"none:{i}" for i in idx], dtype=object))
    return float(ari(t_lab, p_lab)) if len(idx) > 1 else 1.0


def metrics(truth_accounts: pd.DataFrame, action: pd.Series, ring: pd.Series) -> dict[str, Any]:
    """Quality numbers for one decision list (action per flagged account, ring per account)."""
    t = truth_accounts.set_index("account_id")
    fraud = t["is_fraud"].astype(bool)
    clear = fraud & (t["evidence"] == "clear")
    act = action.reindex(t.index)
    sus = act == "suspend"
    flagged = act.notna()
    legit = ~fraud
    n_sus = int(sus.sum())
    return {
        "accounts": int(len(t)),
        "fraud_accounts": int(fraud.sum()),
        "suspended": n_sus,
        "reviewed": int((act == "review").sum()),
        "suspend_precision": round(float(fraud[sus].mean()) if n_sus else 1.0, 4),
        "suspend_recall_clear": round(float(sus[clear].mean()) if clear.any() else 1.0, 4),
        "suspend_recall_all": round(float(sus[fraud].mean()) if fraud.any() else 1.0, 4),
        "flagged_recall": round(float(flagged[fraud].mean()) if fraud.any() else 1.0, 4),
        "flagged_recall_stealth": round(float(flagged[fraud & ~clear].mean())
                                        if (fraud & ~clear).any() else 1.0, 4),
        "legit_suspended": int((sus & legit).sum()),
        "legit_suspended_pct": round(100.0 * float((sus & legit).sum()) / max(int(legit.sum()), 1), 4),
        "legit_reviewed": int(((act == "review") & legit).sum()),
        "allowlisted_suspended": int((sus & t["allowlisted"].astype(bool)).sum()),
        "ring_ari": round(_ring_ari(t["ring_id"].where(fraud), ring), 4),
    }


def evaluate(accounts: int, seed: int, difficulty: str, params=None,
             resolutions: list[float] | None = None) -> dict[str, Any]:
    """One world: linker and baseline metrics (+ ARI per resolution when asked)."""
    from dataclasses import replace

    from linker.detect.rings import find_rings
    from linker.settings import RingParams

    params = params or RingParams()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        ds, allow, truth = load_world(accounts, seed, difficulty, Path(tmp))
        t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = find_rings(ds, allowlist=allow, params=params)
    t_rings = time.perf_counter() - t0
    m = out.members.set_index("account_id")
    result: dict[str, Any] = {
        "world": {"accounts": accounts, "seed": seed, "difficulty": difficulty,
                  "generate_read_s": round(t_load, 1)},
        "linker": {**metrics(truth.accounts, m["action"], m["ring"]),
                   "find_rings_s": round(t_rings, 2), "rings": int(len(out.rings))},
    }
    base = baseline_flags(ds)
    flagged = base[base >= 0]
    result["baseline"] = metrics(truth.accounts, pd.Series("suspend", index=flagged.index), flagged)
    if resolutions:
        study = []
        for r in resolutions:
            for backend in ("louvain", "leiden"):
                p = replace(params, resolution=r, community_backend=backend)
                t0 = time.perf_counter()
                o = find_rings(ds, allowlist=allow, params=p)
                mm = o.members.set_index("account_id")
                q = metrics(truth.accounts, mm["action"], mm["ring"])
                study.append({"resolution": r, "backend": backend, "ring_ari": q["ring_ari"],
                              "rings": int(len(o.rings)), "suspend_precision": q["suspend_precision"],
                              "suspend_recall_clear": q["suspend_recall_clear"],
                              "seconds": round(time.perf_counter() - t0, 2)})
        result["resolution_study"] = study
    return result


def _table(results: list[dict[str, Any]]) -> str:
    keys = ["suspend_precision", "suspend_recall_clear", "suspend_recall_all", "flagged_recall",
            "flagged_recall_stealth", "suspended", "reviewed", "legit_suspended",
            "legit_suspended_pct", "legit_reviewed", "allowlisted_suspended", "ring_ari"]
    cols = []
    for r in results:
        d = r["world"]["difficulty"]
        cols += [(f"{d}:linker", r["linker"]), (f"{d}:baseline", r["baseline"])]
    head = f"| metric | {' | '.join(c for c, _ in cols)} |"
    sep = "|---" * (len(cols) + 1) + "|"
    rows = [f"| {k} | {' | '.join(str(v.get(k, '')) for _, v in cols)} |" for k in keys]
    lines = [head, sep, *rows]
    for r in results:
        if "resolution_study" in r:
            lines += ["", f"resolution study ({r['world']['difficulty']}):",
                      "| resolution | backend | ring ARI | rings | precision | recall clear | s |",
                      "|---|---|---|---|---|---|---|"]
            lines += [f"| {s['resolution']} | {s['backend']} | {s['ring_ari']} | {s['rings']} | "
                      f"{s['suspend_precision']} | {s['suspend_recall_clear']} | {s['seconds']} |"
                      for s in r["resolution_study"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="ring detection quality vs demo-world truth")
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--difficulty", default="default", help="easy, default, hard or all")
    ap.add_argument("--resolutions", default="", help="comma-separated, e.g. 0.5,1,2,4")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    diffs = ["easy", "default", "hard"] if args.difficulty == "all" else [args.difficulty]
    res = [float(x) for x in args.resolutions.split(",") if x.strip()]
    results = [evaluate(args.accounts, args.seed, d, resolutions=res or None) for d in diffs]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"accounts={args.accounts} seed={args.seed}")
    print(_table(results))
    for r in results:
        lk = r["linker"]
        ok = (lk["suspend_precision"] >= TARGETS["suspend_precision"]
              and lk["suspend_recall_clear"] >= TARGETS["suspend_recall_clear"]
              and lk["legit_suspended_pct"] <= TARGETS["legit_suspended_pct"]
              and lk["allowlisted_suspended"] == 0)
        print(f"{r['world']['difficulty']}: targets {'met' if ok else 'NOT met'}; "
              f"find_rings {lk['find_rings_s']}s")


if __name__ == "__main__":
    main()
