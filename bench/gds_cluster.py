"""Clustering in Neo4j (GDS Leiden, `--cluster gds`) against the Python path, on one world.

    python -m bench.gds_cluster --accounts 100000 --profile baseline --seed 101

Generates the world (or reads --data), loads its accounts into a fresh managed Neo4j with GDS
(the link graph joins Account nodes; nothing else is needed to cluster), then runs ring
detection twice on the same Dataset: Python path (rings.cluster = "python") and GDS path
(the store's gds_leiden). Prints one JSON object: seconds of each (whole find_rings and the
communities step; for GDS also writing the link graph, projecting, Leiden), the ARI between
the two paths' rings (over accounts either flags; an account one path leaves out is a ring
of its own in the other) and each path's ring ARI against the planted truth.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.quality import _ring_ari, load_world
from linker.detect.communities import ari


def rings_ari(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """ARI of two members frames' rings over the accounts either flags."""
    both = a[["account_id", "ring"]].merge(b[["account_id", "ring"]], on="account_id",
                                           how="outer")
    alone = "alone:" + both["account_id"].astype(str)
    x = np.where(both["ring_x"].isna(), alone, "r:" + both["ring_x"].astype(str))
    y = np.where(both["ring_y"].isna(), alone, "r:" + both["ring_y"].astype(str))
    return round(float(ari(x, y)), 4)


def accounts_only(ds: Any) -> Any:
    """The batch with only its accounts table (what the link graph needs in the database)."""
    from linker.model import RequestAggregates

    info = dataclasses.replace(ds.info, files={"accounts": ds.info.files["accounts"]})
    return dataclasses.replace(ds, payments=ds.payments.iloc[:0], ip_events=ds.ip_events.iloc[:0],
                               requests=RequestAggregates.empty(), info=info)


def run(ds: Any, allow: Any, truth: Any, work: Path, heap: str, pagecache: str) -> dict[str, Any]:
    from linker.detect.rings import find_rings
    from linker.settings import RingParams
    from linker.store.neo4j import Neo4jStore
    from linker.store.server import start_server, stop_server

    params = RingParams()
    out: dict[str, Any] = {"accounts": int(len(ds.accounts))}
    t = time.perf_counter()
    py = find_rings(ds, allowlist=allow, params=params)
    out["python_find_rings_s"] = round(time.perf_counter() - t, 1)
    out["python_communities_s"] = py.stats["timings"]["communities"]
    out["python_links"] = py.stats["links"]
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    h = start_server(home, gds=True, heap=heap, pagecache=pagecache, timeout=900)
    try:
        store = Neo4jStore(h.uri, h.user, h.password, h.database, progress=False, bulk="never")
        t = time.perf_counter()
        store.load(accounts_only(ds))
        out["neo4j_load_accounts_s"] = round(time.perf_counter() - t, 1)
        store.timings.clear()
        t = time.perf_counter()
        gds = find_rings(ds, allowlist=allow, params=params, cluster=store.gds_leiden)
        out["gds_find_rings_s"] = round(time.perf_counter() - t, 1)
        out["gds_communities_s"] = gds.stats["timings"]["communities"]
        out["gds_steps_s"] = {k: round(v, 1) for k, v in store.timings.items()
                              if k.startswith("gds/")}
        out["linked_relationships"] = store.counts().get("LINKED", 0)
        store.close()
    finally:
        stop_server(h.home)
        h.stop()
    out["rings"] = {"python": int(len(py.rings)), "gds": int(len(gds.rings))}
    out["flagged"] = {"python": int(len(py.members)), "gds": int(len(gds.members))}
    out["ari_gds_vs_python"] = rings_ari(py.members, gds.members)
    t = truth.accounts.set_index(truth.accounts["account_id"].astype(str))
    fraud = t["is_fraud"].astype(str).str.lower().isin(["true", "1"])
    truth_ring = t["ring_id"].where(fraud)
    out["ring_ari_vs_truth"] = {
        name: round(_ring_ari(truth_ring, m.set_index(m["account_id"].astype(str))["ring"]), 4)
        for name, m in (("python", py.members), ("gds", gds.members))}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--accounts", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=101)
    p.add_argument("--profile", default="baseline")
    p.add_argument("--work", type=Path, default=None, help="server home and world (temporary)")
    p.add_argument("--heap", default="2g")
    p.add_argument("--pagecache", default="1g")
    a = p.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="linker-gds-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        ds, allow, truth, times = load_world(a.accounts, a.seed, a.profile, work / "world")
        res = {"world": {"accounts": a.accounts, "seed": a.seed, "profile": a.profile, **times},
               **run(ds, allow, truth, work, a.heap, a.pagecache)}
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
