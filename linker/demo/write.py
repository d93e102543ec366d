"""Turn a drawn ``World`` into contract tables, ground truth and files (the only I/O of the
demo generator). Identifier columns are built as Arrow dictionary arrays over code columns
(fast), then decoded to plain strings so every reader sees the contract's types."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from linker.demo import catalog as cat
from linker.demo.world import DAY, EVENTS, WINDOW_START, World

TS = pa.timestamp("us", tz="UTC")


def _dict(codes: np.ndarray, dictionary: np.ndarray) -> pa.Array:
    """String column from codes into a dictionary (-1 = unknown), taken in C++."""
    codes = np.asarray(codes, dtype=np.int64)
    values = pa.array(np.asarray(dictionary, dtype=object), type=pa.string(), from_pandas=True)
    return pc.take(values, pa.array(np.maximum(codes, 0), mask=codes < 0, type=pa.int64()))


def _str(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)


def _ts(seconds: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(seconds, dtype=np.int64) * 1_000_000, type=pa.int64()).cast(TS)


def _int(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=null, type=pa.int64())


def _iso(seconds: np.ndarray | pd.Series) -> np.ndarray:
    return np.datetime_as_string(np.asarray(seconds, dtype="datetime64[s]"), unit="s", timezone="UTC")


def assemble(w: World) -> dict[str, tuple[pa.Table, np.ndarray]]:
    """Contract tables, each with the timestamp (epoch s) that decides its week."""
    a = w.acct_chunks[0]
    ids = a["id"]
    ip_str, ip_as = w.ips.table()
    asn = np.array([x.asn for x in cat.ASES], dtype=np.int64)
    asn_org = np.array([x.org for x in cat.ASES], dtype=object)
    countries = np.array([c.code for c in cat.COUNTRIES], dtype=object)
    n = len(ids)

    order = np.lexsort((ids, a["created"]))
    accounts = pa.table({
        "account_id": _str(ids[order]),
        "created_at": _ts(a["created"][order]),
        "email": _str(a["email"][order]),
        "phone": _str(a["phone"][order]),
        "signup_ip": _dict(a["signup_ip"][order], ip_str),
        "device_id": _str(a["device"][order]),
        "user_agent": _str(a["ua"][order]),
        "country": _str(countries[a["country"][order]]),
        "org_id": _str(a["org_id"][order]),
    })

    p = {k: np.concatenate([c[k] for c in w.pay_chunks]) for c in w.pay_chunks[:1] for k in c}
    po = np.lexsort((p["fp"], p["acct"], p["created"]))
    payments = pa.table({
        "account_id": _dict(p["acct"][po], ids),
        "card_fingerprint": _str(p["fp"][po]),
        "card_bin": _str(p["bin"][po]),
        "card_country": _str(p["card_country"][po]),
        "funding": _str(p["funding"][po]),
        "billing_postal_code": _str(p["postal"][po]),
        "created_at": _ts(p["created"][po]),
    })

    r = {k: np.concatenate([c[k] for c in w.requests]) for k in w.requests[0]}
    ro = np.lexsort((r["acct"], r["ts"]))
    r = {k: v[ro] for k, v in r.items()}
    prompts = np.concatenate(w.prompts)
    keys = np.concatenate(w.keys)
    requests = pa.table({
        "account_id": _dict(r["acct"], ids),
        "ts": _ts(r["ts"]),
        "count": _int(r["count"], r["count"] < 0),
        "api_key_id": _dict(r["key"], keys),
        "ip": _dict(r["ip"], ip_str),
        "prompt_fingerprint": _dict(r["prompt"], prompts),
        "capability": _dict(r["cap"], np.array(cat.CAPABILITIES, dtype=object)),
        "input_tokens": _int(r["tin"]),
        "output_tokens": _int(r["tout"]),
    })

    # ip_events: sign-up, logins, and the first API call of each account from each address
    lg = {k: np.concatenate([c[k] for c in w.login_chunks]) for k in w.login_chunks[0]}
    api = (r["key"] >= 0) & (r["ip"] >= 0)
    pair = r["acct"][api] * np.int64(len(ip_str)) + r["ip"][api]
    _, first = np.unique(pair, return_index=True)
    ev_acct = np.concatenate([np.arange(n), lg["acct"], r["acct"][api][first]])
    ev_ip = np.concatenate([a["signup_ip"], lg["ip"], r["ip"][api][first]])
    ev_seen = np.concatenate([a["created"], lg["seen"], r["ts"][api][first]])
    ev_kind = np.concatenate([np.zeros(n, np.int8), lg["event"], np.full(len(first), 2, np.int8)])
    api_ua = np.array(cat.API_UAS, dtype=object)
    ev_ua = np.where(ev_kind == 2, api_ua[ev_acct % len(api_ua)], a["ua"][ev_acct])
    eo = np.lexsort((ev_kind, ev_acct, ev_seen))
    ev_acct, ev_ip, ev_seen, ev_kind, ev_ua = (x[eo] for x in (ev_acct, ev_ip, ev_seen, ev_kind, ev_ua))
    as_i = ip_as[ev_ip]
    no_asn = (ev_acct * 2654435761 + ev_seen) % 37 == 0  # the enrichment misses a few
    ip_events = pa.table({
        "account_id": _dict(ev_acct, ids),
        "ip": _dict(ev_ip, ip_str),
        "seen_at": _ts(ev_seen),
        "event": _dict(ev_kind, np.array(EVENTS, dtype=object)),
        "asn": _int(asn[as_i], no_asn),
        "asn_org": _dict(np.where(no_asn, -1, as_i), asn_org),
        "user_agent": _str(ev_ua),
    })
    return {
        "accounts": (accounts, a["created"][order]),
        "payments": (payments, p["created"][po]),
        "ip_events": (ip_events, ev_seen),
        "requests": (requests, r["ts"]),
    }, r


def truth_frames(w: World, r: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    """Ground truth: who is fraud, in which ring and campaign, and what each campaign did."""
    a = w.acct_chunks[0]
    n = len(a["id"])
    ring_tab = pd.DataFrame([{k: x[k] for k in ("ring_id", "campaign_id", "evidence", "size")} for x in w.rings])
    camp_op = {c["campaign_id"]: c["operator"] for c in w.campaigns}
    allow = {x["value"] for x in w.allowlist if x["kind"] == "account_id"}
    ring = a["ring"]
    fraud = ring >= 0
    ring_id = np.full(n, None, dtype=object)
    ring_id[fraud] = ring_tab["ring_id"].to_numpy()[ring[fraud]]
    camp_id = np.full(n, None, dtype=object)
    camp_id[fraud] = ring_tab["campaign_id"].to_numpy()[ring[fraud]]
    evidence = np.full(n, None, dtype=object)
    evidence[fraud] = ring_tab["evidence"].to_numpy()[ring[fraud]]
    operator = np.array([camp_op.get(c) if c else None for c in pd.unique(camp_id)], dtype=object)
    op_map = dict(zip(pd.unique(camp_id), operator, strict=True))
    accounts = pd.DataFrame({
        "account_id": a["id"], "is_fraud": fraud, "ring_id": ring_id, "campaign_id": camp_id,
        "operator": pd.Series(camp_id).map(op_map).to_numpy(), "evidence": evidence,
        "allowlisted": np.isin(a["id"], list(allow)),
        "legit_group": np.where(fraud, None, a["group_name"]),
    }).sort_values("account_id", kind="stable").reset_index(drop=True)

    cnt = np.where(r["count"] < 0, 1, r["count"])
    racct = r["acct"]
    rring = ring[racct]
    fr = rring >= 0
    df = pd.DataFrame({"ring": rring[fr], "ts": r["ts"][fr], "n": cnt[fr], "cap": r["cap"][fr]})
    df["campaign_id"] = ring_tab["campaign_id"].to_numpy()[df["ring"]]
    g = df.groupby("ring").agg(exchanges=("n", "sum"), first=("ts", "min"), last=("ts", "max"))
    ring_tab["exchanges"] = g["exchanges"].reindex(range(len(ring_tab)), fill_value=0).to_numpy()
    ring_tab["first_seen"] = _iso(g["first"].reindex(range(len(ring_tab))).fillna(0).to_numpy())
    ring_tab["last_seen"] = _iso(g["last"].reindex(range(len(ring_tab))).fillna(0).to_numpy())
    rows = []
    for cid, sub in df.groupby("campaign_id", sort=True):
        by_cap = sub.groupby("cap")["n"].sum()
        shares = (by_cap / by_cap.sum()).sort_values(ascending=False)
        names = [cat.CAPABILITIES[int(i)] for i in shares.index]
        rings_c = ring_tab[ring_tab["campaign_id"] == cid]
        rows.append({
            "campaign_id": cid, "operator": camp_op[cid], "accounts": int(rings_c["size"].sum()),
            "rings": len(rings_c), "exchanges": int(sub["n"].sum()),
            "first_seen": _iso(np.array([sub["ts"].min()]))[0], "last_seen": _iso(np.array([sub["ts"].max()]))[0],
            "capabilities": ";".join(nm for nm, s in zip(names, shares, strict=True) if s >= 0.1),
            "capability_shares": ";".join(f"{nm}={s:.3f}" for nm, s in zip(names, shares, strict=True)),
            "clear_rings": int((rings_c["evidence"] == "clear").sum()),
            "stealth_rings": int((rings_c["evidence"] == "stealth").sum()),
            **{f"{tier}_rings": int((rings_c["evidence"] == tier).sum())
               for tier in ("camouflaged", "low_and_slow") if (ring_tab["evidence"] == tier).any()},
        })
    campaigns = pd.DataFrame(rows)
    indicators = pd.DataFrame(w.indicators, columns=["operator", "kind", "value", "confidence", "source"])
    allowlist = pd.DataFrame(w.allowlist, columns=["kind", "value", "note"])
    return {"accounts": accounts, "campaigns": campaigns, "rings": ring_tab, "indicators": indicators,
            "allowlist": allowlist}


def _write_table(t: pa.Table, path_base: Path, fmt: str) -> Path:
    if fmt == "parquet":
        path = path_base.with_suffix(".parquet")
        pq.write_table(t, path, compression="zstd")
        return path
    cols = []
    for f in t.schema:
        col = t[f.name]
        if pa.types.is_timestamp(f.type):
            col = pc.strftime(col.cast(pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%SZ")
        cols.append(col)
    path = path_base.with_suffix(".csv")
    pacsv.write_csv(pa.table(cols, names=t.column_names), path,
                    write_options=pacsv.WriteOptions(quoting_style="needed", batch_size=1 << 16))
    return path


def week_boundaries(w: World, weeks: int) -> np.ndarray:
    return WINDOW_START + np.arange(1, weeks) * 7 * DAY


def write_tables(tables: dict[str, tuple[pa.Table, np.ndarray]], out_dir: Path, fmt: str, weeks: int,
                 w: World) -> dict[str, Path]:
    """Write each table once (weeks == 1) or split by week into week1/, week2/, ..."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if weeks == 1:
        for name, (t, _) in tables.items():
            written[name] = _write_table(t, out_dir / name, fmt)
        return written
    bounds = week_boundaries(w, weeks)
    for name, (t, when) in tables.items():
        week = np.searchsorted(bounds, when, side="right")
        for k in range(weeks):
            d = out_dir / f"week{k + 1}"
            d.mkdir(parents=True, exist_ok=True)
            written[f"week{k + 1}/{name}"] = _write_table(t.filter(pa.array(week == k)), d / name, fmt)
    return written


def write_csv_frame(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")
