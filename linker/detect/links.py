"""Links: weighted account pairs from shared identifiers, bounded against hubs.

A shared identifier is evidence in proportion to its rarity: a card shared by 3 accounts
says much, an IP shared by 500 (a carrier NAT, a VPN exit) says nothing. Each identifier
weighs `kind_weight * log2(3) / log2(1 + n)` (n = accounts using it, so n = 2 gives the full
kind weight), and an identifier used by more than the kind's hub cap is never expanded into
pairs at all. Pairs come from one sparse product B·Bᵀ per kind over the account × identifier
incidence (with sqrt weights, so the product sums the weights of all shared identifiers),
which is linear in the number of pairs produced and never quadratic in the accounts.

Links between members of the same organisation are discounted: the organisation explains
them (and an allow-listed organisation's internal links are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from linker import kinds
from linker.detect.evidence import KIND_CODE, PUBLIC_MAIL_DOMAINS, EvidenceTable, account_codes
from linker.detect.reasons import BIT, decode_array
from linker.detect.threads import pool_map
from linker.ingest.normalize import email_domain

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from linker.model import Dataset
    from linker.settings import RingParams

LINK_COLUMNS = ["a", "b", "weight", "reasons"]

# evidence kind -> reason code of a link through it (linker.kinds; kinds without one never
# link: asn is far too broad, org membership explains links instead of making them)
KIND_REASON: dict[str, str] = kinds.link_reasons()


@dataclass
class PairSet:
    """Account pairs as parallel arrays: codes a < b, weight, reason bit mask."""

    a: np.ndarray
    b: np.ndarray
    w: np.ndarray
    bits: np.ndarray

    @staticmethod
    def empty() -> PairSet:
        return PairSet(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float64),
                       np.zeros(0, np.uint32))

    def __len__(self) -> int:
        return int(self.a.size)

    def take(self, mask: np.ndarray) -> PairSet:
        return PairSet(self.a[mask], self.b[mask], self.w[mask], self.bits[mask])


def pairs_from_sparse(m: sp.spmatrix, bit: int) -> PairSet:
    """Upper-triangle (a < b) entries of a symmetric sparse product as a PairSet."""
    m = sp.triu(m, k=1).tocoo()
    return PairSet(
        m.row.astype(np.int32), m.col.astype(np.int32), m.data.astype(np.float64),
        np.full(m.nnz, bit, dtype=np.uint32),
    )


def combine(sets: list[PairSet]) -> PairSet:
    """One row per pair: weights summed, reason masks OR-ed; sorted by (a, b)."""
    sets = [s for s in sets if len(s)]
    if not sets:
        return PairSet.empty()
    a = np.concatenate([s.a for s in sets]).astype(np.int64)
    b = np.concatenate([s.b for s in sets]).astype(np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = (lo << 32) | hi
    w = np.concatenate([s.w for s in sets])
    bits = np.concatenate([s.bits for s in sets])
    order = np.argsort(key, kind="stable")
    key, w, bits = key[order], w[order], bits[order]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    uk = key[start]
    return PairSet(
        (uk >> 32).astype(np.int32), (uk & 0xFFFFFFFF).astype(np.int32),
        np.add.reduceat(w, start), np.bitwise_or.reduceat(bits, start),
    )


def bounded_neighbours(group: np.ndarray, order_key: np.ndarray, nodes: np.ndarray,
                       k: int, return_groups: bool = False) -> tuple[np.ndarray, ...]:
    """Pairs within each group linking every node to its next `k` nodes in `order_key` order.

    A group of size ≤ k+1 becomes a clique; a larger one a band of width k, so a group of n
    nodes yields at most n·k pairs (never n²). With `return_groups`, also each pair's group."""
    empty = np.zeros(0, np.int64)
    if nodes.size == 0:
        return (empty, empty, empty) if return_groups else (empty, empty)
    order = np.lexsort((nodes, order_key, group))
    g, nd = group[order], nodes[order]
    aa, bb, gg = [], [], []
    for d in range(1, k + 1):
        same = g[d:] == g[:-d]
        if not same.any():
            break
        aa.append(nd[:-d][same])
        bb.append(nd[d:][same])
        gg.append(g[d:][same])
    if not aa:
        return (empty, empty, empty) if return_groups else (empty, empty)
    a, b, gr = np.concatenate(aa), np.concatenate(bb), np.concatenate(gg)
    keep = a != b
    if return_groups:
        return a[keep], b[keep], gr[keep]
    return a[keep], b[keep]


def block_runs(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Run id per phone block code: blocks whose numbers follow one another (block value
    +27605666 then +27605667, same length) are one run. A SIM farm buys consecutive numbers
    and so fills consecutive blocks; a block boundary is not a border between its rings."""
    if codes.size == 0:
        return np.zeros(0, dtype=np.int64)
    text = pd.Series(values[codes], dtype="string").str.lstrip("+")
    length = text.str.len().fillna(0).to_numpy(dtype=np.int64)
    num = pd.to_numeric(text, errors="coerce").fillna(-1).to_numpy(dtype=np.int64)
    order = np.lexsort((num, length))
    ln, nm = length[order], num[order]
    step = np.r_[True, (ln[1:] != ln[:-1]) | (nm[1:] - nm[:-1] != 1) | (nm[1:] < 0)]
    run = np.empty(codes.size, dtype=np.int64)
    run[order] = np.cumsum(step) - 1
    return run


def block_run_of(blocks: tuple[np.ndarray, np.ndarray], values: np.ndarray,
                 n: int) -> np.ndarray:
    """Run of dense phone blocks (`block_runs`) per account code (-1: in none); `blocks`:
    distinct (account code, block code) rows, `values`: block code → block, `n` codes."""
    acct, block = blocks
    run = np.full(n, -1, dtype=np.int64)
    if acct.size:
        codes, inv = np.unique(block, return_inverse=True)
        run[acct] = block_runs(codes, values)[inv]
    return run


def group_median(group: np.ndarray, x: np.ndarray, n: int) -> np.ndarray:
    """Median of x per group id in [0, n) (sort once; no Python loop over groups)."""
    out = np.zeros(n)
    if x.size == 0:
        return out
    order = np.lexsort((x, group))
    g, v = group[order], x[order]
    start = np.searchsorted(g, np.arange(n), side="left")
    end = np.searchsorted(g, np.arange(n), side="right")
    size = end - start
    has = size > 0
    lo = start + (size - 1) // 2
    hi = start + size // 2
    out[has] = (v[lo[has]] + v[hi[has]]) / 2
    return out


def egress_values(vinv: np.ndarray, first_seen: np.ndarray, n_values: int,
                  params: RingParams) -> np.ndarray:
    """Per distinct value of one IP kind: is it shared egress (carrier NAT, VPN exit,
    relay), recognised from the data? Strangers behind one egress address arrive at it
    independently, spread over weeks and months; accounts of one operator arrive in bursts.
    So a value used by at least `egress_min_accounts` accounts whose consecutive first
    sightings are, at the median, more than `egress_median_gap_hours` apart is egress."""
    out = np.zeros(n_values, dtype=bool)
    t = first_seen.view(np.int64).astype(np.float64) / 3.6e12  # hours
    ok = ~np.isnat(first_seen)
    v, t = vinv[ok], t[ok]
    if v.size == 0:
        return out
    order = np.lexsort((t, v))
    v, t = v[order], t[order]
    same = v[1:] == v[:-1]
    gaps = np.diff(t)[same]
    gv = v[1:][same]
    n = np.bincount(v, minlength=n_values)
    med = group_median(gv, gaps, n_values)
    out = (n >= params.egress_min_accounts) & (med > params.egress_median_gap_hours)
    return out


def _meetings(acct: np.ndarray, vinv: np.ndarray, n_acc: int, n_values: int) -> PairSet:
    """For every pair of accounts sharing a value: on how many values they meet (weight)."""
    b = sp.csr_matrix((np.ones(acct.size, dtype=np.float32), (acct, vinv)), shape=(n_acc, n_values))
    return pairs_from_sparse((b @ b.T).tocsr(), 0)


def _meet_interactive(ps: PairSet, acct: np.ndarray, vinv: np.ndarray, inter: np.ndarray | None,
                      n_acc: int) -> np.ndarray:
    """Per pair of `ps` (pairs meeting on the rows `acct`, `vinv`): do they meet on at least
    one address people sign up or log in from (`inter`, per row; None: unknown, all True)?
    A proxy pool's exits are where its accounts sign up and log in; a pool of addresses
    seen only in API traffic is a backend's servers calling on its users' behalf (an app's
    end users), which makes a shared IP but no proxy pool."""
    if inter is None:
        return np.ones(ps.a.size, dtype=bool)
    if not inter.any() or ps.a.size == 0:
        return np.zeros(ps.a.size, dtype=bool)
    # the interactive rows of the pairs' accounts only: a subset of the rows `ps` came
    # from, so this product is no bigger; both pair lists are distinct, which spares
    # np.isin a second sort (10 s at 1M accounts)
    mine = np.zeros(n_acc, dtype=bool)
    mine[ps.a] = mine[ps.b] = True
    rows = inter & mine[acct]
    met = _meetings(acct[rows], vinv[rows], n_acc, int(vinv.max()) + 1)
    return np.isin((ps.a.astype(np.int64) << 32) | ps.b,
                   (met.a.astype(np.int64) << 32) | met.b, assume_unique=True)


def _wide_pool(acct: np.ndarray, vinv: np.ndarray, nv: np.ndarray, n_acc: int, kw: float,
               params: RingParams, bit: int, inter: np.ndarray | None = None) -> PairSet:
    """Pairs of accounts that meet on at least `pool_wide_min` IPs of at most `pool_wide_cap`
    accounts each, shared egress included: a rotating proxy pool. Each exit of the pool
    looks like carrier NAT (accounts arrive at it spread over weeks), but strangers behind
    a carrier meet on an address or two, while one operator's accounts meet again and again.
    Weight: as one IP shared by `pool_wide_cap` accounts, per shared IP. With `inter` (per
    row, `_meet_interactive`), only pairs meeting on an address people connect from."""
    wide = (nv >= 2) & (nv <= params.pool_wide_cap)
    if not wide.any():
        return PairSet.empty()
    cnt = _meetings(acct[wide], vinv[wide], n_acc, int(vinv.max()) + 1)
    hit = cnt.w >= params.pool_wide_min
    if inter is not None and hit.any():
        hit[hit] = _meet_interactive(cnt.take(hit), acct[wide], vinv[wide], inter[wide], n_acc)
    w_ip = kw * np.log2(3.0) / np.log2(1.0 + params.pool_wide_cap)
    return PairSet(cnt.a[hit], cnt.b[hit], w_ip * cnt.w[hit],
                   np.full(int(hit.sum()), bit | BIT["PROXY_IP_POOL"], np.uint32))


def _closed_pool(acct: np.ndarray, vinv: np.ndarray, nv: np.ndarray, n_acc: int, kw: float,
                 params: RingParams, bit: int, inter: np.ndarray | None = None,
                 egress: np.ndarray | None = None,
                 signed_here: np.ndarray | None = None) -> PairSet:
    """Pairs of accounts that connect from one closed set of crowded addresses: each uses at
    least `pool_wide_min` IPs of more than `pool_wide_cap` and at most `pool_closed_cap`
    accounts each, and they meet there on at least `pool_closed_share` of all the IPs
    either of them uses. An operator's exits that a ring too big for `_wide_pool` crowds:
    every account on nearly every exit, and on little else.

    What keeps strangers out: heavy users of a carrier's small NAT pool wander over many
    of its addresses, crowded and not; the light users of a crowded carrier address
    outnumber the heavy ones, so an address counts only when at least
    `pool_closed_owner_share` of its users connect from crowded addresses and little else
    (an operator's exits: all of their users are its accounts); accounts that signed up on
    the pool (`signed_here`, per row: the row's address is the account's sign-up IP) are a
    campus's students or an office's staff, while bought or aged accounts were opened
    elsewhere and moved onto the operator's machines; shared egress (`egress`, per row,
    `egress_values`) is left out; and only addresses people sign up or log in from count
    (`inter`, per row): an app's servers, calling on thousands of end users' behalf, never
    enter the product."""
    if params.pool_closed_cap <= params.pool_wide_cap or params.pool_closed_share <= 0:
        return PairSet.empty()
    crowded = (nv > params.pool_wide_cap) & (nv <= params.pool_closed_cap)
    if egress is not None:
        crowded &= ~egress
    if not crowded.any():
        return PairSet.empty()
    na = np.bincount(acct[crowded], minlength=n_acc)
    n_ips = np.bincount(acct, minlength=n_acc)  # every address the account uses
    # accounts on crowded addresses and little else; an address is a closed pool's when
    # nearly all its users are such accounts
    closed = (na >= params.pool_wide_min) & (na >= params.pool_closed_share * n_ips)
    if signed_here is not None:
        closed[acct[crowded & signed_here]] = False
    nvals = int(vinv.max()) + 1
    owners = np.bincount(vinv[crowded], weights=closed[acct[crowded]], minlength=nvals)
    rows = crowded & closed[acct] & (owners[vinv] >= params.pool_closed_owner_share * nv)
    if inter is not None:
        rows &= inter
    if not rows.any():
        return PairSet.empty()
    cnt = _meetings(acct[rows], vinv[rows], n_acc, nvals)
    hit = (cnt.w >= params.pool_wide_min) & (
        cnt.w >= params.pool_closed_share * np.maximum(n_ips[cnt.a], n_ips[cnt.b]))
    w_ip = kw * np.log2(3.0) / np.log2(1.0 + params.pool_closed_cap)
    return PairSet(cnt.a[hit], cnt.b[hit], w_ip * cnt.w[hit],
                   np.full(int(hit.sum()), bit | BIT["PROXY_IP_POOL"], np.uint32))


def established_values(acct: np.ndarray, vinv: np.ndarray, n_values: int,
                       created: np.ndarray, params: RingParams) -> np.ndarray:
    """Per distinct value of one kind (`vinv`: value index per row, `acct`: account code per
    row; `created`: sign-up minute per account code): did its users sign up like an
    institution's (`established`: many accounts, on many days, spread over months)? An API
    key that people join all year long is an app's or a company's, which strangers or
    colleagues call through; an operator's accounts arrive in a campaign's waves."""
    out = np.zeros(n_values, dtype=bool)
    if params.institution_min_accounts <= 0 or vinv.size == 0:
        return out
    many = np.bincount(vinv, minlength=n_values)[vinv] >= params.institution_min_accounts
    acct, vinv = acct[many], vinv[many]
    days = created[acct] / 1440.0
    ok = ~np.isnan(days)
    if not ok.any():
        return out
    est = established(pd.Series(vinv[ok]), pd.Series(days[ok]), params)
    out[est.index[est.to_numpy()].to_numpy(dtype=np.int64)] = True
    return out


def identifier_pairs(ev: EvidenceTable, params: RingParams,
                     interactive: np.ndarray | None = None,
                     created: np.ndarray | None = None,
                     pool: Executor | None = None) -> PairSet:
    """Rarity-weighted pairs from shared identifiers, one sparse product per kind. Shared
    egress IPs (see `egress_values`) link nothing, like hubs, except two accounts that meet
    on many of them (`_wide_pool`). `interactive` (per value code, `evidence.interactive_ips`,
    given with `pool_needs_interactive`): a proxy pool needs a shared address people sign
    up or log in from. `created` (sign-up minute per account code): a value of the
    `established_kinds` whose users signed up like an institution's (`established_values`)
    links nothing either. `pool`: kinds are independent, so they may run on its threads
    (the sparse products and sorts release the GIL); the result is the same either way."""
    def one(item: tuple[str, str]) -> PairSet | None:
        return _kind_pairs(ev, params, item[0], item[1], interactive, created)

    done = pool_map(pool, one, list(KIND_REASON.items()))
    return combine([ps for ps in done if ps is not None])


def _kind_pairs(ev: EvidenceTable, params: RingParams, kind: str, reason: str,
                interactive: np.ndarray | None, created: np.ndarray | None) -> PairSet | None:
    """`identifier_pairs` of one kind (None: it links nothing, or is weighed at nothing)."""
    n_acc = len(ev.accounts)
    kw = float(params.kind_weight.get(kind, 0.0))
    cap = int(params.hub_cap.get(kind, 0))
    if kw <= 0 or cap < 2:
        return None
    sel = ev.kind == KIND_CODE[kind]
    if not sel.any():
        return None
    acct, v = ev.acct[sel], ev.vcode[sel]
    _, vinv, n = np.unique(v, return_inverse=True, return_counts=True)
    inter = interactive[v] if kind == "ip" and interactive is not None else None
    nv = n[vinv]
    w_all = kw * np.log2(3.0) / np.log2(1.0 + np.maximum(nv, 2))
    parts: list[PairSet] = []
    keep = (nv >= 2) & (nv <= cap)
    egress = None
    if kind in params.egress_kinds:
        egress = egress_values(vinv, ev.first_seen[sel], n.size, params)[vinv]
        keep &= ~egress
    if kind in params.established_kinds and created is not None:
        est = established_values(acct, vinv, n.size, created, params)[vinv]
        keep &= ~est
    if keep.any():
        b = sp.csr_matrix((np.sqrt(w_all[keep]), (acct[keep], vinv[keep])),
                          shape=(n_acc, int(vinv.max()) + 1))
        ps = pairs_from_sparse((b @ b.T).tocsr(), BIT[reason])
        if kind == "ip" and params.proxy_pool_min > 1:
            cnt = _meetings(acct[keep], vinv[keep], n_acc, int(vinv.max()) + 1)
            # same sparsity pattern and order as above (canonical CSR → triu → coo)
            pool = cnt.w >= params.proxy_pool_min
            if inter is not None and pool.any():
                pool[pool] = _meet_interactive(cnt.take(pool), acct[keep], vinv[keep],
                                               inter[keep], n_acc)
            ps.bits = np.where(pool, ps.bits | BIT["PROXY_IP_POOL"], ps.bits).astype(np.uint32)
        parts.append(ps)
    if kind == "ip" and params.pool_wide_min > 1:
        parts.append(_wide_pool(acct, vinv, nv, n_acc, kw, params, BIT[reason], inter))
        signup = np.full(n_acc, -1, dtype=np.int64)
        on_signup = ev.kind == KIND_CODE["signup_ip"]
        signup[ev.acct[on_signup]] = ev.vcode[on_signup]
        parts.append(_closed_pool(acct, vinv, nv, n_acc, kw, params, BIT[reason], inter, egress,
                                  signup[acct] == v))
    # identity hubs (a card, device or key behind more accounts than the cap) up to
    # hub_band_mult × cap: each user is linked to a few others only (bounded, with the
    # hub's low rarity weight) so a big ring's card still holds it together, as
    # POPULAR_IDENTIFIER: more accounts than one operator plausibly runs on one device or
    # card is a lab image, a kiosk or a company card, which needs corroboration like a
    # network and never makes a suspension. Network hubs (carrier NAT, VPN exit, campus)
    # and bigger identity hubs link nothing at all.
    band = (nv > cap) & (nv <= cap * params.hub_band_mult)
    if kind in params.established_kinds and created is not None:
        band &= ~est
    if band.any() and params.hub_band_k > 0 and kind in params.hub_band_kinds:
        ba = acct[band].astype(np.int64)
        order = (ba * np.int64(2_654_435_761)) % np.int64(2_147_483_647)
        a, b2, grp = bounded_neighbours(vinv[band].astype(np.int64), order, ba,
                                        params.hub_band_k, return_groups=True)
        wmap = np.zeros(int(vinv.max()) + 1)
        wmap[vinv[band]] = w_all[band]
        parts.append(PairSet(np.minimum(a, b2).astype(np.int32),
                             np.maximum(a, b2).astype(np.int32), wmap[grp],
                             np.full(a.size, BIT["POPULAR_IDENTIFIER"], np.uint32)))
    if not parts:
        return None
    ps = combine(parts)
    # many shared identifiers of one kind add up, but only so far
    ps.w = np.minimum(ps.w, params.kind_cap_mult.get(kind, 2.0) * kw)
    return ps


def org_codes(ds: Dataset, accounts: pd.Index, allowlist: pd.DataFrame | None,
              params: RingParams | None = None, created: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """Per account code: organisation code (-1 none) and whether that org's internal links
    are dropped: it is allow-listed, or an established institution.

    Institutions need `params` and `created` (sign-up minute per account code,
    `timing.signup_minutes`): an account whose e-mail domain is an institution's
    (`institution_domains`) belongs to that institution's organisation even without its
    org_id (a student on the university's domain, signed up under a personal org or none),
    and an `established` organisation explains what its members share (a lab PC, a class's
    sign-up hour, a device image, a corporate card), while a campaign's fake orgs are small
    or signed up in a few waves."""
    acc = ds.accounts
    org = pd.Series(pd.NA, index=range(len(accounts)), dtype="string")
    institutions = (params is not None and params.institution_min_accounts > 0
                    and created is not None)
    days = created / 1440.0 if institutions else None
    if "org_id" in acc:
        pos = account_codes(accounts, acc["account_id"])
        ok = pos >= 0
        org.iloc[pos[ok]] = acc["org_id"].astype("string").str.strip().to_numpy()[ok]
        org = org.mask(org == "")
        fill = params is not None and params.domain_org_share > 0
        if (institutions or fill) and "email" in acc:
            dom = pd.Series(pd.NA, index=range(len(accounts)), dtype="string")
            by_row = acc["email_domain"] if "email_domain" in acc else email_domain(acc["email"])
            dom.iloc[pos[ok]] = by_row.astype("string").to_numpy()[ok]
            if fill:  # before institutions: those map every account on their domain
                org = org.fillna(dom.map(domain_orgs(dom, org, params.domain_org_share)))
            if institutions:
                inst = institution_domains(dom, org, days, params)
                org = dom.map(inst).astype("string").fillna(org)
    org = org.mask(org == "")
    codes, uniq = pd.factorize(org)
    drop = np.zeros(len(uniq) + 1, dtype=bool)
    if allowlist is not None and len(allowlist):
        k = allowlist["kind"].astype("string").str.strip().str.lower()
        listed = set(allowlist.loc[k == "org_id", "value"].astype("string").str.strip().dropna())
        drop[: len(uniq)] = pd.Index(uniq).isin(listed)
    if institutions and len(uniq):
        has = (codes >= 0) & ~np.isnan(days)
        est = established(pd.Series(codes[has]), pd.Series(days[has]), params)
        drop[est.index[est.to_numpy()].to_numpy(dtype=np.int64)] = True
    return codes.astype(np.int64), drop[codes]


def established(group: pd.Series, days: pd.Series, params: RingParams) -> pd.Series:
    """Per group: signed up like an institution that predates any campaign. At least
    `institution_min_accounts` accounts, on `institution_min_days` distinct days or more,
    the 10th to 90th percentile of sign-ups `institution_min_span_days` apart: a campaign's
    domain or org signs up in a few waves over weeks or months, a university all year."""
    df = pd.DataFrame({"g": group.to_numpy(), "t": days.to_numpy(dtype=np.float64)})
    df["d"] = np.floor(df["t"])
    g = df.groupby("g", sort=False)
    n, nd = g.size(), g["d"].nunique()
    span = g["t"].quantile(0.9) - g["t"].quantile(0.1)
    return ((n >= params.institution_min_accounts) & (nd >= params.institution_min_days)
            & (span >= params.institution_min_span_days))


def institution_domains(dom: pd.Series, org: pd.Series, days: np.ndarray, params: RingParams
                        ) -> pd.Series:
    """E-mail domain → org_id of the institutions recognised from the data, from each
    account's domain, org_id and sign-up day: a domain that is no public mailbox and is
    `established`, most of whose accounts with an org_id (`institution_org_share`) are in
    one org. A lab PC, a class's sign-up hour or a corporate card shared under such a
    domain is the institution's, as within one org_id."""
    df = _established_domains(pd.DataFrame({"dom": dom.to_numpy(), "org": org.to_numpy(),
                                            "t": days}), params)
    sub = df[df["org"].notna()]
    if sub.empty:
        return pd.Series(dtype="string")
    top = _top_org(sub)
    top = top[top["k"] >= params.institution_org_share * top["dom"].map(sub.groupby("dom").size())]
    return pd.Series(top["org"].to_numpy(), index=top["dom"].to_numpy(), dtype="string")


def _established_domains(df: pd.DataFrame, params: RingParams) -> pd.DataFrame:
    """The rows of `df` (one per account: e-mail domain `dom`, sign-up day `t`) whose domain
    is no public mailbox and is `established`: an institution's, signed up all year."""
    df = df[df["dom"].notna() & ~df["dom"].isin(PUBLIC_MAIL_DOMAINS) & df["t"].notna()]
    if df.empty:
        return df
    est = established(df["dom"], df["t"], params)
    return df[df["dom"].isin(est.index[est.to_numpy()])]


def same_group(code: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair (a, b): both accounts are in one group (`code` per account, -1 none)."""
    return (code[a] >= 0) & (code[a] == code[b])


def _top_org(df: pd.DataFrame) -> pd.DataFrame:
    """Per e-mail domain (`dom`), the org (`org`) most of its rows are in and how many (`k`);
    ties go to the smallest org_id."""
    pairs = df.groupby(["dom", "org"], sort=False).size().rename("k").reset_index()
    return pairs.sort_values(["dom", "k", "org"], ascending=[True, False, True]
                             ).drop_duplicates("dom")


def domain_orgs(dom: pd.Series, org: pd.Series, min_share: float) -> pd.Series:
    """E-mail domain → org_id, for the domains no public mailbox, at least `min_share` of
    whose accounts (two or more) are in one org. A company's seat opened without its org_id
    (on the company card, the company's device image) is still on the company's domain:
    the organisation explains what it shares with its colleagues. A domain many of whose
    accounts stand outside its org is no company's own (world B's fraud domains: 31-89 %
    outside; world E's companies: 4-17 %), and its outsiders stay outside."""
    df = pd.DataFrame({"dom": dom.to_numpy(), "org": org.to_numpy()})
    df = df[df["dom"].notna() & ~df["dom"].isin(PUBLIC_MAIL_DOMAINS)]
    size = df.groupby("dom", sort=False).size()
    df = df[df["org"].notna()]
    if df.empty:
        return pd.Series(dtype="string")
    top = _top_org(df)
    top = top[(top["k"] >= 2) & (top["k"] >= min_share * top["dom"].map(size))]
    return pd.Series(top["org"].to_numpy(), index=top["dom"].to_numpy(), dtype="string")


def campus_domains(ds: Dataset, accounts: pd.Index, created: np.ndarray | None,
                   params: RingParams) -> np.ndarray:
    """Per account code: a code of its e-mail domain when that domain is a campus's own
    (-1 otherwise): no public mailbox, `established` (signed up all year long), most of its
    accounts without an org_id, and at least `campus_network_share` of them signed up from
    its three busiest /24 networks, a campus NAT. A university whose students sign up on
    their own, with no org_id, is still one institution: the lab PC they share is its own.
    A public mailbox missing from `PUBLIC_MAIL_DOMAINS` signs up from everywhere (0.08-0.48
    of its accounts on its top three networks on the tuning worlds, campuses 1.0). A
    domain whose accounts carry an org_id is left to its organisation: world D's operator
    hides seats in a real school's tenant, in waves, and an organisation does not explain
    its own members' shared devices to the toolkit rule."""
    out = np.full(len(accounts), -1, dtype=np.int64)
    acc = ds.accounts
    if (params.campus_network_share <= 0 or created is None or params.institution_min_accounts <= 0
            or not {"email_domain", "signup_subnet"} <= set(acc.columns)):
        return out
    pos = account_codes(accounts, acc["account_id"])
    ok = pos >= 0
    org = (acc["org_id"].astype("string").str.strip().replace("", pd.NA).notna().to_numpy()
           if "org_id" in acc else np.zeros(len(acc), dtype=bool))
    df = pd.DataFrame({"pos": pos[ok],
                       "dom": acc["email_domain"].astype("string").to_numpy()[ok],
                       "net": acc["signup_subnet"].astype("string").to_numpy()[ok],
                       "org": org[ok]})
    df["t"] = created[df["pos"].to_numpy()] / 1440.0
    df = _established_domains(df, params)
    if df.empty:
        return out
    nets = df[df["net"].notna()].groupby(["dom", "net"], sort=False).size()
    top3 = nets.sort_values(ascending=False).groupby(level="dom", sort=False).head(3)
    share = top3.groupby(level="dom").sum() / df.groupby("dom").size()
    with_org = df.groupby("dom")["org"].mean()
    campus = share.index[((share >= params.campus_network_share)
                          & (with_org.reindex(share.index) < 0.5)).to_numpy()]
    df = df[df["dom"].isin(campus)]
    out[df["pos"].to_numpy()] = pd.factorize(df["dom"])[0]
    return out


def adopt_institution(ps: PairSet, org: np.ndarray, org_drop: np.ndarray, share: float
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Org codes with each account outside an established institution moved into the one
    its links mostly lead to: at least `share` of its link weight goes to that institution's
    members, two of them or more. A student who signed up with a private mailbox shares the
    lab PC, the class's hour and its template with classmates on the university's domain;
    what explains their links explains the student's. One round, so an institution never
    spreads along a chain of outsiders. `share` ≤ 0: unchanged. Returns (org, org_drop)."""
    if len(ps) == 0 or share <= 0 or not org_drop.any():
        return org, org_drop
    est = org_drop & (org >= 0)
    out_a = ~est[ps.a] & est[ps.b]
    out_b = est[ps.a] & ~est[ps.b]
    who = np.concatenate([ps.a[out_a], ps.b[out_b]])
    inst = np.concatenate([org[ps.b[out_a]], org[ps.a[out_b]]])
    w = np.concatenate([ps.w[out_a], ps.w[out_b]])
    if who.size == 0:
        return org, org_drop
    total = np.bincount(ps.a, ps.w, minlength=org.size) + np.bincount(ps.b, ps.w, minlength=org.size)
    width = np.int64(org.max()) + 1
    key, inv = np.unique(who.astype(np.int64) * width + inst, return_inverse=True)
    kw = np.bincount(inv, w)
    kn = np.bincount(inv)
    acct, code = key // width, key % width
    order = np.lexsort((-kw, acct))  # per account, its heaviest institution first
    first = np.ones(order.size, bool)
    first[1:] = acct[order][1:] != acct[order][:-1]
    best = order[first]
    ok = (kn[best] >= 2) & (kw[best] >= share * total[acct[best]])
    out, drop = org.copy(), org_drop.copy()
    out[acct[best][ok]] = code[best][ok]
    drop[acct[best][ok]] = True
    return out, drop


def release_family_seats(org: np.ndarray, org_drop: np.ndarray, family: np.ndarray | None,
                         min_outside: int, keep: np.ndarray | None = None,
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Org codes for `apply_org_discount` with the seats of a shared template family taken
    out of their organisation: a family (`families.family_of`) at least `min_outside` of
    whose accounts are in no organisation is no organisation's own. A company's private
    templates stay among its seats; an operator's kit runs through its fake organisation and
    its rings outside it alike, and the organisation does not discount what those seats
    share. `keep`: accounts that stay with their organisation all the same
    (`provisioned_seats`). `min_outside` ≤ 0: unchanged. Returns (org, org_drop)."""
    if family is None or min_outside <= 0 or not (family >= 0).any():
        return org, org_drop
    has = family >= 0
    outside = np.bincount(family[has & (org < 0)], minlength=int(family.max()) + 1)
    seat = has & (org >= 0)
    seat[seat] = outside[family[seat]] >= min_outside
    if keep is not None:
        seat &= ~keep
    if not seat.any():
        return org, org_drop
    return np.where(seat, -1, org), np.where(seat, False, org_drop)


def provisioned_seats(org: np.ndarray, created: np.ndarray, min_seats: int) -> np.ndarray:
    """Per account code: at least `min_seats` accounts of its organisation (`org`: code per
    account, -1 none), itself included, signed up at its very instant (`created`: sign-up
    minute, NaN unknown). Seats opened at one instant were provisioned by their
    organisation's single sign-on, not opened one by one by a script. `min_seats` ≤ 0:
    none."""
    out = np.zeros(org.size, dtype=bool)
    has = np.flatnonzero((org >= 0) & ~np.isnan(created))
    if has.size == 0 or min_seats <= 0:
        return out
    key = pd.MultiIndex.from_arrays([org[has], created[has]])
    codes = pd.factorize(key)[0]
    out[has] = np.bincount(codes)[codes] >= min_seats
    return out


def office_egress(ps: PairSet, org: np.ndarray) -> PairSet:
    """Links between members of one organisation (`org`: code per account, -1 none,
    whatever `release_family_seats` made of it) without PROXY_IP_POOL: colleagues meeting on
    their office's few egress addresses are no proxy pool, even where their organisation
    no longer discounts what they share (a vendor's template family in a thousand companies
    released their seats: world G's companies were suspended as proxy farms on their corporate
    card and office NAT)."""
    if len(ps) == 0:
        return ps
    same = same_group(org, ps.a, ps.b)
    bits = np.where(same, ps.bits & ~np.uint32(BIT["PROXY_IP_POOL"]), ps.bits).astype(np.uint32)
    return PairSet(ps.a, ps.b, ps.w, bits)


def org_sitting(org: np.ndarray, created: np.ndarray, window: float, mates: int) -> np.ndarray:
    """Per account code: it signed up within `window` minutes of at least `mates` members of
    its own organisation (`org`: code per account, -1 none; `created`: sign-up minute, NaN
    unknown). What a burst link inside one organisation says before the organisation
    explains it away (`apply_org_discount`): its seats were opened in one sitting."""
    out = np.zeros(org.size, dtype=bool)
    has = np.flatnonzero((org >= 0) & ~np.isnan(created))
    if has.size == 0 or mates <= 0:
        return out
    # one sorted key per (organisation, minute): the window never reaches another organisation
    t = created[has] - created[has].min()
    key = org[has].astype(np.float64) * (float(t.max()) + 2 * window + 1) + t
    order = np.argsort(key, kind="stable")
    k = key[order]
    near = (np.searchsorted(k, k + window, side="right")
            - np.searchsorted(k, k - window, side="left") - 1)
    out[has[order]] = near >= mates
    return out


def apply_org_discount(ps: PairSet, org: np.ndarray, org_drop: np.ndarray,
                       discount: float) -> PairSet:
    """Scale links inside one organisation by `discount` and mark them SAME_ORGANISATION (what
    they share cannot justify a suspension); drop them if the org is listed or established
    (`org_drop`, from `org_codes`)."""
    if len(ps) == 0:
        return ps
    same = same_group(org, ps.a, ps.b)
    w = np.where(same, ps.w * discount, ps.w)
    w = np.where(same & org_drop[ps.a], 0.0, w)
    bits = np.where(same, ps.bits | BIT["SAME_ORGANISATION"], ps.bits).astype(np.uint32)
    return PairSet(ps.a, ps.b, w, bits).take(w > 0)


def to_frame(ps: PairSet, accounts: pd.Index) -> pd.DataFrame:
    """Public links frame: a < b as account-id strings, weight, `;`-joined reasons."""
    ids = accounts.to_numpy()
    a, b = ids[ps.a], ids[ps.b]
    # codes follow sorted ids, so a < b already holds; keep it explicit for safety
    swap = a > b
    a2, b2 = np.where(swap, b, a), np.where(swap, a, b)
    return pd.DataFrame({
        "a": pd.array(a2, dtype="string"),
        "b": pd.array(b2, dtype="string"),
        "weight": ps.w.astype(np.float64),
        "reasons": pd.array(decode_array(ps.bits), dtype="string"),
    })
