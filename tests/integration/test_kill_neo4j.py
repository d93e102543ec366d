"""Kill tests on the Neo4j store (issue 16): `linker run --store neo4j` is SIGKILLed in the
middle of the request load (after its first chunk of accounts, after its last) and after
the load, then run again: totals, hourly and per-key counts, and the outputs, must equal
an uninterrupted run's (before the fix, the re-run added the batch a second time).

New accounts go in with their identifier relationships in one query per chunk (issue 12):
killed after the first chunk of week 1's new accounts, the re-run gives the same accounts,
identifier nodes and relationships as an uninterrupted load.

The same holds on the bulk path (issue 12): the first load of the empty database killed with
the import files written, with the server stopped for the import, right after the import
(server still down), and after the run is recorded but before its batches are committed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from linker.demo import generate_world
from linker.store.neo4j import Neo4jStore
from tests.integration.conftest import open_driver, wipe

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def linker(t, *args: str, crash: str | None = None, bulk: str = "never",
           batch: str = "500") -> subprocess.CompletedProcess:
    # small transactions on two writer sessions: the request load of week 2 takes several
    # chunks, so a kill after the first leaves some accounts written and others not
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1",
           **t.env(LINKER_NEO4J_BULK=bulk, LINKER_NEO4J_BATCH=batch, LINKER_NEO4J_WORKERS="2")}
    env.pop("LINKER_CRASH_AT", None)
    if crash:
        env["LINKER_CRASH_AT"] = crash
    return subprocess.run([sys.executable, "-m", "linker", "run", *args, "--store", "neo4j"],
                          env=env, capture_output=True, text=True, timeout=900)


def totals(t) -> dict[str, int]:
    st = Neo4jStore(t.uri, t.user, t.password, t.database, progress=False)
    try:
        ds = st.dataset()
    finally:
        st.close()
    return {"accounts": len(ds.accounts), "payments": len(ds.payments),
            "ip_events": len(ds.ip_events),
            "exchanges": int(ds.requests.totals["exchanges"].sum()),
            "hourly": int(ds.requests.hourly["exchanges"].sum()),
            "key_exchanges": int(ds.requests.identifiers["exchanges"].sum()),
            "capability_exchanges": int(ds.requests.capabilities["exchanges"].sum())}


# what the new-account load writes (load/new_accounts, load/ip_nodes)
ACCOUNT_GRAPH = ("Account", "Email", "EmailDomain", "Phone", "Device", "Org", "IP", "Subnet",
                 "HAS_EMAIL", "HAS_PHONE", "SIGNED_UP_FROM", "USES_DEVICE", "BELONGS_TO", "IN")


def graph_counts(t) -> dict[str, int]:
    st = Neo4jStore(t.uri, t.user, t.password, t.database, progress=False)
    try:
        counts = st.counts()
    finally:
        st.close()
    return {k: counts.get(k, 0) for k in ACCOUNT_GRAPH}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, neo4j_target) -> dict:
    root = tmp_path_factory.mktemp("kill-neo4j")
    generate_world(root / "data", accounts=1000, seed=17, weeks=2)
    with open_driver(neo4j_target) as driver:  # module-scoped: its own driver
        wipe(driver, neo4j_target.database)
    for w in ("week1", "week2"):
        r = linker(neo4j_target, str(root / "data" / w), "--out", str(root / "ref"))
        assert r.returncode == 0, r.stderr
    return {"root": root, "totals": totals(neo4j_target), "counts": graph_counts(neo4j_target)}


@pytest.mark.parametrize("point", ["neo4j-requests-first-chunk", "neo4j-requests",
                                   "recorded"])
def test_kill_during_neo4j_load_then_rerun_counts_once(reference, neo4j_driver, neo4j_target,
                                                       tmp_path, point) -> None:
    root = reference["root"]
    wipe(neo4j_driver, neo4j_target.database)
    assert linker(neo4j_target, str(root / "data" / "week1"), "--out", str(tmp_path / "o1")
                  ).returncode == 0
    out = tmp_path / "out"
    killed = linker(neo4j_target, str(root / "data" / "week2"), "--out", str(out), crash=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = linker(neo4j_target, str(root / "data" / "week2"), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert totals(neo4j_target) == reference["totals"]
    for name in ("suspensions.csv", "clusters.csv", "members.csv"):
        assert (out / name).read_text() == (root / "ref" / name).read_text(), name


def test_kill_during_new_accounts_then_rerun_loses_no_relationship(
        reference, neo4j_driver, neo4j_target, tmp_path) -> None:
    root = reference["root"]
    wipe(neo4j_driver, neo4j_target.database)
    week1 = str(root / "data" / "week1")
    killed = linker(neo4j_target, week1, "--out", str(tmp_path / "o1"),
                    crash="neo4j-accounts-first-chunk", batch="100")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with neo4j_driver.session(database=neo4j_target.database) as s:
        some = s.run("MATCH (a:Account) RETURN count(a) AS n").single()["n"]
    assert 0 < some < reference["counts"]["Account"]  # killed halfway
    assert linker(neo4j_target, week1, "--out", str(tmp_path / "o1")).returncode == 0
    out = tmp_path / "out"
    assert linker(neo4j_target, str(root / "data" / "week2"), "--out", str(out)).returncode == 0
    assert graph_counts(neo4j_target) == reference["counts"]
    assert totals(neo4j_target) == reference["totals"]
    for name in ("suspensions.csv", "clusters.csv", "members.csv"):
        assert (out / name).read_text() == (root / "ref" / name).read_text(), name


@pytest.mark.parametrize("point", ["neo4j-import-files", "neo4j-import-stopped",
                                   "neo4j-imported", "recorded"])
def test_kill_during_bulk_import_then_rerun_counts_once(reference, neo4j_driver, neo4j_target,
                                                        tmp_path, point) -> None:
    if neo4j_target.home is None:
        pytest.skip("the bulk import needs the server linker manages")
    root = reference["root"]
    wipe(neo4j_driver, neo4j_target.database)
    week1 = str(root / "data" / "week1")
    killed = linker(neo4j_target, week1, "--out", str(tmp_path / "o1"), crash=point,
                    bulk="always")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = linker(neo4j_target, week1, "--out", str(tmp_path / "o1"), bulk="always")
    assert again.returncode == 0, again.stderr
    out = tmp_path / "out"
    assert linker(neo4j_target, str(root / "data" / "week2"), "--out", str(out)).returncode == 0
    assert totals(neo4j_target) == reference["totals"]
    for name in ("suspensions.csv", "clusters.csv", "members.csv"):
        assert (out / name).read_text() == (root / "ref" / name).read_text(), name
