"""The Neo4j store against a live server: idempotent and incremental loading, a faithful
round trip (dataset() equals what the embedded store gives), results write-back and history,
GDS Louvain, clear errors, and parity of the whole job between the two stores."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from neo4j import GraphDatabase

from linker.demo import generate_world
from linker.errors import StoreError
from linker.ingest.normalize import normalize_dataset
from linker.ingest.read import read_dataset
from linker.store.embedded import EmbeddedStore
from linker.store.neo4j import Neo4jStore
from tests.integration.conftest import wipe

pytestmark = pytest.mark.integration


def _store(t) -> Neo4jStore:
    return Neo4jStore(t.uri, t.user, t.password, t.database, progress=False)


def _batch(path: Path):
    return normalize_dataset(read_dataset(path))


def assert_same_dataset(a, b) -> None:
    for name in ("accounts", "payments", "ip_events"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    for name in ("totals", "hourly", "identifiers", "capabilities"):
        pd.testing.assert_frame_equal(
            getattr(a.requests, name), getattr(b.requests, name), obj=f"requests.{name}"
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate_world(out, accounts=1500, seed=11, weeks=2)
    return out


def test_load_is_idempotent_and_reads_back_like_embedded(clean_db, world, tmp_path) -> None:
    ds = _batch(world / "week1")
    store = _store(clean_db)
    try:
        first = store.load(ds)
        assert first.added["accounts"] == len(ds.accounts) > 0
        assert first.added["payments"] == len(ds.payments.drop_duplicates())
        assert first.skipped_files == []
        assert all(v > 0 for v in first.rows_per_second().values())
        counts = store.counts()
        assert counts["Account"] == len(ds.accounts)
        assert counts["PAID_WITH"] == first.added["payments"]
        assert counts["SEEN_ON"] == first.added["ip_events"]

        again = store.load(ds)
        assert sorted(again.skipped_files) == sorted(m["path"] for m in ds.info.files.values())
        assert again.added == {}
        assert store.counts() == counts

        emb = EmbeddedStore(tmp_path / "ws")
        emb.load(ds)
        got = store.dataset()
        assert_same_dataset(emb.dataset(), got)
        assert got.info.files == emb.dataset().info.files
        assert len(store.account_ids()) == len(ds.accounts)
    finally:
        store.close()


def test_incremental_batches_union_like_embedded(clean_db, world, tmp_path) -> None:
    store = _store(clean_db)
    emb = EmbeddedStore(tmp_path / "ws")
    try:
        for week in ("week1", "week2"):
            ds = _batch(world / week)
            store.load(ds)
            emb.load(ds)
        want = emb.dataset()
        assert len(want.accounts) > len(_batch(world / "week1").accounts)
        assert_same_dataset(want, store.dataset())
        # A hand-edited re-export of week 2 (different file, same rows) changes nothing for
        # accounts, payments and IP events: rows are merged on their content.
        counts = store.counts()
        copy = tmp_path / "week2-copy"
        copy.mkdir()
        for f in ("accounts", "payments", "ip_events"):
            src = next((world / "week2").glob(f"{f}.*"))
            (copy / src.name).write_bytes(src.read_bytes())
            text = (copy / src.name).read_text()
            (copy / src.name).write_text(text.replace("\n", "\r\n"))  # new sha, same rows
        store.load(_batch(copy))
        after = store.counts()
        for key in ("Account", "PAID_WITH", "SEEN_ON", "Card", "IP"):
            assert after[key] == counts[key], key
    finally:
        store.close()


def test_unreachable_server_is_a_clear_store_error() -> None:
    with pytest.raises(StoreError) as err:
        Neo4jStore("bolt://127.0.0.1:9", "neo4j", "s3cret-never-shown")
    assert err.value.exit_code == 1
    assert "s3cret-never-shown" not in str(err.value)
    assert "127.0.0.1:9" in str(err.value)


def test_wrong_password_is_a_store_error(neo4j_target) -> None:
    with pytest.raises(StoreError, match="refused the credentials") as err:
        Neo4jStore(neo4j_target.uri, neo4j_target.user, "definitely-wrong-pw")
    assert "definitely-wrong-pw" not in str(err.value)


def test_from_env_uses_neo4j_variables(neo4j_target, monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_target.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_target.database)
    s = Neo4jStore.from_env(progress=False)
    try:
        assert s.uri == neo4j_target.uri
    finally:
        s.close()
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-wrong-wrong")
    with pytest.raises(StoreError):
        Neo4jStore.from_env()


def test_gds_louvain_in_db_finds_two_cliques(clean_db, tmp_path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    ids = [f"a{i}" for i in range(8)]
    (data / "accounts.csv").write_text(
        "account_id,created_at\n" + "".join(f"{a},2024-01-01T00:00:00Z\n" for a in ids)
    )
    store = _store(clean_db)
    try:
        store.load(_batch(data))
        if not store.gds_available():
            if clean_db.source == "maven" or clean_db.gds:
                pytest.fail("GDS should be available on this server")
            pytest.skip("server without GDS")
        left, right = ids[:4], ids[4:]
        pairs = [(x, y, 1.0) for grp in (left, right) for i, x in enumerate(grp) for y in grp[i + 1:]]
        pairs.append(("a3", "a4", 0.05))  # a weak bridge
        links = pd.DataFrame(pairs, columns=["a", "b", "weight"])
        links["reasons"] = "SHARED_CARD"
        labels = store.louvain_in_db(links)
        assert list(labels["account_id"]) == ids
        comm = dict(zip(labels["account_id"], labels["community"], strict=True))
        assert len({comm[a] for a in left}) == 1 and len({comm[a] for a in right}) == 1
        assert comm["a0"] != comm["a7"]
        assert store.counts()["LINKED"] == len(links)
        # Rewriting the link graph replaces it; the projection is dropped afterwards.
        store.louvain_in_db(links.iloc[:3])
        assert store.counts()["LINKED"] == 3
    finally:
        store.close()


def _pipeline_findings(ds):
    from linker.pipeline import run_pipeline

    return run_pipeline(ds)


def test_write_results_and_previous_run_round_trip(clean_db, world) -> None:
    ds = _batch(world / "week1")
    store = _store(clean_db)
    try:
        store.load(ds)
        assert store.previous_run() is None and store.runs() == []
        f1 = _pipeline_findings(store.dataset())
        assert len(f1.members) > 0, "the demo world should give rings"
        store.write_results(f1)
        store.write_results(f1)  # same run id again: replaced, not doubled
        prev = store.previous_run()
        assert prev is not None
        assert prev.run == json.loads(json.dumps(f1.run, default=str))
        pd.testing.assert_frame_equal(prev.members, f1.members.reset_index(drop=True))
        pd.testing.assert_frame_equal(prev.suspensions, f1.suspensions.reset_index(drop=True))
        pd.testing.assert_frame_equal(prev.clusters, f1.clusters.reset_index(drop=True))
        assert prev.campaigns == json.loads(json.dumps(f1.campaigns, default=str))
        assert store.counts()["MEMBER_OF"] == len(f1.members)

        f2 = _pipeline_findings(store.dataset())
        f2.run["started_at"] = "9999-" + str(f2.run.get("started_at", ""))  # surely later
        store.write_results(f2)
        assert [r["run_id"] for r in store.runs()] == [f1.run_id, f2.run_id]
        assert store.previous_run().run["run_id"] == f2.run_id
        old = store.get_run(f1.run_id)
        pd.testing.assert_frame_equal(old.members, f1.members.reset_index(drop=True))
        assert store.get_run("no-such-run") is None
    finally:
        store.close()


@pytest.mark.parametrize("bulk", ["never", "always"])
def test_pipeline_parity_embedded_vs_neo4j(clean_db, world, tmp_path, monkeypatch,
                                           bulk) -> None:
    """The same input gives byte-identical suspensions / members / clusters on both stores,
    through the transactional load and through the bulk import (stop, import, start)."""
    from linker.service import run_once as execute

    if bulk == "always" and clean_db.home is None:
        pytest.skip("the bulk import needs the server linker manages")
    for k, v in clean_db.env(LINKER_NEO4J_BULK=bulk).items():
        monkeypatch.setenv(k, v)
    data = world / "week1"
    kw = {"allowlist": world / "allowlist.csv", "indicators": world / "indicators.csv"}
    emb = execute(data, tmp_path / "out-emb", store_kind="embedded",
                  workspace=tmp_path / "ws", **kw)
    neo = execute(data, tmp_path / "out-neo", store_kind="neo4j", **kw)
    assert emb["counts"] == neo["counts"]
    for name in ("suspensions.csv", "members.csv", "clusters.csv"):
        a = (tmp_path / "out-emb" / name).read_text()
        b = (tmp_path / "out-neo" / name).read_text()
        assert a == b, name
    assert (tmp_path / "out-emb" / "suspensions.csv").read_text().count("\n") > 1
    if bulk == "always":
        from linker.store.neo4j import Neo4jStore

        st = Neo4jStore.from_env(progress=False)
        try:
            batches = st._frame("read/batches", pending=[])
            assert len(batches) == 4, "the imported batches are committed once the run is recorded"
        finally:
            st.close()


def test_bulk_import_builds_the_transactional_graph(clean_db, world, tmp_path) -> None:
    """The graph the importer builds has the labels, relationship types, counts and reads
    back as the transactional load's; a later week loads on top of it like on the other."""
    if clean_db.home is None:
        pytest.skip("the bulk import needs the server linker manages")
    week1, week2 = _batch(world / "week1"), _batch(world / "week2")
    store = _store(clean_db)
    try:
        store.bulk = "never"
        store.load(week1)
        tx_counts = store.counts()
        tx_data = store.dataset()
    finally:
        store.close()
    with GraphDatabase.driver(clean_db.uri, auth=(clean_db.user, clean_db.password)) as d:
        wipe(d, clean_db.database)
    store = Neo4jStore(clean_db.uri, clean_db.user, clean_db.password, clean_db.database,
                       progress=False, server_home=clean_db.home, bulk="always")
    try:
        stats = store.load(week1)
        assert stats.added["accounts"] == len(week1.accounts)
        assert store.counts() == tx_counts
        # right after the import, dataset() shapes the imported rows without reading the
        # graph; the next call reads it back: both equal the transactional load's read-back
        values = store._values
        store._values = lambda name, **k: (values(name, **k) if name == "read/batches"
                                           else pytest.fail(f"{name} read back"))
        shaped = store.dataset()
        store._values = values
        assert_same_dataset(tx_data, shaped)
        assert shaped.info == tx_data.info
        assert_same_dataset(shaped, store.dataset())
        store.load(week2)
        emb = EmbeddedStore(tmp_path / "ws")
        emb.load(week1)
        emb.load(week2)
        assert_same_dataset(emb.dataset(), store.dataset())
    finally:
        store.close()
