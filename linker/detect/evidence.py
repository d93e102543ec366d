"""Evidence: every identifier an account used, as long (account × identifier) rows.

This is the only place that knows where each identifier comes from (accounts, payments,
ip_events, request aggregates). Later stages see one uniform table, so adding a source is a
local change. Internally the table is integer-coded (account code, kind code, value code)
because at a million accounts it has tens of millions of rows; the public frame
(`account_id, kind, value, first_seen, last_seen, count`) is materialised only for the
accounts a caller asks for.

Allow-listed identifiers are removed here, so they can never link accounts, and kept apart
for review packets.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from linker.model import Dataset

KINDS: tuple[str, ...] = (
    "email", "email_domain", "phone", "signup_ip", "ip", "subnet", "asn", "device", "card",
    "card_bin_postal", "api_key", "prompt", "org",
)
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
EVIDENCE_COLUMNS = ["account_id", "kind", "value", "first_seen", "last_seen", "count"]

# allowlist kind -> evidence kinds it neutralises (cidr is handled by containment)
_ALLOW_KINDS: dict[str, tuple[str, ...]] = {
    "ip": ("signup_ip", "ip"),
    "asn": ("asn",),
    "card_fingerprint": ("card",),
    "device_id": ("device",),
    "email_domain": ("email_domain",),
    "org_id": ("org",),
}
_V4_RE = r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"
STRING = pd.StringDtype("pyarrow")


@dataclass
class EvidenceTable:
    """Integer-coded evidence: one row per (account, kind, value).

    `acct` indexes `accounts` (sorted account ids), `vcode` indexes `values`.
    """

    accounts: pd.Index          # sorted account ids (the code space)
    acct: np.ndarray            # int32
    kind: np.ndarray            # int8, index into KINDS
    vcode: np.ndarray           # int64, index into `values`
    first_seen: np.ndarray      # datetime64[ns] (UTC, naive inside)
    last_seen: np.ndarray
    count: np.ndarray           # int64
    values: np.ndarray          # object array of value strings

    def __len__(self) -> int:
        return int(self.acct.size)

    def take(self, mask: np.ndarray) -> EvidenceTable:
        return EvidenceTable(
            self.accounts, self.acct[mask], self.kind[mask], self.vcode[mask],
            self.first_seen[mask], self.last_seen[mask], self.count[mask], self.values,
        )

    def to_frame(self, accounts: np.ndarray | None = None) -> pd.DataFrame:
        """Public evidence frame, optionally only for the given account codes."""
        t = self if accounts is None else self.take(np.isin(self.acct, accounts))
        order = np.lexsort((t.vcode, t.kind, t.acct))
        t = t.take(order)
        return pd.DataFrame({
            "account_id": pd.array(t.accounts.to_numpy()[t.acct], dtype=STRING),
            "kind": pd.array(np.array(KINDS, dtype=object)[t.kind], dtype=STRING),
            "value": pd.array(t.values[t.vcode], dtype=STRING),
            "first_seen": pd.to_datetime(t.first_seen).tz_localize("UTC"),
            "last_seen": pd.to_datetime(t.last_seen).tz_localize("UTC"),
            "count": t.count.astype("int64"),
        })


# ---------------------------------------------------------------------------------------
# helpers


def _str(s: pd.Series) -> pd.Series:
    out = s.astype(STRING).str.strip()
    return out.mask(out == "")


def _utc_naive(s: pd.Series) -> np.ndarray:
    """datetime64[ns] values in UTC without zone (numpy-friendly)."""
    t = pd.to_datetime(s, utc=True, errors="coerce")
    return t.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df:
        return df[name]
    return pd.Series(pd.NA, index=df.index, dtype=STRING)


def _v4_subnet(ip: pd.Series) -> pd.Series:
    """/24 of IPv4 strings, /48 of IPv6 (normalize.ip_subnet, guarded for frames without any
    IPv4 value, which it does not handle)."""
    from linker.ingest.normalize import _CANON_V4_RE, ip_subnet

    s = ip.astype(STRING)
    if not s.str.match(_CANON_V4_RE).fillna(False).astype(bool).any():
        if s.notna().sum() == 0:
            return pd.Series(pd.NA, index=s.index, dtype=STRING)
        pad = pd.concat([s, pd.Series(["0.0.0.0"], dtype=STRING)], ignore_index=True)
        return pd.Series(ip_subnet(pad, normalized=True).iloc[:-1].to_numpy(),
                         index=s.index, dtype=STRING)
    return ip_subnet(s, normalized=True)


def ensure_normalised(ds: Dataset) -> Dataset:
    """The Dataset with the normalised columns of docs/internals.md (added if missing)."""
    from dataclasses import replace

    from linker.ingest.normalize import normalize_email, normalize_ip, normalize_phone

    def safe(fn, col: pd.Series, *args):  # normalize.* assume at least one present value
        if col.notna().sum() == 0:
            return pd.Series(pd.NA, index=col.index, dtype=STRING)
        return fn(col, *args)

    acc = ds.accounts
    if not {"email_norm", "email_domain", "phone_e164", "signup_ip_norm",
            "signup_subnet"}.issubset(acc.columns):
        acc = acc.copy()
        acc["email_norm"] = safe(normalize_email, acc["email"])
        acc["email_domain"] = (
            acc["email_norm"].str.rpartition("@")[2].astype(STRING).mask(lambda d: d == "")
        ) if acc["email_norm"].notna().any() else pd.Series(pd.NA, index=acc.index, dtype=STRING)
        acc["phone_e164"] = safe(normalize_phone, acc["phone"], acc["country"])
        acc["signup_ip_norm"] = safe(normalize_ip, acc["signup_ip"])
        acc["signup_subnet"] = _v4_subnet(acc["signup_ip_norm"])
    ev = ds.ip_events
    if not {"ip_norm", "subnet"}.issubset(ev.columns):
        ev = ev.copy()
        ev["ip_norm"] = safe(normalize_ip, ev["ip"])
        ev["subnet"] = _v4_subnet(ev["ip_norm"])
    if acc is ds.accounts and ev is ds.ip_events:
        return ds
    return replace(ds, accounts=acc, ip_events=ev)


@dataclass
class _Part:
    acct: np.ndarray      # int32 account codes
    kind: int
    code: np.ndarray      # int64 codes into `uniques`
    uniques: np.ndarray   # object array of distinct values of this part
    first: np.ndarray     # int64 ns (NaT as int64 min)
    last: np.ndarray
    count: np.ndarray


def sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based plain unique is far slower on big int64)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if x.size else x


def account_codes(accounts: pd.Index, ids: pd.Series) -> np.ndarray:
    """Account code (position in the sorted `accounts` index; -1 unknown) of each id.

    Factorises first so that only distinct ids are hashed as Python strings: a column of
    tens of millions of rows costs one pass in Arrow plus a lookup per account."""
    codes, uniques = pd.factorize(ids.astype(STRING) if ids.dtype != STRING else ids)
    pos = accounts.get_indexer(np.asarray(uniques, dtype=object)).astype(np.int64)
    out = np.full(codes.size, -1, dtype=np.int64)
    ok = codes >= 0
    out[ok] = pos[codes[ok]]
    return out


def _part(acct: np.ndarray, kind: str, value: pd.Series, first: np.ndarray,
          last: np.ndarray, count: np.ndarray) -> _Part:
    value = _str(value)
    code, uniques = pd.factorize(value)
    keep = (code >= 0) & (acct >= 0)
    return _Part(
        acct=acct[keep].astype(np.int32), kind=KIND_CODE[kind], code=code[keep].astype(np.int64),
        uniques=np.asarray(uniques, dtype=object), first=first[keep].view(np.int64),
        last=last[keep].view(np.int64), count=count[keep].astype(np.int64),
    )


def _combine_parts(parts: list[_Part], n_acc: int) -> tuple[np.ndarray, ...]:
    """Aggregate parts per (account, kind, value): min first, max last, sum count.

    Values get global codes through one factorisation of the parts' distinct values; the
    aggregation is a sort on one packed int64 key plus numpy reductions (no groupby)."""
    parts = [p for p in parts if p.acct.size]
    if not parts:
        z = np.zeros(0, np.int64)
        return (z.astype(np.int32), z.astype(np.int8), z, z.view("datetime64[ns]"),
                z.view("datetime64[ns]"), z, np.array([], dtype=object))
    gcode, values = pd.factorize(np.concatenate([p.uniques for p in parts]))
    offsets = np.cumsum([0] + [p.uniques.size for p in parts])
    acct = np.concatenate([p.acct for p in parts]).astype(np.int64)
    kind = np.concatenate([np.full(p.acct.size, p.kind, np.int64) for p in parts])
    vcode = np.concatenate([gcode[o + p.code] for p, o in zip(parts, offsets[:-1], strict=True)])
    first = np.concatenate([p.first for p in parts])
    last = np.concatenate([p.last for p in parts])
    count = np.concatenate([p.count for p in parts])
    del parts
    abits = max(int(n_acc).bit_length(), 1)
    vbits = max(int(len(values)).bit_length(), 1)
    if abits + vbits + 4 <= 62:
        key = (((kind << vbits) | vcode) << abits) | acct  # sort by kind, value, account
        order = np.argsort(key)  # keys are unique per group: any order within one is fine
        key = key[order]
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    else:  # more accounts or values than fit one int64 key: lexsort
        order = np.lexsort((acct, vcode, kind))
        k3 = np.stack([kind[order], vcode[order], acct[order]])
        start = np.flatnonzero(np.r_[True, (k3[:, 1:] != k3[:, :-1]).any(axis=0)])
    nat = np.iinfo(np.int64).min
    f = first[order]
    f = np.where(f == nat, np.iinfo(np.int64).max, f)
    f = np.minimum.reduceat(f, start)
    f = np.where(f == np.iinfo(np.int64).max, nat, f)
    lst = np.maximum.reduceat(last[order], start)
    cnt = np.add.reduceat(count[order], start)
    idx = order[start]
    return (acct[idx].astype(np.int32), kind[idx].astype(np.int8), vcode[idx].astype(np.int64),
            f.view("datetime64[ns]"), lst.view("datetime64[ns]"), cnt,
            np.asarray(values, dtype=object))


# Mailbox providers anyone can sign up with: sharing one says nothing, however small the
# sample. Other domains count as evidence only while few accounts use them.
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
    "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
    "yandex.ru", "yandex.com", "mail.ru", "qq.com", "163.com", "126.com", "zoho.com",
    "fastmail.com", "tutanota.com", "hey.com", "naver.com", "orange.fr", "free.fr",
})


def _rare_domains(domain: pd.Series, max_accounts: int) -> pd.Series:
    """Domains used by at most `max_accounts` accounts and not public mailbox providers."""
    counts = domain.value_counts()
    rare = domain.map(counts).le(max_accounts).fillna(False).astype(bool)
    public = domain.isin(PUBLIC_MAIL_DOMAINS).fillna(False).astype(bool)
    return domain.where(rare & ~public)


# ---------------------------------------------------------------------------------------
# allowlist


def _ip_ints(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """IPv4 values (optionally `x/nn`) → (uint32 address, prefix length); -1 prefix if not v4."""
    s = values.astype(STRING)
    addr_part = s.str.split("/", n=1).str[0]
    pref_part = s.str.split("/", n=1).str[1]
    v4 = addr_part.str.match(_V4_RE).fillna(False).astype(bool).to_numpy()
    ints = np.zeros(len(s), dtype=np.uint64)
    prefix = np.full(len(s), -1, dtype=np.int64)
    if v4.any():
        octs = addr_part[v4].str.split(".", expand=True).astype("int64").to_numpy()
        ints[v4] = ((octs[:, 0] << 24) | (octs[:, 1] << 16) | (octs[:, 2] << 8) | octs[:, 3]).astype(
            np.uint64
        )
        p = pd.to_numeric(pref_part[v4], errors="coerce").fillna(32).astype("int64").to_numpy()
        prefix[v4] = p
    return ints, prefix


def in_cidrs(values: pd.Series, cidrs: list[str]) -> np.ndarray:
    """Which values (IPs or networks `a.b.c.0/24`) lie inside any of the CIDR blocks.

    IPv4 is vectorised (integer masks); IPv6 values are few and go through `ipaddress`."""
    out = np.zeros(len(values), dtype=bool)
    nets = []
    for c in cidrs:
        try:
            nets.append(ipaddress.ip_network(str(c).strip(), strict=False))
        except ValueError:
            continue
    if not nets or len(values) == 0:
        return out
    ints, prefix = _ip_ints(values)
    v4 = prefix >= 0
    for n in nets:
        if n.version != 4:
            continue
        mask = np.uint64((0xFFFFFFFF << (32 - n.prefixlen)) & 0xFFFFFFFF)
        hit = v4 & ((ints & mask) == np.uint64(int(n.network_address))) & (prefix >= n.prefixlen)
        out |= hit
    v6_nets = [n for n in nets if n.version == 6]
    if v6_nets:
        idx = np.flatnonzero(~v4 & values.notna().to_numpy())
        for i in idx:
            try:
                x = ipaddress.ip_network(str(values.iloc[i]), strict=False)
            except ValueError:
                continue
            out[i] = any(x.version == 6 and x.subnet_of(n) for n in v6_nets)
    return out


def _normalise_allow_value(kind: str, value: pd.Series) -> pd.Series:
    v = _str(value)
    if kind == "ip":
        from linker.ingest.normalize import normalize_ip

        return normalize_ip(v)
    if kind == "email_domain":
        return v.str.lower().str.lstrip("@")
    if kind == "asn":
        return v.str.upper().str.replace("AS", "", regex=False).str.strip()
    return v


def allowlisted_accounts(allowlist: pd.DataFrame | None) -> set[str]:
    """Account ids the allowlist protects from automatic suspension."""
    if allowlist is None or len(allowlist) == 0:
        return set()
    a = allowlist[_str(allowlist["kind"]).str.lower() == "account_id"]
    return set(_str(a["value"]).dropna().tolist())


def _allowed_mask(values: np.ndarray, kinds_of_value: np.ndarray,
                  allowlist: pd.DataFrame | None) -> np.ndarray:
    """Per distinct (kind, value): is it allow-listed? Works on the unique table only."""
    allowed = np.zeros(len(values), dtype=bool)
    if allowlist is None or len(allowlist) == 0:
        return allowed
    kinds = _str(allowlist["kind"]).str.lower()
    vals = pd.Series(values, dtype=object)
    for akind, ekinds in _ALLOW_KINDS.items():
        listed = set(_normalise_allow_value(akind, allowlist.loc[kinds == akind, "value"]).dropna())
        if not listed:
            continue
        sel = np.isin(kinds_of_value, [KIND_CODE[k] for k in ekinds])
        allowed |= sel & vals.isin(listed).to_numpy()
    cidrs = _str(allowlist.loc[kinds == "cidr", "value"]).dropna().tolist()
    if cidrs:
        sel = np.isin(kinds_of_value, [KIND_CODE[k] for k in ("signup_ip", "ip", "subnet")])
        idx = np.flatnonzero(sel)
        allowed[idx] |= in_cidrs(pd.Series(values[idx], dtype=object), cidrs)
    return allowed


# ---------------------------------------------------------------------------------------
# build


def build_evidence_table(
    ds: Dataset,
    allowlist: pd.DataFrame | None = None,
    rare_domain_max: int = 25,
) -> tuple[EvidenceTable, EvidenceTable]:
    """(evidence, allow-listed evidence), integer-coded, aggregated per account × identifier.

    `rare_domain_max`: an e-mail domain is evidence only if at most this many accounts use it.
    """
    ds = ensure_normalised(ds)
    acc = ds.accounts
    ids = pd.Index(_str(acc["account_id"]).to_numpy(dtype=object)).sort_values()
    accounts = pd.Index(ids)

    def codes(s: pd.Series) -> np.ndarray:
        return account_codes(accounts, s)

    parts: list[_Part] = []
    a = codes(acc["account_id"])
    t = _utc_naive(acc["created_at"])
    one = np.ones(len(acc), dtype=np.int64)
    for kind, col in (
        ("email", "email_norm"), ("phone", "phone_e164"), ("signup_ip", "signup_ip_norm"),
        ("subnet", "signup_subnet"), ("device", "device_id"), ("org", "org_id"),
    ):
        parts.append(_part(a, kind, _col(acc, col), t, t, one))
    parts.append(_part(a, "email_domain", _rare_domains(_str(_col(acc, "email_domain")),
                                                       rare_domain_max), t, t, one))

    pay = ds.payments
    if len(pay):
        pa = codes(pay["account_id"])
        pt = _utc_naive(_col(pay, "created_at"))
        # a payment without a time is known at least from the account's creation
        pos = _pos(a, pa)
        fallback = np.where(pos >= 0, t[np.clip(pos, 0, None)] if len(t) else pt, np.datetime64("NaT"))
        pt = np.where(np.isnat(pt), fallback, pt)
        pone = np.ones(len(pay), dtype=np.int64)
        parts.append(_part(pa, "card", _col(pay, "card_fingerprint"), pt, pt, pone))
        bp = _str(_col(pay, "card_bin")) + "|" + _str(_col(pay, "billing_postal_code")).str.upper()
        parts.append(_part(pa, "card_bin_postal", bp, pt, pt, pone))

    ev = ds.ip_events
    if len(ev):
        ea = codes(ev["account_id"])
        et = _utc_naive(ev["seen_at"])
        eone = np.ones(len(ev), dtype=np.int64)
        parts.append(_part(ea, "ip", _col(ev, "ip_norm"), et, et, eone))
        parts.append(_part(ea, "subnet", _col(ev, "subnet"), et, et, eone))
        asn = pd.to_numeric(_col(ev, "asn"), errors="coerce").astype("Int64").astype(STRING)
        parts.append(_part(ea, "asn", asn, et, et, eone))

    rid = getattr(ds.requests, "identifiers", None)
    if rid is not None and len(rid):
        ra = codes(rid["account_id"])
        f = _utc_naive(rid["first_seen"])
        last = _utc_naive(rid["last_seen"])
        cnt = pd.to_numeric(rid["exchanges"], errors="coerce").fillna(0).to_numpy(np.int64)
        kind = _str(rid["kind"])
        for k in ("api_key", "ip", "prompt"):
            m = (kind == k).fillna(False).to_numpy()
            if not m.any():
                continue
            v = _str(rid["value"][m])
            if k == "ip":
                from linker.ingest.normalize import normalize_ip

                v = normalize_ip(v)
                parts.append(_part(ra[m], "subnet", _v4_subnet(v), f[m], last[m], cnt[m]))
            parts.append(_part(ra[m], k, v, f[m], last[m], cnt[m]))

    acct_c, kind_c, vcode_c, first_c, last_c, count_c, values = _combine_parts(parts, len(accounts))
    del parts

    # allow-list on distinct (kind, value) pairs only
    kv = (kind_c.astype(np.int64) << 40) | vcode_c
    ukv = sorted_unique(kv)
    allowed_u = _allowed_mask(values[ukv & ((1 << 40) - 1)], (ukv >> 40).astype(np.int8),
                              allowlist)
    allowed = np.isin(kv, ukv[allowed_u]) if allowed_u.any() else np.zeros(kv.size, dtype=bool)

    table = EvidenceTable(
        accounts=accounts, acct=acct_c, kind=kind_c, vcode=vcode_c, first_seen=first_c,
        last_seen=last_c, count=count_c, values=values,
    )
    return table.take(~allowed), table.take(allowed)


def _pos(a: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Row position in the accounts frame of each account code (-1 when unknown)."""
    where = np.full(int(a.max(initial=-1)) + 1, -1, dtype=np.int64)
    where[a[a >= 0]] = np.flatnonzero(a >= 0)
    out = np.full(len(codes), -1, dtype=np.int64)
    ok = codes >= 0
    out[ok] = where[codes[ok]]
    return out


def build_evidence(ds: Dataset, allowlist: pd.DataFrame | None = None) -> pd.DataFrame:
    """Public evidence frame (allow-listed identifiers dropped):
    account_id, kind, value, first_seen, last_seen, count."""
    table, _ = build_evidence_table(ds, allowlist)
    return table.to_frame()
