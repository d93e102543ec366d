"""The embedded store appends a batch as new parts: the parts already there are neither read
back whole nor rewritten, and the union is what one store of every batch would hold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linker.demo import generate_world
from linker.ingest import normalize
from linker.ingest.normalize import normalize_phone
from linker.service import read_batch
from linker.store.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def weeks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("weeks")
    generate_world(d, accounts=1500, seed=4, weeks=2)
    return d


def _load(ws: Path, *dirs: Path) -> EmbeddedStore:
    st = EmbeddedStore(ws)
    for d in dirs:
        with st.lock():
            st.load(read_batch(d, st))
    return st


def test_second_batch_adds_parts_and_keeps_the_first_untouched(weeks: Path, tmp_path: Path) -> None:
    st = _load(tmp_path / "ws", weeks / "week1")
    first = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
             for p in (tmp_path / "ws" / "tables").glob("*.parquet")}
    assert "accounts.parquet" in first and "requests_hourly.parquet" in first
    with st.lock():
        stats = st.load(read_batch(weeks / "week2", st))
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
             for p in (tmp_path / "ws" / "tables").glob("*.parquet")}
    # the same files (inode and time): hard links, never rewritten
    assert {k: after[k] for k in first} == first
    assert {"accounts.2.parquet", "requests_hourly.2.parquet"} <= set(after)
    assert stats.added["accounts"] > 0


def test_union_of_parts_equals_one_store_of_both_batches(weeks: Path, tmp_path: Path) -> None:
    two = _load(tmp_path / "a", weeks / "week1", weeks / "week2").dataset()
    again = _load(tmp_path / "b", weeks / "week1", weeks / "week2", weeks / "week1").dataset()
    assert two.accounts["account_id"].is_monotonic_increasing
    assert not two.accounts["account_id"].duplicated().any()
    for frame in ("accounts", "payments", "ip_events"):
        pd.testing.assert_frame_equal(getattr(two, frame), getattr(again, frame))
        assert not getattr(two, frame).duplicated().any()
    raw = pd.concat([pd.read_csv(weeks / w / "requests.csv", usecols=["account_id", "count"])
                     for w in ("week1", "week2")])
    known = set(two.accounts["account_id"])
    want = int(raw.loc[raw["account_id"].isin(known), "count"].fillna(1).sum())
    assert int(two.requests.totals["exchanges"].sum()) == want
    assert int(two.requests.hourly["exchanges"].sum()) == want
    assert not two.requests.hourly.duplicated(["account_id", "hour"]).any()


def test_parallel_phone_parsing_gives_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    phones = pd.Series([f"(415) 555-{i:04d}" for i in range(300)] + ["+4420 7946 0018", "x", None]
                       * 2, dtype="string")
    country = pd.Series(["US"] * 300 + ["GB", "US", "US"] * 2)
    serial = normalize_phone(phones, country)
    monkeypatch.setattr(normalize, "PARALLEL_FROM", 10)
    monkeypatch.setattr(normalize, "_idle_cores", lambda: 2)
    parallel = normalize_phone(phones, country)
    pd.testing.assert_series_equal(serial, parallel)
    assert serial.iloc[0] == "+14155550000" and serial.iloc[301] is pd.NA


def test_dataset_hands_out_each_text_column_in_one_chunk(weeks: Path, tmp_path: Path) -> None:
    """Two batches are two parts (and Parquet row groups): the frames the stages get still hold
    each Arrow column in one chunk, which every Arrow kernel downstream works on faster."""
    import pyarrow as pa

    ds = _load(tmp_path / "ws", weeks / "week1", weeks / "week2").dataset()
    frames = {"accounts": ds.accounts, "payments": ds.payments, "ip_events": ds.ip_events,
              **{f"requests.{n}": getattr(ds.requests, n)
                 for n in ("totals", "hourly", "identifiers", "capabilities")}}
    checked = 0
    for name, df in frames.items():
        for col in df.columns:
            if isinstance(df[col].dtype, pd.StringDtype):
                arr = pa.array(df[col].array)
                assert getattr(arr, "num_chunks", 1) == 1, f"{name}.{col}"
                checked += 1
    assert checked > 10
