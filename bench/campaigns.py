"""Campaign benchmark: campaigns, their figures and the shared STIX indicators of the whole
pipeline (``run_pipeline``, as ``linker run`` calls it) on the world profiles, against the
planted truth (issue 11's done-when metrics).

    python -m bench.campaigns --accounts 200000 --split tuning            # seeds 1, 2, 3: may be looked at
    python -m bench.campaigns --accounts 200000 --split heldout --json-out camp.json   # seeds 101..103: report
    python -m bench.campaigns --configs baseline,campus --seeds 1 --accounts 50000
    python -m bench.campaigns --data DIR                                  # a world generated before (has truth/)
    python -m bench.campaigns --data DIR --out OUT                        # judge a `linker run` output directory

Seeds and profiles are those of ``bench.quality`` (TUNING_SEEDS for looking, HELDOUT_SEEDS for
reporting). Each world runs in its own child process. Per world, with targets:

- planted_recovered: every planted campaign's best-matching reported campaign (accounts of
  members.csv's campaign_id) has Jaccard >= 0.95 (``jaccard`` per campaign);
- mostly_legit_campaigns: reported campaigns whose accounts are mostly legit (target 0);
- big campaign (most accounts): exchanges within 1 %, first / last seen within 24 h of truth;
- stix_more_legit: shared (STIX) indicators matching more legit than fraud accounts (0);
- stix_public: public mail domains, catalogue ASNs (cloud, mobile, ISPs, hosting) and public
  templates among the shared indicators (0).

To separate campaign-stage from detection-stage failures, each planted campaign also reports
``flagged_share`` (share of its accounts detection flagged at all: the ceiling for the
Jaccard) and ``figures_exact`` (the record's exchanges / first / last equal the raw
``requests`` of the record's own accounts: the campaign stage computes what it was given).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

MIN_JACCARD = 0.95
EXCHANGES_TOL = 0.01
SEEN_TOL_H = 24.0


def _ts(v: Any) -> pd.Timestamp | None:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else pd.Timestamp(v)


def raw_requests(data_dir: Path) -> pd.DataFrame:
    """account_id, exchanges, first_seen, last_seen straight from the raw requests table
    (request activity only, no sign-up fallback), without linker.ingest."""
    p = next((data_dir / f"requests{s}" for s in (".parquet", ".csv", ".csv.gz")
              if (data_dir / f"requests{s}").exists()), None)
    if p is None:
        return pd.DataFrame(columns=["exchanges", "first_seen", "last_seen"])
    cols = ["account_id", "ts", "count"]
    req = pd.read_parquet(p, columns=cols) if p.suffix == ".parquet" else pd.read_csv(
        p, usecols=cols, dtype={"account_id": str})
    req["ts"] = pd.to_datetime(req["ts"], utc=True, format="ISO8601")
    req["count"] = pd.to_numeric(req["count"]).fillna(1).astype("int64")
    return req.groupby("account_id").agg(exchanges=("count", "sum"), first_seen=("ts", "min"),
                                         last_seen=("ts", "max"))


def public_values() -> dict[str, set[str]]:
    """What the generator's catalogue knows to be public: mail providers, every catalogue
    ASN (ISPs, mobile carriers, clouds, hosting, VPN, relays), public prompt templates."""
    from linker.demo import catalog
    from linker.demo.world import _stable_hash

    mail = {d for d, _ in catalog.GLOBAL_MAIL} | {d for c in catalog.COUNTRIES for d, _ in c.mail}
    asns = {str(a.asn) for a in catalog.ASES} | {str(x) for c in catalog.COUNTRIES
                                                 for x in (*c.residential, *c.mobile)}
    tmpl = {"pf_" + _stable_hash(t) for t in catalog.PUBLIC_TEMPLATES}
    tmpl |= {"pf_" + _stable_hash(f"tmpl_pub_extra_{i}") for i in range(1000)}
    return {"email_domain": mail, "asn": asns, "prompt_fingerprint": tmpl}


def shared_indicators(campaigns: list[dict[str, Any]]) -> pd.DataFrame:
    """The indicators the STIX bundle exports (kind, value, campaign_id)."""
    from linker.outputs.stix import _indicator_rows

    rows = [{"campaign_id": c["campaign_id"], "kind": r["kind"], "value": r["value"],
             "operator": r.get("operator") or "linker", "confidence": r.get("confidence")}
            for c in campaigns for r in _indicator_rows(c)]
    return pd.DataFrame(rows, columns=["campaign_id", "kind", "value", "operator", "confidence"])


def judge_stix(ds: Any, shared: pd.DataFrame, fraud: set[str]) -> dict[str, Any]:
    """Fraud and legit accounts matching each shared indicator; public values shared."""
    from linker.campaigns.attribution import match_indicators, normalize_indicators, observed_values

    out: dict[str, Any] = {"stix_indicators": int(len(shared)), "stix_more_legit": 0,
                           "stix_public": 0, "stix_bad": []}
    if shared.empty:
        return out
    ind = normalize_indicators(shared.assign(source="linker"))
    hits = match_indicators(observed_values(ds, set(ind["kind"])), ind)
    hits["fraud"] = hits["account_id"].astype(str).isin(fraud)
    n = hits.groupby("ind")["fraud"].agg(fraud="sum", total="size")
    ind = ind.join(n, on="ind").fillna({"fraud": 0, "total": 0})
    ind["legit"] = ind["total"] - ind["fraud"]
    pub = public_values()
    ind["public"] = [str(v) in pub.get(str(k), set()) for k, v in zip(ind["kind"], ind["value"], strict=True)]
    bad = ind[(ind["legit"] > ind["fraud"]) | ind["public"]]
    out.update(stix_more_legit=int((ind["legit"] > ind["fraud"]).sum()), stix_public=int(ind["public"].sum()),
               stix_bad=bad[["kind", "value", "fraud", "legit", "public"]].head(10).to_dict("records"))
    return out


def evaluate(findings: Any, ds: Any, truth_accounts: pd.DataFrame, truth_campaigns: pd.DataFrame,
             activity: pd.DataFrame) -> dict[str, Any]:
    """Done-when metrics of one world (see the module docstring)."""
    ta = truth_accounts.astype({"account_id": str}).set_index("account_id")
    fraud = set(ta.index[ta["is_fraud"].astype(str) == "True"])
    m = findings.members.astype({"account_id": str})
    flagged = set(m["account_id"])
    fm = m[m["campaign_id"].notna()]
    by_found = fm.groupby("campaign_id")["account_id"].apply(set)
    records = {c["campaign_id"]: c for c in findings.campaigns}
    rows: list[dict[str, Any]] = []
    for tc in truth_campaigns.itertuples(index=False):  # a handful
        accts = set(ta.index[ta["campaign_id"] == tc.campaign_id])
        inter = fm[fm["account_id"].isin(accts)].groupby("campaign_id").size()
        row: dict[str, Any] = {"campaign_id": tc.campaign_id, "planted": len(accts),
                               "flagged_share": round(len(accts & flagged) / max(len(accts), 1), 4)}
        if inter.empty:
            rows.append({**row, "jaccard": 0.0, "recovered": False})
            continue
        jac = {c: n / len(accts | by_found[c]) for c, n in inter.items()}
        best = min(jac, key=lambda c: (-jac[c], str(c)))
        rec, members = records.get(best, {}), by_found[best]
        act = activity.reindex(sorted(members))
        exact = (rec.get("exchanges") == int(act["exchanges"].fillna(0).sum())
                 and _ts(rec.get("first_seen")) == act["first_seen"].min()
                 and _ts(rec.get("last_seen")) == act["last_seen"].max())
        ex_err = abs(int(rec.get("exchanges") or 0) - int(tc.exchanges)) / max(int(tc.exchanges), 1)
        first_h = abs((_ts(rec.get("first_seen")) - _ts(tc.first_seen)).total_seconds()) / 3600
        last_h = abs((_ts(rec.get("last_seen")) - _ts(tc.last_seen)).total_seconds()) / 3600
        rows.append({**row, "found": best, "found_accounts": len(members),
                     "found_legit": len(members - fraud), "jaccard": round(jac[best], 4),
                     "recovered": jac[best] >= MIN_JACCARD, "reported_in": int(len(inter)),
                     "operator_truth": None if pd.isna(tc.operator) else tc.operator,
                     "operator_found": rec.get("operator"), "exchanges_err": round(ex_err, 4),
                     "first_seen_err_h": round(first_h, 1), "last_seen_err_h": round(last_h, 1),
                     "figures_exact": bool(exact)})
    legit_share = {c: len(s - fraud) / max(len(s), 1) for c, s in by_found.items()}
    mostly_legit = sorted((len(by_found[c]), c) for c, v in legit_share.items() if v > 0.5)
    big = max(rows, key=lambda r: r["planted"]) if rows else {}
    res = {
        "planted": len(rows), "recovered": sum(bool(r["recovered"]) for r in rows),
        "campaigns": rows, "found_campaigns": int(len(by_found)),
        "mostly_legit_campaigns": len(mostly_legit),
        "mostly_legit_sizes": [n for n, _ in mostly_legit[-10:]],
        "big_exchanges_err": big.get("exchanges_err"), "big_first_seen_err_h": big.get("first_seen_err_h"),
        "big_last_seen_err_h": big.get("last_seen_err_h"),
        "figures_exact": all(r.get("figures_exact", True) for r in rows),
    }
    res.update(judge_stix(ds, shared_indicators(findings.campaigns), fraud))
    res["targets"] = {
        "planted_recovered": res["recovered"] == res["planted"],
        "no_mostly_legit_campaign": res["mostly_legit_campaigns"] == 0,
        "big_exchanges_1pct": big.get("exchanges_err") is not None and big["exchanges_err"] <= EXCHANGES_TOL,
        "big_seen_24h": big.get("first_seen_err_h") is not None
        and max(big["first_seen_err_h"], big["last_seen_err_h"]) <= SEEN_TOL_H,
        "stix_no_more_legit": res["stix_more_legit"] == 0,
        "stix_no_public": res["stix_public"] == 0,
    }
    res["ok"] = all(res["targets"].values())
    return res


def bench(data_dir: Path, out_dir: Path | None = None) -> dict[str, Any]:
    """The pipeline on a generated world (or the `linker run` output `out_dir` of it), judged
    against its truth/."""
    from linker.ingest.normalize import normalize_dataset
    from linker.ingest.read import read_allowlist, read_dataset, read_indicators
    from linker.pipeline import Timer, run_pipeline

    t0 = time.perf_counter()
    ds = normalize_dataset(read_dataset(data_dir))
    allow = read_allowlist(data_dir / "allowlist.csv") if (data_dir / "allowlist.csv").exists() else None
    ind = read_indicators(data_dir / "indicators.csv") if (data_dir / "indicators.csv").exists() else None
    timer = Timer()
    if out_dir is not None:
        findings: Any = SimpleNamespace(
            members=pd.read_csv(out_dir / "members.csv", dtype=str),
            campaigns=json.loads((out_dir / "campaigns.json").read_text()))
    else:
        findings = run_pipeline(ds, allowlist=allow, indicators=ind, timer=timer)
    res = evaluate(findings, ds, pd.read_csv(data_dir / "truth" / "accounts.csv", dtype={"account_id": str}),
                   pd.read_csv(data_dir / "truth" / "campaigns.csv"), raw_requests(data_dir))
    res["seconds"] = {**timer.seconds, "total": round(time.perf_counter() - t0, 1)}
    return res


def one_world(profile: str, seed: int, accounts: int) -> dict[str, Any]:
    from linker.demo import generate_world

    with tempfile.TemporaryDirectory(prefix="bench-campaigns-") as tmp:
        generate_world(Path(tmp), accounts=accounts, seed=seed, profile=profile, fmt="parquet")
        res = bench(Path(tmp))
    return {"world": {"config": profile, "seed": seed, "accounts": accounts}, **res}


def _print(label: str, res: dict[str, Any]) -> None:
    t = res["targets"]
    print(f"\n== {label}: {'PASS' if res['ok'] else 'FAIL'}  recovered {res['recovered']}/{res['planted']} "
          f"(J>={MIN_JACCARD}), {res['found_campaigns']} campaigns, mostly-legit {res['mostly_legit_campaigns']} "
          f"{res['mostly_legit_sizes']}; big: exchanges err {res['big_exchanges_err']}, first/last err h "
          f"{res['big_first_seen_err_h']}/{res['big_last_seen_err_h']}; STIX {res['stix_indicators']} shared, "
          f"more-legit {res['stix_more_legit']}, public {res['stix_public']}; figures exact {res['figures_exact']}")
    print("   targets:", ", ".join(f"{k}={'ok' if v else 'FAIL'}" for k, v in t.items()))
    cols = ["campaign_id", "planted", "flagged_share", "found_accounts", "found_legit", "jaccard",
            "reported_in", "operator_truth", "operator_found", "exchanges_err", "first_seen_err_h",
            "last_seen_err_h"]
    table = pd.DataFrame(res["campaigns"]).reindex(columns=cols)
    print(table.astype(object).where(table.notna(), "-").to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    from bench.quality import SPLITS
    from linker.demo.profiles import REALISTIC_PROFILES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--split", default="heldout", choices=sorted(SPLITS))
    ap.add_argument("--seeds", help="comma-separated seeds (instead of --split)")
    ap.add_argument("--configs", default=",".join(REALISTIC_PROFILES), help="world profiles")
    ap.add_argument("--data", type=Path, help="an already generated world (with truth/)")
    ap.add_argument("--out", type=Path, help="judge this `linker run` output directory (needs --data)")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # child process: one profile
    ap.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--json-out", type=Path)
    a = ap.parse_args(argv)
    if a.one:
        print(json.dumps(one_world(a.one, a.seed, a.accounts), default=str))
        return 0
    results: dict[str, Any] = {}
    if a.data is not None:
        results[str(a.data)] = bench(a.data, a.out)
    else:
        seeds = [int(s) for s in a.seeds.split(",")] if a.seeds else list(SPLITS[a.split])
        for profile in a.configs.split(","):
            for seed in seeds:
                cmd = [sys.executable, "-m", "bench.campaigns", "--one", profile, "--seed", str(seed),
                       "--accounts", str(a.accounts)]
                p = subprocess.run(cmd, capture_output=True, text=True, check=False)
                label = f"{profile}/{seed}"
                if p.returncode != 0:
                    results[label] = {"ok": False, "error": p.stderr[-2000:]}
                    print(f"== {label}: ERROR\n{p.stderr[-2000:]}", file=sys.stderr)
                    continue
                results[label] = json.loads(p.stdout.strip().splitlines()[-1])
                if not a.json:
                    _print(label, results[label])
    if a.json_out:
        a.json_out.write_text(json.dumps(results, indent=2, default=str))
    if a.json:
        print(json.dumps(results, indent=2, default=str))
    elif a.data is not None:
        for label, res in results.items():
            _print(label, res)
    return 0 if all(r.get("ok") for r in results.values()) else 1


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
