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


def test_a_shared_proxy_pool_does_not_decide_where_rings_end():
    """Eight rings of one operator each work their own hours (sparse lockstep links inside a
    ring) and all rotate through one proxy pool (address links between anyone): the address
    links keep them in one component, the schedules tell the rings apart."""
    from linker.detect.reasons import BIT

    rng = np.random.default_rng(5)
    n_rings, size = 8, 25
    sets = []
    for r in range(n_rings):
        a, b = np.triu_indices(size, k=1)
        keep = rng.random(a.size) < 0.1
        sets.append(PairSet((a[keep] + r * size).astype(np.int32), (b[keep] + r * size).astype(np.int32),
                            np.full(int(keep.sum()), 0.7),
                            np.full(int(keep.sum()), BIT["LOCKSTEP_HOURS"], np.uint32)))
    n = n_rings * size
    a, b = np.triu_indices(n, k=1)
    keep = rng.random(a.size) < 0.3
    sets.append(PairSet(a[keep].astype(np.int32), b[keep].astype(np.int32), np.full(int(keep.sum()), 0.5),
                        np.full(int(keep.sum()), BIT["SHARED_IP"] | BIT["PROXY_IP_POOL"], np.uint32)))
    ps = combine(sets)
    truth = np.repeat(np.arange(n_rings), size)
    # the address factor on its own, at a lockstep boost (3x) that leaves it the deciding weight
    base = RingParams(community_backend="louvain", lockstep_cluster_boost=3.0)
    apart = ari(truth, detect(ps, n, base))
    as_equals = ari(truth, detect(ps, n, replace(base, network_cluster_factor=1.0)))
    assert apart > 0.75 and apart > as_equals + 0.1


def test_schedules_outweigh_a_dense_proxy_pool():
    """Rings whose schedules tie them only sparsely (a lockstep link to 5 % of ring-mates) inside
    a dense proxy pool: with the default clustering boost of lockstep links (10×) the rings
    come out clearly better than at the old 3×, on each of three random worlds."""
    from linker.detect.reasons import BIT

    def world(seed: int, n_rings: int = 8, size: int = 40):
        rng = np.random.default_rng(seed)
        sets = []
        for r in range(n_rings):
            a, b = np.triu_indices(size, k=1)
            keep = rng.random(a.size) < 0.05
            sets.append(PairSet((a[keep] + r * size).astype(np.int32), (b[keep] + r * size).astype(np.int32),
                                np.full(int(keep.sum()), 0.7),
                                np.full(int(keep.sum()), BIT["LOCKSTEP_HOURS"], np.uint32)))
        n = n_rings * size
        a, b = np.triu_indices(n, k=1)
        keep = rng.random(a.size) < 0.2
        sets.append(PairSet(a[keep].astype(np.int32), b[keep].astype(np.int32), np.full(int(keep.sum()), 1.0),
                            np.full(int(keep.sum()), BIT["SHARED_IP"] | BIT["PROXY_IP_POOL"], np.uint32)))
        return combine(sets), n, np.repeat(np.arange(n_rings), size)

    assert RingParams().lockstep_cluster_boost == 10.0
    for seed in range(3):
        ps, n, truth = world(seed)
        default = ari(truth, detect(ps, n, RingParams(community_backend="louvain")))
        old = ari(truth, detect(ps, n, RingParams(community_backend="louvain", lockstep_cluster_boost=3.0)))
        assert default > old + 0.05
