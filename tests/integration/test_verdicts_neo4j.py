"""Issue 15, "done when" 1 on the Neo4j store: the two-week verdict scenario
(tests/verdict_scenario.py) run against a live Neo4j gives the same week-2 queue as the
embedded store, and the verdicts are Verdict nodes linked to their Account and Ring."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from verdict_scenario import check_week2, prepare

from linker.service import run_once

pytestmark = pytest.mark.integration


def test_two_weeks_with_verdicts_neo4j(clean_db, neo4j_driver, tmp_path: Path, monkeypatch) -> None:
    for name, value in (("NEO4J_URI", clean_db.uri), ("NEO4J_USERNAME", clean_db.user),
                        ("NEO4J_PASSWORD", clean_db.password),
                        ("NEO4J_DATABASE", clean_db.database)):
        monkeypatch.setenv(name, value)
    side: dict[str, Path] = {}

    def run(data: Path, out: Path, verdicts: Path | None) -> dict:
        side.setdefault("allowlist", data.parent / "allowlist.csv")
        return run_once(data, out, store_kind="neo4j", writers=[],
                        allowlist=side["allowlist"], verdicts=verdicts)

    sc = prepare(tmp_path, run)
    run(sc.week2, tmp_path / "out2", sc.verdict_file)
    allowlisted = set(pd.read_csv(side["allowlist"]).query("kind == 'account_id'")["value"])
    check_week2(sc, tmp_path / "out2", allowlisted)

    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (v:Verdict)-[:ABOUT]->(a:Account) RETURN v.verdict AS verdict, "
        "v.subject AS subject, a.account_id AS account_id", database_=clean_db.database)
    cleared = {r["account_id"] for r in recs if r["verdict"] == "cleared"}
    assert cleared == {sc.touched, *sc.quiet}
    assert {r["account_id"] for r in recs if r["verdict"] == "confirmed"} == set(sc.confirmed_members)
    rings, _, _ = neo4j_driver.execute_query(
        "MATCH (v:Verdict {verdict: 'confirmed'})-[:ABOUT]->(g:Ring) RETURN g.cluster_id AS c",
        database_=clean_db.database)
    assert [r["c"] for r in rings] == [sc.confirmed_ring]

    # read back through the store, and applied by a later run without --verdicts
    from linker.store.neo4j import Neo4jStore

    st = Neo4jStore.from_env()
    try:
        stored = st.verdicts()
    finally:
        st.close()
    assert set(stored.loc[stored["verdict"] == "cleared", "account_id"]) == {sc.touched, *sc.quiet}
    assert stored["basis_run_id"].astype(bool).all() and stored["decided_at"].notna().all()
    run(sc.week2, tmp_path / "out3", None)
    out3 = set(pd.read_csv(tmp_path / "out3" / "suspensions.csv", dtype=str)["account_id"])
    assert not set(sc.quiet) & out3 and sc.seed_linked in out3 and sc.touched in out3

    # the same scenario on the embedded store gives the same week-2 queue
    ws = tmp_path / "ws"
    emb = tmp_path / "emb"
    emb.mkdir()
    run_once(sc.week1, emb / "out1", workspace=ws, writers=[], allowlist=side["allowlist"])
    run_once(sc.week2, emb / "out2", workspace=ws, writers=[], allowlist=side["allowlist"],
             verdicts=sc.verdict_file)
    assert (emb / "out2" / "suspensions.csv").read_text() == \
        (tmp_path / "out2" / "suspensions.csv").read_text()
