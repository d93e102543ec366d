"""Scoring: how sure are we that a community is one operator, and what to do per account.

Ring score grows with the strength and variety of the evidence, weighted by how many
members each kind of evidence touches (coverage), and is damped for sparse or tiny rings:

    x_identity  = Σ identity/infrastructure reasons (strong 1.2, medium 0.5, weak 0.3) × cov (≤ 2.5)
    x_behaviour = Σ bursts, lockstep (0.6) × cov + load balance 0.4 + targeting 0.25     (≤ 2.0)
    score       = (1 − e^−(x_identity + x_behaviour)) × size factor × density factor

A community is reported as a ring only if it has shared identity plus operator timing
(bursts, lockstep, even volume), or two distinct operator patterns, or is a big identity
cluster (`identity_only_min_size`): households, offices and a class signing up together are
not rings.

A member is suspended only when all of these hold, otherwise it goes to review:
- it sits in the ring's strong core: a connected group of ≥ `core_min_size` members tied by
  strong identity links (card, device, phone, e-mail, API key), at least
  `core_behaviour_share` of whom sign up in bursts or work in lockstep (or the ring is
  load-balanced);
- the ring's behaviour evidence reaches `min_behaviour` (shared identity alone is what
  households look like);
- its own score reaches `suspend_score`;
- it is not allow-listed (a final rule nothing overrides).
A farm needs no timing of its own: three kinds of strong identifier shared in a strong core,
or a strong core of accounts that hop across proxy exits (an emulator farm). One person's few
accounts (at most `person_max_accounts`, all behind one e-mail or phone, none with a
scheduler's hours, an even split, a shared API key or the ring's proxy pool) make neither. Links inside
one organisation never make a core, but an operator's fake startups are suspended: seats
sharing a card or device inside their organisation, with bursts, the ring's schedule or
opened in one sitting with their organisation, using a private template that
`org_farm_min_orgs` of the ring's organisations use. Such a seat is flagged by that pattern
even when its organisation's discounted links fell under `min_link_weight`, and what it
shares inside the organisation counts in its score again: the organisation is the cover.
Nor does an operator's private kit (`private_kit`): an account sending a rare template
through proxy exits it shares with ring-mates, in a ring where `kit_min_members` accounts
and `kit_min_share` of it do the same, with no link an organisation or domain explains.
Nor, beside a suspended strong core (`kit_beside_core`), does the same kit without shared
exits: the ring's rare template (or a private one its core sends), the account's own hops
across networks and the ring's timing, on `kit_min_members` accounts of a ring whose core
holds `core_kit_min_core`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from linker.detect.evidence import KIND_CODE, KINDS, account_codes
from linker.detect.families import first_group, ring_family
from linker.detect.links import KIND_REASON, group_median, same_group
from linker.detect.reasons import (
    BIT,
    MEDIUM,
    MEDIUM_MASK,
    STRONG,
    STRONG_MASK,
    WEAK,
    decode_array,
    encode_series,
)

if TYPE_CHECKING:
    from linker.detect.links import PairSet
    from linker.detect.timing import DailyClock
    from linker.model import Dataset
    from linker.settings import RingParams

MEMBER_COLUMNS = ["account_id", "ring", "score", "action", "reasons"]
RING_COLUMNS = ["ring", "size", "score", "density", "strong_share", "reasons"]
TARGET_CAPABILITIES = ("agentic_reasoning", "coding", "planning")
# Behaviour: what an operator's automation does and households, offices and campuses do not
# (sign up in bursts, work in lockstep, spread volume evenly, target capabilities).
BEHAVIOUR = frozenset({"SIGNUP_BURST", "LOCKSTEP_HOURS", "RING_SCHEDULE", "LOAD_BALANCED_VOLUME",
                       "CAPABILITY_TARGETING"})
# evidence kind code -> reason bit of a link through it (0: links nothing)
_KIND_BIT = np.array([BIT.get(KIND_REASON.get(k, ""), 0) for k in KINDS], dtype=np.uint32)
_PAIR_BEHAVIOUR_MASK = BIT["SIGNUP_BURST"] | BIT["LOCKSTEP_HOURS"]


# a proxy, seen from the pairs (a pool of exits shared with ring-mates) or from the account
# itself (its connections hop across networks): the same sign to every rule below
_PROXY_MASK = BIT["PROXY_IP_POOL"] | BIT["IP_ROTATION"]


def _strong_kinds(mmask: np.ndarray) -> np.ndarray:
    """Per account: how many kinds of strong identifier (card, device, phone, e-mail, key)
    its own links share."""
    return sum(((mmask & BIT[c]) > 0).astype(np.int8) for c in sorted(STRONG))


def _code_values(params: RingParams) -> dict[str, float]:
    """What each of an account's own reason codes adds to its evidence score."""
    v = {**{c: params.strong_value for c in STRONG}, **{c: params.medium_value for c in MEDIUM},
         **{c: params.weak_value for c in WEAK}}
    v["SIGNUP_BURST"] = v["LOCKSTEP_HOURS"] = params.timing_value
    v["RING_SCHEDULE"] = params.ring_schedule_value
    v["LOAD_BALANCED_VOLUME"] = params.load_balance_value
    v["CAPABILITY_TARGETING"] = params.targeting_value
    v["CARD_BIN_COHORT"] = 0.0  # names what the template code already counts
    v["CARD_WAVE"] = 0.0  # timing that only CORE_KIT reads
    v["OPERATOR_TOOLKIT"] = 0.0  # likewise (the template and each slip's kind count)
    # a private template through private exits, with hundreds of ring-mates: as binding as
    # a shared identifier (the template and pool codes still count their own share)
    v["PRIVATE_KIT"] = params.kit_value
    # the same kit beside the ring's suspended core: as binding
    v["CORE_KIT"] = params.kit_value
    return v


@dataclass
class RingResult:
    members: pd.DataFrame  # account_id, ring, score, action, reasons
    rings: pd.DataFrame    # ring, size, score, density, strong_share, reasons


def _internal(ps: PairSet, labels: np.ndarray) -> np.ndarray:
    la, lb = labels[ps.a], labels[ps.b]
    return (la >= 0) & (la == lb)


def prune_members(ps: PairSet, labels: np.ndarray, params: RingParams,
                  schedule: PairSet | None = None, family: np.ndarray | None = None,
                  cohort: np.ndarray | None = None) -> np.ndarray:
    """Drop members barely attached to their community (internal weight < `min_attach`),
    then communities that fall below `min_ring_size`. Two passes settle it in practice.
    A member on its community's schedule (`ring_schedule`) is attached by it."""
    labels = labels.copy()
    n = labels.size
    for _ in range(2):
        inside = _internal(ps, labels)
        attach = np.bincount(ps.a[inside], ps.w[inside], minlength=n) + np.bincount(
            ps.b[inside], ps.w[inside], minlength=n)
        loose = attach < params.min_attach
        if schedule is not None and len(schedule):
            loose &= ~ring_schedule(schedule, labels + 1, params)
        for group in (family, cohort):  # attached by its ring's family or cohort
            if group is not None:
                loose &= ~ring_family(group, labels + 1, params)
        labels[(labels >= 0) & loose] = -1
        ok = labels >= 0
        counts = np.bincount(labels[ok], minlength=int(labels.max(initial=0)) + 1)
        labels[ok & (counts[np.where(ok, labels, 0)] < params.min_ring_size)] = -1
    return labels


def renumber(labels: np.ndarray) -> np.ndarray:
    """Rings numbered 1.. in order of their smallest account code (= smallest account_id),
    so numbering depends only on membership, never on internal labels."""
    out = np.full(labels.size, 0, dtype=np.int64)
    ok = np.flatnonzero(labels >= 0)
    if ok.size == 0:
        return out
    lab = labels[ok]
    uniq, inv = np.unique(lab, return_inverse=True)
    first = np.full(uniq.size, np.iinfo(np.int64).max)
    np.minimum.at(first, inv, ok)
    rank = np.empty(uniq.size, dtype=np.int64)
    rank[np.argsort(first)] = np.arange(1, uniq.size + 1)
    out[ok] = rank[inv]
    return out


def _org_farm(ring: np.ndarray, org: np.ndarray | None,
              strong: tuple[np.ndarray, np.ndarray] | None,
              templates: TemplateGroups | None, operator_timing: np.ndarray,
              params: RingParams) -> tuple[np.ndarray, np.ndarray]:
    """Per account: a fake startup's seat. It shares a card, device, phone, e-mail or key
    with at least `core_min_size - 1` seats of its own organisation in rings (ring-mates
    only without `org_farm_org_wide`; what the organisation explains, on its own), signs
    up in bursts, works on the ring's schedule or was opened in one sitting with its
    organisation (`operator_timing`), and uses a ring template that `org_farm_min_orgs` of
    its ring's organisations use (`org_farm_templates`); a template that
    `org_farm_untimed_min_orgs` of them use needs no timing, for the seats of
    organisations of at most `org_farm_untimed_max_seats` accounts, counted among those.
    `org`: organisation code per account (-1: none, or one whose internal links are
    dropped: allow-listed or established); `strong`: distinct
    (account code, value key) rows of the strong identifier kinds; `templates`: the
    rings' template groups (`ring_templates`). Also returns, per seat, the reason bits of
    the kinds it shares so: the organisation no longer explains them."""
    n = ring.size
    out = np.zeros(n, dtype=bool)
    bits = np.zeros(n, dtype=np.uint32)
    if org is None or strong is None or templates is None or params.org_farm_min_orgs <= 0:
        return out, bits
    if params.org_farm_untimed_min_orgs > 0:
        small = _small_orgs(org, params.org_farm_untimed_max_seats)
        operator_timing = operator_timing | org_farm_templates(
            templates, small, params, params.org_farm_untimed_min_orgs) & (small >= 0)
    acct, val = strong
    keep = (ring[acct] > 0) & (org[acct] >= 0)
    if not (keep & operator_timing[acct]).any():
        return out, bits
    acct, val = acct[keep], val[keep]
    # seats of one organisation per value, in one ring or in any (every one counts; the
    # seat itself must show the timing)
    where = np.zeros_like(acct) if params.org_farm_org_wide else ring[acct]
    codes, uniq = pd.factorize(pd.MultiIndex.from_arrays([where, org[acct], val]))
    sharers = np.bincount(codes, minlength=len(uniq))
    seated = np.zeros(n, dtype=bool)
    shared = sharers[codes] >= params.core_min_size
    seated[acct[shared]] = True
    seated &= operator_timing
    if not seated.any():
        return out, bits
    out = seated & org_farm_templates(templates, org, params)
    mine = shared & out[acct]
    np.bitwise_or.at(bits, acct[mine], _KIND_BIT[val[mine] % len(KINDS)])
    return out, bits


def private_kit(mmask: np.ndarray, ring: np.ndarray, params: RingParams,
                toolkit: np.ndarray | None = None) -> np.ndarray:
    """Per account: it sends a rare or its ring's own prompt template through proxy exits
    shared with ring-mates (a pool, or the ring's own exits), with no link explained by an
    organisation or a rare e-mail domain, in a ring where at least `kit_min_members`
    accounts and `kit_min_share` of its members do the same; members its ring's toolkit
    flags (`toolkit`, `toolkit_flags`) are the operator's too and do not count against the
    share (its camouflaged accounts beside its proxied ones). A stranger on a carrier or VPN
    exit shares the address, not the template; a popular template's users share no exits;
    a class or an office shares its egress and its templates inside its domain or
    organisation. Hundreds of accounts with both are one operator's tooling on one
    operator's infrastructure."""
    out = np.zeros(ring.size, dtype=bool)
    if params.kit_min_members <= 0:
        return out
    use = ((ring > 0) & ((mmask & BIT["SHARED_PROMPT_TEMPLATE"]) > 0)
           & ((mmask & BIT["PROXY_IP_POOL"]) > 0)
           & ((mmask & (BIT["SAME_ORGANISATION"] | BIT["RARE_EMAIL_DOMAIN"])) == 0))
    if not use.any():
        return out
    n_r = int(ring.max()) + 1
    users = np.bincount(ring[use], minlength=n_r)
    others = ring > 0
    if toolkit is not None:
        others &= use | ~toolkit
    size = np.bincount(ring[others], minlength=n_r)
    ok = (users >= params.kit_min_members) & (users >= params.kit_min_share * np.maximum(size, 1))
    ok[0] = False
    return use & ok[ring]


def kit_beside_core(mmask: np.ndarray, own_lb: np.ndarray, ring: np.ndarray,
                    core: np.ndarray, params: RingParams,
                    templates: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Per account: it sends a rare or its ring's own prompt template, its own connections
    hop across networks (or through the ring's proxy pool), and it signs up in the ring's
    bursts, works in lockstep or on the ring's schedule, or carries its share of an even
    split, with no link an organisation or rare e-mail domain explains, in a ring where at
    least `kit_min_members` accounts do the same; the template is the ring's rare one in a
    ring whose strong core (`core`: the accounts the suspension rules take, a strong core
    with operator timing, a farm, fake startups, a private kit) has at least `core_kit_min_core` accounts, or a private template
    (`ring_template_owner_share` of its users in rings) that at least that many core
    accounts send, in whichever ring clustering put them (`templates`: distinct account,
    template code rows). A residential-proxy operator gives each account its own card and
    device and slips on a few: those few are the core, and the rest carry the same private
    template on the same schedule through the same kind of exits. A stranger on a carrier
    or VPN exit shares neither the template nor the timing; a class or an office signs up
    together behind its own fixed address, inside its domain or organisation."""
    out = np.zeros(ring.size, dtype=bool)
    if params.core_kit_min_core <= 0 or params.kit_min_members <= 0:
        return out
    timing = ((mmask & (BIT["SIGNUP_BURST"] | BIT["LOCKSTEP_HOURS"] | BIT["RING_SCHEDULE"]
                        | BIT["CARD_BIN_COHORT"] | BIT["CARD_WAVE"])) > 0) | own_lb
    use = ((ring > 0) & timing & ((mmask & _PROXY_MASK) > 0)
           & ((mmask & (BIT["SAME_ORGANISATION"] | BIT["RARE_EMAIL_DOMAIN"])) == 0))
    if not use.any():
        return out
    n_r = int(ring.max()) + 1
    core = core & (ring > 0)
    cores = np.bincount(ring[core], minlength=n_r)
    # the ring's rare template beside the ring's own core ...
    kit = ((mmask & BIT["SHARED_PROMPT_TEMPLATE"]) > 0) & (cores[ring] >= params.core_kit_min_core)
    if templates is not None and templates[0].size and core.any():
        # ... or a private template (mostly ring members use it) that the core accounts
        # send, wherever community detection put them: an operator's slips reuse cards
        # across its rings, and the slips may cluster apart from their ring-mates
        t_acct, t_val = templates
        n_val = int(t_val.max()) + 1
        users = np.bincount(t_val, minlength=n_val)
        in_rings = np.bincount(t_val[ring[t_acct] > 0], minlength=n_val)
        by_core = np.bincount(t_val[core[t_acct]], minlength=n_val)
        private = ((by_core >= params.core_kit_min_core)
                   & (in_rings >= params.ring_template_owner_share * users))
        kit_tpl = np.zeros(ring.size, dtype=bool)
        kit_tpl[t_acct[private[t_val]]] = True
        kit |= kit_tpl
    use &= kit
    users_r = np.bincount(ring[use], minlength=n_r)
    ok = users_r >= params.kit_min_members
    ok[0] = False
    return use & ok[ring]


def toolkit_beside_core(family: np.ndarray, core: np.ndarray, params: RingParams,
                        templates: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Per account: its template family (`families.family_of`, -1 none), or one of its
    prompt templates (`templates`: distinct account, template code rows), is sent by at
    least `core_kit_min_core` accounts of a suspended core (`core`), and they are at least
    `toolkit_core_share` of its accounts (0: off). An operator's camouflaged accounts keep
    their own cards and carrier IPs, but not their own templates."""
    out = np.zeros(family.size, dtype=bool)
    if params.toolkit_core_share <= 0 or params.core_kit_min_core <= 0 or not core.any():
        return out

    def cored(acct: np.ndarray, val: np.ndarray) -> np.ndarray:
        n_v = int(val.max(initial=-1)) + 1
        users = np.bincount(val, minlength=n_v)
        by_core = np.bincount(val[core[acct]], minlength=n_v)
        ok = (by_core >= params.core_kit_min_core) & (by_core >= params.toolkit_core_share * users)
        return acct[ok[val]]

    has = np.flatnonzero(family >= 0)
    out[cored(has, family[has])] = True
    if templates is not None and templates[0].size:
        out[cored(templates[0], templates[1])] = True
    return out


@dataclass
class AccountVolume:
    """Each account's request volume, which no ring changes: read once per `score_rings`,
    not once per scoring pass. `exchanges` per account code (None: no request totals);
    `caps`: the capability rows' account codes, exchanges and whether each row's
    capability is a targeted one (None: no capability table)."""

    exchanges: np.ndarray | None
    caps: tuple[np.ndarray, np.ndarray, np.ndarray] | None


def account_volume(ds: Dataset, accounts: pd.Index) -> AccountVolume:
    """`AccountVolume` of `accounts` (codes: positions in `accounts`)."""
    caps = getattr(ds.requests, "capabilities", None)
    rows = None
    if caps is not None and len(caps):
        rows = (account_codes(accounts, caps["account_id"]),
                pd.to_numeric(caps["exchanges"], errors="coerce").fillna(0).to_numpy(np.float64),
                caps["capability"].astype("string").isin(TARGET_CAPABILITIES).fillna(False)
                .to_numpy())
    return AccountVolume(account_exchanges(ds, accounts), rows)


def _ring_behaviour(volume: AccountVolume, ring: np.ndarray, n_rings: int,
                    params: RingParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ring-level signals: (load-balanced volume, capability targeting) as booleans per ring,
    and per account whether its own volume is part of its ring's even split (within
    `load_balance_member_band` of the ring's median): a household caught in a load-balanced
    community does not share the operator's split."""
    lb = np.zeros(n_rings + 1, dtype=bool)
    cap = np.zeros(n_rings + 1, dtype=bool)
    own_lb = np.zeros(ring.size, dtype=bool)
    ex = volume.exchanges
    if ex is not None:
        m = ring > 0
        cnt = np.bincount(ring[m], minlength=n_rings + 1)
        med = group_median(ring[m], ex[m], n_rings + 1)
        mad = group_median(ring[m], np.abs(ex[m] - med[ring[m]]), n_rings + 1)
        # robust spread (MAD): a few accounts burned early must not hide the even split
        with np.errstate(divide="ignore", invalid="ignore"):
            cv = 1.4826 * mad / np.where(med > 0, med, np.inf)
        lb = ((cnt >= max(params.load_balance_min_size, params.min_ring_size))
              & (med >= params.load_balance_min_mean) & (cv <= params.load_balance_cv))
        with np.errstate(divide="ignore", invalid="ignore"):
            near = np.abs(ex - med[ring]) <= params.load_balance_member_band * med[ring]
        own_lb = m & lb[ring] & near
    if volume.caps is not None:
        code, ex, tgt = volume.caps
        ok = code >= 0
        r = np.where(ok, ring[np.where(ok, code, 0)], 0)
        tot = np.bincount(r, ex, minlength=n_rings + 1)
        hit = np.bincount(r, ex * tgt, minlength=n_rings + 1)
        base = hit[0] / max(tot[0], 1.0)  # share among accounts outside every ring
        share = hit / np.maximum(tot, 1.0)
        cap = (tot > 0) & (share >= params.capability_share) & (share >= base + params.capability_margin)
    lb[0] = cap[0] = False
    return lb, cap, own_lb


@dataclass
class TemplateGroups:
    """The (ring, template) groups of the distinct (account, template) rows in rings:
    `acct` and `group` per row; per group `own` (is it the ring's own template?),
    `members` (the ring's members sending it), `in_rings` (the template's users that are
    members of some ring) and `n_users` (all its users)."""

    acct: np.ndarray
    group: np.ndarray
    own: np.ndarray
    members: np.ndarray
    in_rings: np.ndarray
    n_users: np.ndarray

    def users(self, group_ok: np.ndarray, n: int) -> np.ndarray:
        """Per account code (`n` of them): it uses a template of a group `group_ok` marks."""
        out = np.zeros(n, dtype=bool)
        out[self.acct[group_ok[self.group]]] = True
        return out


def ring_templates(tpl_acct: np.ndarray, tpl_val: np.ndarray, ring: np.ndarray,
                   params: RingParams) -> TemplateGroups | None:
    """Which templates are their ring's own (`TemplateGroups.own`, none when
    `ring_template_share` is 0; None: no row in a ring). A template is the ring's own
    when most of the ring uses it (`ring_template_share` of its members, at least
    `min_ring_size`) and accounts in rings are most of its users (`ring_template_owner_share`).
    A template too popular to link pairs (over its hub cap) can still be an operator's tool:
    a public template is used mostly outside rings, an operator's template (one ring's, or
    shared by the rings of one campaign) is not.
    `tpl_acct`/`tpl_val` are distinct (account code, template code) rows."""
    if tpl_acct.size == 0:
        return None
    rv = _ring_values(tpl_acct, tpl_val, ring)
    if rv is None:
        return None
    m, inv, kr, kv, cnt, users = rv
    size = np.bincount(ring[ring > 0], minlength=int(ring.max()) + 1)
    # users in any ring: an operator's template is sent across the rings of its campaign
    in_rings = np.bincount(tpl_val[m], minlength=users.size)[kv]
    own = ((params.ring_template_share > 0) & (cnt >= max(params.min_ring_size, 1))
           & (cnt >= params.ring_template_share * size[kr])
           & (in_rings >= params.ring_template_owner_share * users[kv]))
    return TemplateGroups(tpl_acct[m], inv, own, cnt, in_rings, users[kv])


def _small_orgs(org: np.ndarray, max_seats: int) -> np.ndarray:
    """`org` with the organisations of more than `max_seats` accounts taken out (-1);
    `org` itself when `max_seats` is 0."""
    if max_seats <= 0 or not (org >= 0).any():
        return org
    seats = np.bincount(org[org >= 0])
    return np.where((org >= 0) & (seats[np.maximum(org, 0)] <= max_seats), org, -1)


def org_farm_templates(groups: TemplateGroups | None, org: np.ndarray,
                       params: RingParams, min_orgs: int | None = None) -> np.ndarray:
    """Per account: it uses a ring template (`ring_templates`) that members of at least
    `org_farm_min_orgs` of its ring's organisations use (`org`: organisation code per
    account, -1 none). A company's own template stays inside it and a public one is used
    mostly outside rings; one private template across many small organisations of one ring
    is an operator's kit behind fake startups."""
    if groups is None or params.org_farm_min_orgs <= 0:
        return np.zeros(org.size, dtype=bool)
    u = org[groups.acct]
    has = u >= 0
    width = int(org.max()) + 1
    # distinct (template group, organisation) pairs, counted per group
    pairs = np.unique(groups.group[has].astype(np.int64) * width + u[has])
    orgs = np.bincount(pairs // width, minlength=groups.own.size)
    need = params.org_farm_min_orgs if min_orgs is None else min_orgs
    return groups.users(groups.own & (orgs >= need), org.size)


def _ring_values(acct: np.ndarray, val: np.ndarray, ring: np.ndarray
                 ) -> tuple[np.ndarray, ...] | None:
    """How many of each ring's members use each value, from distinct (account, value) rows:
    the rows in rings (mask), each row's (ring, value) group, each group's ring, value and
    member count, and every value's users in all. None when no row is in a ring."""
    n_val = int(val.max()) + 1
    users = np.bincount(val, minlength=n_val)
    r = ring[acct]
    m = r > 0
    if not m.any():
        return None
    key = r[m].astype(np.int64) * n_val + val[m]
    uk, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
    return m, inv, uk // n_val, uk % n_val, cnt, users


def ring_pool(ip_acct: np.ndarray, ip_val: np.ndarray, ring: np.ndarray,
              params: RingParams, interactive: np.ndarray | None = None) -> np.ndarray:
    """Per account: it uses at least `pool_wide_min` addresses its ring owns. An address is
    the ring's when at least `ring_pool_min_users` of its members use it and they are at
    least `ring_pool_owner_share` of its users. An operator's proxy exits can each carry
    more of its accounts than the pool links count (`pool_wide_cap`), but nobody else is
    behind them; a carrier's or a cloud's exit is shared with strangers of other rings and
    of none. With `ring_pool_pieces`, the members of every ring that uses an address
    `ring_pool_min_users` times or more count as its owners together: on a 1M-account
    platform the raised resolution cuts a 1,800-account SIM farm on 31 carrier exits into
    21 rings of ~100, each ~6 % of every exit's users, with the farm ~98 % of them. A
    stranger's community does not crowd a carrier exit. `ip_acct`/`ip_val` are distinct
    (account code, IP code) rows. `interactive` (per IP code, `evidence.interactive_ips`):
    one of the account's owned addresses must be one people sign up or log in from, as for
    pool links (`links._meet_interactive`)."""
    own = np.zeros(ring.size, dtype=bool)
    if ip_acct.size == 0 or params.ring_pool_min_users <= 0 or params.pool_wide_min <= 0:
        return own
    rv = _ring_values(ip_acct, ip_val, ring)
    if rv is None:
        return own
    m, inv, _, kv, cnt, users = rv
    crowding = cnt >= params.ring_pool_min_users
    owners = (np.bincount(kv[crowding], cnt[crowding], minlength=users.size)[kv]
              if params.ring_pool_pieces else cnt)
    owned = crowding & (owners >= params.ring_pool_owner_share * users[kv])
    rows = owned[inv]
    per_account = np.bincount(ip_acct[m][rows], minlength=ring.size)
    out = per_account >= params.pool_wide_min
    if interactive is not None:
        live = rows & interactive[ip_val[m]]
        out &= np.bincount(ip_acct[m][live], minlength=ring.size) > 0
    return out


def score_rings(ps: PairSet, labels: np.ndarray, accounts: pd.Index, ds: Dataset,
                allowed_accounts: np.ndarray, params: RingParams,
                templates: tuple[np.ndarray, np.ndarray] | None = None,
                schedule: PairSet | None = None, family: np.ndarray | None = None,
                cohort: np.ndarray | None = None,
                rotating: np.ndarray | None = None,
                ips: tuple[np.ndarray, np.ndarray] | None = None,
                interactive: np.ndarray | None = None,
                org: np.ndarray | None = None,
                strong: tuple[np.ndarray, np.ndarray] | None = None,
                org_sitting: np.ndarray | None = None,
                card_wave: np.ndarray | None = None,
                phone_blocks: tuple[np.ndarray, np.ndarray] | None = None,
                clock: DailyClock | None = None,
                affiliation: np.ndarray | None = None,
                backend: np.ndarray | None = None,
                campus: np.ndarray | None = None,
                ) -> tuple[RingResult, np.ndarray]:
    """Members and rings with scores, actions and reasons; also the final ring per code
    (0 = not in a ring). `allowed_accounts` is a boolean per account code.

    Communities only propose rings: each member is kept (flagged) or dropped on its *own*
    evidence (`flag_accounts`), then communities left with fewer than `min_ring_size`
    flagged members are dropped. Twice, since dropping members changes the others' links.
    `templates`: distinct (account code, prompt template code) rows, for `ring_templates`;
    `schedule`: schedule-neighbour pairs (`timing.schedule_neighbours`), for RING_SCHEDULE;
    `family`: template family per account code (`families.family_of`), for `ring_family`;
    `cohort`: low-and-slow cohort per account code (`cohorts.cohort_of`), likewise;
    `rotating`: per account code, its own connections hop across networks (`ip_rotation`);
    `ips`: distinct (account code, IP code) rows, and `interactive` (per IP code,
    `evidence.interactive_ips`), for `ring_pool`;
    `org`, `strong`: organisation per account code and distinct (account code, value key)
    rows of the strong identifiers, and whether each account signed up in one sitting with
    its organisation (`links.org_sitting`), for `_org_farm`; `card_wave`: per account code,
    it added a late card in a wave (`timing.card_waves`), for `kit_beside_core`;
    `phone_blocks`: distinct (account code, block code) rows of the dense phone blocks
    (`evidence.dense_blocks`), for `block_mates`; `clock`: the hours of the day the
    template families' accounts and the platform work (`timing.daily_clock`), and
    `affiliation`: organisation code per account whatever links it explains, and `backend`
    (`evidence.behind_backend`), for `toolkit_flags`; `campus`: per account, the campus
    that explains what its students share (-1: none; `links.campus_domains`), for its
    slips."""
    labels = prune_members(ps, labels, params, schedule, family, cohort)
    volume = account_volume(ds, accounts)
    for _ in range(2):
        _, ring, flag = _score(ps, labels, accounts, volume, allowed_accounts, params, templates,
                               schedule, family, cohort, rotating, ips, org, strong, org_sitting,
                               card_wave, phone_blocks, clock, affiliation,
                               interactive=interactive, backend=backend,
                               campus=campus)
        labels = np.where(flag & (ring > 0), ring, -1)
        ok = labels >= 0
        counts = np.bincount(labels[ok], minlength=int(labels.max(initial=0)) + 1)
        labels[ok & (counts[np.where(ok, labels, 0)] < params.min_ring_size)] = -1
    result, ring, _ = _score(ps, labels, accounts, volume, allowed_accounts, params, templates,
                             schedule, family, cohort, rotating, ips, org, strong, org_sitting,
                             card_wave, phone_blocks, clock, affiliation,
                             interactive=interactive, backend=backend,
                             campus=campus)
    if ips is not None and params.sleeper_min_exits > 0:
        ex = volume.exchanges
        result, ring = add_sleepers(result, ring, accounts, ips, allowed_accounts, params,
                                    quiet=None if ex is None else ex <= 0)
    return result, ring


def account_exchanges(ds: Dataset, accounts: pd.Index) -> np.ndarray | None:
    """Exchanges per account code in the request window (None: no request totals)."""
    totals = getattr(ds.requests, "totals", None)
    if totals is None or len(totals) == 0:
        return None
    ex = np.zeros(len(accounts))
    code = account_codes(accounts, totals["account_id"])
    ok = code >= 0
    ex[code[ok]] = pd.to_numeric(totals["exchanges"], errors="coerce").fillna(0).to_numpy()[ok]
    return ex


def exit_sleepers(ring: np.ndarray, ip_acct: np.ndarray, ip_val: np.ndarray,
                  allowed: np.ndarray, params: RingParams,
                  quiet: np.ndarray | None = None) -> np.ndarray:
    """Per account code, the ring whose private exits it connects through (0: none).

    An exit of ring R: an IP that at least `exits_min_ring` of R's members use, no other
    ring's, with at most `exits_max_other_share` of its accounts outside R (a carrier's
    NAT or a VPN exit has thousands of strangers; a residential proxy exit through a real
    home has its resident). An account in no ring, not allow-listed, with at least
    `sleeper_min_exits` of one ring's exits making up at least `sleeper_min_exit_share` of
    its IPs is that ring's; a `quiet` one (no exchange in the window) with
    `sleeper_quiet_exit_share` of its IPs on them too: an operator's reserve sits silent, a
    carrier's customer who meets a SIM farm's NAT among the rest of the carrier's pool uses
    the platform. `ip_acct`, `ip_val`: distinct (account code, IP code) rows."""
    n = ring.size
    out = np.zeros(n, dtype=np.int64)
    if params.sleeper_min_exits <= 0 or ip_acct.size == 0:
        return out
    rv = _ring_values(ip_acct, ip_val, ring)
    if rv is None:
        return out
    m, _, kr, kv, cnt, users = rv
    sole = np.bincount(kv, minlength=users.size)[kv] == 1  # no other ring's members use it
    exits = (sole & (cnt >= params.exits_min_ring)
             & (users[kv] - cnt <= params.exits_max_other_share * users[kv]))
    exit_ring = np.zeros(users.size, dtype=np.int64)
    exit_ring[kv[exits]] = kr[exits]
    cand = ~m & (exit_ring[ip_val] > 0) & ~allowed[ip_acct]
    if not cand.any():
        return out
    width = int(ring.max()) + 1
    key, count = np.unique(ip_acct[cand].astype(np.int64) * width + exit_ring[ip_val[cand]],
                           return_counts=True)
    ka, kr = key // width, key % width
    best = first_group(n, ka, kr, count)  # per account, the ring with the most exits
    top = kr == best[ka]
    n_exits = np.zeros(n, dtype=np.int64)
    n_exits[ka[top]] = count[top]
    own = np.bincount(ip_acct, minlength=n)
    share = params.sleeper_min_exit_share
    if quiet is not None:
        share = np.where(quiet, min(share, params.sleeper_quiet_exit_share), share)
    ok = (n_exits >= params.sleeper_min_exits) & (n_exits >= share * own)
    out[ok] = best[ok]
    return out


def add_sleepers(result: RingResult, ring: np.ndarray, accounts: pd.Index,
                 ips: tuple[np.ndarray, np.ndarray], allowed: np.ndarray,
                 params: RingParams,
                 quiet: np.ndarray | None = None) -> tuple[RingResult, np.ndarray]:
    """Review the accounts on a ring's private exits (`exit_sleepers`) with that ring:
    reason RING_EXITS only, score 1 - exp(-`exits_value`), never suspended. The ring's size
    and reasons take them in; its score, density and strong share stay those of its
    flagged members' links."""
    s = exit_sleepers(ring, ips[0], ips[1], np.asarray(allowed, dtype=bool), params, quiet)
    idx = np.flatnonzero(s > 0)
    if idx.size == 0:
        return result, ring
    ring = ring.copy()
    ring[idx] = s[idx]
    extra = pd.DataFrame({
        "account_id": pd.array(accounts.to_numpy()[idx], dtype="string"),
        "ring": s[idx].astype(np.int64),
        "score": round(float(1 - np.exp(-params.exits_value)), 4),
        "action": pd.array(["review"] * idx.size, dtype="string"),
        "reasons": pd.array(["RING_EXITS"] * idx.size, dtype="string"),
    })
    members = pd.concat([result.members, extra], ignore_index=True)
    members = members.iloc[np.argsort(accounts.get_indexer(members["account_id"]),
                                      kind="stable")].reset_index(drop=True)
    rings = result.rings.copy()
    added = np.bincount(s[idx], minlength=int(rings["ring"].max()) + 1)[rings["ring"]]
    rings["size"] = (rings["size"] + added).astype(np.int64)
    masks = encode_series(rings["reasons"]) | np.where(added > 0, BIT["RING_EXITS"], 0).astype(
        np.uint32)
    rings["reasons"] = pd.array(decode_array(masks), dtype="string")
    return RingResult(members=members, rings=rings), ring


def family_schedule(schedule: PairSet, family: np.ndarray, params: RingParams) -> np.ndarray:
    """Per account: at least `ring_schedule_mates` of its close schedule neighbours (Jaccard ≥
    `ring_schedule_min_jaccard`) use its template family. One operator runs all the rings of
    a big campaign on one scheduler, so an account's nearest schedules are spread over the
    whole campaign, not its own ring; they are still the operator's accounts."""
    close = (schedule.w >= params.ring_schedule_min_jaccard) & (family[schedule.a] >= 0) & (
        family[schedule.a] == family[schedule.b])
    n = family.size
    mates = np.bincount(schedule.a[close], minlength=n) + np.bincount(schedule.b[close], minlength=n)
    return mates >= params.ring_schedule_mates


def ring_schedule(schedule: PairSet, ring: np.ndarray, params: RingParams) -> np.ndarray:
    """Per account: at least `ring_schedule_mates` of its nearest schedules (schedule
    neighbours with Jaccard ≥ `ring_schedule_min_jaccard`), and at least
    `ring_schedule_majority` of them, are ring-mates. A noisy shared
    scheduler misses the lockstep thresholds pair by pair, but an operator's account still
    resembles its ring-mates more than anyone else on the same infrastructure; a stranger
    caught in the community by a shared address does not."""
    close = schedule.w >= params.ring_schedule_min_jaccard
    same = close & (ring[schedule.a] > 0) & (ring[schedule.a] == ring[schedule.b])
    n = ring.size
    mates = np.bincount(schedule.a[same], minlength=n) + np.bincount(schedule.b[same], minlength=n)
    near = np.bincount(schedule.a[close], minlength=n) + np.bincount(schedule.b[close], minlength=n)
    return (mates >= params.ring_schedule_mates) & (mates >= params.ring_schedule_majority * near)


def schedule_flags(mmask: np.ndarray, flag: np.ndarray, ring: np.ndarray,
                   params: RingParams, targeting: np.ndarray | None = None,
                   in_family: np.ndarray | None = None,
                   in_cohort: np.ndarray | None = None) -> np.ndarray:
    """Accounts flagged by their ring's schedule: RING_SCHEDULE plus a second sign (a network
    or billing link, a burst, a rare template or proxy pool, strong identity), only in a ring
    whose members' own evidence (`flag`, the other rules) already flags at least
    `ring_schedule_ring_share` of them. An office or a class on one timetable, sharing an
    e-mail domain or an egress IP and nothing an operator does, is flagged by nobody else,
    so its shared hours flag nobody either.

    `targeting` (per ring: its traffic targets the capabilities a distillation campaign is
    after) opens the gate for a noisy stealth ring that nothing else flags: an account on
    its ring's schedule that also uses the ring's own prompt template and has a network
    link or burst of its own (never one explained by a shared organisation) is flagged. So is
    one on its schedule that belongs to its ring's template family (`in_family`,
    `ring_family`): the operator's whole toolkit stands in for the network link. And, in
    any ring, one on its schedule that belongs to its ring's low-and-slow cohort
    (`in_cohort`: one template paid with many cards of one BIN, `cohorts`): a rare BIN, a
    shared template and synchronised hours are what such an operator cannot hide."""
    sched = (mmask & BIT["RING_SCHEDULE"]) > 0
    second = (mmask & (MEDIUM_MASK | STRONG_MASK | BIT["SIGNUP_BURST"] | _PROXY_MASK
                       | BIT["SHARED_PROMPT_TEMPLATE"])) > 0
    m = ring > 0
    size = np.bincount(ring[m], minlength=int(ring.max(initial=0)) + 1)
    flagged = np.bincount(ring[m], flag[m].astype(float), minlength=size.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(size > 0, flagged / size, 0.0)
    out = m & sched & second & (share[ring] >= params.ring_schedule_ring_share)
    if targeting is not None and params.ring_schedule_targeting:
        template = (mmask & BIT["SHARED_PROMPT_TEMPLATE"]) > 0
        network = (mmask & (MEDIUM_MASK | BIT["SIGNUP_BURST"] | _PROXY_MASK)) > 0
        org = (mmask & BIT["SAME_ORGANISATION"]) > 0
        out |= m & sched & template & network & ~org & targeting[ring]
        if in_family is not None:
            out |= m & sched & in_family & ~org & targeting[ring]
    if in_cohort is not None:
        out |= m & sched & in_cohort & ((mmask & BIT["SAME_ORGANISATION"]) == 0)
    return out


# what one person's several accounts do not do: a scheduler's hours, an API key shared
# across accounts, an operator's proxy pool
_OPERATOR_PATTERN_MASK = np.uint32(BIT["LOCKSTEP_HOURS"] | BIT["SHARED_API_KEY"]
                                   | BIT["PROXY_IP_POOL"])
_PERSONAL_KINDS = np.array([KIND_CODE["email"], KIND_CODE["phone"]])


def one_person_cores(comp: np.ndarray, csize: np.ndarray, in_ring: np.ndarray,
                     strong: tuple[np.ndarray, np.ndarray], max_accounts: int) -> np.ndarray:
    """Per strong-core component: at most `max_accounts` accounts, every one of them with the
    same e-mail address or phone number (`strong`: distinct (account code, value key) rows,
    the key's remainder by len(KINDS) its kind). An operator gives each account its own
    mailbox and number, or shares one among many; a person's second to sixth accounts
    (free-tier cycling, +tag and dot variants) share theirs."""
    acct, key = strong
    sel = in_ring[acct] & np.isin(key % len(KINDS), _PERSONAL_KINDS)
    person = np.zeros(csize.size, dtype=bool)
    if not sel.any():
        return person
    # components numbered from 1 as rings are, values densely: `_ring_values` counts the
    # component's accounts on each value
    value = np.unique(key[sel], return_inverse=True)[1]
    counted = _ring_values(acct[sel], value, np.where(in_ring, comp + 1, 0))
    if counted is None:
        return person
    _, _, group_comp, _, cnt, _ = counted
    most = np.zeros(csize.size, dtype=np.int64)
    np.maximum.at(most, group_comp - 1, cnt)
    return (most == csize) & (csize <= max_accounts)


def block_mates(blocks: tuple[np.ndarray, np.ndarray], ring: np.ndarray,
                params: RingParams) -> np.ndarray:
    """Per account: its phone number is in a dense block (`blocks`: distinct (account code,
    block code) rows) with those of at least `min_ring_size - 1` ring-mates. A SIM farm signs
    up one account per number of the block it bought, so its ring's accounts meet in the
    block as on a shared device; two strangers' numbers rarely fall in one block of 100, and
    a block as such links no one (it would tie a farm to every stranger near its numbers)."""
    acct, block = blocks
    out = np.zeros(ring.size, dtype=bool)
    rv = _ring_values(acct, block.astype(np.int64), ring) if acct.size else None
    if rv is None:
        return out
    m, inv, _, _, cnt, _ = rv
    out[acct[m][cnt[inv] >= max(params.min_ring_size, 2)]] = True
    return out


def _lab_signup(mmask: np.ndarray) -> np.ndarray:
    """Per account: a class on its lab's PCs, seen from its own links: a sign-up burst and a
    shared device, with no other kind of strong identifier shared."""
    return (((mmask & BIT["SIGNUP_BURST"]) > 0) & ((mmask & BIT["SHARED_DEVICE"]) > 0)
            & ((mmask & (STRONG_MASK & ~BIT["SHARED_DEVICE"])) == 0))


def shift_rings(clock: DailyClock, members: np.ndarray, ring: np.ndarray,
                params: RingParams) -> np.ndarray:
    """Per ring: the accounts `members` marks in it work one shift. Of their work (each
    account's hours of the day as shares of its own, `timing.daily_clock`), the share
    outside their busiest `toolkit_shift_hours` of the UTC day is at most
    `toolkit_shift_ratio` times the platform's share outside those same hours. Strangers
    keep their own clocks, spread like the platform's; an operator's accounts, whatever
    country each claims, keep the operator's."""
    n_r = int(ring.max(initial=0)) + 1
    out = np.zeros(n_r, dtype=bool)
    k = params.toolkit_shift_hours
    if params.toolkit_shift_ratio <= 0 or not 0 < k < 24:
        return out
    sel = members[clock.who] & (ring[clock.who] > 0)
    r = ring[clock.who[sel]]
    prof = np.zeros((n_r, 24))
    np.add.at(prof, r, clock.profile[sel])
    if not prof.any():
        return out

    def windows(p: np.ndarray) -> np.ndarray:
        """Work in each window of k hours, by its first hour (wrapping at midnight)."""
        c = np.cumsum(np.concatenate([np.zeros(p.shape[:-1] + (1,)), p, p[..., :k - 1]],
                                     axis=-1), axis=-1)
        return c[..., k:k + 24] - c[..., :24]

    win = windows(prof)
    start = win.argmax(axis=1)
    total = prof.sum(axis=1)
    pop = clock.population.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        outside = 1.0 - win[np.arange(n_r), start] / total
        pop_outside = 1.0 - windows(pop)[start] / max(pop.sum(), 1.0)
    out = (total > 0) & (outside <= params.toolkit_shift_ratio * pop_outside)
    out[0] = False
    return out


def _shared_affiliation(members: np.ndarray, ring: np.ndarray,
                        affiliation: np.ndarray) -> np.ndarray:
    """Per account: `members` marks it and at least one other account `members` marks in
    its ring has its organisation (`affiliation`: organisation code per account, -1 none)."""
    out = np.zeros(ring.size, dtype=bool)
    m = np.flatnonzero(members & (affiliation >= 0) & (ring > 0))
    if not m.size:
        return out
    key = ring[m].astype(np.int64) * (int(affiliation.max()) + 1) + affiliation[m]
    _, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
    out[m[cnt[inv] >= 2]] = True
    return out


def _backend_share(members: np.ndarray, ring: np.ndarray, backend: np.ndarray,
                   n_rings: int) -> np.ndarray:
    """Per ring: the share of its `members` that call through a backend."""
    n = np.bincount(ring[members], minlength=n_rings)
    via = np.bincount(ring[members & backend], minlength=n_rings)
    return via / np.maximum(n, 1)


def own_template_users(groups: TemplateGroups | None, n: int, params: RingParams
                       ) -> np.ndarray:
    """Per account code (`n` of them): it sends a template of its own ring's
    (`ring_templates`' groups), one that at least `min_ring_size` of the ring's members send
    and whose users are rings' members, at least `toolkit_own_template_share` of them (all
    True when that is 0): a public template's users are mostly outside any ring, an
    operator's template is sent across the rings of its campaign."""
    if params.toolkit_own_template_share <= 0:
        return np.ones(n, dtype=bool)
    if groups is None:
        return np.zeros(n, dtype=bool)
    return groups.users((groups.members >= max(params.min_ring_size, 1))
                        & (groups.in_rings >= params.toolkit_own_template_share * groups.n_users),
                        n)


def toolkit_flags(mmask: np.ndarray, in_family: np.ndarray, strong_peers: np.ndarray,
                  ring: np.ndarray, params: RingParams,
                  clock: DailyClock | None = None,
                  affiliation: np.ndarray | None = None,
                  backend: np.ndarray | None = None,
                  own_template: np.ndarray | None = None) -> np.ndarray:
    """Accounts flagged by their ring's own toolkit: a member of the ring's template family
    (`ring_family`: prompt templates its users use together and few others do), in a ring
    where at least `toolkit_min_slips` family members, and `toolkit_min_slip_share` of
    them, share a card, device, phone or e-mail that no organisation or company domain
    explains (`strong_peers`), or where at least
    `toolkit_shift_min` family members, nearly all (`toolkit_shift_unexplained`) outside
    any organisation or company domain, work one shift (`shift_rings`; `clock`: the
    family members' and the platform's hours of the day). For the shift an organisation
    explains its members even when its internal links were dropped (`affiliation`:
    organisation code per account, whatever links it explains; an established class's
    students on personal mailboxes keep their course's hours), and a member calling through
    an app's backend (`backend`, `evidence.behind_backend`) keeps its app's hours: neither
    counts towards the shift. A camouflaged operator's
    accounts look like consumers one by one: own cards, mobile IPs, no timing of their
    own; its private templates and the few slips where it reused a device, or the one
    clock its scheduler keeps, are what tie them. A company's template set comes with its
    domain and organisation (never flagged here); a class on its lab's PCs with its course
    templates signs up in a burst on one device kind, and a ring whose family is mostly
    that is left alone (inside any other toolkit ring, such a member is flagged like the
    rest with `toolkit_lab_members`). A ring whose family members call through an app's
    backend (`toolkit_backend_share` of them) is the app's users: no toolkit. Only a member
    sending one of its ring's own templates (`own_template`, `own_template_users`) is
    flagged: a public template's users that the family's public templates brought in
    are not the operator's. Review only on its own: beside a suspended core
    sending the same family or template it is suspended (`toolkit_beside_core`)."""
    org = (mmask & (BIT["SAME_ORGANISATION"] | BIT["RARE_EMAIL_DOMAIN"])) > 0
    lab = _lab_signup(mmask)
    in_ring_family = (ring > 0) & in_family
    fam = in_ring_family & ~org
    n_r = int(ring.max(initial=0)) + 1
    size = np.bincount(ring[fam], minlength=n_r)
    slips = np.bincount(ring[fam], (strong_peers[fam] > 0).astype(float), minlength=n_r)
    labs = np.bincount(ring[fam], lab[fam].astype(float), minlength=n_r)
    ok = ((slips >= params.toolkit_min_slips) & (params.toolkit_min_slips > 0)
          & (slips >= params.toolkit_min_slip_share * size))
    shift = np.zeros(n_r, dtype=bool)
    loose = fam
    if clock is not None and params.toolkit_shift_min > 0:
        if affiliation is not None:
            loose = fam & ~_shared_affiliation(in_ring_family, ring, affiliation)
        if backend is not None:
            loose = loose & ~backend
        whole = np.bincount(ring[in_ring_family], minlength=n_r)
        n_loose = np.bincount(ring[loose], minlength=n_r)
        shift = ((n_loose >= params.toolkit_shift_min)
                 & (n_loose >= params.toolkit_shift_unexplained * whole)
                 & shift_rings(clock, loose, ring, params))
    ok &= labs < 0.5 * np.maximum(size, 1)
    shift &= labs < 0.5 * np.maximum(size, 1)
    if backend is not None and params.toolkit_backend_share > 0:
        app = _backend_share(in_ring_family, ring, backend, n_r) >= params.toolkit_backend_share
        ok &= ~app
        shift &= ~app
    ok[0] = shift[0] = False
    # inside a ring that is no class, a member that signed up in a burst on a shared
    # device is the operator's device slip like the others (with `toolkit_lab_members`)
    slipped = fam & ok[ring] & (~lab | params.toolkit_lab_members)
    flagged = slipped | (~lab & loose & shift[ring])
    return flagged if own_template is None else flagged & own_template


def flag_accounts(mmask: np.ndarray, n_strong_peers: np.ndarray, own_lb: np.ndarray,
                  params: RingParams) -> np.ndarray:
    """Which accounts an account's own evidence flags (review or suspend), given its own
    link reasons `mmask`, how many ring-mates it shares a strong identifier with, and
    whether its own volume is part of its ring's even split (`own_lb`).

    - strong identity (card, device, phone, e-mail, API key) plus operator timing (own
      sign-up burst or lockstep hours, or its share of the ring's load-balanced volume);
      a device shared in a sign-up burst is what a class in a computer lab or a café's
      customers look like, so device and burst alone need a second strong kind or a proxy
      (`device_burst_alone` restores the old rule);
    - own lockstep hours plus any second sign: identity, a burst, a shared rare template
      (or its ring's own template, `ring_templates`) or proxy pool, load balancing;
    - a proxy pool (three or more rare IPs shared with one ring-mate) or its own IP
      rotation across networks, plus a shared rare template, a burst or strong identity;
    - its share of a load-balanced volume plus an own burst, template, proxy pool or network
      link;
    - a strong identifier shared with at least `identity_only_min_size - 1` ring-mates, not
      counting those of its own rare e-mail domain or organisation (`n_strong_peers`), with
      `identity_only_min_kinds` kinds of strong identifier, a rare shared address, a
      template or a proxy: one card paying for many strangers who share nothing else is a
      payment reseller's.
    Never: weak links alone (shared subnet, ASN, e-mail domain; shared egress IPs link
    nothing at all), a household's shared card, an event's sign-up burst on a venue IP."""
    strong = (mmask & STRONG_MASK) > 0
    medium = (mmask & MEDIUM_MASK) > 0
    burst = (mmask & BIT["SIGNUP_BURST"]) > 0
    lock = (mmask & BIT["LOCKSTEP_HOURS"]) > 0
    template = (mmask & BIT["SHARED_PROMPT_TEMPLATE"]) > 0
    pool = (mmask & _PROXY_MASK) > 0
    pattern = template | pool
    # a rare address shared too (a card's billing postal code restates the card)
    address = (mmask & (BIT["SHARED_IP"] | BIT["SHARED_SIGNUP_IP"])) > 0
    beyond_device = (mmask & (STRONG_MASK & ~BIT["SHARED_DEVICE"])) > 0
    burst_ok = burst & (beyond_device | pool | params.device_burst_alone)
    # a class on its lab's PCs: one device kind, its sign-up hour, and (beside them) its
    # starter template and the campus address, however many students it has (used only
    # beside shared strong identity, so "no other kind" means the device)
    lab = _lab_signup(mmask) & (not params.device_burst_alone)
    return ((strong & (burst_ok | lock | own_lb))
            | (lock & (strong | medium | burst | pattern | own_lb))
            | (pool & (template | burst | strong))
            | (own_lb & (burst | pattern | medium))
            | ((n_strong_peers >= max(params.identity_only_min_size - 1, 1))
               & ((_strong_kinds(mmask) >= params.identity_only_min_kinds) | pool
                  | ((template | address) & ~lab))))


def _degree(e: PairSet, mask: np.ndarray, n: int) -> np.ndarray:
    """Per account code: how many of the pairs `mask` selects it is in."""
    return np.bincount(e.a[mask], minlength=n) + np.bincount(e.b[mask], minlength=n)


def _score(ps: PairSet, labels: np.ndarray, accounts: pd.Index, volume: AccountVolume,
           allowed_accounts: np.ndarray, params: RingParams,
           templates: tuple[np.ndarray, np.ndarray] | None = None,
           schedule: PairSet | None = None, family: np.ndarray | None = None,
           cohort: np.ndarray | None = None, rotating: np.ndarray | None = None,
           ips: tuple[np.ndarray, np.ndarray] | None = None,
           org: np.ndarray | None = None, strong: tuple[np.ndarray, np.ndarray] | None = None,
           org_sitting: np.ndarray | None = None, card_wave: np.ndarray | None = None,
           phone_blocks: tuple[np.ndarray, np.ndarray] | None = None,
           clock: DailyClock | None = None, affiliation: np.ndarray | None = None,
           interactive: np.ndarray | None = None, backend: np.ndarray | None = None,
           campus: np.ndarray | None = None,
           ) -> tuple[RingResult, np.ndarray, np.ndarray]:
    ring = renumber(labels)
    n_rings = int(ring.max(initial=0))
    n = ring.size
    inside = (ring[ps.a] > 0) & (ring[ps.a] == ring[ps.b])
    e = ps.take(inside)
    er = ring[e.a]

    size = np.bincount(ring, minlength=n_rings + 1).astype(np.float64)
    size[0] = 0
    n_edges = np.bincount(er, minlength=n_rings + 1).astype(np.float64)
    strong_edge = (e.bits & STRONG_MASK) > 0
    n_strong = np.bincount(er, strong_edge.astype(float), minlength=n_rings + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(size > 1, 2 * n_edges / (size * (size - 1)), 0.0)
        strong_share = np.where(n_edges > 0, n_strong / n_edges, 0.0)

    # member reason masks: OR of the member's internal links
    mmask = np.zeros(n, dtype=np.uint32)
    np.bitwise_or.at(mmask, e.a, e.bits)
    np.bitwise_or.at(mmask, e.b, e.bits)
    in_ring = ring > 0
    # the ring's own template counts as a shared template
    tpl_groups = (ring_templates(templates[0], templates[1], ring, params)
                  if templates is not None else None)
    if tpl_groups is not None:
        own_tpl = in_ring & tpl_groups.users(tpl_groups.own, n)
        mmask |= np.where(own_tpl, BIT["SHARED_PROMPT_TEMPLATE"], 0).astype(np.uint32)
    in_family = np.zeros(n, dtype=bool)
    if family is not None:  # the ring's own template family, too
        in_family = ring_family(family, ring, params)
        mmask |= np.where(in_family, BIT["SHARED_PROMPT_TEMPLATE"], 0).astype(np.uint32)
    in_cohort = np.zeros(n, dtype=bool)
    if cohort is not None:  # the ring's own low-and-slow cohort: template and BIN
        in_cohort = ring_family(cohort, ring, params)
        mmask |= np.where(in_cohort, BIT["SHARED_PROMPT_TEMPLATE"] | BIT["CARD_BIN_COHORT"],
                          0).astype(np.uint32)
    if schedule is not None and len(schedule):
        on_schedule = ring_schedule(schedule, ring, params)
        if family is not None and params.family_schedule:
            on_schedule |= in_family & family_schedule(schedule, family, params)
        if cohort is not None:
            on_schedule |= in_cohort & family_schedule(schedule, cohort, params)
        mmask |= np.where(in_ring & on_schedule, BIT["RING_SCHEDULE"], 0).astype(np.uint32)
    if phone_blocks is not None:  # identity shared with ring-mates, read inside rings only
        mates = block_mates(phone_blocks, ring, params) & (
            (mmask & (BIT["SAME_ORGANISATION"] | BIT["RARE_EMAIL_DOMAIN"])) == 0)
        mmask |= np.where(mates, BIT["SHARED_PHONE_BLOCK"], 0).astype(np.uint32)
    if card_wave is not None:  # likewise, of the account's own payments
        mmask |= np.where(in_ring & card_wave, BIT["CARD_WAVE"], 0).astype(np.uint32)
    if rotating is not None:  # an attribute of the account's own traffic, not of a link
        mmask |= np.where(in_ring & rotating, BIT["IP_ROTATION"], 0).astype(np.uint32)
    if ips is not None:  # the ring's own proxy pool, beyond what pool links count
        pooled = in_ring & ring_pool(ips[0], ips[1], ring, params, interactive) & (
            (mmask & BIT["SAME_ORGANISATION"]) == 0)
        mmask |= np.where(pooled, BIT["PROXY_IP_POOL"], 0).astype(np.uint32)
    rmask = np.zeros(n_rings + 1, dtype=np.uint32)
    np.bitwise_or.at(rmask, ring[in_ring], mmask[in_ring])

    lb, cap, own_lb = _ring_behaviour(volume, ring, n_rings, params)
    rmask |= np.where(lb, BIT["LOAD_BALANCED_VOLUME"], 0).astype(np.uint32)
    rmask |= np.where(cap, BIT["CAPABILITY_TARGETING"], 0).astype(np.uint32)
    allowed_ring = np.zeros(n_rings + 1, dtype=bool)
    np.logical_or.at(allowed_ring, ring[in_ring], allowed_accounts[in_ring])
    rmask |= np.where(allowed_ring, BIT["ALLOWLISTED"], 0).astype(np.uint32)
    rmask[0] = 0

    # each account's own evidence decides: flagged, and how strongly
    # a card or device shared with ring-mates of one rare e-mail domain (a company's, a
    # university's) or one organisation is explained by it: no farm on identity alone
    explained = (e.bits & (BIT["RARE_EMAIL_DOMAIN"] | BIT["SAME_ORGANISATION"])) > 0
    farm_edge = strong_edge & ~(explained & params.domain_explains_identity)
    strong_peers = _degree(e, farm_edge, n)
    kit_peers, slip_edge = strong_peers, farm_edge
    if campus is not None and params.toolkit_campus_explains:
        # a lab PC two students of one university share is their campus's
        slip_edge = slip_edge & ~same_group(campus, e.a, e.b)
    if affiliation is not None and org is not None and params.toolkit_institution_devices:
        # ... and one two members of an established organisation share (`org` is -1 where
        # its links are dropped) is its lab's; a card or a phone is no lab's
        device_only = (e.bits & STRONG_MASK) == BIT["SHARED_DEVICE"]
        slip_edge = slip_edge & ~(device_only
                                  & same_group(np.where(org < 0, affiliation, -1), e.a, e.b))
    if slip_edge is not farm_edge:
        kit_peers = _degree(e, slip_edge, n)
    flag = in_ring & flag_accounts(mmask, strong_peers, own_lb, params)
    flag |= schedule_flags(mmask, flag, ring, params, cap,
                           in_family if params.family_schedule else None, in_cohort)
    own_template = (own_template_users(tpl_groups, n, params)
                    if templates is not None else None)
    shift_affiliation = affiliation
    if campus is not None and params.toolkit_campus_shift and (campus >= 0).any():
        # a campus's students keep their classes' hours, org_id or not
        base = affiliation if affiliation is not None else np.full(campus.size, -1, np.int64)
        offset = int(base.max(initial=-1)) + 1
        shift_affiliation = np.where(base >= 0, base, np.where(campus >= 0, campus + offset, -1))
    toolkit = toolkit_flags(mmask, in_family, kit_peers, ring, params, clock, shift_affiliation,
                            backend, own_template)
    flag |= toolkit
    own_timing = ((mmask & _PAIR_BEHAVIOUR_MASK) > 0) | own_lb
    # a fake startup's seat is flagged by that pattern itself, and what it shares inside its
    # organisation (a card, a burst) is its evidence again: the organisation's discount may
    # have left none of those links (under `min_link_weight`)
    seat_timing = own_timing | ((mmask & BIT["RING_SCHEDULE"]) > 0)
    if org_sitting is not None:
        seat_timing |= org_sitting
    org_farm, org_bits = _org_farm(ring, org, strong, tpl_groups, seat_timing, params)
    flag |= org_farm
    mmask |= org_bits
    kit = flag & private_kit(mmask, ring, params, toolkit)
    if params.kit_needs_timing:  # the operator's clock: its timing, or its ring's quiet hours
        kit &= seat_timing | toolkit
    mmask |= np.where(toolkit, BIT["OPERATOR_TOOLKIT"], 0).astype(np.uint32)
    mmask |= np.where(kit, BIT["PRIVATE_KIT"], 0).astype(np.uint32)
    member_mask = (mmask | np.where(own_lb, BIT["LOAD_BALANCED_VOLUME"], 0).astype(np.uint32)
                   | (rmask[ring] & BIT["CAPABILITY_TARGETING"])
                   | np.where(allowed_accounts, BIT["ALLOWLISTED"], 0).astype(np.uint32))
    # strong core: components of strong internal links of at least core_min_size members;
    # links inside one organisation are explained by it and never make a core
    org_link = (e.bits & BIT["SAME_ORGANISATION"]) > 0
    se = e.take(strong_edge & ~org_link)
    core = np.zeros(n, dtype=bool)
    one_person = np.zeros(n, dtype=bool)
    if len(se):
        g = sp.csr_matrix((np.ones(len(se)), (se.a, se.b)), shape=(n, n))
        _, comp = connected_components(g, directed=False)
        csize = np.bincount(comp)
        # the core itself must behave like an operator's accounts: a household sharing a
        # card is not made a ring core because one member signed up during someone's burst
        share = np.bincount(comp, own_timing.astype(float), minlength=csize.size) / csize
        core = in_ring & (csize[comp] >= params.core_min_size) & (
            share[comp] >= params.core_behaviour_share)
        # one person's few accounts (one mailbox or phone behind all of them, opened in one
        # sitting) are neither a ring's core nor a farm; with a scheduler's hours, an even
        # split, a shared API key or the ring's proxy pool on any of them they are an operator's
        if strong is not None and params.person_max_accounts > 0:
            operator = (((mmask & _OPERATOR_PATTERN_MASK) > 0) | own_lb) & in_ring
            person = one_person_cores(comp, csize, in_ring, strong, params.person_max_accounts)
            person &= np.bincount(comp, operator, minlength=csize.size) == 0
            one_person = in_ring & person[comp]
            core &= ~one_person
    # a farm: three or more kinds of strong identifier (card, device, phone, e-mail, key)
    # shared inside a strong core of `farm_core_min` accounts is no household, office or
    # person with a second account, with or without timing of its own
    farm = np.zeros(n, dtype=bool)
    kinds_shared = _strong_kinds(mmask)
    if len(se) and params.farm_min_kinds > 0:
        farm = in_ring & (csize[comp] >= params.farm_core_min) & (
            kinds_shared >= params.farm_min_kinds) & ~one_person
    # a proxy farm: one device or card behind many accounts that each hop across proxy exits
    # (an emulator farm on residential proxies); households, offices, cafés and labs sharing
    # a device or card sit behind their own fixed IP, and one person's few accounts stay
    # under `proxy_core_min`
    proxied = (mmask & _PROXY_MASK) > 0
    if len(se) and params.proxy_core_min > 0:
        proxy_share = np.bincount(comp, proxied.astype(float), minlength=csize.size) / csize
        farm |= in_ring & proxied & (csize[comp] >= params.proxy_core_min) & (
            proxy_share[comp] >= params.core_behaviour_share)
    # one kind alone (a lab's machine, a company card) with a class's sign-up hour is what
    # innocent groups look like: a burst alone needs cards, devices or phones shared too,
    # while lockstep hours or an even split are a scheduler's, which no class has
    scheduler = ((mmask & BIT["LOCKSTEP_HOURS"]) > 0) | own_lb
    timing_ok = scheduler | (own_timing & (kinds_shared >= params.suspend_min_kinds))
    # an operator's kit beside its suspended core: the ring's own template, the account's
    # own hops across networks and its own timing, in a ring whose strong core is suspended
    suspendable = flag & ((core & timing_ok) | farm | org_farm | kit) & ~allowed_accounts
    core_kit = flag & kit_beside_core(mmask, own_lb, ring, suspendable, params, templates) & ~kit
    if family is not None:
        core_kit |= toolkit & ~kit & toolkit_beside_core(family, suspendable, params, templates)
    member_mask |= np.where(core_kit, BIT["CORE_KIT"], 0).astype(np.uint32)
    value = _code_values(params)
    x = np.zeros(n)
    for code, v in value.items():
        x += v * ((member_mask & BIT[code]) > 0)
    attach = np.bincount(e.a, e.w, minlength=n) + np.bincount(e.b, e.w, minlength=n)
    attached = params.attach_floor + (1 - params.attach_floor) * np.minimum(1.0, attach / params.attach_ref)
    # an account on its ring's private kit is attached by it (its template and exits), as
    # one on its ring's schedule is kept by `prune_members`: pair links through a template
    # or an exit hundreds use are capped, not absent
    attached = np.where(kit | core_kit, 1.0, attached)

    def score_of(evidence: np.ndarray) -> np.ndarray:
        return np.where(in_ring, (1 - np.exp(-np.minimum(evidence, params.score_evidence_cap))) * attached, 0.0)

    member_score = score_of(x)
    # a schedule is corroboration for review, never what tips an account into suspension
    suspend_score = score_of(x - value["RING_SCHEDULE"] * ((member_mask & BIT["RING_SCHEDULE"]) > 0))

    # (named after the scores: the code carries no evidence value of its own)
    member_mask |= np.where(in_ring & org_farm, BIT["ORGANISATION_FARM"], 0).astype(np.uint32)
    np.bitwise_or.at(rmask, ring[in_ring & org_farm], np.uint32(BIT["ORGANISATION_FARM"]))
    np.bitwise_or.at(rmask, ring[kit], np.uint32(BIT["PRIVATE_KIT"]))
    np.bitwise_or.at(rmask, ring[core_kit], np.uint32(BIT["CORE_KIT"]))
    suspend = (
        (suspendable | core_kit)
        & (suspend_score >= params.suspend_score)
        & ~allowed_accounts  # final rule: an allow-listed account is never suspended
    )

    ring_score = np.zeros(n_rings + 1)
    np.maximum.at(ring_score, ring[in_ring], member_score[in_ring])
    ring_score[0] = 0.0

    idx = np.flatnonzero(in_ring)
    members = pd.DataFrame({
        "account_id": pd.array(accounts.to_numpy()[idx], dtype="string"),
        "ring": ring[idx].astype(np.int64),
        "score": np.round(member_score[idx], 4),
        "action": pd.array(np.where(suspend[idx], "suspend", "review"), dtype="string"),
        "reasons": pd.array(decode_array(member_mask[idx]), dtype="string"),
    })
    rid = np.arange(1, n_rings + 1)
    rings = pd.DataFrame({
        "ring": rid.astype(np.int64),
        "size": size[1:].astype(np.int64),
        "score": np.round(ring_score[1:], 4),
        "density": np.round(density[1:], 4),
        "strong_share": np.round(strong_share[1:], 4),
        "reasons": pd.array(decode_array(rmask[1:]), dtype="string"),
    })
    return RingResult(members=members, rings=rings), ring, flag
