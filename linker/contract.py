"""The data contract (shared/design/data-contract.md) as data: one place that says
which tables and columns exist, which are required and how each is typed.

Readers, validators, the demo generator and the exporters all use these specs, so the
contract cannot drift between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColType = Literal["string", "timestamp", "integer", "float"]


# Bounds that keep hostile or broken exports from overflowing sums or charts (bad input
# beyond them stops the run with exit code 2, like any other contract violation).
MAX_TEXT = 256                 # characters in an id, code or name
MAX_LONG_TEXT = 1024           # characters in a user agent, note or source
MAX_COUNT = 10**9              # `count` of one requests row
MAX_TOKENS = 10**12            # `input_tokens` / `output_tokens` of one requests row
MAX_ASN = 2**32 - 1            # the largest autonomous system number
MAX_BATCH_SUM = 10**15         # sum of `count` (or of a token column) over one batch
TIMESTAMP_MIN = "1900-01-01T00:00:00Z"   # timestamps must lie in [MIN, MAX)
TIMESTAMP_MAX = "2200-01-01T00:00:00Z"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColType
    required: bool = False
    max_len: int = MAX_TEXT            # strings: longest value accepted
    max_value: int | None = None       # integers: largest value accepted


@dataclass(frozen=True)
class TableSpec:
    name: str
    required: bool
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def types(self) -> dict[str, ColType]:
        return {c.name: c.type for c in self.columns}


ACCOUNTS = TableSpec(
    "accounts",
    required=True,
    key=("account_id",),
    columns=(
        Column("account_id", "string", True),
        Column("created_at", "timestamp", True),
        Column("email", "string"),
        Column("phone", "string"),
        Column("signup_ip", "string"),
        Column("device_id", "string"),
        Column("user_agent", "string", max_len=MAX_LONG_TEXT),
        Column("country", "string"),
        Column("org_id", "string"),
    ),
)

PAYMENTS = TableSpec(
    "payments",
    required=False,
    columns=(
        Column("account_id", "string", True),
        Column("card_fingerprint", "string", True),
        Column("card_bin", "string"),
        Column("card_country", "string"),
        Column("funding", "string"),
        Column("billing_postal_code", "string"),
        Column("created_at", "timestamp"),
    ),
)

IP_EVENTS = TableSpec(
    "ip_events",
    required=False,
    columns=(
        Column("account_id", "string", True),
        Column("ip", "string", True),
        Column("seen_at", "timestamp", True),
        Column("event", "string"),
        Column("asn", "integer", max_value=MAX_ASN),
        Column("asn_org", "string"),
        Column("user_agent", "string", max_len=MAX_LONG_TEXT),
    ),
)

REQUESTS = TableSpec(
    "requests",
    required=False,
    columns=(
        Column("account_id", "string", True),
        Column("ts", "timestamp", True),
        Column("count", "integer", max_value=MAX_COUNT),
        Column("api_key_id", "string"),
        Column("ip", "string"),
        Column("prompt_fingerprint", "string"),
        Column("capability", "string"),
        Column("input_tokens", "integer", max_value=MAX_TOKENS),
        Column("output_tokens", "integer", max_value=MAX_TOKENS),
    ),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (ACCOUNTS, PAYMENTS, IP_EVENTS, REQUESTS)}

INDICATORS = TableSpec(
    "indicators",
    required=False,
    columns=(
        Column("operator", "string", True),
        Column("kind", "string", True),
        Column("value", "string", True),
        Column("confidence", "float"),
        Column("source", "string", max_len=MAX_LONG_TEXT),
    ),
)
INDICATOR_KINDS = (
    "ip", "cidr", "asn", "card_bin", "email_domain", "device_id", "prompt_fingerprint", "org_id",
)

ALLOWLIST = TableSpec(
    "allowlist",
    required=False,
    columns=(
        Column("kind", "string", True),
        Column("value", "string", True),
        Column("note", "string", max_len=MAX_LONG_TEXT),
    ),
)
# Review verdicts filed by the fraud team (`linker verdicts add`, `linker run --verdicts`):
# subject is an account_id or a cluster_id of a recorded run.
VERDICTS = TableSpec(
    "verdicts",
    required=False,
    columns=(
        Column("subject", "string", True),
        Column("verdict", "string", True),
        Column("reviewer", "string", True),
        Column("decided_at", "timestamp", True),
        Column("note", "string", max_len=MAX_LONG_TEXT),
    ),
)
VERDICT_VALUES = ("confirmed", "cleared", "unsure")
ALLOWLIST_KINDS = (
    "ip", "cidr", "asn", "card_fingerprint", "device_id", "email_domain", "org_id", "account_id",
)

# File forms a table may take, in the order they are looked for.
TABLE_SUFFIXES = (".parquet", ".csv", ".csv.gz")

# ---- outputs -------------------------------------------------------------------------
SUSPENSIONS_COLUMNS = ["account_id", "action", "score", "cluster_id", "campaign_id", "reasons"]
CLUSTERS_COLUMNS = [
    "cluster_id", "campaign_id", "size", "score", "first_seen", "last_seen", "exchanges", "reasons",
]
MEMBERS_COLUMNS = ["account_id", "cluster_id", "campaign_id"]
CAMPAIGN_KEYS = [
    "campaign_id", "operator", "confidence", "accounts", "clusters", "exchanges", "first_seen",
    "last_seen", "capabilities", "infrastructure", "evidence", "campaign_confidence", "basis",
    "indicators",
]
