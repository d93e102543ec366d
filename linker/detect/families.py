"""Operator template families: prompt templates that one operation's accounts use together.

An operator's automation sends the same few system prompts from every account it runs, so
the accounts using one of its templates nearly all use the others too, far more often than
chance predicts. A public agent template is popular on its own: its users pick their other
templates independently, so no pair of public templates shares most of its users. Each
template may be too popular to link pairs by rarity (over its hub cap, like a public one);
the family is what gives it away.

A family's accounts are linked to their next `family_k` by sign-up time (bounded like a
burst, never n²), as SHARED_PROMPT_TEMPLATE: a behaviour pattern that needs corroboration
to flag anyone, and never counts as identity for suspension.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from linker.detect.evidence import sorted_unique
from linker.detect.links import PairSet, bounded_neighbours, combine
from linker.detect.reasons import BIT

if TYPE_CHECKING:
    from linker.settings import RingParams


def distinct_rows(acct: np.ndarray, val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (account code, value code) rows, sorted by account then value."""
    key = sorted_unique((acct.astype(np.int64) << 32) | val.astype(np.int64))
    return key >> 32, key & 0xFFFFFFFF


@dataclass
class _TemplatePairs:
    """Template pairs that pass the family test, from one co-occurrence count: per distinct
    (account, template) row its account (`ainv`, into `acodes`) and template (`tinv`), and
    per pair its two templates, shared users and users of either."""

    acodes: np.ndarray
    ainv: np.ndarray
    tinv: np.ndarray
    n_templates: int
    row: np.ndarray
    col: np.ndarray
    both: np.ndarray
    either: np.ndarray


def _family_pairs(acct: np.ndarray, tpl: np.ndarray, params: RingParams) -> _TemplatePairs | None:
    """Two templates pair up when at least `family_min_users` accounts use both, those are at
    least `family_min_overlap` of the less used template's users, and together is
    `family_min_lift` times more often than if the users picked them independently."""
    if acct.size == 0 or params.family_min_users <= 0:
        return None
    a, t = distinct_rows(acct, tpl)
    n_users = int(np.unique(a).size)
    _, tinv, users = np.unique(t, return_inverse=True, return_counts=True)
    popular = users[tinv] >= params.family_min_users
    if popular.sum() < 2:
        return None
    a, tinv = a[popular], tinv[popular]
    tcode, tinv = np.unique(tinv, return_inverse=True)
    users = users[tcode]
    acodes, ainv = np.unique(a, return_inverse=True)
    b = sp.csr_matrix((np.ones(a.size, np.float32), (ainv, tinv)), shape=(acodes.size, tcode.size))
    co = sp.triu(b.T @ b, k=1).tocoo()
    both = co.data.astype(np.float64)
    nx, ny = users[co.row].astype(np.float64), users[co.col].astype(np.float64)
    good = ((both >= params.family_min_users) & (both >= params.family_min_overlap * np.minimum(nx, ny))
            & (both * n_users >= params.family_min_lift * nx * ny))
    if not good.any():
        return None
    return _TemplatePairs(acodes, ainv, tinv, tcode.size, co.row[good], co.col[good], both[good],
                          (nx + ny - both)[good])


def _groups(tp: _TemplatePairs | None, min_jaccard: float = 0.0
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(account codes, group ids, templates of the group each uses) of the accounts using at
    least two templates of one group: connected templates whose pairs' user sets are more
    alike than `min_jaccard` (shared users / users of either; 0: every family pair)."""
    empty = np.zeros(0, np.int64)
    if tp is None:
        return empty, empty, empty
    keep = tp.both > min_jaccard * tp.either
    if not keep.any():
        return empty, empty, empty
    row, col = tp.row[keep], tp.col[keep]
    g = sp.csr_matrix((np.ones(row.size), (row, col)), shape=(tp.n_templates,) * 2)
    _, grp = connected_components(g, directed=False)
    in_pair = np.zeros(tp.n_templates, bool)
    in_pair[row] = in_pair[col] = True
    sel = in_pair[tp.tinv]
    width = int(grp.max()) + 1
    # an account is in a group when it uses two of its templates or more
    uk, cnt = np.unique(tp.ainv[sel].astype(np.int64) * width + grp[tp.tinv[sel]],
                        return_counts=True)
    member = cnt >= 2
    return tp.acodes[uk[member] // width], uk[member] % width, cnt[member]


def template_families(acct: np.ndarray, tpl: np.ndarray, params: RingParams
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(account codes, family ids, templates of the family each uses) of the accounts using
    at least two templates of one family. `acct`/`tpl`: (account code, template code) rows;
    families are connected groups of template pairs that pass `_family_pairs`."""
    return _groups(_family_pairs(acct, tpl, params))


def first_group(n_accounts: int, members: np.ndarray, group: np.ndarray,
                cnt: np.ndarray | None = None) -> np.ndarray:
    """Group id per member code 0..n_accounts-1 (-1: none) from (member, group) rows; a
    member in two keeps the lowest id, or with `cnt` (per row) its largest row's group."""
    out = np.full(n_accounts, -1, dtype=np.int64)
    if cnt is not None and members.size:
        order = np.lexsort((-cnt, members))
        members, group = members[order], group[order]
    first = np.unique(members, return_index=True)[1]
    out[members[first]] = group[first]
    return out


def family_of(acct: np.ndarray, tpl: np.ndarray, n_accounts: int, params: RingParams) -> np.ndarray:
    """Family id per account code (-1: in no family; an account in two keeps the first)."""
    members, fam, _ = template_families(acct, tpl, params)
    return first_group(n_accounts, members, fam)


def family_and_sets(acct: np.ndarray, tpl: np.ndarray, n_accounts: int,
                    params: RingParams) -> tuple[np.ndarray, np.ndarray]:
    """(`family_of`, `ring_template_set_of`) per account code from one co-occurrence count."""
    tp = _family_pairs(acct, tpl, params)
    members, fam, _ = _groups(tp)
    return (first_group(n_accounts, members, fam),
            first_group(n_accounts, *_groups(tp, params.family_split_jaccard)))


def own_set_members(family: np.ndarray, sets: np.ndarray, max_share: float) -> np.ndarray:
    """Per account code: its template set holds at most `max_share` of its family's accounts.
    Such a set is one ring's own variants beside the operation's base template; a set that
    is (nearly) its whole family is the operation's kit, which all its rings share, and
    holding it together would merge them."""
    out = np.zeros(sets.size, dtype=bool)
    m = (sets >= 0) & (family >= 0)
    if not m.any():
        return out
    set_size = np.bincount(sets[m])[sets[m]]
    family_size = np.bincount(family[family >= 0])[family[m]]
    out[m] = set_size <= max_share * family_size
    return out


def ring_template_set_of(acct: np.ndarray, tpl: np.ndarray, n_accounts: int,
                         params: RingParams) -> np.ndarray:
    """Per account code, its ring template set (-1: none): a family split by
    `family_split_jaccard`, so that the templates every ring of one operation uses (its base
    template) no longer tie the rings together; an account in two keeps the set it uses
    most templates of. One operation's rings each run their own set of prompt variants, and
    linking each account to its own set's accounts (not the whole family's) lets the
    communities follow the rings rather than cut the operation anywhere."""
    return first_group(n_accounts, *_groups(_family_pairs(acct, tpl, params),
                                             params.family_split_jaccard))


def _scramble(codes: np.ndarray, round_: int) -> np.ndarray:
    """A fixed pseudo-random order key per code and round (splitmix64's finaliser): the same
    links every run, and rounds unrelated to each other."""
    x = codes.astype(np.uint64) + np.uint64((round_ + 1) * 0x9E3779B97F4A7C15 % 2**64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def set_pairs(group: np.ndarray, params: RingParams) -> PairSet:
    """Links among the accounts of each ring template set (id per account code, -1 none):
    each account to its next `template_set_k` in each of `template_set_orders` scrambled
    orders of the set, of weight `template_set_weight`, as a pattern. One order (sign-up
    time) makes a band that modularity cuts into segments; the union of a few scrambled
    ones has no cheap cut, so a ring's set stays one community, with n·k·orders links."""
    members = np.flatnonzero(group >= 0)
    if members.size < 2 or params.template_set_k <= 0:
        return PairSet.empty()
    parts = []
    for r in range(params.template_set_orders):
        key = _scramble(members, r)
        a, b = bounded_neighbours(group[members], key, members, params.template_set_k)
        parts.append(PairSet(np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32),
                             np.full(a.size, params.template_set_weight),
                             np.full(a.size, BIT["SHARED_PROMPT_TEMPLATE"], np.uint32)))
    return combine(parts)


def group_pairs(group: np.ndarray, created_minutes: np.ndarray, params: RingParams) -> PairSet:
    """Links among the accounts of each group (a template family, a low-and-slow cohort: id
    per account code, -1 none), each to its next `family_k` by sign-up time
    (`created_minutes` per account code; unknown times sort last), as a pattern."""
    members = np.flatnonzero(group >= 0)
    if members.size < 2 or params.family_k <= 0:
        return PairSet.empty()
    order = np.nan_to_num(created_minutes[members], nan=np.inf)
    a, b = bounded_neighbours(group[members], order, members, params.family_k)
    return PairSet(np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32),
                   np.full(a.size, params.family_weight),
                   np.full(a.size, BIT["SHARED_PROMPT_TEMPLATE"], np.uint32))


def ring_family(family: np.ndarray, ring: np.ndarray, params: RingParams) -> np.ndarray:
    """Per account: it belongs to a group (template family, or low-and-slow cohort) that has at
    least `min_ring_size` members in its ring, in a ring whose members are mostly in such
    groups (at least `family_ring_share`: an operator's rings may hold two of its families or
    cohorts). Family links join each account to a few others only, chosen by sign-up time,
    so they often cross the borders modularity draws inside a big operation; membership of
    the ring's own family is what the account shares with its ring-mates."""
    out = np.zeros(ring.size, dtype=bool)
    m = (ring > 0) & (family >= 0)
    if params.family_ring_share <= 0 or not m.any():
        return out
    width = int(family.max()) + 1
    key = ring[m].astype(np.int64) * width + family[m]
    uk, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
    n_r = int(ring.max()) + 1
    size = np.bincount(ring[ring > 0], minlength=n_r)
    grouped = np.bincount(ring[m], minlength=n_r)
    ok = (cnt >= max(params.min_ring_size, 1)) & (
        grouped[uk // width] >= params.family_ring_share * size[uk // width])
    out[np.flatnonzero(m)[ok[inv]]] = True
    return out
