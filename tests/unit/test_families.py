"""Operator template families: templates one operation's accounts use together."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from linker.detect.communities import merge_by_group
from linker.detect.families import (
    family_of,
    group_pairs,
    ring_template_set_of,
    set_pairs,
    template_families,
)
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
    members, fam, _ = template_families(acct, tpl, RingParams())
    assert sorted(members.tolist()) == list(range(40))
    assert np.unique(fam).size == 1
    # one template alone, however popular, is no family
    one = tpl != 11
    drop = one & (tpl != 12)
    members, *_ = template_families(acct[drop], tpl[drop], RingParams())
    assert members.size == 0


def test_too_few_shared_users_is_no_family() -> None:
    acct, tpl = _world(np.random.default_rng(2), n_op=12)
    members, *_ = template_families(acct, tpl, RingParams(family_min_users=20))
    assert members.size == 0
    members, *_ = template_families(acct, tpl, RingParams(family_min_users=10))
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


def _two_rings(rng: np.random.Generator, n_ring: int = 30, n_public: int = 1500):
    """One operator's two rings, accounts 0..29 and 30..59: each ring sends its own three
    prompt variants (20-22, 30-32) and every account the operation's base template (9).
    Everyone else picks public templates on their own."""
    acct, tpl = [], []
    for a in range(2 * n_ring):
        own = [20, 21, 22] if a < n_ring else [30, 31, 32]
        acct += [a] * 4
        tpl += [9, *own]
    pop = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    for a in range(2 * n_ring, 2 * n_ring + n_public):
        for t in rng.choice(8, size=1 + int(rng.random() < 0.5), replace=False, p=pop):
            acct.append(a)
            tpl.append(int(t))
    return np.array(acct), np.array(tpl)


def test_a_family_splits_into_each_rings_own_template_set() -> None:
    """The base template ties both rings into one family; their own variants, used by alike
    sets of accounts, are two ring template sets. Public users are in neither."""
    acct, tpl = _two_rings(np.random.default_rng(4))
    n = int(acct.max()) + 1
    params = RingParams(family_min_users=10)
    fam = family_of(acct, tpl, n, params)
    assert np.unique(fam[:60]).size == 1 and (fam[60:] == -1).all()
    sets = ring_template_set_of(acct, tpl, n, params)
    assert np.unique(sets[:30]).size == 1 and np.unique(sets[30:60]).size == 1
    assert sets[0] != sets[30] and (sets[:60] >= 0).all() and (sets[60:] == -1).all()
    whole = ring_template_set_of(acct, tpl, n, RingParams(family_min_users=10, family_split_jaccard=0))
    assert np.unique(whole[:60]).size == 1


def test_set_links_stay_inside_a_set_bounded_and_the_same_every_run() -> None:
    sets = np.r_[np.zeros(50, int), np.ones(50, int), -np.ones(20, int)]
    params = RingParams()
    ps = set_pairs(sets, params)
    assert len(ps) and (sets[ps.a] == sets[ps.b]).all() and (sets[ps.a] >= 0).all()
    assert len(ps) <= 100 * params.template_set_k * params.template_set_orders
    # scrambled orders: each account reaches more than a band of its neighbours would
    assert np.bincount(np.r_[ps.a, ps.b]).min() > 2 * params.template_set_k
    again = set_pairs(sets, params)
    assert (again.a == ps.a).all() and (again.b == ps.b).all()
    assert len(set_pairs(sets, RingParams(template_set_k=0))) == 0


def test_pieces_of_one_template_set_merge_only_when_linked() -> None:
    """Three communities, all of one template set: pieces 0 and 1 are densely linked to each
    other (one ring cut in two by the resolution), piece 2 barely (another ring of the same
    operation with its own infrastructure). Without the link test all three merge."""
    labels = np.repeat([0, 1, 2], 10)
    sets = np.zeros(30, int)
    rows, cols, w = [], [], []
    for piece in range(3):
        a, b = np.triu_indices(10, k=1)
        rows += (a + 10 * piece).tolist()
        cols += (b + 10 * piece).tolist()
        w += [1.0] * a.size
    for i in range(10):       # pieces 0 and 1: 30 cross links
        for j in (10 + i, 10 + (i + 1) % 10, 10 + (i + 2) % 10):
            rows.append(i)
            cols.append(j)
            w.append(1.0)
    rows.append(0)
    cols.append(20)
    w.append(1.0)              # piece 2: one link
    adj = sp.csr_matrix((w, (rows, cols)), shape=(30, 30))
    adj = (adj + adj.T).tocsr()
    out = merge_by_group(labels, sets, 0.6, adj, 0.3)
    assert out[0] == out[10] and out[20] != out[0]
    assert np.unique(merge_by_group(labels, sets, 0.6)).size == 1
    mixed = np.r_[np.zeros(10, int), -np.ones(20, int)]  # pieces 1, 2 not of the set
    assert (merge_by_group(labels, mixed, 0.6, adj, 0.3) == labels).all()


def test_only_a_rings_own_set_not_its_operations_whole_kit_may_rise_with_the_resolution() -> None:
    """Family 0 is split into three rings' sets of 100 (each a third of it): their own sets.
    Family 1 is one set (an operation whose rings all send the same templates): its kit,
    shared by every ring. Family 2: one set of 95 % of it beside a small one: the big one
    is the kit, the small one a ring's own. Accounts without a set or family: neither."""
    from linker.detect.families import own_set_members

    family = np.r_[np.zeros(300, int), np.ones(200, int), np.full(100, 2), -np.ones(5, int)]
    sets = np.r_[np.repeat([0, 1, 2], 100), np.full(200, 3), np.full(95, 4), np.full(5, 5),
                 -np.ones(5, int)]
    own = own_set_members(family, sets, 0.5)
    assert own[:300].all()
    assert not own[300:500].any()
    assert not own[500:595].any() and own[595:600].all()
    assert not own[600:].any()
    assert own_set_members(family, sets, 1.0)[:600].all()
