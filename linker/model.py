"""The data model every stage shares: what was read (`Dataset`), what a run found
(`Findings`), what a store hands back (`LoadStats`, `PreviousRun`).

Plain dataclasses over pandas frames, with no behaviour beyond building empty ones, so that
any stage can import them without importing another stage.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from linker import contract
from linker.contract import TableSpec

STRING = pd.StringDtype("pyarrow")
TIMESTAMP = "datetime64[ns, UTC]"
INTEGER = "Int64"


# ---- frames ------------------------------------------------------------------------------


@dataclass
class RequestAggregates:
    """The `requests` table reduced while streaming (see docs/internals.md)."""

    totals: pd.DataFrame        # account_id, exchanges, first_seen, last_seen, input_tokens, output_tokens
    hourly: pd.DataFrame        # account_id, hour, exchanges
    identifiers: pd.DataFrame   # account_id, kind, value, first_seen, last_seen, exchanges
    capabilities: pd.DataFrame  # account_id, capability, exchanges

    @classmethod
    def empty(cls) -> RequestAggregates:
        return cls(
            totals=_empty({"account_id": STRING, "exchanges": "int64", "first_seen": TIMESTAMP,
                           "last_seen": TIMESTAMP, "input_tokens": "int64",
                           "output_tokens": "int64"}),
            hourly=_empty({"account_id": STRING, "hour": TIMESTAMP, "exchanges": "int64"}),
            identifiers=_empty({"account_id": STRING, "kind": STRING, "value": STRING,
                                "first_seen": TIMESTAMP, "last_seen": TIMESTAMP,
                                "exchanges": "int64"}),
            capabilities=_empty({"account_id": STRING, "capability": STRING,
                                 "exchanges": "int64"}),
        )


@dataclass
class IngestInfo:
    """What was read: per-table file (path, sha256, rows), rows dropped because their
    account_id is not in accounts, and extra columns that were ignored."""

    data_dir: str = ""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    unknown_accounts: dict[str, int] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Dataset:
    accounts: pd.DataFrame      # one row per account, sorted by account_id
    payments: pd.DataFrame
    ip_events: pd.DataFrame
    requests: RequestAggregates
    info: IngestInfo = field(default_factory=IngestInfo)


# Contract columns that are stored but that no stage after the load reads (the user agents
# are half a gigabyte of the 1M world's 2.3 GB of tables in memory).
UNREAD_COLUMNS: dict[str, tuple[str, ...]] = {"accounts": ("user_agent",),
                                              "ip_events": ("user_agent",)}


def without_unread(ds: Dataset) -> Dataset:
    """`ds` without `UNREAD_COLUMNS`, for the stages after the load (the store keeps them)."""
    from dataclasses import replace

    return replace(ds, **{t: getattr(ds, t).drop(columns=[c for c in cols if c in getattr(ds, t)])
                          for t, cols in UNREAD_COLUMNS.items()})


def _empty(dtypes: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


_DTYPES = {"string": STRING, "timestamp": TIMESTAMP, "integer": INTEGER, "float": "float64"}


def empty_frame(spec: TableSpec | str) -> pd.DataFrame:
    """An empty frame with the contract columns of a table and their dtypes."""
    spec = contract.TABLES[spec] if isinstance(spec, str) else spec
    return _empty({c.name: _DTYPES[c.type] for c in spec.columns})


def empty_dataset() -> Dataset:
    """A Dataset with no rows (a store with nothing loaded yet)."""
    return Dataset(
        accounts=empty_frame(contract.ACCOUNTS),
        payments=empty_frame(contract.PAYMENTS),
        ip_events=empty_frame(contract.IP_EVENTS),
        requests=RequestAggregates.empty(),
    )



# ---- results ----------------------------------------------------------------------------


@dataclass
class Findings:
    run: dict[str, Any]
    suspensions: pd.DataFrame
    members: pd.DataFrame
    clusters: pd.DataFrame
    campaigns: list[dict[str, Any]]
    # Detail for review packets / explain: links and evidence among ring members,
    # daily activity per ring member (account_id, day, exchanges) and the ring members'
    # account rows (account_id, created_at, email, phone, signup_ip, device_id, country, org_id).
    links: pd.DataFrame = field(default_factory=pd.DataFrame)
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    activity: pd.DataFrame = field(default_factory=pd.DataFrame)
    accounts: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: dict[str, Any] | None = None
    # the latest review verdict of each flagged account that has one (linker.feedback)
    verdicts: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def run_id(self) -> str:
        return str(self.run.get("run_id", ""))


@dataclass
class LoadStats:
    """What a load added; `skipped_files` are batches already loaded (same sha256)."""

    rows: dict[str, int] = field(default_factory=dict)          # rows read per table
    added: dict[str, int] = field(default_factory=dict)         # new rows/entities per table
    skipped_files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def rows_per_second(self) -> dict[str, float]:
        s = max(self.seconds, 1e-9)
        return {k: v / s for k, v in self.rows.items()}


@dataclass
class PreviousRun:
    """What the next run needs from the last one: its record and its memberships."""

    run: dict[str, Any]
    members: Any      # DataFrame: account_id, cluster_id, campaign_id
    suspensions: Any  # DataFrame: SUSPENSIONS_COLUMNS
    clusters: Any     # DataFrame: CLUSTERS_COLUMNS
    campaigns: list[dict[str, Any]]


