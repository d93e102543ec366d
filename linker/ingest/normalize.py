"""Normalisation of identifiers so that the same e-mail, phone or IP compares equal however
it was typed. Pure functions over pandas Series; nothing here does I/O.

Values that cannot be understood become ``<NA>`` (never the empty string, never an
exception): a malformed identifier must not link accounts, and must not stop a run.
Per-value parsers (``phonenumbers``, ``ipaddress``) run on unique values only and are mapped
back, so a column with millions of rows but few distinct values stays cheap.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linker.model import STRING

if TYPE_CHECKING:
    from linker.model import Dataset


# Providers that route `local+tag@domain` to `local@domain` (sub-addressing), so the tag
# is stripped. Only Gmail also ignores dots in the local part. Yahoo's disposable
# addresses use a separately chosen base name ("base-keyword"), which cannot be mapped
# back to the account's address, so Yahoo is left alone.
DOMAIN_ALIASES: dict[str, str] = {"googlemail.com": "gmail.com"}
PLUS_TAG_DOMAINS: frozenset[str] = frozenset({
    "gmail.com",
    "outlook.com", "hotmail.com", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com",
    "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
    "fastmail.com", "fastmail.fm",
})
DOT_INSENSITIVE_DOMAINS: frozenset[str] = frozenset({"gmail.com"})

# Loose but safe: one '@', no whitespace, a dot in the domain, no empty labels.
_EMAIL_RE = r"^[^@\s]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
# Dotted-quad IPv4 already in canonical form (no leading zeros): passes through untouched.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANON_V4_RE = rf"^{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}$"
# Common non-ISO spellings of countries given as phone regions.
_REGION_ALIASES = {"UK": "GB", "EL": "GR"}


def _as_string(s: pd.Series) -> pd.Series:
    """Nullable string Series, stripped, with empty strings as <NA>."""
    out = s.astype(STRING).str.strip()
    return out.mask(out == "")


# Distinct values from which a per-value parser runs in worker processes (one per core): the
# phone parser costs ~0.1 ms a number, a minute for the half million numbers of 1M accounts.
PARALLEL_FROM = 40_000


def _apply_all(fn: Callable[[str], str | None], values: list[str]) -> list[str | None]:
    return [fn(v) for v in values]


def _others_running() -> float:
    """How many cores other processes keep busy now. The run's own threads (the read just
    before this) still weigh in the one-minute load average for a minute, so where Linux
    tells the number of tasks runnable at this instant, that (less this one) is used."""
    try:
        with open("/proc/loadavg") as f:
            runnable = int(f.read().split()[3].split("/")[0])
        return max(0.0, runnable - 1.0)
    except (OSError, ValueError, IndexError):
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        return max(0.0, load - 1.0)


def _idle_cores(others: float | None = None) -> int:
    """Cores no other process is using now: worker processes only pay off on idle cores
    (measured: 6.1 s serial vs 7.6 s in two workers for 52k numbers on a busy 2-core
    machine). This process is busy on one core until it hands the parse to the workers and
    waits: that core is free for them (counting it as another's kept a run's parse serial
    on a 2-core machine)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    others = _others_running() if others is None else others
    return max(1, int((cores or 1) - others + 0.5))


def _own_threads_running() -> bool:
    """Whether this is one of linker's worker threads (the main thread works beside it), or
    another of them (named `linker-…`: the read's reducers, ring detection's, the campaigns'
    extraction) is alive. Those run numpy and Arrow code that may hold a lock at any
    instant, and a forked child inherits it held: the parse then stays in this process."""
    me = threading.current_thread()
    return me is not threading.main_thread() or any(
        t is not me and t.name.startswith("linker-") for t in threading.enumerate())


def _apply(fn: Callable[[str], str | None], values: np.ndarray) -> list[str | None]:
    """`fn` over `values`, split over idle cores for large inputs (same results, in order)."""
    if len(values) < PARALLEL_FROM or _own_threads_running():
        return _apply_all(fn, list(values))
    n = min(_idle_cores(), 4)
    if n < 2:
        return _apply_all(fn, list(values))
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    chunks = [list(c) for c in np.array_split(values, n * 4)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            return [r for part in pool.map(partial(_apply_all, fn), chunks) for r in part]
    except (OSError, RuntimeError):  # no processes to be had: do it here
        return _apply_all(fn, list(values))


def _map_unique(s: pd.Series, fn: Callable[[str], str | None],
                fast: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
                ) -> pd.Series:
    """Apply a per-value parser once per distinct non-null value and map the results back.
    `fast(uniques)` may decide some values first, as (results, decided mask); `fn` then
    runs on the undecided ones only."""
    present = s.notna()
    if not present.any():
        return pd.Series(pd.NA, index=s.index, dtype=STRING)
    # distinct values and each row's one by Arrow's dictionary encoding (first-seen order, as
    # pd.unique gives them; as Python objects, the distinct values and the mapping back of
    # every row cost ~15 s at 1M accounts)
    enc = _arrow(s).dictionary_encode()
    uniques = np.asarray(enc.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    if fast is None:
        results: list[str | None] | np.ndarray = _apply(fn, uniques)
    else:
        results, decided = fast(uniques)
        rest = np.flatnonzero(~decided)
        if rest.size:
            found = np.empty(rest.size, dtype=object)
            found[:] = _apply(fn, uniques[rest])
            results[rest] = found
    mapped = pa.array(pd.array(results, dtype=STRING))
    mapped = mapped.combine_chunks() if isinstance(mapped, pa.ChunkedArray) else mapped
    return _series(mapped.take(enc.indices), s.index)


def normalize_email(email: pd.Series) -> pd.Series:
    """Lower-case and trim; for providers known to ignore them, drop +tags (and Gmail's
    dots) and fold domain aliases (googlemail.com → gmail.com). Malformed → <NA>."""
    s = _as_string(email).str.lower()
    s = s.where(s.str.match(_EMAIL_RE).fillna(False).astype(bool))
    # a valid address has exactly one '@': split in Arrow (pandas' extract and split run
    # per value in Python, seconds at 1M accounts)
    halves = pc.split_pattern(_arrow(s), "@", max_splits=1)
    local = _series(pc.list_element(halves, 0), s.index)
    domain = _series(_second(halves), s.index)
    domain = domain.replace(DOMAIN_ALIASES)
    tagged = domain.isin(PLUS_TAG_DOMAINS).fillna(False).astype(bool)
    local = local.where(~tagged, _series(pc.list_element(
        pc.split_pattern(_arrow(local), "+", max_splits=1), 0), s.index))
    dotless = domain.isin(DOT_INSENSITIVE_DOMAINS).fillna(False).astype(bool)
    local = local.where(~dotless, local.str.replace(".", "", regex=False))
    out = (local + "@" + domain).astype(STRING)
    # "+tag@gmail.com" or "...@gmail.com" leave nothing of the local part.
    return out.mask(local.isna() | (local == ""))


def email_domain(email: pd.Series) -> pd.Series:
    """Domain of the (normalised) e-mail address; <NA> when the address is malformed."""
    return _domain(normalize_email(email))


def _domain(email_norm: pd.Series) -> pd.Series:
    found = pc.extract_regex(_arrow(email_norm), r"@(?P<d>[^@]+)$")
    return _series(pc.struct_field(found, [0]), email_norm.index).rename(0)  # as extract()[0]


def _arrow(s: pd.Series) -> pa.Array:
    """The Series' values as one Arrow string array (no copy for Arrow-backed strings)."""
    arr = pa.array(s.astype(STRING).array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.large_string())), index=index,
                     dtype=STRING) if len(arr) else pd.Series(pd.NA, index=index, dtype=STRING)


def _second(halves: pa.Array) -> pa.Array:
    """Second element of each list (null where a list has fewer than two)."""
    n = pc.list_value_length(halves)
    two = pc.fill_null(pc.greater_equal(n, 2), False)
    safe = pc.if_else(two, halves, pa.scalar(["", ""], halves.type))
    return pc.if_else(two, pc.list_element(safe, 1), pa.scalar(None, pa.string()))


def _e164(pair: str) -> str | None:
    import phonenumbers

    number, _, region = pair.partition("\x00")
    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(phone: pd.Series, country: pd.Series | str | None = None) -> pd.Series:
    """E.164 (``+14155550123``) via ``phonenumbers``; a number without '+' is read in the
    account's country (ISO alpha-2). Unparseable or invalid numbers → <NA>."""
    s = _as_string(phone)
    # Drop formatting so that "(415) 555-0123" and "415.555.0123" share one parse.
    s = s.str.replace(r"[\s().\-/]", "", regex=True)
    s = s.mask(s == "")
    if not isinstance(country, pd.Series):
        country = pd.Series(country, index=s.index, dtype=object)
    region = _as_string(country).str.upper().replace(_REGION_ALIASES)
    region = region.where(region.str.len() == 2).reindex(s.index).fillna("")
    # International numbers do not depend on the region: key them without it.
    region = region.where(~s.str.startswith("+").fillna(False).astype(bool), "")
    key = (s + "\x00" + region.astype(STRING)).astype(STRING)
    return _map_unique(key, _e164, _e164_fast)


def _e164_fast(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys of numbers written "+DIGITS", or national digits with a region, decided in
    Arrow kernels (linker.ingest.phones): most numbers are, and phonenumbers costs ~0.1 ms
    each (20 s at 1M accounts)."""
    from linker.ingest.phones import e164_international, e164_national

    arr = pa.array(keys, pa.string())
    plus = pc.fill_null(pc.match_substring_regex(arr, r"^\+[0-9]+\x00$"), False)
    rows = np.flatnonzero(plus.to_numpy(zero_copy_only=False))
    results = np.full(len(keys), None, dtype=object)
    decided = np.zeros(len(keys), dtype=bool)
    if rows.size:
        digits = pc.utf8_slice_codeunits(arr.take(pa.array(rows)), 1, -1)
        e164, done = e164_international(digits)
        decided[rows] = done
        results[rows] = e164.to_numpy(zero_copy_only=False)
    # national digits and a two-letter region (the only regions normalize_phone keeps)
    local = pc.fill_null(pc.match_substring_regex(arr, r"^[0-9]+\x00[A-Z]{2}$"), False)
    rows = np.flatnonzero(local.to_numpy(zero_copy_only=False))
    if rows.size:
        halves = pc.split_pattern(arr.take(pa.array(rows)), "\x00", max_splits=1)
        e164, done = e164_national(pc.list_element(halves, 0), pc.list_element(
            halves, 1).to_numpy(zero_copy_only=False))
        decided[rows] = done
        results[rows] = e164.to_numpy(zero_copy_only=False)
    return results, decided


_V4_MAPPED = b"\0" * 10 + b"\xff\xff"


def _canonical_v6(v: str) -> str | None:
    """The C library's parse and print of an IPv6 address (~1 µs against ~20 µs for
    `ipaddress`; both print RFC 5952 text: lower case, no leading zeros, the longest run of
    two or more zero groups folded, so the two agree). None when it cannot say: not IPv6,
    or an embedded IPv4 tail other than IPv4-mapped, which glibc and `ipaddress` print
    differently; `ipaddress` decides those."""
    try:
        packed = socket.inet_pton(socket.AF_INET6, v)
    except (OSError, ValueError):
        return None
    if packed[:12] == _V4_MAPPED:
        return socket.inet_ntop(socket.AF_INET, packed[12:])
    text = socket.inet_ntop(socket.AF_INET6, packed)
    return None if "." in text else text


def _bare_ip(value: str) -> str:
    """The address alone: no surrounding blanks, URL brackets or IPv6 zone id
    ("fe80::1%eth0": the zone is local to a host)."""
    v = value.strip()
    if v.startswith("[") and v.endswith("]"):
        v = v[1:-1]
    return v.split("%", 1)[0]


def _ipaddress_text(v: str) -> str | None:
    """Canonical text of a bare address by `ipaddress` (IPv4-mapped IPv6 → IPv4), the
    reference the fast path agrees with."""
    try:
        ip = ipaddress.ip_address(v)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


@functools.lru_cache(maxsize=1 << 20)
def _canonical_ip(value: str) -> str | None:
    """Canonical text of one address (memoised: the same IPv6 addresses come back in the
    reader, the evidence and the campaigns stage)."""
    v = _bare_ip(value)
    if ":" in v and "." not in v and (fast := _canonical_v6(v)) is not None:
        return fast
    return _ipaddress_text(v)


def normalize_ip(ip: pd.Series) -> pd.Series:
    """Canonical text of an IPv4/IPv6 address (IPv6 compressed, lower case; IPv4-mapped IPv6
    → IPv4). Invalid → <NA>. Canonical IPv4 strings skip the per-value parser."""
    s = _as_string(ip)
    fast = s.str.match(_CANON_V4_RE).fillna(False).astype(bool)
    if bool(fast.all()):
        return s
    out = s.copy()
    slow = ~fast & s.notna()
    out[slow] = _map_unique(s[slow], _canonical_ip)
    return out


@functools.lru_cache(maxsize=1 << 20)
def _v6_subnet(ip: str) -> str | None:
    """/48 of a canonical IPv6 string by string surgery (5x cheaper than ipaddress): the
    first three groups, trailing zero groups folded into the '::' as str(IPv6Network) does
    (the 5+ zero groups after them are always the longest run)."""
    left, sep, right = ip.partition("::")
    groups = left.split(":") if left else []
    if sep:
        tail = right.split(":") if right else []
        groups += ["0"] * (8 - len(groups) - len(tail)) + tail
    if len(groups) != 8:
        return None
    head = groups[:3]
    while head and head[-1] == "0":
        head.pop()
    return ":".join(head) + "::/48"


def ip_subnet(ip: pd.Series, normalized: bool = False) -> pd.Series:
    """The /24 (IPv4, ``203.0.113.0/24``) or /48 (IPv6) network of each address: the unit a
    hosting provider or proxy pool hands out. Pass ``normalized=True`` for ``normalize_ip``
    output to skip re-normalising."""
    s = ip.astype(STRING) if normalized else normalize_ip(ip)
    if len(s) == 0:
        return pd.Series(pd.NA, index=s.index, dtype=STRING)
    # in Arrow kernels: a masked assignment into an Arrow-backed Series costs seconds at 4M
    arr = _arrow(s)
    v4 = pc.fill_null(pc.match_substring_regex(arr, _CANON_V4_RE), False)
    out = pc.if_else(v4, pc.replace_substring_regex(arr, r"\.[0-9]+$", ".0/24"),
                     pa.scalar(None, arr.type))
    v6 = pc.and_(pc.is_valid(arr), pc.invert(v4)).to_numpy(zero_copy_only=False)
    result = _series(out, s.index)
    if v6.any():
        result[v6] = _map_unique(s[v6], _v6_subnet)
    return result


def normalize_asn(asn: pd.Series) -> pd.Series:
    """ASN as the text of its number: ``AS0123``, ``as123``, ``123`` and 123 → ``123``.
    Anything else → <NA>. The one ASN spelling for evidence, allowlists and indicators.
    Parsed once per distinct value (a few thousand among the 4M IP events of 1M accounts)."""
    enc = _arrow(asn.astype(STRING)).dictionary_encode()
    done = _asn_text(pd.Series(enc.dictionary, dtype=STRING))
    return _series(_arrow(done).take(enc.indices), asn.index).rename(asn.name)


def _asn_text(asn: pd.Series) -> pd.Series:
    s = _as_string(asn).str.upper().str.removeprefix("AS").str.strip()
    s = s.where(s.str.fullmatch(r"[0-9]{1,10}").fillna(False).astype(bool))
    return s.str.lstrip("0").replace("", "0").astype(STRING)


def _or_missing(fn: Callable[..., pd.Series], col: pd.Series, *args: object) -> pd.Series:
    """`fn(col)`, or all <NA> when the column has no value at all (nothing to parse)."""
    if col.notna().sum() == 0:
        return pd.Series(pd.NA, index=col.index, dtype=STRING)
    return fn(col, *args)


NORMALISED_ACCOUNT_COLUMNS = ("email_norm", "email_domain", "phone_e164", "signup_ip_norm",
                              "signup_subnet")
NORMALISED_EVENT_COLUMNS = ("ip_norm", "subnet")


def is_normalised(ds: Dataset) -> bool:
    return (set(NORMALISED_ACCOUNT_COLUMNS) <= set(ds.accounts.columns)
            and set(NORMALISED_EVENT_COLUMNS) <= set(ds.ip_events.columns))


def normalize_dataset(ds: Dataset) -> Dataset:
    """A new Dataset with the normalised columns of docs/internals.md added (inputs unchanged):
    accounts gain email_norm, email_domain, phone_e164, signup_ip_norm, signup_subnet;
    ip_events gain ip_norm, subnet. The only normaliser: every stage reads these columns."""
    accounts = ds.accounts.copy()
    accounts["email_norm"] = _or_missing(normalize_email, accounts["email"])
    accounts["email_domain"] = _domain(accounts["email_norm"])
    accounts["phone_e164"] = _or_missing(normalize_phone, accounts["phone"], accounts["country"])
    accounts["signup_ip_norm"] = _or_missing(normalize_ip, accounts["signup_ip"])
    accounts["signup_subnet"] = ip_subnet(accounts["signup_ip_norm"], normalized=True)

    ip_events = ds.ip_events.copy()
    ip_events["ip_norm"] = _or_missing(normalize_ip, ip_events["ip"])
    ip_events["subnet"] = ip_subnet(ip_events["ip_norm"], normalized=True)
    return replace(ds, accounts=accounts, payments=ds.payments.copy(), ip_events=ip_events)


def ensure_normalised(ds: Dataset) -> Dataset:
    """`ds` itself when already normalised, else `normalize_dataset(ds)`."""
    return ds if is_normalised(ds) else normalize_dataset(ds)
