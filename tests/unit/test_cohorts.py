"""Low-and-slow cohorts: one template paid with many cards of one BIN, far beyond chance."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from linker.detect.cohorts import cohort_of
from linker.detect.families import group_pairs, ring_family
from linker.detect.reasons import BIT
from linker.settings import RingParams


def _world(seed: int = 1, n_op: int = 40, company: int = 30, n_legit: int = 3000):
    """Accounts 0..n_op-1: an operator's low-and-slow ring, each with its own card on BIN
    999001, all sending template 50. Then `company` colleagues paying with one company card
    (BIN 411111) and sending their company template 60. Everyone else picks one or two of 8
    public templates and a card on one of 6 BINs (a fintech BIN 535353 among them, used by
    hundreds): public template x popular BIN pairs are common, but only as chance predicts."""
    rng = np.random.default_rng(seed)
    acct, tpl, pay = [], [], []
    for a in range(n_op):
        acct.append(a)
        tpl.append(50)
        pay.append((a, "999001", f"op-card-{a}"))
    for a in range(n_op, n_op + company):
        acct.append(a)
        tpl.append(60)
        pay.append((a, "411111", "company-card"))
    bins = ["411111", "422222", "433333", "444444", "455555", "535353"]
    p_bin = [0.3, 0.25, 0.2, 0.1, 0.05, 0.1]
    p_tpl = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    for a in range(n_op + company, n_op + company + n_legit):
        for t in rng.choice(8, size=1 + int(rng.random() < 0.5), replace=False, p=p_tpl):
            acct.append(a)
            tpl.append(int(t))
        pay.append((a, str(rng.choice(bins, p=p_bin)), f"card-{a}"))
    n = n_op + company + n_legit
    payments = pd.DataFrame(pay, columns=["account_id", "card_bin", "card_fingerprint"])
    payments["account_id"] = payments["account_id"].map(lambda x: f"a{x:05d}").astype("string")
    accounts = pd.Index([f"a{x:05d}" for x in range(n)])
    return np.array(acct), np.array(tpl), SimpleNamespace(payments=payments), accounts


def test_a_low_and_slow_ring_is_a_cohort_and_nobody_else_is() -> None:
    acct, tpl, ds, accounts = _world()
    cohort = cohort_of(acct, tpl, ds, accounts, RingParams())
    assert (cohort[:40] >= 0).all() and np.unique(cohort[:40]).size == 1
    # colleagues on one company card are one card, not a cohort; public template x popular
    # (or fintech) BIN pairs are as common as chance predicts
    assert (cohort[40:] == -1).all()
    assert (cohort_of(acct, tpl, ds, accounts, RingParams(cohort_min_users=0)) == -1).all()


def test_a_cohort_needs_enough_accounts() -> None:
    acct, tpl, ds, accounts = _world(n_op=12)
    assert (cohort_of(acct, tpl, ds, accounts, RingParams(cohort_min_users=20)) == -1).all()
    assert (cohort_of(acct, tpl, ds, accounts, RingParams(cohort_min_users=10))[:12] >= 0).all()


def test_cohort_links_are_bounded_and_a_pattern() -> None:
    acct, tpl, ds, accounts = _world()
    p = RingParams()
    cohort = cohort_of(acct, tpl, ds, accounts, p)
    ps = group_pairs(cohort, np.arange(len(accounts), dtype=float), p)
    assert len(ps) > 0 and (ps.bits == BIT["SHARED_PROMPT_TEMPLATE"]).all()
    assert set(np.r_[ps.a, ps.b]) <= set(range(40))
    assert np.bincount(np.r_[ps.a, ps.b]).max() <= 2 * p.family_k


def test_two_cohorts_of_one_operator_in_one_ring_both_count() -> None:
    """An operator's ring may hold two of its cohorts (two BINs): most of the ring is in a
    cohort, so each member of either (with enough ring-mates in it) shares the ring's."""
    ring = np.r_[np.full(10, 1), 0]
    group = np.r_[np.full(6, 0), np.full(4, 1), 0]
    out = ring_family(group, ring, RingParams(family_ring_share=0.5))
    assert out[:10].all() and not out[10]
    # a ring mostly outside any group gives its few members nothing
    group2 = np.r_[np.full(3, 0), np.full(7, -1), 0]
    assert not ring_family(group2, ring, RingParams(family_ring_share=0.5)).any()


def test_cohort_and_synchronised_hours_flag_for_review_without_targeting() -> None:
    """Issue 10's low-and-slow rule: a rare BIN, a shared template and synchronised hours
    reach review, whatever the ring's capabilities; the cohort alone, or inside one
    organisation, does not."""
    from linker.detect.scoring import schedule_flags

    ring = np.array([1, 1, 1, 1])
    sched = BIT["RING_SCHEDULE"]
    mmask = np.array([sched, 0, sched | BIT["SAME_ORGANISATION"], sched], np.uint32)
    in_cohort = np.array([True, True, True, False])
    got = schedule_flags(mmask, np.zeros(4, bool), ring, RingParams(), np.array([False, False]),
                         None, in_cohort)
    assert got.tolist() == [True, False, False, False]
