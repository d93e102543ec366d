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
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linker import kinds
from linker.detect.threads import pool_map
from linker.ingest.normalize import (
    ensure_normalised,
    ip_subnet,
    normalize_asn,
    normalize_ip,
)
from linker.model import STRING

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from linker.model import Dataset
    from linker.settings import RingParams

KINDS: tuple[str, ...] = kinds.EVIDENCE
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
# per kind code: a strong identity kind (card, device, phone, e-mail, API key)
STRONG_KIND: np.ndarray = np.array([kinds.BY_NAME[k].strength == "strong" for k in KINDS])
EVIDENCE_COLUMNS = ["account_id", "kind", "value", "first_seen", "last_seen", "count"]

# allowlist kind -> evidence kinds it neutralises (cidr is handled by containment)
_ALLOW_KINDS: dict[str, tuple[str, ...]] = {
    a: ks for a, ks in kinds.allowlist_map().items() if a != "cidr"}
_V4_RE = r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"


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


def ip_rotation(ev: EvidenceTable, params: RingParams) -> np.ndarray:
    """Per account code: its own IP events come from at least `rotation_min_asns` distinct
    ASNs (one evidence row per account and ASN). A person moves between a home ISP, a
    carrier and an office; a rotating residential proxy hops across many networks, whatever
    the size of the operation behind it."""
    n = len(ev.accounts)
    if params.rotation_min_asns <= 0:
        return np.zeros(n, dtype=bool)
    asn = ev.acct[ev.kind == KIND_CODE["asn"]]
    return np.bincount(asn, minlength=n) >= params.rotation_min_asns


def interactive_ips(ds: Dataset, ev: EvidenceTable,
                    events: tuple[str, ...] = ("signup", "login"),
                    also: EvidenceTable | None = None) -> np.ndarray | None:
    """Per value code: is it an address some account signed up or logged in from: a sign-up
    IP, or the address of an ip_events row whose `event` is one of `events` (where a person
    is at the keyboard; case-insensitive)? Only shared `ip` values are looked up (the others
    link nothing). `also`: a second table on the same codes (the allow-listed evidence),
    looked up the same way in the same pass. None when no ip_events row carries one of
    `events` (no event column, or another vocabulary): without logins, an address missing
    from them says nothing."""
    ds = ensure_normalised(ds)
    e = ds.ip_events
    if not len(e) or "event" not in e or "ip_norm" not in e:
        return None
    kind = _str(e["event"]).str.lower()
    logins = _str(e["ip_norm"])[kind.isin(list(events)).fillna(False).to_numpy()].dropna()
    if not len(logins):
        return None
    out = np.zeros(len(ev.values), dtype=bool)
    tables = [ev] if also is None or not len(also) else [ev, also]
    for t in tables:
        out[t.vcode[t.kind == KIND_CODE["signup_ip"]]] = True
    shared = np.unique(np.concatenate([
        np.flatnonzero(np.bincount(t.vcode[t.kind == KIND_CODE["ip"]],
                                   minlength=len(ev.values)) >= 2) for t in tables]))
    shared = shared[~out[shared]]
    hit = pc.is_in(pa.array(ev.values[shared], type=pa.string()),
                   value_set=pa.array(logins.unique().astype(object), type=pa.string()))
    out[shared[hit.to_numpy(zero_copy_only=False).astype(bool)]] = True
    return out


def behind_backend(ev: EvidenceTable, interactive: np.ndarray | None, min_share: float,
                   min_users: int = 3, allowed: EvidenceTable | None = None
                   ) -> np.ndarray | None:
    """Per account code: at least `min_share` of its IP volume (events and exchanges) goes
    through backend addresses: IPs nobody signs up or logs in from (`interactive`, per value
    code), used by `min_users` accounts or more. An app's end users reach the platform
    through the app's servers, on the app's clock. `allowed`: the allow-listed evidence
    (same codes): a verified partner app's servers, listed so they link nobody, are still
    where its users' traffic comes from. None without `interactive` or with `min_share` ≤ 0."""
    if interactive is None or min_share <= 0:
        return None
    n = len(ev.accounts)
    m = ev.kind == KIND_CODE["ip"]
    acct, v, cnt = ev.acct[m], ev.vcode[m], ev.count[m].astype(np.float64)
    if allowed is not None and len(allowed):
        ma = allowed.kind == KIND_CODE["ip"]
        acct = np.concatenate([acct, allowed.acct[ma]])
        v = np.concatenate([v, allowed.vcode[ma]])
        cnt = np.concatenate([cnt, allowed.count[ma].astype(np.float64)])
    users = np.bincount(v, minlength=len(ev.values))
    back = ~interactive[v] & (users[v] >= min_users)
    total = np.bincount(acct, cnt, minlength=n)
    via = np.bincount(acct, np.where(back, cnt, 0.0), minlength=n)
    return (total > 0) & (via >= min_share * total)


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


@dataclass
class _Part:
    acct: np.ndarray      # int32 account codes
    kind: int
    code: np.ndarray      # int64 codes into `uniques`
    uniques: pa.Array     # distinct values of this part (Arrow strings)
    first: np.ndarray     # int64 ns (NaT as int64 min)
    last: np.ndarray
    count: np.ndarray | None  # None: one per row


def sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based plain unique is far slower on big int64)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if x.size else x


def _arrow_ids(x: pd.Series | pd.Index) -> pa.Array:
    """Ids as one contiguous Arrow large_string array."""
    a = pa.array(x.astype(STRING).array)
    a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
    return a.cast(pa.large_string())


# the Arrow value set of the last accounts index coded against: one index is used for every
# table of a stage (a dozen calls at 1M accounts, each converting 1M Python strings); two
# are kept, ring detection's (sorted ids) and the campaigns' (first-seen ids), which the
# pipeline codes side by side on two threads
_VALUE_SETS: list[tuple[weakref.ref[pd.Index], pa.Array]] = []
_VALUE_SETS_KEPT = 2
# the caches here are read and changed under this lock, and each remembered column's codes
# name the value set they were computed against
_CACHE_LOCK = threading.Lock()


def _value_set(accounts: pd.Index) -> pa.Array:
    with _CACHE_LOCK:
        for ref, arr in _VALUE_SETS:
            if ref() is accounts:
                return arr
    arr = _arrow_ids(accounts)
    with _CACHE_LOCK:
        _VALUE_SETS[:] = [e for e in _VALUE_SETS if e[0]() is not None][-(_VALUE_SETS_KEPT - 1):]
        _VALUE_SETS.append((weakref.ref(accounts), arr))
        kept = [a for _, a in _VALUE_SETS]
        _CODES[:] = [e for e in _CODES if any(e[0] is a for a in kept)]
    return arr


# the codes of the last id columns coded against that index: ring detection codes the same
# columns from several modules (at 1M accounts the accounts' ids five times, the hourly rows'
# and the request totals' three and four times, ~0.35 s each, mostly Arrow hashing the 1M-id
# value set again). Keyed by a weak reference to the column's own (immutable) Arrow array:
# a freed column is never matched nor kept alive; dropped with its value set
_CODES: list[tuple[pa.Array, weakref.ref[object], np.ndarray]] = []
_CODES_KEPT = 6


def _own_arrow(ids: pd.Series) -> object | None:
    """The Arrow array behind an Arrow-backed string column (None for any other column)."""
    return getattr(ids.array, "_pa_array", None)


def account_codes(accounts: pd.Index, ids: pd.Series) -> np.ndarray:
    """Account code (position in the sorted `accounts` index; -1 unknown) of each id.

    `accounts` must be unique (it is sorted and distinct everywhere it is built). The
    result is the caller's own (a copy when remembered)."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    value_set = _value_set(accounts)
    own = _own_arrow(ids)
    with _CACHE_LOCK:
        _CODES[:] = [entry for entry in _CODES if entry[1]() is not None]
        for vs, ref, codes in _CODES:
            if own is not None and vs is value_set and ref() is own:
                return codes.astype(np.int64)
    codes = _account_codes(value_set, ids)
    if own is not None:
        with _CACHE_LOCK:
            _CODES.append((value_set, weakref.ref(own), codes.astype(np.int32)))
            del _CODES[:-_CODES_KEPT]
    return codes


def _account_codes(value_set: pa.Array, ids: pd.Series) -> np.ndarray:
    arr = _arrow_ids(ids)
    # the accounts' own column in the index's order (the accounts table itself): positions
    if len(arr) == len(value_set) and arr.equals(value_set):
        return np.arange(len(arr), dtype=np.int64)
    # tables grouped by account (request aggregates: 7M hourly rows of 0.86M accounts at 1M)
    # repeat each id in a run: only the first id of each run is looked up, the rest repeat
    # its code (equal neighbours compared in Arrow; a null is a run of its own)
    start = None
    k = min(len(arr), 1 << 16)  # a table's head tells whether it is grouped at all
    if k > 1 and (pc.sum(pc.equal(arr.slice(1, k - 1), arr.slice(0, k - 1))).as_py() or 0) * 4 >= k:
        same = pc.fill_null(pc.equal(arr.slice(1), arr.slice(0, len(arr) - 1)), False)
        same_np = same.to_numpy(zero_copy_only=False)
        if int(same_np.sum()) * 4 >= len(arr):  # a quarter of the lookups saved at least
            start = np.flatnonzero(np.r_[True, ~same_np])
    # Arrow's hash lookup on the Arrow strings themselves: 2-3x faster than factorising and
    # hashing the distinct ids again as Python strings
    if start is None:
        pos = pc.index_in(arr, value_set=value_set)
        return pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    pos = pc.index_in(arr.take(pa.array(start)), value_set=value_set)
    head = pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.repeat(head, np.diff(np.r_[start, len(arr)]))


def _large(values: object) -> pa.Array:
    """Distinct values from pd.factorize as one Arrow large_string array."""
    arr = pa.array(pd.array(values, dtype=STRING)) if not isinstance(
        values, pd.arrays.ArrowStringArray) else pa.array(values)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.large_string())


def _part(acct: np.ndarray, kind: str, value: pd.Series, first: np.ndarray,
          last: np.ndarray, count: np.ndarray) -> _Part:
    value = _str(value)
    code, uniques = pd.factorize(value)
    keep = (code >= 0) & (acct >= 0)
    kept_first = first[keep].view(np.int64)
    return _Part(
        acct=acct[keep].astype(np.int32), kind=KIND_CODE[kind], code=code[keep].astype(np.int64),
        uniques=_large(uniques), first=kept_first,
        # one array when the source has one time per row (accounts, payments, IP events),
        # and no array for counts that are all one: 300 MB less held at 1M accounts
        last=kept_first if last is first else last[keep].view(np.int64),
        count=None if count is not None and count.dtype == np.int64 and bool((count == 1).all())
        else count[keep].astype(np.int64),
    )


def _first_seen_codes(values: list[pd.Series]) -> np.ndarray:
    """pd.factorize(concat(values))[0] for non-null Arrow strings: one code per distinct
    value in first-seen order, from Arrow's dictionary encoding."""
    chunks = [_large(v.array) for v in values if len(v)]
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    enc = pa.chunked_array(chunks).combine_chunks().dictionary_encode()
    return enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _reduced(gather: Callable[[str], np.ndarray], order: np.ndarray,
             start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group of the sorted rows (`order`, group `start`s): min first (unknown times
    lose every minimum), max last, sum count, each column gathered only when reduced."""
    nat, top = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    f = gather("first")[order]
    f[f == nat] = top  # in place: no third copy
    f = np.minimum.reduceat(f, start)
    f[f == top] = nat
    lst = np.maximum.reduceat(gather("last")[order], start)
    return f, lst, np.add.reduceat(gather("count")[order], start)


def _combine_parts(parts: list[_Part], n_acc: int,
                   pool: Executor | None = None) -> tuple[np.ndarray, ...]:
    """Aggregate parts per (account, kind, value): min first, max last, sum count.

    Values get global codes through one factorisation of the parts' distinct values; the
    aggregation is a sort on one packed int64 key plus numpy reductions (no groupby).
    Consumes `parts` (the list is emptied): each column of the parts is freed once it is
    gathered, and account, kind and value codes are read back from the sorted key instead
    of being gathered at all (at 1M accounts, ~27M rows: gigabytes of peak memory)."""
    kept = [p for p in parts if p.acct.size]
    parts.clear()
    parts = kept
    sizes = [p.acct.size for p in parts]
    if not parts:
        z = np.zeros(0, np.int64)
        return (z.astype(np.int32), z.astype(np.int8), z, z.view("datetime64[ns]"),
                z.view("datetime64[ns]"), z, np.array([], dtype=object))
    # one hash pass over the parts' distinct values, in Arrow (as Python objects it took
    # ~8 s at 1M accounts); codes in first-seen order, as pd.factorize gives them
    enc = pa.concat_arrays([p.uniques for p in parts]).dictionary_encode()
    gcode = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # the distinct values become Python strings (~0.5 GB at 1M accounts) only once the
    # sort's temporaries are gone
    dictionary = enc.dictionary
    del enc
    offsets = np.cumsum([0] + [len(p.uniques) for p in parts])
    for p in parts:
        p.uniques = None

    def gather(name: str, which: list[int] | None = None) -> np.ndarray:
        """One column of every part (or of the parts `which` lists), in part order; the
        parts' own arrays are dropped."""
        chosen = range(len(parts)) if which is None else which
        out = np.concatenate([np.ones(sizes[i], np.int64) if getattr(parts[i], name) is None
                              else getattr(parts[i], name) for i in chosen])
        for i in chosen:
            setattr(parts[i], name, None)
        return out

    abits = max(int(n_acc).bit_length(), 1)
    vbits = max(int(len(dictionary)).bit_length(), 1)
    if abits + vbits + 4 <= 62:
        # each kind on its own (a pool's threads take kinds side by side): sorted by value
        # then account on one packed key; kinds in ascending order give the global order
        by_kind: dict[int, list[int]] = {}
        for i, p in enumerate(parts):
            by_kind.setdefault(p.kind, []).append(i)
        kinds_in = sorted(by_kind)

        def one_kind(kind: int) -> tuple[np.ndarray, ...]:
            mine = by_kind[kind]
            key = np.concatenate([(gcode[offsets[i] + parts[i].code] << abits) | parts[i].acct
                                  for i in mine])
            for i in mine:
                parts[i].code = parts[i].acct = None
            # keys repeat only within one group: any order within one is fine
            order = np.argsort(key)
            key = key[order]
            start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            head = key[start]
            del key

            f, lst, cnt = _reduced(lambda name: gather(name, mine), order, start)
            return ((head & ((1 << abits) - 1)).astype(np.int32),
                    np.full(head.size, kind, np.int8), (head >> abits).astype(np.int64),
                    f, lst, cnt)

        done = [list(d) for d in pool_map(pool, one_kind, kinds_in)]
        del gcode

        def joined(j: int) -> np.ndarray:
            """Column j of every kind, in kind order; the kinds' pieces are freed."""
            out = np.concatenate([d[j] for d in done])
            for d in done:
                d[j] = None
            return out

        acct_g, kind_g, vcode_g, f, lst, cnt = (joined(j) for j in range(6))
        del done
        values = np.asarray(dictionary.to_numpy(zero_copy_only=False), dtype=object)
        return (acct_g, kind_g, vcode_g, f.view("datetime64[ns]"), lst.view("datetime64[ns]"),
                cnt, values)
    else:  # more accounts or values than fit one int64 key: lexsort
        acct = gather("acct").astype(np.int64)
        kind = np.concatenate([np.full(n, p.kind, np.int64) for p, n in zip(parts, sizes,
                                                                             strict=True)])
        vcode = np.concatenate([gcode[o + p.code]
                                for p, o in zip(parts, offsets[:-1], strict=True)])
        order = np.lexsort((acct, vcode, kind))
        k3 = np.stack([kind[order], vcode[order], acct[order]])
        start = np.flatnonzero(np.r_[True, (k3[:, 1:] != k3[:, :-1]).any(axis=0)])
        del k3
        idx = order[start]
        acct_g, kind_g, vcode_g = acct[idx], kind[idx], vcode[idx]
        del acct, kind, vcode
    f, lst, cnt = _reduced(gather, order, start)
    del order, start
    values = np.asarray(dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return (acct_g.astype(np.int32), kind_g.astype(np.int8), vcode_g.astype(np.int64),
            f.view("datetime64[ns]"), lst.view("datetime64[ns]"), cnt, values)


# Mailbox providers anyone can sign up with: sharing one says nothing, however small the
# sample. Other domains count as evidence only while few accounts use them.
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
    "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
    "yandex.ru", "yandex.com", "mail.ru", "qq.com", "163.com", "126.com", "zoho.com",
    "fastmail.com", "tutanota.com", "hey.com", "naver.com", "orange.fr", "free.fr",
})


def phone_blocks(e164: pd.Series) -> pd.Series:
    """The block of 100 consecutive numbers an E.164 number belongs to: the number without
    its last two digits (<NA> for numbers too short to say)."""
    s = _str(e164)
    return s.str.slice(0, -2).where(s.str.len() >= 10)


def dense_blocks(block: pd.Series, e164: pd.Series, min_numbers: int) -> pd.Series:
    """Blocks with at least `min_numbers` distinct numbers among the accounts (<NA> for the
    rest). An operator buys SIM cards in blocks and signs up one account per number; people
    pick their carriers' numbers one by one, so two of them rarely fall in one block of 100,
    and a family plan or a person's second line rarely makes five."""
    if min_numbers <= 0:
        return pd.Series(pd.NA, index=block.index, dtype=STRING)
    block = _str(block)
    numbers = (pd.DataFrame({"b": block.to_numpy(), "n": _str(e164).to_numpy()}).dropna()
               .drop_duplicates()["b"].value_counts())
    return block.where(block.isin(numbers.index[numbers >= min_numbers]))


def _rare_domains(domain: pd.Series, max_accounts: int) -> pd.Series:
    """Domains used by at most `max_accounts` accounts and not public mailbox providers."""
    counts = domain.value_counts()
    rare = domain.map(counts).le(max_accounts).fillna(False).astype(bool)
    public = domain.isin(PUBLIC_MAIL_DOMAINS).fillna(False).astype(bool)
    return domain.where(rare & ~public)


# ---------------------------------------------------------------------------------------
# allowlist


def _ip_ints(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """IPv4 values (optionally `x/nn`) → (uint32 address, prefix length); -1 prefix if not v4.
    In Arrow kernels: the values are normalised text (ASCII digits), and the same split in
    pandas' object path took 6 s for 570k values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(values.astype(STRING).array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    # address: the text before the first "/"; prefix: after it ("" or absent → 32)
    parts = pc.extract_regex(arr, r"(?s)^(?P<addr>[^/]*)(?:/(?P<pref>.*))?$")
    addr, pref = parts.field("addr"), parts.field("pref")
    v4 = pc.fill_null(pc.match_substring_regex(addr, _V4_RE), False).to_numpy(
        zero_copy_only=False).astype(bool)
    ints = np.zeros(len(arr), dtype=np.uint64)
    prefix = np.full(len(arr), -1, dtype=np.int64)
    if v4.any():
        mask = pa.array(v4)
        octs = pc.cast(pc.list_flatten(pc.split_pattern(addr.filter(mask), ".")), pa.int64())
        octs = octs.to_numpy().reshape(-1, 4)
        ints[v4] = ((octs[:, 0] << 24) | (octs[:, 1] << 16) | (octs[:, 2] << 8) | octs[:, 3]).astype(
            np.uint64
        )
        p = pd.to_numeric(pd.Series(pref.filter(mask).to_pandas(), dtype=object),
                          errors="coerce").fillna(32).astype("int64").to_numpy()
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
        return normalize_ip(v)
    if kind == "email_domain":
        return v.str.lower().str.lstrip("@")
    if kind == "asn":
        return normalize_asn(v)
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
    listed_kind = _str(allowlist["kind"]).str.lower()
    vals = pd.Series(values, dtype=object)
    for akind, ekinds in _ALLOW_KINDS.items():
        listed = set(_normalise_allow_value(akind, allowlist.loc[listed_kind == akind, "value"]).dropna())
        if not listed:
            continue
        sel = np.isin(kinds_of_value, [KIND_CODE[k] for k in ekinds])
        allowed |= sel & vals.isin(listed).to_numpy()
    cidrs = _str(allowlist.loc[listed_kind == "cidr", "value"]).dropna().tolist()
    if cidrs:
        sel = np.isin(kinds_of_value, [KIND_CODE[k] for k in kinds.network_kinds()])
        idx = np.flatnonzero(sel)
        allowed[idx] |= in_cidrs(pd.Series(values[idx], dtype=object), cidrs)
    return allowed


# ---------------------------------------------------------------------------------------
# build


@dataclass
class _Source:
    """One identifier column as extracted: account ids, values, times and counts per row."""

    kind: str
    table: str
    account_id: pd.Series
    value: pd.Series
    first: np.ndarray | None = None   # datetime64[ns] UTC-naive per row (None: not needed)
    last: np.ndarray | None = None
    count: np.ndarray | None = None
    # rows of the table's whole account column this source holds (None: all), so that a
    # caller can code each table's account ids once and share the codes between its kinds
    rows: np.ndarray | None = None


def _sources(ds: Dataset, times: bool = True, wanted: set[str] | None = None,
             tables: dict[str, tuple[str, ...]] | None = None) -> Iterator[_Source]:
    """Every identifier of the contract's tables, in the vocabulary of `linker.kinds` plus
    `card_bin` (descriptive only). This is the one place that knows where identifiers come
    from; `ds` must be normalised (`normalize_dataset`). E-mail domains are all domains here:
    rarity is for the consumer to judge. `tables` limits a kind to some source tables (the
    others are not even computed: the request subnets cost a normalisation of every IP)."""

    def want(kind: str, table: str | None = None) -> bool:
        if tables and table is not None and kind in tables and table not in tables[kind]:
            return False
        return wanted is None or kind in wanted

    acc = ds.accounts
    t = _utc_naive(acc["created_at"]) if times else None
    one = np.ones(len(acc), dtype=np.int64) if times else None
    for kind, col in (
        ("email", "email_norm"), ("phone", "phone_e164"), ("signup_ip", "signup_ip_norm"),
        ("subnet", "signup_subnet"), ("device", "device_id"), ("org", "org_id"),
        ("email_domain", "email_domain"),
    ):
        if want(kind, "accounts"):
            yield _Source(kind, "accounts", acc["account_id"], _col(acc, col), t, t, one)
    if want("phone_block", "accounts"):  # every block here: which are evidence is the consumer's
        yield _Source("phone_block", "accounts", acc["account_id"],
                      phone_blocks(_col(acc, "phone_e164")), t, t, one)

    pay = ds.payments
    if len(pay):
        pt = pone = None
        if times:
            pt = _utc_naive(_col(pay, "created_at"))
            # a payment without a time is known at least from the account's creation
            created = pd.Series(t, index=_str(acc["account_id"]).to_numpy(dtype=object))
            created = created[~created.index.duplicated()]
            fallback = created.reindex(_str(pay["account_id"]).to_numpy(dtype=object)).to_numpy(
                dtype="datetime64[ns]")
            pt = np.where(np.isnat(pt), fallback, pt)
            pone = np.ones(len(pay), dtype=np.int64)
        if want("card", "payments"):
            yield _Source("card", "payments", pay["account_id"], _col(pay, "card_fingerprint"),
                          pt, pt, pone)
        if want("card_bin_postal", "payments"):
            bp = _str(_col(pay, "card_bin")) + "|" + _str(_col(pay, "billing_postal_code")).str.upper()
            yield _Source("card_bin_postal", "payments", pay["account_id"], bp, pt, pt, pone)
        if want("card_bin", "payments"):
            yield _Source("card_bin", "payments", pay["account_id"], _col(pay, "card_bin"),
                          pt, pt, pone)

    ev = ds.ip_events
    if len(ev):
        et = _utc_naive(ev["seen_at"]) if times else None
        eone = np.ones(len(ev), dtype=np.int64) if times else None
        if want("ip", "ip_events"):
            yield _Source("ip", "ip_events", ev["account_id"], _col(ev, "ip_norm"), et, et, eone)
        if want("subnet", "ip_events"):
            yield _Source("subnet", "ip_events", ev["account_id"], _col(ev, "subnet"), et, et, eone)
        if want("asn", "ip_events"):
            yield _Source("asn", "ip_events", ev["account_id"], normalize_asn(_col(ev, "asn")),
                          et, et, eone)

    rid = getattr(ds.requests, "identifiers", None)
    if rid is not None and len(rid):
        f = _utc_naive(rid["first_seen"]) if times else None
        last = _utc_naive(rid["last_seen"]) if times else None
        cnt = (pd.to_numeric(rid["exchanges"], errors="coerce").fillna(0).to_numpy(np.int64)
               if times else None)
        kind = _str(rid["kind"])
        for k in sorted(kinds.request_columns()):
            if not (want(k, "requests") or (k == "ip" and want("subnet", "requests"))):
                continue
            m = (kind == k).fillna(False).to_numpy()
            if not m.any():
                continue

            def sel(x: np.ndarray | None, m: np.ndarray = m) -> np.ndarray | None:
                return None if x is None else x[m]

            ids, v = rid["account_id"][m], _str(rid["value"][m])
            if k == "ip":
                v = normalize_ip(v)
                if want("subnet", "requests"):
                    yield _Source("subnet", "requests", ids, ip_subnet(v, normalized=True),
                                  sel(f), sel(last), sel(cnt), rows=m)
                if not want("ip", "requests"):
                    continue
            yield _Source(k, "requests", ids, v, sel(f), sel(last), sel(cnt), rows=m)


def _table_ids(ds: Dataset, table: str) -> pd.Series:
    """The whole account-id column of a source table (`_Source.rows` index into it)."""
    if table == "requests":
        return ds.requests.identifiers["account_id"]
    return getattr(ds, table)["account_id"]


class _TableCodes:
    """Account codes per source table, computed once per table (a table's account column is
    shared by all its kinds: 7 for accounts, 3 for payments and IP events)."""

    def __init__(self, ds: Dataset, code: Callable[[pd.Series], np.ndarray]) -> None:
        self._ds, self._code, self._cache = ds, code, {}

    def __call__(self, src: _Source) -> np.ndarray:
        if src.table not in self._cache:
            self._cache[src.table] = self._code(_table_ids(self._ds, src.table))
        codes = self._cache[src.table]
        return codes if src.rows is None else codes[src.rows]


IDENTIFIER_CODES = ("acct_code", "value_code")


def known_accounts(ds: Dataset) -> pd.Index:
    """The accounts' distinct ids: the code space of `identifiers`' `acct_code`."""
    return pd.Index(_str(ds.accounts["account_id"]).dropna().unique())


def identifiers(ds: Dataset, wanted: set[str] | None = None,
                tables: dict[str, tuple[str, ...]] | None = None,
                codes: bool = False) -> pd.DataFrame:
    """Distinct (account_id, kind, value) rows of every identifier (or of `wanted` kinds),
    for the stages after ring detection (campaigns, attribution). `tables` limits a kind to
    some source tables, e.g. {"subnet": ("accounts", "ip_events")}. With `codes`, two int64
    columns more (`IDENTIFIER_CODES`), computed here anyway: `acct_code`, the account's
    position among the accounts' distinct ids (past them for ids of no account), and
    `value_code`, one code per distinct value within its kind, so that a caller can count
    and group without hashing the strings again."""
    return identifiers_split(ds, wanted, tables, codes, set())[0]


def identifiers_split(ds: Dataset, wanted: set[str] | None,
                      tables: dict[str, tuple[str, ...]] | None, codes: bool,
                      split: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`identifiers` as two frames: the kinds outside `split`, and those in it, each exactly
    as `identifiers` gives it for its kinds alone (same rows, same order), from one pass
    over the tables (each table's account ids stripped and coded once, for both)."""
    ds = ensure_normalised(ds)
    parts = []
    # one account code space for all tables (a kind's rows from two tables must share
    # codes): positions among the accounts, then codes past them for ids of no account
    known = known_accounts(ds)
    extra: dict[str, int] = {}

    def code_ids(ids: pd.Series) -> np.ndarray:
        s = _str(ids)
        codes = account_codes(known, s)
        miss = (codes < 0) & s.notna().to_numpy()
        if miss.any():
            inv, uniq = pd.factorize(s[miss])
            new = np.array([extra.setdefault(str(v), len(known) + len(extra)) for v in uniq],
                           dtype=np.int64)
            codes[miss] = new[inv]
        return codes

    # each table's account ids stripped and coded once, shared by all its kinds
    stripped: dict[str, pd.Series] = {}
    codes_of: dict[str, np.ndarray] = {}
    for src in _sources(ds, times=False, wanted=wanted, tables=tables):
        if src.table not in stripped:
            stripped[src.table] = _str(_table_ids(ds, src.table)).reset_index(drop=True)
            codes_of[src.table] = code_ids(stripped[src.table])
        rows = (np.arange(len(stripped[src.table])) if src.rows is None
                else np.flatnonzero(src.rows))
        v = _str(src.value).reset_index(drop=True)
        acct = codes_of[src.table][rows]
        keep = v.notna().to_numpy() & (acct >= 0)
        parts.append((src.kind, acct[keep], v[keep].reset_index(drop=True), src.table, rows[keep]))
    columns = ("account_id", "kind", "value", *(IDENTIFIER_CODES if codes else ()))

    def empty() -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in IDENTIFIER_CODES else STRING)
                             for c in columns})

    if not parts:
        return empty(), empty()
    # distinct rows in first-seen order, deduplicated on integer codes: rows of different
    # kinds never repeat each other, so each kind's rows are deduplicated on their own
    by_kind: dict[str, list[int]] = {}
    for i, (kind, *_rest) in enumerate(parts):
        by_kind.setdefault(kind, []).append(i)
    first: list[np.ndarray] = [np.zeros(0, bool)] * len(parts)
    vcodes: list[np.ndarray] = [np.zeros(0, np.int64)] * len(parts)
    for idx in by_kind.values():
        acct = np.concatenate([parts[i][1] for i in idx]).astype(np.int64)
        # codes in first-seen order, as pd.factorize gives them, hashed in Arrow (pandas'
        # factorize of Arrow strings took 5.5 s at 1M accounts)
        vcode = _first_seen_codes([parts[i][2] for i in idx])
        dup = pd.Series(acct * (int(vcode.max(initial=0)) + 1) + vcode).duplicated().to_numpy()
        bounds = np.cumsum([0] + [len(parts[i][1]) for i in idx])
        for i, lo, hi in zip(idx, bounds[:-1], bounds[1:], strict=True):
            first[i] = ~dup[lo:hi]
            vcodes[i] = vcode[lo:hi].astype(np.int64)
    # account id strings only for the distinct rows, taken from the stripped table column
    frames: tuple[list[pd.DataFrame], list[pd.DataFrame]] = ([], [])
    for (kind, a, v, table, rows), m, vc in zip(parts, first, vcodes, strict=True):
        f = pd.DataFrame({"account_id": stripped[table].take(rows[m]).reset_index(drop=True),
                          "kind": kind, "value": v[m].reset_index(drop=True)}).astype(STRING)
        if codes:
            f["acct_code"], f["value_code"] = a[m].astype(np.int64), vc[m]
        frames[kind in split].append(f)
    return (pd.concat(frames[0], ignore_index=True) if frames[0] else empty(),
            pd.concat(frames[1], ignore_index=True) if frames[1] else empty())


def account_index(ds: Dataset) -> pd.Index:
    """The accounts' ids, sorted: the code space of the evidence table (`acct`)."""
    return pd.Index(pd.Index(_str(ds.accounts["account_id"]).to_numpy(dtype=object)).sort_values())


def build_evidence_table(
    ds: Dataset,
    allowlist: pd.DataFrame | None = None,
    rare_domain_max: int = 25,
    phone_block_min: int = 5,
    accounts: pd.Index | None = None,
    pool: Executor | None = None,
) -> tuple[EvidenceTable, EvidenceTable]:
    """(evidence, allow-listed evidence), integer-coded, aggregated per account × identifier.

    `rare_domain_max`: an e-mail domain is evidence only if at most this many accounts use it;
    `phone_block_min`: a block of 100 phone numbers only if at least this many of its
    numbers signed up (`dense_blocks`; 0: never); `accounts`: `account_index(ds)`, if
    already built (the code space: a caller coding other tables against the same object
    shares its cached codes); `pool`: threads for the kinds' aggregation (same result).
    """
    ds = ensure_normalised(ds)
    acc = ds.accounts
    accounts = account_index(ds) if accounts is None else accounts

    table_codes = _TableCodes(ds, lambda ids: account_codes(accounts, ids))
    # each source's part hashed on the pool while the next one is extracted; at most two
    # in flight, so that no more sources' columns are held than two
    parts: list[_Part] = []
    inflight: deque[Future[_Part]] = deque()
    for src in _sources(ds, times=True, wanted=set(KINDS)):
        value = src.value
        if src.kind == "email_domain":
            value = _rare_domains(_str(value), rare_domain_max)
        elif src.kind == "phone_block":
            value = dense_blocks(value, _col(acc, "phone_e164"), phone_block_min)
        args = (table_codes(src), src.kind, value, src.first, src.last, src.count)
        if pool is None:
            parts.append(_part(*args))
            continue
        if len(inflight) >= 2:
            parts.append(inflight.popleft().result())
        inflight.append(pool.submit(_part, *args))
        del args, value, src
    parts.extend(f.result() for f in inflight)
    inflight.clear()

    acct_c, kind_c, vcode_c, first_c, last_c, count_c, values = _combine_parts(parts, len(accounts),
                                                                               pool)
    del parts

    # allow-list on distinct (kind, value) pairs only
    kv = (kind_c.astype(np.int64) << 40) | vcode_c
    ukv = sorted_unique(kv)
    allowed_u = _allowed_mask(values[ukv & ((1 << 40) - 1)], (ukv >> 40).astype(np.int8),
                              allowlist)
    allowed = np.isin(kv, ukv[allowed_u]) if allowed_u.any() else np.zeros(kv.size, dtype=bool)
    del kv, ukv

    # split one column at a time, each freed once split: no second copy of the whole table
    columns = [acct_c, kind_c, vcode_c, first_c, last_c, count_c]
    del acct_c, kind_c, vcode_c, first_c, last_c, count_c
    kept, apart = [], []
    keep = ~allowed
    for i in range(len(columns)):
        kept.append(columns[i][keep])
        apart.append(columns[i][allowed])
        columns[i] = None
    return (EvidenceTable(accounts, *kept, values=values),
            EvidenceTable(accounts, *apart, values=values))


def build_evidence(ds: Dataset, allowlist: pd.DataFrame | None = None) -> pd.DataFrame:
    """Public evidence frame (allow-listed identifiers dropped):
    account_id, kind, value, first_seen, last_seen, count."""
    table, _ = build_evidence_table(ds, allowlist)
    return table.to_frame()
