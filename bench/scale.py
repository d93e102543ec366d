"""Scale benchmark: find_rings on a synthetic world of N accounts, wall time and peak RSS;
with --full, the whole job (`linker run`) on a generated world against a naive baseline.

    python -m bench.scale --accounts 1000000            # runs itself under /usr/bin/time -v
    python -m bench.scale --accounts 200000 --no-time   # in-process only
    python -m bench.scale --full                         # 1M accounts, 25k-account campaign
    python -m bench.scale --full --accounts 50000        # the same at a smaller size
    python -m bench.scale --full --data DIR              # on an existing world (kept)
    python -m bench.scale --full --data W/week1 --increment W/week2   # + a weekly batch

--full generates the world with `linker generate` (the demo generator: its largest campaign
is 2.5% of the accounts, 25,000 at 1M, with ~29M exchanges), then runs, each in its own
process so that each peak RSS is its own: the whole job (read, load, rings, campaigns,
outputs on the embedded store; per-stage seconds from run.json's reporter) and a naive
baseline: connected components over shared card, device and sign-up IP in pandas + scipy,
then one networkx + python-louvain pass over the linked groups of 3+ accounts. It prints per-stage time,
peak RSS, the suspension quality against the planted truth, and the job/baseline ratios.

The section below (find_rings only) is the older benchmark:

The world is generated in memory (vectorised, a few seconds per million accounts) with the
shapes that stress ring detection: carrier NATs and popular prompt templates (hubs),
households and organisations (innocent sharing), ~20 active hours and ~5 IP events per
account, and 2% of accounts in rings. Peak RSS covers generation plus find_rings; the
per-stage timings come from find_rings itself.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

STRING = pd.StringDtype("pyarrow")
T0 = np.datetime64("2026-03-01T00:00:00", "s")


def _ids(prefix: str, x: np.ndarray, width: int = 7) -> pd.Series:
    return pd.Series(x.astype(np.int64)).astype(str).str.zfill(width).radd(prefix).astype(STRING)


def _ts(seconds: np.ndarray) -> pd.Series:
    return pd.Series((T0 + seconds.astype("timedelta64[s]")).astype("datetime64[ns]")).dt.tz_localize("UTC")


def synthetic_dataset(n: int, seed: int = 1, ring_share: float = 0.02):
    """A Dataset of n accounts (in memory) and the planted ring of each account (-1 legit)."""
    from linker.model import Dataset, IngestInfo, RequestAggregates

    rng = np.random.default_rng(seed)
    days = 90
    acct = np.arange(n)
    created = rng.integers(0, days * 86400, n)
    ring = np.full(n, -1, dtype=np.int64)
    n_ring = int(n * ring_share)
    sizes = rng.integers(10, 80, max(n_ring // 40, 1))
    sizes = sizes[np.cumsum(sizes) <= n_ring]
    ring_members = rng.choice(n, int(sizes.sum()), replace=False)
    ring[ring_members] = np.repeat(np.arange(sizes.size), sizes)
    in_ring = ring >= 0
    # ring sign-ups: bursts of 20 minutes at a random time per ring
    ring_start = rng.integers(0, (days - 30) * 86400, sizes.size)
    created[in_ring] = ring_start[ring[in_ring]] + rng.integers(0, 1200, in_ring.sum())

    household = rng.integers(0, int(n * 0.8), n)  # ~20% of accounts share a household
    org = np.where(rng.random(n) < 0.1, rng.integers(0, n // 50, n), -1)
    email_dom = np.where(rng.random(n) < 0.7, "gmail.com",
                         pd.Series(rng.zipf(1.3, n) % 20000).astype(str).radd("co").add(".com").to_numpy())
    email = pd.Series(acct).astype(str).radd("user").add("@").add(email_dom).astype(STRING)
    phone = pd.Series(np.where(rng.random(n) < 0.4, 14155500000 + acct, -1)).astype(str).radd("+")
    phone = phone.where(~phone.str.startswith("+-")).astype(STRING)
    nat = rng.random(n) < 0.2
    home_ip = household.copy()
    ip_int = np.where(nat, 1_600_000_000 + rng.integers(0, 500, n), 3_000_000_000 + home_ip)
    ring_pool = (ring * 97) % 50_000
    ip_int = np.where(in_ring, 2_000_000_000 + ring_pool * 256 + rng.integers(0, 250, n), ip_int)
    ip = _ipv4(ip_int)
    device = np.where(rng.random(n) < 0.05, household, n + acct)
    device = np.where(in_ring, 5 * n + ring * 10 + rng.integers(0, 6, n), device)
    accounts = pd.DataFrame({
        "account_id": _ids("acc", acct), "created_at": _ts(created), "email": email,
        "phone": phone, "signup_ip": ip, "device_id": _ids("dev", device, 8),
        "user_agent": pd.Series(pd.NA, index=range(n), dtype=STRING),
        "country": pd.Series("US", index=range(n), dtype=STRING),
        "org_id": pd.Series(np.where(org >= 0, org, 0)).astype(str).radd("org")
        .where(org >= 0).astype(STRING),
    })
    # payments: 60% of accounts; households share a card; rings share small card pools
    has_card = rng.random(n) < 0.6
    card = np.where(rng.random(n) < 0.3, household, n + acct)
    card = np.where(in_ring, 5 * n + ring * 20 + rng.integers(0, 8, n), card)
    pi = np.flatnonzero(has_card | in_ring)
    payments = pd.DataFrame({
        "account_id": _ids("acc", pi), "card_fingerprint": _ids("card", card[pi], 8),
        "card_bin": pd.Series(rng.integers(400000, 400300, pi.size)).astype(str).astype(STRING),
        "card_country": "US", "funding": "credit",
        "billing_postal_code": pd.Series(rng.integers(10000, 99999, pi.size)).astype(str).astype(STRING),
        "created_at": _ts(created[pi] + 600),
    })
    # ip events: ~5 per account from home/NAT/mobile
    k = rng.poisson(5, n)
    ea = np.repeat(acct, k)
    mobile = rng.random(ea.size) < 0.3
    eip = np.where(mobile, 1_700_000_000 + rng.integers(0, 2000, ea.size), ip_int[ea])
    ring_e = in_ring[ea]
    eip = np.where(ring_e, 2_000_000_000 + ring_pool[ea] * 256 + rng.integers(0, 250, ea.size), eip)
    ip_events = pd.DataFrame({
        "account_id": _ids("acc", ea), "ip": _ipv4(eip),
        "seen_at": _ts(created[ea] + rng.integers(0, 30 * 86400, ea.size)),
        "event": "login", "asn": (eip // 65536 % 3000 + 1000).astype(np.int64),
        "asn_org": "x", "user_agent": pd.Series(pd.NA, index=range(ea.size), dtype=STRING),
    })
    ip_events["ip_norm"] = ip_events["ip"]
    ip_events["subnet"] = ip_events["ip"].str.rpartition(".")[0] + ".0/24"
    # requests: hourly activity ~20 hours per account; rings in lockstep
    h = rng.poisson(20, n)
    ha = np.repeat(acct, h)
    hour = created[ha] // 3600 + rng.integers(0, 45 * 24, ha.size)
    ring_h = in_ring[ha]
    hour = np.where(ring_h, ring_start[np.where(ring_h, ring[ha], 0)] // 3600 + 24
                    + (rng.integers(0, 40, ha.size) * 7), hour)
    hourly = pd.DataFrame({"account_id": _ids("acc", ha),
                           "hour": _ts(hour * 3600), "exchanges": rng.integers(1, 30, ha.size)})
    hourly = hourly.drop_duplicates(["account_id", "hour"])
    totals = hourly.groupby("account_id", as_index=False, observed=True).agg(
        exchanges=("exchanges", "sum"), first_seen=("hour", "min"), last_seen=("hour", "max"))
    totals["input_tokens"] = 0
    totals["output_tokens"] = 0
    prompt = np.where(rng.random(n) < 0.3, rng.integers(0, 50, n), n + acct)
    prompt = np.where(in_ring, 5 * n + ring, prompt)
    idf = pd.DataFrame({
        "account_id": pd.concat([_ids("acc", acct)] * 3, ignore_index=True),
        "kind": np.repeat(["api_key", "ip", "prompt"], n),
        "value": pd.concat([_ids("key", acct), _ipv4(ip_int), _ids("tpl", prompt, 8)],
                           ignore_index=True),
        "first_seen": pd.concat([_ts(created)] * 3, ignore_index=True),
        "last_seen": pd.concat([_ts(created + 86400)] * 3, ignore_index=True),
        "exchanges": 10,
    })
    caps = pd.DataFrame({"account_id": _ids("acc", acct),
                         "capability": np.where(in_ring, "coding", "chat"), "exchanges": 10})
    ds = Dataset(accounts=accounts, payments=payments, ip_events=ip_events,
                 requests=RequestAggregates(totals=totals, hourly=hourly, identifiers=idf,
                                            capabilities=caps), info=IngestInfo())
    return ds, ring


def _ipv4(x: np.ndarray) -> pd.Series:
    x = x.astype(np.int64)
    parts = [pd.Series((x >> s) & 255).astype(str) for s in (24, 16, 8, 0)]
    return (parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3]).astype(STRING)


def run(n: int, seed: int) -> dict:
    from linker.detect.rings import find_rings
    from linker.ingest.normalize import normalize_dataset

    t = time.perf_counter()
    ds, truth = synthetic_dataset(n, seed)
    gen = time.perf_counter() - t
    t = time.perf_counter()
    ds = normalize_dataset(ds)
    norm = time.perf_counter() - t
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    t = time.perf_counter()
    out = find_rings(ds, progress=True)
    wall = time.perf_counter() - t
    flagged = out.members.set_index("account_id")
    ids = ds.accounts["account_id"].to_numpy()
    is_ring = pd.Series(truth >= 0, index=ids)
    sus = flagged.index[flagged["action"] == "suspend"]
    return {
        "accounts": n,
        "hourly_rows": int(len(ds.requests.hourly)),
        "ip_event_rows": int(len(ds.ip_events)),
        "generate_s": round(gen, 1),
        "normalise_s": round(norm, 1),
        "find_rings_s": round(wall, 1),
        "stages_s": out.stats["timings"],
        "links": out.stats["links"],
        "evidence_rows": out.stats["evidence_rows"],
        "rings": out.stats["rings"],
        "flagged": int(len(flagged)),
        "suspend": int(len(sus)),
        "suspend_precision": round(float(is_ring.reindex(sus).mean()) if len(sus) else 1.0, 4),
        "ring_recall": round(float(is_ring[is_ring].index.isin(flagged.index).mean()), 4),
        "peak_rss_gb_before_find_rings": round(rss_before, 2),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }


# ---- --full: the whole job against a naive baseline ------------------------------------------


def _peak_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)


def _table(data: Path, name: str, columns: list[str]) -> pd.DataFrame:
    """One contract table, CSV or Parquet, these columns as strings (pyarrow engine)."""
    for sfx in (".parquet", ".csv", ".csv.gz"):
        p = data / f"{name}{sfx}"
        if p.exists():
            if sfx == ".parquet":
                return pd.read_parquet(p, columns=columns).astype("string[pyarrow]")
            return pd.read_csv(p, usecols=columns, dtype="string[pyarrow]", engine="pyarrow")
    return pd.DataFrame({c: pd.Series(dtype="string[pyarrow]") for c in columns})


def baseline(data: Path) -> dict:
    """The naive job: accounts linked by a shared card, device or sign-up IP; connected
    components (scipy); one python-louvain pass (networkx graph) over the linked accounts."""
    import community as community_louvain
    import networkx as nx
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    t0 = time.perf_counter()
    acc = _table(data, "accounts", ["account_id", "device_id", "signup_ip"])
    pay = _table(data, "payments", ["account_id", "card_fingerprint"])
    t_read = time.perf_counter() - t0
    ids = pd.Index(acc["account_id"].unique())
    rows, cols, n_vals = [], [], 0
    for frame, col in ((acc, "device_id"), (acc, "signup_ip"), (pay, "card_fingerprint")):
        f = frame[["account_id", col]].dropna()
        code, _ = pd.factorize(f[col])
        rows.append(ids.get_indexer(f["account_id"]))
        cols.append(code + n_vals)
        n_vals += int(code.max()) + 1 if len(code) else 0
    r, c = np.concatenate(rows), np.concatenate(cols)
    keep = r >= 0
    r, c = r[keep], c[keep]
    n = len(ids)
    # bipartite graph account ↔ value: components of it are the linked groups of accounts
    g = sp.coo_matrix((np.ones(len(r), np.int8), (r, c + n)), shape=(n + n_vals,) * 2).tocsr()
    _, comp = connected_components(g, directed=False)
    comp = comp[:n]
    sizes = np.bincount(comp)
    linked = sizes[comp] >= 2
    t_cc = time.perf_counter() - t0 - t_read
    # account-account edges: each account to the first account sharing the value (a star);
    # Louvain over components of 3+ accounts (a pair is its own community: Louvain never
    # joins what no edge joins, so leaving pairs out changes no community)
    big = sizes[comp[r]] >= 3
    r, c = r[big], c[big]
    e = pd.DataFrame({"a": r, "v": c})
    first = e.groupby("v")["a"].transform("min")
    e = e.assign(b=first)
    e = e[e["a"] != e["b"]].drop_duplicates(["a", "b"])
    graph = nx.Graph()
    graph.add_edges_from(zip(e["a"].to_numpy().tolist(), e["b"].to_numpy().tolist(),
                             strict=True))
    part = community_louvain.best_partition(graph, random_state=1)
    t_louvain = time.perf_counter() - t0 - t_read - t_cc
    return {
        "wall_s": round(time.perf_counter() - t0, 1),
        "stages_s": {"read": round(t_read, 1), "components": round(t_cc, 1),
                     "louvain": round(t_louvain, 1)},
        "components_2plus": int((sizes >= 2).sum()),
        "linked_accounts": int(linked.sum()),
        "louvain_edges": int(graph.number_of_edges()),
        "louvain_communities": int(len(set(part.values()))),
        "peak_rss_gb": _peak_gb(),
    }


def job(data: Path, work: Path, increment: Path | None = None) -> dict:
    """`linker run` on `data` (embedded store, fresh workspace), timed per stage; then, with
    `increment`, a second run on that batch (a week later) on the same workspace."""
    import shutil

    from linker.commands.run import score_against_truth
    from linker.progress import LineReporter
    from linker.service import run_once

    shutil.rmtree(work, ignore_errors=True)
    rep = LineReporter()
    t0 = time.perf_counter()
    side = {n: data / f"{n}.csv" if (data / f"{n}.csv").exists() else data.parent / f"{n}.csv"
            for n in ("allowlist", "indicators")}
    summary = run_once(data, work / "out", workspace=work / "workspace",
                       allowlist=side["allowlist"] if side["allowlist"].exists() else None,
                       indicators=side["indicators"] if side["indicators"].exists() else None,
                       reporter=rep)
    wall = time.perf_counter() - t0
    result: dict = {
        "wall_s": round(wall, 1),
        "stages_s": {k: round(v, 1) for k, v in rep.seconds.items()},
        "counts": summary["counts"],
        "peak_rss_gb": _peak_gb(),
    }
    if increment is not None:
        rep2 = LineReporter()
        t0 = time.perf_counter()
        side = {n: increment.parent / f"{n}.csv" if not (increment / f"{n}.csv").exists()
                else increment / f"{n}.csv" for n in ("allowlist", "indicators")}
        run_once(increment, work / "out2", workspace=work / "workspace",
                 allowlist=side["allowlist"] if side["allowlist"].exists() else None,
                 indicators=side["indicators"] if side["indicators"].exists() else None,
                 reporter=rep2)
        result["increment"] = {"wall_s": round(time.perf_counter() - t0, 1),
                               "stages_s": {k: round(v, 1) for k, v in rep2.seconds.items()}}
        result["peak_rss_gb"] = _peak_gb()
    # quality of the last run; a week of a --weeks world is scored against the whole world's
    # truth (accounts of later weeks count as missed)
    truth_csv = data / "truth" / "accounts.csv"
    if not truth_csv.exists():
        truth_csv = data.parent / "truth" / "accounts.csv"
    if truth_csv.exists():
        truth = pd.read_csv(truth_csv, dtype={"account_id": "string"})
        quality = score_against_truth(work / ("out2" if increment else "out"), truth)
        result["quality"] = {k: round(v, 4) if isinstance(v, float) else v
                             for k, v in quality.items()}
        result["quality"]["whole_world_truth"] = truth_csv.parent.parent != data
    return result


def _child(mode: str, *args: str) -> dict:
    """Run `mode` in a fresh interpreter (its own peak RSS); its stderr passes through."""
    cmd = [sys.executable, "-m", "bench.scale", f"--{mode}", *args]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def full(accounts: int, seed: int, data: Path | None, work: Path,
         increment: Path | None = None) -> dict:
    """Generate (unless `data` is given), run the job and the baseline; print and return."""
    work.mkdir(parents=True, exist_ok=True)
    gen_s = None
    if data is None:
        data = work / "data"
        if not (data / "accounts.csv").exists() and not (data / "accounts.parquet").exists():
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "linker", "generate", str(data), "--accounts",
                            str(accounts), "--seed", str(seed)], check=True,
                           stdout=subprocess.DEVNULL)
            gen_s = round(time.perf_counter() - t0, 1)
    print(f"world: {data}" + (f" (generated in {gen_s} s)" if gen_s else ""), file=sys.stderr)
    j = _child("job", str(data), str(work / "job"),
               *(["--increment", str(increment)] if increment else []))
    b = _child("baseline", str(data))
    result = {
        "data": str(data), "generate_s": gen_s, "job": j, "baseline": b,
        "ratio": {"wall": round(j["wall_s"] / max(b["wall_s"], 0.1), 2),
                  "peak_rss": round(j["peak_rss_gb"] / max(b["peak_rss_gb"], 0.01), 2)},
    }
    top = ("read", "load", "fetch", "rings", "campaigns", "ids", "outputs")
    print(f"{'stage':<12}{'seconds':>9}")
    for k in top:
        if k in j["stages_s"]:
            print(f"{k:<12}{j['stages_s'][k]:>9.1f}")
    print(f"{'job wall':<12}{j['wall_s']:>9.1f}   peak RSS {j['peak_rss_gb']:.2f} GB")
    print(f"{'baseline':<12}{b['wall_s']:>9.1f}   peak RSS {b['peak_rss_gb']:.2f} GB  "
          f"({b['stages_s']})")
    print(f"ratio job/baseline: wall x{result['ratio']['wall']}, "
          f"peak RSS x{result['ratio']['peak_rss']}")
    if "increment" in j:
        inc = j["increment"]
        print(f"{'increment':<12}{inc['wall_s']:>9.1f}   ("
              + ", ".join(f"{k} {inc['stages_s'][k]}" for k in top if k in inc["stages_s"]) + ")")
    q = j.get("quality")
    if q:
        print(f"quality: suspend precision {q['suspend_precision']}, recall "
              f"{q['suspend_recall']}, flagged recall {q['flagged_recall']}, "
              f"legit suspended {q['legit_suspended']}")
    print(json.dumps(result))
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-time", action="store_true", help="do not re-run under /usr/bin/time -v")
    ap.add_argument("--full", action="store_true",
                    help="the whole job on a generated world, against a naive baseline")
    ap.add_argument("--data", type=Path, help="--full on this existing world (not generated)")
    ap.add_argument("--work", type=Path, help="--full working directory "
                    "(default /tmp/linker-bench-N; the generated world is kept there)")
    ap.add_argument("--increment", type=Path,
                    help="--full: then run this batch (e.g. week2/ of `linker generate --weeks 2`)"
                         " on the same workspace and time it")
    ap.add_argument("--job", nargs=2, metavar=("DATA", "WORK"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", metavar="DATA", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.job:
        print(json.dumps(job(Path(args.job[0]), Path(args.job[1]), args.increment)))
        return
    if args.baseline:
        print(json.dumps(baseline(Path(args.baseline))))
        return
    if args.full:
        full(args.accounts, args.seed, args.data,
             args.work or Path(f"/tmp/linker-bench-{args.accounts}"), args.increment)
        return
    if not args.no_time and os.path.exists("/usr/bin/time"):
        cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "bench.scale", "--no-time",
               "--accounts", str(args.accounts), "--seed", str(args.seed)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        sys.stderr.write(proc.stderr if proc.returncode else "")
        print(proc.stdout, end="")
        for line in proc.stderr.splitlines():
            if any(k in line for k in ("Maximum resident", "Elapsed (wall", "User time",
                                       "System time", "Percent of CPU")):
                print("time -v:", line.strip())
        raise SystemExit(proc.returncode)
    print(json.dumps(run(args.accounts, args.seed), indent=2))


if __name__ == "__main__":
    main()
