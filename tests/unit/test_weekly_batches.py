"""Weekly batches of realistic size on the embedded store (issue 16, item 0).

Small test batches never exposed it: once the workspace's request aggregates pass ~128k rows,
Parquet reads them back as several Arrow chunks, and merging the next week's batch crashed in
`merge_aggregates` (`pa.concat_arrays` got a ChunkedArray). Here week 1 holds ~20 MB of
requests (> 128k hourly rows), week 2 another ~20 MB read in several chunks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from linker.demo import generate_world
from linker.ingest.read import merge_aggregates
from linker.model import STRING, RequestAggregates
from linker.service import run_once


def _chunked(df: pd.DataFrame, pieces: int) -> pd.DataFrame:
    """The same frame with every string column split into `pieces` Arrow chunks."""
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.StringDtype):
            arr = pa.array(out[c].astype(object).tolist(), pa.string())
            step = max(1, -(-len(arr) // pieces))
            chunks = [arr[i:i + step] for i in range(0, len(arr), step)] or [arr]
            out[c] = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks)), index=out.index)
    return out


def test_merge_aggregates_takes_chunked_columns() -> None:
    from linker.ingest.read import aggregate_requests

    rows = pd.DataFrame({
        "account_id": pd.array([f"a{i % 7}" for i in range(60)], dtype=STRING),
        "ts": pd.to_datetime("2026-01-01", utc=True) + pd.to_timedelta(range(60), unit="h"),
        "count": pd.array([1] * 60, dtype="Int64"),
        "api_key_id": pd.array([f"k{i % 3}" for i in range(60)], dtype=STRING),
        "ip": pd.array(["10.0.0.1"] * 60, dtype=STRING),
        "prompt_fingerprint": pd.array([None] * 60, dtype=STRING),
        "capability": pd.array(["chat", "code"] * 30, dtype=STRING),
        "input_tokens": pd.array([10] * 60, dtype="Int64"),
        "output_tokens": pd.array([5] * 60, dtype="Int64"),
    })
    a, b = aggregate_requests(rows.iloc[:30]), aggregate_requests(rows.iloc[30:])
    chunked = RequestAggregates(**{n: _chunked(getattr(a, n), 3) for n in
                                   ("totals", "hourly", "identifiers", "capabilities")})
    assert chunked.totals["account_id"].array._pa_array.num_chunks > 1
    got = merge_aggregates([chunked, b])
    want = merge_aggregates([a, b])
    for name in ("totals", "hourly", "identifiers", "capabilities"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name))
    assert int(got.totals["exchanges"].sum()) == 60


def _week(src: Path, dst: Path, copies: int) -> None:
    """A generated week with its request rows repeated `copies` times, 5 hours apart."""
    dst.mkdir(parents=True)
    for t in ("accounts", "payments", "ip_events"):
        shutil.copy(src / f"{t}.csv", dst / f"{t}.csv")
    r = pd.read_csv(src / "requests.csv", dtype=str, keep_default_na=False)
    ts = pd.to_datetime(r["ts"], utc=True)
    parts = [r.assign(ts=(ts + pd.Timedelta(hours=5 * k)).dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
             for k in range(copies)]
    pd.concat(parts).to_csv(dst / "requests.csv", index=False)


@pytest.mark.slow
def test_second_weekly_batch_of_realistic_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate_world(tmp_path / "gen", accounts=8000, seed=5, weeks=2)
    for w in ("week1", "week2"):
        _week(tmp_path / "gen" / w, tmp_path / w, copies=10)
    assert (tmp_path / "week2" / "requests.csv").stat().st_size > 15_000_000
    ws = tmp_path / "ws"
    run_once(tmp_path / "week1", tmp_path / "out1", workspace=ws, writers=[])
    hourly = ws / "tables" / "requests_hourly.parquet"
    assert pq.ParquetFile(hourly).metadata.num_rows > 131_072  # read back in several chunks
    s2 = run_once(tmp_path / "week2", tmp_path / "out2", workspace=ws, writers=[])
    assert s2["ok"]

    # Same totals as one fresh load of both weeks' requests.
    from linker.store.embedded import EmbeddedStore

    ds = EmbeddedStore(ws).dataset()
    raw = pd.concat([pd.read_csv(tmp_path / w / "requests.csv", usecols=["account_id", "count"])
                     for w in ("week1", "week2")])
    known = set(ds.accounts["account_id"])
    want = int(raw.loc[raw["account_id"].isin(known), "count"].fillna(1).sum())
    assert int(ds.requests.totals["exchanges"].sum()) == want
    assert int(ds.requests.hourly["exchanges"].sum()) == want
