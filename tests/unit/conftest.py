"""Helpers to write small contract tables in each file form (CSV text as typed, gzip, Parquet)."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

Form = str  # "csv", "csv.gz" or "parquet"


def write_table(data_dir: Path, name: str, table: str | pd.DataFrame, form: Form = "csv") -> Path:
    """Write one table. A str is CSV text written verbatim (so tests control every byte and
    line number); a DataFrame is written as strings (every cell, so ids keep leading zeros)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{name}.{form}"
    if isinstance(table, str):
        text = table
        if form == "parquet":
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    else:
        text = table.to_csv(index=False)
    if form == "csv":
        path.write_text(text)
    elif form == "csv.gz":
        path.write_bytes(gzip.compress(text.encode()))
    elif form == "parquet":
        frame = table.astype("string").replace("", pd.NA)
        frame.to_parquet(path, index=False)
    else:
        raise ValueError(form)
    return path


def write_dataset(data_dir: Path, tables: dict[str, str | pd.DataFrame], form: Form = "csv") -> Path:
    for name, table in tables.items():
        write_table(data_dir, name, table, form)
    return data_dir


ACCOUNTS_CSV = """account_id,created_at,email,phone,signup_ip,device_id,user_agent,country,org_id
007,2024-03-01T10:00:00Z,Ann.Lee+spam@Gmail.com,(415) 555-2671,203.0.113.7,d1,ua,US,
008,2024-03-01T10:05:00+02:00, bob@example.com ,020 7946 0958,::ffff:198.51.100.9,d1,ua,GB,org1
0100,2024-03-02 09:00:00,,,2001:db8:1:2::5,,,NA,org1
"""

PAYMENTS_CSV = """account_id,card_fingerprint,card_bin,card_country,funding,billing_postal_code,created_at
007,fp1,041234,US,credit,02139,2024-03-01T10:01:00Z
008,fp1,041234,US,credit,02139,
999,fp2,5500,US,debit,,
"""

IP_EVENTS_CSV = """account_id,ip,seen_at,event,asn,asn_org,user_agent
007,203.0.113.7,2024-03-01T10:00:00Z,login,0064500,Example Cloud,ua
0100,2001:DB8:1:2::5,2024-03-02T09:00:00Z,api,,,
"""

REQUESTS_CSV = """account_id,ts,count,api_key_id,ip,prompt_fingerprint,capability,input_tokens,output_tokens
007,2024-03-01T10:10:00Z,,k1,203.0.113.7,p1,coding,100,200
007,2024-03-01T10:50:00Z,5,k1,::ffff:203.0.113.7,p1,coding,,
008,2024-03-01T11:10:00Z,2,k2,,p1,,10,
nobody,2024-03-01T11:10:00Z,3,k3,,,,,
"""


def small_tables() -> dict[str, str]:
    return {"accounts": ACCOUNTS_CSV, "payments": PAYMENTS_CSV, "ip_events": IP_EVENTS_CSV,
            "requests": REQUESTS_CSV}


def snapshot(*dirs: Path) -> dict[str, str]:
    """Every file under the directories with its sha256 (to show nothing was written)."""
    out = {}
    for d in dirs:
        for p in sorted(Path(d).rglob("*")):
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


@pytest.fixture
def small_dataset_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write the small dataset (optionally with some tables replaced) and return its dir."""

    def make(form: Form = "csv", **replace: str | None) -> Path:
        tables = {**small_tables(), **replace}
        return write_dataset(tmp_path / f"data-{form}",
                             {k: v for k, v in tables.items() if v is not None}, form)

    return make


# ---- every STIX bundle a test produces is checked by stix2-validator ------------------------

# warnings that are expected and reasoned in README.md ("STIX export"): ids are uuid5 of the
# campaign id and value (stable across reruns, so platforms update instead of duplicating),
# not random uuid4
ALLOWED_STIX_WARNINGS = ("{103}",)


def validate_bundle(bundle: dict) -> None:
    """stix2-validator on one bundle: no error, and only the reasoned warnings."""
    import json

    validator = pytest.importorskip("stix2validator")
    result = validator.validate_string(json.dumps(bundle), validator.ValidationOptions())
    assert result.is_valid, [str(e) for e in result.errors]
    odd = [str(w) for w in result.warnings if not any(code in str(w) for code in ALLOWED_STIX_WARNINGS)]
    assert not odd, odd


@pytest.fixture(autouse=True)
def _validate_every_stix_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap `campaigns_to_stix` so that each bundle built in this process is validated."""
    from linker.outputs import stix

    real = stix.campaigns_to_stix

    def checked(*args: object, **kwargs: object) -> dict:
        bundle = real(*args, **kwargs)
        validate_bundle(bundle)
        return bundle

    monkeypatch.setattr(stix, "campaigns_to_stix", checked)
