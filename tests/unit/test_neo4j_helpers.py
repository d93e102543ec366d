"""Pure parts of the Neo4j store and server launcher (no server needed): frame ⇄ parameter
conversions that the faithful round trip relies on, and the query files the code names."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from linker.store import cypher_files
from linker.store import neo4j as store
from linker.store.server import _artifact_key

TS = "datetime64[ns, UTC]"


def test_every_query_named_in_code_exists_and_is_parameterised() -> None:
    src = Path(store.__file__).read_text()
    names = set(re.findall(r'"((?:load|read|results|gds)/[a-z_]+)"', src))
    names |= {f"read/{k}_keys" for k in ("paid_with", "seen_on")}
    names |= set(store.Neo4jStore.REVIEW_QUERIES)
    assert len(names) > 25
    for name in names:
        text = cypher_files.query(name)
        assert text.strip(), name
        assert "+ '" not in text and "' +" not in text, f"string building in {name}"
    assert any("CREATE CONSTRAINT" in s for s in cypher_files.statements("schema"))
    assert not any(s.startswith("//") for s in cypher_files.statements("schema"))


def test_query_names_are_checked() -> None:
    for bad in ("../etc/passwd", "load/x;DROP", "Load/accounts"):
        try:
            cypher_files.query(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_records_turn_missing_values_into_none_and_keep_timestamps() -> None:
    df = pd.DataFrame({
        "s": pd.array(["x", None], dtype="string[pyarrow]"),
        "i": pd.array([5, None], dtype="Int64"),
        "t": pd.to_datetime(["2024-01-02T03:04:05.123456789Z", None], utc=True),
    })
    recs = store.records(df)
    assert recs[1] == {"s": None, "i": None, "t": None}
    assert recs[0]["i"] == 5 and isinstance(recs[0]["i"], int)
    assert recs[0]["t"] == pd.Timestamp("2024-01-02T03:04:05.123456789Z")
    assert store.records(df.iloc[:0]) == []


def test_apply_types_rebuilds_dtypes_and_order_from_epoch_nanoseconds() -> None:
    want = pd.DataFrame({
        "account_id": pd.array(["a", "b"], dtype="string[pyarrow]"),
        "created_at": pd.to_datetime(["2024-01-02T03:04:05.000000001Z", None], utc=True),
        "asn": pd.array([None, 64500], dtype="Int64"),
        "exchanges": np.array([3, 4], dtype="int64"),
    })
    types = store.frame_types(want)
    assert types[0] == ["account_id", "string[pyarrow]"]
    ns = int(want["created_at"].iloc[0].value)
    raw = pd.DataFrame({"exchanges": [3, 4], "asn": [None, 64500],
                        "created_at": [ns, None], "account_id": ["a", "b"],
                        "ignored": [1, 2]}, dtype=object)
    got = store.apply_types(raw, types)
    pd.testing.assert_frame_equal(got, want)
    empty = store.apply_types(pd.DataFrame(), types)
    assert list(empty.columns) == list(want.columns) and len(empty) == 0
    assert empty.dtypes.astype(str).tolist() == want.dtypes.astype(str).tolist()


def test_row_keys_match_exactly_equal_rows_only() -> None:
    df = pd.DataFrame({"a": ["x", "x", "x", None], "b": ["1", "1", "2", "1"]})
    k = store.row_keys(df)
    assert k.dtype == np.int64
    assert k[0] == k[1] and len({k[0], k[2], k[3]}) == 3
    assert (store.row_keys(df) == k).all()  # stable


def test_hourly_lists_round_trip() -> None:
    hourly = pd.DataFrame({
        "account_id": pd.array(["b", "a", "a", "b"], dtype="string[pyarrow]"),
        "hour": pd.to_datetime(["2024-01-01T05:00Z", "2024-01-01T02:00Z",
                                "2024-01-01T01:00Z", "2024-01-01T03:00Z"], utc=True),
        "exchanges": np.array([1, 2, 3, 4], dtype="int64"),
    })
    lists = store.hourly_lists(hourly)
    assert lists["account_id"].tolist() == ["a", "b"]
    assert lists["exchanges"].tolist() == [[3, 2], [4, 1]]
    back = store.explode_hourly(lists).astype({"account_id": "string[pyarrow]"})
    want = hourly.sort_values(["account_id", "hour"], ignore_index=True).astype({"hour": TS})
    pd.testing.assert_frame_equal(back.astype({"hour": TS}), want)


def test_hourly_of_two_batches_is_summed_per_hour_on_reading_back() -> None:
    # load/requests appends each batch's hourly lists: an hour in two batches comes back twice
    t = pd.to_datetime(["2024-01-01 01:00", "2024-01-01 02:00", "2024-01-01 03:00"], utc=True)
    lists = pd.DataFrame({"account_id": ["a", "b"],
                          "hours": [[int(t[1].timestamp()), int(t[2].timestamp()),
                                     int(t[0].timestamp()), int(t[1].timestamp())],
                                    [int(t[0].timestamp())]],
                          "exchanges": [[2, 3, 1, 5], [4]]})
    rows = store.explode_hourly(lists)
    out = store._sorted_aggregate("hourly", rows)
    assert out["account_id"].tolist() == ["a", "a", "a", "b"]
    assert out["hour"].tolist() == [t[0], t[1], t[2], t[0]]
    assert out["exchanges"].tolist() == [1, 7, 3, 4]
    assert out["exchanges"].dtype == "int64"


def test_artifact_key_strips_versions_only() -> None:
    assert _artifact_key("org.slf4j.slf4j-api-1.7.32.jar") == "org.slf4j.slf4j-api"
    assert _artifact_key("org.neo4j.gds.algo-2.13.9.jar") == "org.neo4j.gds.algo"
    assert _artifact_key("org.neo4j.neo4j-cypher-5.26.30.jar") == "org.neo4j.neo4j-cypher"
    assert _artifact_key("io.netty.netty-codec-4.1.130.Final.jar") == "io.netty.netty-codec"
