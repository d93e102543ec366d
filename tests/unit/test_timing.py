"""Timing evidence: sign-up bursts and lockstep hours, found without all-pairs work."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from ringdata import T0, background, make_ds

from linker.detect.evidence import ensure_normalised
from linker.detect.links import PairSet, to_frame
from linker.detect.timing import (
    active_hours,
    card_waves,
    daily_clock,
    lockstep_pairs,
    minhash_signatures,
    placeholder_instants,
    round_the_clock,
    signup_burst_pairs,
    signup_minutes,
    timing_links,
    without_clock,
)
from linker.model import Dataset
from linker.settings import RingParams


def _accounts(ds):
    return pd.Index(ds.accounts["account_id"].astype(str).to_numpy()).sort_values()


def test_signup_burst_from_one_subnet_is_detected():
    acc = background(300)
    burst = [dict(account_id=f"b{i}", created_at=T0 + pd.Timedelta(days=10, minutes=i),
                  signup_ip=f"45.9.9.{i + 1}") for i in range(8)]
    ds = ensure_normalised(make_ds(acc + burst))
    ps = signup_burst_pairs(ds, _accounts(ds), RingParams())
    f = to_frame(ps, _accounts(ds))
    assert len(f) > 0
    assert set(f["a"]) | set(f["b"]) == {f"b{i}" for i in range(8)}
    assert (f["reasons"] == "SIGNUP_BURST").all()


def test_steady_signups_from_a_big_network_are_not_a_burst():
    # one /24 (say a campus) signs up an account every 2 hours for 60 days: its base rate
    acc = [dict(account_id=f"c{i:04d}", created_at=T0 + pd.Timedelta(hours=2 * i),
                signup_ip=f"99.1.1.{i % 250 + 1}") for i in range(720)]
    ds = ensure_normalised(make_ds(acc))
    assert len(signup_burst_pairs(ds, _accounts(ds), RingParams())) == 0


def test_burst_on_a_busy_key_needs_to_beat_its_base_rate():
    # 4 accounts in 10 minutes is unusual for a quiet /24 but not for one that sees
    # dozens of sign-ups an hour all the time
    busy = [dict(account_id=f"n{i:05d}", created_at=T0 + pd.Timedelta(minutes=2 * i),
                 signup_ip=f"88.8.8.{i % 250 + 1}") for i in range(5000)]
    ds = ensure_normalised(make_ds(busy))
    assert len(signup_burst_pairs(ds, _accounts(ds), RingParams())) == 0


def _card_wave(n: int = 30, late_days: float = 120, bins: int = 1, same_second: bool = False,
               steady: bool = False, params: RingParams = RingParams()) -> set[str]:
    """Accounts in a card wave on 300 background accounts that each add a card of a big
    bank's BIN on their own day, plus `n` accounts signed up months earlier that add cards
    `late_days` after sign-up within one hour (or spread over the year: `steady`)."""
    acc = background(300)
    pay = [dict(account_id=f"u{i:05d}", card_fingerprint=f"fp-u{i}", card_bin="411111",
                created_at=T0 + pd.Timedelta(days=30 + i % 200, hours=i % 24)) for i in range(300)]
    for i in range(n):
        acc.append(dict(account_id=f"a{i:03d}", created_at=T0 + pd.Timedelta(days=i % 20)))
        at = (T0 + pd.Timedelta(days=late_days + 20) if same_second
              else T0 + pd.Timedelta(days=late_days + 20 + (i * 11 if steady else 0),
                                     minutes=2 * i))
        pay.append(dict(account_id=f"a{i:03d}", card_fingerprint=f"fp-a{i}",
                        card_bin=str(528696 + i % bins), created_at=at))
    ds = make_ds(acc, pay)
    return set(_accounts(ds)[card_waves(ds, _accounts(ds), params)])


def test_bought_accounts_switched_on_together_are_a_card_wave():
    """Thirty accounts signed up weeks apart add cards of one BIN within an hour, months
    later: a batch of aged accounts switched on. People adding their bank's card on their
    own days, the same accounts adding cards days apart, cards added soon after sign-up, and
    a placeholder instant carried by cards of many BINs are not waves; nor is anything
    with the setting off."""
    wave = {f"a{i:03d}" for i in range(30)}
    assert _card_wave() == wave
    assert _card_wave(steady=True) == set()
    assert _card_wave(late_days=-15) == set()  # cards within days of sign-up: not late
    assert _card_wave(bins=30, same_second=True) == set()
    assert _card_wave(bins=3, same_second=True) == wave  # one operator's few suppliers
    assert _card_wave(params=RingParams(card_wave_min_age_days=0)) == set()
    acc = background(10)
    ds = make_ds(acc)
    assert not card_waves(ds, _accounts(ds), RingParams()).any()  # no payments at all


def _hourly_requests(acc_ids, hours, count=3):
    return [dict(account_id=a, ts=T0 + pd.Timedelta(hours=int(h)), count=count)
            for a in acc_ids for h in hours]


def test_lockstep_hours_detected():
    rng = np.random.default_rng(1)
    acc = background(200)
    ring_hours = sorted(rng.choice(24 * 30, size=40, replace=False))
    reqs = _hourly_requests([f"u{i:05d}" for i in range(5)], ring_hours)
    for i in range(5, 200):  # everybody else: their own random hours
        reqs += _hourly_requests([f"u{i:05d}"], rng.choice(24 * 30, size=40, replace=False))
    ds = make_ds(acc, requests=reqs)
    ps = lockstep_pairs(ds, _accounts(ds), RingParams())
    f = to_frame(ps, _accounts(ds))
    ring = {f"u{i:05d}" for i in range(5)}
    pairs = set(map(tuple, f[["a", "b"]].to_numpy()))
    assert len(pairs) == 10 and all(a in ring and b in ring for a, b in pairs)
    assert (f["reasons"] == "LOCKSTEP_HOURS").all()


def test_round_the_clock_accounts_are_a_hub_not_lockstep():
    acc = background(300)
    reqs = _hourly_requests([a["account_id"] for a in acc], range(24 * 7), count=1)
    ds = make_ds(acc, requests=reqs)
    params = RingParams(lockstep_bucket_cap=100)
    assert len(lockstep_pairs(ds, _accounts(ds), params)) == 0


def test_minhash_estimates_jaccard():
    a = np.array([0] * 100 + [1] * 100)
    h = np.r_[np.arange(100), np.arange(50, 150)]  # Jaccard 50/150
    ids, sig = minhash_signatures(a, h, 256, seed=3)
    est = (sig[0] == sig[1]).mean()
    assert ids.tolist() == [0, 1]
    assert abs(est - 1 / 3) < 0.1


def test_timing_links_frame():
    acc = background(50)
    burst = [dict(account_id=f"b{i}", created_at=T0 + pd.Timedelta(days=5, minutes=2 * i),
                  signup_ip=f"45.9.9.{i + 1}") for i in range(5)]
    f = timing_links(ensure_normalised(make_ds(acc + burst)))
    assert list(f.columns) == ["a", "b", "weight", "reasons"]
    assert (f["a"] < f["b"]).all() and (f["weight"] > 0).all()


def _noisy_ring_hours(rng, base, n, drop=0.25, jitter=0.4):
    """`n` accounts working one scheduler's hours, each skipping and shifting many of them."""
    out = []
    for _ in range(n):
        h = base[rng.random(base.size) >= drop]
        moved = rng.random(h.size) < jitter
        h = np.where(moved, h + rng.choice([-2, -1, 1, 2], h.size), h)
        out.append(np.unique(h))
    return out


def test_schedule_neighbours_find_ring_mates_in_one_component_only():
    from linker.detect.timing import schedule_neighbours

    rng = np.random.default_rng(4)
    # two rings of one operator (one component: they share its proxies), each on its own
    # noisy schedule inside the same 12-hour shift, plus 30 strangers in other components
    days = np.arange(30)[:, None] * 24
    shift = np.arange(8, 20)
    sched = [np.sort((days + rng.choice(shift, (30, 3))).ravel()) for _ in range(2)]
    ring = [f"r{k}{i:02d}" for k in range(2) for i in range(12)]
    hours = _noisy_ring_hours(rng, sched[0], 12) + _noisy_ring_hours(rng, sched[1], 12)
    acc = [dict(account_id=a, created_at=T0) for a in ring]
    acc += [dict(account_id=f"s{i:02d}", created_at=T0) for i in range(30)]
    reqs = [r for a, h in zip(ring, hours, strict=True) for r in _hourly_requests([a], h)]
    # strangers copy ring 0's schedule exactly, but sit in other components
    reqs += _hourly_requests([f"s{i:02d}" for i in range(30)], sched[0])
    ds = make_ds(acc, requests=reqs)
    accounts = _accounts(ds)
    comp = np.where(accounts.str.startswith("r"), 0, np.arange(len(accounts)) + 1)
    eligible = np.asarray(accounts.str.startswith("r"))
    params = RingParams()
    # the noisy schedules miss the lockstep thresholds pair by pair ...
    lock = to_frame(lockstep_pairs(ds, accounts, params), accounts)
    inside = lock["a"].str.startswith("r") & lock["b"].str.startswith("r")
    assert inside.sum() < 0.2 * len(ring) * 11 / 2
    ps = schedule_neighbours(ds, accounts, comp, eligible, params)
    a, b = accounts[ps.a], accounts[ps.b]
    assert len(ps) > 0 and all(x.startswith("r") and y.startswith("r") for x, y in zip(a, b, strict=True))
    same = np.array([x[1] == y[1] for x, y in zip(a, b, strict=True)])
    # ... but an account's nearest schedules are mostly its ring-mates' (by chance: half)
    assert same.mean() >= 0.8
    # each account keeps at most k neighbours of its own choosing
    per = np.bincount(np.r_[ps.a, ps.b], minlength=len(accounts))
    assert per.max() <= 2 * params.schedule_k


def test_schedule_similarity_is_measured_over_the_span_both_were_active():
    from linker.detect.timing import schedule_neighbours

    days = np.arange(40)[:, None] * 24
    base = np.sort((days + np.array([9, 13, 17])).ravel())
    # a ring-mate that joined on day 30 works the last 10 days of the same schedule: its
    # whole-period Jaccard with the others is 0.25, over the shared span it is 1
    acc = [dict(account_id=f"r{i}", created_at=T0) for i in range(4)]
    reqs = _hourly_requests(["r0", "r1", "r2"], base) + _hourly_requests(["r3"], base[base >= 30 * 24])
    ds = make_ds(acc, requests=reqs)
    accounts = _accounts(ds)
    params = RingParams(schedule_min_jaccard=0.5, schedule_rows=1)  # every pair a candidate
    ps = schedule_neighbours(ds, accounts, np.zeros(4, int), np.ones(4, bool), params)
    f = pd.DataFrame({"a": accounts[ps.a], "b": accounts[ps.b], "j": ps.w})
    late = f[(f["a"] == "r3") | (f["b"] == "r3")]
    assert len(late) == 3 and (late["j"] == 1.0).all()


def test_schedule_neighbours_do_not_depend_on_unrelated_accounts():
    """Signatures hash absolute hours: an account elsewhere whose activity starts earlier
    (a new tenant, an older export) changes nobody else's neighbours."""
    from linker.detect.timing import schedule_neighbours

    rng = np.random.default_rng(9)
    days = np.arange(20)[:, None] * 24
    base = np.sort((days + rng.choice(np.arange(8, 20), (20, 3))).ravel()) + 24 * 60
    ring = [f"r{i:02d}" for i in range(16)]
    hours = _noisy_ring_hours(rng, base, 16)
    reqs = [r for a, h in zip(ring, hours, strict=True) for r in _hourly_requests([a], h)]
    params = RingParams()

    def pairs(extra: bool) -> set[tuple[str, str, float]]:
        acc = [dict(account_id=a, created_at=T0) for a in ring]
        more = []
        if extra:
            acc.append(dict(account_id="zz-early", created_at=T0))
            more = _hourly_requests(["zz-early"], np.arange(0, 24 * 10, 5))
        ds = make_ds(acc, requests=reqs + more)
        accounts = _accounts(ds)
        comp = np.where(accounts.str.startswith("r"), 0, 1)
        ps = schedule_neighbours(ds, accounts, comp, np.ones(len(accounts), bool), params)
        return {(accounts[a], accounts[b], round(float(w), 6)) for a, b, w in zip(ps.a, ps.b, ps.w, strict=True)}

    alone = pairs(False)
    assert alone and alone == pairs(True)


def test_one_shared_event_is_no_lockstep_or_schedule():
    """A hackathon: 8 people work the same 16 hours over two days at one venue, and each
    keeps their own hours otherwise. Their shared hours fall on two days, so they are
    neither a lockstep pair nor schedule neighbours; a scheduler's 16 shared hours spread
    over eight days are both."""
    from linker.detect.timing import schedule_neighbours

    rng = np.random.default_rng(3)
    event = np.r_[np.arange(10, 18), np.arange(34, 42)] + 24 * 5   # days 5 and 6, 8 hours each
    spread = (np.arange(8)[:, None] * 24 + np.array([9, 14])).ravel() + 24 * 5  # 2 h on 8 days
    acc = [dict(account_id=f"{k}{i}", created_at=T0) for k in "hs" for i in range(8)]
    reqs = []
    for a in [f"{k}{i}" for k in "hs" for i in range(8)]:
        own = 24 * 20 + rng.choice(24 * 10, 4, replace=False)  # a few hours of their own later
        reqs += _hourly_requests([a], np.r_[event if a[0] == "h" else spread, own])
    ds = make_ds(acc, requests=reqs)
    accounts = _accounts(ds)
    params = RingParams(schedule_rows=1, lockstep_rows=1)  # every pair a candidate
    lock = to_frame(lockstep_pairs(ds, accounts, params), accounts)
    assert len(lock) == 28 and (lock["a"].str[0] == "s").all() and (lock["b"].str[0] == "s").all()
    ps = schedule_neighbours(ds, accounts, np.zeros(16, int), np.ones(16, bool), params)
    assert len(ps) > 0 and all(accounts[x].startswith("s") for x in np.r_[ps.a, ps.b])
    one_day = to_frame(lockstep_pairs(ds, accounts, RingParams(lockstep_rows=1, lockstep_min_days=1)),
                       accounts)
    assert (one_day["a"].str[0] == "h").any()


def test_row_intersections_count_shared_hours_and_days_exactly():
    """The day-bitset intersection agrees with plain set arithmetic, across day boundaries,
    in small chunks as in one, and for accounts with no hours at all."""
    from linker.detect.timing import _row_intersections

    rng = np.random.default_rng(3)
    n, base = 300, 480_000  # hours since the epoch, mid-day of 2024-10
    hours = {a: set((base + rng.choice(24 * 9, size=rng.integers(0, 60), replace=False)).tolist())
             for a in range(n)}
    rows = sorted((a, h) for a, hs in hours.items() for h in hs)
    acct = np.array([a for a, _ in rows], dtype=np.int64)
    hrs = np.array([h for _, h in rows], dtype=np.int64)
    ra = rng.integers(0, n, size=2_000)
    rb = rng.integers(0, n, size=2_000)
    want = [len(hours[a] & hours[b]) for a, b in zip(ra, rb, strict=True)]
    want_days = [len({h // 24 for h in hours[a] & hours[b]}) for a, b in zip(ra, rb, strict=True)]
    # each side's hours within the span both were active (empty when the spans miss)
    def within(x: int, y: int) -> int:
        if not hours[x] or not hours[y]:
            return 0
        lo, hi = max(min(hours[x]), min(hours[y])), min(max(hours[x]), max(hours[y]))
        return sum(lo <= h <= hi for h in hours[x])

    want_a = [within(a, b) for a, b in zip(ra, rb, strict=True)]
    want_b = [within(b, a) for a, b in zip(ra, rb, strict=True)]
    with ThreadPoolExecutor(2) as pool:  # chunks on two threads write their own slices
        for budget, on in itertools.product((1 << 27, 700, 3_000), (None, pool)):
            # one pass; many passes and bitset blocks
            inter, days = _row_intersections(acct, hrs, ra, rb, budget=budget, pool=on)
            assert inter.tolist() == want
            assert days.tolist() == want_days
            inter, days, na, nb = _row_intersections(acct, hrs, ra, rb, budget=budget,
                                                     span=True, pool=on)
            assert (inter.tolist(), days.tolist()) == (want, want_days)
            assert na.tolist() == want_a and nb.tolist() == want_b
    assert max(want) > 5 and max(want_days) > 2  # the check had something to compare


def test_minhash_signatures_on_two_threads_are_the_same():
    rng = np.random.default_rng(8)
    acct = rng.integers(0, 500, size=20_000)
    hours = rng.integers(0, 2_000, size=20_000)
    key = np.unique(acct * 10_000 + hours)
    acct, hours = key // 10_000, key % 10_000
    ids, sig = minhash_signatures(acct, hours, 33, seed=4)
    with ThreadPoolExecutor(2) as pool:
        ids2, sig2 = minhash_signatures(acct, hours, 33, seed=4, pool=pool)
    assert np.array_equal(ids, ids2) and np.array_equal(sig, sig2)


def test_best_first_orders_like_the_three_key_lexsort():
    """Ratios of hour counts, with many ties, come out in lexsort((dst, -sim, src)) order."""
    from linker.detect.timing import _best_first

    rng = np.random.default_rng(5)
    src = rng.integers(0, 50, size=5_000)
    dst = rng.integers(0, 50, size=5_000)
    inter = rng.integers(0, 30, size=5_000)
    union = inter + rng.integers(1, 900, size=5_000)
    sim = inter / union
    assert np.array_equal(_best_first(src, sim, dst), np.lexsort((dst, -sim, src)))


def test_schedule_neighbours_across_kinds_of_infrastructure_are_dropped():
    """Accounts 0–2 hop across proxy networks, 3–5 stay on their own ISP: a shared schedule
    counts inside each group, never between them."""
    from linker.detect.links import PairSet
    from linker.detect.timing import same_infrastructure

    a, b = np.array([0, 0, 3, 1], np.int32), np.array([1, 4, 5, 3], np.int32)
    pairs = PairSet(a, b, np.full(4, 0.5), np.zeros(4, np.uint32))
    rotating = np.array([True, True, True, False, False, False])
    kept = same_infrastructure(pairs, rotating)
    assert list(zip(kept.a.tolist(), kept.b.tolist(), strict=True)) == [(0, 1), (3, 5)]


def test_the_daily_clock_gives_each_account_one_vote():
    """Hour-of-day profiles are each account's shares of its own work: a heavy account with
    a thousand exchanges at 03:00 weighs in the platform's clock as much as a light one at
    15:00, and the chosen accounts' rows sum to one each. Accounts without requests are
    in no row; no hourly rows, or nobody chosen, gives no clock."""
    acc = background(3)
    ids = [a["account_id"] for a in acc]
    reqs = [dict(account_id=ids[0], ts=T0 + pd.Timedelta(hours=3), count=1000),
            dict(account_id=ids[1], ts=T0 + pd.Timedelta(hours=15), count=1),
            dict(account_id=ids[1], ts=T0 + pd.Timedelta(hours=16), count=3)]
    ds = make_ds(acc, requests=reqs)
    accounts = pd.Index(sorted(ids))
    clock = daily_clock(ds, accounts, np.array([True, True, True]))
    assert clock is not None
    hour0 = T0.hour
    assert clock.population[(hour0 + 3) % 24] == 1.0
    assert clock.population[(hour0 + 15) % 24] == 0.25
    assert clock.population[(hour0 + 16) % 24] == 0.75
    np.testing.assert_allclose(clock.profile.sum(axis=1), [1.0, 1.0, 0.0])
    assert daily_clock(ds, accounts, np.zeros(3, bool)) is None
    assert daily_clock(make_ds(acc), accounts, np.ones(3, bool)) is None


def _shift_and_cron() -> Dataset:
    """Ten accounts of one operator work the same 9-hour shift for 20 days (with a stray hour
    now and then); thirty strangers (u00010-u00039) run an hourly cron job, every hour of
    the day; everybody else keeps random hours of their own."""
    rng = np.random.default_rng(3)
    acc = background(240)
    shift = [d * 24 + h for d in range(20) for h in range(8, 17)]
    reqs = []
    for i in range(10):
        stray = rng.choice(24 * 20, size=3, replace=False)
        reqs += _hourly_requests([f"u{i:05d}"], sorted(set(shift) | set(stray)))
    reqs += _hourly_requests([f"u{i:05d}" for i in range(10, 40)], range(24 * 20), count=1)
    for i in range(40, 240):  # everybody else: their own random hours
        reqs += _hourly_requests([f"u{i:05d}"], rng.choice(24 * 20, size=30, replace=False))
    return make_ds(acc, requests=reqs)


def test_out_of_clustering_an_hourly_cron_job_is_nobodys_lockstep_a_shift_is():
    """The cron jobs' hours hold everyone's: with `schedule_min_busy_share` and
    `round_the_clock_clusters` off they are in nobody's lockstep, not each other's and not
    the shift's (an operator's shift keeps most of its hours in half the day). With the
    option off the cron jobs are in lockstep with each other."""
    ds = _shift_and_cron()
    on = RingParams(schedule_min_busy_share=0.6, round_the_clock_clusters=False)
    f = to_frame(lockstep_pairs(ds, _accounts(ds), on), _accounts(ds))
    ops = {f"u{i:05d}" for i in range(10)}
    assert len(f) >= 40 and set(f["a"]) | set(f["b"]) == ops  # LSH finds (nearly) all 45
    off = to_frame(lockstep_pairs(ds, _accounts(ds), RingParams(schedule_min_busy_share=0)),
                   _accounts(ds))
    cron = {f"u{i:05d}" for i in range(10, 40)}
    assert ((off["a"].isin(cron)) & (off["b"].isin(cron))).any()


def test_a_cron_jobs_lockstep_clusters_but_is_no_evidence():
    """With `schedule_min_busy_share` (the default), clustering still sees the cron jobs' lockstep
    (they hold their own kind together), `round_the_clock` marks exactly them, and as
    evidence (`without_clock`) no lockstep link and no schedule neighbour touches them,
    while the shift's links stay whole."""
    ds = _shift_and_cron()
    accounts = _accounts(ds)
    params = RingParams()
    ps = lockstep_pairs(ds, accounts, params)
    cron = {f"u{i:05d}" for i in range(10, 40)}
    ops = {f"u{i:05d}" for i in range(10)}
    f = to_frame(ps, accounts)
    assert (f["a"].isin(cron) & f["b"].isin(cron)).any()
    sleepless = round_the_clock(active_hours(ds, accounts), params)
    assert set(accounts[sleepless]) == cron
    assert round_the_clock(active_hours(ds, accounts), RingParams(schedule_min_busy_share=0)) is None
    schedule = PairSet(ps.a, ps.b, np.full(len(ps), 0.5), ps.bits)  # stand-in neighbours
    evidence, sched = without_clock(ps, schedule, sleepless)
    ev = to_frame(evidence, accounts)
    assert set(ev["a"]) | set(ev["b"]) == ops
    assert len(ev) == (f["a"].isin(ops) & f["b"].isin(ops)).sum()
    touched = sleepless[sched.a] | sleepless[sched.b]
    assert len(sched) == len(ev) and not touched.any()


def test_one_instant_many_networks_share_is_a_placeholder_not_a_burst():
    """An export that clamps sign-up times to its end puts strangers from 12 networks on one
    second: their sign-up times are unknown; 12 sign-ups one second apart, or 5 networks on
    one second, are left as they are."""
    end = pd.Timestamp("2026-06-05 23:59:59", tz="UTC")
    t = pd.Series([end] * 12 + [end + pd.Timedelta(seconds=i) for i in range(1, 13)]
                  + [T0] * 5)
    net = pd.Series([f"10.{i}.0.0/24" for i in range(12)] + [f"11.{i}.0.0/24" for i in range(12)]
                    + [f"12.{i}.0.0/24" for i in range(5)], dtype="string")
    ns = pd.DatetimeIndex(t).asi8
    out = placeholder_instants(ns, net, 10)
    assert out[:12].all() and not out[12:].any()
    assert not placeholder_instants(ns, net, 0).any()
    acc = [dict(account_id=f"u{i:05d}", created_at=end, email=f"u{i}@gmail.com",
                signup_ip=f"10.{i}.0.9") for i in range(12)]
    ds = ensure_normalised(make_ds(acc))
    ids = pd.Index(sorted(a["account_id"] for a in acc))
    assert np.isnan(signup_minutes(ds, ids, 10)).all()
    assert not np.isnan(signup_minutes(ds, ids)).any()
