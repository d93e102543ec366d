"""Neo4j at scale: fresh load (bulk import), a weekly increment (transactional), read-back,
and `linker run --store neo4j` end to end against the embedded store, on one machine.

    python -m bench.neo4j_scale --data W/week1 --increment W/week2 --e2e W/week1

$LINKER_NEO4J_WORKERS / $LINKER_NEO4J_BATCH apply (the JSON says which were used).

Each phase starts its own managed server (a fresh home under --work) with --heap / --pagecache,
so the bulk import applies to the fresh load and the end-to-end run. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any


def _server(home: Path, heap: str, pagecache: str) -> Any:
    from linker.store.server import start_server

    shutil.rmtree(home, ignore_errors=True)
    return start_server(home, gds=True, heap=heap, pagecache=pagecache, timeout=900)


def _stop(h: Any) -> None:
    from linker.store.server import stop_server

    stop_server(h.home)  # the bulk import restarts the server detached
    h.stop()


def _server_cpu(home: Path) -> float | None:
    """CPU seconds (user + system) the managed server in `home` has used so far (Linux;
    None elsewhere): less sensitive than wall time to other jobs on a shared machine."""
    from linker.store.server import read_state

    try:
        pid = int((read_state(home) or {})["pid"])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (KeyError, OSError, ValueError, IndexError):
        return None


def load_phase(data: Path, increment: Path | None, work: Path, heap: str,
               pagecache: str, read_back: bool = True) -> dict[str, Any]:
    """Fresh load of `data` (bulk), then `increment` (transactional), then dataset()."""
    from linker.service import read_batch
    from linker.store.neo4j import Neo4jStore

    out: dict[str, Any] = {}
    h = _server(work / "home-load", heap, pagecache)
    try:
        store = Neo4jStore(h.uri, h.user, h.password, h.database, progress=False,
                           server_home=h.home)
        t = time.perf_counter()
        batch = read_batch(data, store, False)
        out["fresh_read_s"] = round(time.perf_counter() - t, 1)
        rows = sum(int(m.get("rows", 0)) for m in batch.info.files.values())
        t = time.perf_counter()
        store.load(batch)
        secs = time.perf_counter() - t
        out["fresh_load_s"] = round(secs, 1)
        out["fresh_steps_s"] = {k: round(v, 1) for k, v in store.timings.items()}
        store.timings.clear()
        out["fresh_rows"] = rows
        out["fresh_rows_per_s"] = round(rows / secs)
        del batch
        if increment is not None:
            t = time.perf_counter()
            batch = read_batch(increment, store, False)
            out["increment_read_s"] = round(time.perf_counter() - t, 1)
            rows = sum(int(m.get("rows", 0)) for m in batch.info.files.values())
            cpu0, t = _server_cpu(h.home), time.perf_counter()
            stats = store.load(batch)
            secs = time.perf_counter() - t
            cpu1 = _server_cpu(h.home)
            if cpu0 is not None and cpu1 is not None:
                out["increment_server_cpu_s"] = round(cpu1 - cpu0, 1)
            out["increment_accounts"] = stats.added.get("accounts", 0)
            out["increment_rows"] = rows
            out["increment_load_s"] = round(secs, 1)
            out["increment_rows_per_s"] = round(rows / secs)
            out["increment_queries_s"] = {k: round(v, 1) for k, v in store.timings.items()}
            del batch
        out["workers"], out["batch"] = store.workers, store.batch_size
        if read_back:
            t = time.perf_counter()
            ds = store.dataset()
            out["dataset_s"] = round(time.perf_counter() - t, 1)
            out["accounts_in_graph"] = len(ds.accounts)
        store.close()
    finally:
        _stop(h)
    return out


def e2e_phase(data: Path, work: Path, heap: str, pagecache: str) -> dict[str, Any]:
    """`linker run` on `data` with the embedded store and with Neo4j (fresh, bulk import)."""
    from linker.service import run_once

    allow = data.parent / "allowlist.csv" if (data.parent / "allowlist.csv").exists() \
        else data / "allowlist.csv"
    ind = data.parent / "indicators.csv" if (data.parent / "indicators.csv").exists() \
        else data / "indicators.csv"
    kw = {"allowlist": allow if allow.exists() else None,
          "indicators": ind if ind.exists() else None, "writers": []}
    out: dict[str, Any] = {}
    shutil.rmtree(work / "ws", ignore_errors=True)
    t = time.perf_counter()
    emb = run_once(data, work / "out-emb", store_kind="embedded", workspace=work / "ws", **kw)
    out["embedded_s"] = round(time.perf_counter() - t, 1)
    out["embedded_timings"] = emb["timings"]
    h = _server(work / "home-e2e", heap, pagecache)
    saved = {k: os.environ.get(k) for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD",
                                            "NEO4J_DATABASE", "LINKER_NEO4J_HOME")}
    os.environ.update({"NEO4J_URI": h.uri, "NEO4J_USERNAME": h.user,
                       "NEO4J_PASSWORD": h.password, "NEO4J_DATABASE": h.database,
                       "LINKER_NEO4J_HOME": str(h.home)})
    try:
        t = time.perf_counter()
        neo = run_once(data, work / "out-neo", store_kind="neo4j", **kw)
        out["neo4j_s"] = round(time.perf_counter() - t, 1)
        out["neo4j_timings"] = neo["timings"]
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        _stop(h)
    out["ratio"] = round(out["neo4j_s"] / out["embedded_s"], 2)
    same = all((work / "out-emb" / n).read_bytes() == (work / "out-neo" / n).read_bytes()
               for n in ("suspensions.csv", "members.csv", "clusters.csv"))
    out["outputs_identical"] = same
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", type=Path, help="first batch (fresh load through the importer)")
    p.add_argument("--increment", type=Path, help="a later batch (transactional)")
    p.add_argument("--e2e", type=Path, help="input for `linker run` embedded vs neo4j")
    p.add_argument("--work", type=Path, default=Path("/tmp/linker-neo4j-bench"))
    p.add_argument("--no-read-back", action="store_true",
                   help="skip dataset() after the loads")
    p.add_argument("--heap", default="4g")
    p.add_argument("--pagecache", default="2g")
    a = p.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {"heap": a.heap, "pagecache": a.pagecache}
    if a.data:
        res["load"] = load_phase(a.data, a.increment, a.work, a.heap, a.pagecache,
                                 read_back=not a.no_read_back)
    if a.e2e:
        res["e2e"] = e2e_phase(a.e2e, a.work, a.heap, a.pagecache)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
