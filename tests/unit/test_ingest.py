"""Reading and validating the contract tables (linker.ingest.read)."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ACCOUNTS_CSV, REQUESTS_CSV, small_tables, write_dataset, write_table

from linker import contract
from linker.errors import InputError
from linker.ingest.read import (
    aggregate_requests,
    merge_aggregates,
    read_allowlist,
    read_dataset,
    read_indicators,
)
from linker.model import RequestAggregates, empty_dataset, empty_frame

HEADER = "account_id,created_at\n"


def _accounts_only(tmp_path: Path, text: str, form: str = "csv") -> Path:
    write_table(tmp_path, "accounts", text, form)
    return tmp_path


def _raises(data_dir: Path, **kw) -> InputError:
    with pytest.raises(InputError) as exc:
        read_dataset(data_dir, **kw)
    return exc.value


# ---- reading ---------------------------------------------------------------------------


def test_ids_codes_and_postal_codes_keep_leading_zeros(small_dataset_dir):
    ds = read_dataset(small_dataset_dir())
    assert ds.accounts["account_id"].tolist() == ["007", "008", "0100"]  # sorted as strings
    assert set(ds.payments["card_bin"]) == {"041234"}
    assert set(ds.payments["billing_postal_code"]) == {"02139"}
    assert ds.ip_events["asn"].tolist()[0] == 64500  # integer column: leading zeros are noise


def test_empty_cells_are_na_and_whitespace_is_stripped(small_dataset_dir):
    ds = read_dataset(small_dataset_dir())
    acc = ds.accounts.set_index("account_id")
    assert acc.loc["008", "email"] == "bob@example.com"
    assert acc.loc["0100", "email"] is pd.NA
    assert acc.loc["007", "org_id"] is pd.NA
    assert acc.loc["0100", "country"] == "NA"  # Namibia, not a missing value
    for frame in (ds.accounts, ds.payments, ds.ip_events):
        for col in frame.columns:
            if frame[col].dtype == "string":
                assert not (frame[col] == "").any(), col


def test_timestamps_are_utc_with_or_without_zone(small_dataset_dir):
    ds = read_dataset(small_dataset_dir())
    created = ds.accounts.set_index("account_id")["created_at"]
    assert str(created.dtype) == "datetime64[ns, UTC]"
    assert created["007"] == pd.Timestamp("2024-03-01T10:00:00Z")
    assert created["008"] == pd.Timestamp("2024-03-01T08:05:00Z")  # +02:00 converted
    assert created["0100"] == pd.Timestamp("2024-03-02T09:00:00Z")  # no zone = UTC


def test_column_types_follow_the_contract(small_dataset_dir):
    ds = read_dataset(small_dataset_dir())
    for name, frame in (("accounts", ds.accounts), ("payments", ds.payments),
                        ("ip_events", ds.ip_events)):
        spec = contract.TABLES[name]
        assert list(frame.columns) == spec.column_names
        for col in spec.columns:
            expected = {"string": "string", "timestamp": "datetime64[ns, UTC]",
                        "integer": "Int64"}[col.type]
            assert str(frame[col.name].dtype) == expected, (name, col.name)


def test_absent_optional_tables_are_empty_frames_with_contract_columns(tmp_path):
    ds = read_dataset(_accounts_only(tmp_path, ACCOUNTS_CSV))
    for name in ("payments", "ip_events"):
        frame = getattr(ds, name)
        assert len(frame) == 0
        pd.testing.assert_frame_equal(frame, empty_frame(name))
    assert len(ds.requests.totals) == 0
    assert set(ds.info.files) == {"accounts"}
    empty = empty_dataset()
    for name in ("totals", "hourly", "identifiers", "capabilities"):
        assert getattr(ds.requests, name).dtypes.equals(getattr(empty.requests, name).dtypes)


def test_column_order_is_free_and_extra_columns_are_reported(tmp_path):
    text = "note,created_at,whatever,account_id\nhi,2024-01-01,x,a1\n,2024-01-02,y,a2\n"
    ds = read_dataset(_accounts_only(tmp_path, text))
    assert ds.accounts["account_id"].tolist() == ["a1", "a2"]
    assert ds.info.extra_columns == {"accounts": ["note", "whatever"]}
    assert "note" not in ds.accounts.columns
    assert ds.accounts["email"].isna().all()  # absent optional column: all <NA>


def test_rows_of_unknown_accounts_are_counted_and_dropped(small_dataset_dir):
    ds = read_dataset(small_dataset_dir())
    assert ds.info.unknown_accounts == {"payments": 1, "ip_events": 0, "requests": 1}
    assert ds.info.rows == {"accounts": 3, "payments": 3, "ip_events": 2, "requests": 4}
    assert "999" not in set(ds.payments["account_id"])
    assert "nobody" not in set(ds.requests.totals["account_id"])


def test_known_accounts_of_a_store_keep_their_rows(small_dataset_dir):
    ds = read_dataset(small_dataset_dir(), known_accounts=pd.Series(["999", "nobody", "007"]))
    assert ds.info.unknown_accounts == {"payments": 0, "ip_events": 0, "requests": 0}
    assert "999" in set(ds.payments["account_id"])
    totals = ds.requests.totals.set_index("account_id")["exchanges"]
    assert totals.to_dict() == {"007": 6, "008": 2, "nobody": 3}
    assert len(ds.accounts) == 3  # known ids are not accounts of this batch


def test_info_has_file_hashes_and_rows(small_dataset_dir):
    data = small_dataset_dir()
    ds = read_dataset(data)
    f = ds.info.files["accounts"]
    assert f["path"] == str(data / "accounts.csv")
    assert f["sha256"] == hashlib.sha256((data / "accounts.csv").read_bytes()).hexdigest()
    assert f["rows"] == 3
    assert ds.info.to_dict()["files"]["requests"]["rows"] == 4


@pytest.mark.parametrize("form", ["csv.gz", "parquet"])
def test_csv_gzip_and_parquet_give_the_same_dataset(small_dataset_dir, form):
    a, b = read_dataset(small_dataset_dir("csv")), read_dataset(small_dataset_dir(form))
    for name in ("accounts", "payments", "ip_events"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    for name in ("totals", "hourly", "identifiers", "capabilities"):
        pd.testing.assert_frame_equal(getattr(a.requests, name), getattr(b.requests, name))
    assert a.info.rows == b.info.rows and a.info.unknown_accounts == b.info.unknown_accounts


def test_typed_parquet_columns_are_converted(tmp_path):
    frame = pd.DataFrame({
        "account_id": pd.array([7, 8], dtype="int64"),  # a producer that typed ids as ints
        "created_at": pd.to_datetime(["2024-01-01 00:00", "2024-01-02 12:00"]),  # naive
    })
    frame.to_parquet(tmp_path / "accounts.parquet")
    req = pd.DataFrame({"account_id": ["7", "8"],
                        "ts": pd.to_datetime(["2024-01-01T05:00Z", "2024-01-01T06:00Z"]),
                        "count": pd.array([3, None], dtype="Int32"),
                        "input_tokens": [1.0, 2.0]})
    req.to_parquet(tmp_path / "requests.parquet")
    ds = read_dataset(tmp_path)
    assert ds.accounts["account_id"].tolist() == ["7", "8"]
    assert ds.accounts["created_at"].iloc[1] == pd.Timestamp("2024-01-02T12:00Z")
    totals = ds.requests.totals.set_index("account_id")
    assert totals["exchanges"].to_dict() == {"7": 3, "8": 1}
    assert totals["input_tokens"].to_dict() == {"7": 1, "8": 2}


# ---- requests aggregation ------------------------------------------------------------


def _random_requests(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ts = pd.Timestamp("2024-05-01T00:00Z") + pd.to_timedelta(rng.integers(0, 3 * 86400, n), "s")
    ips = np.array(["10.0.0.1", "::ffff:10.0.0.1", "2001:DB8::1", "10.0.0.2", "bogus", ""])

    def maybe(values, p=0.2):
        return np.where(rng.random(n) < p, "", values)

    return pd.DataFrame({
        "account_id": rng.choice(["a1", "a2", "a3", "a4", "zz-unknown"], n),
        "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "count": maybe(rng.integers(1, 9, n).astype(str)),
        "api_key_id": maybe(rng.choice(["k1", "k2", "k3"], n)),
        "ip": rng.choice(ips, n),
        "prompt_fingerprint": maybe(rng.choice(["p1", "p2"], n)),
        "capability": maybe(rng.choice(["coding", "chat", "agentic_reasoning"], n)),
        "input_tokens": maybe(rng.integers(0, 500, n).astype(str)),
        "output_tokens": maybe(rng.integers(0, 500, n).astype(str)),
    })


def _expected_aggregates(raw: pd.DataFrame, known: set[str]) -> dict[str, pd.DataFrame]:
    """The aggregates by a straightforward one-shot pandas groupby over the whole table."""
    df = raw[raw["account_id"].isin(known)].copy()
    df["ts"] = pd.to_datetime(df["ts"], utc=True)
    df["n"] = pd.to_numeric(df["count"].replace("", np.nan)).fillna(1).astype("int64")
    for c in ("input_tokens", "output_tokens"):
        df[c] = pd.to_numeric(df[c].replace("", np.nan)).fillna(0).astype("int64")
    canon = {"10.0.0.1": "10.0.0.1", "::ffff:10.0.0.1": "10.0.0.1", "2001:DB8::1": "2001:db8::1",
             "10.0.0.2": "10.0.0.2"}
    totals = df.groupby("account_id").agg(
        exchanges=("n", "sum"), first_seen=("ts", "min"), last_seen=("ts", "max"),
        input_tokens=("input_tokens", "sum"), output_tokens=("output_tokens", "sum"))
    hourly = df.groupby(["account_id", df["ts"].dt.floor("h").rename("hour")])["n"].sum()
    parts = []
    for kind, col in (("api_key", "api_key_id"), ("ip", "ip"), ("prompt", "prompt_fingerprint")):
        sub = df.assign(value=df[col].map(canon) if kind == "ip" else df[col].replace("", np.nan))
        sub = sub.dropna(subset=["value"])
        g = sub.groupby(["account_id", "value"]).agg(
            first_seen=("ts", "min"), last_seen=("ts", "max"), exchanges=("n", "sum"))
        parts.append(g.reset_index().assign(kind=kind))
    ident = pd.concat(parts).sort_values(["account_id", "kind", "value"])
    caps = (df[df["capability"] != ""].groupby(["account_id", "capability"])["n"].sum())
    return {"totals": totals.reset_index(), "hourly": hourly.rename("exchanges").reset_index(),
            "identifiers": ident[["account_id", "kind", "value", "first_seen", "last_seen",
                                  "exchanges"]],
            "capabilities": caps.rename("exchanges").reset_index()}


def _assert_aggregates_equal(got: RequestAggregates, expected: dict[str, pd.DataFrame]) -> None:
    for name, exp in expected.items():
        frame = getattr(got, name)
        assert list(frame.columns) == list(exp.columns), name
        pd.testing.assert_frame_equal(frame.reset_index(drop=True),
                                      exp.reset_index(drop=True), check_dtype=False,
                                      check_index_type=False, obj=name)


@pytest.mark.parametrize("form", ["csv", "csv.gz", "parquet"])
def test_chunked_requests_aggregation_equals_one_shot_groupby(tmp_path, form, monkeypatch):
    import linker.ingest.read as ingest

    chunks = []
    real = ingest._partial
    monkeypatch.setattr(ingest, "_partial",
                        lambda frame, *a: chunks.append(len(frame)) or real(frame, *a))
    raw = _random_requests(400, seed=1)
    accounts = "account_id,created_at\n" + "".join(f"a{i},2024-01-01\n" for i in range(1, 5))
    write_dataset(tmp_path, {"accounts": accounts, "requests": raw}, form)
    # ~55 bytes per CSV row: 1.2 kB blocks / 20-row batches force ~20 chunks.
    ds = read_dataset(tmp_path, chunk_bytes=1200, chunk_rows=20)
    expected = _expected_aggregates(raw, {"a1", "a2", "a3", "a4"})
    _assert_aggregates_equal(ds.requests, expected)
    assert ds.info.unknown_accounts["requests"] == int((raw["account_id"] == "zz-unknown").sum())
    assert ds.info.rows["requests"] == 400
    assert len(chunks) >= 15 and max(chunks) <= 25  # chunks hold known-account rows only


def test_chunk_partials_are_merged_when_they_outgrow_the_merged_part(tmp_path, monkeypatch):
    import linker.ingest.read as ingest

    monkeypatch.setattr(ingest, "_COMPACT_ROWS", 10)  # force many intermediate merges
    raw = _random_requests(200, seed=2)
    accounts = "account_id,created_at\n" + "".join(f"a{i},2024-01-01\n" for i in range(1, 5))
    write_dataset(tmp_path, {"accounts": accounts, "requests": raw})
    ds = read_dataset(tmp_path, chunk_bytes=1000)
    _assert_aggregates_equal(ds.requests, _expected_aggregates(raw, {"a1", "a2", "a3", "a4"}))


def test_merge_aggregates_of_halves_equals_the_whole(tmp_path):
    raw = _random_requests(300, seed=3)
    accounts = "account_id,created_at\n" + "".join(f"a{i},2024-01-01\n" for i in range(1, 5))
    whole = read_dataset(write_dataset(tmp_path / "w", {"accounts": accounts, "requests": raw}))
    halves = [read_dataset(write_dataset(tmp_path / f"h{i}", {"accounts": accounts,
                                                              "requests": part}))
              for i, part in enumerate((raw.iloc[:120], raw.iloc[120:]))]
    merged = merge_aggregates([h.requests for h in halves])
    for name in ("totals", "hourly", "identifiers", "capabilities"):
        pd.testing.assert_frame_equal(getattr(merged, name), getattr(whole.requests, name))
    assert len(merge_aggregates([]).totals) == 0


def test_aggregate_requests_on_a_typed_frame():
    frame = empty_frame("requests")
    frame = pd.concat([frame, pd.DataFrame({
        "account_id": pd.array(["a", "a", "b"], dtype="string"),
        "ts": pd.to_datetime(["2024-01-01T00:10Z", "2024-01-01T01:20Z", "2024-01-01T00:00Z"]),
        "count": pd.array([None, 4, 2], dtype="Int64"),
    })], ignore_index=True)
    agg = aggregate_requests(frame)
    assert agg.totals.set_index("account_id")["exchanges"].to_dict() == {"a": 5, "b": 2}
    assert agg.hourly["exchanges"].tolist() == [1, 4, 2]
    assert len(agg.identifiers) == 0 and len(agg.capabilities) == 0


# ---- validation errors -----------------------------------------------------------------


def test_missing_data_dir_and_missing_accounts_table(tmp_path):
    err = _raises(tmp_path / "nope")
    assert "nope" in str(err) and "not found" in str(err)
    write_table(tmp_path, "payments", "account_id,card_fingerprint\n1,f\n")
    err = _raises(tmp_path)
    assert "missing required table 'accounts'" in str(err)
    assert err.file == str(tmp_path)


def test_two_forms_of_one_table_are_ambiguous(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS_CSV, "csv")
    write_table(tmp_path, "accounts", ACCOUNTS_CSV, "csv.gz")
    err = _raises(tmp_path)
    assert "accounts.csv" in str(err) and "accounts.csv.gz" in str(err)


@pytest.mark.parametrize("name", ["accounts.csv", "accounts.csv.gz", "accounts.parquet"])
def test_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    err = _raises(tmp_path)
    assert err.file == str(tmp_path / name) and "empty file" in str(err)


@pytest.mark.parametrize("name,content", [
    ("accounts.parquet", b"account_id,created_at\n1,2024-01-01\n"),  # CSV named .parquet
    ("accounts.csv.gz", b"account_id,created_at\n1,2024-01-01\n"),   # not gzip
    ("accounts.csv", b"\xff\xfe\x00\x01garbage\x00\x9c"),            # not UTF-8 text
    ("accounts.csv.gz", gzip.compress(b"account_id,created_at\n1,2024-01-01\n")[:-12]),
])
def test_unreadable_file(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    err = _raises(tmp_path)
    assert err.file == str(tmp_path / name)
    assert "not a readable" in str(err) or "cannot read" in str(err)


def test_bom_crlf_and_quoted_fields(tmp_path):
    text = ('\ufeffaccount_id,created_at,user_agent\r\n'
            '"a1",2024-01-01T00:00:00Z,"Mozilla/5.0 (X11; Linux), ""quoted"""\r\n'
            'a2,2024-01-02,\r\n')
    (tmp_path / "accounts.csv").write_bytes(text.encode())
    ds = read_dataset(tmp_path)
    assert ds.accounts["account_id"].tolist() == ["a1", "a2"]
    assert ds.accounts["user_agent"].iloc[0] == 'Mozilla/5.0 (X11; Linux), "quoted"'
    assert ds.accounts["user_agent"].iloc[1] is pd.NA


def test_requests_with_no_rows_or_only_unknown_accounts(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS_CSV)
    write_table(tmp_path, "requests", "account_id,ts\n")
    ds = read_dataset(tmp_path)
    assert len(ds.requests.totals) == 0 and ds.info.rows["requests"] == 0
    write_table(tmp_path, "requests", "account_id,ts\nx,2024-01-01\ny,2024-01-01\n")
    ds = read_dataset(tmp_path)
    assert len(ds.requests.identifiers) == 0 and ds.info.unknown_accounts["requests"] == 2


def test_header_only_accounts_is_rejected_unless_the_store_has_accounts(tmp_path):
    data = _accounts_only(tmp_path, HEADER)
    err = _raises(data)
    assert err.column == "account_id" and "no accounts" in str(err)
    # An incremental batch with no new accounts is fine when the store holds some.
    ds = read_dataset(data, known_accounts=pd.Series(["a"], dtype="string"))
    assert len(ds.accounts) == 0


def test_missing_required_column(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS_CSV)
    write_table(tmp_path, "ip_events", "account_id,seen_at\n007,2024-01-01\n")
    err = _raises(tmp_path)
    assert err.file == str(tmp_path / "ip_events.csv") and err.column == "ip"
    assert "missing required column" in str(err) and "column 'ip'" in str(err)


def test_unparseable_timestamp_names_lines(tmp_path):
    text = HEADER + "a,2024-01-01\nb,yesterday\nc,2024-01-03T00:00:00Z\nd,2024-13-45\n"
    err = _raises(_accounts_only(tmp_path, text))
    assert err.column == "created_at" and err.lines == [3, 5]
    assert "line(s) 3, 5" in str(err) and "accounts.csv" in str(err)
    assert "'yesterday'" in str(err)


def test_required_value_empty(tmp_path):
    err = _raises(_accounts_only(tmp_path, HEADER + "a,2024-01-01\n,2024-01-02\n  ,2024-01-02\n"))
    assert err.column == "account_id" and err.lines == [3, 4]
    assert "required value is empty" in str(err)


@pytest.mark.parametrize("value,fragment", [("12x", "not an integer"), ("1.5", "not an integer"),
                                            ("-3", "negative")])
def test_bad_integer(tmp_path, value, fragment):
    write_table(tmp_path, "accounts", ACCOUNTS_CSV)
    write_table(tmp_path, "ip_events",
                f"account_id,ip,seen_at,asn\n007,1.2.3.4,2024-01-01,64500\n007,1.2.3.4,2024-01-01,{value}\n")
    err = _raises(tmp_path)
    assert err.file == str(tmp_path / "ip_events.csv") and err.column == "asn"
    assert err.lines == [3] and fragment in str(err)


def test_integral_float_text_is_an_integer(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS_CSV)
    write_table(tmp_path, "ip_events", "account_id,ip,seen_at,asn\n007,1.2.3.4,2024-01-01,64500.0\n")
    assert read_dataset(tmp_path).ip_events["asn"].tolist() == [64500]


def test_duplicate_account_ids_give_the_lines_of_all_duplicates(tmp_path):
    text = HEADER + "a,2024-01-01\nb,2024-01-01\na,2024-01-02\nc,2024-01-01\n b ,2024-01-01\n"
    err = _raises(_accounts_only(tmp_path, text))
    assert err.column == "account_id" and err.lines == [2, 3, 4, 6]
    assert "duplicate account_id" in str(err)


def test_ragged_csv_row(tmp_path):
    err = _raises(_accounts_only(tmp_path, HEADER + "a,2024-01-01\nb,2024-01-01,extra\n"))
    assert err.lines == [3] and "expected 2 fields" in str(err)


def test_ragged_row_in_a_late_chunk(tmp_path):
    rows = [f"a{i},2024-01-01" for i in range(300)]
    rows[250] += ",surplus"
    err = _raises(_accounts_only(tmp_path, HEADER + "\n".join(rows) + "\n"))
    assert err.lines == [252]  # accounts are read in one go: check the streaming path too
    write_table(tmp_path, "accounts", HEADER + "a1,2024-01-01\n")
    write_table(tmp_path, "requests", "account_id,ts\n" + "\n".join(rows) + "\n")
    assert _raises(tmp_path, chunk_bytes=256).lines == [252]


def test_parquet_errors_say_row(tmp_path):
    write_table(tmp_path, "accounts", HEADER + "a,2024-01-01\nb,not-a-date\n", "parquet")
    err = _raises(tmp_path)
    assert err.lines == [2] and "row(s) 2" in str(err) and "line(s)" not in str(err)


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_error_in_a_late_chunk_reports_the_line_in_the_file(tmp_path, form):
    rows = [f"a1,2024-01-01T00:{i % 60:02d}:00Z,1" for i in range(200)]
    rows[150] = "a1,2024-01-01T25:99:00Z,1"
    write_table(tmp_path, "accounts", "account_id,created_at\na1,2024-01-01\n")
    write_table(tmp_path, "requests", "account_id,ts,count\n" + "\n".join(rows) + "\n", form)
    err = _raises(tmp_path, chunk_bytes=200, chunk_rows=9)
    assert err.column == "ts"
    assert err.lines == ([152] if form == "csv" else [151])


def test_validation_errors_in_requests_stop_before_aggregating(tmp_path):
    write_table(tmp_path, "accounts", ACCOUNTS_CSV)
    write_table(tmp_path, "requests", REQUESTS_CSV + "007,2024-03-01T10:10:00Z,many,,,,,,\n")
    err = _raises(tmp_path)
    assert err.column == "count" and err.lines == [6]


# ---- side inputs -----------------------------------------------------------------------


def test_read_indicators_normalises_values(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        "operator,kind,value,confidence,source\n"
        "op1,IP,::ffff:203.0.113.7,0.9,intel\n"
        "op1,cidr,203.0.113.7/24,,\n"
        "op1,asn,AS064500,1,\n"
        "op1,email_domain,@Rare-Mail.IO,0,\n"
        "op2,card_bin,041234,0.5,\n")
    ind = read_indicators(path)
    assert ind["kind"].tolist() == ["ip", "cidr", "asn", "email_domain", "card_bin"]
    assert ind["value"].tolist() == ["203.0.113.7", "203.0.113.0/24", "64500", "rare-mail.io",
                                     "041234"]
    assert ind["confidence"].tolist() == [0.9, 1.0, 1.0, 0.0, 0.5]
    assert list(ind.columns) == contract.INDICATORS.column_names


@pytest.mark.parametrize("row,column,fragment", [
    ("op,url,http://x,,", "kind", "unknown kind"),
    ("op,ip,999.1.1.1,,", "value", "invalid ip"),
    ("op,cidr,10.0.0.0/33,,", "value", "invalid cidr"),
    ("op,asn,cloud,,", "value", "invalid asn"),
    ("op,ip,1.2.3.4,1.5,", "confidence", "between 0 and 1"),
    ("op,ip,1.2.3.4,high,", "confidence", "not a number"),
    (",ip,1.2.3.4,,", "operator", "required value is empty"),
])
def test_bad_indicators(tmp_path, row, column, fragment):
    path = tmp_path / "indicators.csv"
    path.write_text("operator,kind,value,confidence,source\nop,ip,1.2.3.4,,\n" + row + "\n")
    with pytest.raises(InputError) as exc:
        read_indicators(path)
    assert exc.value.file == str(path) and exc.value.column == column
    assert exc.value.lines == [3] and fragment in str(exc.value)


def test_read_allowlist(tmp_path):
    path = tmp_path / "allowlist.csv"
    path.write_text("kind,value,note\nip,::FFFF:10.0.0.1,office NAT\naccount_id,007,\n"
                    "org_id,org1,partner\ncidr,2001:db8::/32,\n")
    allow = read_allowlist(path)
    assert allow["value"].tolist() == ["10.0.0.1", "007", "org1", "2001:db8::/32"]
    assert allow["note"].iloc[1] is pd.NA
    path.write_text("kind,value,note\nprompt_fingerprint,p1,\n")  # an indicator kind, not allowed
    with pytest.raises(InputError, match="unknown kind"):
        read_allowlist(path)
    with pytest.raises(InputError, match="not found"):
        read_allowlist(tmp_path / "missing.csv")


def test_small_tables_fixture_is_complete():
    assert set(small_tables()) == set(contract.TABLES)


def test_read_ahead_keeps_order_raises_in_place_and_stops_with_its_consumer():
    """The next chunk is read in a thread: items come in order, an error comes after the items
    before it, and a consumer that stops early leaves no thread behind (nor a deadlock)."""
    import threading

    from linker.ingest.read import _prefetched

    def items():
        yield from range(5)
        raise ValueError("bad row at 6")

    got = []
    with pytest.raises(ValueError, match="bad row at 6"):
        for x in _prefetched(items()):
            got.append(x)
    assert got == [0, 1, 2, 3, 4]

    closed = threading.Event()

    def endless():
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    gen = _prefetched(endless())
    assert [next(gen) for _ in range(3)] == [0, 1, 2]
    gen.close()
    assert closed.wait(5)
    assert not [t for t in threading.enumerate() if t.name == "linker-read-ahead"]
