"""Communities: split the link graph into candidate rings with Louvain (or Leiden).

Modularity is optimised per connected component, not over the whole graph: the
resolution limit of modularity depends on the total weight of the graph it is computed
on, so running per component keeps small rings from being merged because a million
unrelated accounts exist elsewhere. Components too small to hold two rings are taken whole.

Backends: python-louvain (`community.best_partition`, nodes and edges inserted in sorted
order, fixed random_state) where it is fast enough, graspologic-native Leiden on CSR for
big components. Both are deterministic for a given graph; the graph itself is built from
sorted account codes, so shuffled input rows give the same communities.

A `Partitioner` may replace those backends (`rings.cluster = "gds"`: GDS Leiden in Neo4j,
given by the store): it receives every component to split with its resolution at once, so
that a database can cluster them all in one call; the post-processing stays the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

if TYPE_CHECKING:
    import pandas as pd

    from linker.detect.links import PairSet
    from linker.settings import RingParams


def adjacency(ps: PairSet, n: int) -> sp.csr_matrix:
    """Symmetric weighted adjacency (CSR, canonical: sorted indices, no duplicates)."""
    rows = np.concatenate([ps.a, ps.b]).astype(np.int64)
    cols = np.concatenate([ps.b, ps.a]).astype(np.int64)
    data = np.concatenate([ps.w, ps.w]).astype(np.float64)
    m = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    m.sum_duplicates()
    m.sort_indices()
    return m


def _louvain(sub: sp.csr_matrix, resolution: float, seed: int) -> np.ndarray:
    import community as community_louvain
    import networkx as nx

    coo = sp.triu(sub, k=1).tocoo()
    order = np.lexsort((coo.col, coo.row))
    g = nx.Graph()
    g.add_nodes_from(range(sub.shape[0]))
    g.add_weighted_edges_from(
        zip(coo.row[order].tolist(), coo.col[order].tolist(), coo.data[order].tolist(), strict=True)
    )
    part = community_louvain.best_partition(g, weight="weight", resolution=resolution,
                                            random_state=seed)
    return np.array([part[i] for i in range(sub.shape[0])], dtype=np.int64)


def _leiden(sub: sp.csr_matrix, resolution: float, seed: int) -> np.ndarray:
    import graspologic_native as gn

    _, part = gn.leiden_csr(
        sub.indptr.astype(np.int64), sub.indices.astype(np.int32), sub.data.astype(np.float64),
        sub.shape[0], resolution=resolution, seed=seed, use_modularity=True, trials=1,
    )
    out = np.zeros(sub.shape[0], dtype=np.int64)
    keys = np.fromiter(part.keys(), dtype=np.int64, count=len(part))
    vals = np.fromiter(part.values(), dtype=np.int64, count=len(part))
    out[keys] = vals
    return out


@dataclass(frozen=True)
class Component:
    """One connected component to split: its account codes (sorted), the clustering weights
    among them (CSR, local indices) and the modularity resolution it is split with."""

    nodes: np.ndarray
    adj: sp.csr_matrix
    resolution: float


# Every component to split → a community label per node of each (same order). Labels are
# local to each component; the caller renumbers them.
Partitioner = Callable[[list[Component]], list[np.ndarray]]
# What a store offers instead (Neo4jStore.gds_leiden): the same, given the account ids of
# the codes (the code space) and the ring parameters (seed, GDS knobs).
Clusterer = Callable[["pd.Index", list[Component], "RingParams"], list[np.ndarray]]


def resolution_multiplier(n_nodes: np.ndarray | int, params: RingParams) -> np.ndarray:
    """How many times `params.resolution` a component of `n_nodes` accounts is split with:
    sqrt(n_nodes / `resolution_ref_nodes`), between 1 and `resolution_max_mult` (1 when off)."""
    n = np.asarray(n_nodes, dtype=np.float64)
    if params.resolution_ref_nodes <= 0:
        return np.ones_like(n)
    return np.clip(np.sqrt(n / params.resolution_ref_nodes), 1.0, params.resolution_max_mult)


def component_resolution(n_nodes: int, params: RingParams) -> float:
    """The resolution a component of `n_nodes` accounts is split with.

    Modularity's resolution limit grows with the component: the resolution rises with
    sqrt(component size) past `resolution_ref_nodes` (bounded by `resolution_max_mult`), so a
    campaign's component of tens of thousands of accounts is not read as a few giant rings."""
    return params.resolution * float(resolution_multiplier(n_nodes, params))


def joint_scaling(comps: list[Component]) -> tuple[np.ndarray, float]:
    """Weight factor per component and one resolution that split every component at its own
    resolution in a single modularity run over all of them (a database runs one Leiden).

    With component i's weights × s_i = K γ_i / vol_i (vol_i: twice its total weight) and
    resolution Σγ_j, the modularity of the union is Σ_i (γ_i / Σγ) × Q_i(γ_i), Q_i(γ_i) being
    component i's own modularity at its resolution: communities never span components, so
    the optimum of the union is each component's own optimum. K makes the smallest factor 1
    (weights only grow, so no gain underflows)."""
    vol = np.array([float(cp.adj.sum()) for cp in comps], dtype=np.float64)
    gamma = np.array([cp.resolution for cp in comps], dtype=np.float64)
    if (vol <= 0).any():
        raise ValueError("a component to split has no link weight")
    scale = float(np.max(vol / gamma)) * gamma / vol
    return scale, float(gamma.sum())


def modularity(adj: sp.csr_matrix, labels: np.ndarray, resolution: float) -> float:
    """Newman modularity of a labelling of a symmetric weighted graph at `resolution`."""
    vol = float(adj.sum())
    _, lab = np.unique(labels, return_inverse=True)
    m = sp.csr_matrix((np.ones(lab.size), (np.arange(lab.size), lab)))
    inner = float((m.T @ adj @ m).diagonal().sum())
    deg = np.bincount(lab, weights=np.asarray(adj.sum(axis=1)).ravel())
    return inner / vol - resolution * float((deg ** 2).sum()) / vol ** 2


def partition(sub: sp.csr_matrix, params: RingParams) -> np.ndarray:
    """Community label per node of one connected component."""
    backend = params.community_backend
    if backend == "auto":  # detect() resolves auto for the whole graph; a lone call here
        backend = "louvain" if sub.nnz // 2 <= params.louvain_max_edges else "leiden"
    res = component_resolution(sub.shape[0], params)
    if backend == "louvain":
        return _louvain(sub, res, params.seed)
    if backend == "leiden":
        return _leiden(sub, res, params.seed)
    raise ValueError(f"unknown community backend {backend!r} (auto, louvain, leiden)")


def merge_small(sub: sp.csr_matrix, part: np.ndarray, min_size: int) -> np.ndarray:
    """Fold communities smaller than `min_size` into the neighbouring community they are most
    strongly linked to. Modularity happily cuts a small sparse ring into pairs; a piece
    below the minimum ring size would otherwise be dropped with all its evidence."""
    part = np.unique(part, return_inverse=True)[1]
    for _ in range(4):
        k = int(part.max()) + 1
        size = np.bincount(part, minlength=k)
        small = size < min_size
        if not small.any() or k == 1:
            break
        m = sp.csr_matrix((np.ones(part.size), (np.arange(part.size), part)), shape=(part.size, k))
        between = (m.T @ sub @ m).toarray()
        np.fill_diagonal(between, 0.0)
        # prefer communities that are already big enough, then the strongest tie
        score = between + between.max(initial=0.0) * (size >= min_size)[None, :] * (between > 0)
        target = np.where(small & (between.max(axis=1) > 0), score.argmax(axis=1), np.arange(k))
        if np.array_equal(target, np.arange(k)):
            break
        # merge along c → target[c] edges (chains and mutual choices collapse together)
        g = sp.csr_matrix((np.ones(k), (np.arange(k), target)), shape=(k, k))
        _, group = connected_components(g, directed=False)
        part = group[part]
    return part


def merge_strong(ps: PairSet, labels: np.ndarray, min_frac: float) -> np.ndarray:
    """Merge communities tied by many strong identity links (cards, devices, keys, phones,
    e-mails): modularity cuts a big ring along its sign-up bursts, but accounts that pay
    with the same cards are one operator whatever the timing says. Two communities merge
    when the strong links between them number at least `min_frac` × the smaller one's size."""
    from linker.detect.reasons import STRONG_MASK

    if min_frac <= 0 or len(ps) == 0:
        return labels
    la, lb = labels[ps.a], labels[ps.b]
    cross = (la >= 0) & (lb >= 0) & (la != lb) & ((ps.bits & STRONG_MASK) > 0)
    if not cross.any():
        return labels
    x, y = np.minimum(la[cross], lb[cross]), np.maximum(la[cross], lb[cross])
    keys, counts = np.unique((x << 32) | y, return_counts=True)
    x, y = keys >> 32, keys & 0xFFFFFFFF
    size = np.bincount(labels[labels >= 0])
    merge = counts >= min_frac * np.minimum(size[x], size[y])
    if not merge.any():
        return labels
    k = int(labels.max()) + 1
    g = sp.csr_matrix((np.ones(int(merge.sum())), (x[merge], y[merge])), shape=(k, k))
    _, group = connected_components(g, directed=False)
    return np.where(labels >= 0, group[np.maximum(labels, 0)], -1)


def merge_by_group(labels: np.ndarray, group: np.ndarray | None, min_share: float,
                   adj: sp.csr_matrix | None = None, min_link: float = 0.0) -> np.ndarray:
    """Communities most of whose members (at least `min_share`) are in one group (a ring's
    template set, `families.ring_template_set_of`; -1 none) become one community: the
    pieces of one big ring that a raised resolution cut apart. With `adj` and `min_link`,
    two such pieces join only when the links between them (`adj`: links other than the
    set's) weigh at least `min_link` × the lighter piece's internal links: rings of one
    operator that share its templates but each keep their own devices and pools stay
    apart. Labels of the others stay."""
    if group is None or min_share <= 0 or not (labels >= 0).any():
        return labels
    m = (labels >= 0) & (group >= 0)
    if not m.any():
        return labels
    size = np.bincount(labels[labels >= 0])
    width = int(group.max()) + 1
    key, cnt = np.unique(labels[m].astype(np.int64) * width + group[m], return_counts=True)
    lab, grp = key // width, key % width
    dominated = cnt >= min_share * size[lab]  # at most one group per community when > 0.5
    if not dominated.any():
        return labels
    lab, grp = lab[dominated], grp[dominated]
    to = np.arange(size.size, dtype=np.int64)
    if adj is not None and min_link > 0:
        # weight between dominated communities, and inside each
        node = np.flatnonzero(np.isin(labels, lab))
        pos = np.searchsorted(lab, labels[node])
        p = sp.csr_matrix((np.ones(node.size), (node, pos)), shape=(labels.size, lab.size))
        w = (p.T @ adj @ p).tocoo()
        inner = np.zeros(lab.size)
        d = w.row == w.col
        inner[w.row[d]] = w.data[d]
        ok = (~d & (grp[w.row] == grp[w.col])
              & (w.data >= min_link * np.minimum(inner[w.row], inner[w.col])))
        g = sp.csr_matrix((np.ones(int(ok.sum())), (w.row[ok], w.col[ok])), shape=(lab.size,) * 2)
        _, cc = connected_components(g, directed=False)
        first = np.full(lab.size, np.iinfo(np.int64).max)
        np.minimum.at(first, cc, lab)
        to[lab] = first[cc]
    else:
        # every community dominated by one group takes that group's smallest community label
        first = np.full(width, np.iinfo(np.int64).max)
        np.minimum.at(first, grp, lab)
        to[lab] = first[grp]
    out = labels.copy()
    out[labels >= 0] = to[labels[labels >= 0]]
    return out


def rehome_by_run(labels: np.ndarray, run: np.ndarray, comp: np.ndarray,
                  min_size: int) -> np.ndarray:
    """Move the accounts of each run of dense phone blocks (`run`, -1: none) to the
    community holding most of them, within its component, when the run has at least
    `min_size` accounts there. A SIM farm's numbers are one purchase: at a big component's
    raised resolution its chain of small device cliques is cut into pieces, each glued to
    the strangers who signed up in its minutes; those strangers stay where they are."""
    from linker.detect.families import first_group

    ok = (labels >= 0) & (run >= 0)
    if not ok.any():
        return labels
    width = int(labels.max()) + 1
    key, cnt = np.unique(run[ok].astype(np.int64) * width + labels[ok], return_counts=True)
    r, lab = key // width, key % width
    home = first_group(int(run.max()) + 1, r, lab, cnt)
    target = np.where(ok, home[np.maximum(run, 0)], -1)
    # the home's component: a label lies in one component
    label_comp = np.full(width, -1, dtype=np.int64)
    label_comp[labels[labels >= 0]] = comp[labels >= 0]
    same = ok & (target >= 0) & (comp == label_comp[np.maximum(target, 0)])
    # a run counts by its accounts in the home's component
    size = np.bincount(run[same], minlength=int(run.max()) + 1)
    move = same & (size[np.maximum(run, 0)] >= min_size) & (target != labels)
    if not move.any():
        return labels
    out = labels.copy()
    out[move] = target[move]
    return out


def rehome_by_family(ps: PairSet, labels: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Move an account held in its community by lockstep hours alone, whose template family
    is not its community's, to the community most of its family is in, when it links to
    that one too. Two operators can work the same shift: boosted lockstep links then pull
    one operator's loosely tied accounts into the other's ring, although their templates
    (and their links through them) are their own operator's."""
    from linker.detect.families import first_group
    from linker.detect.reasons import BIT

    ok = (labels >= 0) & (family >= 0)
    if not ok.any() or len(ps) == 0:
        return labels
    la, lb = labels[ps.a], labels[ps.b]
    inside = (la >= 0) & (la == lb)
    other = inside & ((ps.bits & ~np.uint32(BIT["LOCKSTEP_HOURS"])) != 0)
    n = labels.size
    held = np.zeros(n, dtype=bool)  # has an internal link that is not lockstep alone
    held[ps.a[other]] = True
    held[ps.b[other]] = True
    # each family's home: the community holding most of its accounts; each community's own
    # family: the one most of its accounts are in (-1: none is)
    width = int(labels.max()) + 1
    key, cnt = np.unique(family[ok].astype(np.int64) * width + labels[ok], return_counts=True)
    fam, lab = key // width, key % width
    home = first_group(int(family.max()) + 1, fam, lab, cnt)
    own = first_group(width, lab, fam, cnt)
    lead = fam == own[lab]
    lab_size = np.bincount(labels[labels >= 0], minlength=width)
    own[lab[lead & (cnt * 2 < lab_size[lab])]] = -1
    target = np.where(ok, home[np.maximum(family, 0)], -1)
    # only an account of another family than its community's: one operator's rings that
    # share its base template keep their accounts
    move = (ok & ~held & (target >= 0) & (target != labels)
            & (own[np.maximum(labels, 0)] != family))
    if not move.any():
        return labels
    # ... and only when it links to an account there
    ta, tb = target[ps.a], target[ps.b]
    links_home = np.zeros(n, dtype=bool)
    links_home[ps.a[(ta >= 0) & (labels[ps.b] == ta)]] = True
    links_home[ps.b[(tb >= 0) & (labels[ps.a] == tb)]] = True
    move &= links_home
    out = labels.copy()
    out[move] = target[move]
    return out


def network_mask() -> int:
    """Reason bits of links made of shared addresses (IPs, /24s, proxy pools)."""
    from linker import kinds
    from linker.detect.reasons import BIT, mask_of

    codes = {r for k, r in kinds.link_reasons().items() if k in kinds.network_kinds()}
    return mask_of(codes) | BIT["PROXY_IP_POOL"]


def components(ps: PairSet, n: int, min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Connected component per account code, and which accounts sit in a component big
    enough to be split into rings (≥ 2 × `min_size`)."""
    _, comp = connected_components(adjacency(ps, n), directed=False)
    size = np.bincount(comp)
    return comp, size[comp] >= 2 * min_size


def detect(ps: PairSet, n: int, params: RingParams,
           partitioner: Partitioner | None = None, extra: PairSet | None = None,
           group: np.ndarray | None = None, group_links: PairSet | None = None,
           group_scaled: np.ndarray | None = None,
           family: np.ndarray | None = None,
           block_run: np.ndarray | None = None) -> np.ndarray:
    """Community label per account code (-1: in no community of at least `min_ring_size`).

    Labels are arbitrary but deterministic integers; rings are renumbered later.
    `partitioner` splits the components instead of the Python backends (GDS Leiden).
    `extra`: schedule neighbours (Jaccard as weight) between accounts of one component,
    × `schedule_cluster_weight` for clustering only: they move where a component is cut,
    never what is linked. `group`: each account's ring template set, for `merge_by_group`;
    `group_links`: links inside each set (`families.set_pairs`), for clustering only too;
    `group_scaled`: per account, its set's links may rise with the resolution
    (`families.own_set_members`; None: every set's). `family`: each account's template
    family (-1: none), for `rehome_by_family`. `block_run`: each account's run of dense
    phone blocks (-1: none), for `rehome_by_run`."""
    labels = np.full(n, -1, dtype=np.int64)
    if len(ps) == 0:
        return labels
    # capped weights: once a link is solid, more evidence should not make modularity carve
    # a ring along its card or device pools
    from linker.detect.reasons import BIT

    w = np.minimum(ps.w, params.cluster_weight_cap)
    # a shared schedule separates an operator's rings that share one proxy pool: lockstep
    # links count more when deciding where one ring ends
    w = np.where((ps.bits & BIT["LOCKSTEP_HOURS"]) > 0, w * params.lockstep_cluster_boost, w)
    # accounts paying with the same cards or using the same devices are one ring whatever
    # their hours say: an operator runs all its rings on one schedule
    if params.strong_cluster_boost != 1.0:
        from linker.detect.reasons import STRONG_MASK

        w = np.where((ps.bits & STRONG_MASK) > 0, w * params.strong_cluster_boost, w)
    # an operator's proxy pool spans all its rings: links made only of shared addresses keep
    # the rings in one component but should not decide where one ring ends
    if params.network_cluster_factor != 1.0:
        only_net = (ps.bits & ~np.uint32(network_mask())) == 0
        w = np.where(only_net, w * params.network_cluster_factor, w)
    capped = type(ps)(ps.a, ps.b, w, ps.bits)
    if extra is not None and len(extra) and params.schedule_cluster_weight > 0:
        capped = type(ps)(np.concatenate([ps.a, extra.a]), np.concatenate([ps.b, extra.b]),
                          np.concatenate([w, params.schedule_cluster_weight * extra.w]),
                          np.concatenate([ps.bits, extra.bits]))
    plain = adjacency(capped, n)  # every link but the template sets'
    _, comp = connected_components(plain, directed=False)
    size = np.bincount(comp)
    adj = plain
    if group_links is not None and len(group_links):
        # only between accounts something else links: a set joins no components
        gl = group_links.take(comp[group_links.a] == comp[group_links.b])
        if params.template_set_scale and group is not None:
            # the resolution raised for a big component cuts its big rings into pieces; a
            # ring's own template set holds them together only when its links rise in step.
            # Sets smaller than the size where the resolution starts rising keep their weight
            # (an operator's many small rings on one set are not pulled into one), and so do
            # sets that are most of their template family (an operation's shared kit)
            mult = resolution_multiplier(size[comp[gl.a]], params)
            set_size = np.bincount(group[group >= 0])[group[gl.a]]
            ok = set_size >= params.resolution_ref_nodes
            if group_scaled is not None:
                ok &= group_scaled[gl.a]
            mult = np.where(ok, mult, 1.0)
            gl = type(gl)(gl.a, gl.b, gl.w * mult, gl.bits)
        adj = (plain + adjacency(gl, n)).tocsr()
        adj.sum_duplicates()
        adj.sort_indices()
    big_enough = size[comp] >= params.min_ring_size
    # components that cannot hold two rings of min size are one community as they are
    whole = big_enough & (size[comp] < 2 * params.min_ring_size)
    labels[whole] = comp[whole]
    next_label = int(comp.max()) + 1
    split = np.flatnonzero(size >= 2 * params.min_ring_size)
    if params.community_backend == "auto":
        # python-louvain where the graph to split is small; past that its per-component Python
        # overhead dominates and the compiled Leiden (same objective) takes over
        work = int(np.isin(comp, split).sum()) + adj.nnz // 2
        backend = "louvain" if work <= params.louvain_max_edges else "leiden"
        params = replace(params, community_backend=backend)
    if split.size:
        order = np.argsort(comp, kind="stable")
        starts = np.searchsorted(comp[order], split)
        # each node's position among its component's sorted nodes: a component's rows hold
        # (nearly always) only its own columns, so relabelling them is its sub-matrix
        # (column fancy indexing walked all n columns once per component: 2,000 at 1M)
        local = np.empty(n, dtype=np.int64)
        local[order] = np.arange(n) - np.repeat(np.searchsorted(comp[order], np.arange(
            len(size))), size)

        def components() -> Iterator[Component]:
            for c, s0 in zip(split.tolist(), starts.tolist(), strict=True):
                nodes = order[s0:s0 + size[c]]  # sorted node codes of component c
                rows = adj[nodes]
                if (comp[rows.indices] == c).all():
                    sub = sp.csr_matrix((rows.data, local[rows.indices].astype(rows.indices.dtype),
                                         rows.indptr),
                                        shape=(len(nodes), len(nodes)))
                else:  # an edge out of its component (an explicit zero weight)
                    sub = adj[nodes][:, nodes].tocsr()
                sub.sort_indices()
                yield Component(nodes, sub, component_resolution(len(nodes), params))

        if partitioner is None:  # one component at a time: only one sub-matrix in memory
            pairs: Iterator[tuple[Component, np.ndarray]] = (
                (cp, partition(cp.adj, params)) for cp in components())
        else:
            comps = list(components())
            parts = partitioner(comps)
            if len(parts) != len(comps):
                raise ValueError(f"partitioner returned {len(parts)} labelings "
                                 f"for {len(comps)} components")
            pairs = iter(zip(comps, parts, strict=True))
        for cp, raw in pairs:
            part = merge_small(cp.adj, raw, params.min_ring_size)
            labels[cp.nodes] = part + next_label
            next_label += int(part.max()) + 1
    labels = merge_strong(ps, labels, params.strong_merge_frac)
    labels = merge_by_group(labels, group, params.template_set_merge_share, plain,
                            params.template_set_merge_link)
    if family is not None and params.rehome_lockstep_only:
        labels = rehome_by_family(ps, labels, family)
    if block_run is not None and params.phone_block_rehome:
        labels = rehome_by_run(labels, block_run, comp, params.min_ring_size)
    # drop communities below the minimum ring size
    lab_ok = labels >= 0
    counts = np.bincount(labels[lab_ok], minlength=next_label)
    small = lab_ok & (counts[np.where(lab_ok, labels, 0)] < params.min_ring_size)
    labels[small] = -1
    return labels


def ari(truth: np.ndarray, pred: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (contingency table, no sklearn)."""
    truth = np.asarray(truth)
    pred = np.asarray(pred)
    if truth.size < 2:
        return 1.0
    _, t = np.unique(truth, return_inverse=True)
    _, p = np.unique(pred, return_inverse=True)
    cont = sp.coo_matrix((np.ones(t.size), (t, p))).tocsr()
    cont.sum_duplicates()

    def comb2(x: np.ndarray) -> float:
        x = np.asarray(x, dtype=np.float64)
        return float((x * (x - 1) / 2).sum())

    sum_ij = comb2(cont.data)
    sum_a = comb2(np.asarray(cont.sum(axis=1)).ravel())
    sum_b = comb2(np.asarray(cont.sum(axis=0)).ravel())
    total = t.size * (t.size - 1) / 2
    expected = sum_a * sum_b / total
    max_idx = (sum_a + sum_b) / 2
    if max_idx == expected:
        return 1.0
    return (sum_ij - expected) / (max_idx - expected)
