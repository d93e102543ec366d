"""The Neo4j store: the graph of record (see shared/design/architecture.md, "Graph model").

Accounts, their identifiers (Email, EmailDomain, Phone, IP, Subnet, ASN, Device, Card,
CardBin, PostalCode, PromptTemplate, ApiKey, Org, Capability) and relationships with
first_seen / last_seen / count are loaded with batched, parameterised `UNWIND` queries from
`cypher/load/`; results (Run, Ring, Campaign, Operator; MEMBER_OF, PART_OF, ATTRIBUTED_TO) are
written back with `cypher/results/`. Every query is a file; none is built from data.

Faithful round trip: each account row is kept on its Account node, each payment / IP-event row
on its PAID_WITH / SEEN_ON relationship (with a row hash for de-duplication and a sequence
number for order), request aggregates on the account (totals, hourly lists) and on USES_KEY /
CONNECTED_FROM / USED_PROMPT / REQUESTED relationships; the column types of every frame are
kept in a LinkerMeta node. So `dataset()` gives back what the embedded store gives, and the
same pipeline finds the same rings (parity).

Idempotence and crashes: input files already loaded (by sha256, `(:Batch {committed: true})`)
are skipped; account rows are never rewritten; payment and event rows are merged on their row
hash; request aggregates are added per batch, keyed by the requests file's sha256 (each account
lists the batches its totals, hourly lists and each kind of request relationship hold, written
in the same transaction as what they key), so re-running a load that was killed halfway
skips what it already added instead of adding it twice. A batch is committed only once its run
is recorded; until then it loads again (idempotently) on the next attempt.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from linker import kinds
from linker.errors import StoreError, redact_uri
from linker.model import (
    Dataset,
    IngestInfo,
    LoadStats,
    PreviousRun,
    RequestAggregates,
    empty_dataset,
)
from linker.store.bulk import frame_types, row_keys
from linker.store.cypher_files import query, statements

if TYPE_CHECKING:
    from linker.model import Findings

TIMESTAMP = "datetime64[ns, UTC]"
_EPOCH_OFFSET_S = 62_135_596_800  # neo4j ClockTime counts from 0001-01-01
DEFAULT_BATCH = 10_000  # rows per transaction ($LINKER_NEO4J_BATCH)
DEFAULT_WORKERS = 1  # parallel writer sessions ($LINKER_NEO4J_WORKERS)
# Below this many input rows a first load stays transactional: stopping, importing and
# starting the server costs more than loading the rows through Cypher.
BULK_MIN_ROWS = 50_000
GDS_GRAPH = "linker-links"

# Which query creates the nodes of each request-identifier kind (once per distinct value);
# load/requests takes each kind's columns as $<kind>_v, _x, _f, _l.
_IDENTIFIER_NODES = {k: "load/ip_nodes" if k == "ip" else f"load/{k}s"
                     for k in kinds.request_columns()}
# Request aggregates kept as one relationship per account, identifier and weekly batch
# (written with CREATE); reading back combines them: sums add, first/last take min/max.
# Hourly activity: each batch's lists are appended to the account's, so an hour in two
# batches comes back twice (summed, like the pairs).
_PER_BATCH = ("hourly", "identifiers", "capabilities")
_PER_BATCH_AGG = {"first_seen": "min", "last_seen": "max"}
_REQUEST_KEYS = {
    "totals": ["account_id"],
    "hourly": ["account_id", "hour"],
    "identifiers": ["account_id", "kind", "value"],
    "capabilities": ["account_id", "capability"],
}


# ---- pure helpers (frames ⇄ parameters) ---------------------------------------------------


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts for driver parameters: <NA>/NaT → None, timestamps stay pd.Timestamp
    (the driver sends them as DateTime with nanoseconds), numbers as Python numbers."""
    if df.empty:
        return []
    obj = df.astype(object)
    return obj.where(df.notna(), None).to_dict("records")


def _as_ns(values: pd.Series) -> pd.Series:
    """Epoch nanoseconds (what the read queries return) or neo4j DateTime objects (a
    timestamp column the queries do not convert), with None for missing → datetime64[ns, UTC]."""
    arr = values.to_numpy(dtype=object)
    mask = pd.notna(arr)
    ns = np.zeros(len(arr), dtype="int64")
    if mask.any():
        present = arr[mask]
        if all(isinstance(v, int) for v in present):
            ns[mask] = present.astype("int64")
        else:
            clocks = [v.to_clock_time() for v in present]
            ns[mask] = np.fromiter(
                ((c.seconds - _EPOCH_OFFSET_S) * 1_000_000_000 + c.nanoseconds for c in clocks),
                dtype="int64", count=len(clocks),
            )
    out = pd.Series(pd.to_datetime(ns, utc=True), index=values.index)
    out[~mask] = pd.NaT
    return out.astype(TIMESTAMP)


def apply_types(df: pd.DataFrame, types: list[list[str]]) -> pd.DataFrame:
    """Columns in the recorded order with the recorded dtypes (missing columns: all-NA)."""
    cols: dict[str, pd.Series] = {}
    n = len(df)
    for col, dt in types:
        s = df[col] if col in df.columns else pd.Series([None] * n, index=df.index, dtype=object)
        if dt.startswith("datetime64"):
            if s.dtype == object:
                s = _as_ns(s)
            elif pd.api.types.is_integer_dtype(s.dtype):
                s = pd.Series(pd.to_datetime(s.to_numpy(), unit="ns", utc=True), index=s.index)
            cols[col] = s.astype(dt)
        elif dt in ("Int64", "Int32", "boolean"):
            cols[col] = pd.array(s.tolist(), dtype=dt)
        elif dt.startswith("string"):
            cols[col] = s.astype(object).where(s.notna(), None).astype(dt)
        elif dt in ("int64", "int32"):
            cols[col] = s.fillna(0).astype(dt)
        else:
            cols[col] = s.astype(dt)
    return pd.DataFrame(cols, index=df.index).reset_index(drop=True)


def hourly_lists(hourly: pd.DataFrame) -> pd.DataFrame:
    """(account_id, hour, exchanges) rows → one row per account with parallel lists of hour
    starts (epoch seconds) and exchanges, sorted by hour."""
    if hourly.empty:
        return pd.DataFrame({"account_id": [], "hours": [], "exchanges": []})
    h = hourly.sort_values(["account_id", "hour"], kind="stable")
    secs = h["hour"].astype(TIMESTAMP).astype("int64").to_numpy() // 1_000_000_000  # ns → s
    ex = h["exchanges"].astype("int64").to_numpy()
    ids = h["account_id"].astype(object).to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    return pd.DataFrame({
        "account_id": ids[starts],
        "hours": [a.tolist() for a in np.split(secs, starts[1:])],
        "exchanges": [a.tolist() for a in np.split(ex, starts[1:])],
    })


def explode_hourly(lists: pd.DataFrame) -> pd.DataFrame:
    """Inverse of hourly_lists."""
    if lists.empty:
        return RequestAggregates.empty().hourly.copy()
    lengths = lists["hours"].map(len).to_numpy()
    hours = np.concatenate([np.asarray(h, dtype="int64") for h in lists["hours"]])
    ex = np.concatenate([np.asarray(e, dtype="int64") for e in lists["exchanges"]])
    return pd.DataFrame({
        "account_id": np.repeat(lists["account_id"].to_numpy(), lengths),
        "hour": pd.to_datetime(hours * 1_000_000_000, utc=True),
        "exchanges": ex,
    })


def _sorted_aggregate(name: str, out: pd.DataFrame) -> pd.DataFrame:
    """A read-back request aggregate in key order, the per-batch rows of a key
    (identifiers, capabilities: one relationship per weekly batch; hourly: one list entry
    per batch) summed into one row."""
    keys = _REQUEST_KEYS[name]
    if name in _PER_BATCH and out.duplicated(keys).any():
        out = out.groupby(keys, as_index=False, sort=False, dropna=False).agg(
            {c: _PER_BATCH_AGG.get(c, "sum") for c in out.columns if c not in keys}
        )[list(out.columns)]
    return out.sort_values(keys, kind="stable", ignore_index=True)


def _from_maps(maps: list[dict[str, Any]]) -> pd.DataFrame:
    """Property maps → a frame of Python objects (no float coercion of ints with nulls)."""
    return pd.DataFrame(maps, dtype=object) if maps else pd.DataFrame()


def _distinct_pairs(df: pd.DataFrame, a: str, b: str, names: tuple[str, str]) -> pd.DataFrame:
    pairs = df[[a, b]].dropna().drop_duplicates()
    return pairs.rename(columns={a: names[0], b: names[1]}).reset_index(drop=True)


def _ns_list(values: pd.Series) -> list[int | None]:
    """Timestamps as epoch nanoseconds (None for missing)."""
    ts = values.astype(TIMESTAMP)
    out = ts.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]").view("int64").tolist()
    for i in np.flatnonzero(ts.isna().to_numpy()):
        out[i] = None
    return out


def _objs(values: pd.Series) -> np.ndarray:
    """Values as a numpy object array with None for missing (what the driver sends)."""
    arr = values.astype(object).to_numpy().copy()
    arr[pd.isna(arr)] = None
    return arr


class _RequestColumns:
    """One weekly batch of request aggregates as columns per account (load/requests): the
    accounts in id order, their totals and hourly lists, and per relationship kind the
    batch's rows sorted by account (their positions into the accounts), sliced per chunk."""

    def __init__(self, ids: pd.Index, weight: np.ndarray, scalars: dict[str, np.ndarray],
                 lists: dict[str, tuple[np.ndarray, dict[str, np.ndarray]]]) -> None:
        self.ids, self.weight, self.scalars, self.lists = ids, weight, scalars, lists

    def chunks(self, size: int, batch: str) -> Iterator[dict[str, Any]]:
        """Parameter maps of about `size` input rows each, never splitting an account."""
        cum = np.cumsum(self.weight)
        group = (cum - 1) // max(1, size)
        bounds = np.r_[0, np.flatnonzero(np.diff(group)) + 1, len(self.ids)]
        ids = self.ids.to_numpy(dtype=object)
        for c0, c1 in zip(bounds[:-1], bounds[1:], strict=True):
            p: dict[str, Any] = {"batch": batch, "ids": ids[c0:c1].tolist(),
                                 "_n": int(self.weight[c0:c1].sum())}
            for name, col in self.scalars.items():
                p[name] = col[c0:c1].tolist()
            for pos, arrays in self.lists.values():
                lo, hi = np.searchsorted(pos, [c0, c1])
                cuts = np.cumsum(np.bincount(pos[lo:hi] - c0, minlength=c1 - c0))[:-1]
                for name, arr in arrays.items():
                    p[name] = [a.tolist() for a in np.split(arr[lo:hi], cuts)]
            yield p


def _request_columns(req: RequestAggregates, hourly: pd.DataFrame | None
                     ) -> _RequestColumns | None:
    """The columns of load/requests for `req` (`hourly`: the merged hourly lists)."""
    parts = [req.totals["account_id"], req.identifiers["account_id"],
             req.capabilities["account_id"]]
    if hourly is not None:
        parts.append(pd.Series(hourly["account_id"], dtype="string"))
    every = pd.concat([s.astype(object) for s in parts], ignore_index=True).dropna()
    if every.empty:
        return None
    ids = pd.Index(np.sort(every.unique().astype(object)))
    n = len(ids)
    weight = np.zeros(n, dtype=np.int64)

    def positions(s: pd.Series) -> np.ndarray:
        return ids.get_indexer(s.astype(object).to_numpy())

    scalars: dict[str, np.ndarray] = {}
    t = req.totals.dropna(subset=["account_id"])
    tp = positions(t["account_id"])
    for name, values in (("ex", t["exchanges"].astype("int64").tolist()),
                         ("itok", t["input_tokens"].astype("int64").tolist()),
                         ("otok", t["output_tokens"].astype("int64").tolist()),
                         ("fs", _ns_list(t["first_seen"])), ("ls", _ns_list(t["last_seen"]))):
        col = np.full(n, None, dtype=object)
        col[tp] = values
        scalars[name] = col
    np.add.at(weight, tp, 1)
    hours = np.full(n, None, dtype=object)
    hx = np.full(n, None, dtype=object)
    if hourly is not None:
        hp = positions(pd.Series(hourly["account_id"]))
        # `_objs` gives a 1-D object array, one list per slot (never broadcast as 2-D)
        hours[hp] = _objs(hourly["hours"])
        hx[hp] = _objs(hourly["exchanges"])
        np.add.at(weight, positions(req.hourly["account_id"]), 1)
    scalars["hours"], scalars["hx"] = hours, hx

    lists: dict[str, tuple[np.ndarray, dict[str, np.ndarray]]] = {}
    idents = req.identifiers.dropna(subset=["account_id"])
    for kind in _IDENTIFIER_NODES:
        prefix = f"{kind}_"
        part = idents[(idents["kind"] == kind).to_numpy(dtype=bool)]
        pos = positions(part["account_id"])
        order = np.argsort(pos, kind="stable")
        lists[kind] = (pos[order], {
            f"{prefix}v": _objs(part["value"])[order],
            f"{prefix}x": part["exchanges"].astype("int64").to_numpy()[order],
            f"{prefix}f": np.asarray(_ns_list(part["first_seen"]), dtype=object)[order],
            f"{prefix}l": np.asarray(_ns_list(part["last_seen"]), dtype=object)[order],
        })
        np.add.at(weight, pos, 1)
    caps = req.capabilities.dropna(subset=["account_id"])
    pos = positions(caps["account_id"])
    order = np.argsort(pos, kind="stable")
    lists["capability"] = (pos[order], {
        "cap_v": _objs(caps["capability"])[order],
        "cap_x": caps["exchanges"].astype("int64").to_numpy()[order],
    })
    np.add.at(weight, pos, 1)
    return _RequestColumns(ids, weight, scalars, lists)


def _event_ips(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The IP node address of each IP-event row (the normalised address, or the raw value
    when it does not parse) and its subnet (missing when unknown)."""
    if "ip_norm" not in events.columns:
        return events["ip"], pd.Series(None, index=events.index, dtype=object)
    node = events["ip_norm"].fillna(events["ip"])
    subnet = (events["subnet"].where(events["ip_norm"].notna()) if "subnet" in events.columns
              else pd.Series(None, index=events.index, dtype=object))
    return node, subnet


def driver_error(err: BaseException) -> StoreError | None:
    """A Neo4j driver error (server gone mid-load, session expired, a failed query) as a
    StoreError with a clear message (exit 1, no traceback); None for anything else."""
    if not type(err).__module__.startswith("neo4j"):
        return None
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    if isinstance(err, ServiceUnavailable | SessionExpired):
        return StoreError(
            f"lost the connection to Neo4j ({type(err).__name__}); nothing is recorded for this "
            "run. Run it again once the server is back: what was loaded so far is kept, and "
            "loading again never counts it twice"
        )
    code = getattr(err, "code", None)
    return StoreError(f"Neo4j failed: {code or type(err).__name__}")


def _env_int(name: str, given: int | None, default: int) -> int:
    """`given`, else the environment variable `name`, else `default`; at least 1."""
    raw = given if given is not None else os.environ.get(name) or default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise StoreError(f"{name} must be a positive integer, not {raw!r}") from None
    if value < 1:
        raise StoreError(f"{name} must be a positive integer, not {raw!r}")
    return value


# ---- connection settings -----------------------------------------------------------------


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """(uri without user:password@, user, password): the driver refuses credentials in the
    URI, and they must not reach any message; NEO4J_USERNAME / NEO4J_PASSWORD win."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri, None, None
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, _, password = userinfo.partition(":")
    return (urlunsplit(parts._replace(netloc=host)), unquote(user) or None,
            unquote(password) or None)


def connection_settings() -> dict[str, Any]:
    """NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE, else the server that
    `linker neo4j start` runs (its state file and password file in the server home).
    `server_home` is set when the server is the one linker manages (the bulk import may stop
    and start it); a bulk import interrupted with that server stopped is resumed here."""
    from linker.store.server import (
        attach,
        default_home,
        managed_home,
        resume_interrupted_import,
    )

    if os.environ.get("NEO4J_URI"):
        uri, user, password = split_credentials(os.environ["NEO4J_URI"])
        home = managed_home(uri)
        if home is not None:
            resume_interrupted_import(home)
        return {
            "uri": uri,
            "user": (os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER")
                     or user or "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD") or password or "",
            "database": os.environ.get("NEO4J_DATABASE") or "neo4j",
            "server_home": home,
        }
    h = attach() or resume_interrupted_import(default_home())
    if h is None:
        raise StoreError(
            "no Neo4j to connect to: set NEO4J_URI (and NEO4J_USERNAME / NEO4J_PASSWORD), or "
            "start a local server with `linker neo4j start`"
        )
    return {"uri": h.uri, "user": h.user, "password": h.password, "database": h.database,
            "server_home": h.home}


# ---- the store ---------------------------------------------------------------------------


class Neo4jStore:
    """Store protocol over a Neo4j 5 database (Community is enough; GDS optional)."""

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        *,
        batch_size: int | None = None,
        workers: int | None = None,
        progress: bool | None = None,
        server_home: Path | None = None,
        bulk: str | None = None,
    ) -> None:
        """`server_home`: the home of the server linker manages (the first load of an empty
        database may then go through the offline importer); `bulk`: auto (default: an empty
        database and at least BULK_MIN_ROWS rows), always or never ($LINKER_NEO4J_BULK).
        `batch_size`: rows per load transaction ($LINKER_NEO4J_BATCH, default 10,000);
        `workers`: parallel writer sessions for the load queries whose transactions can run
        side by side ($LINKER_NEO4J_WORKERS, default 1)."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import (
            AuthError,
            ConfigurationError,
            Neo4jError,
            ServiceUnavailable,
        )

        self.uri, self.database = uri, database
        self.batch_size = _env_int("LINKER_NEO4J_BATCH", batch_size, DEFAULT_BATCH)
        self.workers = _env_int("LINKER_NEO4J_WORKERS", workers, DEFAULT_WORKERS)
        self.progress = (
            progress if progress is not None
            else sys.stderr.isatty() and not os.environ.get("CI")
        )
        self._schema_ready = False
        self._pending: list[str] = []
        self._ids: pd.Series | None = None
        # the rows a bulk import just stored (the whole database): dataset() shapes them
        # instead of reading the database back (507 s at 1M accounts)
        self._imported: Dataset | None = None
        self.timings: dict[str, float] = {}  # seconds per load query (for benchmarks)
        self.server_home = Path(server_home) if server_home else None
        self.bulk = (bulk or os.environ.get("LINKER_NEO4J_BULK") or "auto").lower()
        if self.bulk not in ("auto", "always", "never"):
            raise StoreError(f"LINKER_NEO4J_BULK must be auto, always or never, not {self.bulk!r}")
        self._auth = (user, password)
        shown = redact_uri(uri)  # never echo credentials embedded in the URI
        try:
            self.driver = GraphDatabase.driver(
                uri, auth=(user, password), notifications_min_severity="OFF"
            )
        except (ValueError, ConfigurationError) as e:
            raise StoreError(redact_uri(f"bad Neo4j URI {shown!r}: {e}")) from e
        try:
            self.driver.verify_connectivity()
            self.driver.execute_query("RETURN 1", database_=database)
        except AuthError as e:
            self.driver.close()
            raise StoreError(f"Neo4j at {shown} refused the credentials (user {user!r})") from e
        except (ServiceUnavailable, OSError, ValueError) as e:
            self.driver.close()
            raise StoreError(f"cannot reach Neo4j at {shown}: {type(e).__name__}") from e
        except Neo4jError as e:
            self.driver.close()
            raise StoreError(f"Neo4j at {shown}: {e.code}") from e

    @classmethod
    def from_env(cls, **kwargs: Any) -> Neo4jStore:
        """Connect with connection_settings() (environment, else the local server)."""
        return cls(**connection_settings(), **kwargs)

    def close(self) -> None:
        self.driver.close()

    # ---- low level -------------------------------------------------------------------------
    def _run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        recs, _, _ = self.driver.execute_query(query(name), params, database_=self.database)
        return [r.data() for r in recs]

    def _values(self, name: str, **params: Any) -> tuple[list[str], list[list[Any]]]:
        with self.driver.session(database=self.database) as s:
            res = s.run(query(name), params)
            keys = list(res.keys())
            return keys, res.values()

    def _frame(self, name: str, **params: Any) -> pd.DataFrame:
        keys, vals = self._values(name, **params)
        return pd.DataFrame(vals, columns=keys)

    def _batched(self, name: str, rows: list[Any], tick: Callable[[int], None], *,
                 parallel: bool = False, crash: str | None = None, **params: Any) -> int:
        """Run a load query over `rows` in transactions of batch_size rows; returns the sum
        of a `created` column when the query returns one. `parallel`: the transactions may
        run side by side (`workers` sessions). `crash`: a crash point (kill tests) passed
        once the first transaction is committed."""
        from linker.crashpoints import crash_point

        q = query(name)
        chunks = ({"rows": rows[i:i + self.batch_size], **params}
                  for i in range(0, len(rows), self.batch_size))
        t0 = time.perf_counter()
        created = 0
        for k, recs in enumerate(self._transactions(q, chunks, tick, parallel=parallel)):
            if recs and "created" in recs[0].keys():
                created += int(recs[0]["created"] or 0)
            if k == 0 and crash:
                crash_point(crash)
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0
        return created

    def _transactions(self, q: str, chunks: Any, tick: Callable[[int], None], *,
                      parallel: bool = False) -> Iterator[list[Any]]:
        """Run `q` once per parameter map of `chunks` (one transaction each, retried by the
        driver on transient errors such as a deadlock), in order, or on `workers` sessions
        at once when `parallel`; yields each transaction's records. `tick` gets the size of
        each chunk's "rows" (or its `_n`)."""
        def one(params: dict[str, Any]) -> list[Any]:
            n = params.pop("_n", None)
            recs, _, _ = self.driver.execute_query(q, params, database_=self.database)
            tick(n if n is not None else len(params.get("rows", ())))
            return recs

        if not parallel or self.workers <= 1:
            for params in chunks:
                yield one(params)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.workers) as pool:
            pending: list[Any] = []
            for params in chunks:  # at most 2 x workers chunks in flight (memory)
                pending.append(pool.submit(one, params))
                if len(pending) >= 2 * self.workers:
                    yield pending.pop(0).result()
            for f in pending:
                yield f.result()

    def ensure_schema(self) -> None:
        """Constraints and indexes (idempotent), then wait for them to come online."""
        if self._schema_ready:
            return
        with self.driver.session(database=self.database) as s:
            for stmt in statements("schema"):
                s.run(stmt).consume()
            s.run("CALL db.awaitIndexes(300)").consume()
        self._schema_ready = True

    def _meta(self, key: str) -> Any:
        recs = self._run("load/meta_get", key=key)
        return json.loads(recs[0]["value"]) if recs and recs[0]["value"] else None

    def _set_meta(self, key: str, value: Any) -> None:
        self._run("load/meta_set", key=key, value=json.dumps(value))

    def _reserve_seq(self, n: int) -> int:
        return int(self._run("load/reserve_seq", n=int(n))[0]["start"])

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (for stats and tests)."""
        out: dict[str, int] = {}
        with self.driver.session(database=self.database) as s:
            for rec in s.run("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c"):
                out[rec["l"]] = rec["c"]
            for rec in s.run(
                "MATCH ()-[r]->() RETURN type(r) AS t, count(r) AS c"
            ):
                out[rec["t"]] = rec["c"]
        return out

    @contextmanager
    def _progress(self, total: int) -> Iterator[Callable[[int], None]]:
        if not self.progress or total == 0:
            yield lambda n: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("loading into Neo4j"), BarColumn(),
                      TextColumn("{task.completed:,}/{task.total:,} rows"), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as p:
            task = p.add_task("load", total=total)
            yield lambda n: p.advance(task, n)

    # ---- loading ---------------------------------------------------------------------------
    def account_ids(self) -> pd.Series:
        """Ids of every account loaded so far (lets a later batch refer to them); kept until
        this store loads accounts (the run reads them once to validate and once to load)."""
        if self._ids is None:
            with self.driver.session(database=self.database) as s:
                vals = s.run(query("read/account_ids")).value("account_id")
            self._ids = pd.Series(vals, dtype="string", name="account_id")
        return self._ids

    @contextmanager
    def lock(self, *, wait: bool = False) -> Iterator[list[str]]:
        """One writer per database: a lock file per URI + database on this machine (runs
        from two machines against one Neo4j are not serialised)."""
        import hashlib

        from linker.store.lock import exclusive
        from linker.store.server import cache_dir

        key = hashlib.sha256(f"{self.uri}|{self.database}".encode()).hexdigest()[:16]
        with exclusive(cache_dir() / "locks" / f"neo4j-{key}.lock",
                       what=f"Neo4j database {self.database!r} at {self.uri}", wait=wait):
            open_ = self._run("load/batches_uncommitted")
            notes = []
            if open_:
                paths = ", ".join(sorted({r["path"] for r in open_})[:5])
                notes.append(
                    f"Neo4j holds part of {len(open_)} input file(s) whose run never finished "
                    f"({paths}); they load again, without double counting, when run again"
                )
            yield notes

    def commit(self) -> None:
        """Mark the batches loaded by this run as loaded (after the run is recorded)."""
        if self._pending:
            self._run("load/batch_commit", shas=self._pending)
            self._pending = []

    def rollback(self) -> None:
        """The run failed: its batches stay uncommitted and load again next time (the keyed
        request writes make that reload idempotent)."""
        self._pending = []
        self._imported = None

    def load(self, ds: Dataset, *, commit: bool = True) -> LoadStats:
        """Add a normalised batch: files already loaded (same sha256) are skipped.
        commit=False leaves it uncommitted until commit()."""
        t0 = time.perf_counter()
        self._imported = None
        self.ensure_schema()
        stats = LoadStats()
        files = ds.info.files
        loaded = {r["sha256"] for r in self._run(
            "load/batches_loaded", shas=[m["sha256"] for m in files.values()])}
        fresh = []
        for table, meta in files.items():
            stats.rows[table] = int(meta.get("rows", 0))
            if meta["sha256"] in loaded:
                stats.skipped_files.append(str(meta.get("path", "")))
            else:
                fresh.append(table)
        types = self._meta("frame_types") or {}
        for table in ("accounts", "payments", "ip_events"):
            if table in fresh:
                types.setdefault(table, frame_types(getattr(ds, table)))
        if "requests" in fresh:
            for name in _REQUEST_KEYS:
                types.setdefault(f"requests_{name}", frame_types(getattr(ds.requests, name)))

        req = ds.requests
        total = sum(len(getattr(ds, t)) for t in ("accounts", "payments", "ip_events") if t in fresh)
        if "requests" in fresh:
            total += sum(len(getattr(req, n)) for n in _REQUEST_KEYS)
        if fresh and self._bulk_wanted(total):
            self._bulk_load(ds, stats, commit=commit)
            stats.seconds = time.perf_counter() - t0
            return stats
        with self._progress(total) as tick:
            self._batch_ip_nodes(ds, fresh)
            if "accounts" in fresh:
                stats.added["accounts"] = self._load_accounts(ds.accounts, tick)
            if "payments" in fresh:
                stats.added["payments"] = self._load_payments(ds.payments, tick)
            if "ip_events" in fresh:
                stats.added["ip_events"] = self._load_ip_events(ds.ip_events, tick)
            if "requests" in fresh:
                self._load_requests(req, tick, batch=files["requests"]["sha256"])
                stats.added["requests"] = int(files["requests"].get("rows", 0))
        self._set_meta("frame_types", types)
        self._run("load/batch_record", rows=[
            {"sha256": files[t]["sha256"], "table": t, "path": str(files[t].get("path", "")),
             "rows": int(files[t].get("rows", 0))} for t in fresh])
        self._pending += [files[t]["sha256"] for t in fresh]
        if commit:
            self.commit()
        stats.seconds = time.perf_counter() - t0
        return stats

    def is_empty(self) -> bool:
        """True when the database holds no node at all (from the counts store)."""
        return int(self._run("read/node_count")[0]["nodes"]) == 0

    def _bulk_wanted(self, rows: int) -> bool:
        if self.server_home is None or self.bulk == "never":
            return False
        if self.bulk == "auto" and rows < BULK_MIN_ROWS:
            return False
        return self.is_empty()

    def _bulk_load(self, ds: Dataset, stats: LoadStats, *, commit: bool) -> None:
        """First load of an empty database of the managed server: import files, then stop,
        `neo4j-admin database import full`, start, constraints. The batches are imported
        uncommitted, like a transactional load's (committed once the run is recorded)."""
        import shutil

        from neo4j import GraphDatabase

        from linker.crashpoints import crash_point
        from linker.store.bulk import write_import_files
        from linker.store.server import offline_import

        assert self.server_home is not None
        work = self.server_home / "import-staging"
        t = time.perf_counter()
        files = write_import_files(ds, work, committed=False)
        self.timings["bulk/write_files"] = time.perf_counter() - t
        crash_point("neo4j-import-files")
        self.driver.close()
        t = time.perf_counter()
        try:
            offline_import(self.server_home, files.admin_args(self.database))
        finally:
            self.driver = GraphDatabase.driver(self.uri, auth=self._auth,
                                               notifications_min_severity="OFF")
        self.timings["bulk/stop_import_start"] = time.perf_counter() - t
        shutil.rmtree(work, ignore_errors=True)
        self._schema_ready = False
        self._ids = None
        t = time.perf_counter()
        self.ensure_schema()
        self.timings["bulk/constraints"] = time.perf_counter() - t
        self._imported = files.stored
        for table in ("accounts", "payments", "ip_events"):
            if table in ds.info.files:
                stats.added[table] = files.added[table]
        if "requests" in ds.info.files:
            stats.added["requests"] = int(ds.info.files["requests"].get("rows", 0))
        self._pending += [m["sha256"] for m in ds.info.files.values()]
        if commit:
            self.commit()

    def _load_accounts(self, accounts: pd.DataFrame, tick: Callable[[int], None]) -> int:
        """New accounts with a plain CREATE and, in the same query and transaction, their
        identifier nodes (merged) and relationships (created): one round trip per chunk
        instead of eleven queries. The sign-up IP nodes exist already (_batch_ip_nodes)."""
        existing = self.account_ids()
        new = accounts[~accounts["account_id"].isin(existing)]
        new = new.drop_duplicates("account_id").reset_index(drop=True)
        if new.empty:
            return 0
        none = pd.Series(None, index=new.index, dtype=object)
        links = pd.DataFrame({
            key: new[col] if col in new.columns else none
            for key, col in (("email", "email_norm"), ("domain", "email_domain"),
                             ("phone", "phone_e164"), ("ip", "signup_ip_norm"),
                             ("device", "device_id"), ("org", "org_id"))
        })
        if "email_domain" in new.columns and "email_norm" in new.columns:
            links.loc[new["email_norm"].isna().to_numpy(), "domain"] = None
        rows = [{"props": r, **m} for r, m in zip(records(new), records(links), strict=True)]
        created = self._batched("load/new_accounts", rows, tick, parallel=True,
                                crash="neo4j-accounts-first-chunk")
        self._ids = None
        return created

    def _batch_ip_nodes(self, ds: Dataset, fresh: list[str]) -> None:
        """The IP nodes of every address the batch's new rows point at (sign-up addresses
        of new accounts, IP events, client IPs of requests), in one pass of load/ip_nodes
        (before: one pass per table, the same addresses looked up up to three times)."""
        from linker.ingest.normalize import ip_subnet

        ips: list[pd.Series] = []
        subnets: list[pd.Series] = []
        acc = ds.accounts
        if "accounts" in fresh and "signup_ip_norm" in acc.columns:
            acc = acc[~acc["account_id"].isin(self.account_ids())]
            ips.append(acc["signup_ip_norm"])
            subnets.append(acc["signup_subnet"] if "signup_subnet" in acc.columns
                           else pd.Series(None, index=acc.index, dtype=object))
        if "ip_events" in fresh and len(ds.ip_events):
            node, subnet = _event_ips(ds.ip_events)
            ips.append(node)
            subnets.append(subnet)
        if "requests" in fresh:
            idents = ds.requests.identifiers
            values = idents.loc[idents["kind"] == "ip", "value"].dropna().drop_duplicates()
            if len(values):
                ips.append(values)
                subnets.append(ip_subnet(values, normalized=True))
        if ips:
            self._ip_nodes(pd.concat([s.astype(object) for s in ips], ignore_index=True),
                           pd.concat([s.astype(object) for s in subnets], ignore_index=True))

    def _ip_nodes(self, ips: pd.Series, subnets: pd.Series | None) -> None:
        """IP nodes for the distinct addresses of `ips` that are not in the graph yet, each
        created with its (IP)-[:IN]->(Subnet) in the same transaction (`subnets`: aligned
        with `ips`, missing when unknown). Matching first and creating only the rest is
        cheaper than a MERGE per address, most of a weekly batch's addresses being known."""
        df = pd.DataFrame({
            "ip": ips.astype(object).to_numpy(),
            "subnet": (subnets.astype(object).to_numpy() if subnets is not None
                       else np.full(len(ips), None, dtype=object)),
        })
        df = df[df["ip"].notna()]
        if df.empty:
            return
        # one row per address, with its subnet when any row knows it
        df = df.sort_values("subnet", na_position="last", kind="stable")
        df = df.drop_duplicates("ip")
        ip_list = df["ip"].tolist()
        subs = df["subnet"].where(df["subnet"].notna(), None).tolist()
        b = self.batch_size
        chunks = ({"ips": ip_list[i:i + b], "subnets": subs[i:i + b], "_n": 0}
                  for i in range(0, len(ip_list), b))
        t0 = time.perf_counter()
        for _ in self._transactions(query("load/ip_nodes"), chunks, lambda n: None):
            pass
        self.timings["load/ip_nodes"] = self.timings.get("load/ip_nodes", 0.0) + \
            time.perf_counter() - t0

    def _fresh_rows(self, df: pd.DataFrame, table: str) -> tuple[pd.DataFrame, np.ndarray]:
        """Rows of `df` not in the graph yet (nor repeated earlier in `df`), and their keys:
        the embedded store's drop_duplicates, done before writing so that the write is a
        plain CREATE (about 1.6x faster than MERGE on the row key)."""
        keys = row_keys(df)
        keep = ~pd.Series(keys).duplicated().to_numpy()
        in_graph = self._run("read/rel_count")[0][table]
        if in_graph:
            uniq = keys[keep]
            seen = [r["row_key"] for i in range(0, len(uniq), 50_000) for r in self._run(
                f"read/{'paid_with' if table == 'payments' else 'seen_on'}_keys",
                keys=uniq[i:i + 50_000].tolist())]
            keep &= ~np.isin(keys, np.asarray(seen, dtype="int64"))
        return df[keep].reset_index(drop=True), keys[keep]

    def _load_payments(self, payments: pd.DataFrame, tick: Callable[[int], None]) -> int:
        if payments.empty:
            return 0
        p, keys = self._fresh_rows(payments.reset_index(drop=True), "payments")
        tick(len(payments) - len(p))
        if p.empty:
            return 0
        cards = pd.DataFrame({"card": p["card_fingerprint"], "bin": p["card_bin"],
                              "postal": p["billing_postal_code"]}).drop_duplicates()
        self._batched("load/card_nodes", records(cards), lambda n: None)
        start = self._reserve_seq(len(p))
        meta = pd.DataFrame({
            "account_id": p["account_id"], "card": p["card_fingerprint"], "row_key": keys,
            "seq": np.arange(start, start + len(p), dtype="int64"),
        })
        rows = [{"props": r, **m} for r, m in
                zip(records(p.drop(columns=["account_id"])), records(meta), strict=True)]
        return self._batched("load/payments", rows, tick, parallel=True)

    def _load_ip_events(self, events: pd.DataFrame, tick: Callable[[int], None]) -> int:
        if events.empty:
            return 0
        e, keys = self._fresh_rows(events.reset_index(drop=True), "ip_events")
        tick(len(events) - len(e))
        if e.empty:
            return 0
        ip_node = _event_ips(e)[0]
        start = self._reserve_seq(len(e))
        meta = pd.DataFrame({
            "account_id": e["account_id"], "ip": ip_node, "row_key": keys,
            "seq": np.arange(start, start + len(e), dtype="int64"),
        })
        rows = [{"props": r, **m} for r, m in
                zip(records(e.drop(columns=["account_id"])), records(meta), strict=True)]
        created = self._batched("load/ip_events", rows, tick, parallel=True)
        if "subnet" in e.columns:
            asn = e[["subnet", "asn", "asn_org"]].dropna(subset=["subnet", "asn"])
            asn = asn.drop_duplicates(["subnet", "asn"]).rename(columns={"asn_org": "org"})
            self._batched("load/subnet_asns", records(asn), lambda n: None)
        return created

    def _load_requests(self, req: RequestAggregates, tick: Callable[[int], None], *,
                       batch: str) -> None:
        """Request aggregates: the identifier nodes first (once per distinct value), then ONE
        query per chunk of accounts (load/requests: totals, hourly lists, and this batch's
        relationships to IPs, keys, prompts and capabilities, created per batch), each account
        keyed by `batch` (the requests file's sha256) in the same transaction, so an account
        that already holds this batch is left as it is (a re-run after a kill)."""
        from linker.crashpoints import crash_point

        idents = req.identifiers
        for kind, nodes in _IDENTIFIER_NODES.items():
            if kind == "ip":  # created with the batch's other addresses (_batch_ip_nodes)
                continue
            values = idents.loc[idents["kind"] == kind, "value"].dropna().drop_duplicates()
            self._batched(nodes, values.astype(object).tolist(), lambda n: None)
        caps = req.capabilities
        self._batched("load/capabilities",
                      caps["capability"].dropna().drop_duplicates().astype(object).tolist(),
                      lambda n: None)
        # this batch's hourly lists, appended to the stored ones by load/requests (reading
        # the stored lists back to merge them took 5-6 s at 200k accounts)
        hourly = hourly_lists(req.hourly) if not req.hourly.empty else None
        cols = _request_columns(req, hourly)
        if cols is None:
            return
        q = query("load/requests")
        t0 = time.perf_counter()
        for k, _ in enumerate(self._transactions(q, cols.chunks(self.batch_size, batch), tick,
                                                 parallel=True)):
            if k == 0:
                crash_point("neo4j-requests-first-chunk")  # some accounts written, others not
        self.timings["load/requests"] = time.perf_counter() - t0
        crash_point("neo4j-requests")

    def _hourly(self) -> pd.DataFrame:
        """Stored hourly activity as rows (an hour in two batches: two rows)."""
        lists = self._frame("read/request_hourly")
        ref = RequestAggregates.empty().hourly
        if lists.empty:
            return ref.copy()
        return explode_hourly(lists).astype(ref.dtypes.to_dict())

    # ---- reading back ------------------------------------------------------------------------
    def dataset(self) -> Dataset:
        """Everything loaded so far, with the same rows, order and dtypes as the embedded store.
        Right after a bulk import into the empty database, those are the rows the import
        stored: shaped like a read-back (order, dtypes), not read back."""
        types = self._meta("frame_types")
        if not types or "accounts" not in types:
            return empty_dataset()
        imported, self._imported = self._imported, None  # one use: later calls read back
        batches = self._frame("read/batches", pending=list(self._pending))
        info = IngestInfo(files={
            f"{r.table}:{r.sha256[:12]}": {"path": r.path, "sha256": r.sha256}
            for r in batches.itertuples()
        } if len(batches) else {})
        if imported is not None:
            return self._shaped(imported, types, info)
        empty = empty_dataset()

        def typed(table: str, df: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
            return apply_types(df, types.get(table) or frame_types(ref))

        def columns(table: str, ref: pd.DataFrame, skip: tuple[str, ...] = ()
                    ) -> tuple[list[str], list[str]]:
            t = types.get(table) or frame_types(ref)
            keys = [c for c, _ in t if c not in skip]
            return keys, [c for c, d in t if d.startswith("datetime64") and c not in skip]

        keys, ts = columns("accounts", empty.accounts)
        _, vals = self._values("read/accounts", keys=keys, ts=ts)
        acc = pd.DataFrame([v[0] for v in vals], columns=keys, dtype=object) \
            if vals else pd.DataFrame()
        del vals
        accounts = typed("accounts", acc, empty.accounts)
        accounts = accounts.sort_values("account_id", kind="stable", ignore_index=True)

        def rel_rows(name: str, table: str, ref: pd.DataFrame) -> pd.DataFrame:
            keys, ts = columns(table, ref, skip=("account_id",))
            _, vals = self._values(name, keys=keys, ts=ts)
            if not vals:
                return typed(table, pd.DataFrame(), ref)
            body = pd.DataFrame([v[2] for v in vals], columns=keys, dtype=object)
            body["account_id"] = [v[0] for v in vals]
            seq = np.fromiter((v[1] for v in vals), dtype="int64", count=len(vals))
            del vals
            body = body.iloc[np.argsort(seq, kind="stable")]
            return typed(table, body, ref)

        payments = rel_rows("read/payments", "payments", empty.payments)
        ip_events = rel_rows("read/ip_events", "ip_events", empty.ip_events)

        ref = RequestAggregates.empty()

        def agg(name: str, df: pd.DataFrame) -> pd.DataFrame:
            out = apply_types(df, types.get(f"requests_{name}")
                              or frame_types(getattr(ref, name)))
            return _sorted_aggregate(name, out)

        totals = agg("totals", self._frame("read/request_totals"))
        hourly = agg("hourly", self._hourly())
        identifiers = agg("identifiers", self._frame("read/request_identifiers"))
        capabilities = agg("capabilities", self._frame("read/request_capabilities"))
        return Dataset(
            accounts=accounts, payments=payments, ip_events=ip_events,
            requests=RequestAggregates(totals=totals, hourly=hourly, identifiers=identifiers,
                                       capabilities=capabilities),
            info=info,
        )

    @staticmethod
    def _shaped(stored: Dataset, types: dict[str, Any], info: IngestInfo) -> Dataset:
        """The rows an import stored, in the read-back's order and dtypes (a column already of
        its recorded dtype is kept as it is: the graph holds its values unchanged)."""
        empty = empty_dataset()

        def typed(key: str, df: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
            if key not in types:  # no such file in the batch: nothing stored
                return apply_types(pd.DataFrame(), frame_types(ref))
            if frame_types(df) == types[key]:
                return df.reset_index(drop=True)
            return apply_types(df, types[key])

        accounts = typed("accounts", stored.accounts, empty.accounts)
        accounts = accounts.sort_values("account_id", kind="stable", ignore_index=True)
        req, ref = stored.requests, RequestAggregates.empty()
        return Dataset(
            accounts=accounts,
            payments=typed("payments", stored.payments, empty.payments),
            ip_events=typed("ip_events", stored.ip_events, empty.ip_events),
            requests=RequestAggregates(**{
                name: _sorted_aggregate(name, typed(f"requests_{name}", getattr(req, name),
                                                    getattr(ref, name)))
                for name in _REQUEST_KEYS}),
            info=info,
        )

    # ---- results -------------------------------------------------------------------------------
    def write_results(self, findings: Findings) -> None:
        """Record a run: Run node, Ring / Campaign / Operator nodes, MEMBER_OF, PART_OF,
        ATTRIBUTED_TO. Writing the same run id again replaces its results."""
        self.ensure_schema()
        run = findings.run
        run_id = findings.run_id
        decided = findings.suspensions.drop(columns=["cluster_id", "campaign_id"], errors="ignore")
        members = findings.members.merge(decided, on="account_id", how="left")
        ftypes = {
            "members": frame_types(findings.members),
            "suspensions": frame_types(findings.suspensions),
            "clusters": frame_types(findings.clusters),
            "decisions": frame_types(members),
        }
        self._run("results/clear_run", run_id=run_id)
        self._run(
            "results/run", run_id=run_id, started_at=str(run.get("started_at", "")),
            version=str(run.get("version", "")), record=json.dumps(run, default=str),
            campaigns=json.dumps(findings.campaigns, default=str),
            frame_types=json.dumps(ftypes),
        )
        clusters = findings.clusters.reset_index(drop=True)
        crows = [{"cluster_id": r["cluster_id"], "pos": i, "props": r}
                 for i, r in enumerate(records(clusters))]
        self._batched("results/rings", crows, lambda n: None, run_id=run_id)
        m = members.reset_index(drop=True)
        # Rings every member points to must exist even when clusters has no row for them.
        missing = set(m["cluster_id"].dropna()) - set(clusters["cluster_id"].dropna())
        if missing:
            self._batched("results/rings", [
                {"cluster_id": c, "pos": -1, "props": {"cluster_id": c}} for c in sorted(missing)
            ], lambda n: None, run_id=run_id)
        mrows = [{"account_id": r["account_id"], "cluster_id": r["cluster_id"], "pos": i,
                  "props": {k: v for k, v in r.items() if k != "account_id"}}
                 for i, r in enumerate(records(m))]
        written = self._batched_written("results/members", mrows, run_id=run_id)
        if written != len(mrows):
            raise StoreError(
                f"run {run_id}: {len(mrows) - written} member(s) are not accounts in the graph"
            )
        ring_campaign = clusters.groupby("campaign_id")["cluster_id"].agg(list).to_dict() \
            if "campaign_id" in clusters.columns else {}
        camp_rows = []
        for c in findings.campaigns:
            props = {k: c.get(k) for k in ("operator", "confidence", "accounts", "clusters",
                                           "exchanges", "first_seen", "last_seen")}
            props = {k: (json.dumps(v) if isinstance(v, dict | list) else v)
                     for k, v in props.items()}
            camp_rows.append({
                "campaign_id": c["campaign_id"], "props": props,
                "record": json.dumps(c, default=str), "operator": c.get("operator"),
                "confidence": c.get("confidence"),
                "cluster_ids": ring_campaign.get(c["campaign_id"], []),
            })
        self._batched("results/campaigns", camp_rows, lambda n: None, run_id=run_id)

    # ---- review verdicts (linker/feedback) ------------------------------------------------
    def add_verdicts(self, rows: pd.DataFrame) -> int:
        """Store verdict rows (linker.feedback.verdicts.STORED_COLUMNS) as Verdict nodes ABOUT
        their Account (and Ring); idempotent on verdict_id. Returns the verdict rows given."""
        self.ensure_schema()
        for stmt in statements("verdicts/schema"):
            self._run_text(stmt)
        start = int(self._run("verdicts/count")[0]["n"])
        df = rows.copy()
        df["decided_at"] = pd.to_datetime(df["decided_at"], utc=True).map(
            lambda t: t.isoformat().replace("+00:00", "Z"))
        recs = records(df)
        for i, r in enumerate(recs):
            r["filed_seq"] = start + i
        self._batched_written("verdicts/add", recs)
        return len(recs)

    def verdicts(self) -> pd.DataFrame:
        """Every stored verdict row, in filing order."""
        return self._frame("verdicts/list")

    def _run_text(self, text: str) -> None:
        with self.driver.session(database=self.database) as s:
            s.run(text).consume()

    def _batched_written(self, name: str, rows: list[dict[str, Any]], **params: Any) -> int:
        total = 0
        q = query(name)
        for i in range(0, len(rows), self.batch_size):
            recs, _, _ = self.driver.execute_query(
                q, {"rows": rows[i:i + self.batch_size], **params}, database_=self.database)
            total += int(recs[0]["written"]) if recs else 0
        return total

    def runs(self) -> list[dict[str, Any]]:
        return [json.loads(r["record"]) for r in self._run("results/runs")]

    def previous_run(self) -> PreviousRun | None:
        ids = [r["run_id"] for r in self._run("results/runs")]
        return self.get_run(ids[-1]) if ids else None

    def get_run(self, run_id: str) -> PreviousRun | None:
        recs = self._run("results/run_get", run_id=run_id)
        if not recs:
            return None
        rec = recs[0]
        types = json.loads(rec["frame_types"])
        mem = self._frame("results/run_members", run_id=run_id)
        if len(mem):
            body = _from_maps(mem["row"].tolist())
            body["account_id"] = mem["account_id"].to_numpy()
            body["cluster_id"] = mem["cluster_id"].to_numpy()
        else:
            body = pd.DataFrame()
        decisions = apply_types(body, types["decisions"])
        members = apply_types(decisions, types["members"])
        has_action = decisions["action"].notna() if "action" in decisions else \
            pd.Series(True, index=decisions.index)
        suspensions = apply_types(decisions[has_action.to_numpy()], types["suspensions"])
        cl = self._frame("results/run_clusters", run_id=run_id)
        cbody = _from_maps(cl["row"].tolist()) if len(cl) else pd.DataFrame()
        if len(cbody) and "pos" in cbody:
            cbody = cbody[cbody["pos"] >= 0]
        clusters = apply_types(cbody, types["clusters"])
        return PreviousRun(
            run=json.loads(rec["record"]), members=members, suspensions=suspensions,
            clusters=clusters, campaigns=json.loads(rec["campaigns"]),
        )

    # ---- saved review queries ----------------------------------------------------------------
    REVIEW_QUERIES = ("review_ring", "account_neighbourhood", "campaign_overview")

    def review(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run one of the saved review queries of cypher/ (as in Neo4j Browser) with params."""
        if name not in self.REVIEW_QUERIES:
            raise ValueError(f"unknown review query {name!r}")
        return self._run(name, **params)

    # ---- community detection in the database (GDS) --------------------------------------------
    def gds_available(self) -> bool:
        """True when the Graph Data Science procedures answer."""
        try:
            self._run("gds/version")
            return True
        except Exception:  # noqa: BLE001  (any error means: no usable GDS)
            return False

    def write_links(self, links: pd.DataFrame) -> int:
        """Replace the (:Account)-[:LINKED {weight, reasons}]->(:Account) graph."""
        with self.driver.session(database=self.database) as s:
            s.run(query("gds/clear_links")).consume()
        cols = [c for c in ("a", "b", "weight", "reasons") if c in links.columns]
        rows = records(links[cols].reset_index(drop=True))
        self._batched("gds/write_links", rows, lambda n: None)
        return len(rows)

    def louvain_in_db(self, links: pd.DataFrame | None = None, *, max_levels: int = 10,
                      tolerance: float = 1e-4) -> pd.DataFrame:
        """Louvain with GDS on the LINKED graph (written first from `links` when given).
        Returns account_id, community (consecutive ints); accounts without links are absent.
        Raises StoreError when GDS is not installed (use the Python path then)."""
        if not self.gds_available():
            raise StoreError("Graph Data Science is not installed on this Neo4j server")
        if links is not None:
            self.write_links(links)
        self._run("gds/drop", graph=GDS_GRAPH)
        try:
            proj = self._run("gds/project", graph=GDS_GRAPH)
            if not proj or not proj[0]["nodes"]:
                return pd.DataFrame({"account_id": pd.Series(dtype="string"),
                                     "community": pd.Series(dtype="int64")})
            out = self._frame("gds/louvain", graph=GDS_GRAPH, max_levels=int(max_levels),
                              tolerance=float(tolerance))
        finally:
            self._run("gds/drop", graph=GDS_GRAPH)
        out["account_id"] = out["account_id"].astype("string")
        out["community"] = out["community"].astype("int64")
        return out.sort_values("account_id", ignore_index=True)

    def require_gds(self) -> None:
        """StoreError unless the Graph Data Science procedures answer (--cluster gds)."""
        if not self.gds_available():
            raise StoreError("--cluster gds needs the Graph Data Science plugin on this Neo4j "
                             "server (`linker neo4j start` installs it); run without it to "
                             "cluster in Python")

    def gds_leiden(self, accounts: pd.Index, comps: list[Any], params: Any) -> list[np.ndarray]:
        """Split the link graph's components with GDS Leiden (`rings.cluster = "gds"`).

        `comps` are linker.detect.communities.Component (account codes into `accounts`, the
        clustering weights among them, the resolution γ_i the Python path would use). Their
        links are written as (:Linked)-[:LINKED {weight, leiden_weight, component}]->(:Linked)
        (the previous link graph is replaced) and Leiden runs once over all of them: with
        each component's weights scaled by s_i = K γ_i / vol_i (vol_i: its total weight, K
        so that the smallest factor is 1) and gamma = Σ γ_j, the modularity of the whole
        graph is Σ_i (γ_i / Σγ) × (component i's modularity at resolution γ_i), whose
        optimum is each component split at its own resolution, as the Python path splits
        them one by one (communities.joint_scaling). Returns a label array per component
        (in its nodes' order)."""
        from linker.detect.communities import joint_scaling

        if not comps:
            return []
        t0 = time.perf_counter()
        scale, gamma = joint_scaling(comps)
        a_parts, b_parts, w_parts, c_parts = [], [], [], []
        for i, cp in enumerate(comps):
            coo = sp_triu(cp.adj)
            a_parts.append(cp.nodes[coo.row])
            b_parts.append(cp.nodes[coo.col])
            w_parts.append(coo.data.astype(np.float64))
            c_parts.append(np.full(coo.nnz, i, dtype=np.int64))
        a = np.concatenate(a_parts)
        b = np.concatenate(b_parts)
        w = np.concatenate(w_parts)
        comp = np.concatenate(c_parts)
        ids = accounts.to_numpy(dtype=object)
        with self.driver.session(database=self.database) as s:
            s.run(query("gds/clear_links")).consume()
        self._run("gds/drop", graph=GDS_GRAPH)
        nodes = np.unique(np.concatenate([cp.nodes for cp in comps]))
        self._batched("gds/link_nodes", ids[nodes].tolist(), lambda n: None)
        q = query("gds/link_edges")
        written = 0
        for i in range(0, len(a), self.batch_size):
            j = slice(i, i + self.batch_size)
            recs, _, _ = self.driver.execute_query(q, {
                "a": ids[a[j]].tolist(), "b": ids[b[j]].tolist(), "weight": w[j].tolist(),
                "scaled": (w[j] * scale[comp[j]]).tolist(), "component": comp[j].tolist(),
            }, database_=self.database)
            written += int(recs[0]["written"]) if recs else 0
        if written != len(a):
            raise StoreError(f"link graph: {len(a) - written} link(s) between accounts that "
                             "are not in the graph")
        self.timings["gds/write_links"] = time.perf_counter() - t0
        t = time.perf_counter()
        try:
            self._run("gds/project_leiden", graph=GDS_GRAPH)
            self.timings["gds/project"] = time.perf_counter() - t
            t = time.perf_counter()
            out = self._frame("gds/leiden", graph=GDS_GRAPH, gamma=gamma,
                              max_levels=int(params.gds_max_levels),
                              tolerance=float(params.gds_tolerance), seed=int(params.seed))
            self.timings["gds/leiden"] = time.perf_counter() - t
        finally:
            self._run("gds/drop", graph=GDS_GRAPH)
        codes = accounts.get_indexer(out["account_id"].to_numpy(dtype=object))
        community = np.full(len(accounts), -1, dtype=np.int64)
        community[codes[codes >= 0]] = out["community"].to_numpy(dtype=np.int64)[codes >= 0]
        parts = [community[cp.nodes] for cp in comps]
        lost = sum(int((p < 0).sum()) for p in parts)
        if lost:
            raise StoreError(f"GDS Leiden returned no community for {lost} linked account(s)")
        return parts


def sp_triu(adj: Any) -> Any:
    """Upper triangle (a < b) of a symmetric CSR matrix as COO: each link once."""
    import scipy.sparse as sp

    return sp.triu(adj, k=1).tocoo()
