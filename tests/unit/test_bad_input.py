"""Issue 16, bad input: every case gets the contract's treatment — an InputError naming the
file, the column and the line (CSV) or row (Parquet), exit code 2, nothing written."""

from __future__ import annotations

import datetime as dt
import gzip
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import snapshot, write_table
from typer.testing import CliRunner

from linker import contract
from linker.cli import app
from linker.errors import InputError
from linker.ingest.read import read_dataset

runner = CliRunner()
ACCOUNTS = "account_id,created_at\na,2024-01-01T00:00:00Z\nb,2024-01-02T00:00:00Z\n"


def _raises(data: Path, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        read_dataset(data, **kw)
    return info.value


def _pq(path: Path, **cols: pa.Array) -> None:
    pq.write_table(pa.table(cols), path)


# ---- timestamps ----------------------------------------------------------------------------

OUT_OF_RANGE = ["0000-01-01", "0001-01-01", "1600-01-01", "2262-04-12", "3000-01-01",
                "9999-12-31T23:59:59Z", "2199-12-31T23:00:00-05:00"]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("form", ["csv", "csv.gz", "parquet"])
def test_timestamp_out_of_range_names_line(tmp_path, value, form):
    write_table(tmp_path, "accounts", ACCOUNTS + f"c,{value}\n", form)
    err = _raises(tmp_path)
    # CSV: line 4 (header = 1); Parquet: row 3.
    assert err.column == "created_at" and err.lines == [3 if form == "parquet" else 4]
    assert "out of range" in str(err) and err.file.endswith(f"accounts.{form}")


@pytest.mark.parametrize("value", ["-1", "now", "today", "yesterday", "1714521600", "May 1 2024"])
def test_non_iso_timestamps_are_rejected_not_read_as_wall_clock(tmp_path, value):
    write_table(tmp_path, "accounts", ACCOUNTS + f"c,{value}\n")
    err = _raises(tmp_path)
    assert err.column == "created_at" and err.lines == [4] and "unparseable" in str(err)


@pytest.mark.parametrize("arrow_type,value", [
    (pa.timestamp("s"), dt.datetime(3000, 1, 1)),
    (pa.timestamp("ms", tz="UTC"), dt.datetime(1600, 1, 1)),
    (pa.timestamp("us"), dt.datetime(9999, 12, 31)),
    (pa.timestamp("ns"), dt.datetime(1800, 1, 1)),
    (pa.date32(), dt.date(9999, 1, 1)),
    (pa.date64(), dt.date(1, 1, 1)),
])
def test_parquet_timestamp_units_and_dates_out_of_range(tmp_path, arrow_type, value):
    _pq(tmp_path / "accounts.parquet", account_id=pa.array(["a", "b"]),
        created_at=pa.array([dt.datetime(2024, 1, 1) if "timestamp" in str(arrow_type)
                             else dt.date(2024, 1, 1), value], arrow_type))
    err = _raises(tmp_path)
    assert err.column == "created_at" and err.lines == [2] and "out of range" in str(err)


def test_parquet_timestamp_units_in_range_are_read(tmp_path):
    _pq(tmp_path / "accounts.parquet", account_id=pa.array(["a", "b"]),
        created_at=pa.array([dt.date(2024, 1, 1), dt.date(2199, 12, 31)], pa.date32()))
    ds = read_dataset(tmp_path)
    assert ds.accounts["created_at"].dt.year.tolist() == [2024, 2199]


# ---- integers and sums -----------------------------------------------------------------------

@pytest.mark.parametrize("value,what", [
    ("9223372036854775808", "too large"), ("9223372036854775807", "too large"),
    ("1e30", "too large"), ("1000000001", "too large"), ("-1e30", "negative"),
    ("18446744073709551615", "too large"), ("1.5", "not an integer"), ("inf", "not an integer"),
])
def test_count_bounds_csv(tmp_path, value, what):
    write_table(tmp_path, "accounts", ACCOUNTS)
    write_table(tmp_path, "requests", f"account_id,ts,count\na,2024-01-01,1\nb,2024-01-01,{value}\n")
    err = _raises(tmp_path)
    assert err.column == "count" and err.lines == [3] and what in str(err)


@pytest.mark.parametrize("arr", [
    pa.array([1, 2**64 - 1], pa.uint64()), pa.array([1.0, 1e30]), pa.array([1, 2**63 - 1]),
])
def test_count_bounds_parquet(tmp_path, arr):
    write_table(tmp_path, "accounts", ACCOUNTS)
    _pq(tmp_path / "requests.parquet", account_id=pa.array(["a", "b"]),
        ts=pa.array(["2024-01-01", "2024-01-01"]), count=arr)
    err = _raises(tmp_path)
    assert err.column == "count" and err.lines == [2] and "too large" in str(err)


def test_asn_uint64_parquet(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS)
    _pq(tmp_path / "ip_events.parquet", account_id=pa.array(["a"]), ip=pa.array(["1.2.3.4"]),
        seen_at=pa.array(["2024-01-01"]), asn=pa.array([2**64 - 1], pa.uint64()))
    err = _raises(tmp_path)
    assert err.column == "asn" and "too large" in str(err)


def test_sums_cannot_wrap_around(tmp_path):
    """Rows within their bound whose sum passes MAX_BATCH_SUM are reported at the row where
    the running sum crosses it — never a negative total."""
    write_table(tmp_path, "accounts", ACCOUNTS)
    n = contract.MAX_BATCH_SUM // contract.MAX_TOKENS + 2
    rows = "".join(f"a,2024-01-01,1,{contract.MAX_TOKENS}\n" for _ in range(n))
    write_table(tmp_path, "requests", "account_id,ts,count,input_tokens\n" + rows)
    err = _raises(tmp_path)
    crossing_row = contract.MAX_BATCH_SUM // contract.MAX_TOKENS + 1
    assert err.column == "input_tokens" and err.lines == [crossing_row + 1]  # + header
    assert "sum" in str(err)


def test_large_but_sane_counts_sum_exactly(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS)
    rows = "".join(f"a,2024-01-01,{contract.MAX_COUNT},{contract.MAX_TOKENS}\n" for _ in range(50))
    write_table(tmp_path, "requests", "account_id,ts,count,output_tokens\n" + rows)
    totals = read_dataset(tmp_path).requests.totals
    assert int(totals["exchanges"].iloc[0]) == 50 * contract.MAX_COUNT
    assert int(totals["output_tokens"].iloc[0]) == 50 * contract.MAX_TOKENS


# ---- nested and binary Parquet columns -------------------------------------------------------

@pytest.mark.parametrize("column,arr", [
    ("email", pa.array([None, ["x@y.z"]])),
    ("account_id", pa.array([["a"], ["b"]])),
    ("device_id", pa.array([None, {"k": 1}])),
    ("device_id", pa.array([None, [("k", "v")]], pa.map_(pa.string(), pa.string()))),
    ("created_at", pa.array([[1], [2]])),
])
def test_parquet_nested_columns(tmp_path, column, arr):
    cols = {"account_id": pa.array(["a", "b"]), "created_at": pa.array(["2024-01-01"] * 2)}
    cols[column] = arr
    _pq(tmp_path / "accounts.parquet", **cols)
    err = _raises(tmp_path)
    assert err.column == column and err.lines == ([2] if column in ("email", "device_id")
                                                  else [1, 2])
    assert "expected a" in str(err)


def test_parquet_binary_invalid_utf8_names_row(tmp_path):
    ids = pa.array([b"a", b"b", b"c\xff\xfe", b"d"], pa.binary())
    _pq(tmp_path / "accounts.parquet", account_id=ids, created_at=pa.array(["2024-01-01"] * 4))
    err = _raises(tmp_path)
    assert err.column == "account_id" and err.lines == [3] and "UTF-8" in str(err)


def test_parquet_binary_utf8_is_text(tmp_path):
    ids = pa.array(["é".encode(), b"b"], pa.binary())
    _pq(tmp_path / "accounts.parquet", account_id=ids, created_at=pa.array(["2024-01-01"] * 2))
    assert sorted(read_dataset(tmp_path).accounts["account_id"]) == ["b", "é"]


def test_csv_invalid_utf8_names_line(tmp_path):
    (tmp_path / "accounts.csv").write_bytes(
        b"account_id,created_at,email\na,2024-01-01,x\nb,2024-01-01,caf\xe9\n")
    err = _raises(tmp_path)
    assert err.column == "email" and err.lines == [3] and "UTF-8" in str(err)


# ---- files: gzip, symlinks, header only ------------------------------------------------------

@pytest.mark.parametrize("cut", [20, 40, -12])
def test_corrupt_gzip(tmp_path, cut):
    write_table(tmp_path, "accounts", ACCOUNTS)
    body = gzip.compress(b"account_id,ts\n" + b"a,2024-01-01\n" * 2000)
    (tmp_path / "requests.csv.gz").write_bytes(body[:cut] + b"\x00garbage" * 8 + body[cut + 64:])
    err = _raises(tmp_path)
    assert err.file == str(tmp_path / "requests.csv.gz")


@pytest.mark.parametrize("table", ["payments", "ip_events", "requests", "accounts"])
@pytest.mark.parametrize("kind", ["dangling", "looping"])
def test_broken_symlink_is_an_error_not_an_absent_table(tmp_path, table, kind):
    write_table(tmp_path, "accounts", ACCOUNTS) if table != "accounts" else None
    link = tmp_path / f"{table}.csv"
    os.symlink("/nonexistent/x.csv" if kind == "dangling" else link.name, link)
    err = _raises(tmp_path)
    assert err.file == str(link) and "broken symbolic link" in str(err)


def test_header_only_accounts_needs_accounts_in_the_store(tmp_path):
    write_table(tmp_path, "accounts", "account_id,created_at\n")
    write_table(tmp_path, "requests", "account_id,ts\nold,2024-01-01\n")
    assert "no accounts" in str(_raises(tmp_path))
    ds = read_dataset(tmp_path, known_accounts=pd.Series(["old"], dtype="string"))
    assert int(ds.requests.totals["exchanges"].sum()) == 1


# ---- text: length and unbalanced quotes ------------------------------------------------------

def test_megabyte_text_value_is_rejected(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS)
    write_table(tmp_path, "requests",
                "account_id,ts,capability\na,2024-01-01,coding\nb,2024-01-01," + "x" * 1_000_000 + "\n")
    err = _raises(tmp_path)
    assert err.column == "capability" and err.lines == [3] and "too long" in str(err)


def test_text_length_limits_per_column(tmp_path):
    ua = "u" * contract.MAX_LONG_TEXT
    write_table(tmp_path, "accounts", f"account_id,created_at,user_agent\na,2024-01-01,{ua}\n")
    read_dataset(tmp_path)  # at the limit: fine
    write_table(tmp_path, "accounts", f"account_id,created_at,user_agent\na,2024-01-01,{ua}u\n")
    assert _raises(tmp_path).column == "user_agent"
    write_table(tmp_path, "accounts", f"account_id,created_at\n{'a' * 257},2024-01-01\n")
    assert _raises(tmp_path).column == "account_id"


@pytest.mark.parametrize("text,column,line", [
    ('account_id,created_at\na,2024-01-01\n"b,2024-01-01\nc",2024-01-01\nd,2024-01-02\n',
     "account_id", 3),
    ('account_id,created_at,email\na,2024-01-01,"x\nb,2024-01-01,y"\nc,2024-01-02,z\n',
     "email", 2),
    ('account_id,created_at\na,"2024-01-01\nb",2024-01-01\n', None, None),
])
def test_unbalanced_quote_is_reported_not_merged(tmp_path, text, column, line):
    write_table(tmp_path, "accounts", text)
    err = _raises(tmp_path)
    if column:
        assert err.column == column and err.lines == [line] and "unbalanced quote" in str(err)


# ---- through the CLI: exit 2, nothing written -----------------------------------------------

def test_cli_bad_input_exit_2_nothing_written(tmp_path):
    data, out, ws = tmp_path / "data", tmp_path / "out", tmp_path / "ws"
    write_table(data, "accounts", ACCOUNTS + "c,now\n")
    before = snapshot(tmp_path)
    for args in (["validate", str(data)], ["run", str(data), "--out", str(out), "--workspace", str(ws)]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2 and res.exception is None or isinstance(res.exception, SystemExit)
        assert "accounts.csv" in res.output and "created_at" in res.output and "line(s) 4" in res.output
    assert snapshot(tmp_path) == before and not out.exists() and not ws.exists()


# ---- request text columns, cleaned once per distinct value ------------------------------

@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_too_long_request_value_in_a_later_chunk_names_its_own_row(tmp_path, form):
    """Request text is checked per distinct value; a bad value still names the row it is on,
    counted across chunks, as the per-row path does."""
    write_table(tmp_path, "accounts", ACCOUNTS)
    caps = ["coding"] * 60
    caps[47] = "x" * (contract.MAX_TEXT + 1)
    if form == "csv":
        write_table(tmp_path, "requests", "account_id,ts,capability\n"
                    + "".join(f"a,2024-01-01,{c}\n" for c in caps))
    else:
        _pq(tmp_path / "requests.parquet", account_id=pa.array(["a"] * 60),
            ts=pa.array(["2024-01-01"] * 60), capability=pa.array(caps))
    err = _raises(tmp_path, chunk_rows=10, chunk_bytes=400)
    assert err.column == "capability" and "too long" in str(err)
    assert err.lines == ([48] if form == "parquet" else [49])  # row 48 / line 49


def test_request_text_is_stripped_and_blank_is_missing_in_every_chunk(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS)
    rows = "".join(f"{'a' if i % 2 else ' b '},2024-01-01,{'  ' if i % 3 else ' coding '}\n"
                   for i in range(40))
    write_table(tmp_path, "requests", "account_id,ts,capability\n" + rows)
    whole = read_dataset(tmp_path).requests
    chunked = read_dataset(tmp_path, chunk_rows=7, chunk_bytes=200).requests
    for name in ("totals", "capabilities"):
        pd.testing.assert_frame_equal(getattr(whole, name), getattr(chunked, name))
    assert int(whole.totals["exchanges"].sum()) == 40
    caps = chunked.capabilities
    # " coding " on rows 0, 3, ..., 39 (14 rows): stripped; "  " is no capability at all
    assert set(caps["capability"]) == {"coding"} and int(caps["exchanges"].sum()) == 14
    assert set(caps["account_id"]) == {"a", "b"}
