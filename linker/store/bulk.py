"""The first load of an empty Neo4j database through the offline bulk importer
(`neo4j-admin database import full`): the normalised batch written as the importer's CSV files,
one file per node label and per relationship type (and per pair of end labels), with the
importer's typed headers (`address:ID(IP)`, `created_at:datetime`, `:START_ID(Account)`).

Why: the transactional load sends every row through Cypher (about 2,500 account rows/s at 1M
accounts); the importer writes the store files directly, two orders of magnitude faster. The
graph it builds is the one the transactional load builds (same labels, properties, types and
relationships: `dataset()` reads both back identically), so later batches go on
transactionally on top of it.

Everything here is columnar (pandas / pyarrow): no Python loop over rows.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from linker import kinds
from linker.model import Dataset, RequestAggregates
from linker.text import isin

IMPORT_DELIMITER = ","
ARRAY_DELIMITER = ";"


@dataclass
class ImportFiles:
    """Files for one import: (label or type, path) pairs in the order the importer takes them."""

    directory: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    multiline: bool = False
    # the rows the import stores, before the read-back's ordering and dtypes: what a read of
    # the freshly imported database returns, without reading it (Neo4jStore.dataset)
    stored: Dataset | None = None

    def admin_args(self, database: str) -> list[str]:
        """Arguments after `neo4j-admin` for this import (paths absolute)."""
        args = ["database", "import", "full", database, "--overwrite-destination=true",
                f"--delimiter={IMPORT_DELIMITER}", f"--array-delimiter={ARRAY_DELIMITER}",
                "--id-type=string", "--bad-tolerance=0", "--skip-bad-relationships=false",
                f"--multiline-fields={'true' if self.multiline else 'false'}",
                f"--report-file={self.directory / 'import.report'}"]
        args += [f"--nodes={label}={path.resolve()}" for label, path in self.nodes]
        args += [f"--relationships={rtype}={path.resolve()}"
                 for rtype, path in self.relationships]
        return args


def frame_types(df: pd.DataFrame) -> list[list[str]]:
    """Column names and dtypes of a frame, as JSON-able pairs (to rebuild it faithfully)."""
    out = []
    for col, dt in df.dtypes.items():
        if isinstance(dt, pd.StringDtype):
            name = f"string[{dt.storage}]"
        else:
            name = str(dt)
        out.append([str(col), name])
    return out


def row_keys(df: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of each whole row: identical rows (the embedded store's duplicates) get
    the same key, so MERGE on it de-duplicates."""
    if df.empty:
        return np.zeros(0, dtype="int64")
    text = pd.DataFrame({c: _as_text(df[c]) for c in df.columns}, index=df.index)
    h = pd.util.hash_pandas_object(text, index=False).to_numpy()
    return h.view("int64")


def _as_text(col: pd.Series) -> pd.Series:
    """A column hashing exactly as `col.astype(str)` (the keys stored in existing graphs), made
    in Arrow where that is exact: text as it is, integers, and UTC times in whole seconds
    (pandas' formatting of 4M timestamps took 18 s at 1M accounts); a missing value hashes
    the same as the NaN astype(str) leaves. Anything else goes through astype(str)."""
    dtype = col.dtype
    if isinstance(dtype, pd.StringDtype) and str(dtype.storage).startswith("pyarrow"):
        return col
    if pd.api.types.is_integer_dtype(dtype):
        return pd.Series(pd.array(pc.cast(pa.array(col.array), pa.string()),
                                  dtype="string[pyarrow]"), index=col.index)
    if isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC" and dtype.unit == "ns":
        ns = col.array.asi8
        present = ~col.isna().to_numpy()
        if not (ns[present] % 1_000_000_000).any():
            secs = pa.array(np.where(present, ns // 1_000_000_000, 0), pa.int64(),
                            mask=~present).cast(pa.timestamp("s", tz="UTC"))
            text = pc.strftime(secs, format="%Y-%m-%d %H:%M:%S+00:00")
            return pd.Series(pd.array(text, dtype="string[pyarrow]"), index=col.index)
    return col.astype(str)


# ---- columns ⇄ importer types --------------------------------------------------------------


def _neo_type(dtype: object) -> str:
    """The importer's type for a pandas dtype (what the driver makes of the same values)."""
    s = str(dtype)
    if s.startswith("datetime64"):
        return "datetime"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "long"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def _arrow(col: pd.Series, ntype: str) -> pa.Array:
    """One column as the text the importer parses (missing values stay null: no property)."""
    if ntype == "datetime":
        arr = pa.array(col.astype("datetime64[ns, UTC]"), type=pa.timestamp("ns", tz="UTC"))
        # "2024-01-02T03:04:05.000000000Z", as strftime("%Y-%m-%dT%H:%M:%SZ") writes it, from
        # the cast to text (4x faster: 22 s of strftime at 1M accounts)
        text = pc.cast(arr.cast(pa.timestamp("ns")), pa.string())
        return pc.binary_join_element_wise(
            pc.replace_substring(text, " ", "T", max_replacements=1), "Z", "")
    if ntype == "string":
        return _strs(col)
    if ntype == "boolean":
        return pa.array(col.astype("boolean"), type=pa.bool_())
    if ntype == "long":
        return pa.array(col.astype("Int64"), type=pa.int64())
    return pa.array(col.astype("Float64"), type=pa.float64())


class _Writer:
    """Writes the import files of one batch into a directory."""

    def __init__(self, directory: Path) -> None:
        self.files = ImportFiles(directory=directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._n = 0

    def _write(self, name: str, columns: dict[str, pa.Array]) -> Path:
        self._n += 1
        path = self.files.directory / f"{self._n:02d}-{name}.csv"
        table = pa.table(list(columns.values()), names=[f"c{i}" for i in range(len(columns))])
        for arr in table.columns:
            if (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)) \
                    and not self.files.multiline:
                hit = pc.any(pc.match_substring_regex(arr, r"[\r\n]")).as_py()
                self.files.multiline = bool(hit)
        with open(path, "wb") as fh:
            fh.write((",".join(columns) + "\n").encode("utf-8"))
            pcsv.write_csv(table, fh, pcsv.WriteOptions(include_header=False,
                                                        quoting_style="needed"))
        return path

    def nodes(self, label: str, columns: dict[str, pa.Array]) -> None:
        if len(next(iter(columns.values()))) == 0:
            return
        self.files.nodes.append((label, self._write(label, columns)))
        self.files.added[label] = self.files.added.get(label, 0) + len(
            next(iter(columns.values())))

    def rels(self, rtype: str, columns: dict[str, pa.Array], tag: str = "") -> None:
        if len(next(iter(columns.values()))) == 0:
            return
        self.files.relationships.append((rtype, self._write(f"{rtype}{tag}", columns)))
        self.files.added[rtype] = self.files.added.get(rtype, 0) + len(
            next(iter(columns.values())))


def _props(df: pd.DataFrame, skip: tuple[str, ...] = ()) -> dict[str, pa.Array]:
    """Typed property columns `name:type` for every column of df not in skip."""
    out: dict[str, pa.Array] = {}
    for col in df.columns:
        if col in skip:
            continue
        nt = _neo_type(df[col].dtype)
        out[f"{col}:{nt}"] = _arrow(df[col], nt)
    return out


def _strs(values: pd.Series | pd.Index | np.ndarray) -> pa.Array:
    """Text values as one Arrow array, null where missing. Arrow-backed strings are taken as
    they are: through Python objects, the 1M-account batch spent a minute here and in isin."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.StringDtype) and str(dtype.storage).startswith("pyarrow"):
        arr = pa.array(values.array)  # type: ignore[union-attr]
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    s = pd.Series(values)
    return pa.array(s.astype(object).where(s.notna(), None), type=pa.string())


def _const(value: object, n: int, typ: pa.DataType) -> pa.Array:
    return pa.array(np.full(n, value), type=typ) if n else pa.array([], type=typ)


def _list_col(ids: np.ndarray, starts: np.ndarray, values: np.ndarray) -> pa.Array:
    """Per-group lists (groups starting at `starts` in sorted rows) as `a;b;c` text."""
    offsets = np.r_[starts, len(values)].astype("int32")
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(values))
    return pc.binary_join(lists.cast(pa.list_(pa.string())), ARRAY_DELIMITER)


# ---- the batch as import files ------------------------------------------------------------


def write_import_files(ds: Dataset, directory: Path, *, committed: bool,
                       keys: dict[str, np.ndarray] | None = None) -> ImportFiles:
    """The whole batch `ds` (loaded into an empty database) as importer CSV files under
    `directory` (replaced). `committed=False` records its Batch nodes uncommitted (the
    managed cycle: committed once the run is recorded); True for files an administrator
    imports by hand. `keys` are the payment / IP-event row keys (computed if absent)."""
    from linker.ingest.normalize import ip_subnet

    if directory.exists():
        shutil.rmtree(directory)
    w = _Writer(directory)
    files = ds.info.files
    has = set(files)
    keys = keys or {}
    types: dict[str, list[list[str]]] = {}

    # Accounts (an id once loaded is never rewritten: the first row of an id wins).
    acc = ds.accounts.drop_duplicates("account_id").reset_index(drop=True) \
        if "accounts" in has else ds.accounts.iloc[0:0]
    if "accounts" in has:
        types["accounts"] = frame_types(ds.accounts)
    ids = acc["account_id"]
    known = pd.Index(ids.astype(object))
    known_ids = _strs(ids)
    acc_cols: dict[str, pa.Array] = {"account_id:ID(Account)": known_ids}
    acc_cols.update(_props(acc, skip=("account_id",)))

    req = ds.requests
    sha = files.get("requests", {}).get("sha256")
    # the request rows of known accounts (all empty without a requests file)
    req_totals, hourly = req.totals.iloc[0:0], req.hourly.iloc[0:0]
    ident_rows, caps = req.identifiers.iloc[0:0], req.capabilities.iloc[0:0]
    if "requests" in has:
        for name in ("totals", "hourly", "identifiers", "capabilities"):
            types[f"requests_{name}"] = frame_types(getattr(req, name))
        req_totals = req.totals[isin(req.totals["account_id"], known_ids)]
        tot = req_totals.set_index(req_totals["account_id"].astype(object)).reindex(known)
        present = tot["exchanges"].notna().to_numpy()
        for col, prop in (("exchanges", "req_exchanges"), ("input_tokens", "req_input_tokens"),
                          ("output_tokens", "req_output_tokens")):
            acc_cols[f"{prop}:long"] = _arrow(tot[col], "long")
        for col, prop in (("first_seen", "req_first_seen"), ("last_seen", "req_last_seen")):
            acc_cols[f"{prop}:datetime"] = _arrow(tot[col], "datetime")
        hourly = req.hourly[isin(req.hourly["account_id"], known_ids)]
        hourly = hourly.groupby(["account_id", "hour"], as_index=False, sort=True,
                                observed=True)["exchanges"].sum()
        if len(hourly):
            h_ids = hourly["account_id"].astype(object).to_numpy()
            starts = np.flatnonzero(np.r_[True, h_ids[1:] != h_ids[:-1]])
            secs = hourly["hour"].astype("datetime64[ns, UTC]").astype("int64").to_numpy() \
                // 1_000_000_000
            hours = _list_col(h_ids, starts, secs)
            exch = _list_col(h_ids, starts, hourly["exchanges"].astype("int64").to_numpy())
            pos = known.get_indexer(h_ids[starts])
            full_h = np.full(len(known), None, dtype=object)
            full_e = np.full(len(known), None, dtype=object)
            full_h[pos] = hours.to_numpy(zero_copy_only=False)
            full_e[pos] = exch.to_numpy(zero_copy_only=False)
            acc_cols["active_hours:long[]"] = pa.array(full_h, type=pa.string())
            acc_cols["active_hour_exchanges:long[]"] = pa.array(full_e, type=pa.string())
        ident_rows = req.identifiers[isin(req.identifiers["account_id"], known_ids)]
        caps = req.capabilities[isin(req.capabilities["account_id"], known_ids)]
        # the transactional load's crash-safety key: once per account with any request row
        active = pa.chunked_array([_strs(f["account_id"]).cast(pa.large_string())
                                   for f in (hourly, ident_rows, caps)], pa.large_string())
        flag = present | isin(ids, pc.unique(active.combine_chunks()))
        acc_cols["req_batches:string[]"] = pa.array(np.where(flag, sha, None), type=pa.string())
    w.nodes("Account", acc_cols)

    # Identifier nodes: every distinct value that any row points to.
    def col(df: pd.DataFrame, c: str) -> pd.Series:
        return df[c] if c in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")

    pays = ds.payments.reset_index(drop=True) if "payments" in has else ds.payments.iloc[0:0]
    evs = ds.ip_events.reset_index(drop=True) if "ip_events" in has else ds.ip_events.iloc[0:0]
    pays, pkeys = _dedupe(pays, keys.get("payments"), row_keys)
    evs, ekeys = _dedupe(evs, keys.get("ip_events"), row_keys)
    p_ok = isin(pays["account_id"], known_ids) & pays["card_fingerprint"].notna().to_numpy()
    pays, pkeys = pays[p_ok].reset_index(drop=True), pkeys[p_ok]
    e_ok = isin(evs["account_id"], known_ids) & evs["ip"].notna().to_numpy()
    evs, ekeys = evs[e_ok].reset_index(drop=True), ekeys[e_ok]
    ev_ip = col(evs, "ip_norm").fillna(evs["ip"])

    req_ip = ident_rows[ident_rows["kind"] == "ip"]["value"]
    req_ip_subnet = pd.DataFrame({"ip": req_ip.drop_duplicates()})
    req_ip_subnet["subnet"] = ip_subnet(req_ip_subnet["ip"], normalized=True) \
        if len(req_ip_subnet) else pd.Series(dtype="string")

    def distinct(*parts: pd.Series) -> pd.Series:
        s = pd.concat([p.astype("string") for p in parts], ignore_index=True)
        return s.dropna().drop_duplicates()

    simple = [("Email", "address", distinct(col(acc, "email_norm"))),
              ("Phone", "number", distinct(col(acc, "phone_e164"))),
              ("Device", "id", distinct(col(acc, "device_id"))),
              ("Org", "id", distinct(col(acc, "org_id"))),
              ("EmailDomain", "name", distinct(col(acc, "email_domain")[col(acc, "email_norm")
                                                                         .notna()])),
              ("IP", "address", distinct(col(acc, "signup_ip_norm"), ev_ip, req_ip)),
              ("Subnet", "cidr", distinct(col(acc, "signup_subnet")[
                  col(acc, "signup_ip_norm").notna()], col(evs, "subnet")[
                  col(evs, "ip_norm").notna()], req_ip_subnet["subnet"])),
              ("Card", "fingerprint", distinct(pays["card_fingerprint"])),
              ("CardBin", "bin", distinct(col(pays, "card_bin"))),
              ("PostalCode", "code", distinct(col(pays, "billing_postal_code"))),
              ("ApiKey", "id", distinct(ident_rows[ident_rows["kind"] == "api_key"]["value"])),
              ("PromptTemplate", "fingerprint",
               distinct(ident_rows[ident_rows["kind"] == "prompt"]["value"])),
              ("Capability", "name", distinct(caps["capability"]))]
    for label, prop, values in simple:
        w.nodes(label, {f"{prop}:ID({label})": _strs(values)})
    if "subnet" in evs.columns and "asn" in evs.columns:
        asn = evs[["subnet", "asn", "asn_org"]].dropna(subset=["subnet", "asn"])
        asn = asn.drop_duplicates(["subnet", "asn"])
        first_org = asn.groupby("asn", sort=False)["asn_org"].first()
        w.nodes("ASN", {":ID(ASN)": _strs(first_org.index.astype("string")),
                        "number:long": pa.array(first_org.index.astype("Int64"), pa.int64()),
                        "org:string": _strs(first_org.to_numpy())})
        w.rels("IN", {":START_ID(Subnet)": _strs(asn["subnet"]),
                      ":END_ID(ASN)": _strs(asn["asn"].astype("string"))}, "-subnet-asn")

    # Sign-up identifiers of each account (one relationship each, created_at as first/last).
    created = _arrow(acc["created_at"], "datetime") if "created_at" in acc.columns else None
    for rtype, c, label in (("HAS_EMAIL", "email_norm", "Email"),
                            ("HAS_PHONE", "phone_e164", "Phone"),
                            ("SIGNED_UP_FROM", "signup_ip_norm", "IP"),
                            ("USES_DEVICE", "device_id", "Device"),
                            ("BELONGS_TO", "org_id", "Org")):
        v = col(acc, c)
        m = v.notna().to_numpy()
        cols = {":START_ID(Account)": _strs(ids[m]), f":END_ID({label})": _strs(v[m])}
        if created is not None:
            cols["first_seen:datetime"] = created.filter(pa.array(m))
            cols["last_seen:datetime"] = created.filter(pa.array(m))
        cols["count:long"] = _const(1, int(m.sum()), pa.int64())
        w.rels(rtype, cols, f"-{label.lower()}")

    def pairs(a: pd.Series, b: pd.Series) -> pd.DataFrame:
        return pd.DataFrame({"a": a.astype("string").to_numpy(),
                             "b": b.astype("string").to_numpy()}).dropna().drop_duplicates()

    dom = pairs(col(acc, "email_norm"), col(acc, "email_domain"))
    w.rels("IN", {":START_ID(Email)": _strs(dom["a"]), ":END_ID(EmailDomain)": _strs(dom["b"])},
           "-email-domain")
    ipnet = pd.concat([pairs(col(acc, "signup_ip_norm"), col(acc, "signup_subnet")),
                       pairs(col(evs, "ip_norm"), col(evs, "subnet")),
                       pairs(req_ip_subnet["ip"], req_ip_subnet["subnet"])]).drop_duplicates()
    w.rels("IN", {":START_ID(IP)": _strs(ipnet["a"]), ":END_ID(Subnet)": _strs(ipnet["b"])},
           "-ip-subnet")
    cb = pairs(pays["card_fingerprint"], col(pays, "card_bin"))
    w.rels("IN", {":START_ID(Card)": _strs(cb["a"]), ":END_ID(CardBin)": _strs(cb["b"])},
           "-card-bin")
    cz = pairs(pays["card_fingerprint"], col(pays, "billing_postal_code"))
    w.rels("BILLED_TO", {":START_ID(Card)": _strs(cz["a"]),
                         ":END_ID(PostalCode)": _strs(cz["b"])})

    # Row-carrying relationships: payments, then IP events (seq numbers in that order).
    if "payments" in has:
        types["payments"] = frame_types(ds.payments)
    if "ip_events" in has:
        types["ip_events"] = frame_types(ds.ip_events)
    seq0 = 0
    for rtype, df, rkeys, end, label in (
            ("PAID_WITH", pays, pkeys, pays["card_fingerprint"], "Card"),
            ("SEEN_ON", evs, ekeys, ev_ip, "IP")):
        n = len(df)
        cols = {":START_ID(Account)": _strs(df["account_id"]), f":END_ID({label})": _strs(end)}
        cols.update(_props(df, skip=("account_id",)))
        cols["row_key:long"] = pa.array(np.asarray(rkeys, dtype="int64"), pa.int64())
        cols["seq:long"] = pa.array(np.arange(seq0, seq0 + n, dtype="int64"), pa.int64())
        seq0 += n
        # no first_seen / last_seen / count copies: the row's own time says it (readers
        # coalesce), and 3 of SEEN_ON's 13 properties cost 15 % of the importer's time
        w.rels(rtype, cols)

    # Request aggregates on the account's relationships (keyed on the account, above).
    for kind, (rtype, label) in {"api_key": ("USES_KEY", "ApiKey"),
                                 "ip": ("CONNECTED_FROM", "IP"),
                                 "prompt": ("USED_PROMPT", "PromptTemplate")}.items():
        if kind not in kinds.request_columns():
            continue
        part = ident_rows[ident_rows["kind"] == kind]
        w.rels(rtype, {":START_ID(Account)": _strs(part["account_id"]),
                       f":END_ID({label})": _strs(part["value"]),
                       "exchanges:long": _arrow(part["exchanges"], "long"),
                       "first_seen:datetime": _arrow(part["first_seen"], "datetime"),
                       "last_seen:datetime": _arrow(part["last_seen"], "datetime"),
                       "count:long": _arrow(part["exchanges"], "long")})
    w.rels("REQUESTED", {":START_ID(Account)": _strs(caps["account_id"]),
                         ":END_ID(Capability)": _strs(caps["capability"]),
                         "exchanges:long": _arrow(caps["exchanges"], "long"),
                         "count:long": _arrow(caps["exchanges"], "long")})

    # Bookkeeping: the batches (uncommitted for the managed cycle) and the frame types.
    shas = [m["sha256"] for m in files.values()]
    now = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    w.nodes("Batch", {
        "sha256:ID(Batch)": pa.array(shas, pa.string()),
        "table:string": pa.array(list(files), pa.string()),
        "path:string": pa.array([str(m.get("path", "")) for m in files.values()], pa.string()),
        "rows:long": pa.array([int(m.get("rows", 0)) for m in files.values()], pa.int64()),
        "loaded_at:datetime": pa.array([now] * len(shas), pa.string()),
        "committed:boolean": pa.array([committed] * len(shas), pa.bool_()),
    })
    w.nodes("LinkerMeta", {"key:ID(LinkerMeta)": pa.array(["frame_types"], pa.string()),
                           "value:string": pa.array([json.dumps(types)], pa.string())})
    if seq0:
        w.nodes("LinkerMeta", {"key:ID(LinkerMeta)": pa.array(["seq"], pa.string()),
                               "value:long": pa.array([seq0], pa.int64())})
    w.files.added = {"accounts": len(acc), "payments": len(pays), "ip_events": len(evs),
                     **w.files.added}
    # what reading back returns: totals of accounts that have them, the request kinds the
    # graph has relationships for, the hourly rows summed per hour (as the lists are)
    w.files.stored = Dataset(
        accounts=acc, payments=pays, ip_events=evs,
        requests=RequestAggregates(
            totals=req_totals[req_totals["exchanges"].notna().to_numpy()],
            hourly=hourly,
            identifiers=ident_rows[ident_rows["kind"].isin(list(kinds.request_columns()))
                                   .to_numpy(dtype=bool, na_value=False)],
            capabilities=caps),
        info=ds.info)
    return w.files


def _dedupe(df: pd.DataFrame, keys: np.ndarray | None, compute) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows of df with their row keys, repeated rows dropped (first kept), index kept."""
    if keys is None:
        keys = compute(df)
    if len(df) == 0:
        return df, np.zeros(0, dtype="int64")
    keep = ~pd.Series(keys).duplicated().to_numpy()
    return df[keep].reset_index(drop=True), keys[keep]
