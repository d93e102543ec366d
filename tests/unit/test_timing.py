"""Timing evidence: sign-up bursts and lockstep hours, found without all-pairs work."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ringdata import T0, background, make_ds

from linker.detect.evidence import ensure_normalised
from linker.detect.links import to_frame
from linker.detect.timing import (
    lockstep_pairs,
    minhash_signatures,
    signup_burst_pairs,
    timing_links,
)
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
