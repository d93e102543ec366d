"""Group rings into campaigns: rings run by one operator share infrastructure across ring
boundaries (a BIN + billing-postcode pool, a prompt template, devices, proxy subnets, sign-up
waves, the same capability targeting) even when Louvain cut the operation into many rings.

The ring graph is built from values shared by accounts of different rings, each value
weighted by how specific it is to ring accounts: a value that ordinary (unflagged) accounts
use as much as flagged ones (gmail.com, a big cloud ASN, a public prompt template) carries no
weight, so unrelated operations are not merged through it. Connected components of the
thresholded ring graph are the campaigns. Everything is columnar / sparse; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from linker.detect.evidence import (
    IDENTIFIER_CODES,
    account_codes,
    identifiers,
    identifiers_split,
    known_accounts,
    sorted_unique,
)
from linker.kinds import BY_NAME, infrastructure_keys, network_kinds
from linker.model import STRING
from linker.settings import AttributionParams, CampaignParams, SharingParams
from linker.text import isin

if TYPE_CHECKING:
    from linker.detect.rings import RingOutput
    from linker.model import Dataset


CLUSTER_COLUMNS = [
    "ring", "campaign", "size", "score", "first_seen", "last_seen", "exchanges", "reasons",
    "density", "strong_share",
]


@dataclass
class CampaignOutput:
    ring_campaign: pd.DataFrame            # ring, campaign (Int64, <NA>: a review cluster)
    clusters: pd.DataFrame                 # CLUSTER_COLUMNS
    campaigns: list[dict[str, Any]]        # one per campaign, key "campaign" + contract keys
    ring_links: pd.DataFrame = field(default_factory=pd.DataFrame)  # ring_a, ring_b, affinity, reasons
    value_weights: pd.DataFrame = field(default_factory=pd.DataFrame)  # kind, value, n_total, n_in, weight
    # account_id, campaign: the campaign's own accounts (suspended or showing operator patterns)
    account_campaign: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"account_id": pd.Series(dtype=STRING), "campaign": pd.Series(dtype="Int64")}))


# ---- account infrastructure ----------------------------------------------------------------


FEATURE_TABLES: dict[str, tuple[str, ...]] = {"subnet": ("accounts", "ip_events")}


def feature_kinds(params: CampaignParams | None = None) -> set[str]:
    """The evidence kinds `account_features` extracts."""
    params = params or CampaignParams()
    return {k for k in (*params.strong_kinds, *params.weak_kinds,
                        *infrastructure_keys().values()) if k in BY_NAME}


def account_features(ds: Dataset, params: CampaignParams | None = None,
                     extracted: pd.DataFrame | None = None, codes: bool = False) -> pd.DataFrame:
    """Long frame (account_id, kind, value), one row per distinct account × value, of the
    infrastructure that can tie rings of one operator together: the identifiers of
    `evidence.identifiers` (networks of sign-ups and logins only, not of API clients) plus
    two behaviour features, the sign-up hour (`signup_wave`) and the dominant capability.
    `extracted`: `identifiers(ds, wanted=feature_kinds, tables=FEATURE_TABLES)` done by
    the caller (in one pass with other kinds it needed: `identifiers_split`). With
    `codes` (and `extracted` having them, if given), the integer columns of
    `IDENTIFIER_CODES` as well, for every row (`_encode` then hashes no strings); they are
    left out if a behaviour feature's account is not among the accounts' ids."""
    params = params or CampaignParams()
    wanted = feature_kinds(params)
    if extracted is None:
        ident = identifiers(ds, wanted=wanted, tables=FEATURE_TABLES, codes=codes)
    else:
        ident = extracted
    parts: list[pd.DataFrame] = [ident]
    acc = ds.accounts
    if "created_at" in acc.columns and len(acc):
        created = pd.to_datetime(acc["created_at"], utc=True)
        hour = created.astype("int64") // 3_600_000_000_000  # hours since the epoch
        wave = pd.Series(hour.astype(str), index=acc.index).where(created.notna())
        parts.append(_feature(acc["account_id"], wave, "signup_wave"))
    cap = ds.requests.capabilities
    if len(cap):
        tot = cap.groupby("account_id", observed=True)["exchanges"].transform("sum")
        share = cap["exchanges"] / tot.where(tot > 0)
        top = cap[(share >= params.dominant_capability).to_numpy()]
        parts.append(_feature(top["account_id"], top["capability"], "capability"))
    # `identifiers` rows are distinct already, and rows of different kinds never repeat each
    # other: only the behaviour features need deduplicating, each on its own
    parts = [parts[0], *(p[["account_id", "kind", "value"]].astype(STRING)
                          .drop_duplicates(["account_id", "value"]) for p in parts[1:])]
    cols = ["account_id", "kind", "value"]
    if codes and set(IDENTIFIER_CODES) <= set(ident.columns):
        known = known_accounts(ds)
        for p in parts[1:]:
            p["acct_code"] = account_codes(known, p["account_id"])
            p["value_code"] = pd.factorize(p["value"])[0].astype(np.int64)
        if all((p["acct_code"].to_numpy() >= 0).all() for p in parts[1:]):
            out = pd.concat(parts, ignore_index=True)[[*cols, *IDENTIFIER_CODES]]
            out[cols] = out[cols].astype(STRING)
            return out
    return pd.concat(parts, ignore_index=True)[cols].astype(STRING)


def _feature(ids: pd.Series, values: pd.Series, kind: str) -> pd.DataFrame:
    v = values.astype(STRING).str.strip()
    f = pd.DataFrame({"account_id": ids.astype(STRING).reset_index(drop=True),
                      "value": v.reset_index(drop=True)})
    return f[(f["value"].notna() & (f["value"] != "")).to_numpy()].assign(kind=kind)


def drop_allowlisted(features: pd.DataFrame, allowed: pd.DataFrame | None) -> pd.DataFrame:
    """Features without the identifiers the allow-list neutralised for ring detection (a shared
    office device or VPN is no more campaign evidence than ring evidence)."""
    if allowed is None or len(allowed) == 0 or not {"kind", "value"} <= set(allowed.columns):
        return features
    a = allowed[["kind", "value"]].astype(STRING)
    a = a.dropna().drop_duplicates()
    if a.empty:
        return features
    m = features.merge(a.assign(_allowed=True), on=["kind", "value"], how="left")
    return features[m["_allowed"].isna().to_numpy()].reset_index(drop=True)


# ---- value specificity and ring affinity ---------------------------------------------------


@dataclass
class _Coded:
    """Features as integer codes: the row of `weights` each feature row refers to, the
    account code of each row, and whether that account is in a ring."""

    weights: pd.DataFrame
    widx: np.ndarray
    acct: np.ndarray
    acct_ids: pd.Index
    in_ring: np.ndarray
    kcode: np.ndarray | None = None   # kind code of each row, into `kinds`
    kinds: pd.Index | None = None


@dataclass
class _Public:
    """What makes a value public for grouping: used by at least `min_unflagged` unflagged
    accounts (not in `flagged`, every ring member), more than `ratio` × its flagged users. A
    public agent template that two operators' rings both use then ties neither to the other,
    however many ring accounts use it; a ring's own template, missed on a few of its
    accounts, stays its own."""

    flagged: pd.Series
    min_unflagged: int
    ratio: float


def _encode(features: pd.DataFrame, ring_accounts: pd.Index | pd.Series, min_purity: float,
            public: _Public | None = None) -> _Coded:
    """One pass of hashing over the (possibly large) feature table; the rest is integer work.
    With the `IDENTIFIER_CODES` columns (`account_features(codes=True)`) only the few kinds
    are hashed as strings: accounts and (kind, value) pairs are numbered from the integer
    codes, in the same first-seen order, so every output is the same."""
    kcode, kinds = pd.factorize(features["kind"])
    if set(IDENTIFIER_CODES) <= set(features.columns) and len(features):
        acode, _ = pd.factorize(features["acct_code"].to_numpy())
        acct_ids = pd.Index(features["account_id"].take(_first_rows(acode)).reset_index(drop=True))
        nv = int(features["value_code"].max()) + 1
        widx, ukey = pd.factorize(kcode.astype(np.int64) * nv
                                  + features["value_code"].to_numpy(np.int64))
        values = features["value"].take(_first_rows(widx)).reset_index(drop=True)
        return _weigh(widx, ukey // nv, kinds, values, acode, acct_ids, kcode, ring_accounts,
                      min_purity, public)
    vcode, values = pd.factorize(features["value"])
    acode, acct_ids = pd.factorize(features["account_id"])
    nv = max(len(values), 1)
    widx, ukey = pd.factorize(kcode.astype(np.int64) * nv + vcode)  # hash, not sort
    return _weigh(widx, ukey // nv, kinds, pd.Series(values.take(ukey % nv), dtype=STRING),
                  acode, pd.Index(acct_ids), kcode, ring_accounts, min_purity, public)


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """Row of each code's first occurrence, for codes numbered in first-seen order (as
    pd.factorize numbers them): a code appears first where it exceeds all before it."""
    if not len(codes):
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]])


def _weigh(widx: np.ndarray, kind_of: np.ndarray, kinds: pd.Index, values: pd.Series,
           acode: np.ndarray, acct_ids: pd.Index, kcode: np.ndarray,
           ring_accounts: pd.Index | pd.Series, min_purity: float,
           public: _Public | None = None) -> _Coded:
    """Counts and weights per (kind, value) `widx` (kind code `kind_of`, text `values`);
    values `public` recognises weigh 0."""
    # ring membership per distinct account, then per row (not a hash of every row's id)
    def member(accounts: pd.Index | pd.Series) -> np.ndarray:
        return (isin(pd.Series(acct_ids, dtype=STRING), accounts)[acode] & (acode >= 0)
                if len(acode) and len(acct_ids) else np.zeros(len(acode), bool))

    in_ring = member(ring_accounts)
    na = max(len(acct_ids), 1)
    n_total = np.bincount(widx, minlength=len(kind_of))
    n_in = np.bincount(widx, weights=in_ring, minlength=len(kind_of)).astype(np.int64)
    # base rate per kind: share of the accounts having the kind that are ring accounts
    # (order-free: only counted) distinct (kind, account) pairs by sorting, not hashing
    ka = sorted_unique(kcode.astype(np.int64) * na + acode)
    ka_kind = ka // na
    ka_in = np.zeros(na, dtype=bool)
    ka_in[acode[in_ring]] = True
    base = (np.bincount(ka_kind, weights=ka_in[ka % na], minlength=len(kinds))
            / np.maximum(np.bincount(ka_kind, minlength=len(kinds)), 1))
    m = np.maximum(base[kind_of], min_purity)
    p = n_in / np.maximum(n_total, 1)
    denom = 1.0 - m
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(denom > 1e-9, np.clip((p - m) / denom, 0.0, 1.0), 0.0)
    if public is not None and public.min_unflagged > 0:
        flagged = np.bincount(widx, weights=member(public.flagged), minlength=len(kind_of))
        unflagged = n_total - flagged
        weight[(unflagged >= public.min_unflagged) & (unflagged > public.ratio * flagged)] = 0.0
    w = pd.DataFrame({
        "kind": pd.Series(np.asarray(kinds, dtype=object)[kind_of], dtype=STRING),
        "value": pd.Series(values, dtype=STRING).reset_index(drop=True),
        "n_total": n_total.astype(np.int64), "n_in": n_in, "weight": weight,
    })
    return _Coded(w, widx, acode, pd.Index(acct_ids), in_ring, kcode, pd.Index(kinds))


def value_weights(features: pd.DataFrame, ring_accounts: pd.Index, min_purity: float = 0.5) -> pd.DataFrame:
    """Per (kind, value): accounts using it overall (n_total) and in rings (n_in), and a weight
    in [0, 1] that is 0 unless ring accounts use the value clearly more than the kind's base
    rate.

    purity p = n_in / n_total; base = share of the kind's accounts that are in rings;
    weight = clip((p - m) / (1 - m), 0, 1) with m = max(base, min_purity).
    """
    return _encode(features, ring_accounts, min_purity).weights


# kinds whose values an operator buys from a supplier that other operators buy from too:
# they add to a tie by their mass share, never by counting accounts, nor tell a mixed ring's
# operators apart
_SUPPLIER_KINDS = frozenset({"card_bin"})


def _kind_overlap(
    rows: np.ndarray, coded: _Coded, ring_of_acct: np.ndarray, ring_size: np.ndarray,
    min_users: int = 1, private: float = 0.0,
    carriers: list[tuple[np.ndarray, np.ndarray]] | None = None,
    private_rows: list[tuple[np.ndarray, np.ndarray]] | None = None,
    private_rows_weight: float = 1.0,
    contained: float = 0.0,
) -> sparse.csr_matrix:
    """Symmetric ring × ring overlap for one kind (its feature rows `rows`): for rings r, s the
    share of r's accounts' value mass (each account's specific values of this kind that two
    or more rings use share 1; values with weight 0 are ignored) on values also used in s,
    weighted by value specificity; the smaller of both directions. `private` (> 0): or, if
    higher, the share of r's accounts that use a value of weight at least `private` (nearly
    only ring accounts use it) also used in s (`_account_overlap`): a ring cut into pieces
    by community detection shares its own templates between the pieces, which dilute the
    operator's private base template that every account sends to a sixth of its mass. Only
    private values: an operator's accounts each sending a few of many templates that
    several operators and some ordinary users send (camouflage) touch one of them on most
    accounts, and only their mass keeps two such operators apart. `carriers` receives
    (account code, ring) pairs: the account uses a private value that ring uses. A ring
    uses a value when at least `min_users` of its accounts do: a SIM farm's five own
    templates, each sent once by a stray account another ring holds, otherwise count as
    shared and dilute the farm's operator template to a sixth of its mass. `private_rows`
    receives (account code, value) pairs of the values of weight at least `private_rows_weight`
    that a ring uses, its own included."""
    n = len(ring_size)
    empty = sparse.csr_matrix((n, n))
    acct = coded.acct[rows]
    ring = ring_of_acct[acct]
    keep = ring >= 0
    acct, ring, widx = acct[keep], ring[keep], coded.widx[rows][keep]
    wt = coded.weights["weight"].to_numpy()[widx]
    # common values (public templates, big ASNs) neither link nor dilute; nor do values only
    # one account uses (a one-off prompt, an own card): they can tie no two rings, and an
    # operator's accounts that mix one-off prompts into its shared templates are still its
    used = coded.weights["n_total"].to_numpy()[widx] >= 2
    pos = (wt > 0) & used
    acct, ring, widx, wt = acct[pos], ring[pos], widx[pos], wt[pos]
    if not len(acct):
        return empty
    nw = len(coded.weights)
    pinv, pair = pd.factorize(ring.astype(np.int64) * nw + widx)
    if min_users > 1:  # (ring, value) pairs with too few of the ring's accounts are dropped
        ok = np.bincount(pinv)[pinv] >= min_users
        if not ok.all():
            acct, ring, widx, wt = acct[ok], ring[ok], widx[ok], wt[ok]
            if not len(acct):
                return empty
            pinv, pair = pd.factorize(ring.astype(np.int64) * nw + widx)
    if private_rows is not None:
        mine = wt >= private_rows_weight
        private_rows.append((acct[mine].astype(np.int64), widx[mine].astype(np.int64)))
    prings, pvals = pair // nw, pair % nw
    # ... nor do values only one ring uses (its own prompt variants): an operator's base
    # template on every account of its rings is not diluted by each ring's own set
    shared = np.bincount(pvals, minlength=nw)[pvals] >= 2
    kept = shared[pinv]
    if not kept.any():
        return empty
    ainv, _ = pd.factorize(acct[kept])
    mass = 1.0 / np.bincount(ainv)[ainv]
    pmass = np.bincount(pinv[kept], weights=mass * wt[kept], minlength=len(pair))
    prings, pmass = prings[shared], pmass[shared]
    vinv, _ = pd.factorize(pvals[shared])
    nv = int(vinv.max()) + 1
    m = sparse.csr_matrix((pmass / ring_size[prings], (prings, vinv)), shape=(n, nv))
    pres = sparse.csr_matrix((np.ones(len(prings)), (prings, vinv)), shape=(n, nv))
    out = (m @ pres.T).tocsr()
    out.data = np.minimum(out.data, 1.0)
    out = out.minimum(out.T).tocsr()
    if private > 0:  # ... or the share of accounts on private values, if higher
        mine = kept & (wt >= private)
        sel = np.flatnonzero(shared & (coded.weights["weight"].to_numpy()[pair % nw] >= private))
        if mine.any() and len(sel):
            a_inv, _ = pd.factorize(acct[mine])
            out = out.maximum(_account_overlap(
                a_inv, ring[mine], widx[mine], wt[mine], pair[sel] // nw, pair[sel] % nw,
                ring_size, acct[mine], carriers, contained)).tocsr()
    out.setdiag(0)
    out.eliminate_zeros()
    return out


def _account_overlap(ainv: np.ndarray, ring: np.ndarray, widx: np.ndarray, wt: np.ndarray,
                     pair_ring: np.ndarray, pair_val: np.ndarray,
                     ring_size: np.ndarray, acct: np.ndarray | None = None,
                     carriers: list[tuple[np.ndarray, np.ndarray]] | None = None,
                     contained: float = 0.0) -> sparse.csr_matrix:
    """Ring × ring: the share of r's accounts (rows: account `ainv`, its ring, value, weight)
    that use a value ring s uses too (`pair_ring`, `pair_val`: the shared ring × value pairs),
    each account counting at most 1; the smaller of both directions. `carriers` receives
    (account code `acct`, ring) pairs of the accounts so tied."""
    n = len(ring_size)
    vals, vinv = np.unique(np.concatenate([widx, pair_val]), return_inverse=True)
    v_rows, v_pairs = vinv[:len(widx)], vinv[len(widx):]
    na, nv = int(ainv.max()) + 1, len(vals)
    a_v = sparse.csr_matrix((wt, (ainv, v_rows)), shape=(na, nv))
    # (ring, value) pairs are distinct: presence, no duplicates to sum
    v_r = sparse.csr_matrix((np.ones(len(v_pairs)), (v_pairs, pair_ring)), shape=(nv, n))
    a_r = (a_v @ v_r).tocsr()
    a_r.data = np.minimum(a_r.data, 1.0)
    if carriers is not None and acct is not None:
        code = np.empty(na, dtype=np.int64)
        code[ainv] = acct
        coo = a_r.tocoo()
        carriers.append((code[coo.row], coo.col.astype(np.int64)))
    own = np.zeros(na, dtype=np.int64)
    own[ainv] = ring
    r_a = sparse.csr_matrix((1.0 / ring_size[own], (own, np.arange(na))), shape=(n, na))
    out = (r_a @ a_r).tocsr()
    out.data = np.minimum(out.data, 1.0)
    both = out.minimum(out.T).tocsr()
    if contained > 0:  # ... or one ring wholly on the other's private values
        one = out.maximum(out.T).tocsr()
        one.data = np.where(one.data >= contained, one.data, 0.0)
        one.eliminate_zeros()
        both = both.maximum(one).tocsr()
    return both  # the caller clears the diagonal


def ring_affinity(
    features: pd.DataFrame,
    members: pd.DataFrame,
    ring_keys: np.ndarray,
    params: CampaignParams,
    coded: _Coded | None = None,
) -> pd.DataFrame:
    """Ring pairs that pass the threshold: ring_a < ring_b, affinity, strong, weak, reasons
    (`;`-joined kinds with overlap ≥ 0.1, e.g. `SHARED_BIN_POSTAL;SHARED_PROMPT`)."""
    coded = coded if coded is not None else _encode(features, members["account_id"], params.min_purity)
    ring_code = np.searchsorted(ring_keys, members["ring"].to_numpy())
    ring_size = np.bincount(ring_code, minlength=len(ring_keys)).astype(float)
    ring_size[ring_size == 0] = 1.0
    ring_of_acct = np.full(len(coded.acct_ids), -1, dtype=np.int64)
    pos = coded.acct_ids.get_indexer(members["account_id"].astype(STRING))
    ring_of_acct[pos[pos >= 0]] = ring_code[pos >= 0]
    n = len(ring_keys)
    strong = sparse.csr_matrix((n, n))
    weak = sparse.csr_matrix((n, n))
    per_kind: dict[str, sparse.csr_matrix] = {}
    carriers: list[tuple[np.ndarray, np.ndarray]] = []
    supplies: list[tuple[np.ndarray, np.ndarray]] = []  # private supplier values, per account
    network = set(network_kinds())
    # rows per kind by the kind codes (comparing a string column per kind cost a Python
    # string per row and kind)
    if coded.kcode is None or coded.kinds is None:
        coded.kcode, kinds_idx = pd.factorize(features["kind"])
        coded.kinds = pd.Index(kinds_idx)
    for kind, kw in {**params.strong_kinds, **params.weak_kinds}.items():
        k = coded.kinds.get_indexer([kind])[0]
        rows = np.flatnonzero(coded.kcode == k) if k >= 0 else np.zeros(0, np.int64)
        if not len(rows):
            continue
        # accounts are counted on private identity values only: two operators' accounts
        # each on one of a proxy provider's many /24s are not one operator's, nor are two
        # that buy virtual cards from one issuer (a BIN is a supplier, shared by strangers)
        identity = (kind in params.strong_kinds and kind not in network
                    and kind not in _SUPPLIER_KINDS)
        s = _kind_overlap(rows, coded, ring_of_acct, ring_size, params.ring_value_min_users,
                          params.private_value_weight if identity else 0.0,
                          carriers if identity else None,
                          supplies if kind in _SUPPLIER_KINDS and params.private_supply_weight > 0
                          else None, params.private_supply_weight,
                          params.private_contained if identity else 0.0)
        if s.nnz == 0:
            continue
        per_kind[kind] = s
        if kind in params.strong_kinds:
            strong = strong + kw * s
        else:
            weak = weak + kw * s
    empty = pd.DataFrame({"ring_a": pd.Series(dtype="int64"), "ring_b": pd.Series(dtype="int64"),
                          "affinity": pd.Series(dtype=float), "strong": pd.Series(dtype=float),
                          "weak": pd.Series(dtype=float), "reasons": pd.Series(dtype=STRING)})
    st = sparse.triu(strong, k=1).tocoo()
    keep = st.data >= params.min_strong
    if params.min_identity_overlap > 0:
        # a tie needs a kind that is no network: two operators on one proxy provider's
        # subnets are two operators
        identity = np.zeros(len(st.data))
        for kind, s in per_kind.items():
            if kind in params.strong_kinds and kind not in network:
                identity = np.maximum(identity, np.asarray(s[st.row, st.col]).ravel())
        keep &= identity >= params.min_identity_overlap
    if not keep.any():
        return empty
    a, b, sv = st.row[keep], st.col[keep], st.data[keep]
    wv = np.asarray(weak.tocsr()[a, b]).ravel() if weak.nnz else np.zeros(len(a))
    aff = sv + np.minimum(wv, params.weak_cap)
    ok = aff >= params.threshold
    a, b, sv, wv, aff = a[ok], b[ok], sv[ok], wv[ok], aff[ok]
    if params.split_mixed_rings and carriers:
        ok = _unmixed(a, b, carriers, ring_of_acct, params.mixed_max_overlap, supplies)
        a, b, sv, wv, aff = a[ok], b[ok], sv[ok], wv[ok], aff[ok]
    if not len(a):
        return empty
    # reasons as a bit mask per pair, spelled out once per distinct combination
    kinds = sorted(per_kind)
    mask = np.zeros(len(a), dtype=np.int64)
    for bit, kind in enumerate(kinds):
        mask |= (np.asarray(per_kind[kind][a, b]).ravel() >= 0.1).astype(np.int64) << bit
    combos, inverse = np.unique(mask, return_inverse=True)
    spelled = np.array([";".join(_reason(k) for i, k in enumerate(kinds) if m >> i & 1)
                        for m in combos], dtype=object)
    reasons = pd.Series(spelled[inverse], dtype=STRING)
    return pd.DataFrame({
        "ring_a": ring_keys[a], "ring_b": ring_keys[b], "affinity": aff, "strong": sv,
        "weak": wv, "reasons": reasons.to_numpy(),
    })


def _unmixed(a: np.ndarray, b: np.ndarray, carriers: list[tuple[np.ndarray, np.ndarray]],
             ring_of_acct: np.ndarray, max_overlap: float,
             supplies: list[tuple[np.ndarray, np.ndarray]] | None = None) -> np.ndarray:
    """Which ring links (`a`, `b`) to keep: a ring that alone joins two groups of rings,
    whose accounts tying it to one group are not those tying it to the other (at most
    `max_overlap` of the smaller set in common), holds two operators' accounts that
    community detection put together (two key resellers on one proxy provider): it stays
    with the group its most accounts tie to, and its links to the others are dropped. A
    ring of one operator ties to both with the same accounts (its base template), and
    is kept as the bridge it is, and so is a tie through no private value (nothing to tell
    its accounts apart). `carriers`: (account code, ring) pairs, the account uses a private
    identity value that ring uses. `supplies`: (account code, value) pairs of private
    supplier values (a card BIN mostly ring accounts use, `private_supply_weight`): when most
    of both sets of tying accounts pay from a BIN the other set pays from, the ring's
    accounts are one operator's however their templates differ. A BIN strangers
    share is a supplier's and tells nothing; one that is mostly the rings' (three quarters
    of its users or more) is the operator's own supply (tuning seed B/55: one operator's
    stealth rings, each on its own templates, on a virtual BIN 263 of whose 308 users it
    runs)."""
    import networkx as nx

    keep = np.ones(len(a), dtype=bool)
    if len(a) < 2:
        return keep
    g = nx.Graph()
    g.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    cuts = set(nx.articulation_points(g))
    if not cuts:
        return keep
    acct = np.concatenate([c[0] for c in carriers])
    ring = np.concatenate([c[1] for c in carriers])
    own = ring_of_acct[acct]
    sel = np.isin(own, np.fromiter(cuts, dtype=np.int64)) & (own != ring)
    tied = (pd.DataFrame({"r": own[sel], "s": ring[sel], "a": acct[sel]})
            .drop_duplicates().groupby(["r", "s"])["a"].agg(set).to_dict())
    supply: dict[int, set[int]] = {}  # account of a cut ring → its private supplies
    if supplies:
        sa = np.concatenate([x[0] for x in supplies])
        sv = np.concatenate([x[1] for x in supplies])
        inside = np.isin(ring_of_acct[sa], np.fromiter(cuts, dtype=np.int64))
        supply = (pd.DataFrame({"a": sa[inside], "v": sv[inside]}).drop_duplicates()
                  .groupby("a")["v"].agg(set).to_dict())
    for cut in sorted(cuts):
        side: dict[int, int] = {}
        for i, comp in enumerate(nx.connected_components(g.subgraph(set(g) - {cut}))):
            side.update(dict.fromkeys(comp, i))
        accounts: dict[int, set[int]] = {}
        for s in g.neighbors(cut):
            accounts.setdefault(side[s], set()).update(tied.get((cut, s), set()))
        if len(accounts) < 2:
            continue
        order = sorted(accounts, key=lambda k: (-len(accounts[k]), k))
        main = accounts[order[0]]
        # a side tied through no private value has no accounts to compare: kept
        apart = {k for k in order[1:] if accounts[k] and main
                 and len(accounts[k] & main) <= max_overlap * min(len(accounts[k]), len(main))
                 and not _same_supply(supply, accounts[k], main)}
        if not apart:
            continue
        for i in np.flatnonzero((a == cut) | (b == cut)):
            other = int(b[i]) if a[i] == cut else int(a[i])
            if side[other] in apart:
                keep[i] = False
    return keep


def _same_supply(values: dict[int, set[int]], one: set[int], other: set[int]) -> bool:
    """Do two sets of a ring's accounts pay from one private supply: most of each set
    uses a value (`values`: account → its private supplier values) that an account of the
    other set uses. A few accounts of one operator on another's virtual BIN (world D's key
    resellers at 1M) do not make them one operator's."""
    if not values:
        return False
    common = (set().union(*(values.get(x, set()) for x in one))
              & set().union(*(values.get(x, set()) for x in other)))
    if not common:
        return False
    return (sum(1 for x in one if values.get(x, set()) & common) > 0.5 * len(one)
            and sum(1 for x in other if values.get(x, set()) & common) > 0.5 * len(other))


def _reason(kind: str) -> str:
    """A ring link's reason: the kind's own link reason code, else SHARED_<KIND>."""
    k = BY_NAME.get(kind)
    return k.reason if k is not None and k.reason else f"SHARED_{kind.upper()}"


def group_rings(ring_keys: np.ndarray, ring_links: pd.DataFrame) -> pd.DataFrame:
    """Connected components of the ring graph; campaign key = smallest ring key in it."""
    n = len(ring_keys)
    if n == 0:
        return pd.DataFrame({"ring": pd.Series(dtype="int64"), "campaign": pd.Series(dtype="int64")})
    a = np.searchsorted(ring_keys, ring_links["ring_a"].to_numpy())
    b = np.searchsorted(ring_keys, ring_links["ring_b"].to_numpy())
    g = sparse.csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, comp = connected_components(g, directed=False)
    key = pd.Series(ring_keys).groupby(comp).transform("min").to_numpy()
    return pd.DataFrame({"ring": ring_keys.astype("int64"), "campaign": key.astype("int64")})


# ---- which rings are campaigns ---------------------------------------------------------------


# reason codes of an account hiding behind proxies: a pool of exits shared with ring-mates,
# or its own connections hopping across networks
_PROXY_CODES = ("PROXY_IP_POOL", "IP_ROTATION")
# what an organisation explains among the operator patterns: its onboarding and its templates
_ORG_EXPLAINS = ("SIGNUP_BURST", "SHARED_PROMPT_TEMPLATE")


def _codes(reasons: pd.Series, codes: tuple[str, ...]) -> pd.DataFrame:
    """One boolean column per code: does each `;`-joined reasons string carry it."""
    r = ";" + reasons.fillna("").astype(str) + ";"
    return pd.DataFrame({c: r.str.contains(f";{c};", regex=False).to_numpy(dtype=bool)
                         for c in codes}, index=reasons.index)


def operator_evidence(members: pd.DataFrame, params: CampaignParams) -> pd.DataFrame:
    """Per account: suspended, and `patterned` (reviewed, with at least `pattern_min` of the
    operator-pattern reason codes, those of `one_pattern` counting once, here and for
    `proxy_pattern_min`; or of an operator's toolkit, OPERATOR_TOOLKIT) plus one column per
    pattern code. Suspension is the
    detector's strongest word; patterns are how an operator runs accounts, which households,
    offices and classes do not. A reviewed account tied by links inside its own organisation
    (SAME_ORGANISATION) is not patterned: the organisation explains its template, domain and
    onboarding burst, so an office is never reported as a campaign.
    `org_patterned`: the same patterns inside an organisation. They make no ring a
    campaign, but a ring that is one on other evidence takes those accounts too
    (`campaigns.org_members_join`): an operator's made-up startups, each with its own
    domain and card, hide inside rings whose other accounts give the operator away."""
    patterns = list(dict.fromkeys(params.operator_patterns))
    # every code read below, in one pass over the reasons strings
    codes = _codes(members["reasons"], tuple(dict.fromkeys(
        (*patterns, "SAME_ORGANISATION", "CAPABILITY_TARGETING", "CARD_BIN_COHORT",
         "OPERATOR_TOOLKIT", *_PROXY_CODES))))
    hits = codes[patterns]
    susp = (members["action"].astype(str) == "suspend").to_numpy()
    in_org = codes["SAME_ORGANISATION"].to_numpy()
    n_hits = hits.sum(axis=1).to_numpy()
    same = [c for c in dict.fromkeys(params.one_pattern) if c in hits.columns]
    if len(same) > 1:  # codes reading one behaviour count once
        n_hits = n_hits - np.maximum(hits[same].sum(axis=1).to_numpy() - 1, 0)
    # a camouflaged operator's toolkit (its private templates and its slips) is its pattern
    in_toolkit = params.toolkit_is_operator & codes["OPERATOR_TOOLKIT"].to_numpy()
    patterned = ~susp & ~in_org & ((n_hits >= params.pattern_min) | in_toolkit)
    # inside an organisation: at least one pattern beyond the onboarding burst and the
    # template the organisation explains
    beyond = hits.drop(columns=[c for c in _ORG_EXPLAINS if c in hits.columns]).any(axis=1)
    org_patterned = ~susp & in_org & (n_hits >= params.pattern_min) & beyond.to_numpy()
    targeting = codes["CAPABILITY_TARGETING"].to_numpy()
    proxy = codes[list(_PROXY_CODES)].to_numpy().any(axis=1)
    proxied = patterned & proxy & (n_hits >= max(params.proxy_pattern_min, 1)) & (
        params.proxy_pattern_min > 0)
    cohort = patterned & params.cohort_is_operator & codes["CARD_BIN_COHORT"].to_numpy()
    toolkit = patterned & in_toolkit
    out = pd.DataFrame({"account_id": members["account_id"].astype(STRING).to_numpy(),
                        "ring": members["ring"].astype("int64").to_numpy(),
                        "suspended": susp, "patterned": patterned, "targeting": targeting,
                        "proxied": proxied, "cohort": cohort, "toolkit": toolkit,
                        "org_patterned": org_patterned})
    return pd.concat([out, hits.reset_index(drop=True)], axis=1)


def _confidence(suspended: pd.Series, patterned: pd.Series, size: pd.Series,
                params: CampaignParams) -> pd.Series:
    """Suspended share + pattern_confidence × patterned share, at most 1."""
    n = size.clip(lower=1).astype(float)
    return (suspended / n + params.pattern_confidence * patterned / n).clip(upper=1.0).round(4)


def campaign_rings(evidence: pd.DataFrame, params: CampaignParams) -> pd.DataFrame:
    """ring, size, suspended, patterned, confidence for the rings that form campaigns: those
    with at least `min_core` accounts showing operator evidence (suspended, or patterned). A
    ring without such a core is a review cluster, not a campaign. Counted, not a share:
    detection may put an operator's accounts and innocent ones in one ring, and the
    campaign then takes only the accounts with evidence.

    A ring in which fewer than `suspended_min` accounts are suspended (nobody, or one: an
    office's one suspension is more likely the detector's slip than an operation's core) is
    only reviewed on patterns; it forms a campaign
    only with `review_min_core` patterned accounts and, with `review_needs_targeting`,
    traffic that targets the capabilities a distillation campaign is after: a hackathon's
    burst and shared hours, or three cron jobs on one schedule, are review clusters. On a
    platform whose ordinary traffic is itself coding-heavy (API-first) targeting tells
    nothing; there `review_min_core` accounts that each hide behind proxies and show
    `proxy_pattern_min` operator patterns (`proxied`) stand in for it: innocent groups
    sit behind their own fixed addresses. So do `review_min_core` patterned accounts of a
    low-and-slow cohort (`CARD_BIN_COHORT`, `campaigns.cohort_is_operator`): many
    different cards of one BIN sending one template on one schedule is a card supplier and
    an automation, whatever the traffic asks for; and so do `review_min_core` accounts of an
    operator's toolkit (`OPERATOR_TOOLKIT`, `campaigns.toolkit_is_operator`)."""
    g = evidence.groupby("ring")
    r = pd.DataFrame({"size": g.size(), "suspended": g["suspended"].sum(),
                      "patterned": g["patterned"].sum()}).reset_index()
    targeting = g["targeting"].any().to_numpy()
    for stand_in in ("proxied", "cohort", "toolkit"):
        if stand_in in evidence.columns:
            targeting = targeting | (g[stand_in].sum().to_numpy() >= params.review_min_core)
    r["confidence"] = _confidence(r["suspended"], r["patterned"], r["size"], params)
    core = (r["suspended"] + r["patterned"]).to_numpy()
    review_only = (r["suspended"] < max(params.suspended_min, 1)).to_numpy()
    ok = (core >= max(params.min_core, 1)) & (
        ~review_only | ((r["patterned"].to_numpy() >= params.review_min_core)
                        & (targeting | (not params.review_needs_targeting))))
    return r[ok].reset_index(drop=True)


def _basis(ev: pd.DataFrame, params: CampaignParams) -> dict[int, dict[str, Any]]:
    """Per campaign key: the evidence that makes it a campaign (accounts suspended, reviewed
    with operator patterns, reviewed inside an organisation, and per pattern code) and its
    confidence."""
    codes = [c for c in params.operator_patterns if c in ev.columns]
    g = ev.groupby("campaign")
    t = pd.DataFrame({"size": g.size()})
    t["evidence"] = g["in_campaign"].sum()
    ce = ev[ev["in_campaign"].to_numpy()].groupby("campaign")
    t["suspended"], t["patterned"] = ce["suspended"].sum(), ce["patterned"].sum()
    t["in_org"] = ce["org_patterned"].sum()
    t[codes] = ce[codes].sum()
    t = t.fillna(0)
    t["confidence"] = _confidence(t["suspended"], t["patterned"], t["evidence"], params)
    out: dict[int, dict[str, Any]] = {}
    for c, row in t.iterrows():  # one per campaign
        out[int(c)] = {
            "confidence": float(row["confidence"]), "suspended": int(row["suspended"]),
            "reviewed_with_patterns": int(row["patterned"]),
            # reviewed inside an organisation, taken because the campaign is one without them
            "reviewed_in_organisation": int(row["in_org"]),
            "patterns": {code: int(row[code]) for code in codes if row[code] > 0},
            # members of its rings without operator evidence: in review, not in the campaign
            "left_in_review": int(row["size"] - row["evidence"]),
        }
    return out


# ---- per-account activity and cluster / campaign statistics --------------------------------


def account_activity(ds: Dataset, account_ids: pd.Series, signup_fallback: bool = True) -> pd.DataFrame:
    """account_id, exchanges, first_seen, last_seen for the given accounts: exact request
    first/last, falling back to the sign-up time for accounts that never sent a request
    (unless `signup_fallback` is False: campaign times are request activity only)."""
    ids = pd.Series(account_ids.astype(STRING).unique(), dtype=STRING)
    tot = ds.requests.totals
    t = tot[isin(tot["account_id"], ids)].set_index("account_id")
    created = pd.to_datetime(ds.accounts.set_index("account_id")["created_at"], utc=True)
    out = pd.DataFrame({"account_id": ids})
    out["exchanges"] = t["exchanges"].reindex(ids).fillna(0).astype("int64").to_numpy()
    c = created.reindex(ids)
    for col in ("first_seen", "last_seen"):
        seen = pd.to_datetime(t[col], utc=True).reindex(ids)
        out[col] = (seen.fillna(c) if signup_fallback else seen).to_numpy()
        out[col] = pd.to_datetime(out[col], utc=True)
    return out


def _iso(ts: Any) -> str | None:
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _infrastructure(
    mc: pd.DataFrame, features: pd.DataFrame, flagged: pd.Series, ds: Dataset, top_n: int
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Top values per campaign for ASNs, card BINs, e-mail domains and prompt templates, with
    the number of campaign accounts using each, of accounts outside the campaign, and of
    flagged (any ring) and unflagged accounts using it in this run."""
    names = {kind: key for key, kind in infrastructure_keys().items()}
    # one selection of the campaign accounts' rows (two in a row copied most of the
    # features' strings once for nothing: 4 s at 1M accounts)
    rows = np.flatnonzero(features["kind"].isin(list(names)).to_numpy())
    f = features.iloc[rows[isin(features["account_id"].iloc[rows], mc["account_id"])]]
    f = f.merge(mc[["account_id", "campaign"]], on="account_id")
    out: dict[int, dict[str, list[dict[str, Any]]]] = {
        int(c): {v: [] for v in names.values()} for c in mc["campaign"].unique()
    }
    if f.empty:
        return out
    cnt = f.groupby(["campaign", "kind", "value"], observed=True).size().rename("accounts").reset_index()
    cnt = cnt.sort_values(["campaign", "kind", "accounts", "value"], ascending=[True, True, False, True])
    cnt = cnt.groupby(["campaign", "kind"], observed=True).head(top_n)
    # who else uses the listed values: every account, and the flagged ones
    vals = cnt[["kind", "value"]].drop_duplicates()
    # only rows holding one of the listed values can match: merge those, not every feature
    users = features[isin(features["value"], vals["value"])].merge(vals, on=["kind", "value"])[
        ["account_id", "kind", "value"]]
    users = users.assign(flagged=isin(users["account_id"], flagged))
    n = users.groupby(["kind", "value"], observed=True).agg(
        n_total=("account_id", "size"), n_flagged=("flagged", "sum")).reset_index()
    cnt = cnt.merge(n, on=["kind", "value"], how="left")
    cnt["n_total"] = cnt["n_total"].fillna(cnt["accounts"]).astype("int64")
    cnt["n_flagged"] = cnt["n_flagged"].fillna(cnt["accounts"]).astype("int64")
    cnt["outside"] = (cnt["n_total"] - cnt["accounts"]).clip(lower=0).astype("int64")
    asn_org: dict[str, str] = {}
    ev = ds.ip_events
    if len(ev) and "asn_org" in ev.columns:
        o = ev[["asn", "asn_org"]].dropna().drop_duplicates("asn")
        asn_org = dict(zip(o["asn"].astype("Int64").astype(str), o["asn_org"].astype(str), strict=True))
    for row in cnt.itertuples(index=False):  # bounded: ≤ top_n × 4 rows per campaign
        entry: dict[str, Any] = {"value": row.value, "accounts": int(row.accounts),
                                 "outside": int(row.outside), "flagged": int(row.n_flagged),
                                 "unflagged": int(row.n_total - row.n_flagged)}
        if row.kind == "asn":
            entry = {"asn": int(row.value), "org": asn_org.get(row.value), **entry}
            entry.pop("value")
        out[int(row.campaign)][names[row.kind]].append(entry)
    return out


def _capabilities(mc: pd.DataFrame, ds: Dataset, exchanges: pd.Series) -> dict[int, dict[str, float]]:
    """Share of each campaign's exchanges per capability (unclassified ones as `unknown`)."""
    cap = ds.requests.capabilities
    cap = cap[isin(cap["account_id"], mc["account_id"])].merge(mc[["account_id", "campaign"]], on="account_id")
    s = cap.groupby(["campaign", "capability"], observed=True)["exchanges"].sum().reset_index()
    out: dict[int, dict[str, float]] = {int(c): {} for c in exchanges.index}
    total = s["campaign"].map(exchanges).astype(float)
    s["share"] = (s["exchanges"] / total.where(total > 0)).fillna(0.0)
    s = s.sort_values(["campaign", "share", "capability"], ascending=[True, False, True])
    for row in s.itertuples(index=False):
        out[int(row.campaign)][str(row.capability)] = round(float(row.share), 4)
    classified = s.groupby("campaign")["exchanges"].sum()
    for c, tot in exchanges.items():
        rest = int(tot) - int(classified.get(c, 0))
        if tot > 0 and rest > 0:
            out[int(c)]["unknown"] = round(rest / float(tot), 4)
    return out


def _indicator_kinds(indicators: pd.DataFrame | None) -> set[str]:
    return (set(indicators["kind"].astype(str).str.lower())
            if indicators is not None and len(indicators) else set())


def campaign_identifiers(ds: Dataset, indicators: pd.DataFrame | None = None,
                         params: CampaignParams | None = None,
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The identifiers `build_campaigns` reads, in one pass over the tables: the campaign
    features' kinds, and the indicator kinds beyond them (`evidence.identifiers_split`).
    They need no rings, so the pipeline extracts them beside ring detection."""
    from linker.campaigns.attribution import source_kinds

    params = params or CampaignParams()
    ind_kinds = _indicator_kinds(indicators)
    wanted = feature_kinds(params)
    extra = source_kinds(ind_kinds) - wanted if ind_kinds else set()
    return identifiers_split(ds, wanted | extra, FEATURE_TABLES, True, extra)


def build_campaigns(
    ds: Dataset,
    rings: RingOutput,
    indicators: pd.DataFrame | None = None,
    params: CampaignParams | None = None,
    attribution: AttributionParams | None = None,
    sharing: SharingParams | None = None,
    identifiers: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> CampaignOutput:
    """Rings → campaigns, per-ring statistics and one attributed campaign record per campaign
    (see docs/internals.md). Only rings with operator evidence (`campaign_rings`) form
    campaigns, grouped by shared specific infrastructure; the others keep campaign <NA>.
    Campaign figures come from the campaign's own accounts' requests only. `identifiers`:
    `campaign_identifiers(ds, indicators, params)`, if already extracted."""
    from linker.campaigns.attribution import attribute, observed_values
    from linker.campaigns.sharing import campaign_indicators

    params = params or CampaignParams()
    sharing = sharing or SharingParams()
    members = rings.members[["account_id", "ring"]].copy()
    members["account_id"] = members["account_id"].astype(STRING)
    members["ring"] = members["ring"].astype("int64")
    ring_keys = np.unique(np.concatenate([
        members["ring"].to_numpy(), rings.rings["ring"].to_numpy().astype("int64")
    ])) if len(rings.rings) else np.unique(members["ring"].to_numpy())

    ev = operator_evidence(rings.members.assign(
        account_id=members["account_id"].to_numpy(), ring=members["ring"].to_numpy()), params)
    qualified = campaign_rings(ev, params)
    camp_keys = np.sort(qualified["ring"].to_numpy().astype("int64"))
    in_camp = members["ring"].isin(camp_keys).to_numpy().copy()
    if params.evidence_members:  # reviewed members without operator patterns stay in review only
        taken = ev["suspended"] | ev["patterned"]
        if params.org_members_join:
            taken = taken | ev["org_patterned"]
        in_camp &= taken.to_numpy()
    camp_members = members[in_camp].reset_index(drop=True)

    ind_kinds = _indicator_kinds(indicators)
    ident, extracted = (identifiers if identifiers is not None
                        else campaign_identifiers(ds, indicators, params))
    # attribution reuses these rows (allow-listed too)
    observed = account_features(ds, params, extracted=ident, codes=True)
    del ident
    features = drop_allowlisted(observed, getattr(rings, "allowlisted_evidence", None))
    # a value is specific when campaign accounts (not any flagged account) use it
    coded = _encode(features, camp_members["account_id"], params.min_purity,
                    _Public(members["account_id"], params.public_unflagged, params.public_ratio))
    weights = coded.weights
    links = ring_affinity(features, camp_members, camp_keys, params, coded=coded)
    grouped = group_rings(camp_keys, links)
    ring_campaign = pd.DataFrame({"ring": ring_keys.astype("int64")}).merge(grouped, on="ring", how="left")
    ring_campaign["campaign"] = ring_campaign["campaign"].astype("Int64")

    # per-ring statistics (every ring, campaign or review cluster)
    act = account_activity(ds, members["account_id"])
    mr = members.merge(act, on="account_id", how="left")
    stats = mr.groupby("ring").agg(size=("account_id", "size"), first_seen=("first_seen", "min"),
                                   last_seen=("last_seen", "max"),
                                   exchanges=("exchanges", "sum")).reset_index()
    rinfo = rings.rings.drop(columns=[c for c in ("size",) if c in rings.rings.columns])
    clusters = ring_campaign.merge(stats, on="ring", how="left").merge(rinfo, on="ring", how="left")
    clusters["size"] = clusters["size"].fillna(0).astype("int64")
    clusters["exchanges"] = clusters["exchanges"].fillna(0).astype("int64")
    for col in ("score", "density", "strong_share"):
        if col not in clusters:
            clusters[col] = np.nan
    if "reasons" not in clusters:
        clusters["reasons"] = pd.Series(pd.NA, index=clusters.index, dtype=STRING)
    clusters = clusters[CLUSTER_COLUMNS].sort_values("ring").reset_index(drop=True)

    # per-campaign records: the campaign's own accounts, their own requests
    mc = camp_members.merge(grouped, on="ring")
    mc["campaign"] = mc["campaign"].astype("int64")
    cact = account_activity(ds, mc["account_id"], signup_fallback=False)
    mc = mc.merge(cact, on="account_id", how="left")
    cg = mc.groupby("campaign")
    cstats = cg.agg(accounts=("account_id", "nunique"), exchanges=("exchanges", "sum"),
                    first_seen=("first_seen", "min"), last_seen=("last_seen", "max"))
    ring_lists = grouped.groupby("campaign")["ring"].apply(lambda s: sorted(int(x) for x in s))
    basis = _basis(ev.assign(in_campaign=in_camp).merge(grouped, on="ring"), params)
    flagged = members["account_id"]
    infra = _infrastructure(mc, features, flagged, ds, params.top_n)
    caps = _capabilities(mc, ds, cstats["exchanges"])
    if indicators is not None and len(indicators) and len(mc):
        attr = attribute(mc[["account_id", "campaign"]],
                         observed_values(ds, ind_kinds, observed, extracted=extracted,
                                         distinct=False),
                         indicators, attribution, flagged=flagged)
    else:
        attr = {}

    campaigns: list[dict[str, Any]] = []
    for c in ring_lists.index:  # one iteration per campaign, not per account
        key = int(c)
        st = cstats.loc[c] if c in cstats.index else None
        a = attr.get(key, {"operator": None, "confidence": 0.0, "evidence": []})
        record = {
            "campaign": key,
            "operator": a["operator"],
            "confidence": a["confidence"],
            "campaign_confidence": basis[key]["confidence"],
            "basis": basis[key],
            "accounts": int(st["accounts"]) if st is not None else 0,
            "clusters": ring_lists.loc[c],
            "exchanges": int(st["exchanges"]) if st is not None else 0,
            "first_seen": _iso(st["first_seen"]) if st is not None else None,
            "last_seen": _iso(st["last_seen"]) if st is not None else None,
            "capabilities": caps.get(key, {}),
            "infrastructure": infra.get(key, {"asns": [], "card_bins": [], "email_domains": [],
                                              "prompt_fingerprints": []}),
            "evidence": a["evidence"],
        }
        record["indicators"] = campaign_indicators(record, sharing)
        campaigns.append(record)
    account_campaign = mc[["account_id", "campaign"]].astype({"campaign": "Int64"})
    return CampaignOutput(ring_campaign=ring_campaign, clusters=clusters, campaigns=campaigns,
                          ring_links=links, value_weights=weights,
                          account_campaign=account_campaign.reset_index(drop=True))
