"""Community detection: per-component Louvain/Leiden, deterministic, with ARI."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from linker.detect.communities import ari, detect
from linker.detect.links import PairSet, combine
from linker.settings import RingParams


def _clique(nodes, w=1.0):
    nodes = np.asarray(nodes)
    a, b = np.triu_indices(nodes.size, k=1)
    return PairSet(nodes[a].astype(np.int32), nodes[b].astype(np.int32),
                   np.full(a.size, w), np.ones(a.size, np.uint32))


def _planted(n_rings=30, size=8, bridges=60, seed=0):
    rng = np.random.default_rng(seed)
    sets = [_clique(np.arange(r * size, (r + 1) * size)) for r in range(n_rings)]
    n = n_rings * size
    a = rng.integers(0, n, bridges)
    b = rng.integers(0, n, bridges)
    keep = a // size != b // size
    sets.append(PairSet(np.minimum(a, b)[keep].astype(np.int32),
                        np.maximum(a, b)[keep].astype(np.int32),
                        np.full(keep.sum(), 0.3), np.ones(keep.sum(), np.uint32)))
    return combine(sets), n, np.repeat(np.arange(n_rings), size)


@pytest.mark.parametrize("backend", ["louvain", "leiden"])
def test_planted_rings_recovered(backend):
    ps, n, truth = _planted()
    labels = detect(ps, n, RingParams(community_backend=backend))
    assert (labels >= 0).all()
    assert ari(truth, labels) > 0.95


def test_two_cliques_and_a_weak_bridge_are_two_communities():
    ps = combine([_clique(range(5)), _clique(range(5, 10)),
                  PairSet(np.array([4], np.int32), np.array([5], np.int32), np.array([0.3]),
                          np.ones(1, np.uint32))])
    labels = detect(ps, 12, RingParams())
    assert len(set(labels[:5])) == 1 and len(set(labels[5:10])) == 1
    assert labels[0] != labels[5]
    assert (labels[10:] == -1).all()  # unlinked accounts are in no community


def test_small_components_are_dropped():
    ps = combine([_clique([0, 1]), _clique([2, 3, 4])])
    labels = detect(ps, 5, RingParams(min_ring_size=3))
    assert labels[0] == labels[1] == -1 and labels[2] == labels[3] == labels[4] >= 0


def test_detect_is_deterministic():
    ps, n, _ = _planted(seed=3)
    first = detect(ps, n, RingParams())
    for _ in range(2):
        assert np.array_equal(detect(ps, n, RingParams()), first)


def test_ari_known_values():
    t = np.array([0, 0, 0, 1, 1, 1])
    assert ari(t, t) == pytest.approx(1.0)
    assert ari(t, np.array([5, 5, 5, 9, 9, 9])) == pytest.approx(1.0)
    # values from the scikit-learn adjusted_rand_score documentation
    assert ari(np.array([0, 0, 1, 1]), np.array([0, 0, 1, 2])) == pytest.approx(0.5714285714)
    assert ari(np.array([0, 0, 0, 1, 1, 1]), np.array([0, 0, 1, 1, 2, 2])) == pytest.approx(
        0.2424242424)


def test_small_pieces_are_folded_back_not_dropped():
    # a 6-account ring tied by pairs of cards and triples of devices: modularity may cut it
    # into three pairs, each below the minimum ring size
    from linker.detect.communities import adjacency, merge_small

    a = np.array([0, 1, 2, 0, 0, 2, 1, 1, 3])
    b = np.array([3, 4, 5, 2, 4, 4, 3, 5, 5])
    ps = PairSet(a.astype(np.int32), b.astype(np.int32), np.ones(9), np.ones(9, np.uint32))
    sub = adjacency(ps, 6)
    merged = merge_small(sub, np.array([0, 1, 2, 0, 1, 2]), 3)
    assert np.bincount(merged).min() >= 3
    labels = detect(ps, 6, RingParams())
    assert (labels >= 0).all()
    # mutual small pieces merge instead of swapping labels
    two = merge_small(adjacency(_clique([0, 1, 2, 3]), 4), np.array([0, 0, 1, 1]), 3)
    assert len(set(two.tolist())) == 1


def _operator_rings(seed: int, size: int, p_lock: float, p_net: float, w_net: float,
                    n_rings: int = 8):
    """Rings of one operator: each works its own hours (lockstep links to a share `p_lock` of
    its ring-mates, weight 0.7), all rotate through one proxy pool (address links between any
    two accounts with probability `p_net`, weight `w_net`). Returns links, size and truth."""
    from linker.detect.reasons import BIT

    rng = np.random.default_rng(seed)
    sets = []
    for r in range(n_rings):
        a, b = np.triu_indices(size, k=1)
        keep = rng.random(a.size) < p_lock
        sets.append(PairSet((a[keep] + r * size).astype(np.int32), (b[keep] + r * size).astype(np.int32),
                            np.full(int(keep.sum()), 0.7),
                            np.full(int(keep.sum()), BIT["LOCKSTEP_HOURS"], np.uint32)))
    n = n_rings * size
    a, b = np.triu_indices(n, k=1)
    keep = rng.random(a.size) < p_net
    sets.append(PairSet(a[keep].astype(np.int32), b[keep].astype(np.int32), np.full(int(keep.sum()), w_net),
                        np.full(int(keep.sum()), BIT["SHARED_IP"] | BIT["PROXY_IP_POOL"], np.uint32)))
    return combine(sets), n, np.repeat(np.arange(n_rings), size)


def test_a_shared_proxy_pool_does_not_decide_where_rings_end():
    """The address links keep an operator's rings in one component, the schedules tell the
    rings apart."""
    ps, n, truth = _operator_rings(5, size=25, p_lock=0.1, p_net=0.3, w_net=0.5)
    # the address factor on its own, at a lockstep boost (3x) that leaves it the deciding weight
    base = RingParams(community_backend="louvain", lockstep_cluster_boost=3.0)
    apart = ari(truth, detect(ps, n, base))
    as_equals = ari(truth, detect(ps, n, replace(base, network_cluster_factor=1.0)))
    assert apart > 0.75 and apart > as_equals + 0.1


def test_schedules_outweigh_a_dense_proxy_pool():
    """Rings whose schedules tie them only sparsely (a lockstep link to 5 % of ring-mates) inside
    a dense proxy pool: with the default clustering boost of lockstep links (10×) the rings
    come out clearly better than at the old 3×, on each of three random worlds."""
    assert RingParams().lockstep_cluster_boost == 10.0
    # at the address factor this boost was chosen with (0.3; the default 0.1 leaves the
    # proxy pool too light here for the boost to matter)
    base = RingParams(community_backend="louvain", network_cluster_factor=0.3)
    for seed in range(3):
        ps, n, truth = _operator_rings(seed, size=40, p_lock=0.05, p_net=0.2, w_net=1.0)
        default = ari(truth, detect(ps, n, base))
        old = ari(truth, detect(ps, n, replace(base, lockstep_cluster_boost=3.0)))
        assert default > old + 0.05


def _schedule_neighbours(seed: int, n: int, size: int, k: int = 10, mates: int = 4) -> PairSet:
    """What `timing.schedule_neighbours` finds in a stealth campaign: each account's `k` most
    similar hour sets, `mates` of them its ring-mates' (Jaccard ~0.30), the rest other rings'
    (Jaccard ~0.27: one campaign works one shift, so rings are close to indistinguishable)."""
    rng = np.random.default_rng(100 + seed)
    a = np.repeat(np.arange(n), k)
    ring = a // size
    mate = ring * size + rng.integers(0, size, a.size)
    other = (ring + rng.integers(1, n // size, a.size)) % (n // size) * size + rng.integers(0, size, a.size)
    is_mate = np.tile(np.arange(k) < mates, n)
    b = np.where(is_mate, mate, other)
    w = np.where(is_mate, rng.normal(0.30, 0.03, a.size), rng.normal(0.27, 0.03, a.size))
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, once = np.unique((lo << 32) | hi, return_index=True)
    return PairSet(lo[once].astype(np.int32), hi[once].astype(np.int32), w[once],
                   np.zeros(once.size, np.uint32))


def test_schedule_neighbours_outweigh_a_campaign_proxy_pool():
    """A stealth campaign's rings at scale: a dense shared proxy pool, few lockstep links, and
    schedule neighbours only slightly closer inside a ring than across (4 of an account's 10
    are ring-mates). With the defaults (neighbours ×30 × Jaccard, address-only links ×0.1)
    the rings come out clearly better than with the earlier ×10 and ×0.3 (on stealthy_fraud/1
    at 1M: ring ARI 0.787 → 0.926). Where schedules say less (3 of 10 ring-mates) neither
    recovers the rings (ARI ~0.2) and the old weights do slightly better."""
    assert RingParams().schedule_cluster_weight == 30.0
    assert RingParams().network_cluster_factor == 0.1
    default, old = [], []
    for seed in range(3):
        ps, n, truth = _operator_rings(seed, size=60, p_lock=0.01, p_net=0.2, w_net=1.0,
                                       n_rings=10)
        extra = _schedule_neighbours(seed, n, 60)
        base = RingParams(community_backend="louvain")
        default.append(ari(truth, detect(ps, n, base, extra=extra)))
        old.append(ari(truth, detect(ps, n, replace(base, schedule_cluster_weight=10.0,
                                                     network_cluster_factor=0.3), extra=extra)))
    assert min(default) > 0.9 and np.mean(default) > np.mean(old) + 0.05, (default, old)


def _components(ps, n, params):
    """The components detect() hands a partitioner (captured through a recording one)."""
    seen = []

    def record(comps):
        seen.extend(comps)
        from linker.detect.communities import partition

        return [partition(c.adj, params) for c in comps]

    return detect(ps, n, params, record), seen


def test_partitioner_gets_every_component_to_split_and_the_rest_is_unchanged():
    from linker.detect.communities import component_resolution

    # several components of different sizes, plus one too small to split (5 < 2 x 3)
    ps_a, n_a, _ = _planted(n_rings=30, size=8, seed=1)
    ps_b, n_b, _ = _planted(n_rings=4, size=6, seed=2)
    small = _clique(np.arange(5))
    shift = lambda ps, k: PairSet(ps.a + k, ps.b + k, ps.w, ps.bits)  # noqa: E731
    ps = combine([ps_a, shift(ps_b, n_a), shift(small, n_a + n_b)])
    n = n_a + n_b + 5
    params = RingParams(resolution_ref_nodes=50)
    labels, comps = _components(ps, n, params)
    assert np.array_equal(labels, detect(ps, n, params))  # same labels as the Python path
    sizes = sorted(len(c.nodes) for c in comps)
    assert n_b in sizes and 5 not in sizes  # the small component is taken whole, not split
    for c in comps:
        assert np.all(np.diff(c.nodes) > 0) and c.adj.shape == (len(c.nodes),) * 2
        assert c.resolution == component_resolution(len(c.nodes), params)
    assert max(c.resolution for c in comps) > params.resolution  # big ones get more


def test_a_partitioner_returning_the_wrong_count_is_an_error():
    ps, n, _ = _planted()
    with pytest.raises(ValueError, match="labelings"):
        detect(ps, n, RingParams(), lambda comps: [])


def test_joint_scaling_keeps_each_components_modularity_at_its_own_resolution():
    """One modularity over all components, weights scaled, equals the γ-weighted mean of each
    component's own modularity at its own resolution, for any labelling: so the joint optimum
    (what one GDS Leiden call finds) is each component's own optimum."""
    import scipy.sparse as sp

    from linker.detect.communities import Component, joint_scaling, modularity

    rng = np.random.default_rng(3)
    comps = []
    for size, res in ((12, 1.0), (40, 2.5), (7, 1.0)):
        w = sp.random(size, size, density=0.4, random_state=rng, format="csr")
        w = (w + w.T).tocsr()
        w.setdiag(0)
        w.eliminate_zeros()
        comps.append(Component(np.arange(size), w, res))
    scale, gamma = joint_scaling(comps)
    assert gamma == pytest.approx(4.5) and scale.min() == pytest.approx(1.0)
    joint = sp.block_diag([c.adj * s for c, s in zip(comps, scale, strict=True)]).tocsr()
    for _ in range(5):
        labs = [rng.integers(0, 4, len(c.nodes)) for c in comps]
        offset = np.cumsum([0] + [4] * (len(comps) - 1))
        joint_q = modularity(joint, np.concatenate([lb + o for lb, o in zip(labs, offset, strict=True)]),
                             gamma)
        own = sum(c.resolution / gamma * modularity(c.adj, lb, c.resolution)
                  for c, lb in zip(comps, labs, strict=True))
        assert joint_q == pytest.approx(own, rel=1e-9, abs=1e-12)


def _pooled_rings(seed: int, n_rings: int = 10, size: int = 60) -> tuple[PairSet, PairSet, int, np.ndarray]:
    """One operator's rings on one schedule: inside each ring, devices shared by 6 accounts
    and cards by 5 (strong links); schedule neighbours (k=10, Jaccard ~0.3) drawn from the
    whole campaign, so they say nothing about where one ring ends."""
    from linker.detect.reasons import BIT

    rng = np.random.default_rng(200 + seed)
    n = n_rings * size
    truth = np.repeat(np.arange(n_rings), size)
    sets = []
    for r in range(n_rings):
        members = rng.permutation(np.arange(r * size, (r + 1) * size))
        for group, bit in ((6, BIT["SHARED_DEVICE"]), (5, BIT["SHARED_CARD"])):
            for g in np.array_split(members, size // group):
                c = _clique(np.sort(g), 1.5)
                sets.append(PairSet(c.a, c.b, c.w, np.full(len(c), bit, np.uint32)))
            members = rng.permutation(members)
    a = np.repeat(np.arange(n), 10)
    b = rng.integers(0, n, a.size)
    keep = a != b
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    _, once = np.unique((lo << 32) | hi, return_index=True)
    extra = PairSet(lo[once].astype(np.int32), hi[once].astype(np.int32),
                    rng.normal(0.3, 0.03, once.size), np.zeros(once.size, np.uint32))
    return combine(sets), extra, n, truth


def test_shared_cards_and_devices_decide_where_rings_on_one_schedule_end():
    """An operator runs all its rings on one schedule: schedule neighbours cross ring borders
    at random and, at their clustering weight, cut rings apart along nothing. With strong
    identity links boosted (default ×10) the card and device pools decide (on the independent
    1M world, seed 21: the 25k campaign's clear rings flagged 0.16 → 0.94)."""
    assert RingParams().strong_cluster_boost == 10.0
    base = RingParams(community_backend="louvain")
    for seed in range(2):
        ps, extra, n, truth = _pooled_rings(seed)
        boosted = ari(truth, detect(ps, n, base, extra=extra))
        flat = ari(truth, detect(ps, n, replace(base, strong_cluster_boost=1.0), extra=extra))
        assert boosted > 0.9 and boosted > flat + 0.2, (boosted, flat)


def test_a_big_operations_rings_stay_whole_when_its_template_sets_rise_with_the_resolution() -> None:
    """Four rings of 300 accounts in one operation: one proxy pool links them at random, and
    schedule neighbours (clustering only) run across the rings, whose sign-up days overlap.
    Each ring sends its own template set. In a component this big (the reference size made
    small here: × 4.9 resolution) the raised resolution cuts the operation along its
    schedule; the set links, raised by the same factor, keep each ring whole. Unscaled, the
    rings come out in schedule-shaped pieces mixing all four."""
    from linker.detect.families import set_pairs

    def pairs(a: np.ndarray, b: np.ndarray, w: float) -> PairSet:
        k = a != b
        a, b = a[k], b[k]
        return PairSet(np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32),
                       np.full(a.size, w), np.zeros(a.size, np.uint32))

    rng = np.random.default_rng(3)
    n = 1200
    ring = np.arange(n) // 300
    proxy = pairs(np.repeat(np.arange(n), 3), rng.integers(0, n, 3 * n), 1.0)
    order = np.argsort(ring + rng.normal(size=n))  # staggered, overlapping sign-up days
    i = np.repeat(np.arange(n), 10) + np.tile(np.r_[-5:0, 1:6], n)
    ok = (i >= 0) & (i < n)
    schedule = pairs(np.repeat(order, 10)[ok], order[i[ok]], 0.3)
    found = {}
    for scale in (True, False):
        params = RingParams(resolution_ref_nodes=50, schedule_cluster_weight=8.0,
                            template_set_scale=scale)
        labels = detect(proxy, n, params, extra=schedule, group=ring,
                        group_links=set_pairs(ring, params))
        found[scale] = ari(ring, labels)
    assert found[True] >= 0.95
    assert found[False] < 0.5
    # sets smaller than the size where the resolution starts rising keep their weight
    small = [detect(proxy, n, p, extra=schedule, group=ring, group_links=set_pairs(ring, p))
             for p in (RingParams(resolution_ref_nodes=400, template_set_scale=s)
                       for s in (True, False))]
    assert (small[0] == small[1]).all()


def test_an_account_held_by_lockstep_alone_goes_home_to_its_template_family() -> None:
    """Two operators on one shift: account 12 (family 2) sits in operator A's community 0
    by lockstep links only, and sends operator B's template (a link to account 6). It moves
    to B's community. Account 13, which also shares a card with A's accounts, and account
    14, with no link to B's community, stay; so does 12 when community 0 is its own family's
    (one operator's rings sharing a base template keep their accounts)."""
    from linker.detect.communities import rehome_by_family
    from linker.detect.reasons import BIT

    lock, tpl, card = BIT["LOCKSTEP_HOURS"], BIT["SHARED_PROMPT_TEMPLATE"], BIT["SHARED_CARD"]
    pairs = [(0, 1, card), (1, 2, card), (2, 3, card), (3, 4, card), (4, 5, card),
             (6, 7, tpl), (7, 8, tpl), (8, 9, tpl), (9, 10, tpl), (10, 11, tpl),
             (12, 0, lock), (12, 1, lock), (12, 6, tpl),
             (13, 0, lock | card), (13, 7, tpl),
             (14, 2, lock), (14, 3, lock)]
    a, b, bits = (np.array(x) for x in zip(*pairs, strict=True))
    ps = PairSet(a.astype(np.int32), b.astype(np.int32), np.ones(a.size), bits.astype(np.uint32))
    labels = np.array([0] * 6 + [1] * 6 + [0, 0, 0])
    family = np.array([1] * 6 + [2] * 6 + [2, 2, 2])
    out = rehome_by_family(ps, labels, family)
    assert out[12] == 1 and out[13] == 0 and out[14] == 0
    assert (out[:12] == labels[:12]).all()
    same = rehome_by_family(ps, labels, np.full(15, 2))
    assert (same == labels).all()


def test_a_phone_block_run_cut_into_pieces_is_one_ring_again() -> None:
    """Accounts 0-29 are one SIM farm's run, cut into three communities, each with 10
    strangers (30-59); 60-79 are another component with a small run. The run's accounts
    move to the community holding most of them; the strangers stay; a run smaller than the
    minimum ring size and accounts of another component do not move."""
    from linker.detect.communities import rehome_by_run

    labels = np.r_[np.repeat([0, 1, 2], 10), np.repeat([0, 1, 2], 10), np.repeat([3, 4], 10)]
    labels[:12] = 0  # community 0 holds most of the run
    run = np.r_[np.zeros(30, int), -np.ones(30, int), np.ones(3, int), -np.ones(17, int)]
    run[60] = 0  # a run-0 account in the other component
    comp = np.r_[np.zeros(60, int), np.ones(20, int)]
    out = rehome_by_run(labels, run, comp, min_size=5)
    assert (out[:30] == 0).all()
    assert (out[30:60] == labels[30:60]).all()
    assert (out[60:] == labels[60:]).all()
    assert (rehome_by_run(labels, run, comp, min_size=31) == labels).all()
