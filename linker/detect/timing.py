"""Timing evidence: sign-up bursts and lockstep activity, without comparing all pairs.

- Sign-up bursts: accounts are bucketed by (key, time window) where the key is the sign-up
  /24, the sign-up ASN or the card BIN; a bucket is a burst when it holds far more sign-ups
  than that key's own base rate predicts (so a big carrier's steady sign-ups are not a
  burst). Two window phases catch bursts that straddle a window boundary. Within a burst
  each account is linked to its next k sign-ups only (bounded, never n²).
- Lockstep hours (SynchroTrap-style): each account's set of active hours is summarised by
  MinHash; accounts whose signatures collide in an LSH band are candidates, and a candidate
  pair is kept when its estimated Jaccard similarity is high. Buckets larger than a cap
  (e.g. everyone active around the clock) are ignored, like identifier hubs.

Timing links are deliberately weaker than identity links: a ring held together only by
timing goes to review, never to automatic suspension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linker.detect.evidence import sorted_unique
from linker.detect.links import PairSet, bounded_neighbours, combine, to_frame
from linker.detect.reasons import BIT
from linker.detect.threads import pool_map
from linker.model import STRING

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from linker.model import Dataset
    from linker.settings import RingParams

_PRIME = np.int64(2_147_483_647)  # 2^31 - 1
_PLACEHOLDER_BINS = 10  # card BINs on one exact instant that make it a placeholder


def _codes(accounts: pd.Index, ids: pd.Series) -> np.ndarray:
    from linker.detect.evidence import account_codes

    return account_codes(accounts, ids)


_NAT = np.iinfo(np.int64).min  # NaT as int64


def _epoch_ns(t: pd.Series) -> np.ndarray:
    """Nanoseconds since the epoch (int64, `_NAT` for unknown)."""
    t = pd.to_datetime(t, utc=True, errors="coerce")
    return t.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT")).astype("int64")


def _minutes(t: pd.Series | np.ndarray) -> np.ndarray:
    """Minutes since the epoch (float, NaN for unknown), of times or of `_epoch_ns`."""
    ns = t if isinstance(t, np.ndarray) else _epoch_ns(t)
    out = ns / 60e9
    out[ns == _NAT] = np.nan
    return out


def burst_pairs(acct: np.ndarray, key: pd.Series, minutes: np.ndarray, params: RingParams,
                weight: float) -> PairSet:
    """Pairs of accounts signing up in an unusual burst under the same key."""
    kcode, _ = pd.factorize(key.astype("string"))
    kcode = np.asarray(kcode, dtype=np.int64)
    ok = (acct >= 0) & ~np.isnan(minutes) & (kcode >= 0)
    acct, minutes, kcode = acct[ok], minutes[ok], kcode[ok]
    if acct.size < 2:
        return PairSet.empty()
    w_min = float(params.burst_window_minutes)
    span = max(float(minutes.max() - minutes.min()), w_min)
    per_key = np.bincount(kcode)
    # expected sign-ups of this key in one window, doubled for the daily cycle
    expected = 2.0 * per_key * w_min / span
    threshold = np.maximum(params.burst_min, expected + params.burst_z * np.sqrt(expected))
    out = []
    t0 = minutes.min()
    for phase in (0.0, w_min / 2):
        window = np.floor((minutes - t0 + phase) / w_min).astype(np.int64)
        _, group = np.unique(kcode * (int(window.max()) + 1) + window, return_inverse=True)
        size = np.bincount(group)
        burst = size[group] >= threshold[kcode]
        if not burst.any():
            continue
        a, b = bounded_neighbours(group[burst], minutes[burst], acct[burst], params.burst_k)
        out.append(PairSet(a.astype(np.int32), b.astype(np.int32),
                           np.full(a.size, weight), np.full(a.size, BIT["SIGNUP_BURST"], np.uint32)))
    ps = combine(out)
    ps.w = np.minimum(ps.w, weight)  # two phases finding the same burst count once
    return ps


def card_waves(ds: Dataset, accounts: pd.Index, params: RingParams,
               created: np.ndarray | None = None) -> np.ndarray:
    """Per account code: it added a card at least `card_wave_min_age_days` after signing up,
    in an unusual burst of such late cards of one BIN (`burst_pairs`, on the card's time).
    An operator that buys aged accounts switches a batch on at once and pays with its own
    card supplier; people coming back to the platform do so on their own days, with their
    own banks' cards. Bursts are measured against each BIN's own rate of late cards, so a
    big bank's steady stream is not a wave. `created`: `signup_minutes` of `accounts`."""
    out = np.zeros(len(accounts), dtype=bool)
    pay = ds.payments
    if (params.card_wave_min_age_days <= 0 or not len(pay) or "card_bin" not in pay
            or "created_at" not in pay):
        return out
    created = signup_minutes(ds, accounts) if created is None else created
    codes = _codes(accounts, pay["account_id"])
    added = _minutes(pay["created_at"])
    signed = np.where(codes >= 0, created[np.maximum(codes, 0)], np.nan)
    with np.errstate(invalid="ignore"):
        late = (added - signed) >= params.card_wave_min_age_days * 1440.0
    late &= pay["card_bin"].notna().to_numpy()
    # one instant carried by cards of many BINs is a placeholder (an export clamping times
    # to its end, a default value), not a wave: no operator adds cards of that many issuers
    # in one second
    key = pd.DataFrame({"t": added[late], "bin": pay["card_bin"][late].to_numpy()})
    bins_at = key.groupby("t")["bin"].transform("nunique").to_numpy()
    late[np.flatnonzero(late)[bins_at >= _PLACEHOLDER_BINS]] = False
    if late.sum() < 2:
        return out
    ps = burst_pairs(codes[late], pay["card_bin"][late], added[late], params, 1.0)
    out[ps.a] = True
    out[ps.b] = True
    return out


def _signup_asn(ds: Dataset) -> pd.DataFrame:
    """ASN of each account's sign-up IP (from ip_events), one row per account."""
    ev = ds.ip_events
    if len(ev) == 0 or "asn" not in ev or "ip_norm" not in ev:
        return pd.DataFrame({"account_id": pd.Series(dtype="string"), "asn": pd.Series(dtype="string")})
    ev = ev.loc[ev["asn"].notna(), ["account_id", "ip_norm", "asn"]]
    acc = ds.accounts[["account_id", "signup_ip_norm"]].dropna()
    if acc["account_id"].duplicated().any():  # never after validation: the general join
        m = ev.merge(acc, left_on=["account_id", "ip_norm"],
                     right_on=["account_id", "signup_ip_norm"]).drop_duplicates("account_id")
    else:  # each event against its own account's sign-up IP, in Arrow (a two-string-key
        # merge hashed the 4M events of 1M accounts as Python strings); first hit per account
        row = _codes(pd.Index(acc["account_id"]), ev["account_id"])
        own = pa.array(acc["signup_ip_norm"].astype(STRING).array)
        own = own.combine_chunks() if isinstance(own, pa.ChunkedArray) else own
        own = own.take(pa.array(row, mask=row < 0))
        ip = pa.array(ev["ip_norm"].astype(STRING).array)
        ip = ip.combine_chunks() if isinstance(ip, pa.ChunkedArray) else ip
        hit = pc.fill_null(pc.equal(ip.cast(own.type), own), False).to_numpy(zero_copy_only=False)
        first = hit & ~pd.Series(np.where(hit, row, -1)).duplicated().to_numpy()
        m = ev[first]
    asn = pd.to_numeric(m["asn"], errors="coerce").astype("Int64").astype("string")
    return pd.DataFrame({"account_id": m["account_id"].to_numpy(), "asn": asn.to_numpy()})


def placeholder_instants(ns: np.ndarray, network: pd.Series, min_networks: int) -> np.ndarray:
    """Per row: its time (`_epoch_ns`) is one exact instant that rows from at least
    `min_networks` distinct networks carry (0: never). That is a placeholder (an export
    clamping times to its end, a migration's backfill, a default value), not a burst: no
    operator opens accounts from that many networks within one second."""
    out = np.zeros(len(ns), dtype=bool)
    if min_networks <= 0 or not len(ns):
        return out
    known = (ns != _NAT) & network.notna().to_numpy()
    _, inv, cnt = np.unique(ns, return_inverse=True, return_counts=True)
    crowded = known & (cnt[inv] >= min_networks)
    if not crowded.any():
        return out
    k = pd.DataFrame({"t": ns[crowded], "net": network.to_numpy()[crowded]})
    nets = k.groupby("t")["net"].transform("nunique").to_numpy()
    out[np.flatnonzero(crowded)[nets >= min_networks]] = True
    return out


def signup_minutes(ds: Dataset, accounts: pd.Index, min_networks: int = 0) -> np.ndarray:
    """Sign-up minute (since the epoch) per account code, NaN where unknown, or (with
    `min_networks`) a placeholder instant that many sign-up /24s share
    (`placeholder_instants`)."""
    acct = _codes(accounts, ds.accounts["account_id"])
    ns = _epoch_ns(ds.accounts["created_at"])
    mins = _minutes(ns)
    if min_networks > 0 and "signup_subnet" in ds.accounts:
        mins[placeholder_instants(ns, ds.accounts["signup_subnet"], min_networks)] = np.nan
    created = np.full(len(accounts), np.nan)
    created[acct[acct >= 0]] = mins[acct >= 0]
    return created


def signup_burst_pairs(ds: Dataset, accounts: pd.Index, params: RingParams,
                       created: np.ndarray | None = None) -> PairSet:
    """Bursts per sign-up /24, sign-up ASN and card BIN. `created`: `signup_minutes` of
    `accounts`, when the caller has it already."""
    acc = ds.accounts
    if created is None:
        created = signup_minutes(ds, accounts, params.placeholder_min_networks)

    def at(codes: np.ndarray) -> np.ndarray:
        return np.where(codes >= 0, created[np.maximum(codes, 0)], np.nan)

    out = []
    if "signup_subnet" in acc:
        acct = _codes(accounts, acc["account_id"])
        out.append(burst_pairs(acct, acc["signup_subnet"], at(acct), params, params.burst_weight["subnet"]))
    asn = _signup_asn(ds)
    if len(asn):
        codes = _codes(accounts, asn["account_id"])
        out.append(burst_pairs(codes, asn["asn"], at(codes), params, params.burst_weight["asn"]))
    pay = ds.payments
    if len(pay) and "card_bin" in pay:
        p = pay.loc[pay["card_bin"].notna(), ["account_id", "card_bin"]].drop_duplicates()
        codes = _codes(accounts, p["account_id"])
        out.append(burst_pairs(codes, p["card_bin"], at(codes), params,
                               params.burst_weight["card_bin"]))
    ps = combine(out)
    ps.w = np.minimum(ps.w, max(params.burst_weight.values()) * 1.5)
    return ps


def minhash_signatures(acct: np.ndarray, hours: np.ndarray, n_hashes: int,
                       seed: int, pool: Executor | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MinHash of each account's hour set: (account codes, signatures [n_acc, n_hashes]).

    `acct`/`hours` are parallel arrays of distinct (account, hour) rows; with a `pool`, the
    hash functions are split between its threads (each column is its own)."""
    order = np.lexsort((hours, acct))
    acct, hours = acct[order], hours[order].astype(np.int64)
    start = np.flatnonzero(np.r_[True, acct[1:] != acct[:-1]])
    rng = np.random.default_rng(seed)
    # multiply-shift hashing on uint64 (wrapping multiply, top 32 bits): universal enough for
    # MinHash and several times cheaper than a modulo per value
    a = rng.integers(1, 2**63 - 1, size=n_hashes, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63 - 1, size=n_hashes, dtype=np.int64).astype(np.uint64)
    x = hours.astype(np.uint64)
    sig = np.empty((start.size, n_hashes), dtype=np.int64)
    halves = 2 if pool is not None else 1

    def columns(part: int) -> None:
        h = np.empty_like(x)
        for j in range(part, n_hashes, halves):
            np.multiply(x, a[j], out=h)
            h += b[j]
            h >>= np.uint64(32)
            sig[:, j] = np.minimum.reduceat(h, start).astype(np.int64)

    pool_map(pool, columns, range(halves))
    return acct[start], sig


def _clustering_busy_share(params: RingParams) -> float:
    """The busy-share floor of the pairs clustering sees: round-the-clock accounts are left
    out of lockstep and schedule neighbours unless `round_the_clock_clusters` keeps them."""
    return 0.0 if params.round_the_clock_clusters else params.schedule_min_busy_share


def busy_share(acct: np.ndarray, hour: np.ndarray, n: int) -> np.ndarray:
    """Per account code: the share of its active hours that fall in its busiest 12 hours of
    the UTC day (1.0 without any). `acct`/`hour`: distinct (account, hour since the epoch)
    rows, sorted by account."""
    share = np.ones(n)
    if not acct.size:
        return share
    first = np.r_[True, acct[1:] != acct[:-1]]
    inv = np.cumsum(first) - 1
    per_hod = np.bincount(inv * 24 + hour % 24,
                          minlength=int(first.sum()) * 24).astype(np.int32).reshape(-1, 24)
    top = np.partition(per_hod, 12, axis=1)[:, 12:].sum(axis=1)
    share[acct[first]] = top / per_hod.sum(axis=1)
    return share


class ActiveHours(NamedTuple):
    """Distinct (account code, hour since the epoch) rows of the request log, sorted by
    account then hour, and every account's count of active hours. Hours since the epoch
    (< 2^24 until the year 3883): no account's signature depends on anyone else's data.
    Read once per run: lockstep, schedule neighbours and round-the-clock all read it."""

    acct: np.ndarray
    hour: np.ndarray
    n_hours: np.ndarray


def active_hours(ds: Dataset, accounts: pd.Index) -> ActiveHours | None:
    """Each account's active hours (hours with exchanges); None without request rows."""
    hourly = getattr(ds.requests, "hourly", None)
    if hourly is None or len(hourly) == 0:
        return None
    h = hourly.loc[pd.to_numeric(hourly["exchanges"], errors="coerce").fillna(0) > 0]
    acct = _codes(accounts, h["account_id"])
    hrs = pd.to_datetime(h["hour"], utc=True).to_numpy(dtype="datetime64[ns]").astype("int64")
    ok = acct >= 0
    key = sorted_unique((acct[ok] << 24) | (hrs[ok] // 3_600_000_000_000))
    # held through links and communities: half the bytes as int32 (codes < 2^31, hours < 2^24)
    acct, hour = (key >> 24).astype(np.int32), (key & ((1 << 24) - 1)).astype(np.int32)
    return ActiveHours(acct, hour, np.bincount(acct, minlength=len(accounts)))


def _active_rows(active: ActiveHours, min_hours: int, min_busy_share: float = 0.0,
                 among: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The (account, hour) rows of the accounts active in at least `min_hours` hours (and
    `among` them, a mask per account code). With `min_busy_share`, round-the-clock
    accounts (`round_the_clock`) are left out."""
    acct, hour = active.acct, active.hour
    keep = active.n_hours[acct] >= min_hours
    if among is not None:
        keep &= among[acct]
    if min_busy_share > 0 and keep.any():
        keep &= busy_share(acct[keep], hour[keep], active.n_hours.size)[acct] >= min_busy_share
    return acct[keep].astype(np.int64), hour[keep].astype(np.int64)


def round_the_clock(active: ActiveHours | None, params: RingParams) -> np.ndarray | None:
    """Per account code: active in at least `lockstep_min_hours` hours, whose busiest 12
    hours of the UTC day hold less than `schedule_min_busy_share` of them (None when off or
    without request rows). A round-the-clock schedule (an hourly cron job, an agent loop)
    holds every other account's hours, so sharing them is no coincidence and tells no
    schedule. An operator's shift, even with stray hours, keeps most of its hours in half
    the day."""
    if params.schedule_min_busy_share <= 0 or active is None:
        return None
    acct, hour = _active_rows(active, params.lockstep_min_hours)
    return busy_share(acct, hour, active.n_hours.size) < params.schedule_min_busy_share


def without_clock(ps: PairSet, schedule: PairSet | None, sleepless: np.ndarray
                  ) -> tuple[PairSet, PairSet | None]:
    """The links and schedule neighbours as evidence: lockstep hours with a round-the-clock
    account (`round_the_clock`) are no link, and it is nobody's schedule neighbour. They
    still weigh in clustering, where such accounts hold their own kind together."""
    lock = np.uint32(BIT["LOCKSTEP_HOURS"])
    either = sleepless[ps.a] | sleepless[ps.b]
    bits = np.where(either, ps.bits & ~lock, ps.bits)
    ps = PairSet(ps.a, ps.b, ps.w, bits).take(bits != 0)
    if schedule is not None:
        schedule = schedule.take(~(sleepless[schedule.a] | sleepless[schedule.b]))
    return ps, schedule


def _exact_candidates(ids: np.ndarray, cand_a: list[np.ndarray], cand_b: list[np.ndarray],
                      acct: np.ndarray, hours: np.ndarray, span: bool = False,
                      pool: Executor | None = None) -> tuple[np.ndarray, ...]:
    """The LSH candidates (signature rows) as distinct account pairs, with their exact
    number of shared hours and of distinct days those shared hours fall on (`acct`,
    `hours`: one row per distinct active account-hour, hours since the epoch, UTC days);
    with `span`, each side's hours within the span both were active as well."""
    ra, rb = np.concatenate(cand_a), np.concatenate(cand_b)
    pk = sorted_unique((np.minimum(ra, rb) << 32) | np.maximum(ra, rb))
    ra, rb = ids[pk >> 32], ids[pk & 0xFFFFFFFF]
    return (ra, rb, *_row_intersections(acct, hours, ra, rb, span=span, pool=pool))


def lockstep_pairs(ds: Dataset, accounts: pd.Index, params: RingParams,
                   active: ActiveHours | None = None) -> PairSet:
    """Pairs of accounts whose active hours nearly coincide (MinHash + LSH, bounded buckets).
    `active`: `active_hours(ds, accounts)`, when already read."""
    if active is None:
        active = active_hours(ds, accounts)
    if active is None:
        return PairSet.empty()
    n_hours = active.n_hours
    acct, rel = _active_rows(active, params.lockstep_min_hours, _clustering_busy_share(params))
    if not acct.size:
        return PairSet.empty()
    bands, rows = params.lockstep_bands, params.lockstep_rows
    ids, sig = minhash_signatures(acct, rel, bands * rows, params.seed)
    cand_a, cand_b = [], []
    for band in range(bands):
        part = sig[:, band * rows:(band + 1) * rows]
        bkey = part[:, 0].copy()
        for c in range(1, rows):
            bkey = bkey * np.int64(1_000_003) + part[:, c]
        group, _ = pd.factorize(bkey)
        size = np.bincount(group)
        sel = (size[group] >= 2) & (size[group] <= params.lockstep_bucket_cap)
        if not sel.any():
            continue
        idx = np.flatnonzero(sel)
        # a different pseudo-random order per band: the bands' bounded neighbourhoods differ,
        # so a big lockstep ring ends up densely (not just chain-) connected
        order = (idx * np.int64(2_654_435_761) + band * np.int64(40_503)) % _PRIME
        a, b = bounded_neighbours(group[sel], order, idx, params.lockstep_k)
        cand_a.append(a)
        cand_b.append(b)
    if not cand_a:
        return PairSet.empty()
    # exact check of the candidates: shared hours over the smaller set (a ring member that
    # joined late or was burned early works a subset of the ring's hours) and Jaccard (so a
    # 6-hour account inside a round-the-clock one does not count)
    ra, rb, inter, days = _exact_candidates(ids, cand_a, cand_b, acct, rel)
    na, nb = n_hours[ra], n_hours[rb]
    overlap = inter / np.minimum(na, nb)
    jac = inter / (na + nb - inter)
    # one scheduler works the same hours day after day; a hackathon or a class shares the
    # hours of one event
    good = ((overlap >= params.lockstep_min_overlap) & (jac >= params.lockstep_min_jaccard)
            & (days >= params.lockstep_min_days))
    a, b, overlap = ra[good], rb[good], overlap[good]
    return PairSet(np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32),
                   params.lockstep_weight * overlap,
                   np.full(a.size, BIT["LOCKSTEP_HOURS"], np.uint32))


def same_infrastructure(schedule: PairSet, rotating: np.ndarray) -> PairSet:
    """Schedule neighbours whose two accounts both rotate across proxy networks, or neither
    does (`evidence.ip_rotation`). One operator's accounts run through one kind of
    infrastructure, so hours shared by a proxy-hopping account and one that stays on its
    own ISP are a coincidence of the clock: at 1M accounts ordinary daytime users outnumber
    a stealth ring's true neighbours and, weighing where modularity cuts, mixed each stealth
    community half and half with them. For clustering only: `RING_SCHEDULE` counts every
    close schedule, so an operator's consumer-looking accounts keep their rotating mates."""
    return schedule.take(rotating[schedule.a] == rotating[schedule.b])


def schedule_neighbours(ds: Dataset, accounts: pd.Index, comp: np.ndarray, eligible: np.ndarray,
                        params: RingParams, active: ActiveHours | None = None,
                        pool: Executor | None = None) -> PairSet:
    """Each account's nearest schedules inside its own component (weight: their Jaccard).

    Rings of one operator often share its proxy pool, BINs and templates, so they fall in
    one component; what tells them apart is each ring's own schedule. A noisy schedule
    (jitter, skipped slots) misses the lockstep thresholds, yet an account's most similar
    schedules are still its ring-mates'. Candidates come from a MinHash LSH whose buckets
    are keyed by component (strangers elsewhere never collide); each account keeps its
    `schedule_k` most similar candidates by exact hour-set Jaccard (≥ `schedule_min_jaccard`)
    over the span both were active. These pairs never link accounts or join components:
    they weigh where modularity cuts a component into rings (`communities.detect`), and
    give RING_SCHEDULE to an account most of whose neighbours are ring-mates
    (`scoring.ring_schedule`). `eligible`: account codes' mask to consider; `active` as for
    `lockstep_pairs`; `pool`: threads for the signatures and the exact check (same result)."""
    if active is None:
        active = active_hours(ds, accounts)
    if params.schedule_k <= 0 or active is None or not eligible.any():
        return PairSet.empty()
    acct, rel = _active_rows(active, params.lockstep_min_hours, _clustering_busy_share(params),
                             among=eligible)
    if not acct.size:
        return PairSet.empty()
    bands, rows = params.schedule_bands, params.schedule_rows
    ids, sig = minhash_signatures(acct, rel, bands * rows, params.seed + 1, pool)
    cc = comp[ids].astype(np.int64)
    cand_a, cand_b = [], []
    for band in range(bands):
        part = sig[:, band * rows:(band + 1) * rows]
        bkey = cc.copy()
        for c in range(rows):
            bkey = bkey * np.int64(1_000_003) + part[:, c]
        group, _ = pd.factorize(bkey)
        size = np.bincount(group)
        sel = size[group] >= 2
        if not sel.any():
            continue
        idx = np.flatnonzero(sel)
        # in a big bucket (a campaign's many rings on one shift) each account meets only its
        # next k: ordered by the next band's hashes, those next k agree on more hours too
        nxt = ((band + 1) * rows) % sig.shape[1]
        order = np.empty(idx.size, dtype=np.int64)
        order[np.lexsort((sig[sel, (nxt + 1) % sig.shape[1]], sig[sel, nxt]))] = np.arange(idx.size)
        a, b = bounded_neighbours(group[sel], order, idx, params.schedule_bucket_k)
        cand_a.append(a)
        cand_b.append(b)
    if not cand_a:
        return PairSet.empty()
    # compare two schedules only over the span both accounts were active: a ring-mate
    # that joined late or was burned early works a slice of the ring's schedule
    ra, rb, inter, days, na, nb = _exact_candidates(ids, cand_a, cand_b, acct, rel, span=True,
                                                    pool=pool)
    na, nb = np.maximum(na, inter), np.maximum(nb, inter)
    # a brief shared span says little: each must work enough hours inside it
    short = (np.minimum(na, nb) < params.lockstep_min_hours) | (days < params.lockstep_min_days)
    inter = np.where(short, 0.0, inter)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(na + nb - inter > 0, inter / (na + nb - inter), 0.0)
    good = jac >= params.schedule_min_jaccard
    ra, rb, jac = ra[good], rb[good], jac[good]
    # each account's k best, from either end of the pair
    src = np.concatenate([ra, rb])
    dst = np.concatenate([rb, ra])
    jj = np.concatenate([jac, jac])
    order = _best_first(src, jj, dst)
    src, dst, jj = src[order], dst[order], jj[order]
    start = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    rank = np.arange(src.size) - np.repeat(start, np.diff(np.r_[start, src.size]))
    top = rank < params.schedule_k
    a, b, jj = np.minimum(src[top], dst[top]), np.maximum(src[top], dst[top]), jj[top]
    _, once = np.unique((a << 32) | b, return_index=True)
    a, b, jj = a[once], b[once], jj[once]
    return PairSet(a.astype(np.int32), b.astype(np.int32), jj, np.zeros(a.size, np.uint32))


def _best_first(src: np.ndarray, sim: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """np.lexsort((dst, -sim, src)) for similarities in [0, 1] that are ratios of hour counts:
    src and the similarity packed into one int64 key (the similarity as floor(sim * 2^40),
    which keeps the order and the ties of ratios with denominators below 2^20 exactly), so
    two sorting passes instead of three. Falls back to the lexsort past 2^22 accounts."""
    if src.size == 0 or int(src.max()) >= 1 << 22:
        return np.lexsort((dst, -sim, src))
    q = (1 << 40) - np.floor(sim * float(1 << 40)).astype(np.int64)  # best first
    return np.lexsort((dst, (src.astype(np.int64) << 41) | q))


def _row_intersections(acct: np.ndarray, hours: np.ndarray, ra: np.ndarray, rb: np.ndarray,
                       budget: int = 1 << 27, span: bool = False,
                       pool: Executor | None = None) -> tuple[np.ndarray, ...]:
    """|hours of ra ∩ hours of rb| for many pairs of accounts, and the number of distinct days
    the shared hours fall on (`acct`, `hours`: distinct active account-hours sorted by account
    then hour; hours since the epoch, so days are UTC days). With `span`, also the hours of
    ra and of rb within the span both were active (the later first hour to the earlier last).

    Each account of a pair gets one 24-bit word per day (a day-aligned bitset); a pair's
    shared hours are the popcount of the AND of its two rows, its shared days the count of
    non-zero words, and an account's hours within a span the popcount of its row under a
    mask of that span. Gathering dense rows per pair is several times cheaper than
    multiplying sparse rows or searching sorted hours. Pairs go in chunks whose bitsets and
    gathered rows stay within about `budget` bytes each, however long the history (two
    chunks at once with a `pool` of two threads)."""
    out = [np.zeros(ra.size, dtype=np.float64), np.zeros(ra.size, dtype=np.int64)]
    if span:
        out += [np.zeros(ra.size, dtype=np.int64), np.zeros(ra.size, dtype=np.int64)]
    if ra.size == 0 or acct.size == 0:
        return tuple(out)
    first = int(hours.min()) // 24 * 24
    rel = hours.astype(np.int64) - first
    n_days = int(rel.max()) // 24 + 1
    n = int(max(acct.max(), ra.max(), rb.max())) + 1
    if span:  # each account's first and last active hour (rows sorted by account, hour)
        starts = np.flatnonzero(np.r_[True, acct[1:] != acct[:-1]])
        ends = np.r_[starts[1:], acct.size] - 1
        lo_of = np.full(n, n_days * 24, dtype=np.int64)  # no hours: an empty span
        hi_of = np.full(n, -1, dtype=np.int64)
        lo_of[acct[starts]], hi_of[acct[ends]] = rel[starts], rel[ends]
    day = np.arange(n_days, dtype=np.int64)
    full = np.uint32((1 << 24) - 1)
    # the bitsets of every account in a pair at once when they fit the budget (a 6-week
    # history: 168 bytes an account); else in blocks of pairs, each with its own accounts
    row_of = np.full(n, -1, dtype=np.int64)
    everyone = sorted_unique(np.concatenate([ra, rb]).astype(np.int64))
    fits = everyone.size * n_days * 4 <= budget
    chunk = max(1, budget // ((6 if span else 3) * 4 * n_days))  # gathered rows per pass
    block = ra.size if fits else max(1, budget // (8 * n_days))
    block = max(chunk, block // chunk * chunk)  # a whole number of passes

    def one_chunk(s: int) -> None:
        """Pairs s to s + chunk (their rows in `words`): writes their slice of `out`."""
        ca, cb = ra[s:s + chunk], rb[s:s + chunk]
        wa, wb = words[row_of[ca]], words[row_of[cb]]
        both = wa & wb
        out[0][s:s + chunk] = np.bitwise_count(both).sum(axis=1, dtype=np.int64)
        out[1][s:s + chunk] = np.count_nonzero(both, axis=1)
        if span:
            lo = np.maximum(lo_of[ca], lo_of[cb])[:, None]
            hi = np.minimum(hi_of[ca], hi_of[cb])[:, None]
            # the span's mask: whole days strictly inside, the hours from lo on its first
            # day, up to hi on its last (an empty span, lo > hi, masks nothing)
            at_lo = np.left_shift(full, (lo % 24).astype(np.uint32)) & full
            at_hi = np.right_shift(full, (23 - hi % 24).astype(np.uint32))
            mask = np.where((day > lo // 24) & (day < hi // 24), full, np.uint32(0))
            mask = np.where(day == lo // 24, np.where(lo // 24 == hi // 24, at_lo & at_hi, at_lo), mask)
            mask = np.where((day == hi // 24) & (lo // 24 < hi // 24), at_hi, mask)
            mask = np.where(lo <= hi, mask, np.uint32(0)).astype(np.uint32)
            out[2][s:s + chunk] = np.bitwise_count(wa & mask).sum(axis=1, dtype=np.int64)
            out[3][s:s + chunk] = np.bitwise_count(wb & mask).sum(axis=1, dtype=np.int64)

    for b0 in range(0, ra.size, block):
        involved = everyone if fits else sorted_unique(
            np.concatenate([ra[b0:b0 + block], rb[b0:b0 + block]]).astype(np.int64))
        row_of[:] = -1
        row_of[involved] = np.arange(involved.size)
        # one word per (account, day); the rows are sorted by account then hour, so each
        # (account, day) is one contiguous run
        row = row_of[acct]
        sel = row >= 0
        row, h = row[sel], rel[sel]
        key = row * n_days + h // 24
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        words = np.zeros(involved.size * n_days, dtype=np.uint32)
        words[key[start]] = np.bitwise_or.reduceat(
            np.left_shift(np.uint32(1), (h % 24).astype(np.uint32)), start)
        words = words.reshape(involved.size, n_days)
        # a block's chunks write disjoint slices: on the pool's threads when given
        pool_map(pool, one_chunk, range(b0, min(b0 + block, ra.size), chunk))
    return tuple(out)


class DailyClock(NamedTuple):
    """When in the UTC day accounts work, one vote per account (each account's exchanges per
    hour of the day as shares of its own): `who` (account codes), `profile` (their shares,
    one row of 24 each) and `population` (the sum of every account's shares: the platform's
    clock). A heavy user, or a campaign's millions of exchanges, weighs as one account."""

    who: np.ndarray
    profile: np.ndarray
    population: np.ndarray


def daily_clock(ds: Dataset, accounts: pd.Index, among: np.ndarray) -> DailyClock | None:
    """The hour-of-day profiles of the accounts `among` marks (a boolean per account code)
    and of the whole platform, from the hourly request rows; None without them."""
    hourly = getattr(ds.requests, "hourly", None)
    if hourly is None or len(hourly) == 0 or not among.any():
        return None
    acct = _codes(accounts, hourly["account_id"])
    ex = pd.to_numeric(hourly["exchanges"], errors="coerce").fillna(0).to_numpy(np.float64)
    ok = (acct >= 0) & (ex > 0)
    acct, ex = acct[ok], ex[ok]
    hod = pd.to_datetime(hourly["hour"], utc=True).dt.hour.to_numpy(np.int64, na_value=0)[ok]
    share = ex / np.bincount(acct, ex, minlength=among.size)[acct]
    population = np.bincount(hod, share, minlength=24)[:24]
    sel = among[acct]
    who = np.flatnonzero(among)
    pos = np.full(among.size, -1, dtype=np.int64)
    pos[who] = np.arange(who.size)
    profile = np.bincount(pos[acct[sel]] * 24 + hod[sel], share[sel],
                          minlength=who.size * 24)[:who.size * 24].reshape(who.size, 24)
    return DailyClock(who, profile, population)


def timing_pairs(ds: Dataset, accounts: pd.Index, params: RingParams,
                 created: np.ndarray | None = None, active: ActiveHours | None = None
                 ) -> PairSet:
    """All timing links (internal, integer-coded); `created` as for `signup_burst_pairs`,
    `active` as for `lockstep_pairs`."""
    return combine([signup_burst_pairs(ds, accounts, params, created),
                    lockstep_pairs(ds, accounts, params, active)])


def timing_links(ds: Dataset, params: RingParams | None = None) -> pd.DataFrame:
    """Public links frame of the timing evidence alone (a, b, weight, reasons)."""
    from linker.settings import RingParams

    params = params or RingParams()
    accounts = pd.Index(ds.accounts["account_id"].astype("string").to_numpy(dtype=object)).sort_values()
    return to_frame(timing_pairs(ds, accounts, params), accounts)
