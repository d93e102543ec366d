"""Operator template families: templates one operation's accounts use together."""

from __future__ import annotations

import numpy as np

from linker.detect.families import family_of, group_pairs, template_families
from linker.detect.reasons import BIT
from linker.settings import RingParams


def _world(rng: np.random.Generator, n_op: int = 40, n_public: int = 2000):
    """Accounts 0..n_op-1 run by one operator: each sends its three system prompts (10, 11,
    12). Everyone else picks one or two of 8 public templates (0..7) on their own, the
    popular ones used by hundreds."""
    acct, tpl = [], []
    for a in range(n_op):
        acct += [a] * 3
        tpl += [10, 11, 12]
    pop = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    for a in range(n_op, n_op + n_public):
        k = 1 + int(rng.random() < 0.5)
        for t in rng.choice(8, size=k, replace=False, p=pop):
            acct.append(a)
            tpl.append(int(t))
    return np.array(acct), np.array(tpl)


def test_an_operators_templates_form_a_family_and_public_ones_do_not() -> None:
    acct, tpl = _world(np.random.default_rng(1))
    members, fam = template_families(acct, tpl, RingParams())
    assert sorted(members.tolist()) == list(range(40))
    assert np.unique(fam).size == 1
    # one template alone, however popular, is no family
    one = tpl != 11
    drop = one & (tpl != 12)
    members, _ = template_families(acct[drop], tpl[drop], RingParams())
    assert members.size == 0


def test_too_few_shared_users_is_no_family() -> None:
    acct, tpl = _world(np.random.default_rng(2), n_op=12)
    members, _ = template_families(acct, tpl, RingParams(family_min_users=20))
    assert members.size == 0
    members, _ = template_families(acct, tpl, RingParams(family_min_users=10))
    assert sorted(members.tolist()) == list(range(12))


def test_family_links_are_bounded_and_a_pattern() -> None:
    acct, tpl = _world(np.random.default_rng(3))
    created = np.arange(2040, dtype=float)
    params = RingParams()
    ps = group_pairs(family_of(acct, tpl, created.size, params), created, params)
    assert len(ps) > 0 and (ps.bits == BIT["SHARED_PROMPT_TEMPLATE"]).all()
    assert set(np.r_[ps.a, ps.b]) <= set(range(40))
    per = np.bincount(np.r_[ps.a, ps.b])
    assert per.max() <= 2 * params.family_k
    assert (ps.w == params.family_weight).all()
    off = RingParams(family_min_users=0)
    assert len(group_pairs(family_of(acct, tpl, created.size, off), created, off)) == 0


def test_ring_family_needs_most_of_the_ring_in_the_family() -> None:
    from linker.detect.families import ring_family

    # ring 1: 6 of 10 in family 0; ring 2: 3 of 10 in family 0; account 20: no ring
    ring = np.r_[np.full(10, 1), np.full(10, 2), 0]
    family = np.full(21, -1)
    family[:6] = 0
    family[10:13] = 0
    family[20] = 0
    out = ring_family(family, ring, RingParams(family_ring_share=0.5))
    assert out[:6].all() and not out[6:].any()
    assert not ring_family(family, ring, RingParams(family_ring_share=0.0)).any()


def test_family_schedule_counts_close_schedules_in_the_same_family() -> None:
    from linker.detect.links import PairSet
    from linker.detect.scoring import family_schedule

    # account 0's close schedules: 1, 2, 3 (its family) and 4 (another); 5's: only strangers
    a = np.array([0, 0, 0, 0, 5, 5, 5], np.int32)
    b = np.array([1, 2, 3, 4, 6, 7, 8], np.int32)
    w = np.full(a.size, 0.3)
    ps = PairSet(a, b, w, np.zeros(a.size, np.uint32))
    family = np.array([0, 0, 0, 0, 1, 2, -1, -1, -1])
    p = RingParams()
    got = family_schedule(ps, family, p)
    assert got[0] and not got[5] and not got[4]
    # too far apart (Jaccard below ring_schedule_min_jaccard) is no shared schedule
    far = PairSet(a, b, np.full(a.size, 0.05), ps.bits)
    assert not family_schedule(far, family, p).any()


def test_family_schedule_and_targeting_flag_for_review_only_together() -> None:
    """An account on its ring's schedule, in its ring's template family, in a ring whose traffic
    targets capabilities is flagged; without targeting, without the family, or inside one
    organisation, it is not."""
    from linker.detect.scoring import schedule_flags

    ring = np.array([1, 1, 1, 1])
    sched = BIT["RING_SCHEDULE"]
    mmask = np.array([sched, sched, sched | BIT["SAME_ORGANISATION"], 0], np.uint32)
    flag = np.zeros(4, bool)
    fam = np.array([True, False, True, True])
    targeting = np.array([False, True])
    p = RingParams()
    got = schedule_flags(mmask, flag, ring, p, targeting, fam)
    assert got.tolist() == [True, False, False, False]
    assert not schedule_flags(mmask, flag, ring, p, np.array([False, False]), fam).any()
