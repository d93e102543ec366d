"""Small hand-made Datasets for the ring-detection unit tests (contract columns, typed like
ingest.read_dataset output)."""

from __future__ import annotations

import pandas as pd

from linker.ingest.read import aggregate_requests
from linker.model import Dataset, RequestAggregates, empty_frame

T0 = pd.Timestamp("2026-01-01T00:00:00Z")


def _typed(name: str, rows: list[dict] | pd.DataFrame | None) -> pd.DataFrame:
    ref = empty_frame(name)
    if rows is None or len(rows) == 0:
        return ref
    df = pd.DataFrame(rows)
    for c in ref.columns:
        if c not in df:
            df[c] = pd.NA
        if str(ref[c].dtype).startswith("datetime64"):
            df[c] = pd.to_datetime(df[c], utc=True)
    return df[list(ref.columns)].astype(ref.dtypes.to_dict())


def make_ds(accounts: list[dict], payments: list[dict] | None = None,
            ip_events: list[dict] | None = None, requests: list[dict] | None = None) -> Dataset:
    """Dataset from row dicts; missing contract columns become <NA>."""
    acc = _typed("accounts", accounts).sort_values("account_id", ignore_index=True)
    req = RequestAggregates.empty()
    if requests:
        req = aggregate_requests(_typed("requests", requests))
    return Dataset(accounts=acc, payments=_typed("payments", payments),
                   ip_events=_typed("ip_events", ip_events), requests=req)


def background(n: int, prefix: str = "u", spread_hours: int = 24 * 60) -> list[dict]:
    """n unrelated accounts, sign-ups spread over `spread_hours`, nothing shared."""
    return [
        {
            "account_id": f"{prefix}{i:05d}",
            "created_at": T0 + pd.Timedelta(minutes=int(i * spread_hours * 60 / max(n, 1))),
            "email": f"{prefix}{i}@gmail.com",
            "signup_ip": f"10.{(i // 250) % 250}.{i % 250}.{(i * 7) % 250 + 1}",
            "device_id": f"dev-{prefix}{i}",
        }
        for i in range(n)
    ]
